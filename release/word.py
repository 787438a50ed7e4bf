"""DOCX renderer (python-docx) of the layout model.

Country sections are ``Heading 1`` and event headlines ``Heading 2``, so Word's navigation pane
works and Word can build its own table of contents. The CONTENTS page is written out, not left
to a field Word asks to update: one line per country, linked to its heading (a bookmark), with a
dot leader and the page number the section starts on in the PDF's layout
(:meth:`release.render.PagedRelease.section_pages`), the printed release's numbers. Three document sections:
front (cover, masthead: no page numbers), body (contents and countries, numbered from 1) and the
back cover.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_COLOR_INDEX, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.section import Section as DocxSection
from docx.shared import Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph

from release.model import Entry, ReleaseDocument, StatisticsAnnex
from release.summary import runs

NAVY = RGBColor(0x16, 0x32, 0x5C)
ACCENT = RGBColor(0xB8, 0x91, 0x3A)
TEXT_WIDTH_MM = 210 - 25 - 20
_SECTPR_AFTER_PGNUMTYPE = (
    "cols", "formProt", "vAlign", "noEndnote", "titlePg", "textDirection", "bidi", "rtlGutter", "docGrid",
    "printerSettings", "sectPrChange",
)


def write_docx(
    doc: ReleaseDocument,
    path: Path,
    *,
    font: str = "Times New Roman",
    section_pages: Mapping[str, int] | None = None,
) -> None:
    """The DOCX; ``section_pages`` (section title -> page) fills the contents' page numbers."""
    document = Document()
    _styles(document, font)
    _metadata(document, doc)

    front = document.sections[0]
    _page_setup(front)
    _cover(document, doc)
    _page_break(document)
    _masthead(document, doc)

    body = document.add_section(WD_SECTION.NEW_PAGE)
    _page_setup(body)
    _number_pages_from_one(body)
    _contents(document, doc, section_pages or {})
    for section in doc.sections:
        heading = document.add_heading(level=1)
        _bookmark(heading, section.anchor, section.title)
        heading.paragraph_format.page_break_before = True
        for entry in section.entries:
            _entry(document, doc, entry)
    if doc.annex is not None:
        _annex(document, doc.annex)

    back = document.add_section(WD_SECTION.NEW_PAGE)
    _page_setup(back)
    for inherited in back._sectPr.findall(qn("w:pgNumType")):
        back._sectPr.remove(inherited)
    back.footer.is_linked_to_previous = False
    _back_cover(document, doc)
    document.save(str(path))
    _normalise_zip(path)


# --- styles and document settings -----------------------------------------------------------


def _styles(document: DocxDocument, font: str) -> None:
    normal = document.styles["Normal"]
    normal.font.name = font
    normal.font.size = Pt(12)
    _all_scripts(normal.element, font)
    normal.paragraph_format.space_after = Pt(6)
    for name, size in (("Heading 1", 15), ("Heading 2", 12)):
        style = document.styles[name]
        style.font.name = font
        style.font.size = Pt(size)
        style.font.bold = True
        style.font.italic = False
        style.font.color.rgb = NAVY
        _all_scripts(style.element, font)
        style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
        style.paragraph_format.space_before = Pt(12 if name == "Heading 2" else 0)
        style.paragraph_format.space_after = Pt(12 if name == "Heading 1" else 6)
        style.paragraph_format.keep_with_next = True


def _all_scripts(style_element: Any, font: str) -> None:
    """Use ``font`` for Latin, Cyrillic (hAnsi/cs) and East Asian runs alike."""
    fonts = style_element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), font)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
        if fonts.get(qn(theme)) is not None:
            del fonts.attrib[qn(theme)]


def _metadata(document: DocxDocument, doc: ReleaseDocument) -> None:
    properties = document.core_properties
    properties.title = doc.document_title
    properties.subject = " ".join(doc.text.subtitle)
    properties.author = doc.text.organisation_short
    properties.language = doc.edition
    properties.keywords = f"{doc.year} #{doc.number} {doc.period_text}"
    properties.comments = ""
    # Dated to the period, not the build, so that the same data gives the same file.
    as_of = datetime(doc.period.end.year, doc.period.end.month, doc.period.end.day, tzinfo=UTC)
    properties.created = as_of
    properties.modified = as_of


def _page_setup(section: DocxSection) -> None:
    section.page_width = Mm(210)
    section.page_height = Mm(297)
    section.top_margin = Mm(22)
    section.bottom_margin = Mm(22)
    section.left_margin = Mm(25)
    section.right_margin = Mm(20)


