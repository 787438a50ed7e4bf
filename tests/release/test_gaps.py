"""An English edition needs every event's English headline and text: the final build is refused
naming the events; ``--draft`` builds anyway with the gaps marked."""

from __future__ import annotations

import pytest

from newsmon.cli import main
from release.builder import IncompleteRelease, build_release
from storage.db import session_scope
from tests.release.conftest import html_text
from tests.release.reference import add_event

COMPLETE = "https://polisia.kz/ru/complete/"
NO_TEXT = "https://polisia.kz/ru/no-text/"
NO_HEADLINE = "https://mvd.gov.kg/rus/news/9001"


@pytest.fixture
def gappy_db(release_db) -> dict[str, int]:
    with session_scope(release_db) as session:
        ids = {
            "complete": add_event(session, url=COMPLETE, country="KZ", source_id=None, headline_en="Complete",
                                  text_en="Done.").id,
            "no_text": add_event(session, url=NO_TEXT, country="KZ", source_id=None,
                                 headline_en="Only a headline", title="Только заголовок",
                                 text="Оригинальный текст.").id,
            "no_headline": add_event(session, url=NO_HEADLINE, country="KG", source_id=None,
                                     text_en="Only text.", title="Викторина в Бишкеке").id,
        }
    return ids


def test_final_build_is_refused_naming_the_incomplete_events(gappy_db, release_db, tmp_path):
    with session_scope(release_db) as session, pytest.raises(IncompleteRelease) as refused:
        build_release(session, 2025, 1, ["md", "html"], "en", False, tmp_path / "out")
    message = str(refused.value)
    assert f"event #{gappy_db['no_text']} (KZ, {NO_TEXT}): no English text" in message
    assert f"event #{gappy_db['no_headline']} (KG, {NO_HEADLINE}): no English headline" in message
    assert f"#{gappy_db['complete']} " not in message
    assert "--draft" in message
    assert not (tmp_path / "out").exists()


def test_cli_final_build_fails_with_one_line_naming_the_events(gappy_db, release_db, tmp_path, capsys):
    out = str(tmp_path / "out")
    code = main(["release", "build", "--year", "2025", "--number", "1", "--format", "md", "-o", out])
    error = capsys.readouterr().err
    assert code == 2
    assert error.startswith("newsmon: error: cannot build the final en edition of release 2025 #1")
    assert NO_TEXT in error and NO_HEADLINE in error
    assert not (tmp_path / "out").exists()


def test_draft_build_marks_the_gaps(gappy_db, release_db, tmp_path):
    with session_scope(release_db) as session:
        html, markdown = build_release(session, 2025, 1, ["md", "html"], "en", True, tmp_path)
    assert markdown.name == "information-release-2025-01-en-draft.md"
    text = markdown.read_text(encoding="utf-8")
    assert "### \\[NO ENGLISH HEADLINE\\] ВИКТОРИНА В БИШКЕКЕ" in text
    assert "### ONLY A HEADLINE\n\n\\[NO ENGLISH TEXT\\]\n\nОригинальный текст." in text
    assert "**DRAFT**" in text
    page = html.read_text(encoding="utf-8")
    assert '<span class="gap">[NO ENGLISH HEADLINE]</span> ВИКТОРИНА В БИШКЕКЕ' in page
    assert '<p class="gap">[NO ENGLISH TEXT]</p>' in page
    assert "COMPLETE Done." in html_text(page)
