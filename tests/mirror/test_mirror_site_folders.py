"""Every mirrored site is a folder of data: a ``site.toml`` naming its shape, templates, articles.

No site folder holds Python. A data-only copy of each police site folder, under other hosts and
from another folder (``NEWSMON_MIRROR_EXTRA_SITES``), is served by its shape; a regional host of
the portal shape is one ``[hosts]`` entry plus its articles.
"""

from __future__ import annotations

import http.client
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from markupsafe import escape

from mirror.datasite import SHAPES, data_site
from mirror.shapes.base import read_site_toml
from mirror.sites import EXTRA_SITES_ENV, SITE_CLASSES, SITES_DIR

COPIES = {  # police site folder -> (the copy's source id, its host in place of the real one)
    "polisia_kz": ("dala_police", "polisia.kz", "dala-police.example"),
    "mvd_kg": ("tau_police", "mvd.gov.kg", "tau-police.example"),
    "mvd_ru": ("orman_police", "xn--b1aew.xn--p1ai", "orman-police.example"),
    "akn_tj": ("darya_agency", "akn.tj", "darya-agency.example"),
}

REGION_25 = """
[hosts."25.orman-police.example"]
template = "legacy"
utc_offset_hours = 10
page_date = "text"
item_trailing_slash = true
day_archive = true
region = { code = "25", unit = "УМВД по Приморскому краю", region = "Приморский край", cms_site = 26 }
"""

REGION_25_ARTICLE = """
[[article]]
url = "https://25.orman-police.example/news/item/59600001/"
lang = "ru"
published = 2025-01-10T11:00:00+10:00
title = "Во Владивостоке полицейские вернули владельцу угнанный автомобиль"
drug_related = false
body = "Автомобиль нашли во дворе на окраине города."
"""


def site_folders() -> list[Path]:
    return sorted(p for p in SITES_DIR.iterdir() if p.is_dir() and p.name != "__pycache__")


def test_no_site_folder_holds_python() -> None:
    python = [str(f.relative_to(SITES_DIR)) for folder in site_folders() for f in folder.rglob("*.py")]
    assert python == []


def test_every_site_folder_is_a_site_of_a_known_shape() -> None:
    for folder in site_folders():
        raw = read_site_toml(folder)
        assert raw["source_id"] == folder.name
        assert raw.get("shape", "outlet") in SHAPES
    assert {cls.source_id for cls in SITE_CLASSES} == {folder.name for folder in site_folders()}


@pytest.mark.parametrize("toml, problem", [
    ('shape = "forum"\nsource_id = "x"\nhosts = ["x.example"]\n', "shape must be one of"),
    ('shape = "wordpress"\nsource_id = "x"\nhosts = ["x.example"]\nutc_offset_hours = 5\n', "editions"),
])
def test_a_site_toml_without_what_its_shape_needs_fails_with_its_file(tmp_path: Path, toml: str,
                                                                      problem: str) -> None:
    (tmp_path / "site.toml").write_text(toml, encoding="utf-8")
    with pytest.raises(ValueError, match=f"site.toml: .*{problem}"):
        data_site(tmp_path)


def _copy(folder: Path, target: Path, source_id: str, host: str, new_host: str) -> None:
    shutil.copytree(folder / "templates", target / "templates")
    (target / "articles").mkdir()
    for file in (folder / "articles").glob("*.toml"):
        (target / "articles" / file.name).write_text(
            file.read_text(encoding="utf-8").replace(host, new_host), encoding="utf-8")
    site_toml = (folder / "site.toml").read_text(encoding="utf-8").replace(host, new_host)
    site_toml = site_toml.replace(f'source_id = "{folder.name}"', f'source_id = "{source_id}"')
    (target / "site.toml").write_text(site_toml, encoding="utf-8")


