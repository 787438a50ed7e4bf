"""Language stage: ISO 639-1 language of an article, with a confidence.

Three signals are combined:

* **letters** — Kazakh, Kyrgyz, Tajik and Uzbek Cyrillic each leave unmistakable letters
  (``config/lexicons/language.toml``); Azerbaijani ``ə``, Turkmen ``ň ý ä``, Uzbek Latin ``oʻ gʻ``.
* **a detector that knows Central Asian languages** — py3langid (chosen over pycld2 on the
  labelled data: see ``docs/quality.md``; both are available through :data:`DETECTORS`).
* **langdetect** (seeded, deterministic) as a second opinion when the detector is unsure; it has
  no kk/ky/tg/uz profile, so its uk/mk/bg/sr answers for Cyrillic text are not trusted.
* **the declared language** (spider: URL prefix such as ``/kz/``; ``<html lang>``) — a prior that
  wins when the text is too short or the evidence is weak, and loses to strong evidence (sites
  do publish Kazakh text under ``/ru/``).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import langdetect
import pycld2
from langdetect import DetectorFactory, LangDetectException, detect_langs
from py3langid.langid import MODEL_FILE, LanguageIdentifier
from pydantic import BaseModel, ConfigDict, Field

from config import ConfigError, config_dir, read_toml, validate_file

DetectorFactory.seed = 0  # langdetect is random otherwise

SAMPLE_CHARS = 800
"""Detectors read the title and the first characters of the text: enough, and fast."""
MIN_LETTERS = 25
"""Below this many letters the text cannot outvote the declared language."""
CONFIDENT = 0.80
SHORT_TEXT_CONFIDENT = 0.95
UNKNOWN_TO_LANGDETECT_CONFIDENT = 0.5
LONG_TEXT_LETTERS = 150
"""Below this many letters (a title) a detector must be very sure to contradict the site."""

Detection = tuple[str | None, float]


class _LanguageMarks(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    code: str = Field(pattern=r"^[a-z]{2,3}$")
    script: str = Field(pattern=r"^(cyrillic|latin)$")
    unique: str = ""
    shared: str = ""
    forbidden: str = ""
    sequences: list[str] = Field(default_factory=list)


class _MarksFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    min_ratio: float = Field(gt=0, lt=1)
    languages: list[_LanguageMarks] = Field(min_length=1)
    confusable_with_russian: dict[str, str] = Field(default_factory=dict)
    close_groups: list[list[str]] = Field(default_factory=list)
    letters_yield_to: dict[str, list[str]] = Field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class LanguageResult:
    language: str
    confidence: float
    method: str
    """Which signal decided: ``letters``, ``detector``, ``langdetect``, ``declared``, ``default``."""


@cache
def _marks(directory: str) -> _MarksFile:
    path = Path(directory) / "lexicons" / "language.toml"
    return validate_file(path, _MarksFile, read_toml(path))


def load_marks() -> _MarksFile:
    return _marks(str(config_dir()))


@cache
def _script(char: str) -> str | None:
    """``cyrillic``, ``latin`` or None for one character (cached: a text has few distinct ones)."""
    if not char.isalpha():
        return None
    name = unicodedata.name(char, "")
    if name.startswith("CYRILLIC"):
        return "cyrillic"
    if name.startswith("LATIN"):
        return "latin"
    return None


def letter_evidence(text: str) -> LanguageResult | None:
    """The language the text's distinctive letters point to, if they are frequent enough."""
    marks = load_marks()
    lower = text.lower()
    totals = {"cyrillic": 0, "latin": 0}
    counts: dict[str, int] = {}
    for char, count in Counter(lower).items():  # counted in C, classified once per distinct letter
        script = _script(char)
        if script:
            totals[script] += count
            counts[char] = count
    best: tuple[float, str] | None = None
    for rule in marks.languages:
        total = totals[rule.script]
        if total < MIN_LETTERS:
            continue
        unique = sum(counts.get(c, 0) for c in rule.unique)
        shared = sum(counts.get(c, 0) for c in rule.shared)
        forbidden = sum(counts.get(c, 0) for c in rule.forbidden)
        sequences = sum(lower.count(seq) for seq in rule.sequences)
        if rule.unique and unique == 0:
            continue
        if rule.forbidden and forbidden > 0.1 * (shared + 1):
            continue
        ratio = (3 * unique + shared + 3 * sequences) / total
        if ratio >= marks.min_ratio and (best is None or ratio > best[0]):
            best = (ratio, rule.code)
    if best is None:
        return None
    confidence = min(0.99, 0.7 + best[0] * 5)
    return LanguageResult(best[1], round(confidence, 3), "letters")


