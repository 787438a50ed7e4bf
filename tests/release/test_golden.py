"""Golden test: the reference issue (#1, 1–15.01.2025) rebuilt from its nine events.

The expected strings are the reference's own (tests/release/reference.py); the database holds
the events as review leaves them (accepted, English headline and text, position), built once
per module in every format.
"""

from __future__ import annotations

import re

from release.builder import build_release
from storage.db import session_scope
from storage.models import Release
from tests.release.conftest import html_text, markdown_text, pdf_pages, pdf_text, squash
from tests.release.reference import (
    COVER_LINES,
    HEADLINES,
    LINKS,
    MASTHEAD_LINES,
    SECTIONS,
    SUMMARY,
    TOPIC_PHRASES,
    TOPIC_SENTENCE,
    decisions,
)


def _in_order(text: str, needles: list[str]) -> None:
    position = 0
    for needle in needles:
        found = text.find(needle, position)
        assert found >= 0, f"{needle!r} missing (or out of order) after offset {position}"
        position = found + len(needle)


def _check_reference_text(text: str) -> None:
    for line in COVER_LINES + MASTHEAD_LINES:
        assert line in text, line
    assert SUMMARY in text
    # Sections in the reference's order, each headline in its section, in order.
    body = text[text.index(SUMMARY) :]
    _in_order(body, [SECTIONS[0], *HEADLINES[:5], SECTIONS[1], HEADLINES[5], SECTIONS[2], *HEADLINES[6:8],
                     SECTIONS[3], HEADLINES[8]])


def test_markdown_reproduces_the_reference(reference_build):
    markdown = reference_build["md"].read_text(encoding="utf-8")
    text = markdown_text(markdown)
    _check_reference_text(text)
    for link in LINKS:
        assert f"<{link}>" in markdown
    assert [line[3:] for line in markdown.splitlines() if line.startswith("## ")] == ["CONTENTS", *SECTIONS]
    assert [line[4:] for line in markdown.splitlines() if line.startswith("### ")] == HEADLINES


def test_html_reproduces_the_reference(reference_build):
    markup = reference_build["html"].read_text(encoding="utf-8")
    _check_reference_text(html_text(markup))
    for link in LINKS:
        assert f'<a href="{link}">{link}</a>' in markup
    # The whole text of every event, paragraph by paragraph.
    for decision in decisions():
        for paragraph in decision["text_en"].split("\n\n"):
            assert squash(paragraph) in html_text(markup)


def test_pdf_text_reproduces_the_reference(reference_build):
    text = squash(pdf_text(reference_build["pdf"]))
    _check_reference_text(text)
    # Long links wrap at any character: compare them with all whitespace removed.
    compact = re.sub(r"\s+", "", text)
    for link in LINKS:
        assert link in compact


def test_pdf_contents_page_numbers_are_the_pages_sections_start_on(reference_build):
    pdf = reference_build["pdf"]
    pages = pdf_pages(pdf)
    contents_page = next(n for n in range(1, pages + 1) if "CONTENTS" in pdf_text(pdf, n))
    listed = {}
    for line in pdf_text(pdf, contents_page).splitlines():
        match = re.match(r"^\s*(.+?)\s*(?:\. )+\.?\s*(\d+)\s*$", line)
        if match:
            listed[match.group(1)] = int(match.group(2))
    assert list(listed) == SECTIONS

    starts = {}
    for page in range(contents_page + 1, pages + 1):
        lines = [line.strip() for line in pdf_text(pdf, page).splitlines() if line.strip()]
        # lines[0] is the running header, lines[-1] the printed page number.
        if len(lines) > 2 and lines[1] in SECTIONS:
            assert lines[-1].isdigit(), f"page {page} has no page number"
            starts[lines[1]] = int(lines[-1])
    assert starts == listed
    # Numbering starts at 1 on the contents page, after the unnumbered cover and masthead.
    assert pdf_text(pdf, contents_page).split()[-1] == "1"


def test_editor_topic_phrases_reproduce_the_reference_topic_sentence(reference_db, tmp_path):
    with session_scope(reference_db) as session:
        session.add(
            Release(year=2025, number=1, period_text="1-15.01.2025", topic_sentences={"en": TOPIC_PHRASES})
        )
    with session_scope(reference_db) as session:
        [markdown] = build_release(session, 2025, 1, ["md"], "en", False, tmp_path)
    assert TOPIC_SENTENCE in markdown_text(markdown.read_text(encoding="utf-8"))
