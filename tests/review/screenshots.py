"""Take the review UI screenshots of the docs: ``python -m tests.review.screenshots [OUT_DIR]``.

Seeds a throw-away database with the stories of release #1 2025 and a morning's work on them,
serves the app on a free local port and photographs the inbox and an event page with Debian's
chromium (``docs/review-inbox.png``, ``docs/review-event.png``); adds seizure stories of the
following periods for the trends dashboard (``docs/review-trends.png``) and photographs an event's
facts (``docs/review-facts.png``) and the preview of a merge (``docs/review-merge.png``).
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


SEIZURES = [
    # (period day, reporting country, text) of seizure stories after release #1, for the trends
    ("2025-01-20", "KZ", "Полицейские изъяли 2 кг героина и задержали двух курьеров."),
    ("2025-02-04", "KZ", "У жителя Шымкента изъяли 1,5 кг гашиша и 300 граммов мефедрона."),
    ("2025-02-18", "KG", "Сотрудники СБНОН изъяли 12 кг гашиша, задержан житель Оша."),
    ("2025-02-25", "KZ", "Изъято 4 кг героина, задержаны трое."),
    ("2025-03-05", "TJ", "Сотрудники АКН изъяли 8 кг героина у жителя Хатлонской области."),
    ("2025-03-10", "KZ", "Изъято 700 граммов мефедрона, задержан курьер."),
    ("2025-03-20", "KG", "Изъято 3 кг гашиша и 1 кг героина."),
]


def _later_seizures(url: str) -> None:
    """Accepted seizure stories of the periods after #1, so the trends have a line to draw."""
    from dataclasses import replace
    from datetime import UTC, datetime

    from pipeline.facts import extract_facts
    from storage.repository import upsert_article
    from tests.factories import tagged_article

    with session_scope(url) as s:
        for number, (day, country, text) in enumerate(SEIZURES):
            published = datetime.fromisoformat(day).replace(hour=6, tzinfo=UTC)
            article = tagged_article(
                url=f"https://polisia.kz/ru/seizure-{number}/", title=text, text=text, published=published
            )
            article = replace(article, country=country, topic="seizure_arrest")
            facts = extract_facts(text, language="ru", country=country)
            stored = upsert_article(s, replace(article, facts=facts))
            desk.accept(s, stored.event_id, actor="boris")


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
        _later_seizures(url)
        app = create_app(database_url=url, data_dir=Path(tmp), secret_key="screenshots")
        server = make_server("127.0.0.1", 0, app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_port}"
        shots = [out_dir / f"review-{name}.png" for name in ("inbox", "event", "facts", "trends", "merge")]
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
                for key in ("akmola", "ulytau"):  # ticked for a bulk decision
                    page.check(f"#ev-{events[key]} input.bulk-pick")
                page.screenshot(path=str(shots[0]))
                page.goto(f"/events/{events['kokshetau']}?period=2025-01")
                page.locator("details.evidence").first.evaluate("d => d.open = true")
                page.set_viewport_size({"width": 1440, "height": 1130})
                page.screenshot(path=str(shots[1]))
                page.goto(f"/events/{events['tj_heroin']}?period=2025-01")
                page.set_viewport_size({"width": 1440, "height": 900})
                page.screenshot(path=str(shots[2]), full_page=True)
                page.goto("/trends?from=2025-01&to=2025-06&by=substance")
                page.wait_for_function("document.querySelector('#trend-chart').naturalWidth > 0")
                page.set_viewport_size({"width": 1440, "height": 1300})
                page.screenshot(path=str(shots[3]), full_page=True)
                page.goto(
                    f"/events/{events['tj_heroin']}/merge/preview"
                    f"?other={events['tj_heroin_repost']}&period=2025-01"
                )
                page.set_viewport_size({"width": 1440, "height": 760})
                page.screenshot(path=str(shots[4]), full_page=True)
                browser.close()
        finally:
            server.shutdown()
            dispose_engines()
    return shots


if __name__ == "__main__":
    for path in take(Path(sys.argv[1] if len(sys.argv) > 1 else "docs")):
        print(path)
