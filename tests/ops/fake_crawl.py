"""A stand-in for ``newsmon crawl SOURCE``: writes a crawl-run row the way the real command does,
then behaves as told (succeed, fail, crash before writing, hang), so the scheduler's process
handling is tested without Scrapy and in seconds.

Usage: ``python fake_crawl.py SOURCE --behaviour sleep:5,new:2 [--marker FILE] [--mirror URL]``
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import time
from pathlib import Path


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("source")
    parser.add_argument("--behaviour", default="ok")
    parser.add_argument("--marker")
    parser.add_argument("--mirror")
    args = parser.parse_args()
    steps = dict(item.partition(":")[::2] for item in args.behaviour.split(","))
    marker = Path(args.marker) if args.marker else None

    def note(what: str) -> None:
        if marker is not None:
            with marker.open("a", encoding="utf-8") as handle:
                handle.write(f"{what} {args.source} {os.getpid()} {time.time():.3f} {args.mirror or '-'}\n")

    note("start")
    if "crash" in steps:
        print("Traceback (most recent call last):\nRuntimeError: boom before the run row", file=sys.stderr)
        return 3

    from storage.db import session_scope
    from storage.locks import LockHeld, describe_holder, try_lock
    from storage.repository import count_article, count_page, finish_run, start_run

    try:  # held until the process ends, as by the real command (crawlers.locks)
        lock = try_lock(f"crawl:{args.source}", describe_holder(f"fake crawl {args.source}"))
    except LockHeld as exc:
        print(exc, file=sys.stderr)
        return 2
    with session_scope() as session:
        run_id = start_run(session, args.source, trigger=os.environ.get("NEWSMON_RUN_TRIGGER", "manual"),
                           options={"mirror": args.mirror})

    def on_term(_signum, _frame):
        with session_scope() as session:
            finish_run(session, run_id, status="interrupted", message="SIGTERM")
        note("terminated")
        sys.exit(143)

    signal.signal(signal.SIGTERM, on_term)
    if "ignore_term" in steps:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
    time.sleep(float(steps.get("sleep") or 0))
    with session_scope() as session:
        count_page(session, run_id, int(steps.get("pages") or 3))
        for _ in range(int(steps.get("new") or 0)):
            count_article(session, run_id, created=True)
    if "exit" in steps:  # dies without closing its run
        note("end")
        return int(steps["exit"])
    with session_scope() as session:
        if "fail" in steps:
            finish_run(session, run_id, status="failed", message="spider error: listing unreachable")
        else:
            finish_run(session, run_id, status="finished")
    note("end")
    lock.release()
    return 1 if "fail" in steps else 0


if __name__ == "__main__":
    sys.exit(main())
