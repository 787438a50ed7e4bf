"""Building records the files on the Release row and in the audit log."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import select

from core.errors import UserError
from release.builder import build_release, parse_formats
from storage.db import session_scope
from storage.models import AuditEntry, Release
from storage.repository import audit_trail


def test_build_creates_the_release_row_and_audits(reference_db, tmp_path):
    with session_scope(reference_db) as session:
        paths = build_release(session, 2025, 1, ["md", "html"], "en", False, tmp_path, actor="editor")
    assert [path.name for path in paths] == [
        "information-release-2025-01-en.html",
        "information-release-2025-01-en.md",
    ]
    with session_scope(reference_db) as session:
        release = session.scalar(select(Release).where(Release.year == 2025, Release.number == 1))
        assert release is not None
        assert (release.period_text, release.status) == ("1-15.01.2025", "final")
        assert [(f["edition"], f["format"], f["draft"]) for f in release.files] == [("en", "html", False),
                                                                                  ("en", "md", False)]
        assert release.files[1]["sha256"] == hashlib.sha256(paths[1].read_bytes()).hexdigest()
        assert release.built_at is not None
        entry, frozen = audit_trail(session, "release", release.id)
        assert (entry.actor, entry.action) == ("editor", "build")
        assert (frozen.action, release.frozen_by) == ("freeze", "editor")  # a final build freezes
        assert entry.after["formats"] == ["html", "md"] and len(entry.after["events"]) == 9


def test_rebuild_replaces_its_own_record(reference_db, tmp_path):
    for _ in range(2):
        with session_scope(reference_db) as session:
            build_release(session, 2025, 1, ["md"], "en", False, tmp_path)
    with session_scope(reference_db) as session:
        build_release(session, 2025, 1, ["md"], "en", True, tmp_path)
    with session_scope(reference_db) as session:
        release = session.scalar(select(Release))
        assert [(f["format"], f["draft"]) for f in release.files] == [("md", False), ("md", True)]
        assert session.scalar(select(AuditEntry).order_by(AuditEntry.id.desc())).after["draft"] is True


def test_cli_build_prints_the_paths(reference_db, tmp_path, capsys):
    from newsmon.cli import main

    code = main(["release", "build", "--year", "2025", "--number", "1", "--format", "md", "--format", "html",
                 "-o", str(tmp_path)])
    assert code == 0
    assert capsys.readouterr().out.splitlines() == [
        str(tmp_path / "information-release-2025-01-en.html"),
        str(tmp_path / "information-release-2025-01-en.md"),
    ]


def test_formats_all_and_unknown():
    assert parse_formats(["all"]) == ("pdf", "docx", "html", "md")
    assert parse_formats(["md", "pdf,md"]) == ("pdf", "md")
    with pytest.raises(UserError, match="unknown format 'odt'"):
        parse_formats(["odt"])


def test_a_bad_release_number_is_a_user_error(release_db, tmp_path):
    with session_scope(release_db) as session, pytest.raises(UserError, match="1–24"):
        build_release(session, 2025, 25, ["md"], "en", True, tmp_path)
