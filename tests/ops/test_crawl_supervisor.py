"""Each crawl runs in its own process with a time limit; whatever happens ends in a run row."""

from __future__ import annotations

import threading
import time

from sqlalchemy import select

from newsmon.scheduler.crawl import CrawlSupervisor, crawl_command
from storage.db import session_scope
from storage.models import CrawlRun
from storage.repository import start_run
from tests.ops.helpers import fake_command


def _runs(url: str, source: str = "mvd_kg") -> list[CrawlRun]:
    with session_scope(url) as session:
        query = select(CrawlRun).where(CrawlRun.source_id == source).order_by(CrawlRun.id)
        return list(session.scalars(query))


def test_the_crawl_command_is_newsmon_crawl_with_the_mirror():
    argv = crawl_command("mvd_kg", "http://127.0.0.1:8123")
    assert argv[1:] == ["-m", "newsmon", "crawl", "mvd_kg", "--mirror", "http://127.0.0.1:8123"]


def test_a_successful_crawl_keeps_its_own_run_row(ops_db):
    supervisor = CrawlSupervisor(database_url=ops_db, command=fake_command("new:2"))
    outcome = supervisor.run("mvd_kg", time_limit_s=30)
    assert outcome.status == "finished" and outcome.exit_code == 0 and outcome.ok
    [run] = _runs(ops_db)
    assert outcome.run_ids == (run.id,)
    assert (run.status, run.trigger, run.articles_new, run.pages_fetched) == ("finished", "schedule", 2, 3)
    assert run.options["attempt"] == 0 and run.options["exit_code"] == 0


def test_a_crawl_that_exits_non_zero_leaving_its_run_open_is_marked_failed_with_the_reason(ops_db):
    supervisor = CrawlSupervisor(database_url=ops_db, command=fake_command("exit:4"))
    outcome = supervisor.run("mvd_kg", time_limit_s=30)
    [run] = _runs(ops_db)
    assert outcome.status == "failed" and outcome.exit_code == 4 and not outcome.ok
    assert run.status == "failed" and run.finished_at is not None
    assert run.message.startswith("crawl process exited with code 4")


def test_a_crawl_that_records_its_own_failure_keeps_its_message(ops_db):
    supervisor = CrawlSupervisor(database_url=ops_db, command=fake_command("fail"))
    outcome = supervisor.run("mvd_kg", time_limit_s=30)
    [run] = _runs(ops_db)
    assert outcome.status == "failed" and run.status == "failed"
    assert run.message == "spider error: listing unreachable"


def test_a_crawl_that_dies_before_writing_its_run_gets_a_failed_row(ops_db):
    outcome = CrawlSupervisor(database_url=ops_db, command=fake_command("crash"), mirror="http://127.0.0.1:9").run(
        "mvd_kg", time_limit_s=30, attempt=2
    )
    [run] = _runs(ops_db)
    assert outcome.status == "failed" and outcome.run_ids == (run.id,)
    assert run.status == "failed" and run.trigger == "schedule" and run.options["attempt"] == 2
    assert "exited with code 3" in run.message and "RuntimeError: boom before the run row" in run.message


def test_a_crawl_past_its_time_limit_is_killed_and_marked_timeout(ops_db):
    started = time.monotonic()
    supervisor = CrawlSupervisor(database_url=ops_db, command=fake_command("sleep:60,ignore_term"),
                                 kill_grace_s=1)
    outcome = supervisor.run("mvd_kg", time_limit_s=1.5)
    assert time.monotonic() - started < 15
    [run] = _runs(ops_db)
    assert outcome.status == "timeout" and outcome.exit_code is not None and outcome.exit_code < 0
    assert run.status == "timeout" and run.message == "killed after the time limit of 1.5 s"


def test_an_unstartable_command_is_a_failed_run(ops_db):
    supervisor = CrawlSupervisor(database_url=ops_db,
                                 command=lambda source, mirror: ["/nonexistent/newsmon-crawl"])
    outcome = supervisor.run("mvd_kg", time_limit_s=5)
    [run] = _runs(ops_db)
    assert outcome.status == "failed" and run.status == "failed" and run.message.startswith("could not start")


def test_the_same_source_is_never_crawled_twice_at_once(ops_db, tmp_path):
    marker = tmp_path / "marker"
    supervisor = CrawlSupervisor(database_url=ops_db, command=fake_command("sleep:3", marker))
    first = threading.Thread(target=supervisor.run, args=("mvd_kg",), kwargs={"time_limit_s": 30})
    first.start()
    deadline = time.monotonic() + 20
    while not (marker.exists() and _runs(ops_db)) and time.monotonic() < deadline:
        time.sleep(0.1)
    second = supervisor.run("mvd_kg", time_limit_s=30)
    assert second.status == "skipped" and "still running" in second.reason and second.ok
    # Another supervisor (a second scheduler, a hand-started crawl) sees the open run in the database.
    other = CrawlSupervisor(database_url=ops_db, command=fake_command("ok", marker))
    elsewhere = other.run("mvd_kg", time_limit_s=30)
    assert elsewhere.status == "skipped" and "is still running" in elsewhere.reason
    first.join(30)
    assert marker.read_text().count("start mvd_kg") == 1
    assert [run.status for run in _runs(ops_db)] == ["finished"]


def test_stopping_lets_crawls_finish_within_the_grace_period(ops_db):
    supervisor = CrawlSupervisor(database_url=ops_db, command=fake_command("sleep:1"))
    worker = threading.Thread(target=supervisor.run, args=("mvd_kg",), kwargs={"time_limit_s": 30})
    worker.start()
    deadline = time.monotonic() + 20
    while not _runs(ops_db) and time.monotonic() < deadline:
        time.sleep(0.05)
    supervisor.stop_all(grace_s=20)
    worker.join(5)
    assert [run.status for run in _runs(ops_db)] == ["finished"]
    assert supervisor.run("mvd_kg", time_limit_s=30).status == "skipped"  # no new crawls once stopping


def test_stopping_terminates_crawls_after_the_grace_period_and_marks_them_interrupted(ops_db):
    supervisor = CrawlSupervisor(database_url=ops_db, command=fake_command("sleep:60"), kill_grace_s=2)
    outcomes = []
    worker = threading.Thread(target=lambda: outcomes.append(supervisor.run("mvd_kg", time_limit_s=120)))
    worker.start()
    deadline = time.monotonic() + 20
    while not _runs(ops_db) and time.monotonic() < deadline:
        time.sleep(0.1)
    started = time.monotonic()
    supervisor.stop_all(grace_s=0.5)
    assert time.monotonic() - started < 10
    worker.join(5)
    [run] = _runs(ops_db)
    assert outcomes[0].status == "interrupted"
    assert run.status == "interrupted" and run.message == "stopped by the scheduler shutting down"


def test_a_run_left_open_by_a_crawl_that_ended_is_closed_and_the_source_crawled(ops_db, tmp_path):
    """A hand-started crawl that could not close its run (a full disk, a read-only database) holds
    no lock any more: its run is no reason to skip the source."""
    with session_scope(ops_db) as session:
        start_run(session, "mvd_kg")  # left running; no process holds the source's lock
    marker = tmp_path / "marker"
    supervisor = CrawlSupervisor(database_url=ops_db, command=fake_command("ok", marker))
    outcome = supervisor.run("mvd_kg", time_limit_s=30)
    assert outcome.status == "finished", outcome.reason
    assert marker.read_text().count("start mvd_kg") == 1
    orphan, crawled = _runs(ops_db)
    assert orphan.status == "failed" and "without closing its run" in orphan.message
    assert crawled.status == "finished"
