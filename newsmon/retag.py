"""Re-running the tagging pipeline on stored articles, without fetching anything.

After a lexicon, gazetteer or extractor change, ``newsmon retag`` rebuilds each article's
:class:`~core.types.PageInput` from its stored columns and raw HTML, runs the pipeline again and
writes the machine columns back through :func:`storage.retag.store_retagged` (which never touches
the analysts' columns of events). Crawl-run bookkeeping is left as it was: a retag is not a crawl.

Parallel: the tagging runs in worker processes (:mod:`newsmon.retag_workers`, one per core by
default) while this process reads the next batches and writes the tagged ones, in article id
order, one transaction per batch. Events are assigned in that order, so the result is the serial
retag's, whatever the number of workers.

Resumable and idempotent: each article stores the version of the tagger that tagged it
(:func:`pipeline.version.tagger_version`), and a retag takes only the articles another version
tagged. A retag stopped midway keeps the batches it committed and the next one goes on from
there; a retag after a finished one finds nothing to do and writes nothing. ``everything=True``
(``--all``) retags regardless.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import Future
from contextlib import ExitStack
from dataclasses import dataclass, field, replace
from datetime import date

from newsmon.logs import log_event
from newsmon.progress import ProgressReporter
from newsmon.retag_workers import Failure, Outcome, Tagger, TaggingWorkers, default_workers
from storage.clustering import refresh_events
from storage.db import session_scope
from storage.retag import (
    StoredPage,
    knowing_stored_rows,
    select_article_ids,
    signature_of,
    store_retagged,
    stored_pages,
)

log = logging.getLogger(__name__)

BATCH_SIZE = 100
"""Articles read, and written, per transaction."""
CHUNK_SIZE = 10
"""Articles handed to a worker at once (small enough to keep every worker busy to the end)."""
BATCHES_AHEAD = 2
"""Batches being tagged while this process writes the oldest one."""


@dataclass
class RetagReport:
    selected: int = 0
    """Articles to retag: those of the selection that another tagger version tagged."""
    up_to_date: int = 0
    """Articles of the selection already tagged by this tagger version (left alone)."""
    retagged: int = 0
    changed: int = 0
    """Articles whose relevance label, topic, country, language or period changed."""
    failed: int = 0
    failures: list[str] = field(default_factory=list)
    """``article <id> <url>: <error>`` for the first few failures."""
    tagger_version: str = ""
    workers: int = 1
    """Processes that tagged (1: this one)."""


def default_tagger() -> Tagger:
    """The pipeline runner's ``tag_page`` (imported late: loading lexicons takes a moment)."""
    from pipeline.runner import tag_page

    return tag_page


def current_version() -> str:
    """The running tagger's version (:mod:`pipeline.version`, imported late like the tagger)."""
    from pipeline.version import tagger_version

    return tagger_version()


def retag(
    *,
    since: date | None = None,
    source_id: str | None = None,
    database_url: str | None = None,
    tagger: Tagger | None = None,
    progress: ProgressReporter | None = None,
    batch_size: int = BATCH_SIZE,
    workers: int | None = None,
    pool: TaggingWorkers | None = None,
    everything: bool = False,
    version: str | None = None,
) -> RetagReport:
    """Retag the selected articles that another tagger version tagged, committing every
    ``batch_size`` of them.

    Args:
        since: Only articles published on or after this day.
        source_id: Only this source's articles.
        database_url: Default: ``DATABASE_URL``.
        tagger: ``PageInput -> TaggedArticle``; default: the pipeline runner.
        progress: Told the total and each article done (see :mod:`newsmon.progress`).
        batch_size: Articles per transaction.
        workers: Tagging processes (default: one per core; 1 tags in this process).
        pool: Workers started by the caller (before its progress bar's thread); overrides
            ``tagger`` and ``workers``.
        everything: Retag the selected articles even if this tagger version tagged them.
        version: The tagger version stamped on the retagged articles and compared with the stored
            ones; default: :func:`pipeline.version.tagger_version`.
    """
    if pool is None:
        with TaggingWorkers(workers or default_workers(), tagger or default_tagger()) as own:
            return retag(since=since, source_id=source_id, database_url=database_url, progress=progress,
                         batch_size=batch_size, pool=own, everything=everything, version=version)
    report = RetagReport(
        tagger_version=version or current_version(), workers=pool.workers if pool.in_processes else 1
    )
    with session_scope(database_url) as session:
        ids = select_article_ids(
            session, since=since, source_id=source_id,
            not_tagged_by=None if everything else report.tagger_version,
        )
        everyone = ids if everything else select_article_ids(session, since=since, source_id=source_id)
    report.selected, report.up_to_date = len(ids), len(everyone) - len(ids)
    if progress is not None:
        progress.set_total(len(ids))
    log_event(log, "retag.started", articles=len(ids), up_to_date=report.up_to_date, since=since,
              source=source_id, tagger=report.tagger_version, workers=report.workers)
    pending: deque[_Batch] = deque()
    batches = _chunks(ids, batch_size)
    while True:
        while len(pending) <= BATCHES_AHEAD and (batch := next(batches, None)) is not None:
            pending.append(_submit(pool, database_url, batch))
        if not pending:
            break
        _write(pool, pending.popleft(), database_url, report, progress)
    level = logging.WARNING if report.failed else logging.INFO
    log_event(log, "retag.finished", level, articles=report.selected, retagged=report.retagged,
              changed=report.changed, failed=report.failed)
    return report


