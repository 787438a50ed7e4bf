"""Short phrases of the facts rules («resident of», «up to», «ранее»): words, each exact or a
``stem*``, matched against the words just before or just after a fact."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import cache

Phrase = tuple[str, ...]

WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")


def phrases(entries: Iterable[str]) -> tuple[Phrase, ...]:
    """Config entries (lower-cased, split into words) as phrases."""
    return tuple(tuple(entry.lower().split()) for entry in entries)


def words_of(text: str) -> list[str]:
    return [w.lower() for w in WORD.findall(text)]


def phrase_at(words: Sequence[str], candidates: Sequence[Phrase], *, end: bool) -> bool:
    """One of ``candidates`` ends ``words`` (``end``) or starts them."""
    if not words:
        return False
    return _compiled(tuple(candidates), "end" if end else "start").search(" ".join(words)) is not None


def phrase_in(words: Sequence[str], candidates: Sequence[Phrase]) -> bool:
    """One of ``candidates`` is a run of consecutive words anywhere in ``words``."""
    if not words:
        return False
    return _compiled(tuple(candidates), "anywhere").search(" ".join(words)) is not None


def _word_pattern(pattern: str) -> str:
    """A word of a phrase as a regular expression over words joined by single spaces: exact, or
    any word starting with a ``stem*``."""
    return re.escape(pattern[:-1]) + "[^ ]*" if pattern.endswith("*") else re.escape(pattern)


@cache
def _compiled(candidates: tuple[Phrase, ...], where: str) -> re.Pattern[str]:
    """All of ``candidates`` as one expression over the words joined by single spaces (words hold
    no spaces), anchored at the end, the start, or at word boundaries anywhere. One search of the
    joined words replaces a comparison per phrase and word position: the facts stage asks this
    hundreds of times per story (every sentence against every cue list)."""
    alternatives = [" ".join(_word_pattern(word) for word in phrase) for phrase in candidates if phrase]
    if not alternatives:
        return re.compile(r"(?!)")
    body = "(?:" + "|".join(alternatives) + ")"
    if where == "end":
        return re.compile(r"(?:^| )" + body + r"\Z")
    if where == "start":
        return re.compile(r"\A" + body + r"(?= |\Z)")
    return re.compile(r"(?:^| )" + body + r"(?= |\Z)")
