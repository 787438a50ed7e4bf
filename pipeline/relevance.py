"""Relevance stage: is the article about the counter-narcotics sphere?

Trafficking, seizures, drug crime, precursors, prevention work, legislation, treatment and
international cooperation are in; alcohol-only, tobacco-only, pharmacy prices, a police sports
day are out. Recall comes first: an event missed is worse than one an analyst rejects, so one
clear drug term anywhere (the one paragraph of a youth forum about "responsibility for drug
distribution") makes an article relevant, and negative cues (алкоголь, табак) may only lower a
weak score.

Scoring (weights and terms are data, ``config/lexicons/relevance/<lang>.toml``):
``score = 1 − exp(−Σ)`` over distinct matched terms, a title match counting
:data:`TITLE_FACTOR` times and each repeat of a term adding :data:`REPEAT_FACTOR` of its weight.
``relevant`` from :data:`RELEVANT_THRESHOLD`, ``maybe`` from :data:`MAYBE_THRESHOLD`.
Every match is kept as :class:`~core.types.Evidence` so the analyst sees why.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from config import ConfigError, config_dir, read_toml, validate_file
from core.types import Evidence, Relevance
from pipeline.lexicon import TermInfo, TermSpec, build_matcher, compile_specs
from pipeline.matcher import Hit, Matcher, Term
from pipeline.textutil import normalised_tokens

RELEVANT_THRESHOLD = 0.6
"""One drug term (weight 1.0, score 0.63) is enough: recall first."""
MAYBE_THRESHOLD = 0.25
STRONG_WEIGHT = 0.9
"""Terms at least this heavy are never outweighed by negative cues."""
DRUG_TERM_WEIGHT = 0.8
"""Terms at least this heavy are drug vocabulary (see the weights in the lexicons' README)."""
TITLE_FACTOR = 1.5
REPEAT_FACTOR = 0.25
MAX_REPEATS = 2
FALLBACK_LEXICONS = ("ru", "en", "common")
"""Used for a language without a lexicon of its own."""


class _LexiconFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    language: str = Field(min_length=2)
    include: list[str] = Field(default_factory=list)
    terms: list[TermSpec] = Field(default_factory=list)
    negative: list[TermSpec] = Field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Lexicons:
    """Compiled relevance matchers, one per language (each with its includes)."""

    by_language: dict[str, Matcher[TermInfo]]
    fallback: Matcher[TermInfo]

    def for_language(self, language: str | None) -> Matcher[TermInfo]:
        return self.by_language.get(language or "", self.fallback)

    def has_own(self, language: str | None) -> bool:
        """Whether ``language`` has a lexicon of its own (else the fallback terms are used)."""
        return (language or "") in self.by_language


def _terms(path: Path, data: _LexiconFile) -> list[Term[TermInfo]]:
    return compile_specs(path, "terms", data.terms, "term") + compile_specs(
        path, "negative", data.negative, "negative"
    )


@cache
def _load(directory: str) -> Lexicons:
    folder = Path(directory) / "lexicons" / "relevance"
    files = sorted(folder.glob("*.toml"))
    if not files:
        raise ConfigError(f"{folder}: no relevance lexicons (*.toml)")
    parsed: dict[str, tuple[Path, _LexiconFile]] = {}
    for path in files:
        data = validate_file(path, _LexiconFile, read_toml(path))
        if data.language != path.stem:
            raise ConfigError(f"{path}: language: {data.language!r} does not match the file name")
        parsed[data.language] = (path, data)
    compiled = {code: _terms(path, data) for code, (path, data) in parsed.items()}
    matchers: dict[str, Matcher[TermInfo]] = {}
    for code, (path, data) in parsed.items():
        terms = list(compiled[code])
        for position, other in enumerate(data.include):
            if other not in compiled:
                raise ConfigError(f"{path}: include[{position}]: no lexicon {other!r}")
            terms.extend(compiled[other])
        matchers[code] = build_matcher(terms)
    fallback = build_matcher([t for code in FALLBACK_LEXICONS if code in compiled for t in compiled[code]])
    return Lexicons(matchers, fallback)


def load_lexicons() -> Lexicons:
    """Relevance lexicons of the current configuration folder (compiled once, then reused)."""
    return _load(str(config_dir()))


def resolve_overlaps(hits: list[Hit[TermInfo]]) -> list[Hit[TermInfo]]:
    """Where terms cover the same words, keep the longer one (the agency's name, not the
    ``нарко*`` inside it); each group (positive terms, negative cues, a topic) separately."""
    kept: list[Hit[TermInfo]] = []
    for group in sorted({h.term.payload.group for h in hits}):
        ordered = sorted(
            (h for h in hits if h.term.payload.group == group), key=lambda h: (h.first, -(h.last - h.first))
        )
        covered_until = -1
        for hit in ordered:
            if hit.first > covered_until:
                kept.append(hit)
                covered_until = hit.last
            elif hit.last > covered_until:
                covered_until = hit.last
    return kept


@dataclass(frozen=True, slots=True)
class _Match:
    info: TermInfo
    text: str
    where: str
    start: int
    """Character offset of the match in its (normalised) title or text."""


@dataclass(frozen=True, slots=True)
class LexiconSignals:
    """What the lexicon saw, beyond the score: the learned model's dense features."""

    distinct_terms: int
    """Distinct positive terms matched anywhere."""
    drug_terms: int
    """Distinct positive terms of at least :data:`DRUG_TERM_WEIGHT`: drug vocabulary proper, not
    an agency's name or weak context («контрабанда»)."""
    hits: int
    """Positive matches in all, repeats included."""
    in_title: bool
    in_lead: bool
    """A positive term within the first :data:`LEAD_CHARS` characters of the text."""
    negative_cues: int
    own_lexicon: bool
    """False when the language has no lexicon of its own and the fallback terms were used."""
    term_starts: tuple[int, ...] = ()
    """Where positive terms start in the normalised text (not the title), in order."""
    drug_starts: tuple[int, ...] = ()
    """Where drug terms (weight ≥ :data:`DRUG_TERM_WEIGHT`) start in the normalised text."""
    drug_in_title: bool = False


LEAD_CHARS = 300


def _matches(text: str, where: str, matcher: Matcher[TermInfo]) -> list[_Match]:
    normalised, tokens = normalised_tokens(text)
    return [
        _Match(
            h.term.payload,
            normalised[tokens[h.first].start : tokens[h.last].end],
            where,
            tokens[h.first].start,
        )
        for h in resolve_overlaps(matcher.find(tokens))
    ]


def score_relevance(
    title: str, text: str, language: str | None, lexicons: Lexicons | None = None
) -> Relevance:
    """Score one article with the lexicon alone; ``language`` picks the lexicon (with its includes)."""
    return lexicon_relevance(title, text, language, lexicons)[0]


def lexicon_relevance(
    title: str, text: str, language: str | None, lexicons: Lexicons | None = None
) -> tuple[Relevance, LexiconSignals]:
    """The lexicon's verdict and the signals the learned model reads on top of it."""
    compiled = lexicons or load_lexicons()
    matcher = compiled.for_language(language)
    matches = _matches(title, "title", matcher) + _matches(text, "text", matcher)

    positive: dict[str, list[_Match]] = {}
    negative: dict[str, _Match] = {}
    for match in matches:
        if match.info.group == "negative":
            negative.setdefault(match.info.pattern, match)
        else:
            positive.setdefault(match.info.pattern, []).append(match)

    evidence: list[Evidence] = []
    raw = 0.0
    strong = False
    for pattern, found in positive.items():
        weight = found[0].info.weight
        strong = strong or weight >= STRONG_WEIGHT
        in_title = any(m.where == "title" for m in found)
        first = next((m for m in found if m.where == "title"), found[0])
        contribution = weight * (TITLE_FACTOR if in_title else 1.0)
        contribution += weight * REPEAT_FACTOR * min(len(found) - 1, MAX_REPEATS)
        raw += contribution
        evidence.append(
            Evidence(term=pattern, match=first.text, where=first.where, weight=round(contribution, 3))
        )
    if not strong:
        for pattern, match in negative.items():
            raw -= match.info.weight
            evidence.append(
                Evidence(term=pattern, match=match.text, where=match.where, weight=-match.info.weight)
            )
    raw = max(raw, 0.0)
    score = round(1.0 - math.exp(-raw), 3)
    if score >= RELEVANT_THRESHOLD:
        label = "relevant"
    elif score >= MAYBE_THRESHOLD:
        label = "maybe"
    else:
        label = "irrelevant"
    evidence.sort(key=lambda e: -e.weight)
    hits = [m for found in positive.values() for m in found]
    signals = LexiconSignals(
        distinct_terms=len(positive),
        drug_terms=sum(found[0].info.weight >= DRUG_TERM_WEIGHT for found in positive.values()),
        hits=len(hits),
        in_title=any(m.where == "title" for m in hits),
        in_lead=any(m.where == "text" and m.start < LEAD_CHARS for m in hits),
        negative_cues=len(negative),
        own_lexicon=compiled.has_own(language),
        term_starts=tuple(sorted(m.start for m in hits if m.where == "text")),
        drug_starts=tuple(
            sorted(m.start for m in hits if m.where == "text" and m.info.weight >= DRUG_TERM_WEIGHT)
        ),
        drug_in_title=any(m.where == "title" and m.info.weight >= DRUG_TERM_WEIGHT for m in hits),
    )
    return Relevance(score=score, label=label, evidence=tuple(evidence)), signals