@pytest.fixture(scope="module")
def copies(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A mirror serving its own sites plus a data-only copy of each police site; its URL."""
    parent = tmp_path_factory.mktemp("sites")
    for name, (source_id, host, new_host) in COPIES.items():
        _copy(SITES_DIR / name, parent / source_id, source_id, host, new_host)
    portal = parent / "orman_police"
    with (portal / "site.toml").open("a", encoding="utf-8") as handle:
        handle.write(REGION_25)
    (portal / "articles" / "25.toml").write_text(REGION_25_ARTICLE, encoding="utf-8")
    port_file = parent.parent / "port"
    mirror = subprocess.Popen(
        [sys.executable, "-m", "mirror", "serve", "--port", "0", "--port-file", str(port_file)],
        env={**os.environ, EXTRA_SITES_ENV: str(parent)}, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 30
        while not (port_file.exists() and port_file.read_text().strip()):
            assert mirror.poll() is None, mirror.stderr.read().decode() if mirror.stderr else ""
            assert time.monotonic() < deadline, "the mirror did not start"
            time.sleep(0.1)
        yield port_file.read_text().strip()
    finally:
        mirror.terminate()
        mirror.wait(timeout=10)


def get(port: str, url: str) -> tuple[int, str | None, str]:
    parts = urlsplit(url)
    conn = http.client.HTTPConnection("127.0.0.1", int(port), timeout=10)
    try:
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        conn.request("GET", path, headers={"X-Mirror-Host": parts.hostname or ""})
        resp = conn.getresponse()
        return resp.status, resp.getheader("Location"), resp.read().decode("utf-8", "replace")
    finally:
        conn.close()


def test_each_copied_police_site_serves_every_article_of_its_folder(copies: str) -> None:
    rows = json.loads(get(copies, "https://dala-police.example/__mirror__/manifest")[2])["articles"]
    for name, (source_id, _, _) in COPIES.items():
        own = [r for r in rows if r["source_id"] == source_id]
        originals = [r for r in rows if r["source_id"] == name and not r["synthetic"]]
        assert len(own) == len(originals) + (1 if source_id == "orman_police" else 0), source_id
        for row in own:
            status, _, body = get(copies, row["url"])
            assert status == 200, row["url"]
            assert str(escape(row["title"])) in body, row["url"]


@pytest.mark.parametrize("url, status, location", [
    ("https://www.dala-police.example/ru/", 301, "https://dala-police.example/ru/"),
    ("https://dala-police.example/ru/page/1/", 301, "https://dala-police.example/ru/"),
    ("https://dala-police.example/ru/page/2/", 200, None),
    ("https://tau-police.example/", 302, "https://tau-police.example/rus"),
    ("https://tau-police.example/rus/news?page=2", 200, None),
    ("https://tau-police.example/kyr/news/", 301, "https://tau-police.example/kyr/news"),
    ("https://darya-agency.example/ru/2025/01/", 200, None),
    ("https://darya-agency.example/en/news/", 200, None),
    ("https://22.orman-police.example/news?year=2025&month=1&day=10", 200, None),
    ("https://25.orman-police.example/news/rss", 200, None),
    ("https://25.orman-police.example/news/item/59533870/", 404, None),  # an id of 22
])
def test_the_copies_keep_the_routes_of_their_shapes(copies: str, url: str, status: int,
                                                   location: str | None) -> None:
    assert get(copies, url)[:2] == (status, location)


def test_a_regional_host_is_one_hosts_entry_and_its_articles(copies: str) -> None:
    status, _, body = get(copies, "https://25.orman-police.example/news/item/59600001/")
    assert status == 200
    assert "УМВД по Приморскому краю" in body  # the region's unit, in the legacy template
    assert "10 Января 2025 11:00" in body  # displayed in the host's own zone (+10:00)
    day = get(copies, "https://25.orman-police.example/news?year=2025&month=1&day=10")[2]
    assert "/news/item/59600001/" in day
    assert "59600001" not in get(copies, "https://orman-police.example/news")[2]
