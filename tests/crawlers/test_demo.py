"""``newsmon demo`` (what ``make demo`` runs): a fresh database, the mirror crawled, the headline."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from crawlers.registry import site_ids


@pytest.mark.slow
def test_demo_crawls_the_mirror_and_prints_the_headline(tmp_path: Path) -> None:
    users_db = tmp_path / "users.sqlite"
    data = tmp_path / "data"
    (data).mkdir()
    (data / "demo.sqlite").write_text("stale")  # the demo starts from a fresh database
    env = {
        **os.environ,
        "NEWSMON_DATA_DIR": str(data),
        "DATABASE_URL": f"sqlite:///{users_db}",
        "COLUMNS": "160",
    }
    env.pop("NEWSMON_DEMO_LIVE", None)
    result = subprocess.run(
        [sys.executable, "-m", "newsmon", "-q", "demo"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    out = result.stdout
    assert not users_db.exists(), "the demo never touches the user's DATABASE_URL database"
    assert (data / "demo.sqlite").stat().st_size > 100_000
    for source_id in site_ids():
        assert re.search(rf"{source_id}\s*│\s*finished", out), out
    for country, count in (("Kazakhstan", 5), ("Kyrgyzstan", 1), ("Russia", 2), ("Tajikistan", 1)):
        assert re.search(rf"{country} \(\w\w\)\s*│\s*{count}\s", out), out
    assert (
        "covered 9 events in the counter-narcotics sphere (Kazakhstan - 5, Kyrgyzstan - 1, Russia - 2, "
        "Tajikistan - 1)" in " ".join(out.split())
    )
    assert "9 applied, 0 unchanged, 0 not found, 0 invalid" in out
    release_dir = data / "demo" / "release-2025-01"
    for edition in ("en", "ru"):
        for extension in ("pdf", "docx", "html", "md"):
            assert (release_dir / f"information-release-2025-01-{edition}.{extension}").stat().st_size > 1000
    english = (release_dir / "information-release-2025-01-en.md").read_text(encoding="utf-8")
    assert "ANTI-DRUG CAMPAIGN “HAPPINESS IN LITTLE THINGS!” HELD IN KOKSHETAU" in english
    assert "https://mvd.gov.kg/rus/news/4052" in english
    assert '"KZ": 5' in (release_dir / "events-2025-01.json").read_text(encoding="utf-8")
    assert_seizure_release_exported_with_facts(data / "demo", out)
    chart = ET.parse(data / "demo" / "trends" / "trends-substance.svg").getroot()
    texts = {element.text for element in chart.iter() if element.tag.endswith("text")}
    assert {"2023-01", "2024-01"} <= texts, "the trend spans the mirror's generated stories"
    assert {"heroin", "hashish"} <= texts, "the generated seizures name their drugs"


def assert_seizure_release_exported_with_facts(demo: Path, out: str) -> None:
    """Besides the reference release, the demo exports a period of the mirror's generated seizure
    stories (export v2): each event is a seizure with the facts it states."""
    exports = sorted(demo.glob("release-20*/events-*.json"))
    seizures = [path for path in exports if path.name != "events-2025-01.json"]
    assert len(seizures) == 1, exports
    export = json.loads(seizures[0].read_text(encoding="utf-8"))
    assert export["version"] == 2
    assert (export["release"]["year"], export["release"]["number"]) < (2025, 1)
    events = export["events"]
    assert len(events) >= 3
    assert {event["topic"] for event in events} == {"seizure_arrest"}
    for event in events:
        facts = event["facts"]
        assert facts["substances"] or facts["quantities"], event
        for quantity in facts["quantities"]:
            assert quantity["evidence"], quantity  # the words that state it (of any language version)
            assert (quantity["grams"] or quantity["count"] or 0) > 0, quantity
    assert any(event["facts"]["places"] for event in events)
    assert sum(len(event["facts"]["quantities"]) for event in events) >= len(events)
    assert f"{len(events)} seizure events accepted, exported with their facts" in " ".join(out.split())
