"""The password policy of review UI accounts, applied wherever a password is set (web, CLI, seeds).

At least :data:`MIN_PASSWORD_LENGTH` characters; not one of the common passwords shipped in
``config/passwords/common.txt`` (compared in lower case, also once digits or symbols around it and
repetition are taken off, so ``Password1234`` and ``dragon!dragon!`` count as common); not the user
name or something containing it; not a run of a few characters (``aaaaaaaaaaaa``).
"""

from __future__ import annotations

import re
from functools import cache

from config import config_path

MIN_PASSWORD_LENGTH = 12
MIN_DISTINCT_CHARACTERS = 5
COMMON_PASSWORDS_FILE = ("passwords", "common.txt")
_EDGES = re.compile(r"^[\W\d_]+|[\W\d_]+$")


class PasswordRejected(ValueError):
    """A password the policy refuses; the message says why (never the password itself)."""


@cache
def _common(path: str) -> frozenset[str]:
    with open(path, encoding="utf-8") as handle:
        return frozenset(
            line.strip().lower() for line in handle if line.strip() and not line.startswith("#")
        )


def common_passwords() -> frozenset[str]:
    """The shipped list of common passwords, lower-cased."""
    return _common(str(config_path(*COMMON_PASSWORDS_FILE)))


def _repeated_unit(text: str) -> str:
    """The shortest piece that ``text`` is a repetition of (``text`` itself if none)."""
    match = re.fullmatch(r"(.+?)\1+", text)
    return match.group(1) if match else text


def _variants(password: str) -> set[str]:
    lowered = password.lower()
    variants = {lowered}
    for text in (lowered, _repeated_unit(lowered)):
        core = _EDGES.sub("", text)
        variants |= {text, core, _repeated_unit(core), _EDGES.sub("", _repeated_unit(core))}
    return {variant for variant in variants if len(variant) >= 4 or variant == lowered}


def password_problem(password: str, user_name: str = "") -> str | None:
    """Why ``password`` is refused for ``user_name``, or None when the policy accepts it."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"a password has at least {MIN_PASSWORD_LENGTH} characters"
    if password != password.strip():
        return "a password cannot start or end with white space"
    if len(set(password)) < MIN_DISTINCT_CHARACTERS:
        return f"a password has at least {MIN_DISTINCT_CHARACTERS} different characters"
    name = user_name.strip().lower()
    if name and (password.lower() == name or (len(name) >= 3 and name in password.lower())):
        return "a password cannot contain the user name"
    if _variants(password) & common_passwords():
        return "this password is on the list of common passwords: choose another"
    return None


def check_password_policy(password: str, user_name: str = "") -> str:
    """``password`` when the policy accepts it; :class:`PasswordRejected` otherwise."""
    problem = password_problem(password, user_name)
    if problem is not None:
        raise PasswordRejected(problem)
    return password
