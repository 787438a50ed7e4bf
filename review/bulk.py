"""Analyst decisions in bulk: one JSON object per line, applied through :mod:`storage.editing`.

A line names an article by URL (compared canonically, so ``мвд.рф`` and its punycode, a trailing
slash or tracking parameters do not matter) and sets the decision of that article's event::

    {"url": "https://polisia.kz/ru/…", "status": "accepted", "headline_en": "…", "text_en": "…",
     "country": "KZ", "position": 1, "reject_reason": "…"}

Every key but ``url`` is optional. Each line is its own transaction and its own audit entries
(actor ``cli:<user>``), so one bad line does not stop the others; the report says per line
whether it was applied, changed nothing, named no stored article, or was invalid.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from newsmon.errors import UserError
from newsmon.urls import InvalidURL, canonical_url
from storage import editing
from storage.db import session_scope
from storage.models import Event
from storage.repository import article_by_url

KNOWN_KEYS = frozenset({"url", "status", "headline_en", "text_en", "country", "position", "reject_reason"})
STATUS_WORDS = {
    "accepted": "accepted",
    "accept": "accepted",
    "rejected": "rejected",
    "reject": "rejected",
    "new": "new",
    "reset": "new",
}
DEFAULT_REJECT_REASON = "rejected in bulk (no reason given)"


@dataclass(frozen=True, slots=True)
class LineResult:
    line: int
    outcome: str
    """``applied``, ``unchanged``, ``not-found`` or ``invalid``."""
    message: str
    event_id: int | None = None


@dataclass(slots=True)
class BulkReport:
    results: list[LineResult] = field(default_factory=list)

    def count(self, outcome: str) -> int:
        return sum(1 for result in self.results if result.outcome == outcome)

    @property
    def summary(self) -> str:
        return (
            f"{self.count('applied')} applied, {self.count('unchanged')} unchanged, "
            f"{self.count('not-found')} not found, {self.count('invalid')} invalid"
        )


class _DryRun(Exception):
    """Raised to roll a line's transaction back in a dry run."""


def _parse(raw: str) -> dict[str, Any]:
    try:
        record = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise ValueError(f"not JSON: {exc.msg} at column {exc.colno}") from exc
    if not isinstance(record, dict):
        raise ValueError("a line must be a JSON object")
    if not isinstance(record.get("url"), str) or not record["url"].strip():
        raise ValueError('"url" is missing')
    return record


def apply_record(session: Session, record: dict[str, Any], *, actor: str) -> tuple[int | None, list[str]]:
    """Apply one decision; returns the event id (None: no such article) and what changed."""
    try:
        canonical = canonical_url(record["url"])
    except InvalidURL as exc:
        raise ValueError(str(exc)) from exc
    article = article_by_url(session, canonical)
    if article is None or article.event_id is None:
        return None, []
    event_id = article.event_id
    done: list[str] = []
    fields: dict[str, Any] = {key: record[key] for key in ("headline_en", "text_en") if key in record}
    if record.get("country"):
        event = session.get(Event, event_id)
        assert event is not None
        country = str(record["country"]).strip().upper()
        if country != event.section_country:
            fields["country_override"] = country
    if fields:
        done += [
            key for key in editing.edit(session, event_id, actor=actor, **fields).after if key != "version"
        ]
    if "status" in record and record["status"] not in (None, ""):
        status = STATUS_WORDS.get(str(record["status"]).strip().lower())
        if status is None:
            raise ValueError(f"unknown status {record['status']!r} (accepted, rejected or new)")
        reason = record.get("reject_reason") or (DEFAULT_REJECT_REASON if status == "rejected" else None)
        if editing.set_status(session, event_id, status, actor=actor, reason=reason).changed:
            done.append(status)
    if record.get("position") not in (None, ""):
        try:
            position = int(record["position"])
        except (TypeError, ValueError) as exc:
            raise ValueError(f"position {record['position']!r} is not a whole number") from exc
        if editing.set_position(session, event_id, position, actor=actor).changed:
            done.append(f"position {position}")
    return event_id, done


def apply_lines(
    lines: Iterable[str], *, actor: str, database_url: str | None = None, dry_run: bool = False
) -> BulkReport:
    """Apply every non-blank line; a dry run reports the same outcomes and writes nothing."""
    report = BulkReport()
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        try:
            record = _parse(raw)
        except ValueError as exc:
            report.results.append(LineResult(number, "invalid", str(exc)))
            continue
        ignored = sorted(set(record) - KNOWN_KEYS)
        note = f" (ignored keys: {', '.join(ignored)})" if ignored else ""
        outcome: LineResult
        try:
            with session_scope(database_url) as session:
                event_id, done = apply_record(session, record, actor=actor)
                if event_id is None:
                    outcome = LineResult(number, "not-found", f"no stored article {record['url']}{note}")
                elif done:
                    outcome = LineResult(
                        number, "applied", f"event #{event_id}: {', '.join(done)}{note}", event_id
                    )
                else:
                    outcome = LineResult(
                        number, "unchanged", f"event #{event_id}: nothing to change{note}", event_id
                    )
                if dry_run:
                    raise _DryRun
        except _DryRun:
            pass
        except (ValueError, editing.EditError) as exc:
            outcome = LineResult(number, "invalid", str(exc))
        report.results.append(outcome)
    return report


def apply_file(
    path: Path, *, actor: str, database_url: str | None = None, dry_run: bool = False
) -> BulkReport:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError as exc:
        raise UserError(f"{path}: file not found") from exc
    except UnicodeDecodeError as exc:
        raise UserError(f"{path}: not UTF-8 text") from exc
    except OSError as exc:
        raise UserError(f"{path}: {exc.strerror}") from exc
    return apply_lines(text.splitlines(), actor=actor, database_url=database_url, dry_run=dry_run)


def demo_decisions_file() -> Path:
    """The bundled decisions of release #1 2025 (``mirror/decisions/2025-01.jsonl``)."""
    import mirror

    return Path(mirror.__file__).resolve().parent / "decisions" / "2025-01.jsonl"


def apply_demo_decisions(context: Any) -> BulkReport:
    """A step of ``newsmon demo`` (append it to ``newsmon.demo.LATER_STEPS`` before the release
    build): apply the bundled analyst decisions to the demo database and print the outcome."""
    path = demo_decisions_file()
    report = apply_file(path, actor="cli:bulk", database_url=context.database_url)
    context.console.print(f"analyst decisions from {path.name}: {report.summary}")
    for result in report.results:
        if result.outcome in ("not-found", "invalid"):
            context.console.print(f"  line {result.line}: {result.outcome}: {result.message}")
    return report
