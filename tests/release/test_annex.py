"""The optional statistics annex: off by default (the reference has none); when configured, every
format ends with a chart and a table of accepted events per country over the last periods."""

from __future__ import annotations

import zipfile

import pytest
from docx import Document

from release.builder import assemble_release, build_release
from release.settings import load_release_settings
from storage.db import session_scope
from tests.release.conftest import pdf_text
from tests.release.reference import add_event

EARLIER = [("KZ", 2024, 12, 20), ("KZ", 2024, 12, 22), ("KG", 2024, 11, 5), ("RU", 2024, 12, 3)]


def _annexed_settings():
    settings = load_release_settings()
    return settings.model_copy(update={"annex": settings.annex.model_copy(update={"enabled": True,
                                                                                  "periods": 4})})


@pytest.fixture
def history_db(reference_db: str) -> str:
    """The reference's nine events (period 2025-01) and four accepted events of earlier periods,
    plus one rejected that never counts."""
    with session_scope(reference_db) as session:
        for index, (country, year, month, day) in enumerate(EARLIER):
            add_event(session, url=f"https://example.kz/news/{index}", country=country, year=year,
                      month=month, day=day, headline_en=f"Earlier event {index}", text_en="Text.",
                      source_id=None)
        add_event(session, url="https://example.kz/news/rejected", country="TJ", year=2024, month=12, day=21,
                  status="rejected", source_id=None)
    return reference_db


def test_the_reference_layout_has_no_annex_by_default(reference_db: str) -> None:
    assert load_release_settings().annex.enabled is False
    with session_scope(reference_db) as session:
        assert assemble_release(session, 2025, 1, "en").annex is None


def test_the_annex_counts_accepted_events_per_country_and_period(history_db: str) -> None:
    with session_scope(history_db) as session:
        annex = assemble_release(session, 2025, 1, "en", settings=_annexed_settings()).annex
    assert annex is not None
    assert annex.periods == ("2024-22", "2024-23", "2024-24", "2025-01")
    assert annex.countries == ("Kazakhstan", "Kyrgyzstan", "Russia", "Tajikistan")
    assert annex.rows == [
        ("2024-22", (0, 0, 0, 0), 0),
        ("2024-23", (0, 0, 1, 0), 1),
        ("2024-24", (2, 0, 0, 0), 2),
        ("2025-01", (5, 1, 2, 1), 9),
    ]
    assert annex.svg.lstrip().startswith("<?xml") and "2025-01" in annex.svg
    assert annex.png.startswith(b"\x89PNG")


def test_every_format_ends_with_the_annex(history_db: str, tmp_path) -> None:
    with session_scope(history_db) as session:
        paths = build_release(session, 2025, 1, ["all"], "en", False, tmp_path, settings=_annexed_settings())
    built = {path.suffix.lstrip("."): path for path in paths}
    markdown = built["md"].read_text(encoding="utf-8")
    assert "- [ANNEX: STATISTICS](#annex-statistics)" in markdown
    assert "| 2025-01 | 5 | 1 | 2 | 1 | 9 |" in markdown
    html = built["html"].read_text(encoding="utf-8")
    assert '<img src="data:image/svg+xml;base64,' in html and "<svg" not in html
    pdf = pdf_text(built["pdf"])
    assert "ANNEX: STATISTICS" in pdf.split("CONTENTS", 1)[1].split("In the period")[0]
    assert "2024-24" in pdf
    document = Document(str(built["docx"]))
    table = document.tables[-1]
    assert [cell.text for cell in table.rows[-1].cells] == ["2025-01", "5", "1", "2", "1", "9"]
    assert any(name.startswith("word/media/") for name in zipfile.ZipFile(built["docx"]).namelist())
    contents = [p.text for p in document.paragraphs if p.text.startswith("ANNEX: STATISTICS\t")]
    assert len(contents) == 1 and contents[0].split("\t")[1].isdigit()
