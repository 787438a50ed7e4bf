"""Command line: ``python -m mirror serve`` runs the mirror; ``python -m mirror manifest`` prints it.

    python -m mirror serve [--port N] [--latency-ms N] [--synthetic N] [--fresh N] [--seed N]
                           [--fault PATTERN=FAULT ...] [--port-file FILE] [--verbose]
    python -m mirror manifest [--synthetic N] [--fresh N] [--seed N] [--output FILE]
    python -m mirror hosts
"""

from __future__ import annotations

import argparse
import json
import logging
import signal
import sys
import threading
from pathlib import Path

import mirror.catalog as catalog
from mirror.faults import KINDS
from mirror.server import MirrorServer


def _fault(text: str) -> tuple[str, str]:
    """``PATTERN=FAULT``; the pattern may itself contain "=" and the fault may too (``429:retry_after=2``)."""
    for i, ch in enumerate(text):
        if ch == "=" and i > 0 and text[i + 1:].split(":")[0] in KINDS:
            return text[:i], text[i + 1:]
    raise argparse.ArgumentTypeError(f"expected PATTERN=FAULT with a known fault, got {text!r}")


def _serve(args: argparse.Namespace) -> int:
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(asctime)s %(name)s %(message)s")
    try:
        faults = dict(args.fault or [])
        server = MirrorServer(port=args.port, latency_s=args.latency_ms / 1000, synthetic=args.synthetic,
                              faults=faults, seed=args.seed, bind=args.bind, verbose=args.verbose,
                              fresh=args.fresh, redesign=args.redesign)
    except (ValueError, catalog.FixtureError) as exc:
        print(f"mirror: {exc}", file=sys.stderr)
        return 2

    stopping = threading.Event()
    # Handlers first: a caller may send SIGTERM as soon as it has read the URL.
    signal.signal(signal.SIGINT, lambda signum, frame: stopping.set())
    signal.signal(signal.SIGTERM, lambda signum, frame: stopping.set())
    server.start()
    if args.port_file:
        Path(args.port_file).write_text(f"{server.port}\n", encoding="utf-8")
    print(server.url, flush=True)
    print(f"mirror: {len(server.articles)} articles on {len(catalog.hosts())} hosts; Ctrl-C stops",
          file=sys.stderr, flush=True)
    while not stopping.wait(0.5):
        pass
    server.stop()
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m mirror",
                                     description="Offline mirror of the monitored sites.")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="serve the mirror until SIGINT/SIGTERM")
    serve.add_argument("--port", type=int, default=0, help="port (default: any free port)")
    serve.add_argument("--bind", default="127.0.0.1")
    serve.add_argument("--latency-ms", type=float, default=0.0, help="delay added to every answer")
    serve.add_argument("--synthetic", type=int, default=0, help="extra generated articles per site")
    serve.add_argument("--fresh", type=int, default=0,
                       help="articles per site published after all others (a site that moved on)")
    serve.add_argument("--seed", type=int, default=0)
    serve.add_argument("--fault", type=_fault, action="append", metavar="PATTERN=FAULT",
                       help="inject a fault, e.g. '^/news/rss=503-burst:2' (repeatable)")
    serve.add_argument("--port-file", help="write the chosen port to this file")
    serve.add_argument("--verbose", action="store_true", help="log every request")
    serve.add_argument("--redesign", action="store_true",
                       help="serve every page in other markup (same URLs and texts): a site redesign")
    man = sub.add_parser("manifest", help="print the manifest as JSON")
    man.add_argument("--synthetic", type=int, default=0)
    man.add_argument("--fresh", type=int, default=0)
    man.add_argument("--seed", type=int, default=0)
    man.add_argument("--output", help="write to this file instead of stdout")
    sub.add_parser("hosts", help="print the mirrored hosts and their source ids")
    args = parser.parse_args(argv)

    if args.command == "serve":
        return _serve(args)
    if args.command == "manifest":
        text = catalog.manifest_json(args.synthetic, args.seed, args.fresh)
        if args.output:
            Path(args.output).write_text(text, encoding="utf-8")
        else:
            sys.stdout.write(text)
        return 0
    if args.command == "hosts":
        print(json.dumps(catalog.hosts(), indent=1))
        return 0
    return 2


if __name__ == "__main__":
    sys.exit(main())
