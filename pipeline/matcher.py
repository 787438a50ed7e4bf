"""A small, fast term matcher over tokens, shared by the gazetteer and the lexicons.

Terms are written in the data files in a tiny syntax an analyst can edit without regular
expressions:

* ``героин`` — that word (case-insensitive);
* ``наркот*`` — any word starting with ``наркот`` (Russian inflection: наркотик, наркотиков,
  наркотическими);
* ``закладк* наркотик*`` — consecutive words, each a pattern;
* ``мак|мака`` — alternatives for one word.

A term may be case-sensitive (abbreviations: ``УПН``, ``АКН``), may exclude words its first
pattern would otherwise match (``нарко*`` but not ``наркоз*``, the anaesthesia) and may be
cancelled by a neighbouring word (``закладк*`` unless followed by ``фундамент*``).

Matching is one pass over the tokens with dictionary look-ups (exact forms, then stems by
prefix length), so hundreds of terms cost about as much as a few.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from pipeline.textutil import Token, normalise

PayloadT = TypeVar("PayloadT")

SEEN_WORDS_LIMIT = 200_000


class PatternSyntaxError(ValueError):
    """A term is not valid matcher syntax."""


@dataclass(frozen=True, slots=True)
class WordPattern:
    """One word of a term: exact forms and/or stems."""

    exact: frozenset[str]
    stems: tuple[str, ...]
    case: bool

    def matches(self, token: Token) -> bool:
        word = token.text if self.case else token.lower
        return word in self.exact or any(_stem_matches(word, stem) for stem in self.stems)


def _stem_matches(word: str, stem: str) -> bool:
    # A stem never reaches across a hyphen: "алматы*" is not "Алматы-Бишкек" (the country stage
    # reads such compounds part by part).
    return word.startswith(stem) and "-" not in word[len(stem) :]


def parse_word(pattern: str, *, case: bool = False) -> WordPattern:
    """Parse ``a|b*|c`` into a :class:`WordPattern`. The pattern is normalised like the texts it
    is matched against (:func:`~pipeline.textutil.normalise`: «гиёҳванд» is matched as «гиеҳванд»)."""
    exact: set[str] = set()
    stems: list[str] = []
    for raw in normalise(pattern).split("|"):
        alt = raw.strip() if case else raw.strip().lower()
        if not alt or alt == "*" or " " in alt:
            raise PatternSyntaxError(f"bad word pattern {pattern!r}")
        if alt.endswith("*"):
            stems.append(alt[:-1])
        else:
            exact.add(alt)
    return WordPattern(frozenset(exact), tuple(stems), case)


@dataclass(frozen=True, slots=True)
class Term(Generic[PayloadT]):
    """A compiled term and the caller's payload (weight, country code, topic …)."""

    source: str
    words: tuple[WordPattern, ...]
    payload: PayloadT
    exclude: WordPattern | None = None
    unless_next: tuple[WordPattern, ...] = ()
    unless_prev: tuple[WordPattern, ...] = ()
    window: int = 2


def compile_term(
    pattern: str,
    payload: PayloadT,
    *,
    case: bool = False,
    exclude: Sequence[str] = (),
    unless_next: Sequence[str] = (),
    unless_prev: Sequence[str] = (),
    window: int = 2,
) -> Term[PayloadT]:
    """Compile one term; raises :class:`PatternSyntaxError` for malformed patterns."""
    parts = pattern.split()
    if not parts:
        raise PatternSyntaxError("empty term")
    words = tuple(parse_word(part, case=case) for part in parts)
    excluded = parse_word("|".join(exclude)) if exclude else None
    return Term(
        source=pattern,
        words=words,
        payload=payload,
        exclude=excluded,
        unless_next=tuple(parse_word(p) for p in unless_next),
        unless_prev=tuple(parse_word(p) for p in unless_prev),
        window=window,
    )


@dataclass(frozen=True, slots=True)
class Hit(Generic[PayloadT]):
    """A term found at tokens ``first..last`` (inclusive)."""

    term: Term[PayloadT]
    first: int
    last: int


@dataclass(slots=True)
class Matcher(Generic[PayloadT]):
    """Finds every term of a set in a token list."""

    terms: list[Term[PayloadT]] = field(default_factory=list)
    _exact: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    _exact_case: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    _stems: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    _stems_case: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    _stem_lengths: tuple[int, ...] = ()
    _stem_lengths_case: tuple[int, ...] = ()
    _seen: dict[str, tuple[int, ...]] = field(default_factory=dict)
    """Candidates per word already looked up (words repeat across articles); cleared when the
    terms change or it grows past :data:`SEEN_WORDS_LIMIT`."""

    @classmethod
    def of(cls, terms: Iterable[Term[PayloadT]]) -> Matcher[PayloadT]:
        matcher: Matcher[PayloadT] = cls()
        for term in terms:
            matcher.add(term)
        return matcher

    def add(self, term: Term[PayloadT]) -> None:
        index = len(self.terms)
        self.terms.append(term)
        first = term.words[0]
        exact = self._exact_case if first.case else self._exact
        stems = self._stems_case if first.case else self._stems
        for form in first.exact:
            exact[form].append(index)
        for stem in first.stems:
            stems[stem].append(index)
        self._stem_lengths = tuple(sorted({len(s) for s in self._stems}))
        self._stem_lengths_case = tuple(sorted({len(s) for s in self._stems_case}))
        self._seen.clear()

    def find(self, tokens: Sequence[Token]) -> list[Hit[PayloadT]]:
        """Every occurrence of every term, in text order."""
        hits: list[Hit[PayloadT]] = []
        for position, token in enumerate(tokens):
            for index in self._candidates(token):
                term = self.terms[index]
                hit = self._verify(term, tokens, position)
                if hit is not None:
                    hits.append(hit)
        return hits

    def _candidates(self, token: Token) -> tuple[int, ...]:
        known = self._seen.get(token.text)
        if known is None:
            if len(self._seen) >= SEEN_WORDS_LIMIT:
                self._seen.clear()
            known = self._seen[token.text] = self._look_up(token)
        return known

    def _look_up(self, token: Token) -> tuple[int, ...]:
        found: list[int] = []
        lower, text = token.lower, token.text
        found.extend(self._exact.get(lower, ()))
        found.extend(self._exact_case.get(text, ()))
        hyphen = lower.find("-")
        for length in self._stem_lengths:
            if length > len(lower):
                break
            if hyphen >= length:
                continue
            found.extend(self._stems.get(lower[:length], ()))
        for length in self._stem_lengths_case:
            if length > len(text):
                break
            if hyphen >= length:
                continue
            found.extend(self._stems_case.get(text[:length], ()))
        return tuple(dict.fromkeys(found)) if len(found) > 1 else tuple(found)

    @staticmethod
    def _verify(term: Term[PayloadT], tokens: Sequence[Token], position: int) -> Hit[PayloadT] | None:
        first = tokens[position]
        if term.exclude is not None and term.exclude.matches(first):
            return None
        last = position + len(term.words) - 1
        if last >= len(tokens):
            return None
        for offset, word in enumerate(term.words[1:], start=1):
            if not word.matches(tokens[position + offset]):
                return None
        if term.unless_next:
            following = tokens[last + 1 : last + 1 + term.window]
            if any(p.matches(t) for t in following for p in term.unless_next):
                return None
        if term.unless_prev:
            preceding = tokens[max(0, position - term.window) : position]
            if any(p.matches(t) for t in preceding for p in term.unless_prev):
                return None
        return Hit(term, position, last)
