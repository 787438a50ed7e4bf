"""The DOCX edition: real heading styles, and a contents list with the PDF's page numbers that
Word shows as it is (no field to update)."""

from __future__ import annotations

import re

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


def test_contents_lists_each_country_with_the_page_it_starts_on_in_the_pdf(reference_build):
    document = Document(str(reference_build["docx"]))
    start = next(i for i, p in enumerate(document.paragraphs) if p.text == "CONTENTS")
    lines = [p.text for p in document.paragraphs[start + 1 : start + 1 + len(SECTIONS)]]
    assert lines == [f"{title}\t{page}" for title, page in zip(SECTIONS, (2, 6, 7, 9), strict=True)]


def test_contents_lines_link_to_their_sections_and_nothing_asks_word_to_update(reference_build):
    document = Document(str(reference_build["docx"]))
    xml = document.element.xml
    anchors = re.findall(r'<w:hyperlink w:anchor="([^"]+)"', xml)
    bookmarks = re.findall(r'<w:bookmarkStart w:id="\d+" w:name="([^"]+)"/>', xml)
    assert anchors == bookmarks and len(anchors) == len(SECTIONS)
    assert "TOC \\o" not in xml and 'w:dirty="true"' not in xml
    assert "w:updateFields" not in document.settings.element.xml


def test_links_are_hyperlinks(reference_build):
    document = Document(str(reference_build["docx"]))
    targets = [rel.target_ref for rel in document.part.rels.values() if rel.reltype.endswith("/hyperlink")]
    assert targets == LINKS
