"""A news outlet is one configuration entry and one mirror folder of data: no Python.

An outlet no file of the repository knows is declared in a temporary copy of the configuration
and served from a temporary mirror folder; ``newsmon crawl`` stores every one of its articles,
with the date, language and country its pages and the entry state.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from config import PACKAGED_CONFIG_DIR
from crawlers.registry import site_ids
from mirror.sites import EXTRA_SITES_ENV

pytestmark = pytest.mark.slow

OUTLET_ENTRY = r"""
[[sources]]
id = "steppe_daily"
kind = "outlet"
name = "Steppe Daily (a test outlet)"
country = "KZ"
timezone = "Asia/Almaty"
languages = ["ru"]
hosts = ["www.steppe-daily.kz"]
start_urls = ["https://www.steppe-daily.kz/news"]
feeds = ["https://www.steppe-daily.kz/feed.xml"]
article_patterns = ['/news/\d{4}/[a-z0-9-]+']
"""

SITE_TOML = r"""
source_id = "steppe_daily"
name = "Steppe Daily"
hosts = ["www.steppe-daily.kz"]
utc_offset_hours = 5
article_path = '^/news/\d{4}/[a-z0-9-]+$'

[[feeds]]
path = "/feed.xml"
language = "ru"
size = 2

[[listings]]
path = "/news"
language = "ru"
per_page = 2
page_path = "/news/page/{page}"
"""

ARTICLES = [
    (
        "https://www.steppe-daily.kz/news/2025/kurer-zaderzhan",
        "2025-01-03T10:15:00+05:00",
        True,
        "В Караганде задержан курьер с гашишем",
        "Полицейские Караганды задержали 24-летнего курьера. При нем нашли около килограмма гашиша.",
    ),
    (
        "https://www.steppe-daily.kz/news/2025/yarmarka-otkrylas",
        "2025-01-04T12:00:00+05:00",
        False,
        "В Караганде открылась ярмарка",
        "На центральной площади открылась зимняя ярмарка.",
    ),
    (
        "https://www.steppe-daily.kz/news/2025/laboratoriya-likvidirovana",
        "2025-01-05T09:30:00+05:00",
        True,
        "Ликвидирована нарколаборатория",
        "Сотрудники полиции ликвидировали нарколабораторию и изъяли мефедрон.",
    ),
]


def _articles_toml() -> str:
    blocks = []
    for url, published, drug, title, body in ARTICLES:
        blocks.append(
            f'[[article]]\nurl = "{url}"\nlang = "ru"\npublished = {published}\ntitle = "{title}"\n'
            f'drug_related = {"true" if drug else "false"}\nbody = """\n{body}\n"""\n'
        )
    return "\n".join(blocks)


def test_the_configured_outlets_are_in_the_registry() -> None:
    assert {"kazinform", "vb_kg"} <= set(site_ids("outlet"))


def test_an_outlet_is_one_config_entry_and_one_mirror_folder(tmp_path: Path) -> None:
    config = tmp_path / "config"
    shutil.copytree(PACKAGED_CONFIG_DIR, config, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    with (config / "sources.toml").open("a", encoding="utf-8") as handle:
        handle.write(OUTLET_ENTRY)
    folder = tmp_path / "sites" / "steppe_daily"
    (folder / "articles").mkdir(parents=True)
    (folder / "site.toml").write_text(SITE_TOML, encoding="utf-8")
    (folder / "articles" / "ru.toml").write_text(_articles_toml(), encoding="utf-8")
    data = tmp_path / "data"
    data.mkdir()
    database = data / "outlet.sqlite"
    env = {
        **os.environ,
        "NEWSMON_CONFIG_DIR": str(config),
        EXTRA_SITES_ENV: str(tmp_path / "sites"),
        "DATABASE_URL": f"sqlite:///{database}",
        "NEWSMON_DATA_DIR": str(data),
    }
    env.pop("NEWSMON_MIRROR_URL", None)
    port_file = tmp_path / "port"
    mirror = subprocess.Popen(
        [sys.executable, "-m", "mirror", "serve", "--port", "0", "--port-file", str(port_file)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 30
        while not (port_file.exists() and port_file.read_text().strip()):
            assert mirror.poll() is None and time.monotonic() < deadline, "the mirror did not start"
            time.sleep(0.1)
        url = f"http://127.0.0.1:{port_file.read_text().strip()}"
        newsmon = [sys.executable, "-m", "newsmon", "-q"]
        upgrade = subprocess.run(
            [*newsmon, "db", "upgrade"], env=env, cwd=data, capture_output=True, text=True
        )
        assert upgrade.returncode == 0, upgrade.stderr[-2000:]
        crawl = subprocess.run(
            [*newsmon, "crawl", "steppe_daily", "--mirror", url, "--tag-processes", "0"],
            env=env,
            cwd=data,
            capture_output=True,
            text=True,
            timeout=240,
        )
        assert crawl.returncode == 0, crawl.stdout[-2000:] + crawl.stderr[-2000:]
    finally:
        mirror.terminate()
        mirror.wait(timeout=10)
    with sqlite3.connect(database) as connection:
        rows = connection.execute(
            "select url, source_id, language, country, published_at from articles order by url"
        ).fetchall()
    assert [row[0] for row in rows] == sorted(url for url, *_ in ARTICLES)
    assert {(row[1], row[2], row[3]) for row in rows} == {("steppe_daily", "ru", "KZ")}
    published = {row[0]: row[4] for row in rows}
    assert published["https://www.steppe-daily.kz/news/2025/kurer-zaderzhan"].startswith("2025-01-03 05:15")
