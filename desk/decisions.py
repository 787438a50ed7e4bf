"""Analyst decisions in bulk: one JSON object per line, applied through the desk's own rules.

A line names an article by URL (compared canonically, so ``мвд.рф`` and its punycode, a trailing
slash or tracking parameters do not matter) and sets the decision of that article's event::

    {"url": "https://polisia.kz/ru/…", "status": "accepted", "headline_en": "…", "text_en": "…",
     "country": "KZ", "position": 1, "reject_reason": "…"}

Every key but ``url`` is optional. The article named by ``url`` becomes the event's lead when the
event clusters several (the release prints and links it, :mod:`desk.leads`).
The whole file is checked first (JSON, types, ranges, two
lines for one article) and applied **all or nothing**, in one transaction: one bad line and
nothing is written, and the report names every bad line. With ``partial`` each valid line is its
own transaction instead, so the good lines are applied. Audit entries carry the actor
``cli:<user>``; the report says per line whether it was applied, changed nothing, named no
stored article, was invalid, or was skipped because another line was.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.errors import UserError
from core.urls import InvalidURL, canonical_url
from desk.errors import EditError
from desk.events import edit, set_status
from desk.order import set_position
from storage.db import Session, session_scope
from storage.repository import article_by_url, event_by_id

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
TEXT_LIMITS = {"headline_en": 1_000, "text_en": 20_000, "reject_reason": 1_000, "country": 2}
MAX_POSITION = 10_000
"""Positions order the events of one release section."""


@dataclass(frozen=True, slots=True)
class LineResult:
    line: int
    outcome: str
    """``applied``, ``unchanged``, ``not-found``, ``invalid`` or ``skipped``."""
    message: str
    event_id: int | None = None


@dataclass(slots=True)
class BulkReport:
    results: list[LineResult] = field(default_factory=list)

    def count(self, outcome: str) -> int:
        return sum(1 for result in self.results if result.outcome == outcome)

    @property
    def summary(self) -> str:
        text = (
            f"{self.count('applied')} applied, {self.count('unchanged')} unchanged, "
            f"{self.count('not-found')} not found, {self.count('invalid')} invalid"
        )
        if self.count("skipped"):
            text += (
                f", {self.count('skipped')} skipped (nothing written: fix the invalid lines or use --partial)"
            )
        return text


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
    _check_types(record)
    return record


def _check_types(record: dict[str, Any]) -> None:
    """Types and ranges of the known keys (a list is not a headline, -5 is not a position)."""
    for key, limit in TEXT_LIMITS.items():
        value = record.get(key)
        if value is None:
            continue
        if not isinstance(value, str):
            raise ValueError(f'"{key}" must be text, not {type(value).__name__}')
        if len(value) > limit:
            raise ValueError(f'"{key}" is {len(value):,} characters long (at most {limit:,})')
    status = record.get("status")
    if status not in (None, "") and (
        not isinstance(status, str) or status.strip().lower() not in STATUS_WORDS
    ):
        raise ValueError(f"unknown status {status!r} (accepted, rejected or new)")
    position = record.get("position")
    if position not in (None, ""):
        if isinstance(position, bool) or not isinstance(position, int | str):
            raise ValueError(f"position {position!r} is not a whole number")
        try:
            number = int(position)
        except ValueError as exc:
            raise ValueError(f"position {position!r} is not a whole number") from exc
        if not 1 <= number <= MAX_POSITION:
            raise ValueError(f"position {number} is out of range (1 to {MAX_POSITION:,})")


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
    event = event_by_id(session, event_id)
    assert event is not None
    if len(event.articles) > 1 and event.lead_url != canonical:
        # The decision names this article: it is the one the release prints and links.
        fields["lead_url"] = canonical
    if record.get("country"):
        country = str(record["country"]).strip().upper()
        if country != event.section_country:
            fields["country_override"] = country
    if fields:
        done += [
            key for key in edit(session, event_id, actor=actor, **fields).after if key != "version"
        ]
    if "status" in record and record["status"] not in (None, ""):
        status = STATUS_WORDS.get(str(record["status"]).strip().lower())
        if status is None:
            raise ValueError(f"unknown status {record['status']!r} (accepted, rejected or new)")
        reason = record.get("reject_reason") or (DEFAULT_REJECT_REASON if status == "rejected" else None)
        if set_status(session, event_id, status, actor=actor, reason=reason).changed:
            done.append(status)
    if record.get("position") not in (None, ""):
        try:
            position = int(record["position"])
        except (TypeError, ValueError) as exc:
            raise ValueError(f"position {record['position']!r} is not a whole number") from exc
        if set_position(session, event_id, position, actor=actor).changed:
            done.append(f"position {position}")
    return event_id, done


@dataclass(frozen=True, slots=True)
class _Line:
    number: int
    record: dict[str, Any]
    note: str


def _checked(lines: Iterable[str], report: BulkReport) -> list[_Line]:
    """The valid lines; every invalid one (and every second line for an article) goes into the
    report."""
    valid: list[_Line] = []
    first_line_of: dict[str, int] = {}
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        try:
            record = _parse(raw)
            canonical = canonical_url(record["url"])
        except ValueError as exc:  # InvalidURL is one too
            report.results.append(LineResult(number, "invalid", str(exc)))
            continue
        if canonical in first_line_of:
            report.results.append(
                LineResult(number, "invalid", f"the same article as line {first_line_of[canonical]}")
            )
            continue
        first_line_of[canonical] = number
        ignored = sorted(set(record) - KNOWN_KEYS)
        valid.append(_Line(number, record, f" (ignored keys: {', '.join(ignored)})" if ignored else ""))
    return valid


def _outcome(line: _Line, event_id: int | None, done: list[str]) -> LineResult:
    if event_id is None:
        return LineResult(line.number, "not-found", f"no stored article {line.record['url']}{line.note}")
    if done:
        return LineResult(
            line.number, "applied", f"event #{event_id}: {', '.join(done)}{line.note}", event_id
        )
    return LineResult(line.number, "unchanged", f"event #{event_id}: nothing to change{line.note}", event_id)


class _Failed(Exception):
    """A line failed while the whole file was being applied: roll everything back."""

    def __init__(self, line: _Line, reason: str) -> None:
        super().__init__(reason)
        self.line = line


def apply_lines(
    lines: Iterable[str],
    *,
    actor: str,
    database_url: str | None = None,
    dry_run: bool = False,
    partial: bool = False,
) -> BulkReport:
    """Check every line, then apply them all in one transaction (or, ``partial``, each valid line
    on its own); a dry run reports the same outcomes and writes nothing."""
    report = BulkReport()
    valid = _checked(lines, report)
    if report.count("invalid") and not partial:
        report.results += [LineResult(line.number, "skipped", "not applied") for line in valid]
    elif partial:
        for line in valid:
            report.results.append(_apply_alone(line, actor, database_url, dry_run))
    else:
        report.results += _apply_together(valid, actor, database_url, dry_run)
    report.results.sort(key=lambda result: result.line)
    return report


def _apply_alone(line: _Line, actor: str, database_url: str | None, dry_run: bool) -> LineResult:
    try:
        with session_scope(database_url) as session:
            outcome = _outcome(line, *apply_record(session, line.record, actor=actor))
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    except (ValueError, EditError) as exc:
        outcome = LineResult(line.number, "invalid", str(exc))
    return outcome


def _apply_together(
    valid: list[_Line], actor: str, database_url: str | None, dry_run: bool
) -> list[LineResult]:
    results: list[LineResult] = []
    try:
        with session_scope(database_url) as session:
            for line in valid:
                try:
                    results.append(_outcome(line, *apply_record(session, line.record, actor=actor)))
                except (ValueError, EditError) as exc:
                    raise _Failed(line, str(exc)) from exc
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    except _Failed as failed:
        return [
            LineResult(line.number, "invalid", str(failed))
            if line is failed.line
            else LineResult(line.number, "skipped", "not applied")
            for line in valid
        ]
    return results


def apply_file(
    path: Path, *, actor: str, database_url: str | None = None, dry_run: bool = False, partial: bool = False
) -> BulkReport:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError as exc:
        raise UserError(f"{path}: file not found") from exc
    except UnicodeDecodeError as exc:
        raise UserError(f"{path}: not UTF-8 text") from exc
    except OSError as exc:
        raise UserError(f"{path}: {exc.strerror}") from exc
    return apply_lines(
        text.splitlines(), actor=actor, database_url=database_url, dry_run=dry_run, partial=partial
    )
