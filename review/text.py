"""Showing harvested text safely: escaping, evidence highlighting, outbound links.

Everything an article holds was written by someone on the internet. Templates autoescape; the
few helpers here that build markup escape every piece of harvested text themselves and add
only their own fixed tags, so the result can be marked safe.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, tzinfo
from pathlib import PurePath
from typing import Any

from markupsafe import Markup, escape

from config.schedules import load_schedules
from core.urls import is_web_url

# Only absolute http(s) URLs without white space or control characters become links: browsers
# drop tabs and newlines inside a URL, so "java\tscript:" must not pass a scheme test by accident.

COUNTRY_NAMES = {
    "AF": "Afghanistan",
    "AM": "Armenia",
    "AZ": "Azerbaijan",
    "BY": "Belarus",
    "CN": "China",
    "GE": "Georgia",
    "IR": "Iran",
    "KG": "Kyrgyzstan",
    "KZ": "Kazakhstan",
    "MD": "Moldova",
    "MN": "Mongolia",
    "PK": "Pakistan",
    "RU": "Russia",
    "TJ": "Tajikistan",
    "TM": "Turkmenistan",
    "TR": "Turkey",
    "UA": "Ukraine",
    "US": "United States",
    "UZ": "Uzbekistan",
}
LANGUAGE_NAMES = {
    "ru": "Russian",
    "kk": "Kazakh",
    "ky": "Kyrgyz",
    "tg": "Tajik",
    "uz": "Uzbek",
    "tk": "Turkmen",
    "az": "Azerbaijani",
    "en": "English",
}
TOPIC_LABELS = {
    "prevention": "prevention",
    "seizure_arrest": "seizure / arrest",
    "legislation": "legislation",
    "cooperation": "cooperation",
    "statistics": "statistics",
    "treatment": "treatment",
    "other": "other",
}


def country_name(code: str | None) -> str:
    if not code:
        return "—"
    return COUNTRY_NAMES.get(code, code)


def is_linkable(url: Any) -> bool:
    return is_web_url(url)


def external_link(url: Any, label: Any = None) -> Markup:
    """An outbound link if ``url`` is http(s), else the URL as plain (escaped) text."""
    text = escape(label if label is not None else (url or ""))
    if not is_linkable(url):
        return Markup('<span class="badurl" title="not an http(s) link: not clickable">{}</span>').format(
            text
        )
    return Markup(
        '<a href="{}" rel="noopener noreferrer nofollow" target="_blank" class="ext">{}</a>'
    ).format(url.strip(), text)


def _terms(evidence: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """Matched text (folded) -> a tooltip naming the lexicon term and weight."""
    found: dict[str, str] = {}
    for item in evidence or ():
        if not isinstance(item, Mapping):
            continue
        match = item.get("match")
        if not isinstance(match, str) or not match.strip():
            continue
        weight = item.get("weight")
        tip = f"{item.get('term', match)}"
        if isinstance(weight, int | float):
            tip += f" ({weight:g})"
        found.setdefault(match.strip().casefold(), tip)
    return found


def highlight(text: Any, evidence: Iterable[Mapping[str, Any]] | None) -> Markup:
    """``text`` escaped, with every occurrence of the evidence matches wrapped in ``<mark>``.

    The matches are located in the raw text; each piece between them and each match is escaped
    on its own, so no harvested character can form a tag, and a match can never land inside
    an entity the escaping produced.
    """
    raw = "" if text is None else str(text)
    terms = _terms(evidence or ())
    if not terms or not raw:
        return Markup(escape(raw))
    pattern = re.compile("|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)), re.IGNORECASE)
    out: list[str] = []
    last = 0
    for found in pattern.finditer(raw):
        if found.start() == found.end():
            continue
        out.append(str(escape(raw[last : found.start()])))
        tip = terms.get(found.group(0).casefold(), "")
        out.append(str(Markup('<mark title="{}">{}</mark>').format(tip, found.group(0))))
        last = found.end()
    out.append(str(escape(raw[last:])))
    return Markup("".join(out))


def evidence_for(evidence: Iterable[Mapping[str, Any]] | None, where: str) -> list[Mapping[str, Any]]:
    return [e for e in (evidence or ()) if isinstance(e, Mapping) and e.get("where") == where]


def excerpt(text: Any, length: int = 220) -> str:
    raw = " ".join(("" if text is None else str(text)).split())
    return raw if len(raw) <= length else raw[: length - 1].rstrip() + "…"


def desk_zone() -> tzinfo:
    """The desk's time zone (``[scheduler] timezone`` of ``config/schedules.toml``)."""
    return load_schedules().scheduler.zone


def desk_time(value: datetime | str | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """A stored moment (UTC; naive values are UTC, ISO text is read) in the desk's zone."""
    if value is None or value == "":
        return "—"
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(desk_zone()).strftime(fmt)


def file_size(size: int | None) -> str:
    """``412 KB``, ``1.3 MB``: a file's size for people."""
    if size is None:
        return "—"
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size / 1024 / 1024:.1f} MB"


def _built_file(item: Mapping[str, Any]) -> str:
    """One built file of a release's audit entry: its name and kind, never the server's path or hash."""
    name = PurePath(str(item.get("path", ""))).name or "?"
    return f"{name}{' (draft)' if item.get('draft') else ''}"


def audit_value(value: Any) -> str:
    """An audit before/after value as one line of plain text (escaped by the template)."""
    if value is None:
        return "—"
    if isinstance(value, list) and value and all(isinstance(v, Mapping) and "path" in v for v in value):
        return ", ".join(_built_file(v) for v in value)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "[]"
    if isinstance(value, bool):
        return "yes" if value else "no"
    text = str(value)
    return text if len(text) <= 400 else text[:399] + "…"
