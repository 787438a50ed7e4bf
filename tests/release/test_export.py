"""``newsmon export``: the newsmon.release-events format, as JSON and as CSV."""

from __future__ import annotations

import csv
import io
import json

from newsmon.cli import main
from tests.release.reference import HEADLINES, LINKS


def test_json_export_shape_of_version_1(reference_db, tmp_path, capsys):
    target = tmp_path / "events.json"
    command = ["export", "--year", "2025", "--number", "1", "--format", "json", "-o", str(target)]
    assert main([*command, "--format-version", "1"]) == 0
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


def test_csv_export_of_version_1_to_standard_output(reference_db, capsys):
    command = ["export", "--year", "2025", "--number", "1", "--format", "csv"]
    assert main([*command, "--format-version", "1"]) == 0
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


def test_version_2_gives_each_event_its_id_and_facts(reference_db, capsys):
    assert main(["export", "--year", "2025", "--number", "1"]) == 0
    export = json.loads(capsys.readouterr().out)
    assert export["version"] == 2
    first = export["events"][0]
    assert set(first) == {
        "id", "country", "headline", "text", "url", "published", "language", "topic", "source", "facts"
    }
    assert isinstance(first["id"], int)
    assert set(first["facts"]) == {
        "substances", "quantities", "places", "agencies", "detained", "operation", "legal_articles"
    }


def test_version_2_csv_starts_with_a_byte_order_mark_and_the_event_id(reference_db, capsys):
    assert main(["export", "--year", "2025", "--number", "1", "--format", "csv"]) == 0
    text = capsys.readouterr().out
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert rows[0][:2] == ["id", "country"] and rows[0][-1] == "legal_articles"
    assert all(row[0].isdigit() for row in rows[1:])


def test_an_unknown_format_version_is_refused(reference_db, capsys):
    assert main(["export", "--year", "2025", "--number", "1", "--format-version", "3"]) != 0
    assert "version 3" in capsys.readouterr().err
