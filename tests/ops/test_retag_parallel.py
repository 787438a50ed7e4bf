"""``newsmon retag`` in worker processes: the serial result, resumable, and a second run is a no-op."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from config import load_sources
from core.types import PageInput, TaggedArticle
from newsmon.retag import retag
from newsmon.retag_workers import can_fork
from pipeline.runner import tag_page
from pipeline.version import tagger_version
from storage import schema
from storage.db import dispose_engines, session_scope
from storage.repository import sync_sources
from tests.ops.retag_store import make_stale, mixed_pages, rows, store_pages

pytestmark = pytest.mark.skipif(not can_fork(), reason="retag workers are forked (Linux)")


class StopAfter:
    """A progress reporter that stops the retag like Ctrl-C once ``count`` articles are written."""

    def __init__(self, count: int) -> None:
        self.count = count
        self.done = 0

    def set_total(self, total: int | None) -> None:
        self.total = total

    def note(self, text: str) -> None:
        pass

    def advance(self, steps: int = 1) -> None:
        self.done += steps
        if self.done >= self.count:
            raise KeyboardInterrupt


@pytest.fixture
def stale_stores(tmp_path: Path) -> Iterator[tuple[str, str]]:
    """Two SQLite stores holding the same 30 articles, tagged before a lexicon fix."""
    urls = []
    for name in ("one", "two"):
        url = f"sqlite:///{tmp_path / name}.sqlite"
        schema.upgrade(url)
        with session_scope(url) as session:
            sync_sources(session, load_sources())
        store_pages(url, mixed_pages())
        make_stale(url)
        urls.append(url)
    yield urls[0], urls[1]
    dispose_engines()


def test_two_workers_write_what_one_process_writes(stale_stores):
    serial_url, parallel_url = stale_stores
    assert rows(serial_url) == rows(parallel_url)
    serial = retag(database_url=serial_url, workers=1, batch_size=7)
    parallel = retag(database_url=parallel_url, workers=2, batch_size=7)
    assert (serial.workers, parallel.workers) == (1, 2)
    assert (serial.selected, serial.retagged, serial.failed) == (30, 30, 0)
    assert (parallel.selected, parallel.retagged, parallel.changed, parallel.failed) == (
        serial.selected, serial.retagged, serial.changed, serial.failed)
    assert serial.changed > 0
    assert rows(parallel_url) == rows(serial_url)


def test_a_stopped_retag_resumes_where_it_stopped(stale_stores):
    whole_url, stopped_url = stale_stores
    retag(database_url=whole_url, workers=1, batch_size=5)
    with pytest.raises(KeyboardInterrupt):
        retag(database_url=stopped_url, workers=2, batch_size=5, progress=StopAfter(15))
    resumed = retag(database_url=stopped_url, workers=2, batch_size=5)
    assert (resumed.selected, resumed.up_to_date, resumed.retagged) == (15, 15, 15)
    assert rows(stopped_url) == rows(whole_url)


def test_a_second_retag_finds_nothing_to_do_and_writes_nothing(ops_db):
    store_pages(ops_db, mixed_pages())
    make_stale(ops_db)
    first = retag(database_url=ops_db, workers=2)
    assert (first.selected, first.retagged, first.tagger_version) == (30, 30, tagger_version())
    before = rows(ops_db, keep_times=True)
    second = retag(database_url=ops_db, workers=2)
    assert (second.selected, second.up_to_date, second.retagged, second.changed) == (0, 30, 0, 0)
    assert rows(ops_db, keep_times=True) == before


def test_a_retag_of_everything_retags_what_this_tagger_tagged_already(ops_db):
    store_pages(ops_db, mixed_pages())
    report = retag(database_url=ops_db, workers=2, everything=True)
    assert (report.selected, report.up_to_date, report.retagged, report.changed) == (30, 0, 30, 0)


def test_a_new_tagger_version_retags_every_article(ops_db):
    store_pages(ops_db, mixed_pages())
    assert retag(database_url=ops_db, workers=1).selected == 0
    report = retag(database_url=ops_db, workers=1, version="after-a-lexicon-fix")
    assert (report.selected, report.retagged, report.changed) == (30, 30, 0)
    assert retag(database_url=ops_db, workers=1, version="after-a-lexicon-fix").selected == 0


def test_a_row_the_database_refuses_fails_alone_and_is_tried_again_next_time(ops_db):
    ids = store_pages(ops_db, mixed_pages())
    make_stale(ops_db)
    refused = mixed_pages()[7].url

    def unstorable(page: PageInput) -> TaggedArticle:
        tagged = tag_page(page)
        if page.url == refused:  # a value no JSON column takes
            return replace(tagged, countries_mentioned=(object(),))  # type: ignore[arg-type]
        return tagged

    report = retag(database_url=ops_db, workers=1, batch_size=10, tagger=unstorable)
    assert (report.retagged, report.failed) == (29, 1)
    assert report.failures[0].startswith(f"article {ids[7]} {refused}: ")
    again = retag(database_url=ops_db, workers=1)
    assert (again.selected, again.retagged, again.failed) == (1, 1, 0)
