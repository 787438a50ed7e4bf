"""Assembling a release edition from the database and writing its files.

:func:`assemble_release` turns the accepted events of a period and the editor's overrides on the
:class:`~storage.models.Release` row into the layout model; :func:`build_release` renders it in
the requested formats, records the files on the row (creating it if absent) and audits the build.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from core.errors import UserError
from core.facts import Facts
from core.urls import is_web_url
from desk import record_build, release_period
from desk.leads import lead_article
from release.annex import statistics_annex
from release.events import event_date, missing_translation, paragraphs, release_events
from release.model import Entry, ReleaseDocument, Section
from release.settings import EDITIONS, ReleaseSettings, load_release_settings
from release.summary import count_by_country, draft_topic_phrases, summary_sentence, topic_paragraph
from storage.db import Session
from storage.events import effective_facts
from storage.models import Event, utcnow
from storage.releases import find_release

if TYPE_CHECKING:
    from release.render import PagedRelease

FORMATS = ("pdf", "docx", "html", "md")
EXTENSIONS = {"pdf": ".pdf", "docx": ".docx", "html": ".html", "md": ".md"}
NO_COUNTRY = ""


class IncompleteRelease(UserError):
    """A final build was asked for while events still lack what the edition prints."""


def parse_formats(values: Iterable[str]) -> tuple[str, ...]:
    """``["pdf", "md"]``, ``["all"]`` or ``["pdf,md"]`` -> formats in canonical order."""
    wanted: set[str] = set()
    for value in values:
        for name in value.split(","):
            name = name.strip().lower()
            if not name:
                continue
            if name == "all":
                wanted.update(FORMATS)
            elif name in FORMATS:
                wanted.add(name)
            else:
                raise UserError(f"unknown format {name!r}: choose from {', '.join(FORMATS)} or all")
    if not wanted:
        raise UserError(f"no format given: choose from {', '.join(FORMATS)} or all")
    return tuple(name for name in FORMATS if name in wanted)


def check_edition(edition: str) -> str:
    if edition not in EDITIONS:
        raise UserError(f"unknown edition {edition!r}: choose from {', '.join(EDITIONS)}")
    return edition


# --- the layout model ---------------------------------------------------------------------------


def assemble_release(
    session: Session,
    year: int,
    number: int,
    edition: str = "en",
    *,
    draft: bool = False,
    settings: ReleaseSettings | None = None,
) -> ReleaseDocument:
    """The layout model of one edition: events in section order, summary, topic sentences.

    Gaps (an event without the edition's headline/text, or without a country) are marked in the
    entries (``Entry.missing``) whatever ``draft`` says; :func:`check_final` refuses them.
    """
    settings = settings or load_release_settings()
    check_edition(edition)
    period = release_period(year, number)
    text = settings.edition(edition)
    release = find_release(session, period)

    groups: list[tuple[str, list[Entry]]] = []
    topics: dict[str, list[str | None]] = {}
    seizure_facts: dict[str, list[Facts]] = {}
    for event in release_events(session, year, number, settings=settings):
        code = event.section_country or NO_COUNTRY
        if not groups or groups[-1][0] != code:
            groups.append((code, []))
        entry = _entry(session, event, edition, settings)
        groups[-1][1].append(entry)
        if code:
            topics.setdefault(code, []).append(event.effective_topic)
            if event.effective_topic == "seizure_arrest":
                seizure_facts.setdefault(code, []).append(entry.facts)
    sections = [_section(code, entries, edition, settings) for code, entries in groups]

    counts = count_by_country(entry.country for section in sections for entry in section.entries)
    override = getattr(release, f"summary_{edition}", None) if release is not None else None
    summary = override.strip() if override and override.strip() else None
    drafts = draft_topic_phrases(topics, edition, settings=settings, seizure_facts=seizure_facts)
    phrases = dict(drafts)
    edited = ((release.topic_sentences or {}).get(edition) or {}) if release is not None else {}
    for code in list(phrases):
        if code in edited and isinstance(edited[code], str):
            phrases[code] = edited[code].strip()
    phrases = {code: phrase for code, phrase in phrases.items() if phrase}

    return ReleaseDocument(
        year=year,
        number=number,
        period=period,
        edition=edition,
        draft=draft,
        text=text,
        organisation=settings.organisation,
        number_label=text.number_label.format(number=number),
        place_line=text.place_line.format(place=text.place, year=year),
        masthead_title=text.masthead_title.format(org=text.organisation_short),
        masthead_name=tuple(line.format(number=number, year=year) for line in text.masthead_name),
        summary=summary or summary_sentence(period, counts, edition, settings=settings, markup=True),
        summary_generated=summary is None,
        topic_paragraph=topic_paragraph(phrases, edition, settings=settings, markup=True),
        topic_phrases=phrases,
        sections=tuple(sections),
        counts=counts,
        topic_drafts=drafts,
        annex=statistics_annex(session, period, edition, settings),
    )


def _section(code: str, entries: list[Entry], edition: str, settings: ReleaseSettings) -> Section:
    if not code:
        missing = settings.edition(edition).missing_country
        return Section(country=NO_COUNTRY, anchor="section-none", title=missing, short=missing,
                       entries=tuple(entries))
    return Section(
        country=code,
        anchor=f"section-{code.lower()}",
        title=settings.country_title(code, edition),
        short=settings.country_short(code, edition),
        entries=tuple(entries),
    )


def _entry(session: Session, event: Event, edition: str, settings: ReleaseSettings) -> Entry:
    text = settings.edition(edition)
    lead = lead_article(event)
    original_title = " ".join((lead.title if lead is not None else "").split())
    original = paragraphs(lead.text if lead is not None else "")
    if edition == "en":
        missing = list(missing_translation(event))
        headline = (event.headline_en or "").strip()
        body = paragraphs(event.text_en)
    else:
        missing = [gap for gap, value in (("headline", original_title), ("text", original)) if not value]
        headline = original_title
        body = original
    if "headline" in missing:
        headline = f"{text.missing_headline} {original_title}".strip()
    if "text" in missing:
        body = (text.missing_text, *original)
    if not event.section_country:
        missing.append("country")
    url = lead.url.strip() if lead is not None and lead.url else ""
    if not is_web_url(url):
        missing.append("link")  # never a javascript:/data: link in any format; a final build refuses
        url = ""
    return Entry(
        event_id=event.id,
        country=event.section_country or NO_COUNTRY,
        headline=" ".join(headline.split()).upper(),
        paragraphs=body,
        url=url,
        published=event_date(session, event, lead),
        language=lead.language if lead is not None else None,
        topic=event.effective_topic,
        source=(lead.source_id or lead.host) if lead is not None else None,
        original_title=original_title,
        facts=effective_facts(event),
        missing=tuple(missing),
    )


def check_final(doc: ReleaseDocument) -> None:
    """Refuse a final build of an edition with gaps, naming every event that has one."""
    if not doc.entries:
        raise IncompleteRelease(
            f"release {doc.year} #{doc.number} ({doc.period_text}) has no accepted events; "
            "accept events in review first, or build with --draft"
        )
    gaps = doc.gaps
    if not gaps:
        return
    what = {
        "headline": "English headline" if doc.edition == "en" else "headline",
        "text": "English text" if doc.edition == "en" else "text",
        "country": "country",
        "link": "http(s) link to the article",
    }
    lines = [
        f"event #{entry.event_id} ({entry.country or 'no country'}, {entry.url or 'no article'}): "
        f"no {' and no '.join(what[gap] for gap in entry.missing)}"
        for entry in gaps
    ]
    raise IncompleteRelease(
        f"cannot build the final {doc.edition} edition of release {doc.year} #{doc.number}: "
        f"{len(gaps)} of {len(doc.entries)} events are incomplete — " + "; ".join(lines)
        + ". Complete them in review, or build with --draft (gaps are marked)."
    )


# --- writing files ------------------------------------------------------------------------------


def output_name(year: int, number: int, edition: str, draft: bool, fmt: str,
                settings: ReleaseSettings | None = None) -> str:
    settings = settings or load_release_settings()
    stem = settings.output.file_stem.format(year=year, number=number)
    return f"{stem}-{edition}{'-draft' if draft else ''}{EXTENSIONS[fmt]}"


def render_to(
    doc: ReleaseDocument, fmt: str, path: Path, settings: ReleaseSettings, paged: PagedRelease | None = None
) -> None:
    """Write one format of the document to ``path`` (through a temporary file, then renamed);
    ``paged`` is the build's page layout, shared by the PDF and the DOCX's contents."""
    from release.render import PagedRelease, render_html, render_markdown
    from release.word import write_docx

    paged = paged or PagedRelease(doc)

    temporary = path.with_name(f".{path.name}.part")
    try:
        if fmt == "html":
            temporary.write_text(render_html(doc), encoding="utf-8", newline="\n")
        elif fmt == "md":
            temporary.write_text(render_markdown(doc), encoding="utf-8", newline="\n")
        elif fmt == "pdf":
            paged.write_pdf(temporary)
        elif fmt == "docx":
            write_docx(doc, temporary, font=settings.output.docx_font, section_pages=paged.section_pages())
        else:
            raise UserError(f"unknown format {fmt!r}")
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def build_release(
    session: Session,
    year: int,
    number: int,
    formats: Sequence[str] = ("pdf",),
    edition: str = "en",
    draft: bool = False,
    out_dir: Path | str | None = None,
    *,
    actor: str = "system:release",
    settings: ReleaseSettings | None = None,
) -> list[Path]:
    """Render release ``number`` of ``year`` and return the paths written, in ``FORMATS`` order.

    A final build (``draft=False``) of an edition with gaps raises :class:`IncompleteRelease`
    naming the events, before anything is written. The files are recorded on the ``Release`` row
    (one entry per edition and format, replacing the previous build's) and audited.
    """
    settings = settings or load_release_settings()
    formats = parse_formats(formats)
    doc = assemble_release(session, year, number, edition, draft=draft, settings=settings)
    if not draft:
        check_final(doc)
    directory = Path(out_dir if out_dir is not None else settings.output.directory)
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(f"cannot create the output folder {directory}: {exc.strerror}") from exc

    from release.render import PagedRelease

    written: list[Path] = []
    paged = PagedRelease(doc)  # laid out once, if a PDF or a DOCX asks for it
    for fmt in formats:
        path = directory / output_name(year, number, edition, draft, fmt, settings)
        try:
            render_to(doc, fmt, path, settings, paged)
        except OSError as exc:
            raise UserError(f"cannot write {path}: {exc.strerror}") from exc
        written.append(path)

    _record(session, doc, written, formats, actor=actor)
    return written


def _record(
    session: Session, doc: ReleaseDocument, paths: list[Path], formats: Sequence[str], *, actor: str
) -> None:
    """Record the files written on the release row (:func:`desk.record_build`)."""
    now = utcnow()
    built = [
        {
            "edition": doc.edition,
            "format": fmt,
            "path": str(path.resolve()),
            "draft": doc.draft,
            "built_at": now.isoformat(),
            "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
            "events": len(doc.entries),
        }
        for fmt, path in zip(formats, paths, strict=True)
    ]
    record_build(
        session,
        doc.period,
        built,
        edition=doc.edition,
        draft=doc.draft,
        event_ids=[entry.event_id for entry in doc.entries],
        built_at=now,
        actor=actor,
    )


__all__ = [
    "FORMATS",
    "IncompleteRelease",
    "assemble_release",
    "build_release",
    "check_final",
    "parse_formats",
    "release_events",
]
