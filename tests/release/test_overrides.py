"""The editor's overrides on the Release row replace what is generated."""

from __future__ import annotations

from release.builder import assemble_release
from storage.db import session_scope
from storage.models import Release
from tests.release.reference import SUMMARY


def _release(url: str, **fields) -> None:
    with session_scope(url) as session:
        session.add(Release(year=2025, number=1, period_text="1-15.01.2025", **fields))


def test_without_overrides_the_summary_is_generated(reference_db):
    with session_scope(reference_db) as session:
        doc = assemble_release(session, 2025, 1)
    assert doc.summary_generated
    assert doc.summary == SUMMARY.replace("(Kazakhstan", "(*Kazakhstan").replace("- 1).", "- 1*).")


def test_editor_summary_replaces_the_generated_one_in_its_edition_only(reference_db):
    _release(reference_db, summary_en="Nine events were covered (*see below*).", summary_ru="  ")
    with session_scope(reference_db) as session:
        english = assemble_release(session, 2025, 1, "en")
        russian = assemble_release(session, 2025, 1, "ru", draft=True)
    assert (english.summary, english.summary_generated) == ("Nine events were covered (*see below*).", False)
    assert russian.summary_generated and russian.summary.startswith("В период с 1 по 15 января 2025 года")


def test_an_empty_topic_phrase_leaves_the_country_out(reference_db):
    _release(reference_db, topic_sentences={"en": {"KG": "", "TJ": "on a school meeting"}})
    with session_scope(reference_db) as session:
        doc = assemble_release(session, 2025, 1)
    assert "(*Kyrgyzstan" not in doc.topic_paragraph and "KG" not in doc.topic_phrases
    assert doc.topic_drafts["KG"] == "on preventive activities carried out by police officers"
    assert doc.topic_paragraph.endswith("on a school meeting (*Tajikistan*).")