@dataclass
class _Batch:
    chunks: list[tuple[list[StoredPage], Future[list[Outcome]]]]


def _submit(pool: TaggingWorkers, database_url: str | None, ids: list[int]) -> _Batch:
    with session_scope(database_url) as session:
        pages = stored_pages(session, ids)
    chunks = [pages[start : start + CHUNK_SIZE] for start in range(0, len(pages), CHUNK_SIZE)]
    return _Batch([(chunk, pool.submit(chunk)) for chunk in chunks])


def _write(
    pool: TaggingWorkers,
    batch: _Batch,
    database_url: str | None,
    report: RetagReport,
    progress: ProgressReporter | None,
) -> None:
    """Write one batch's outcomes in id order, in one transaction, then count them done.

    The rows go in without a savepoint each (two statements less per article); if the database
    refuses one, the batch is written again with each row in a savepoint, so that one row fails
    alone and the others are kept.
    """
    outcomes = [(stored, outcome) for chunk, future in batch.chunks
                for stored, outcome in zip(chunk, pool.result(future, chunk), strict=True)]
    try:
        results = _store(database_url, outcomes, report.tagger_version, isolated=False)
    except Exception as exc:  # a row the database refused: each row on its own
        log_event(log, "retag.batch_again", logging.WARNING, articles=len(outcomes), error=repr(exc))
        results = _store(database_url, outcomes, report.tagger_version, isolated=True)
    for (stored, _), result in zip(outcomes, results, strict=True):
        if isinstance(result, Failure):
            _failed(report, stored, result)
        else:
            report.retagged += 1
            report.changed += result
    if progress is not None:
        progress.advance(len(outcomes))


def _store(
    database_url: str | None, outcomes: list[tuple[StoredPage, Outcome]], version: str, *, isolated: bool
) -> list[Failure | bool]:
    """Store the tagged articles of a batch; per article, its failure or whether its tags changed.

    ``isolated``: each row in a savepoint, a row the database refuses becomes a failure;
    otherwise such a row raises (and the transaction is rolled back).
    """
    results: list[Failure | bool] = []
    events: set[int] = set()  # refreshed once, at the end of the batch (one row at a time if isolated)
    with session_scope(database_url) as session, ExitStack() as known:
        if not isolated:
            known.enter_context(knowing_stored_rows(session, [stored.article_id for stored, _ in outcomes]))
        for stored, outcome in outcomes:
            if isinstance(outcome, Failure):
                results.append(outcome)
                continue
            tagged = replace(outcome, tagger_version=version)
            if not isolated:
                store_retagged(session, stored, tagged, refresh=events)
            else:
                try:
                    with session.begin_nested():
                        store_retagged(session, stored, tagged)
                except Exception as exc:  # one bad row must not stop a retag of thousands
                    results.append(Failure(error=str(exc) or repr(exc), detail=repr(exc)))
                    continue
            results.append(signature_of(tagged) != stored.signature)
        refresh_events(session, events)
    return results


def _failed(report: RetagReport, stored: StoredPage, failure: Failure) -> None:
    url = stored.page_values["url"]
    report.failed += 1
    if len(report.failures) < 20:
        report.failures.append(f"article {stored.article_id} {url}: {failure.error}")
    log_event(log, "retag.failed", logging.WARNING, article=stored.article_id, url=url, error=failure.error,
              detail=failure.detail)


def _chunks(items: Sequence[int], size: int) -> Iterator[list[int]]:
    for start in range(0, len(items), size):
        yield list(items[start : start + size])
