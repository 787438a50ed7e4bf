"""``python -m benchmarks`` (``make bench``): newsmon against the floor and a peer, growth, and
incremental crawls, on a generated mirror; start-up; ``retag`` on one core against two; then the
many-hosts benchmark (:mod:`benchmarks.hosts`); the desk on a large store (:mod:`benchmarks.store`);
then the distributed-crawling benchmark
(:mod:`benchmarks.scale`) when its services are there. Ends with the
headline figures (:mod:`benchmarks.figures`), each beside its target.

    python -m benchmarks [--quick] [--sizes 500,1000,2000,4000] [--main-size 2000] [--rounds 3] [--no-peer]
                         [--no-scale] [--no-hosts] [--no-large-store]
                         [--skip crawl,startup,retag,large-store,hosts] [--json FILE]
                         [--write-docs docs/benchmarks.md] [--work DIR]

``--quick`` measures 250, 500 and 1,000 articles (main size 1,000), retags 1,000 articles in one
round, crawls fewer articles per host in the many-hosts benchmark and skips the scale
benchmark. The large store is 100,000 and 1,000,000 articles (20,000 and 100,000 with
``--quick``). ``--json FILE`` writes every headline figure (null, with the reason, when a part
did not run).
"""

from __future__ import annotations

import argparse
import shlex
import sys
from collections.abc import Callable
from pathlib import Path

from benchmarks.figures import PARTS, Figures

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
    flags = (("--no-peer", args.no_peer), ("--no-scale", args.no_scale), ("--no-hosts", args.no_hosts))
    shown += [flag for flag, on in flags if on]
    if args.skip:
        shown += ["--skip", args.skip]
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
        "--no-hosts", action="store_true", help="skip benchmarks.hosts (мвд.рф on 1 to 85 hosts)"
    )
    parser.add_argument(
        "--no-large-store", action="store_true", help="skip benchmarks.store (the desk on a large store)"
    )
    parser.add_argument(
        "--skip", default="", metavar="PARTS", help=f"parts not to run, comma-separated ({', '.join(PARTS)})"
    )
    parser.add_argument(
        "--json", type=Path, metavar="FILE", help="write the headline figures as JSON to FILE"
    )
    parser.add_argument("--write-docs", type=Path, metavar="FILE", help="also write the tables into FILE")
    parser.add_argument("--work", type=Path, help="keep the crawls' databases in this folder")
    args = parser.parse_args(argv)

    skip = {part.strip() for part in args.skip.split(",") if part.strip()}
    if args.no_hosts:
        skip.add("hosts")
    if args.no_large_store:
        skip.add("large-store")
    if skip - set(PARTS):
        parser.error(f"--skip: no part {', '.join(sorted(skip - set(PARTS)))} (parts: {', '.join(PARTS)})")
    default_sizes = "250,500,1000" if args.quick else "500,1000,2000,4000"
    sizes = [int(s) for s in (args.sizes or default_sizes).split(",")]
    main_size = args.main_size or (1000 if args.quick else 2000)
    if main_size not in sizes:
        parser.error(f"--main-size {main_size} must be one of --sizes {sizes}")

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    rounds = args.rounds or (1 if args.quick else 3)
    command = "python -m benchmarks" + (" " + shlex.join(shown_arguments(args))).rstrip()
    figures = Figures()
    for part in sorted(skip):
        figures.skip(part, f"skipped (--skip {part})")
    tables = []
    if "crawl" not in skip:
        tables.append(_crawl(figures, sizes, main_size, rounds, args, command, log))
    if "startup" not in skip:
        from benchmarks import startup

        log("start-up: newsmon --help …")
        figures.add(startup.figures())
    if "retag" not in skip:
        from benchmarks import retag

        figures.add(retag.figures(retag.measure(main_size, rounds, log=log)))
    if "hosts" not in skip:
        tables.append(_hosts(figures, args.quick, log))
    if "large-store" not in skip:
        tables.append(_large_store(figures, args.quick, log))
    headline = "**Headline figures** (`--json FILE` writes them; docs/benchmarks.md names them)\n\n"
    tables.append(headline + figures.markdown())
    print(tables[-1])
    if args.json:
        figures.write_json(args.json, command)
        log(f"figures written to {args.json}")
    if args.write_docs:
        write_docs(args.write_docs, "\n\n".join(tables))
        log(f"written to {args.write_docs}")
    if not (args.quick or args.no_scale or "crawl" in skip):
        _scale(log)
    return 0  # a missed target is reported in the table, not as a failure of the command


def _crawl(
    figures: Figures,
    sizes: list[int],
    main_size: int,
    rounds: int,
    args: argparse.Namespace,
    command: str,
    log: Callable[[str], None],
) -> str:
    """The crawl suite: its tables (printed now) and its headline figures."""
    from benchmarks.crawl_figures import crawl_figures
    from benchmarks.report import markdown
    from benchmarks.suite import run

    report = run(sizes, main_size, peer=not args.no_peer, rounds=rounds, work=args.work, log=log)
    report.command = command
    table = markdown(report)
    print(table)
    figures.add(crawl_figures(report))
    return table


def _hosts(figures: Figures, quick: bool, log: Callable[[str], None]) -> str:
    """The many-hosts benchmark: its table (printed now) and its figures (JSON ``extra``)."""
    from benchmarks import hosts

    steps = hosts.run(hosts.QUICK_PER_HOST if quick else hosts.PER_HOST, log=log)
    table = hosts.markdown(steps)
    print(table)
    figures.extra.update(hosts.figures(steps))
    return table


def _large_store(figures: Figures, quick: bool, log: Callable[[str], None]) -> str:
    """The desk on a large store (:mod:`benchmarks.store`): its table (printed now) and its
    headline figures; 100k and 1M articles, 20k and 100k with ``--quick``."""
    from benchmarks import store

    sizes = store.QUICK_SIZES if quick else store.FULL_SIZES
    try:
        found = store.large_store_figures(sizes, log=log)
    except Exception as exc:  # noqa: BLE001 - needs PostgreSQL's binaries; report and go on
        log(f"benchmarks.store skipped: {type(exc).__name__}: {exc}")
        figures.skip("large-store", f"failed: {type(exc).__name__}: {exc}")
        return ""
    table = store.table(found, sizes, command="python -m benchmarks" + (" --quick" if quick else ""))
    print(table)
    figures.add(store.headline_figures(found))
    return table


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
