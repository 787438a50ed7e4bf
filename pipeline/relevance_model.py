"""The learned relevance model: is the article *about* a counter-narcotics event or activity?

The lexicon (:mod:`pipeline.relevance`) answers "does the text contain a drug word?", which real
published news shows is not the same question: rioters "under the influence of narcotics", phone
fraud with a drug pretext and crime round-ups all contain one. The model reads

* character n-grams (3–5 letters inside words) of the title and the lead, after folding the
  letters that only Kazakh, Kyrgyz, Tajik, Uzbek, Ukrainian or Belarusian add to Russian's
  alphabet, so what is learned in one of those languages carries to the others and to a
  language without a lexicon (Bulgarian «хероин» shares «ероин» with «героин»);
* the lexicon's own signals (:class:`~pipeline.relevance.LexiconSignals`): its score, how many
  distinct drug terms, a term in the title or the lead, negative cues;
* what the whole text does with its drug words (:mod:`pipeline.relevance_context`): how many
  sentences carry one, a drug term beside action words, beside other crimes, traffic, "under
  the influence" or alcohol, phone-fraud cues, and a seized "substance" or "packets of powder"
  beside an action word (seizure reports that name no drug);

and outputs a calibrated probability (a logistic model, Platt-scaled on out-of-fold scores).
Its labels come from thresholds chosen on held-out scores, recall first (``relevant`` at 99 %
recall while precision holds the gate, ``maybe`` at 99.5 %: :func:`pipeline.training.
choose_thresholds`); ``maybe`` needs at least one drug term of the lexicon, and an article the
lexicon alone calls relevant is never labelled below ``maybe``, so the inbox still shows it.

A model is one JSON file (``config/models/relevance/<version>.json``; ``ACTIVE`` names the one
in use), written by :mod:`pipeline.training` and read here with the standard library only, so
tagging needs no scikit-learn. It is loaded once per process.
"""

from __future__ import annotations

import json
import math
import operator
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from config import config_dir, data_dir
from core.errors import UserError
from core.types import Relevance
from pipeline.relevance import FALLBACK_LEXICONS, Lexicons, LexiconSignals, lexicon_relevance, load_lexicons
from pipeline.relevance_context import CONTEXT_FEATURES, context_features
from pipeline.textutil import normalise

MODEL_FORMAT = "newsmon-relevance/1"
ACTIVE_FILE = "ACTIVE"
NGRAM_SIZES = (3, 4, 5)
NGRAM_CHARS = 1000
"""The title and this many characters of the text feed the n-grams (a bounded cost per article)."""
DENSE_FEATURES = (
    "lexicon_score",
    "distinct_terms",
    "hits_per_1000_chars",
    "term_in_title",
    "term_in_lead",
    "negative_cues",
    "short_text",
    *CONTEXT_FEATURES,
)

# Letters Kazakh, Kyrgyz, Tajik, Uzbek, Ukrainian, Belarusian and Bulgarian add to Russian's
# alphabet, folded to the Russian letter they sound like; Latin diacritics to the plain letter.
_FOLD = str.maketrans(
    {
        "ә": "а",
        "ғ": "г",
        "қ": "к",
        "ң": "н",
        "ө": "о",
        "ұ": "у",
        "ү": "у",
        "һ": "х",
        "і": "и",
        "ҳ": "х",
        "ҷ": "ч",
        "ӣ": "и",
        "ӯ": "у",
        "ў": "у",
        "ї": "и",
        "є": "е",
        "ґ": "г",
        "ъ": "",
        "á": "a",
        "ä": "a",
        "ǵ": "g",
        "ğ": "g",
        "ı": "i",
        "ń": "n",
        "ñ": "n",
        "ň": "n",
        "ó": "o",
        "ö": "o",
        "ú": "u",
        "ü": "u",
        "ū": "u",
        "ý": "y",
        "ş": "s",
        "ç": "c",
        "ə": "e",
        "ž": "z",
        "'": "",
    }
)
_WORD = re.compile(r"[^\W\d_]{2,}")


class ModelError(UserError):
    """The relevance model file is missing, unreadable or not a model; the message names it."""


def folded_words(title: str, text: str) -> list[str]:
    """Lower-cased, folded words of the title and the first :data:`NGRAM_CHARS` of the text."""
    sample = normalise(f"{title}\n{text[:NGRAM_CHARS]}").lower().translate(_FOLD)
    return _WORD.findall(sample)


