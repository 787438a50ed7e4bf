"""Text normalisation and tokenisation shared by the matching stages.

Every stage that compares words (gazetteer, relevance and topic lexicons, language markers) runs
on the same normalised text so that the data files can be written in one spelling: ``ё`` is
``е``, the many apostrophes of Uzbek Latin (``oʻ``, ``o'``, ``o’``) are one ``'``, and
non-breaking hyphens are plain hyphens.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

_TRANSLATION = str.maketrans(
    {
        "ё": "е",
        "Ё": "Е",
        "ʻ": "'",
        "ʼ": "'",
        "’": "'",
        "‘": "'",
        "`": "'",
        "´": "'",
        "\u2010": "-",
        "\u2011": "-",
        "\u00ad": None,  # soft hyphen
        "\u00a0": " ",
    }
)

# A word: letters/digits, possibly joined by an apostrophe (o'zbekiston) or hyphen
# (Усть-Каменогорск, Восточно-Казахстанской, Иссык-Куль). Underscores are not words.
_TOKEN_RE = re.compile(r"[^\W_]+(?:['-][^\W_]+)*")
_SPACE_RE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """NFC, ``ё``→``е``, one apostrophe, plain hyphens; case is kept (abbreviations need it)."""
    return unicodedata.normalize("NFC", text).translate(_TRANSLATION)


_WORD_RE = re.compile(r"[^\W_]+")


def normalised_words(text: str) -> list[str]:
    """The lower-case words of the normalised text (letters and digits; punctuation, spacing
    and case ignored): what duplicate keys and paragraph fingerprints compare."""
    return _WORD_RE.findall(normalise(text).lower())


def collapse_spaces(text: str) -> str:
    return _SPACE_RE.sub(" ", text).strip()


@dataclass(frozen=True, slots=True)
class Token:
    """One word of a normalised text, with its offsets in that text."""

    text: str
    lower: str
    start: int
    end: int


def tokenize(text: str) -> list[Token]:
    """Words of an already normalised text (see :func:`normalise`)."""
    return [Token(m.group(), m.group().lower(), m.start(), m.end()) for m in _TOKEN_RE.finditer(text)]


@lru_cache(maxsize=16)
def normalised_tokens(text: str) -> tuple[str, tuple[Token, ...]]:
    """The normalised text and its words, for stages that read the same text one after the
    other (the relevance lexicon, then the model's context cues): cut once, reused."""
    normalised = normalise(text)
    return normalised, tuple(tokenize(normalised))
