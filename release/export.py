"""The ``newsmon.release-events`` export: a release period's accepted events for other tools.

Format (version 1) documented in ``docs/export-format.md``. Built from the same layout model as
the documents, so an export and a build of the same data list the same events in the same
order with the same texts and links.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from core.errors import UserError
from release.builder import assemble_release
from release.model import ReleaseDocument
from release.settings import ReleaseSettings
from storage.db import Session

FORMAT_NAME = "newsmon.release-events"
FORMAT_VERSION = 1
EXPORT_FORMATS = ("json", "csv")
CSV_COLUMNS = ("country", "headline", "text", "url", "published", "language", "topic", "source")


def export_events(
    session: Session,
    year: int,
    number: int,
    edition: str = "en",
    *,
    settings: ReleaseSettings | None = None,
) -> dict[str, Any]:
    """The export document of release ``number`` of ``year`` (a JSON-serialisable dict)."""
    doc = assemble_release(session, year, number, edition, draft=True, settings=settings)
    return document_to_export(doc)


def document_to_export(doc: ReleaseDocument) -> dict[str, Any]:
    events = []
    for entry in doc.entries:
        events.append(
            {
                "country": entry.country or None,
                # Gaps are null here, never the draft markers the documents print.
                "headline": None if "headline" in entry.missing else entry.headline,
                "text": None if "text" in entry.missing else "\n\n".join(entry.paragraphs),
                "url": entry.url or None,
                "published": entry.published.isoformat() if entry.published else None,
                "language": entry.language,
                "topic": entry.topic,
                "source": entry.source,
            }
        )
    return {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "release": {
            "year": doc.year,
            "number": doc.number,
            "period": doc.period_text,
            "edition": doc.edition,
        },
        "counts": dict(doc.counts),
        "events": events,
    }


def to_json(export: dict[str, Any]) -> str:
    return json.dumps(export, ensure_ascii=False, indent=2) + "\n"


def to_csv(export: dict[str, Any]) -> str:
    """One row per event, columns :data:`CSV_COLUMNS`, header first; empty cells for nulls."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for event in export["events"]:
        writer.writerow(["" if event[column] is None else event[column] for column in CSV_COLUMNS])
    return buffer.getvalue()


def serialise(export: dict[str, Any], fmt: str) -> str:
    if fmt == "json":
        return to_json(export)
    if fmt == "csv":
        return to_csv(export)
    raise UserError(f"unknown export format {fmt!r}: choose from {', '.join(EXPORT_FORMATS)}")
