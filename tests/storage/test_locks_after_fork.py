"""A lock is its holder's, not its forked children's: when a crawl is killed, the tagging workers it
forked (which outlive it for up to a second) must not keep its source locked, or the crawl started
again at once stops with "another crawl of this source is running" (:mod:`storage.locks`)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from storage.locks import LockHeld, try_lock

_HOLDER = textwrap.dedent(
    """
    import os, signal, sys, time
    from storage.locks import try_lock

    lock = try_lock("crawl:mvd_kg", "killed crawl", sys.argv[1])
    child = os.fork()
    if child == 0:  # a tagging worker: it outlives its parent for a while
        quiet = os.open(os.devnull, os.O_WRONLY)
        os.dup2(quiet, 1)  # (not the parent's output: the test reads it to its end)
        os.dup2(quiet, 2)
        time.sleep(60)
        os._exit(0)
    print(child, flush=True)
    os.kill(os.getpid(), signal.SIGKILL)  # the crawl is killed, holding the lock
    """
)


def _kill_the_holder_leaving_its_child(database_url: str) -> int:
    """Run a process that takes the lock, forks a child that lives on, and is killed; the child's pid."""
    holder = subprocess.run(
        [sys.executable, "-c", _HOLDER, database_url], capture_output=True, text=True, timeout=60
    )
    assert holder.returncode == -signal.SIGKILL, holder.stderr
    return int(holder.stdout.strip())


@pytest.mark.parametrize("database", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_a_killed_holders_forked_child_does_not_keep_its_lock(
    database: str, request: pytest.FixtureRequest
) -> None:
    url = request.getfixturevalue(f"{database}_url")
    child = _kill_the_holder_leaving_its_child(url)
    try:
        os.kill(child, 0)  # the child still runs
        deadline = time.monotonic() + 10  # the server notices a closed connection at once; allow it a moment
        while True:
            try:
                try_lock("crawl:mvd_kg", "the crawl started again", url).release()
                break
            except LockHeld:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        os.kill(child, 0)  # … and it still ran while the lock was taken again
    finally:
        os.kill(child, signal.SIGKILL)
