"""Fixtures of the release tests: fresh migrated SQLite databases, the reference issue loaded."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest

from storage import schema
from storage.db import dispose_engines
from tests.release.reference import load_reference


@pytest.fixture
def release_db(sqlite_url, monkeypatch) -> Iterator[str]:
    """A fresh migrated SQLite database (DATABASE_URL points at it)."""
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    schema.upgrade(sqlite_url)
    yield sqlite_url
    dispose_engines()


@pytest.fixture
def reference_db(release_db) -> str:
    """The reference issue's nine events, accepted, in a fresh database."""
    load_reference(release_db)
    return release_db


@pytest.fixture(scope="module")
def reference_build(tmp_path_factory) -> Iterator[dict[str, Path]]:
    """The en edition of the reference data built once per module in every format: {"pdf": path, …}."""
    from release.builder import build_release
    from storage.db import session_scope

    folder = tmp_path_factory.mktemp("reference-build")
    url = f"sqlite:///{folder / 'newsmon.sqlite'}"
    schema.upgrade(url)
    load_reference(url)
    with session_scope(url) as session:
        paths = build_release(session, 2025, 1, ["all"], "en", False, folder / "out")
    yield {path.suffix.lstrip("."): path for path in paths}
    dispose_engines()


# --- reading the outputs -----------------------------------------------------------------------


def squash(text: str) -> str:
    """Whitespace runs (line breaks, layout padding) as single spaces."""
    return re.sub(r"\s+", " ", text).strip()


def pdf_text(path: Path, page: int | None = None) -> str:
    """``pdftotext -layout`` of the whole PDF, or of one page (1-based)."""
    assert shutil.which("pdftotext"), "pdftotext is missing: run scripts/system-deps.sh (poppler-utils)"
    pages = ["-f", str(page), "-l", str(page)] if page else []
    return subprocess.run(
        ["pdftotext", "-layout", *pages, str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def pdf_pages(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


_INLINE = {"a", "i", "b", "em", "strong", "span"}


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs) -> None:
        if tag in ("style", "script", "title"):
            self._skip += 1
        if tag not in _INLINE:
            self.parts.append(" ")

    def handle_endtag(self, tag) -> None:
        if tag in ("style", "script", "title"):
            self._skip -= 1
        if tag not in _INLINE:
            self.parts.append(" ")

    def handle_data(self, data) -> None:
        if not self._skip:
            self.parts.append(data)


def html_text(markup: str) -> str:
    """The visible text of an HTML document, whitespace squashed."""
    parser = _Text()
    parser.feed(markup)
    return squash("".join(parser.parts))


def markdown_text(markdown: str) -> str:
    """Markdown as the text a reader sees: emphasis marks, escapes and autolink brackets removed."""
    text = re.sub(r"(?<!\\)\*", "", markdown)
    text = re.sub(r"\\([\\`*_\[\]<>#+\-.!)])", r"\1", text)
    text = re.sub(r"<(https?://[^>]+)>", r"\1", text)
    return squash(text)
