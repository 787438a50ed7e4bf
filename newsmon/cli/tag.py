"""``newsmon tag [FILE|-]``: tag JSONL articles without a crawl or a database.

Each input line is an object ``{id, url, title, text, published?, html?, source?}`` (optional
extras: ``declared_language``, ``timezone``, ``alternates``, ``fetched_at``). ``source`` is a
configured source id; without it the source is found from the URL's host. Each output line
carries ``id``, ``language``, ``country``, ``countries_mentioned``, ``period``, ``relevance`` and
``topic`` (plus a few more facts). A line that cannot be tagged becomes ``{"id": …, "error": …}``
and processing goes on; the command then exits 1 (the good lines are all written).
"""

from __future__ import annotations

import json
import os
import re
import sys
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Annotated, Any

import typer

from core.errors import UserError
from newsmon.cli.app import app


def _lines(path: str) -> Iterator[str]:
    if path == "-":
        yield from sys.stdin
        return
    file = Path(path)
    try:
        handle = file.open(encoding="utf-8")
    except OSError as exc:
        raise UserError(f"cannot read {path}: {exc.strerror or exc}") from exc
    with handle:
        try:
            yield from handle
        except UnicodeDecodeError as exc:
            raise UserError(f"cannot read {path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from exc


MAX_RECORD_CHARS = 5_000_000
"""One article's JSON line; a longer one is reported, not tagged (it would take minutes and GBs)."""
_ID_RE = re.compile(r'"id"\s*:\s*(?:"((?:[^"\\]|\\.)*)"|(-?\d+))')


def _salvage_id(line: str) -> str | int | None:
    """The id of a line that is not valid JSON, when it can still be read."""
    match = _ID_RE.search(line)
    if not match:
        return None
    if match.group(2) is not None:
        return int(match.group(2))
    try:
        return str(json.loads(f'"{match.group(1)}"'))
    except json.JSONDecodeError:
        return match.group(1)


def tagged_record(article: Any, record_id: Any) -> dict[str, Any]:
    """The output object of one tagged article."""
    return {
        "id": record_id,
        "url": article.page.url,
        "canonical_url": article.canonical_url,
        "language": article.language,
        "language_confidence": article.language_confidence,
        "country": article.country,
        "countries_mentioned": list(article.countries_mentioned),
        "published": article.published_at.isoformat(),
        "date_uncertain": article.date_uncertain,
        "period": {"year": article.period.year, "number": article.period.number, "text": article.period.text},
        "relevance": {
            "score": article.relevance.score,
            "label": article.relevance.label,
            "evidence": [
                {"term": e.term, "match": e.match, "where": e.where, "weight": e.weight}
                for e in article.relevance.evidence
            ],
        },
        "topic": article.topic,
        "extraction": {
            "status": article.extraction_status,
            "reason": article.extraction_reason,
            "method": article.extraction_method,
            "fallback": article.extraction_fallback,
        },
    }


def tag_lines(lines: Iterable[str], out: IO[str]) -> tuple[int, int]:
    """Tag every JSONL line, writing one output line each; returns (tagged, errors)."""
    # Imported here so that `newsmon --help` does not load the detectors.
    from config import ConfigError, load_sources
    from pipeline.records import RecordError, page_from_record, record_id
    from pipeline.runner import tag_page, warm_up

    try:
        sources = load_sources()
    except ConfigError:
        sources = None
    warm_up(signatures=False)
    tagged = errors = 0
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        record: Any = None
        if len(line) > MAX_RECORD_CHARS:
            errors += 1
            result = {
                "id": _salvage_id(line[:2000]),
                "error": f"line {number}: a record of {len(line):,} characters is over the "
                f"{MAX_RECORD_CHARS:,}-character limit of one article",
            }
            out.write(json.dumps(result, ensure_ascii=False) + "\n")
            continue
        try:
            record = json.loads(line)
            page, source = page_from_record(record, sources)
            article = tag_page(page, source, signature=False)
            result = tagged_record(article, record_id(record))
            tagged += 1
        except json.JSONDecodeError as exc:
            result = {"id": _salvage_id(line), "error": f"line {number}: not JSON: {exc.msg}"}
            errors += 1
        except (RecordError, ValueError, ConfigError) as exc:
            result = {"id": record_id(record), "error": f"line {number}: {exc}"}
            errors += 1
        out.write(json.dumps(result, ensure_ascii=False) + "\n")
    return tagged, errors


def _tag_into(file: str, output: Path) -> tuple[int, int]:
    """Tag into a temporary file beside ``output`` and rename it over ``output`` at the end, so
    an unreadable input (or a crash) never leaves ``output`` truncated."""
    try:
        handle = tempfile.NamedTemporaryFile(
            "w", encoding="utf-8", dir=output.parent, prefix=f".{output.name}.", suffix=".part", delete=False
        )
    except OSError as exc:
        raise UserError(f"cannot write {output}: {exc.strerror or exc}") from exc
    partial = Path(handle.name)
    try:
        with handle:
            result = tag_lines(_lines(file), handle)
        os.replace(partial, output)
    finally:
        partial.unlink(missing_ok=True)
    return result


@app.command("tag")
def tag(
    file: Annotated[
        str, typer.Argument(metavar="FILE|-", help="JSONL file of articles, or - for standard input.")
    ] = "-",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here instead of standard output.")
    ] = None,
) -> None:
    """Tag articles (language, country, period, relevance, topic) from a JSONL file.

    Example: `newsmon tag articles.jsonl -o tagged.jsonl`
    """
    if output is None:
        tagged, errors = tag_lines(_lines(file), sys.stdout)
    else:
        tagged, errors = _tag_into(file, output)
    typer.echo(f"tagged {tagged} article(s), {errors} line(s) with errors", err=True)
    if errors:
        # The good lines are written; the exit status tells a script that some were not.
        raise typer.Exit(1)
