"""Many hosts: a crawl of мвд.рф as the number of its hosts grows, at 200 ms latency and the
configured politeness (``python -m benchmarks.hosts [--per-host N] [--steps 1,8,32,86]``; part
of ``python -m benchmarks``). The configuration names 84 regional sites (Leningrad Oblast has none
of its own), so the largest step has 85 hosts.

Russia alone is 85 regional sites besides the main one. A backfill across them is limited by
the politeness per host (``config/sources.toml``: one request at a time and a 2 s delay per
host for мвд.рф) until the CPU becomes the limit. Each step serves the main host and the first
``hosts - 1`` configured regions from the mirror (:mod:`mirror.regions`, ``per_host`` synthetic
articles on each regional host), adds 200 ms to every answer, and crawls it with
``NEWSMON_POLITENESS=config`` (as against the real sites; the other benchmarks turn politeness
off on the mirror). Printed per step: articles/s, the crawl's CPU, and how much of the machine's
cores the crawl kept busy (CPU seconds per wall second of its processes); the CPU takes over
where that nears the cores the crawl can use (the crawl process and its tagging worker: two).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from benchmarks.crawl import crawl, prepare
from mirror import MirrorServer
from mirror.regions import configured_regions

STEPS = (1, 8, 32, 86)
LATENCY_S = 0.2
PER_HOST = 16
"""Synthetic articles per regional host: about as many as the main host's own articles (16), so
every host keeps the crawl busy for about as long (the step's wall time is its slowest host's)."""
QUICK_PER_HOST = 8
CRAWL_CORES = 2
"""Cores a crawl can keep busy: the crawl process and one tagging worker (on this 2-core machine)."""


@dataclass(frozen=True)
class HostStep:
    hosts: int
    articles: int
    wall_s: float
    cpu_s: float
    load: float
    """The machine's 1-minute load average when the step ended (other processes' work included)."""

    @property
    def articles_per_s(self) -> float:
        return self.articles / self.wall_s if self.wall_s else 0.0

    @property
    def utilisation(self) -> float:
        """Cores the crawl kept busy on average: its CPU seconds per wall second."""
        return self.cpu_s / self.wall_s if self.wall_s else 0.0


def run(
    per_host: int = PER_HOST,
    steps: Sequence[int] = STEPS,
    *,
    work: Path | None = None,
    log: Callable[[str], None] = print,
) -> list[HostStep]:
    """One crawl per step, each of a mirror serving that many hosts."""
    codes = list(configured_regions())
    base = Path(work or tempfile.mkdtemp(prefix="newsmon-hosts-"))
    try:
        return [_step(hosts, codes, per_host, base, log) for hosts in steps]
    finally:
        if work is None:
            shutil.rmtree(base, ignore_errors=True)


def _step(
    hosts: int, codes: Sequence[str], per_host: int, base: Path, log: Callable[[str], None]
) -> HostStep:
    """One crawl of a mirror serving the main host and ``hosts - 1`` regional hosts."""
    chosen = codes[: max(0, hosts - 1)]
    hosts = 1 + len(chosen)  # the configuration names 84 regions: 85 hosts at most
    with MirrorServer(latency_s=LATENCY_S, regions=per_host, region_codes=chosen) as mirror:
        directory = base / f"hosts-{hosts}"
        log(f"[hosts {hosts}] crawl of мвд.рф on {hosts} hosts, {LATENCY_S * 1000:.0f} ms latency, "
            "configured politeness …")
        result = crawl(mirror, directory, prepare(directory), sources=("mvd_ru",),
                       extra_env={"NEWSMON_POLITENESS": "config"})
    step = HostStep(hosts=hosts, articles=result.articles, wall_s=result.usage.wall_s,
                    cpu_s=result.usage.cpu_s, load=os.getloadavg()[0])
    log(f"[hosts {hosts}] {step.articles} articles in {step.wall_s:.1f} s: "
        f"{step.articles_per_s:.2f} articles/s, {step.utilisation:.2f} cores busy")
    return step


def cpu_bound_at(steps: Sequence[HostStep], cores: int = CRAWL_CORES) -> float | None:
    """The number of hosts at which the crawl would keep ``cores`` busy, extrapolated from the
    largest step: articles/s grows with the hosts (politeness per host is the limit) while the
    CPU per article stays (the marginal CPU per article between the smallest and largest step,
    start-up left out). None without two steps that differ."""
    if len(steps) < 2:
        return None
    small, large = steps[0], steps[-1]
    if large.articles <= small.articles or large.hosts <= 0:
        return None
    cpu_per_article = (large.cpu_s - small.cpu_s) / (large.articles - small.articles)
    per_host_rate = large.articles_per_s / large.hosts
    if cpu_per_article <= 0 or per_host_rate <= 0:
        return None
    return cores / (per_host_rate * cpu_per_article)


def figures(steps: Sequence[HostStep]) -> dict[str, object]:
    """The many-hosts figures under their stable names (``docs/benchmarks.md``)."""
    return {
        "many_hosts_articles_per_s": {str(s.hosts): round(s.articles_per_s, 3) for s in steps},
        "many_hosts_cpu_utilisation": {str(s.hosts): round(s.utilisation, 3) for s in steps},
        "many_hosts_load": {str(s.hosts): round(s.load, 2) for s in steps},
        "many_hosts_cpu_bound_at_hosts": _rounded(cpu_bound_at(steps)),
    }


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def markdown(steps: Sequence[HostStep]) -> str:
    """The many-hosts table."""
    if not steps:
        return ""
    lines = [
        f"**Many hosts**: `newsmon crawl mvd_ru` of the mirror's мвд.рф on a growing number of hosts "
        f"(main + regional), {LATENCY_S * 1000:.0f} ms added to every answer, the configured "
        "politeness (1 request at a time and a 2 s delay per host)",
        "",
        "| hosts | articles | wall s | articles/s | CPU s | CPU ms/article | cores busy | load (1 min) |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for s in steps:
        lines.append(
            f"| {s.hosts} | {s.articles} | {s.wall_s:.1f} | {s.articles_per_s:.2f} | {s.cpu_s:.1f} | "
            f"{s.cpu_s / max(s.articles, 1) * 1000:.1f} | {s.utilisation:.2f} | {s.load:.2f} |"
        )
    bound = cpu_bound_at(steps)
    lines.append("")
    if bound is not None:
        lines.append(
            f"Politeness is the limit at every step: articles/s grows with the hosts while the crawl keeps "
            f"{steps[-1].utilisation:.2f} of its {CRAWL_CORES} cores busy at {steps[-1].hosts} hosts. At the "
            f"marginal CPU per article measured here the CPU would take over at about **{bound:.0f} hosts**."
            if bound > steps[-1].hosts
            else f"The CPU takes over at about **{bound:.0f} hosts**: beyond it more hosts add no articles/s."
        )
        lines.append("")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.hosts", description=__doc__.split("\n\n")[0])
    parser.add_argument("--per-host", type=int, default=PER_HOST, help="synthetic articles per regional host")
    parser.add_argument("--steps", default=",".join(map(str, STEPS)), help="host counts (default 1,8,32,86)")
    args = parser.parse_args(argv)

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    steps = run(args.per_host, [int(s) for s in args.steps.split(",")], log=log)
    print(markdown(steps))
    return 0


if __name__ == "__main__":
    sys.exit(main())
