"""No URL but http(s) becomes a link in any release format, and a final build refuses an event
whose article has no such URL."""

from __future__ import annotations

import subprocess
import zipfile

import pytest
from sqlalchemy import select

from release.builder import IncompleteRelease, build_release
from storage.db import session_scope
from storage.models import Article
from tests.release.reference import LINKS

UNSAFE = "javascript:alert(document.cookie)"


@pytest.fixture
def unsafe_db(reference_db: str) -> str:
    with session_scope(reference_db) as session:
        article = session.scalars(select(Article).where(Article.url == LINKS[0])).one()
        article.url = UNSAFE
    return reference_db


def test_a_final_build_refuses_an_event_without_an_http_link(unsafe_db, tmp_path):
    out = tmp_path / "out"
    with session_scope(unsafe_db) as session, pytest.raises(IncompleteRelease, match="http\\(s\\) link"):
        build_release(session, 2025, 1, ("html",), "en", draft=False, out_dir=out)
    assert not out.exists()


def test_a_draft_prints_no_unsafe_link_in_any_format(unsafe_db, tmp_path):
    with session_scope(unsafe_db) as session:
        paths = build_release(
            session, 2025, 1, ("html", "md", "docx", "pdf"), "en", draft=True, out_dir=tmp_path
        )
    by_suffix = {path.suffix: path for path in paths}
    assert "javascript:" not in by_suffix[".html"].read_text(encoding="utf-8")
    assert "javascript:" not in by_suffix[".md"].read_text(encoding="utf-8")
    with zipfile.ZipFile(by_suffix[".docx"]) as docx:
        assert not any(
            "javascript:" in docx.read(name).decode("utf-8", "replace") for name in docx.namelist()
        )
    pdf_text = subprocess.run(
        ["pdftotext", str(by_suffix[".pdf"]), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "javascript:" not in pdf_text
    assert b"javascript:" not in by_suffix[".pdf"].read_bytes()
    assert LINKS[1] in by_suffix[".html"].read_text(encoding="utf-8")  # the other links stay
