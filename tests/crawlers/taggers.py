"""Taggers for the tagging-worker tests, loaded by dotted path inside ``newsmon crawl``."""

from __future__ import annotations

import os
from typing import Any

from core.types import PageInput, TaggedArticle
from pipeline.runner import tag_page


def _log(line: str) -> None:
    with open(os.environ["NEWSMON_TEST_TAG_LOG"], "a", encoding="utf-8") as handle:
        handle.write(line + "\n")


def recording_tagger(page: PageInput, source: Any = None) -> TaggedArticle:
    """The real tagger, noting which process ran it (pid and parent pid)."""
    _log(f"{os.getpid()} {os.getppid()} {page.url}")
    return tag_page(page, source)


def dying_tagger(page: PageInput, source: Any = None) -> TaggedArticle:
    """The real tagger, except that a tagging worker process dies on its third page."""
    in_worker = os.getppid() != int(os.environ["NEWSMON_TEST_CALLER_PID"])
    _log(f"{os.getpid()} {os.getppid()} {page.url}")
    if in_worker:
        with open(os.environ["NEWSMON_TEST_TAG_LOG"], encoding="utf-8") as handle:
            if sum(1 for _ in handle) == 3:
                os._exit(1)
    return tag_page(page, source)


def logging_warm_up() -> None:
    """A worker's warm-up, noted with the worker's pid."""
    _log(f"warm-up {os.getpid()}")
