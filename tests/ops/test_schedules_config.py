"""config/schedules.toml: the packaged file is valid, and every mistake is named by file and field."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from config import ConfigError, load_sources
from config.schedules import load_schedules, source_schedules
from crawlers.registry import site_ids
from newsmon.scheduler.service import RELEASE_JOB_ID, RETRAIN_JOB_ID, configured_jobs


def test_the_packaged_schedules_load_and_give_one_crawl_job_per_source_and_the_draft_job():
    schedules = load_schedules()
    assert schedules.scheduler.timezone == "Asia/Almaty"
    ids = [spec.id for spec in configured_jobs(schedules, load_sources())]
    crawls = [f"crawl:{source_id}" for source_id in site_ids()]
    assert ids == [*crawls, RELEASE_JOB_ID, RETRAIN_JOB_ID]


def test_retraining_after_each_period_is_a_job_only_when_configured(config_dir):
    _replace(config_dir, "retrain = true", "retrain = false")
    ids = [spec.id for spec in configured_jobs(load_schedules(), load_sources())]
    assert RETRAIN_JOB_ID not in ids and RELEASE_JOB_ID in ids


def test_per_source_settings_override_the_defaults(config_dir):
    (config_dir / "schedules.toml").write_text(
        """
[scheduler]
timezone = "Asia/Almaty"
[crawl_defaults]
cron = "0 */2 * * *"
jitter_s = 120
time_limit_s = 600
retry_delays_s = [60]
[crawl.mvd_ru]
cron = "30 */3 * * *"
time_limit_s = 900
[crawl.akn_tj]
enabled = false
""",
        encoding="utf-8",
    )
    by_id = {s.source_id: s for s in source_schedules(load_schedules(), load_sources())}
    assert set(by_id) == set(site_ids()) - {"akn_tj"}
    mvd_ru = by_id["mvd_ru"]
    assert (mvd_ru.cron, mvd_ru.time_limit_s, mvd_ru.jitter_s) == ("30 */3 * * *", 900, 120)
    assert (by_id["mvd_kg"].cron, by_id["mvd_kg"].retry_delays_s) == ("0 */2 * * *", (60,))


def _replace(config_dir, old: str, new: str) -> None:
    path = config_dir / "schedules.toml"
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


CRON = 'cron = "20 */2 * * *"'
MISTAKES = [
    (CRON, 'cron = "20 */2 * *"', "crawl.mvd_kg.cron: not a cron expression: '20 */2 * *' has 4 fields"),
    (CRON, 'cron = "20 */2 * * 1-5"', "crawl.mvd_kg.cron: weekday field '1-5': use day names"),
    (CRON, 'cron = "75 */2 * * *"', "crawl.mvd_kg.cron: not a cron expression '75 */2 * * *'"),
    ('timezone = "Asia/Almaty"', 'timezone = "Asia/Nowhere"',
     "scheduler.timezone: unknown time zone 'Asia/Nowhere'"),
    ("jitter_s = 300", "jitter_s = -5",
     "crawl_defaults.jitter_s: Input should be greater than or equal to 0"),
    ("retry_delays_s = [300, 900, 2700]", "retry_delays_s = [300, 0]",
     "crawl_defaults.retry_delays_s: retry delays"),
    ('editions = ["en", "ru"]', 'editions = ["en", "fr"]', "release.editions: unknown edition 'fr'"),
    ("[crawl.akn_tj]", "[crawl.akn_tj]\nfrequency = 3",
     "crawl.akn_tj.frequency: Extra inputs are not permitted"),
    ("[crawl.akn_tj]", '[crawl.uz_iiv]\ncron = "0 * * * *"\n[crawl.akn_tj]',
     "crawl.uz_iiv: unknown source 'uz_iiv'"),
    ("markup_share = 0.6", "markup_share = 1.5",
     "health.markup_share: Input should be less than or equal to 1"),
    ('crawl_command = ["{python}", "-m", "newsmon", "crawl", "{source}"]',
     'crawl_command = ["newsmon", "crawl"]',
     "scheduler.crawl_command: the crawl command must contain {source}"),
    ('cron = "0 7 1,16 * *"', 'cron = "0 7 1,16 *"', "model.cron: not a cron expression"),
    ("retrain = true", 'retrain = "weekly"', "model.retrain: Input should be a valid boolean"),
]


@pytest.mark.parametrize(("old", "new", "expected"), MISTAKES)
def test_a_mistake_is_named_by_file_and_field(config_dir, old, new, expected):
    _replace(config_dir, old, new)
    with pytest.raises(ConfigError) as caught:
        load_schedules()
    message = str(caught.value)
    assert message.startswith(str(config_dir / "schedules.toml") + ": "), message
    assert expected in message, message


def test_a_missing_section_is_named(config_dir):
    path = config_dir / "schedules.toml"
    path.write_text('[scheduler]\ntimezone = "Asia/Almaty"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"crawl_defaults: Field required"):
        load_schedules()


def test_the_cli_reports_a_bad_schedule_in_one_line(config_dir):
    _replace(config_dir, 'cron = "20 */2 * * *"', 'cron = "every two hours"')
    result = subprocess.run(
        [sys.executable, "-m", "newsmon", "schedule", "jobs"], capture_output=True, text=True, timeout=120,
        env={**os.environ, "NEWSMON_CONFIG_DIR": str(config_dir)},
    )
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0, result.stderr
    assert result.stderr.startswith("newsmon: error: ") and "crawl.mvd_kg.cron" in result.stderr


def test_the_review_app_reads_the_desks_time_zone_at_start_and_names_a_bad_one(config_dir, tmp_path):
    from review.app import create_app

    _replace(config_dir, 'timezone = "Asia/Almaty"', 'timezone = "Asia/Nowhere"')
    with pytest.raises(ConfigError, match=r"schedules\.toml.*scheduler\.timezone: unknown time zone"):
        create_app(database_url=f"sqlite:///{tmp_path / 'review.sqlite'}", data_dir=tmp_path, testing=True)
