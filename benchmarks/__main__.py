"""``python -m benchmarks`` (``make bench``): newsmon against the floor and a peer, growth, and
incremental crawls, on a generated mirror; then the distributed-crawling benchmark
(:mod:`benchmarks.scale`) when its services are there.

    python -m benchmarks [--quick] [--sizes 500,1000,2000,4000] [--main-size 2000] [--rounds 3] [--no-peer]
                         [--no-scale] [--no-large-store] [--write-docs docs/benchmarks.md] [--work DIR]

``--quick`` measures 250, 500 and 1,000 articles (main size 1,000) and skips the scale benchmark.
The large-store benchmark (:mod:`benchmarks.store`) follows: 100,000 and 1,000,000 articles
(20,000 and 100,000 with ``--quick``; ``--no-large-store`` skips it).
"""

from __future__ import annotations

import argparse
import shlex
import sys
from collections.abc import Callable
from pathlib import Path

BEGIN = "<!-- bench:begin -->"
END = "<!-- bench:end -->"


def write_docs(path: Path, table: str) -> None:
    """Replace the text between the markers of ``path`` with ``table``."""
    text = path.read_text("utf-8") if path.exists() else f"# Benchmarks\n\n{BEGIN}\n{END}\n"
    if BEGIN not in text or END not in text:
        text = text.rstrip("\n") + f"\n\n{BEGIN}\n{END}\n"
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    path.write_text(f"{head}{BEGIN}\n{table.rstrip()}\n{END}{tail}", encoding="utf-8")


def shown_arguments(args: argparse.Namespace) -> list[str]:
    """The options of this run as the tables name them: paths outside the repository are not
    written into the documentation (only their file name)."""
    shown: list[str] = []
    if args.quick:
        shown.append("--quick")
    for flag, value in (("--sizes", args.sizes), ("--main-size", args.main_size), ("--rounds", args.rounds)):
        if value:
            shown += [flag, str(value)]
    shown += [flag for flag, on in (("--no-peer", args.no_peer), ("--no-scale", args.no_scale)) if on]
    if args.write_docs:
        path = args.write_docs.resolve()
        repo = Path(__file__).resolve().parents[1]
        shown += ["--write-docs", str(path.relative_to(repo)) if path.is_relative_to(repo) else path.name]
    return shown


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="smaller run: 250, 500, 1000 articles")
    parser.add_argument(
        "--sizes", help="mirror sizes in articles, comma-separated (default 500,1000,2000,4000)"
    )
    parser.add_argument(
        "--main-size", type=int, help="the size compared with the floor and the peer (default 2000)"
    )
    parser.add_argument(
        "--rounds",
        type=int,
        help="rounds of newsmon, floor and Scrapy alone at the main size; the median is reported "
        "(default 3, 1 with --quick)",
    )
    parser.add_argument("--no-peer", action="store_true", help="skip the trafilatura peer")
    parser.add_argument(
        "--no-scale", action="store_true", help="skip benchmarks.scale (distributed crawling)"
    )
    parser.add_argument(
        "--no-large-store", action="store_true", help="skip benchmarks.store (the desk on a large store)"
    )
    parser.add_argument("--write-docs", type=Path, metavar="FILE", help="also write the tables into FILE")
    parser.add_argument("--work", type=Path, help="keep the crawls' databases in this folder")
    args = parser.parse_args(argv)

    from benchmarks.report import markdown
    from benchmarks.suite import run

    default_sizes = "250,500,1000" if args.quick else "500,1000,2000,4000"
    sizes = [int(s) for s in (args.sizes or default_sizes).split(",")]
    main_size = args.main_size or (1000 if args.quick else 2000)
    if main_size not in sizes:
        parser.error(f"--main-size {main_size} must be one of --sizes {sizes}")

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    rounds = args.rounds or (1 if args.quick else 3)
    report = run(sizes, main_size, peer=not args.no_peer, rounds=rounds, work=args.work, log=log)
    report.command = "python -m benchmarks" + (" " + shlex.join(shown_arguments(args))).rstrip()
    table = markdown(report)
    print(table)
    if args.write_docs:
        write_docs(args.write_docs, table)
        log(f"written to {args.write_docs}")
    if not (args.quick or args.no_scale):
        _scale(log)
    if not args.no_large_store:
        _large_store(args.quick, log)
    return 0  # a missed target is reported in the table, not as a failure of the command


def _large_store(quick: bool, log: Callable[[str], None]) -> dict[str, object]:
    """The large-store figures (:mod:`benchmarks.store`): 100k and 1M articles, 20k and 100k quick."""
    from benchmarks import store

    sizes = store.QUICK_SIZES if quick else store.FULL_SIZES
    try:
        figures = store.large_store_figures(sizes, log=log)
    except Exception as exc:  # noqa: BLE001 - needs PostgreSQL's binaries; report and go on
        log(f"benchmarks.store skipped: {type(exc).__name__}: {exc}")
        return {}
    print(store.table(figures, sizes, command="python -m benchmarks" + (" --quick" if quick else "")))
    return figures


def _scale(log: Callable[[str], None]) -> None:
    try:
        from benchmarks import scale
    except ImportError:
        return
    log("distributed crawling (benchmarks.scale) …")
    try:
        scale.main([])
    except Exception as exc:  # noqa: BLE001 - needs PostgreSQL and Redis; report and go on
        log(f"benchmarks.scale skipped: {type(exc).__name__}: {exc}")


if __name__ == "__main__":
    sys.exit(main())
