"""Renderers of the layout model: HTML and Markdown from the Jinja2 templates, PDF from that same
HTML through WeasyPrint, DOCX in :mod:`release.word`.

HTML and Markdown are deterministic: the same document renders to the same bytes (no dates,
no generator stamps, stable ids and order).
"""

from __future__ import annotations

import base64
import html
import logging
import re
from functools import cache, cached_property
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from release.model import ReleaseDocument
from release.summary import runs

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<])")
_MD_LINE_START = (
    (re.compile(r"^(#{1,6})(?=\s|$)"), r"\\\1"),
    (re.compile(r"^([-+*])(?=\s)"), r"\\\1"),
    (re.compile(r"^(\d+)([.)])(?=\s)"), r"\1\\\2"),
    (re.compile(r"^>"), r"\\>"),
    (re.compile(r"^(=+|-+)\s*$"), r"\\\1"),
)


def md_escape(text: str) -> str:
    """Text safe to put in a Markdown paragraph or heading: it renders as itself."""
    escaped = _MD_SPECIAL.sub(r"\\\1", text)
    for pattern, replacement in _MD_LINE_START:
        escaped = pattern.sub(replacement, escaped)
    return escaped


def md_rich(markup: str) -> str:
    """Summary markup as Markdown: escaped text, ``*italic*`` kept as emphasis."""
    parts = []
    for index, (text, italic) in enumerate(runs(markup)):
        escaped = _MD_SPECIAL.sub(r"\\\1", text)
        if index == 0:
            for pattern, replacement in _MD_LINE_START:
                escaped = pattern.sub(replacement, escaped)
        parts.append(f"*{escaped}*" if italic else escaped)
    return "".join(parts)


def html_rich(markup: str) -> Markup:
    """Summary markup as HTML: escaped text, ``*italic*`` as ``<i>``."""
    return Markup("".join(f"<i>{html.escape(t, quote=False)}</i>" if italic else html.escape(t, quote=False)
                          for t, italic in runs(markup)))


def heading_slug(title: str) -> str:
    """The anchor GitHub-style Markdown renderers give a heading (``REPUBLIC OF X`` -> ``republic-of-x``)."""
    text = re.sub(r"[^\w\- ]", "", title.strip().lower())
    return text.replace(" ", "-")


def svg_data_uri(svg: str) -> str:
    """An SVG as a ``data:`` URI for an ``<img>``: the chart is shown, never inlined as markup."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


@cache
def _environment() -> Environment:
    environment = Environment(
        loader=FileSystemLoader(str(TEMPLATES_DIR)),
        # HTML templates escape everything they insert; the Markdown one escapes with `md`.
        autoescape=select_autoescape(enabled_extensions=("html.j2",), default=False),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )
    environment.filters.update(rich=html_rich, md=md_escape, md_rich=md_rich, slug=heading_slug,
                               svg_data_uri=svg_data_uri)
    return environment


def render_html(doc: ReleaseDocument) -> str:
    """The standalone HTML file (styles inline): also what the PDF is made from."""
    return _environment().get_template("release.html.j2").render(doc=doc)


def render_markdown(doc: ReleaseDocument) -> str:
    text = _environment().get_template("release.md.j2").render(doc=doc)
    # Templates are written for readability; collapse the blank-line runs their tags leave.
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.rstrip("\n") + "\n"


class OncePerMessage(logging.Filter):
    """Lets each distinct message through once: WeasyPrint repeats the same font warning for
    every page and style that asks for a missing font, which tells the user nothing new."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: set[tuple[int, str]] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        key = (record.levelno, record.getMessage())
        if key in self.seen:
            return False
        self.seen.add(key)
        return True


@cache
def _quiet_weasyprint() -> None:
    logging.getLogger("weasyprint").addFilter(OncePerMessage())


class PagedRelease:
    """One edition laid out on A4 pages by WeasyPrint, once per build: the PDF is written from
    it and the DOCX takes its contents' page numbers from it."""

    def __init__(self, doc: ReleaseDocument) -> None:
        self.doc = doc

    @cached_property
    def document(self) -> Any:
        """The laid-out document (``weasyprint.Document``)."""
        from weasyprint import HTML  # type: ignore[import-untyped]

        _quiet_weasyprint()
        return HTML(string=render_html(self.doc), base_url=str(TEMPLATES_DIR)).render()

    def write_pdf(self, path: Path) -> None:
        """The PDF: the HTML above laid out on A4 pages by WeasyPrint, fonts embedded."""
        self.document.write_pdf(str(path))

    def section_pages(self) -> dict[str, int]:
        """The printed page number each country section starts on in the PDF (by section
        title): the contents page is page 1, as the PDF numbers it. The DOCX prints these in its
        contents."""
        first_page: dict[str, int] = {}
        for index, page in enumerate(self.document.pages):
            for anchor in page.anchors:
                first_page.setdefault(anchor, index)
        contents = first_page.get("contents", 0)
        listed = [(section.anchor, section.title) for section in self.doc.sections]
        if self.doc.annex is not None:
            listed.append((self.doc.annex.anchor, self.doc.annex.title))
        return {title: first_page[anchor] - contents + 1 for anchor, title in listed if anchor in first_page}