def _number_pages_from_one(section: DocxSection) -> None:
    number_type = OxmlElement("w:pgNumType")
    number_type.set(qn("w:start"), "1")
    properties = section._sectPr
    # CT_SectPr is a sequence too: pgNumType comes before cols, titlePg, docGrid …
    later = {qn(f"w:{name}") for name in _SECTPR_AFTER_PGNUMTYPE}
    following = next((child for child in properties if child.tag in later), None)
    if following is None:
        properties.append(number_type)
    else:
        following.addprevious(number_type)
    footer = section.footer
    footer.is_linked_to_previous = False
    paragraph = footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _field(paragraph, "PAGE", "1")


def _normalise_zip(path: Path) -> None:
    """Rewrite the package with fixed member timestamps: byte-identical output for the same data."""
    with zipfile.ZipFile(path) as package:
        members = [(info.filename, package.read(info.filename)) for info in package.infolist()]
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as package:
        for name, data in members:
            package.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), data,
                             compress_type=zipfile.ZIP_DEFLATED)


# --- building blocks ----------------------------------------------------------------------------


def _bookmark(paragraph: Paragraph, name: str, text: str) -> None:
    """``text`` in ``paragraph``, inside a bookmark ``name`` (the target of an internal link)."""
    start = OxmlElement("w:bookmarkStart")
    start.set(qn("w:id"), str(zlib.crc32(name.encode()) % 100_000))  # stable: same data, same file
    start.set(qn("w:name"), name)
    end = OxmlElement("w:bookmarkEnd")
    end.set(qn("w:id"), start.get(qn("w:id")))
    paragraph._p.append(start)
    paragraph.add_run(text)
    paragraph._p.append(end)


def _internal_link(paragraph: Paragraph, bookmark: str) -> Any:
    """A ``w:hyperlink`` to a bookmark of the document, appended to ``paragraph``."""
    link = OxmlElement("w:hyperlink")
    link.set(qn("w:anchor"), bookmark)
    link.set(qn("w:history"), "1")
    paragraph._p.append(link)
    return link


def _run_in(link: Any, text: str) -> Any:
    """A run holding ``text`` inside ``link`` (python-docx's Run over the new element)."""
    from docx.text.run import Run

    element = OxmlElement("w:r")
    link.append(element)
    run = Run(element, link)
    run.text = text
    return run


def _field(paragraph: Paragraph, instruction: str, placeholder: str) -> None:
    """A complex field (``{ PAGE }``) showing ``placeholder`` until Word lays the page out."""

    def char(kind: str) -> None:
        run = paragraph.add_run()
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        run._r.append(element)

    char("begin")
    run = paragraph.add_run()
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {instruction} "
    run._r.append(text)
    char("separate")
    paragraph.add_run(placeholder)
    char("end")


def _centered(
    document: DocxDocument,
    text: str = "",
    *,
    size: float | None = None,
    bold: bool = False,
    italic: bool = False,
    color: RGBColor | None = None,
    before: float = 0,
    after: float = 6,
) -> Paragraph:
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.space_before = Pt(before)
    paragraph.paragraph_format.space_after = Pt(after)
    if text:
        run = paragraph.add_run(text)
        run.bold = bold
        run.italic = italic
        if size:
            run.font.size = Pt(size)
        if color is not None:
            run.font.color.rgb = color
    return paragraph


def _lines(paragraph: Paragraph, lines: list[str] | tuple[str, ...], *, bold: bool = False,
           italic: bool = False, size: float | None = None) -> None:
    for index, line in enumerate(lines):
        run = paragraph.add_run(line)
        run.bold = bold
        run.italic = italic
        if size:
            run.font.size = Pt(size)
        if index < len(lines) - 1:
            run.add_break(WD_BREAK.LINE)


def _page_break(document: DocxDocument) -> None:
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _hyperlink(paragraph: Paragraph, url: str) -> None:
    relation = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), relation)
    run = OxmlElement("w:r")
    properties = OxmlElement("w:rPr")
    color = OxmlElement("w:color")
    color.set(qn("w:val"), "16325C")
    properties.append(color)
    size = OxmlElement("w:sz")
    size.set(qn("w:val"), "19")
    properties.append(size)
    run.append(properties)
    text = OxmlElement("w:t")
    text.set(qn("xml:space"), "preserve")
    text.text = url
    run.append(text)
    link.append(run)
    paragraph._p.append(link)


# --- pages ---------------------------------------------------------------------------------------


