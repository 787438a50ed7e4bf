"""Short phrases of the facts rules («resident of», «up to», «ранее»): words, each exact or a
``stem*``, matched against the words just before or just after a fact."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

Phrase = tuple[str, ...]

WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")


def phrases(entries: Iterable[str]) -> tuple[Phrase, ...]:
    """Config entries (lower-cased, split into words) as phrases."""
    return tuple(tuple(entry.lower().split()) for entry in entries)


def words_of(text: str) -> list[str]:
    return [w.lower() for w in WORD.findall(text)]


def phrase_at(words: Sequence[str], candidates: Sequence[Phrase], *, end: bool) -> bool:
    """One of ``candidates`` ends ``words`` (``end``) or starts them."""
    for phrase in candidates:
        if not phrase or len(phrase) > len(words):
            continue
        part = words[len(words) - len(phrase) :] if end else words[: len(phrase)]
        if all(_word_matches(w, p) for w, p in zip(part, phrase, strict=True)):
            return True
    return False


def _word_matches(word: str, pattern: str) -> bool:
    return word.startswith(pattern[:-1]) if pattern.endswith("*") else word == pattern


SENTENCE_ENDS = (". ", ".\n", "\n", "! ", "? ")


def sentence_around(text: str, position: int) -> str:
    start = max(text.rfind(mark, 0, position) for mark in SENTENCE_ENDS) + 1
    ends = [i for i in (text.find(mark, position) for mark in SENTENCE_ENDS) if i != -1]
    return text[start : min(ends) if ends else len(text)]


def sentence_has(text: str, position: int, candidates: Sequence[Phrase]) -> bool:
    """The sentence around ``position`` holds one of ``candidates`` anywhere."""
    words = words_of(sentence_around(text, position))
    return any(phrase_at(words[: end + 1], candidates, end=True) for end in range(len(words)))


def sentence_opens_with(text: str, position: int, candidates: Sequence[Phrase]) -> bool:
    """The sentence around ``position`` opens with one of ``candidates`` («Ранее …»)."""
    start = max(text.rfind(mark, 0, position) for mark in SENTENCE_ENDS)
    opening = words_of(text[start + 1 : min(position, start + 40)])
    return phrase_at(opening, candidates, end=False)
