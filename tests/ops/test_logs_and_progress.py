"""Structured log lines (key=value or JSON, one per event) and the progress helper."""

from __future__ import annotations

import io
import json
import logging
import logging.handlers
import os
import subprocess
import sys

import pytest

from newsmon.logs import JsonFormatter, KeyValueFormatter, configure_logging, log_event
from newsmon.progress import progress, track


def _record(logger_name: str, fn) -> logging.LogRecord:
    captured: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record):
            captured.append(record)

    logger = logging.getLogger(logger_name)
    handler = Keep()
    logger.addHandler(handler)
    old_level = logger.level
    logger.setLevel(logging.DEBUG)
    try:
        fn(logger)
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old_level)
    return captured[-1]


def test_an_event_is_one_key_value_line_with_quoted_values():
    record = _record("newsmon.test", lambda log: log_event(
        log, "crawl.failed", logging.ERROR, source="mvd_kg", run=12, reason='exit 1: "Timeout"\nretrying',
        skipped=None, ok=False,
    ))
    line = KeyValueFormatter().format(record)
    assert "\n" not in line
    assert " level=error logger=newsmon.test event=crawl.failed source=mvd_kg run=12 " in line
    assert 'reason="exit 1: \\"Timeout\\"\\nretrying"' in line
    assert "skipped" not in line and line.endswith("ok=false")


def test_other_libraries_messages_and_tracebacks_stay_on_one_line():
    def boom(log):
        try:
            raise ValueError("bad\nvalue")
        except ValueError:
            log.exception("Job %s raised", "crawl:mvd_kg")

    record = _record("apscheduler.executors.default", boom)
    line = KeyValueFormatter().format(record)
    assert "\n" not in line
    assert 'msg="Job crawl:mvd_kg raised"' in line and "exc=\"Traceback" in line
    assert "ValueError: bad\\nvalue" in line
    payload = json.loads(JsonFormatter().format(record))
    assert payload["msg"] == "Job crawl:mvd_kg raised" and payload["exc"].startswith("Traceback")


def test_json_lines_carry_the_event_and_its_fields():
    record = _record("newsmon.test", lambda log: log_event(log, "retag.finished", articles=3, changed=1))
    payload = json.loads(JsonFormatter().format(record))
    assert payload["event"] == "retag.finished" and payload["articles"] == 3 and payload["level"] == "info"


def test_log_file_rotation_and_levels(tmp_path):
    path = tmp_path / "logs" / "newsmon.log"
    root = logging.getLogger()
    saved = (root.level, list(root.handlers))
    try:
        configure_logging(log_file=path, quiet=True)
        log = logging.getLogger("newsmon.test")
        log_event(log, "quiet.info", n=1)
        log_event(log, "quiet.warning", logging.WARNING, n=2)
        configure_logging(log_file=path, verbose=True)
        log_event(log, "verbose.debug", logging.DEBUG, n=3)
        handlers = [h for h in root.handlers if isinstance(h, logging.handlers.RotatingFileHandler)]
        assert len(handlers) == 1, "reconfiguring replaces the handlers it installed"
        assert handlers[0].maxBytes > 0 and handlers[0].backupCount > 0
        for handler in handlers:
            handler.flush()
        text = path.read_text(encoding="utf-8")
        assert "event=quiet.warning" in text and "event=verbose.debug" in text and "quiet.info" not in text
    finally:
        for handler in root.handlers[:]:
            if handler not in saved[1]:
                root.removeHandler(handler)
                handler.close()
        root.setLevel(saved[0])


def test_the_cli_options_reach_the_log(tmp_path):
    path = tmp_path / "cli.log"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite'}"}
    result = subprocess.run(
        [sys.executable, "-m", "newsmon", "--verbose", "--log-file", str(path), "--log-json",
         "db", "upgrade"],
        capture_output=True, text=True, timeout=120, env=env,
    )
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert any(line.get("logger", "").startswith("alembic") for line in lines)
    assert all(json.loads(line) for line in result.stderr.strip().splitlines())
    quiet = subprocess.run([sys.executable, "-m", "newsmon", "--quiet", "db", "upgrade"],
                           capture_output=True, text=True, timeout=120, env=env)
    assert quiet.returncode == 0 and quiet.stderr == ""


def test_progress_prints_plain_lines_when_not_on_a_terminal():
    out = io.StringIO()
    with progress("retag", total=20, stream=out, interval_s=3600) as bar:
        for _ in range(20):
            bar.advance()
    lines = out.getvalue().splitlines()
    assert lines[0] == "retag: started, 20 to do"
    assert "retag: 2/20 (10%)" in lines and "retag: 18/20 (90%)" in lines
    assert lines[-1].startswith("retag: done 20/20 (100%) in ")
    assert len(lines) == 11


def test_progress_says_stopped_when_the_work_fails():
    out = io.StringIO()
    with pytest.raises(RuntimeError), progress("backfill", stream=out):
        raise RuntimeError("database gone")
    assert out.getvalue().splitlines()[-1].startswith("backfill: stopped 0 in ")


def test_progress_draws_a_bar_on_a_terminal_and_track_counts():
    out = io.StringIO()
    assert list(track(range(5), "crawl", stream=out, terminal=True)) == [0, 1, 2, 3, 4]
    assert "crawl" in out.getvalue() and "5/5" in out.getvalue()
