"""``newsmon export``: the newsmon.release-events format, as JSON and as CSV."""

from __future__ import annotations

import csv
import io
import json

from newsmon.cli import main
from tests.release.reference import HEADLINES, LINKS


def test_json_export_shape(reference_db, tmp_path, capsys):
    target = tmp_path / "events.json"
    assert main(["export", "--year", "2025", "--number", "1", "--format", "json", "-o", str(target)]) == 0
    assert capsys.readouterr().out.strip() == str(target)
    export = json.loads(target.read_text(encoding="utf-8"))
    assert export["format"] == "newsmon.release-events"
    assert export["version"] == 1
    assert export["release"] == {"year": 2025, "number": 1, "period": "1-15.01.2025", "edition": "en"}
    assert export["counts"] == {"KZ": 5, "KG": 1, "RU": 2, "TJ": 1}
    assert list(export["counts"]) == ["KZ", "KG", "RU", "TJ"]
    assert [event["headline"] for event in export["events"]] == HEADLINES
    assert [event["url"] for event in export["events"]] == LINKS
    first = export["events"][0]
    assert set(first) == {"country", "headline", "text", "url", "published", "language", "topic", "source"}
    assert first["country"] == "KZ"
    assert first["published"] == "2025-01-09"
    assert first["language"] == "ru"
    assert first["topic"] == "prevention"
    assert first["source"] == "polisia_kz"
    assert first["text"].startswith("The event was initiated by officers")
    assert "\n\nTogether with juvenile police officers" in first["text"]


def test_csv_export_to_standard_output(reference_db, capsys):
    assert main(["export", "--year", "2025", "--number", "1", "--format", "csv"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert rows[0] == ["country", "headline", "text", "url", "published", "language", "topic", "source"]
    assert len(rows) == 10
    assert [row[0] for row in rows[1:]] == ["KZ"] * 5 + ["KG", "RU", "RU", "TJ"]
    assert rows[6][3] == "https://mvd.gov.kg/rus/news/4052"
    assert "\n\n" in rows[1][2]


def test_export_of_an_empty_period(release_db, capsys):
    assert main(["export", "--year", "2025", "--number", "7"]) == 0
    export = json.loads(capsys.readouterr().out)
    assert export["release"]["period"] == "1-15.04.2025"
    assert export["counts"] == {} and export["events"] == []