@lru_cache(maxsize=1 << 16)
def _word_ngrams(word: str) -> tuple[str, ...]:
    padded = f" {word} "
    length = len(padded)
    return tuple(padded[start : start + size] for size in NGRAM_SIZES for start in range(length - size + 1))


def char_ngrams(title: str, text: str) -> set[str]:
    """The distinct 3–5 letter n-grams inside words (padded by a space at each end); a word's
    n-grams are cut once per process (news reuse their words)."""
    grams: set[str] = set()
    for word in set(folded_words(title, text)):
        grams.update(_word_ngrams(word))
    return grams


def dense_features(title: str, text: str, lexicon: Relevance, signals: LexiconSignals) -> list[float]:
    """The lexicon's signals and the whole text's context features
    (:mod:`pipeline.relevance_context`) as numbers of about 0..1, in :data:`DENSE_FEATURES` order."""
    length = max(len(text), 1)
    return [
        lexicon.score,
        min(signals.distinct_terms, 6) / 6,
        min(signals.hits * 1000 / length, 10.0) / 10,
        1.0 if signals.in_title else 0.0,
        1.0 if signals.in_lead else 0.0,
        min(signals.negative_cues, 3) / 3,
        1.0 if length < 400 else 0.0,
        *context_features(title, text, signals),
    ]


@dataclass(frozen=True, slots=True)
class Thresholds:
    relevant: float
    maybe: float


@dataclass(frozen=True, slots=True)
class RelevanceModel:
    """A trained model as read from its file."""

    version: str
    ngram_weights: dict[str, float]
    dense_weights: tuple[float, ...]
    intercept: float
    calibration: tuple[float, float]
    """Platt scaling ``(a, b)``: probability = σ(a · margin + b)."""
    thresholds: Thresholds
    meta: dict[str, Any]
    path: Path | None = None
    vocabulary: frozenset[str] = frozenset()
    """The n-grams with a weight (a set, so intersecting a page's n-grams with it runs in C)."""

    def margin(self, grams: set[str], dense: Sequence[float]) -> float:
        """The uncalibrated decision value: binary n-grams L2-normalised, plus dense features."""
        weights = self.ngram_weights
        # The set intersection and the sums run in C: a few microseconds for a page's n-grams.
        known = grams & self.vocabulary
        ngram_part = sum(map(weights.__getitem__, known)) / math.sqrt(len(grams)) if grams else 0.0
        dense_part = sum(map(operator.mul, self.dense_weights, dense))
        return ngram_part + dense_part + self.intercept

    def calibrated(self, margin: float) -> float:
        """The probability of a decision value (Platt scaling)."""
        a, b = self.calibration
        return sigmoid(a * margin + b)

    def probability(self, title: str, text: str, lexicon: Relevance, signals: LexiconSignals) -> float:
        dense = dense_features(title, text, lexicon, signals)
        return self.calibrated(self.margin(char_ngrams(title, text), dense))

    def label(self, probability: float) -> str:
        if probability >= self.thresholds.relevant:
            return "relevant"
        if probability >= self.thresholds.maybe:
            return "maybe"
        return "irrelevant"


def sigmoid(value: float) -> float:
    if value >= 0:
        return 1.0 / (1.0 + math.exp(-value))
    exp = math.exp(value)
    return exp / (1.0 + exp)


def shipped_dir() -> Path:
    """The models that come with newsmon: ``<config>/models/relevance``."""
    return config_dir() / "models" / "relevance"


def local_dir() -> Path:
    """Models retrained here (``newsmon model train``): ``<data>/models/relevance``. Its
    ``ACTIVE``, when present, wins over the shipped one."""
    return data_dir() / "models" / "relevance"


def _read_marker(marker: Path) -> str:
    try:
        version = marker.read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise ModelError(f"{marker}: cannot read the active relevance model's name ({exc.strerror})") from exc
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", version):
        raise ModelError(f"{marker}: does not name a model version")
    return version


def active_version() -> str:
    """The version in use: the local ``ACTIVE`` if there is one, else the shipped one."""
    local = local_dir() / ACTIVE_FILE
    return _read_marker(local if local.exists() else shipped_dir() / ACTIVE_FILE)


def model_path(version: str) -> Path:
    """The file of a model version, retrained ones first."""
    for folder in (local_dir(), shipped_dir()):
        path = folder / f"{version}.json"
        if path.exists():
            return path
    raise ModelError(f"no relevance model {version!r} in {local_dir()} or {shipped_dir()}")


