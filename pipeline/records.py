"""JSON records ↔ :class:`~core.types.PageInput` (the ``newsmon tag`` input and the labelled
evaluation data share this shape).

A record is an object ``{id, url, title, text, published?, html?, source?}``; optional extras
are ``declared_language``, ``timezone``, ``alternates`` (``{lang: url}``) and ``fetched_at``.
``published`` is ISO 8601 (``2025-01-10``, ``2025-01-10 11:20``, ``2025-01-10T11:20:00+05:00``,
``…Z``) or RFC 2822 (a feed's pubDate); without an offset it is local time of the source.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

from config import ConfigError, SourceConfig, SourcesFile
from core.types import PageInput
from core.urls import InvalidURL, unicode_host, url_host


class RecordError(ValueError):
    """A record that cannot be tagged; the message says which field is wrong."""


def parse_datetime(value: str, field: str = "published") -> datetime:
    """ISO 8601 or RFC 2822; naive results stay naive (local time of the source)."""
    text = value.strip()
    if not text:
        raise RecordError(f"{field}: empty date")
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00") if text.endswith("Z") else text)
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        raise RecordError(
            f"{field}: {value!r} is not a date (use ISO 8601, e.g. 2025-01-10T11:20:00+05:00)"
        ) from None


def source_for_url(url: str, sources: SourcesFile | None) -> SourceConfig | None:
    """The configured source whose ``hosts`` (or a subdomain of one) serve ``url``."""
    if sources is None:
        return None
    try:
        host = url_host(url)
    except (InvalidURL, ValueError):
        return None
    candidates = {host.removeprefix("www."), unicode_host(host).removeprefix("www.")}
    for source in sources.sources:
        for configured in source.hosts:
            names = {configured.lower().removeprefix("www.")}
            try:
                names.add(url_host(f"https://{configured}/").removeprefix("www."))
            except (InvalidURL, ValueError):
                pass
            for name in names:
                if any(c == name or c.endswith("." + name) for c in candidates):
                    return source
    return None


def date_in_url(url: str, source: SourceConfig | None) -> datetime | None:
    """The (naive, local) date a source's article URL states, by its ``url_date`` pattern."""
    if source is None or not source.url_date:
        return None
    match = re.search(source.url_date, urlsplit(url).path)
    if not match:
        return None
    try:
        return datetime(int(match["year"]), int(match["month"]), int(match["day"]))
    except ValueError:
        return None


def _string(record: Mapping[str, Any], field: str) -> str | None:
    value = record.get(field)
    if value is None:
        return None
    if not isinstance(value, str):
        raise RecordError(f"{field}: must be a string, not {type(value).__name__}")
    return value


def record_id(record: Any) -> str | int | None:
    if isinstance(record, Mapping):
        value = record.get("id")
        if isinstance(value, str | int) and not isinstance(value, bool):
            return value
    return None


def page_from_record(record: Any, sources: SourcesFile | None) -> tuple[PageInput, SourceConfig | None]:
    """Validate one input object and build the page the runner tags."""
    if not isinstance(record, Mapping):
        raise RecordError("a line must be a JSON object")
    url = _string(record, "url")
    if not url or not url.strip():
        raise RecordError("url: missing")
    text = _string(record, "text")
    html = _string(record, "html")
    if not (text and text.strip()) and not (html and html.strip()):
        raise RecordError("text: missing (give text or html)")
    source_id = _string(record, "source")
    source: SourceConfig | None
    if source_id:
        if sources is None:
            raise RecordError(f"source: {source_id!r} given but no sources are configured")
        try:
            source = sources.source(source_id)
        except ConfigError as exc:  # unknown id; the message lists the configured ones
            raise RecordError(f"source: {exc}") from None
    else:
        source = source_for_url(url, sources)
    published = _string(record, "published")
    fetched = _string(record, "fetched_at")
    alternates = record.get("alternates") or {}
    if not isinstance(alternates, Mapping) or not all(isinstance(v, str) for v in alternates.values()):
        raise RecordError("alternates: must be an object {language: url}")
    page = PageInput(
        url=url.strip(),
        source_id=source.id if source else None,
        html=html,
        title=_string(record, "title"),
        text=text,
        site_published=parse_datetime(published) if published else date_in_url(url.strip(), source),
        declared_language=_string(record, "declared_language"),
        alternates=dict(alternates),
        fetched_at=parse_datetime(fetched, "fetched_at") if fetched else None,
        timezone=_string(record, "timezone"),
    )
    return page, source
