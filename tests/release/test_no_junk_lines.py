"""No line of page chrome reaches the release built from the mirror's demo data (#18).

The mirror's hand-written articles (their pages as the mirror serves them, chrome and all) are
tagged as the crawl tags them, stored, the demo's bundled analyst decisions applied, and release
#1 2025 built in both editions. Junk is what ``config/boilerplate.toml`` calls chrome
(:func:`pipeline.boilerplate.is_junk_line`) and the chrome the demo once printed.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import mirror
from config import load_sources
from core.types import PageInput
from desk.decisions import apply_file
from mirror.bodies import fetch
from newsmon.demo import demo_decisions_file
from pipeline.boilerplate import is_junk_line
from pipeline.runner import tag_page
from release.builder import assemble_release, build_release
from storage import schema
from storage.db import dispose_engines, session_scope
from storage.repository import sync_sources, upsert_article
from tests.release.conftest import html_text, markdown_text

PRINTED_CHROME = ("Поместить ссылку", "Пн | Вт", "ОК | Telegram", "Версия для печати", "Все материалы сайта")
"""What the demo's release printed before #18 (and the old мвд.рф template adds)."""


@pytest.fixture(scope="module")
def demo_release(tmp_path_factory) -> Iterator[tuple[str, Path]]:
    folder = tmp_path_factory.mktemp("demo-release")
    url = f"sqlite:///{folder / 'newsmon.sqlite'}"
    schema.upgrade(url)
    with mirror.MirrorServer(port=0, latency_s=0.0, synthetic=0, faults=None) as server:
        pages = [
            PageInput(
                url=article.url,
                source_id=article.source_id,
                html=fetch(server.url, article.url),
                title=article.title,
                site_published=article.published,
                declared_language=article.language,
                alternates=dict(article.alternates),
            )
            for article in mirror.articles(synthetic=0)
        ]
    with session_scope(url) as session:
        sync_sources(session, load_sources())
        for page in pages:
            upsert_article(session, tag_page(page))
    apply_file(demo_decisions_file(), actor="cli:bulk", database_url=url)
    yield url, folder
    dispose_engines()


@pytest.mark.parametrize("edition", ["ru", "en"])
def test_no_paragraph_of_the_release_is_a_junk_line(demo_release, edition) -> None:
    url, _ = demo_release
    with session_scope(url) as session:
        document = assemble_release(session, 2025, 1, edition, draft=True)
    paragraphs = [p for section in document.sections for entry in section.entries for p in entry.paragraphs]
    assert len(document.entries) >= 9 and paragraphs
    assert [p for p in paragraphs if is_junk_line(p)] == []


@pytest.mark.parametrize("edition", ["ru", "en"])
def test_the_rendered_release_holds_none_of_the_chrome_it_once_printed(demo_release, edition) -> None:
    url, folder = demo_release
    with session_scope(url) as session:
        paths = build_release(session, 2025, 1, ["html", "md"], edition, draft=True, out_dir=folder / edition)
    rendered = {path.suffix: path.read_text(encoding="utf-8") for path in paths}
    texts = [html_text(rendered[".html"]), markdown_text(rendered[".md"])]
    assert [chrome for chrome in PRINTED_CHROME for text in texts if chrome in text] == []
    assert "Пресс-служба ГУ МВД России по Алтайскому краю" in texts[1] or edition == "en"
