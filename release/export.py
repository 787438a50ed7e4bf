"""The ``newsmon.release-events`` export: a release period's accepted events for other tools.

Format documented in ``docs/export-format.md``: version 2 (the default) adds each event's id and
its facts (substances, quantities, places, agencies, detained, operation, criminal-code
articles); version 1 is still written on request. Built from the same layout model as the
documents, so an export and a build of the same data list the same events in the same order
with the same texts and links.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from core.errors import UserError
from core.facts import Facts
from release.builder import assemble_release
from release.model import ReleaseDocument
from release.settings import ReleaseSettings
from storage.db import Session

FORMAT_NAME = "newsmon.release-events"
FORMAT_VERSION = 2
FORMAT_VERSIONS = (1, 2)
EXPORT_FORMATS = ("json", "csv")
CSV_COLUMNS = ("country", "headline", "text", "url", "published", "language", "topic", "source")
FACT_COLUMNS = (
    "substances",
    "grams",
    "quantities",
    "places",
    "agencies",
    "detained",
    "operation",
    "legal_articles",
)
CSV_COLUMNS_V2 = ("id", *CSV_COLUMNS, *FACT_COLUMNS)


def export_events(
    session: Session,
    year: int,
    number: int,
    edition: str = "en",
    *,
    settings: ReleaseSettings | None = None,
    version: int = FORMAT_VERSION,
) -> dict[str, Any]:
    """The export document of release ``number`` of ``year`` (a JSON-serialisable dict)."""
    if version not in FORMAT_VERSIONS:
        raise UserError(f"unknown export format version {version}: choose from 1, 2")
    doc = assemble_release(session, year, number, edition, draft=True, settings=settings)
    return document_to_export(doc, version)


def facts_export(facts: Facts) -> dict[str, Any]:
    """An event's facts as the export carries them: ids and values, each amount with its words."""
    return {
        "substances": facts.substance_ids,
        "quantities": [
            {
                "substance": q.substance,
                "grams": q.grams,
                "count": q.count,
                "unit": q.unit,
                "evidence": q.span.text,
            }
            for q in facts.quantities
        ],
        "places": list(dict.fromkeys(m.span.text or m.value for m in facts.places)),
        "agencies": facts.agency_ids,
        "detained": facts.detained,
        "operation": facts.operation.value if facts.operation else None,
        "legal_articles": list(dict.fromkeys(m.value for m in facts.legal_articles)),
    }


def document_to_export(doc: ReleaseDocument, version: int = FORMAT_VERSION) -> dict[str, Any]:
    events = []
    for entry in doc.entries:
        event: dict[str, Any] = {"id": entry.event_id} if version >= 2 else {}
        events.append(event)
        event.update(
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
        if version >= 2:
            event["facts"] = facts_export(entry.facts)
    return {
        "format": FORMAT_NAME,
        "version": version,
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
    """One row per event, header first; empty cells for nulls. Version 1: :data:`CSV_COLUMNS`.
    Version 2: :data:`CSV_COLUMNS_V2` (the event id, then the facts flattened: lists joined by
    ``; ``) after a byte-order mark, so that spreadsheet programs read the Cyrillic as UTF-8."""
    version = export.get("version", 1)
    columns = CSV_COLUMNS_V2 if version >= 2 else CSV_COLUMNS
    buffer = io.StringIO()
    if version >= 2:
        buffer.write("\ufeff")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    for event in export["events"]:
        row = {**event, **_flat_facts(event.get("facts"))}
        writer.writerow(["" if row.get(column) is None else row[column] for column in columns])
    return buffer.getvalue()


def _flat_facts(facts: dict[str, Any] | None) -> dict[str, Any]:
    if not facts:
        return {}
    amounts = [
        f"{q['substance'] or 'unspecified'} {_number(q['grams'])} g"
        if q["grams"] is not None
        else f"{q['substance'] or 'unspecified'} {_number(q['count'])} {q['unit']}"
        for q in facts["quantities"]
    ]
    grams = sum(q["grams"] for q in facts["quantities"] if q["grams"] is not None)
    return {
        "substances": "; ".join(facts["substances"]),
        "grams": _number(grams) if amounts else None,
        "quantities": "; ".join(amounts),
        "places": "; ".join(facts["places"]),
        "agencies": "; ".join(facts["agencies"]),
        "detained": facts["detained"],
        "operation": facts["operation"],
        "legal_articles": "; ".join(facts["legal_articles"]),
    }


def _number(value: float) -> str:
    return f"{value:.3f}".rstrip("0").rstrip(".")


def serialise(export: dict[str, Any], fmt: str) -> str:
    if fmt == "json":
        return to_json(export)
    if fmt == "csv":
        return to_csv(export)
    raise UserError(f"unknown export format {fmt!r}: choose from {', '.join(EXPORT_FORMATS)}")
