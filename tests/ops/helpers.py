"""Helpers of the operations tests: the stand-in crawl command, job functions that count."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

FAKE_CRAWL = Path(__file__).with_name("fake_crawl.py")


def fake_command(behaviour: str = "ok", marker: Path | None = None) -> Callable[[str, str | None], list[str]]:
    """A crawl command factory running the stand-in crawl with ``behaviour``."""

    def factory(source_id: str, mirror: str | None) -> list[str]:
        argv = [sys.executable, str(FAKE_CRAWL), source_id, "--behaviour", behaviour]
        if marker is not None:
            argv += ["--marker", str(marker)]
        if mirror:
            argv += ["--mirror", mirror]
        return argv

    return factory


def fake_command_template(behaviour: str, marker: Path | None = None) -> list[str]:
    """The same, as a ``[scheduler].crawl_command`` for schedules.toml."""
    argv = ["{python}", str(FAKE_CRAWL), "{source}", "--behaviour", behaviour]
    if marker is not None:
        argv += ["--marker", str(marker)]
    return argv


def note_fire(marker: str, label: str = "fire", sleep_s: float = 0.0) -> None:
    """A job function for scheduler tests: appends a line to ``marker`` (then optionally sleeps)."""
    with open(marker, "a", encoding="utf-8") as handle:
        handle.write(f"{label} {time.time():.3f}\n")
    if sleep_s:
        time.sleep(sleep_s)


def fires(marker: Path, label: str = "fire") -> int:
    if not marker.exists():
        return 0
    return sum(1 for line in marker.read_text(encoding="utf-8").splitlines() if line.split()[0] == label)