def _cover(document: DocxDocument, doc: ReleaseDocument) -> None:
    t = doc.text
    _centered(document, t.organisation_short, size=11, color=NAVY, before=60, after=24)
    _centered(document, t.title, size=28, bold=True, color=NAVY, after=18)
    subtitle = _centered(document, after=48)
    _lines(subtitle, t.subtitle, size=15)
    _centered(document, doc.period_text, size=22, bold=True, color=NAVY, after=12)
    _centered(document, doc.number_label, size=36, bold=True, color=ACCENT, after=12)
    if doc.draft:
        _centered(document, t.draft_label, size=20, bold=True, color=RGBColor(0xB3, 0x26, 0x1E), after=12)
    _centered(document, doc.place_line, size=14, color=NAVY, before=150)


def _masthead(document: DocxDocument, doc: ReleaseDocument) -> None:
    t = doc.text
    _centered(document, doc.masthead_title, size=16, bold=True, color=NAVY, before=24, after=18)
    name = _centered(document, after=36)
    _lines(name, t.organisation_name, italic=True)
    _centered(document, t.editorial_address, bold=True, color=NAVY, after=6)
    for line in (
        t.address,
        f"{t.phone_label} {doc.organisation.phone}",
        f"{t.fax_label} {doc.organisation.fax}",
        f"{doc.organisation.email} {doc.organisation.site}",
    ):
        _centered(document, line, after=3)
    masthead_name = _centered(document, before=120)
    _lines(masthead_name, doc.masthead_name, size=11)
    _centered(document, t.circulation, size=11)


def _contents(document: DocxDocument, doc: ReleaseDocument, pages: Mapping[str, int]) -> None:
    _centered(document, doc.text.contents, size=15, bold=True, color=NAVY, after=12)
    listed = [(section.anchor, section.title) for section in doc.sections]
    if doc.annex is not None:
        listed.append((doc.annex.anchor, doc.annex.title))
    for anchor, title in listed:
        line = document.add_paragraph()
        line.paragraph_format.space_after = Pt(4)
        tabs = line.paragraph_format.tab_stops
        tabs.add_tab_stop(Mm(TEXT_WIDTH_MM), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)
        link = _internal_link(line, anchor)
        run = _run_in(link, title)
        run.italic = True
        page = pages.get(title)
        if page is not None:
            line.add_run(f"\t{page}")
    for markup in (doc.summary, doc.topic_paragraph):
        if not markup:
            continue
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        paragraph.paragraph_format.first_line_indent = Mm(12.5)
        paragraph.paragraph_format.space_before = Pt(12)
        for text, italic in runs(markup):
            paragraph.add_run(text).italic = italic


def _annex(document: DocxDocument, annex: StatisticsAnnex) -> None:
    """The statistics annex: its heading, the chart (PNG) and the table of the same numbers."""
    heading = document.add_heading(level=1)
    _bookmark(heading, annex.anchor, annex.title)
    heading.paragraph_format.page_break_before = True
    document.add_picture(io.BytesIO(annex.png), width=Mm(TEXT_WIDTH_MM))
    caption = document.add_paragraph()
    caption.add_run(annex.caption).italic = True
    table = document.add_table(rows=1, cols=len(annex.countries) + 2)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, (annex.period_label, *annex.countries, annex.total_label),
                          strict=True):
        cell.text = text
    for period, row, total in annex.rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, (period, *map(str, row), str(total)), strict=True):
            cell.text = text


def _entry(document: DocxDocument, doc: ReleaseDocument, entry: Entry) -> None:
    t = doc.text
    heading = document.add_heading(level=2)
    if "headline" in entry.missing and entry.headline.startswith(t.missing_headline):
        marker = heading.add_run(t.missing_headline)
        marker.font.highlight_color = WD_COLOR_INDEX.YELLOW
        heading.add_run(entry.headline[len(t.missing_headline) :])
    else:
        heading.add_run(entry.headline)
    for index, text in enumerate(entry.paragraphs):
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        run = paragraph.add_run(text)
        if index == 0 and "text" in entry.missing and text == t.missing_text:
            run.bold = True
            run.font.highlight_color = WD_COLOR_INDEX.YELLOW
    if entry.url:  # only an http(s) URL reaches the model (release.builder)
        source = document.add_paragraph()
        _hyperlink(source, entry.url)


def _back_cover(document: DocxDocument, doc: ReleaseDocument) -> None:
    t = doc.text
    name = _centered(document, before=420, after=12)
    _lines(name, t.organisation_name, bold=True, size=11)
    for line in (
        t.address,
        f"{t.phone_label} {doc.organisation.phone}",
        f"{t.fax_label} {doc.organisation.fax}",
        f"{doc.organisation.email} {doc.organisation.site}",
    ):
        _centered(document, line, size=10.5, after=2)
