"""Start-up time of the commands a user types most: ``python -m benchmarks.startup``.

Runs each command a few times in a fresh process and prints the median wall time:
``newsmon --help`` (imports only what the help needs) and ``newsmon tag`` on five articles
(loads the tagging stages, not the database, the crawler or MinHash).
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RUNS = 5


def _median_seconds(command: list[str], runs: int = RUNS) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True, cwd=ROOT)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def measure(runs: int = RUNS) -> dict[str, float]:
    five = (ROOT / "tests" / "data" / "labelled" / "kz_ru.jsonl").read_text(encoding="utf-8").splitlines()[:5]
    with tempfile.TemporaryDirectory() as folder:
        articles = Path(folder) / "five.jsonl"
        articles.write_text("\n".join(five) + "\n", encoding="utf-8")
        newsmon = [sys.executable, "-m", "newsmon"]
        return {
            "newsmon --help": _median_seconds([*newsmon, "--help"], runs),
            "newsmon tag (5 articles)": _median_seconds([*newsmon, "tag", str(articles)], runs),
        }


def main() -> int:
    for name, seconds in measure().items():
        print(f"{name}: {seconds:.2f} s (median of {RUNS} runs)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
