"""Start-up time of the commands a user types most: ``python -m benchmarks.startup``.

Runs each command a few times in a fresh process and prints the median wall time:
``newsmon --help`` (imports only what the help needs) and ``newsmon tag`` on five articles
(loads the tagging stages, not the database, the crawler or MinHash); and the imports of
``newsmon --help`` alone, as ``python -X importtime`` counts them (every module imported from
the interpreter's start to the help printed, the interpreter's own ``site`` included): the
figure ``cli_help_import_s``.
"""

from __future__ import annotations

import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.figures import Measured

ROOT = Path(__file__).resolve().parents[1]
RUNS = 5
HELP = [sys.executable, "-m", "newsmon", "--help"]
_TOP_LEVEL = re.compile(r"^import time:\s+\d+ \|\s+(\d+) \| (\S.*)$")
"""A module imported by no other (one space before its name): its cumulative microseconds."""


def _median_seconds(command: list[str], runs: int = RUNS) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True, cwd=ROOT)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def import_seconds(stderr: str) -> float:
    """The seconds ``python -X importtime`` counted in all, from its report on ``stderr``."""
    total_us = 0
    for line in stderr.splitlines():
        match = _TOP_LEVEL.match(line)
        if match:
            total_us += int(match.group(1))
    return total_us / 1e6


def help_import_seconds(runs: int = RUNS) -> float:
    """The median over ``runs`` fresh processes of the imports of ``newsmon --help``."""
    measured = []
    for _ in range(runs):
        done = subprocess.run(
            [HELP[0], "-X", "importtime", *HELP[1:]], check=True, capture_output=True, text=True, cwd=ROOT
        )
        measured.append(import_seconds(done.stderr))
    return statistics.median(measured)


def measure(runs: int = RUNS) -> dict[str, float]:
    five = (ROOT / "tests" / "data" / "labelled" / "kz_ru.jsonl").read_text(encoding="utf-8").splitlines()[:5]
    with tempfile.TemporaryDirectory() as folder:
        articles = Path(folder) / "five.jsonl"
        articles.write_text("\n".join(five) + "\n", encoding="utf-8")
        newsmon = [sys.executable, "-m", "newsmon"]
        return {
            "newsmon --help": _median_seconds(HELP, runs),
            "newsmon tag (5 articles)": _median_seconds([*newsmon, "tag", str(articles)], runs),
        }


def figures(runs: int = RUNS) -> dict[str, Measured]:
    """``cli_help_import_s``, with the help's wall time and the machine's load beside it."""
    load = os.getloadavg()[0]
    imports = help_import_seconds(runs)
    wall = _median_seconds(HELP, runs)
    detail = f"median of {runs}; `newsmon --help` {wall:.2f} s wall; load average {load:.1f}"
    return {"cli_help_import_s": Measured(imports, detail)}


def main() -> int:
    for name, seconds in measure().items():
        print(f"{name}: {seconds:.2f} s (median of {RUNS} runs)")
    imports = help_import_seconds()
    print(f"cli_help_import_s: {imports:.3f} s (imports of newsmon --help, median of {RUNS} runs)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