@cache
def langdetect_languages() -> frozenset[str]:
    """Languages langdetect has a profile for (no kk, ky, tg, uz, tk, az)."""
    folder = Path(langdetect.__file__).parent / "profiles"
    return frozenset(p.name.split("-")[0] for p in folder.iterdir() if not p.name.startswith("."))


@cache
def _langid() -> LanguageIdentifier:
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_py3langid(text: str) -> Detection:
    language, probability = _langid().classify(text)
    if language == "uzs":  # py3langid's Southern Uzbek model
        language = "uz"
    return (language, float(probability)) if language else (None, 0.0)


def detect_cld2(text: str) -> Detection:
    """pycld2's top language; confidence = its share of the text in *known* languages (digits,
    quotes and names count as "unknown" and should not lower it), less when CLD2 itself says
    the answer is unreliable."""
    try:
        reliable, _, details = pycld2.detect(text)
    except pycld2.error:
        return None, 0.0
    known = [(code, percent) for _, code, percent, _ in details if code not in ("un", "xxx") and percent > 0]
    if not known:
        return None, 0.0
    code, percent = max(known, key=lambda item: item[1])
    share = percent / sum(p for _, p in known)
    return code.split("-")[0], share * (1.0 if reliable else 0.85)


def detect_langdetect(text: str) -> Detection:
    try:
        candidates = detect_langs(text)
    except LangDetectException:
        return None, 0.0
    top = candidates[0]
    return top.lang.split("-")[0], float(top.prob)


DETECTORS: dict[str, Callable[[str], Detection]] = {
    "pycld2": detect_cld2,
    "py3langid": detect_py3langid,
    "langdetect": detect_langdetect,
}
PRIMARY_DETECTOR = "py3langid"
CHEAP_DETECTOR = "pycld2"
"""Confirms a declared language before the primary detector is asked (:func:`detect_language`)."""


PROSE_WORDS = 6
"""A line with fewer words than this is menu, footer or caption material, not prose."""
MIN_PROSE_CHARS = 200
_PROSE_WORD = re.compile(r"[^\W\d_]{2,}")


def _prose(text: str, limit: int) -> str:
    """The first ``limit`` characters of the text's prose lines: pages open with a site menu,
    a date line or a caption, sometimes in another language than the article. Falls back to
    the text's start when it has too little prose."""
    picked: list[str] = []
    size = 0
    start = 0
    while size < limit and start < len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        line = text[start:end].strip()
        start = end + 1
        if line and len(_PROSE_WORD.findall(line[:200])) >= PROSE_WORDS:
            picked.append(line)
            size += len(line) + 1
    if size < MIN_PROSE_CHARS:
        return text[:limit]
    return "\n".join(picked)[:limit]


def sample(title: str, text: str) -> str:
    return f"{title}\n{_prose(text, SAMPLE_CHARS)}"


def _letters(text: str) -> int:
    return sum(count for char, count in Counter(text).items() if char.isalpha())


def detect_language(
    title: str,
    text: str,
    *,
    declared: str | None = None,
    html_language: str | None = None,
    detector: str = PRIMARY_DETECTOR,
    use_langdetect: bool = True,
) -> LanguageResult:
    """Decide the language of an article (see the module docstring for the rules).

    Order: distinctive letters; the detector when confident (on a short text only when it is
    very sure, since detectors over-trust a title); the declared language when a detector
    agrees or nothing is sure; langdetect as a second opinion.
    """
    stated = (declared or html_language or "").lower() or None
    body = sample(title, text)
    letters_count = _letters(body)
    letters = letter_evidence(body) if letters_count >= MIN_LETTERS else None
    if letters is not None:
        # Letters are decisive between kk/ky/tg/uz, which detectors confuse with each other and
        # with Russian, and they beat a declared language (Kazakh text under /ru/ happens),
        # unless a confident detector names a language of the same letters (Mongolian).
        rivals = load_marks().letters_yield_to.get(letters.language)
        cheap = detector == PRIMARY_DETECTOR and _confirmed_cheaply(letters.language, body, CONFIDENT)
        if rivals and not cheap:
            guess, probability = DETECTORS[detector](body)
            if guess in rivals and probability >= CONFIDENT:
                return LanguageResult(guess, round(probability, 3), "detector")
        return LanguageResult(letters.language, letters.confidence, "letters")
    if stated and letters_count < MIN_LETTERS:
        return LanguageResult(stated, 0.5, "declared")
    needed = CONFIDENT if letters_count >= LONG_TEXT_LETTERS else SHORT_TEXT_CONFIDENT
    if stated and detector == PRIMARY_DETECTOR:
        confirmed = _confirmed_cheaply(stated, body, needed)
        if confirmed is not None:
            return confirmed
    guess, probability = DETECTORS[detector](body)
    guess = _russian_if_confusable(guess, body)
    if guess and stated and guess != stated:
        guess = _plausible(guess, body)
    if guess and probability >= needed:
        return LanguageResult(guess, round(probability, 3), "detector")
    if guess and probability >= UNKNOWN_TO_LANGDETECT_CONFIDENT and guess not in langdetect_languages():
        # langdetect cannot say "Kyrgyz": its disagreement carries no information here.
        if not stated or stated == guess:
            return LanguageResult(guess, round(probability, 3), "detector")
    second: str | None = None
    second_probability = 0.0
    if use_langdetect:
        second, second_probability = detect_langdetect(body)
        second = _russian_if_confusable(second, body)
        if second and stated and second != stated:
            second = _plausible(second, body)
    if stated and guess and second == guess and _plausible(stated, body) is None:
        # Both detectors agree, and the text has none of the declared language's letters
        # (a Russian text under /kyr/).
        return LanguageResult(guess, round(max(probability, second_probability), 3), "detector")
    if stated and stated in (guess, second):
        return LanguageResult(stated, round(max(probability, second_probability, 0.6), 3), "declared")
    if stated:
        return LanguageResult(stated, 0.5, "declared")
    if guess and second == guess:
        return LanguageResult(guess, round(max(probability, second_probability), 3), "langdetect")
    if guess and (not second or probability >= second_probability * 0.8):
        return LanguageResult(guess, round(probability, 3), "detector")
    if second:
        return LanguageResult(second, round(second_probability * 0.8, 3), "langdetect")
    return LanguageResult("und", 0.0, "default")


