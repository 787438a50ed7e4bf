"""Tagging in worker processes (``crawlers/tagging.py``): the crawl stores the same articles,
the pages are tagged outside the crawl process, and a worker that dies loses nothing."""

from __future__ import annotations

import asyncio
import errno
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from core.types import PageInput
from crawlers.tagging import MAX_AUTO_PROCESSES, TaggingPool, tag_processes
from mirror import MirrorServer
from storage import schema
from storage.db import dispose_engines
from tests.crawlers.test_crawl_e2e import REPO, newsmon, runs, stored

SOURCE = "akn_tj"


def crawl(mirror: MirrorServer, directory: Path, tagger: str, processes: str) -> tuple[str, list[list[str]]]:
    """Crawl ``SOURCE`` from the mirror with ``tagger``; the database URL and the tag log lines."""
    directory.mkdir()
    database_url = f"sqlite:///{directory / 'newsmon.sqlite'}"
    schema.upgrade(database_url)
    dispose_engines()
    log = directory / "tagged.log"
    result = newsmon(
        "crawl",
        SOURCE,
        "--mirror",
        mirror.url,
        database_url=database_url,
        data_dir=directory,
        env={
            "NEWSMON_TAGGER": f"tests.crawlers.taggers.{tagger}",
            "NEWSMON_TAG_PROCESSES": processes,
            "NEWSMON_TEST_TAG_LOG": str(log),
            "NEWSMON_TEST_CALLER_PID": str(os.getpid()),
            "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])),
        },
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return database_url, [line.split() for line in log.read_text("utf-8").splitlines()]


def stored_urls(database_url: str) -> list[str]:
    return sorted(article.canonical_url for article in stored(database_url))


@pytest.fixture(scope="module")
def in_process(mirror_server: MirrorServer, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, list]:
    mirror_server.set_faults({})
    return crawl(mirror_server, tmp_path_factory.mktemp("tagging") / "local", "recording_tagger", "0")


def test_with_no_tag_processes_the_crawl_process_tags(in_process: tuple[str, list]) -> None:
    _, tagged = in_process
    assert tagged and {parent for _, parent, _ in tagged} == {str(os.getpid())}


def test_pages_are_tagged_in_worker_processes_and_the_same_articles_stored(
    in_process: tuple[str, list], mirror: MirrorServer, tmp_path: Path
) -> None:
    database_url, tagged = crawl(mirror, tmp_path / "workers", "recording_tagger", "1")
    crawl_pids = {parent for _, parent, _ in tagged}
    assert str(os.getpid()) not in crawl_pids, "tagged by a child of the crawl, not by the crawl"
    assert len({pid for pid, _, _ in tagged}) == 1, "one worker process"
    assert stored_urls(database_url) == stored_urls(in_process[0])


def test_a_tagging_worker_that_dies_loses_no_article(
    in_process: tuple[str, list], mirror: MirrorServer, tmp_path: Path
) -> None:
    database_url, tagged = crawl(mirror, tmp_path / "dying", "dying_tagger", "1")
    assert stored_urls(database_url) == stored_urls(in_process[0])
    assert [run.status for run in runs(database_url)] == ["finished"]
    crawl_pid = tagged[0][1]  # the worker's parent
    assert crawl_pid != str(os.getpid())
    died_on = tagged[2][2]
    # The page the worker died on, and every later one, were tagged by the crawl process itself.
    assert tagged[3:] and all(pid == crawl_pid for pid, _, _ in tagged[3:])
    assert died_on in {url for _, _, url in tagged[3:]}


def test_tag_processes_auto_leaves_one_core_to_the_crawl() -> None:
    cores = len(os.sched_getaffinity(0))
    assert tag_processes("auto") == max(0, min(cores - 1, MAX_AUTO_PROCESSES))
    assert tag_processes(None) == tag_processes("auto")


def test_tag_processes_takes_a_number_and_refuses_anything_else() -> None:
    assert (tag_processes("0"), tag_processes(3)) == (0, 3)
    for bad in ("many", "-1", "1.5"):
        with pytest.raises(ValueError, match="NEWSMON_TAG_PROCESSES"):
            tag_processes(bad)


def child_pids(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except FileNotFoundError:
        return []


def start_crawl_with_a_worker(
    mirror: MirrorServer, directory: Path
) -> tuple[subprocess.Popen[str], int, str]:
    """``newsmon crawl SOURCE`` with one tagging worker, started in the background; the crawl
    process, its worker's pid once it is forked, and the database URL."""
    database_url = f"sqlite:///{directory / 'newsmon.sqlite'}"
    schema.upgrade(database_url)
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "NEWSMON_DATA_DIR": str(directory),
        "NEWSMON_TAG_PROCESSES": "1",
    }
    crawl_process = subprocess.Popen(
        [sys.executable, "-m", "newsmon", "-q", "crawl", SOURCE, "--mirror", mirror.url],
        env=env,
        cwd=directory,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while not (workers := child_pids(crawl_process.pid)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert workers, "the crawl started a tagging worker"
    return crawl_process, workers[0], database_url


def test_a_worker_ends_when_its_crawl_is_killed(tmp_path: Path) -> None:
    with MirrorServer(latency_s=0.5) as slow:
        crawl_process, worker, _ = start_crawl_with_a_worker(slow, tmp_path)
        crawl_process.kill()
        crawl_process.communicate()
        deadline = time.monotonic() + 10
        while Path(f"/proc/{worker}").exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not Path(f"/proc/{worker}").exists(), "the orphaned worker ended"


def test_off_linux_tagging_stays_in_the_crawl_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "platform", "darwin")
    assert tag_processes("auto") == 0 and tag_processes("0") == 0
    with pytest.raises(ValueError, match="must be 0 on darwin"):
        tag_processes("2")


def test_when_no_worker_can_be_forked_the_crawl_process_tags(monkeypatch: pytest.MonkeyPatch) -> None:
    def fork_fails() -> int:
        raise OSError(errno.EAGAIN, "Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", fork_fails)
    pool = TaggingPool("tests.crawlers.taggers.recording_tagger", 1)
    assert not pool.in_workers
    page = PageInput(url="https://akn.tj/ru/2025/01/10/test/", source_id=SOURCE, text="Текст " * 20)
    monkeypatch.setenv("NEWSMON_TEST_TAG_LOG", str(Path(os.devnull)))
    tagged = asyncio.run(pool.tag(page, None))
    assert tagged.page is page
    pool.close()


def _catches(pid: int, signum: int) -> bool:
    """Whether process ``pid`` has a handler for ``signum`` (Linux: the SigCgt mask in /proc)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("SigCgt:"):
            return bool(int(line.split()[1], 16) & (1 << (signum - 1)))
    return False


def test_a_worker_ends_on_sigterm_and_the_crawl_goes_on(tmp_path: Path) -> None:
    with MirrorServer(latency_s=0.5, synthetic=60) as slow:  # a crawl of well over 5 s
        crawl_process, worker, database_url = start_crawl_with_a_worker(slow, tmp_path)
        # Until its initializer has run, a just-forked worker still has the crawl's own SIGTERM
        # handler: the signal is sent to a worker that has started, not to one half forked.
        deadline = time.monotonic() + 30
        while _catches(worker, signal.SIGTERM) and time.monotonic() < deadline:
            time.sleep(0.05)
        os.kill(worker, signal.SIGTERM)
        deadline = time.monotonic() + 2
        while worker in child_pids(crawl_process.pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert worker not in child_pids(crawl_process.pid), "the worker ended on SIGTERM"
        assert crawl_process.poll() is None, "while the crawl went on"
        _, errors = crawl_process.communicate(timeout=120)
        assert crawl_process.returncode == 0, errors[-3000:]
        expected = [a for a in slow.articles if a.source_id == SOURCE]
    assert [run.status for run in runs(database_url)] == ["finished"]
    assert len(stored(database_url)) == len(expected)


def test_each_worker_warms_up_before_its_first_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    log = tmp_path / "tagged.log"
    monkeypatch.setenv("NEWSMON_TEST_TAG_LOG", str(log))
    pool = TaggingPool("tests.crawlers.taggers.recording_tagger", 1, "tests.crawlers.taggers.logging_warm_up")
    page = PageInput(url="https://akn.tj/ru/2025/01/10/test/", source_id=SOURCE, text="Текст " * 20)
    try:
        asyncio.run(pool.tag(page, None))
    finally:
        pool.close()
    warm_up, tagged = (line.split() for line in log.read_text("utf-8").splitlines())
    assert warm_up == ["warm-up", tagged[0]], "the same worker, before its page"
    assert tagged[2] == page.url and tagged[0] != str(os.getpid())


def test_the_default_tagger_is_warmed_up_by_the_runner_and_another_only_when_asked() -> None:
    from crawlers.tagging import DEFAULT_WARM_UP, acquire, release

    for tagger, asked, expected in (
        (None, None, DEFAULT_WARM_UP),
        ("tests.crawlers.taggers.recording_tagger", None, None),
        ("tests.crawlers.taggers.recording_tagger", DEFAULT_WARM_UP, DEFAULT_WARM_UP),
    ):
        pool = acquire(tagger, 0, asked)
        assert pool.warm_up_path == expected
        release(pool)
