"""``newsmon demo``: the main job on the embedded default, end to end."""

from __future__ import annotations

from newsmon.cli.app import app


@app.command("demo")
def demo() -> None:
    """Set up a fresh SQLite database, crawl the bundled mirror, tag, and report.

    Example: `make demo  (or: newsmon demo)`
    """
    from newsmon.demo import run_demo

    run_demo()
