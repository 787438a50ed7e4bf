"""Take the review UI screenshots of the docs: ``python -m tests.review.screenshots [OUT_DIR]``.

Seeds a throw-away database with the stories of release #1 2025 and a morning's work on them,
serves the app on a free local port and photographs the inbox and an event page with Debian's
chromium (``docs/review-inbox.png``, ``docs/review-event.png``).
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import threading
from pathlib import Path

from werkzeug.serving import make_server

import desk
from storage import schema
from storage.db import dispose_engines, session_scope
from tests.review.conftest import CHROMIUM_ARGS
from tests.review.seed import PASSWORD, seed

KOKSHETAU_EN = (
    "The event was initiated by officers of the regional police department’s directorate for combating "
    "drug crime.\n"
    "Together with juvenile police officers and drug police officers, volunteers of the public foundation "
    "“Esbol qory” took an active part in the event.\n"
    "Volunteers together with police officers handed out sweets with anti-drug slogans to passers-by."
)


def _morning(url: str, events: dict[str, int]) -> None:
    """What two analysts did before the screenshot."""
    with session_scope(url) as s:
        desk.edit(
            s,
            events["sko"],
            actor="anna",
            headline_en="What threatens drug traffickers: police officers in SKO explain changes "
            "in legislation",
            text_en="Information work is carried out by law enforcement officers in large labor "
            "associations.",
        )
        desk.accept(s, events["sko"], actor="anna")
        desk.accept(s, events["kg_quiz"], actor="boris")
        desk.accept(s, events["tj_heroin"], actor="boris")
        desk.reject(s, events["tj_heroin_repost"], "duplicate", actor="boris")
        desk.edit(
            s,
            events["kokshetau"],
            actor="anna",
            headline_en="Anti-drug campaign “Happiness in little things!” held in Kokshetau",
        )
    with session_scope(url) as s:
        desk.edit(s, events["kokshetau"], actor="boris", text_en=KOKSHETAU_EN)
        desk.accept(s, events["kokshetau"], actor="boris")


def take(out_dir: Path) -> list[Path]:
    from playwright.sync_api import sync_playwright

    from review.app import create_app

    executable = shutil.which("chromium")
    if executable is None:
        raise SystemExit("Debian's chromium is not installed (scripts/system-deps.sh)")
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'newsmon.sqlite'}"
        os.environ["DATABASE_URL"] = url
        schema.upgrade(url)
        with session_scope(url) as s:
            events = seed(s)
        _morning(url, events)
        app = create_app(database_url=url, data_dir=Path(tmp), secret_key="screenshots")
        server = make_server("127.0.0.1", 0, app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_port}"
        shots = [out_dir / "review-inbox.png", out_dir / "review-event.png"]
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=executable, headless=True, args=CHROMIUM_ARGS
                )
                page = browser.new_page(
                    viewport={"width": 1440, "height": 860}, base_url=base, locale="en-GB"
                )
                page.goto("/login")
                page.fill('input[name="name"]', "anna")
                page.fill('input[name="password"]', PASSWORD)
                page.click('button[type="submit"]')
                page.wait_for_url("**/inbox")
                page.goto("/inbox?period=2025-01")
                for _ in range(4):
                    page.keyboard.press("j")
                page.screenshot(path=str(shots[0]))
                page.goto(f"/events/{events['kokshetau']}?period=2025-01")
                page.locator("details.evidence").first.evaluate("d => d.open = true")
                page.set_viewport_size({"width": 1440, "height": 1130})
                page.screenshot(path=str(shots[1]))
                browser.close()
        finally:
            server.shutdown()
            dispose_engines()
    return shots


if __name__ == "__main__":
    for path in take(Path(sys.argv[1] if len(sys.argv) > 1 else "docs")):
        print(path)