def _confirmed_cheaply(stated: str, body: str, needed: float) -> LanguageResult | None:
    """The declared language (or the one the letters point to) when :data:`CHEAP_DETECTOR`
    confirms it as surely as the primary detector would have to (None otherwise: the primary
    detector decides).

    A site's declared language confirmed by a second signal is as good as the primary
    detector's answer (``make eval``: the same accuracy with either detector in the combined
    stage), and pycld2 answers in a tenth of the time without py3langid's model in memory
    (about 75 MB, 0.6 s to load): in a crawl, where nearly every page declares its language,
    py3langid is only loaded for the pages the two signals disagree on."""
    guess, probability = DETECTORS[CHEAP_DETECTOR](body)
    if _russian_if_confusable(guess, body) == stated and probability >= needed:
        return LanguageResult(stated, round(probability, 3), "declared")
    return None


def prefer_hint(result: LanguageResult, hint: str | None) -> LanguageResult:
    """The host country's language instead of a close one the detector chose (hr for sr)."""
    if not hint or result.language == hint:
        return result
    for group in load_marks().close_groups:
        if result.language in group and hint in group:
            return LanguageResult(hint, result.confidence, "host")
    return result


def _russian_if_confusable(guess: str | None, text: str) -> str | None:
    """A uk/bg/mk/sr/be answer for Cyrillic text without that language's own letters is Russian
    (see ``confusable_with_russian`` in the marks file)."""
    own = _confusable_patterns().get(guess or "")
    if own is None:
        return guess
    lower = text.lower()
    if own.search(lower) or _script_share(lower, "cyrillic") < 0.5:
        return guess
    return "ru"


@cache
def _confusable_patterns_of(directory: str) -> dict[str, re.Pattern[str]]:
    patterns: dict[str, re.Pattern[str]] = {}
    for code, pattern in _marks(directory).confusable_with_russian.items():
        try:
            patterns[code] = re.compile(pattern, re.MULTILINE)
        except re.error as exc:
            path = Path(directory) / "lexicons" / "language.toml"
            raise ConfigError(
                f"{path}: confusable_with_russian.{code}: bad regular expression: {exc}"
            ) from exc
    return patterns


def _confusable_patterns() -> dict[str, re.Pattern[str]]:
    return _confusable_patterns_of(str(config_dir()))


def _plausible(guess: str | None, text: str) -> str | None:
    """Drop a kk/ky/tg/uz/az/tk answer for a text with none of that language's letters in the
    text's script. Used only against a declared language: detectors call a Russian title full
    of Central Asian place names Kyrgyz, but a short Kyrgyz title may lack ң ө ү too."""
    if guess is None:
        return None
    lower = text.lower()
    rules = [r for r in load_marks().languages if r.code == guess]
    if not rules:
        return guess
    for rule in rules:
        if _script_share(lower, rule.script) < 0.5:
            continue
        marks = rule.unique + rule.shared
        if any(c in lower for c in marks) or any(seq in lower for seq in rule.sequences):
            return guess
        return None
    return guess


def _script_share(text: str, script: str) -> float:
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return 0.0
    return sum(1 for c in letters if _script(c) == script) / len(letters)


def _is_central_asian(code: str) -> bool:
    return code in {"kk", "ky", "tg", "uz", "tk"}