def model_from_dict(data: Any, path: Path | None = None) -> RelevanceModel:
    """Validate a model's JSON content; anything amiss is one :class:`ModelError`."""
    where = str(path) if path else "relevance model"
    try:
        if not isinstance(data, dict) or data.get("format") != MODEL_FORMAT:
            raise ValueError(f"not a {MODEL_FORMAT} file")
        dense = tuple(float(w) for w in data["dense_weights"])
        if tuple(data["dense_features"]) != DENSE_FEATURES or len(dense) != len(DENSE_FEATURES):
            raise ValueError(
                "its dense features are not the ones this version of newsmon computes (a model "
                "trained by an older version: retrain with `newsmon model train`, or use the "
                "shipped model with `newsmon model restore <version>`)"
            )
        if tuple(data["ngram_sizes"]) != NGRAM_SIZES or int(data["ngram_chars"]) != NGRAM_CHARS:
            raise ValueError("its n-gram settings are not the ones this version of newsmon computes")
        weights = {str(k): float(v) for k, v in data["ngram_weights"].items()}
        a, b = (float(x) for x in data["calibration"])
        thresholds = Thresholds(float(data["thresholds"]["relevant"]), float(data["thresholds"]["maybe"]))
        if not 0 < thresholds.maybe <= thresholds.relevant < 1:
            raise ValueError("thresholds must satisfy 0 < maybe <= relevant < 1")
        values = [*weights.values(), *dense, a, b, float(data["intercept"])]
        if not all(math.isfinite(v) for v in values):
            raise ValueError("a weight is not a finite number")
        return RelevanceModel(
            version=str(data["version"]),
            ngram_weights=weights,
            dense_weights=dense,
            intercept=float(data["intercept"]),
            calibration=(a, b),
            thresholds=thresholds,
            meta={k: data[k] for k in ("created", "training", "metrics") if k in data},
            path=path,
            vocabulary=frozenset(weights),
        )
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        detail = f"missing field {exc}" if isinstance(exc, KeyError) else str(exc)
        raise ModelError(f"{where}: not a usable relevance model: {detail}") from exc


def read_model(path: Path) -> RelevanceModel:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ModelError(f"{path}: cannot read the relevance model ({exc.strerror})") from exc
    try:
        data = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelError(f"{path}: the relevance model is corrupt (not JSON: {exc})") from exc
    return model_from_dict(data, path)


@cache
def _load(shipped: str, local: str) -> RelevanceModel:
    return read_model(model_path(active_version()))


def load_model() -> RelevanceModel:
    """The active model, read once per process (per configuration and data folder)."""
    return _load(str(shipped_dir()), str(local_dir()))


def forget_loaded_model() -> None:
    """Make the next :func:`load_model` read the files again (after a retrain or a restore)."""
    _load.cache_clear()


def judge_relevance(
    title: str,
    text: str,
    language: str | None,
    *,
    lexicons: Lexicons | None = None,
    model: RelevanceModel | None = None,
) -> Relevance:
    """The relevance stage: the lexicon's evidence, and the model's probability and label."""
    compiled = lexicons or load_lexicons()
    lexicon, signals = lexicon_relevance(title, text, language, compiled)
    note = None
    if not signals.own_lexicon:
        note = (
            f"no relevance lexicon for {language or 'an unknown language'!r}: "
            f"matched with the {', '.join(FALLBACK_LEXICONS)} terms"
        )
    chosen = model or load_model()
    if not (title.strip() or text.strip()):
        probability = 0.0
    else:
        probability = chosen.probability(title, text, lexicon, signals)
    label = chosen.label(probability)
    if label == "maybe" and not signals.drug_terms:
        # "maybe" asks an analyst to look at drug vocabulary the model is unsure about; with no
        # drug word at all (a cigarette seizure) only a confident model makes it a candidate.
        label = "irrelevant"
    if label == "irrelevant" and lexicon.label == "relevant":
        # Recall first: the model may demote a clear lexicon hit to "maybe", never hide it from
        # the inbox (an anti-drug talk inside a youth forum is in the reference release).
        label = "maybe"
    return replace(
        lexicon,
        score=round(probability, 4),
        label=label,
        lexicon_score=lexicon.score,
        model=chosen.version,
        note=note,
    )
