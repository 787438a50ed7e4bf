"""The DOCX edition: real heading styles (so Word builds a table of contents) and a TOC field."""

from __future__ import annotations

from docx import Document

from tests.release.reference import HEADLINES, LINKS, SECTIONS, SUMMARY


def test_sections_and_headlines_use_heading_styles(reference_build):
    document = Document(str(reference_build["docx"]))
    by_style: dict[str, list[str]] = {}
    for paragraph in document.paragraphs:
        by_style.setdefault(paragraph.style.name, []).append(paragraph.text)
    assert by_style["Heading 1"] == SECTIONS
    assert by_style["Heading 2"] == HEADLINES
    assert SUMMARY in by_style["Normal"]


def test_contents_is_a_toc_field_and_links_are_hyperlinks(reference_build):
    document = Document(str(reference_build["docx"]))
    xml = document.element.xml
    assert 'TOC \\o "1-1" \\h \\z \\u' in xml
    assert "w:updateFields" in document.settings.element.xml
    targets = [rel.target_ref for rel in document.part.rels.values() if rel.reltype.endswith("/hyperlink")]
    assert targets == LINKS
