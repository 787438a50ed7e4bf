"""What the whole text does with its drug words: the relevance model's context features.

The lexicon says *whether* a text has drug words; the model must tell a seizure report from a
story that mentions drugs in passing. On the corpus's training items the difference shows over
the whole text, not only in the title and lead the n-grams read:

* how many sentences carry a drug term, and what share of the text's sentences that is (a
  seizure report talks about drugs throughout; a riot story once);
* a drug term in the same sentence as an action word (seized, detained, prevention, lecture,
  court), or as other crimes (one item of a list of incidents), or as traffic words (impaired
  driving), or as "under the influence";
* phone-fraud cues anywhere (the "your relative was caught with drugs" pretext);
* a "substance", "packets", "powder" or a dead drop beside an action word: seizure reports that
  never name the drug («пакетики с каким-то веществом»);
* what share of the drug sentences carry an action word, traffic or "under the influence", or
  alcohol (narcology stories about alcoholics use drug vocabulary too);
* where the first drug term is, and the length of the text.

The cue words are data (``config/lexicons/relevance_context.toml``), matched with the same
matcher as the lexicons; they are never evidence and never decide on their own.
"""

from __future__ import annotations

import bisect
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from config import ConfigError, config_dir, read_toml, validate_file
from pipeline.matcher import Matcher, PatternSyntaxError, Term, compile_term
from pipeline.relevance import LexiconSignals
from pipeline.textutil import Token, normalised_tokens

CONTEXT_FILE = "relevance_context.toml"
CUE_GROUPS = ("action", "crime", "fraud", "driving", "intox", "substance", "alcohol")
CONTEXT_FEATURES = (
    "drug_sentences",
    "drug_sentence_share",
    "term_sentence_share",
    "first_drug_position",
    "drug_with_action",
    "crimes_beside_drug",
    "crime_cues",
    "fraud_cues",
    "drug_with_driving",
    "drug_with_intoxication",
    "drug_in_title",
    "action_in_title",
    "crime_in_title",
    "log_length",
    "drug_terms",
    "substance_cues",
    "substance_with_action",
    "action_share_of_drug_sentences",
    "impaired_share_of_drug_sentences",
    "alcohol_share_of_drug_sentences",
)
_SENTENCE = re.compile(r"[^.!?\n]+")
MIN_SENTENCE_CHARS = 16
"""Shorter pieces (a menu item, «г.», a date) are not sentences."""


class _ContextFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    action: list[str]
    crime: list[str]
    fraud: list[str]
    driving: list[str]
    intox: list[str]
    substance: list[str]
    alcohol: list[str]


@cache
def _load(directory: str) -> Matcher[str]:
    path = Path(directory) / "lexicons" / CONTEXT_FILE
    if not path.exists():
        raise ConfigError(f"{path}: the relevance model's context cues are missing")
    data = validate_file(path, _ContextFile, read_toml(path))
    terms: list[Term[str]] = []
    for group in CUE_GROUPS:
        for position, pattern in enumerate(getattr(data, group)):
            try:
                terms.append(compile_term(pattern, group))
            except PatternSyntaxError as exc:
                raise ConfigError(f"{path}: {group}[{position}]: {exc}") from exc
    return Matcher.of(terms)


def load_cues() -> Matcher[str]:
    """The context cues of the current configuration folder (compiled once, then reused)."""
    return _load(str(config_dir()))


@dataclass(frozen=True, slots=True)
class _Sentences:
    starts: list[int]

    def of(self, offset: int) -> int:
        return max(bisect.bisect_right(self.starts, offset) - 1, 0)


def _cue_sentences(
    tokens: Sequence[Token], sentences: _Sentences, cues: Matcher[str]
) -> dict[str, Counter[int]]:
    found: dict[str, Counter[int]] = {group: Counter() for group in CUE_GROUPS}
    for hit in cues.find(tokens):
        found[hit.term.payload][sentences.of(tokens[hit.first].start)] += 1
    return found


def context_features(
    title: str, text: str, signals: LexiconSignals, cues: Matcher[str] | None = None
) -> list[float]:
    """The features of :data:`CONTEXT_FEATURES`, each about 0..1, in that order."""
    matcher = cues or load_cues()
    normalised, tokens = normalised_tokens(text)
    spans = [
        m.start() for m in _SENTENCE.finditer(normalised) if len(m.group().strip()) >= MIN_SENTENCE_CHARS
    ]
    sentences = _Sentences(spans)
    count = max(len(spans), 1)
    drug = {sentences.of(start) for start in signals.drug_starts}
    terms = {sentences.of(start) for start in signals.term_starts}
    cue = _cue_sentences(tokens, sentences, matcher)
    in_title = {hit.term.payload for hit in matcher.find(normalised_tokens(title)[1])}

    def beside_drug(group: str) -> int:
        return sum(1 for sentence in drug if cue[group][sentence])

    first = signals.drug_starts[0] if signals.drug_starts else len(normalised)
    substance = set(cue["substance"])
    drug_count = max(len(drug), 1)
    impaired = sum(1 for sentence in drug if cue["driving"][sentence] or cue["intox"][sentence])
    return [
        min(len(drug), 10) / 10,
        len(drug) / count,
        len(terms) / count,
        first / max(len(normalised), 1),
        min(beside_drug("action"), 5) / 5,
        min(max((cue["crime"][sentence] for sentence in drug), default=0), 4) / 4,
        min(cue["crime"].total(), 10) / 10,
        min(cue["fraud"].total(), 6) / 6,
        min(beside_drug("driving"), 3) / 3,
        min(beside_drug("intox"), 3) / 3,
        1.0 if signals.drug_in_title else 0.0,
        1.0 if "action" in in_title else 0.0,
        1.0 if "crime" in in_title else 0.0,
        min(math.log1p(len(normalised)) / 10, 1.0),
        min(signals.drug_terms, 6) / 6,
        min(cue["substance"].total(), 5) / 5,
        min(sum(1 for sentence in substance if cue["action"][sentence]), 3) / 3,
        beside_drug("action") / drug_count,
        impaired / drug_count,
        beside_drug("alcohol") / drug_count,
    ]
