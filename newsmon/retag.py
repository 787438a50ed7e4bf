"""Re-running the tagging pipeline on stored articles, without fetching anything.

After a lexicon, gazetteer or extractor change, ``newsmon retag`` rebuilds each article's
:class:`~core.types.PageInput` from its stored columns and decompressed raw HTML, runs the
pipeline again and writes the machine columns back through :func:`storage.retag.store_retagged`
(which never touches the analysts' columns of events). Crawl-run bookkeeping is left as it was:
a retag is not a crawl.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from core.types import PageInput, TaggedArticle
from newsmon.logs import log_event
from newsmon.progress import ProgressReporter
from storage.db import session_scope
from storage.models import Article
from storage.retag import articles_by_ids, page_input, select_article_ids, store_retagged

log = logging.getLogger(__name__)

BATCH_SIZE = 100

Tagger = Callable[[PageInput], TaggedArticle]


@dataclass
class RetagReport:
    selected: int = 0
    retagged: int = 0
    changed: int = 0
    """Articles whose relevance label, topic, country, language or period changed."""
    failed: int = 0
    failures: list[str] = field(default_factory=list)
    """``article <id> <url>: <error>`` for the first few failures."""


def default_tagger() -> Tagger:
    """The pipeline runner's ``tag_page`` (imported late: loading lexicons takes a moment)."""
    from pipeline.runner import tag_page

    return tag_page


def _signature(article: Article) -> tuple[Any, ...]:
    return (article.relevance_label, article.topic, article.country, article.language, article.period_year,
            article.period_number, article.date_uncertain, article.extraction_status)


def retag(
    *,
    since: date | None = None,
    source_id: str | None = None,
    database_url: str | None = None,
    tagger: Tagger | None = None,
    progress: ProgressReporter | None = None,
    batch_size: int = BATCH_SIZE,
) -> RetagReport:
    """Retag the selected articles, committing every ``batch_size`` of them.

    Args:
        since: Only articles published on or after this day.
        source_id: Only this source's articles.
        database_url: Default: ``DATABASE_URL``.
        tagger: ``PageInput -> TaggedArticle``; default: the pipeline runner.
        progress: Told the total and each article done (see :mod:`newsmon.progress`).
        batch_size: Articles per transaction.
    """
    tag = tagger or default_tagger()
    report = RetagReport()
    with session_scope(database_url) as session:
        ids = select_article_ids(session, since=since, source_id=source_id)
    report.selected = len(ids)
    if progress is not None:
        progress.set_total(len(ids))
    log_event(log, "retag.started", articles=len(ids), since=since, source=source_id)
    for batch in _chunks(ids, batch_size):
        with session_scope(database_url) as session:
            for article in articles_by_ids(session, batch):
                _retag_one(article, tag, report)
                if progress is not None:
                    progress.advance()
    level = logging.WARNING if report.failed else logging.INFO
    log_event(log, "retag.finished", level, articles=report.selected, retagged=report.retagged,
              changed=report.changed, failed=report.failed)
    return report


def _retag_one(article: Article, tag: Tagger, report: RetagReport) -> None:
    before = _signature(article)
    try:
        store_retagged(article, tag(page_input(article)))
    except Exception as exc:  # one bad page must not stop a retag of thousands
        report.failed += 1
        if len(report.failures) < 20:
            report.failures.append(f"article {article.id} {article.url}: {exc}")
        log_event(log, "retag.failed", logging.WARNING, exc_info=True, article=article.id, url=article.url,
                  error=repr(exc))
        return
    report.retagged += 1
    if _signature(article) != before:
        report.changed += 1


def _chunks(items: list[int], size: int) -> Iterator[list[int]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
