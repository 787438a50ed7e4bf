"""Same data, same bytes: builds carry no timestamps."""

from __future__ import annotations

from release.builder import build_release
from storage.db import session_scope


def test_two_builds_are_byte_identical(reference_db, tmp_path):
    with session_scope(reference_db) as session:
        first = build_release(session, 2025, 1, ["html", "md", "docx"], "en", False, tmp_path / "a")
    with session_scope(reference_db) as session:
        second = build_release(session, 2025, 1, ["html", "md", "docx"], "en", False, tmp_path / "b")
    for one, other in zip(first, second, strict=True):
        assert one.name == other.name
        assert one.read_bytes() == other.read_bytes(), one.name
