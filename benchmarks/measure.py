"""Running a measured child process: wall time, CPU time (its own and its descendants') and peak
resident memory, from ``wait4`` on exactly that child."""

from __future__ import annotations

import os
import subprocess
import tempfile
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Usage:
    """What one child process used."""

    wall_s: float
    cpu_s: float
    """User + system CPU of the child and of its descendants it waited for."""
    peak_rss_mb: float
    """Largest resident set of the child or of any of its waited-for descendants."""
    returncode: int
    stdout: str
    stderr: str
    peak_pss_mb: float = 0.0
    """Largest proportional set size of the child and its descendants together, sampled every
    :data:`PSS_EVERY_S` (0 where ``/proc`` has no ``smaps_rollup``). Pages that forked processes
    share count once, split among them, where the peaks of ``ru_maxrss`` count them in full in
    each process."""


PSS_EVERY_S = 0.1


def child_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment of a measured child: ours, the repository importable, no mirror or
    politeness settings inherited from the caller's shell."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    for name in ("NEWSMON_MIRROR_URL", "NEWSMON_POLITENESS", "NEWSMON_TAGGER", "DATABASE_URL"):
        env.pop(name, None)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    env.update(extra or {})
    return env


def run_measured(
    command: Sequence[str], *, env: Mapping[str, str], cwd: Path, timeout_s: float = 1800
) -> Usage:
    """Run ``command`` to its end and measure it (killed after ``timeout_s``)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(list(command), env=dict(env), cwd=cwd, stdout=out, stderr=err)
        timer = threading.Timer(timeout_s, process.kill)
        timer.start()
        sampler = PssSampler(process.pid)
        sampler.start()
        try:
            _, status, usage = os.wait4(process.pid, 0)
        finally:
            timer.cancel()
            sampler.stop()
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)  # already reaped: Popen must not wait
        out.seek(0)
        err.seek(0)
        return Usage(
            wall_s=wall,
            cpu_s=usage.ru_utime + usage.ru_stime,
            peak_rss_mb=usage.ru_maxrss / 1024,  # KiB on Linux
            returncode=process.returncode,
            stdout=out.read().decode("utf-8", "replace"),
            stderr=err.read().decode("utf-8", "replace"),
            peak_pss_mb=sampler.peak_kb / 1024,
        )


class PssSampler(threading.Thread):
    """Samples the summed PSS of a process and its descendants until stopped; keeps the peak."""

    def __init__(self, pid: int) -> None:
        super().__init__(name=f"pss:{pid}", daemon=True)
        self.pid = pid
        self.peak_kb = 0
        self._done = threading.Event()

    def run(self) -> None:
        while not self._done.wait(PSS_EVERY_S):
            self.peak_kb = max(self.peak_kb, sum(_pss_kb(pid) for pid in _tree(self.pid)))

    def stop(self) -> None:
        self._done.set()
        self.join(timeout=5)


def _tree(pid: int) -> list[int]:
    """``pid`` and its descendants (from ``/proc/<pid>/task/*/children``)."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        for task in Path(f"/proc/{current}/task").glob("*/children"):
            try:
                todo.extend(int(child) for child in task.read_text().split())
            except OSError:
                continue
    return found


def _pss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0
