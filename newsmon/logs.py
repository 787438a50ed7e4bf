"""Structured logging: one line per event, ``key=value`` (or JSON), to stderr and optionally a
rotating file.

Code logs events with :func:`log_event` (``event=crawl.finished source=mvd_kg run=12 …``);
records from other libraries (Scrapy, APScheduler, SQLAlchemy) get the same one-line shape,
their message in ``msg=`` and a traceback folded into ``exc=``. :func:`configure_logging` is
called once by the CLI's root callback (``--verbose``, ``--quiet``, ``--log-file``).
"""

from __future__ import annotations

import json
import logging
import logging.handlers
import sys
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

LOG_FILE_MAX_BYTES = 10 * 1024 * 1024
LOG_FILE_BACKUPS = 5

# Handlers this module installed carry this attribute, so reconfiguring replaces only them.
_OWNED = "_newsmon_handler"
_FIELDS = "newsmon_fields"

# newsmon's own packages log at INFO by default; everything else (Scrapy, APScheduler, Alembic…)
# only from WARNING, unless --verbose.
OWN_LOGGERS = ("newsmon", "crawlers", "pipeline", "storage", "release", "review", "mirror", "config")


def log_event(
    logger: logging.Logger, event: str, level: int = logging.INFO, *, exc_info: bool = False, **fields: Any
) -> None:
    """Log one event with fields, e.g. ``log_event(log, "crawl.finished", source="mvd_kg", run=12)``.

    Args:
        logger: The module's logger.
        event: A dotted event name (``area.what``), stable for grepping and alerting.
        level: A :mod:`logging` level.
        exc_info: Add the exception being handled (folded into one ``exc=`` field).
        **fields: Values rendered as ``key=value``; ``None`` values are left out.
    """
    if logger.isEnabledFor(level):
        extra = {_FIELDS: {k: v for k, v in fields.items() if v is not None}}
        logger.log(level, event, exc_info=exc_info, extra=extra)


class _StderrHandler(logging.StreamHandler):
    """Writes to whatever ``sys.stderr`` is at the time of the record (test runners swap it)."""

    def __init__(self) -> None:
        super().__init__(sys.stderr)

    @property
    def stream(self) -> Any:
        return sys.stderr

    @stream.setter
    def stream(self, _value: Any) -> None:
        pass


def _timestamp(record: logging.LogRecord) -> str:
    return datetime.fromtimestamp(record.created, UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def _record_fields(record: logging.LogRecord) -> tuple[dict[str, Any], str | None]:
    """The record's fields and its exception text (one line), if any."""
    fields = dict(getattr(record, _FIELDS, None) or {})
    exc_text = None
    if record.exc_info:
        exc_text = logging.Formatter().formatException(record.exc_info)
    elif record.exc_text:
        exc_text = record.exc_text
    return fields, exc_text


class KeyValueFormatter(logging.Formatter):
    """``ts=… level=info logger=newsmon.scheduler event=crawl.finished source=mvd_kg run=12``."""

    def format(self, record: logging.LogRecord) -> str:
        fields, exc_text = _record_fields(record)
        parts = [f"ts={_timestamp(record)}", f"level={record.levelname.lower()}", f"logger={record.name}"]
        if hasattr(record, _FIELDS):
            parts.append(f"event={_kv_value(record.getMessage())}")
        else:
            parts.append(f"msg={_kv_value(record.getMessage())}")
        parts.extend(f"{key}={_kv_value(value)}" for key, value in fields.items())
        if exc_text:
            parts.append(f"exc={_kv_value(exc_text)}")
        return " ".join(parts)


class JsonFormatter(logging.Formatter):
    """One JSON object per line with the same keys as :class:`KeyValueFormatter`."""

    def format(self, record: logging.LogRecord) -> str:
        fields, exc_text = _record_fields(record)
        payload: dict[str, Any] = {
            "ts": _timestamp(record), "level": record.levelname.lower(), "logger": record.name
        }
        payload["event" if hasattr(record, _FIELDS) else "msg"] = record.getMessage()
        payload.update(fields)
        if exc_text:
            payload["exc"] = exc_text
        return json.dumps(payload, ensure_ascii=False, default=str)


def _kv_value(value: Any) -> str:
    """A value as one token: quoted (JSON string escapes) when it has spaces, quotes or newlines."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        text = value.isoformat()
    elif isinstance(value, Mapping | list | tuple):
        text = json.dumps(value, ensure_ascii=False, default=str, separators=(",", ":"))
    else:
        text = str(value)
    if text == "" or any(ch.isspace() or ch in "\"=\\" for ch in text):
        return json.dumps(text, ensure_ascii=False)
    return text


def configure_logging(
    *,
    verbose: bool = False,
    quiet: bool = False,
    log_file: Path | None = None,
    json_lines: bool = False,
) -> None:
    """Set up the root logger: stderr always, plus a rotating file when ``log_file`` is given.

    Args:
        verbose: newsmon's own loggers at DEBUG, other libraries' at INFO.
        quiet: Warnings and errors only (wins over ``verbose``).
        log_file: Also write to this file, rotated at 10 MB, 5 backups kept.
        json_lines: JSON objects instead of ``key=value`` lines.
    """
    if quiet:
        own_level, other_level = logging.WARNING, logging.WARNING
    elif verbose:
        own_level, other_level = logging.DEBUG, logging.INFO
    else:
        own_level, other_level = logging.INFO, logging.WARNING
    formatter: logging.Formatter = JsonFormatter() if json_lines else KeyValueFormatter()
    root = logging.getLogger()
    for handler in [h for h in root.handlers if getattr(h, _OWNED, False)]:
        root.removeHandler(handler)
        handler.close()
    handlers: list[logging.Handler] = [_StderrHandler()]
    if log_file is not None:
        log_file.parent.mkdir(parents=True, exist_ok=True)
        handlers.append(
            logging.handlers.RotatingFileHandler(
                log_file, maxBytes=LOG_FILE_MAX_BYTES, backupCount=LOG_FILE_BACKUPS, encoding="utf-8"
            )
        )
    for handler in handlers:
        setattr(handler, _OWNED, True)
        handler.setFormatter(formatter)
        root.addHandler(handler)
    root.setLevel(other_level)
    for name in OWN_LOGGERS:
        logging.getLogger(name).setLevel(own_level)
    # SQLAlchemy logs every statement at INFO: never wanted on an operator's terminal.
    logging.getLogger("sqlalchemy").setLevel(max(other_level, logging.WARNING))
