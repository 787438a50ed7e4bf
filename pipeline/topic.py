"""Topic stage: what kind of counter-narcotics event an article reports.

prevention, seizure_arrest, legislation, cooperation, statistics, treatment or other. Rules are
cue lexicons in ``config/lexicons/topics.toml`` (per topic, per language); this feeds the release
summary ("preventive activities carried out by police officers"). Irrelevant articles get
``other``: a lecture on phone fraud is not "prevention" in the anti-drug sense.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, model_validator

from config import ConfigError, config_dir, read_toml, validate_file
from pipeline.lexicon import TermInfo, TermSpec, build_matcher, compile_specs
from pipeline.matcher import Matcher, Term
from pipeline.relevance import resolve_overlaps
from pipeline.textutil import normalise, tokenize

TOPICS = ("prevention", "seizure_arrest", "legislation", "cooperation", "statistics", "treatment", "other")
REPEAT_FACTOR = 0.25
MAX_REPEATS = 2


class _Topic(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    terms: dict[str, list[str | TermSpec]] = Field(default_factory=dict)


class _TopicsFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    default: str = "other"
    min_score: float = Field(default=1.0, ge=0)
    title_factor: float = Field(default=2.0, ge=1)
    order: list[str]
    topics: list[_Topic] = Field(min_length=1)

    @model_validator(mode="after")
    def _known_ids(self) -> _TopicsFile:
        for topic in self.topics:
            if topic.id not in TOPICS:
                raise ValueError(f"unknown topic {topic.id!r} (known: {', '.join(TOPICS)})")
        for topic_id in self.order:
            if topic_id not in TOPICS:
                raise ValueError(f"order: unknown topic {topic_id!r}")
        if self.default not in TOPICS:
            raise ValueError(f"default: unknown topic {self.default!r}")
        return self


@dataclass(frozen=True, slots=True)
class TopicRules:
    by_language: dict[str, Matcher[TermInfo]]
    fallback: Matcher[TermInfo]
    default: str
    min_score: float
    title_factor: float
    order: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class TopicResult:
    topic: str
    scores: dict[str, float]


@cache
def _load(directory: str) -> TopicRules:
    path = Path(directory) / "lexicons" / "topics.toml"
    data = validate_file(path, _TopicsFile, read_toml(path))
    per_language: dict[str, list[Term[TermInfo]]] = defaultdict(list)
    for index, topic in enumerate(data.topics):
        for language, cues in topic.terms.items():
            specs = [TermSpec(pattern=c) if isinstance(c, str) else c for c in cues]
            per_language[language].extend(
                compile_specs(path, f"topics[{index}].terms.{language}", specs, topic.id)
            )
    if not per_language:
        raise ConfigError(f"{path}: topics: no cue terms")
    matchers = {language: build_matcher(terms) for language, terms in per_language.items()}
    fallback = build_matcher([t for code in ("ru", "en") for t in per_language.get(code, [])])
    return TopicRules(matchers, fallback, data.default, data.min_score, data.title_factor, tuple(data.order))


def load_topic_rules() -> TopicRules:
    """Topic rules of the current configuration folder (compiled once, then reused)."""
    return _load(str(config_dir()))


def _scores(text: str, factor: float, matcher: Matcher[TermInfo], into: dict[str, dict[str, int]]) -> None:
    tokens = tokenize(normalise(text))
    for hit in resolve_overlaps(matcher.find(tokens)):
        info = hit.term.payload
        into[info.group][f"{factor}:{info.pattern}"] = into[info.group].get(f"{factor}:{info.pattern}", 0) + 1


def classify_topic(
    title: str, text: str, language: str | None, *, relevant: bool = True, rules: TopicRules | None = None
) -> TopicResult:
    """The topic of an article (``other`` when it is not relevant or no cue is strong enough)."""
    rules = rules or load_topic_rules()
    if not relevant:
        return TopicResult(rules.default, {})
    matcher = rules.by_language.get(language or "", rules.fallback)
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    _scores(title, rules.title_factor, matcher, counts)
    _scores(text, 1.0, matcher, counts)
    weights = {t.payload.pattern: t.payload.weight for t in matcher.terms}
    scores: dict[str, float] = {}
    for topic, cues in counts.items():
        total = 0.0
        for key, count in cues.items():
            factor_text, _, pattern = key.partition(":")
            weight = weights[pattern] * float(factor_text)
            total += weight + weight * REPEAT_FACTOR * min(count - 1, MAX_REPEATS)
        scores[topic] = round(total, 3)
    if not scores:
        return TopicResult(rules.default, scores)
    rank = {topic: position for position, topic in enumerate(rules.order)}
    best = max(scores, key=lambda t: (scores[t], -rank.get(t, len(rank))))
    if scores[best] < rules.min_score:
        return TopicResult(rules.default, scores)
    return TopicResult(best, scores)
