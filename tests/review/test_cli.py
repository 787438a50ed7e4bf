"""`newsmon users …` and `newsmon review apply FILE.jsonl`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from newsmon.cli import app, main
from review.users import authenticate
from storage.db import session_scope
from storage.models import Event, User
from storage.repository import audit_trail, upsert_article
from tests.review.seed import Story, _t, tagged

REPO = Path(__file__).resolve().parents[2]
BUNDLED = REPO / "mirror" / "decisions" / "2025-01.jsonl"


def test_users_add_reads_the_password_from_stdin_and_hashes_it(review_env):
    result = CliRunner().invoke(
        app, ["users", "add", "dana", "--role", "editor"], input="a long enough secret\n"
    )
    assert result.exit_code == 0, result.output
    assert "user dana (editor) created" in result.output
    with session_scope(review_env.url) as s:
        user = s.query(User).filter_by(name="dana").one()
        assert user.role == "editor" and user.password_hash.startswith("$argon2")
        assert authenticate(s, "dana", "a long enough secret").user is not None
        entry = audit_trail(s, "user", user.id)[0]
        assert entry.action == "create" and "secret" not in json.dumps(entry.after)


def test_users_add_refuses_bad_roles_short_passwords_and_duplicates(review_env):
    runner = CliRunner()
    assert main(["users", "add", "dana", "--role", "boss"]) == 2
    short = runner.invoke(app, ["users", "add", "dana", "--role", "analyst"], input="short\n")
    assert short.exit_code != 0 and "at least 12 characters" in str(short.exception)
    taken = runner.invoke(app, ["users", "add", "anna", "--role", "analyst"], input="a long enough secret\n")
    assert taken.exit_code != 0 and "exists already" in str(taken.exception)


def test_a_password_is_never_an_argument(review_env):
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "newsmon",
            "users",
            "add",
            "dana",
            "--role",
            "analyst",
            "--password",
            "hunter2hunter2",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ},
        cwd=REPO,
    )
    assert result.returncode != 0 and "No such option" in result.stderr


def test_users_list_unlock_set_and_passwd(review_env):
    runner = CliRunner()
    with session_scope(review_env.url) as s:
        for _ in range(5):
            authenticate(s, "anna", "wrong password")
    listed = runner.invoke(app, ["users", "list"])
    assert "anna\tanalyst\tactive, locked until" in listed.output
    assert runner.invoke(app, ["users", "unlock", "anna"]).exit_code == 0
    assert runner.invoke(app, ["users", "set", "anna", "--role", "editor", "--inactive"]).exit_code == 0
    assert runner.invoke(app, ["users", "passwd", "boris"], input="another long secret\n").exit_code == 0
    with session_scope(review_env.url) as s:
        anna = s.query(User).filter_by(name="anna").one()
        assert (anna.role, anna.active, anna.locked_until) == ("editor", False, None)
        assert authenticate(s, "boris", "another long secret").user is not None


def test_users_add_and_passwd_refuse_common_passwords_and_the_user_name(review_env):
    runner = CliRunner()
    common = runner.invoke(app, ["users", "add", "dana", "--role", "admin"], input="Password1234\n")
    assert common.exit_code != 0 and "common passwords" in str(common.exception)
    named = runner.invoke(app, ["users", "passwd", "boris"], input="boris-has-a-long-one\n")
    assert named.exit_code != 0 and "user name" in str(named.exception)
    with session_scope(review_env.url) as s:
        assert s.query(User).filter_by(name="dana").one_or_none() is None
        assert authenticate(s, "boris", "correct horse battery").user is not None


def test_users_end_sessions_raises_the_epoch_and_is_audited(review_env):
    with session_scope(review_env.url) as s:
        before = s.query(User).filter_by(name="anna").one().session_epoch
    result = CliRunner().invoke(app, ["users", "end-sessions", "anna"])
    assert result.exit_code == 0, result.output
    with session_scope(review_env.url) as s:
        anna = s.query(User).filter_by(name="anna").one()
        assert anna.session_epoch == before + 1
        assert audit_trail(s, "user", anna.id)[-1].action == "end-sessions"


def _apply(path: Path, *extra: str):
    return CliRunner().invoke(app, ["review", "apply", str(path), *extra])


def test_review_apply_finds_events_by_canonical_url_and_reports_each_line(review_env, tmp_path):
    ev = review_env.events
    decisions = tmp_path / "decisions.jsonl"
    lines = [
        # the Kazakh version's URL finds the event it shares with the Russian original
        {
            "url": "https://www.polisia.kz/kz/kokshetauda-baqyt-usaq-tuiekte-atty-esirtkige-qarsy-aktsiya-otti?utm_source=x",
            "status": "accepted",
            "headline_en": "ANTI-DRUG CAMPAIGN HELD IN KOKSHETAU",
            "text_en": "The event was initiated.",
            "country": "KZ",
            "position": 1,
        },
        # the IDN host in Unicode matches the stored punycode
        {
            "url": "https://62.мвд.рф/news/item/58123456/",
            "status": "rejected",
            "reject_reason": "not a media report",
        },
        {"url": "https://akn.tj/ru/news/v-khatlonskoy-oblasti-izyato-5-kg-geroina", "status": "reject"},
        {
            "url": "https://mvd.gov.kg/rus/news/2025/01/viktorina-profilaktika-narkotikov",
            "country": "KZ",
            "extra": 1,
        },
        {"url": "https://polisia.kz/ru/never-crawled/", "status": "accepted"},
        "this is not json",
        {"url": "https://polisia.kz/ru/v-karagande-zaderzhali-zakladchika/", "status": "maybe"},
    ]
    decisions.write_text(
        "\n".join(line if isinstance(line, str) else json.dumps(line, ensure_ascii=False) for line in lines)
        + "\n\n",
        encoding="utf-8",
    )
    result = _apply(decisions, "--user", "dana", "--partial")
    out = result.output
    assert result.exit_code == 1, out  # invalid lines make the exit non-zero
    # The kokshetau event clusters two language versions: the decision names its lead article.
    applied = "headline_en, text_en, lead_url, accepted, position 1"
    assert f"line 1: applied: event #{ev['kokshetau']}: {applied}" in out
    assert f"line 2: applied: event #{ev['ru_ryazan']}: rejected" in out
    assert f"line 3: applied: event #{ev['tj_heroin']}: rejected" in out
    assert f"line 4: applied: event #{ev['kg_quiz']}: country_override (ignored keys: extra)" in out
    assert "line 5: not-found: no stored article https://polisia.kz/ru/never-crawled/" in out
    assert "line 6: invalid: not JSON" in out
    assert "line 7: invalid: unknown status 'maybe'" in out
    assert "4 applied, 0 unchanged, 1 not found, 2 invalid" in out
    with session_scope(review_env.url) as s:
        kokshetau = s.get(Event, ev["kokshetau"])
        assert (kokshetau.status, kokshetau.headline_en, kokshetau.position) == (
            "accepted",
            "ANTI-DRUG CAMPAIGN HELD IN KOKSHETAU",
            1,
        )
        assert kokshetau.country_override is None  # KZ already was its country
        assert s.get(Event, ev["ru_ryazan"]).reject_reason == "not a media report"
        assert s.get(Event, ev["tj_heroin"]).reject_reason.startswith("rejected in bulk")
        assert s.get(Event, ev["kg_quiz"]).country_override == "KZ"
        assert s.get(Event, ev["kz_undated"]).status == "new"  # its invalid line changed nothing
        assert {e.actor for e in audit_trail(s, "event", ev["kokshetau"])} == {"cli:dana"}
    again = _apply(decisions, "--partial")
    assert f"line 1: unchanged: event #{ev['kokshetau']}: nothing to change" in again.output


def _write(path: Path, lines: list) -> Path:
    path.write_text(
        "\n".join(line if isinstance(line, str) else json.dumps(line, ensure_ascii=False) for line in lines)
        + "\n",
        encoding="utf-8",
    )
    return path


HEROIN = "https://akn.tj/ru/news/v-khatlonskoy-oblasti-izyato-5-kg-geroina"
QUIZ = "https://mvd.gov.kg/rus/news/2025/01/viktorina-profilaktika-narkotikov"


def test_review_apply_writes_nothing_when_any_line_is_invalid_and_names_each(review_env, tmp_path):
    ev = review_env.events
    decisions = _write(
        tmp_path / "d.jsonl",
        [
            {"url": HEROIN, "status": "accepted"},
            {"url": QUIZ, "headline_en": ["a", "list"]},
            {"url": QUIZ, "position": 99999999999999999999},
            {"url": HEROIN + "/", "status": "rejected"},
        ],
    )
    result = _apply(decisions)
    out = result.output
    assert result.exit_code == 1, out
    assert "line 1: skipped: not applied" in out
    assert 'line 2: invalid: "headline_en" must be text, not list' in out
    assert "line 3: invalid: position 99999999999999999999 is out of range (1 to 10,000)" in out
    assert "line 4: invalid: the same article as line 1" in out
    assert "nothing written" in out
    with session_scope(review_env.url) as s:
        assert s.get(Event, ev["tj_heroin"]).status == "new"
        assert s.get(Event, ev["kg_quiz"]).headline_en is None


def test_review_apply_partial_applies_the_valid_lines(review_env, tmp_path):
    ev = review_env.events
    lines = [{"url": HEROIN, "status": "accepted"}, {"url": QUIZ, "position": 0}]
    decisions = _write(tmp_path / "d.jsonl", lines)
    result = _apply(decisions, "--partial")
    assert result.exit_code == 1
    assert "line 2: invalid: position 0 is out of range" in result.output
    with session_scope(review_env.url) as s:
        assert s.get(Event, ev["tj_heroin"]).status == "accepted"


def test_review_apply_dry_run_writes_nothing_and_actor_defaults_to_bulk(review_env, tmp_path):
    ev = review_env.events
    decisions = tmp_path / "d.jsonl"
    decisions.write_text(
        json.dumps(
            {"url": "https://akn.tj/ru/news/v-khatlonskoy-oblasti-izyato-5-kg-geroina", "status": "accepted"}
        )
        + "\n",
        encoding="utf-8",
    )
    dry = _apply(decisions, "--dry-run")
    assert dry.exit_code == 0 and "dry run: 1 applied" in dry.output
    with session_scope(review_env.url) as s:
        assert s.get(Event, ev["tj_heroin"]).status == "new"
    assert _apply(decisions).exit_code == 0
    with session_scope(review_env.url) as s:
        assert [e.actor for e in audit_trail(s, "event", ev["tj_heroin"])] == ["cli:bulk"]


def test_review_apply_on_the_bundled_demo_decisions(review_env):
    """The demo's decision file: the stories we have stored are applied, the others reported."""
    ev = review_env.events
    with session_scope(review_env.url) as s:
        # the Tajik story as akn.tj publishes it (lower-case percent escapes in the file)
        upsert_article(
            s,
            tagged(
                Story(
                    "tj_mtmu",
                    "https://akn.tj/ru/2025/01/10/meeting-with-teachers-and-parents-of-students-of-mtmu-%E2%84%963-of-firdavsi-district/",
                    "Встреча с учителями и родителями учащихся МТМУ №3 района Фирдавси",
                    "Сотрудники АКН провели встречу о вреде наркотиков.",
                    _t(10, 8),
                    "akn_tj",
                    "TJ",
                )
            ),
        )
    result = _apply(BUNDLED, "--strict")
    assert "5 not found" not in result.output
    for key in ("kokshetau", "sko", "almaty_ads", "ulytau", "akmola"):
        assert f"applied: event #{ev[key]}:" in result.output
    assert "6 applied" in result.output and "3 not found" in result.output
    assert result.exit_code == 1  # --strict: not-found lines fail
    with session_scope(review_env.url) as s:
        positions = [
            (s.get(Event, ev[k]).status, s.get(Event, ev[k]).position)
            for k in ("kokshetau", "sko", "almaty_ads", "ulytau", "akmola")
        ]
    assert positions == [("accepted", n) for n in range(1, 6)]


def test_review_apply_missing_file_is_one_line_error(review_env, tmp_path, capsys):
    assert main(["review", "apply", str(tmp_path / "nope.jsonl")]) == 2
    assert "file not found" in capsys.readouterr().err


def test_the_demo_step_applies_the_bundled_decisions(review_env):
    from io import StringIO
    from types import SimpleNamespace

    from rich.console import Console

    from newsmon.demo import apply_analyst_decisions

    output = StringIO()
    context = SimpleNamespace(database_url=review_env.url, console=Console(file=output, width=200))
    report = apply_analyst_decisions(context)  # type: ignore[arg-type]
    assert report.count("applied") == 5 and report.count("invalid") == 0
    assert (
        "analyst decisions from 2025-01.jsonl: 5 applied, 0 unchanged, 4 not found, 0 invalid"
        in output.getvalue()
    )
