"""Cluster signatures from text: the content hash and the MinHash of word shingles.

What the signatures decide (same story or not) is :mod:`core.story`; this stage only computes
them from an article's text when it is tagged.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import TYPE_CHECKING

from core.story import NUM_PERM, SEED, datasketch_module
from pipeline.boilerplate import without_signature
from pipeline.textutil import normalised_words

if TYPE_CHECKING:
    from datasketch import MinHash

SHINGLE_SIZE = 3
MIN_SHINGLES = 5
"""Texts shorter than this many shingles get no signature (everything short looks alike)."""


def content_hash(text: str) -> str:
    """SHA-256 hex digest of the normalised text (exact duplicates)."""
    return hashlib.sha256(" ".join(normalised_words(text)).encode("utf-8")).hexdigest()


def shingles(text: str, size: int = SHINGLE_SIZE) -> set[bytes]:
    return _shingles_of(normalised_words(text), size)


def _shingles_of(words: list[str], size: int = SHINGLE_SIZE) -> set[bytes]:
    if len(words) < size:
        return {" ".join(words).encode("utf-8")} if words else set()
    return {" ".join(words[i : i + size]).encode("utf-8") for i in range(len(words) - size + 1)}


def load() -> None:
    """Import datasketch and draw the permutations now rather than for the first signature."""
    _template()


@cache
def _template() -> MinHash:
    """A MinHash of (NUM_PERM, SEED), made once: its permutations are drawn anew otherwise."""
    return datasketch_module().MinHash(num_perm=NUM_PERM, seed=SEED)


def minhash_signature(text: str) -> bytes | None:
    """Serialised MinHash of the text's word shingles, or None for a text too short to compare.

    The press-service signature closing the text is left out
    (:func:`pipeline.boilerplate.without_signature`): every item of a press service ends with it,
    and on two short items it alone would make them look alike."""
    grams = shingles(without_signature(text))
    if len(grams) < MIN_SHINGLES:
        return None
    template = _template()
    datasketch = datasketch_module()
    sketch = datasketch.MinHash(
        num_perm=NUM_PERM, seed=SEED, permutations=template.permutations, scheme=template.scheme
    )
    sketch.update_batch(list(grams))
    lean = datasketch.LeanMinHash(sketch)
    buffer = bytearray(lean.bytesize())
    lean.serialize(buffer)
    return bytes(buffer)




def _jaccard(a: frozenset[str] | frozenset[bytes], b: frozenset[str] | frozenset[bytes]) -> float:
    # |a ∪ b| from the sizes: the union is never built (the desk compares thousands of texts).
    common = len(a & b)
    return common / (len(a) + len(b) - common) if a or b else 0.0


@dataclass(frozen=True, slots=True)
class TextProfile:
    """What :func:`profile_similarity` compares: a text's words and word shingles, made once."""

    words: frozenset[str]
    shingles: frozenset[bytes]


@lru_cache(maxsize=8192)
def text_profile(text: str) -> TextProfile:
    """The profile of a text (cached: the desk ranks the same period's texts page after page)."""
    words = normalised_words(text)
    return TextProfile(frozenset(words), frozenset(_shingles_of(words)))


def profile_similarity(a: TextProfile, b: TextProfile) -> float:
    """How alike two texts are, 0 (no word in common) to 1 (the same words in the same order).

    The mean of the Jaccard similarity of their words and of their word shingles (the units
    :func:`minhash_signature` estimates from): shared names, places and figures count even
    between two language versions, shared phrasing counts more. Exact, for ranking a few hundred
    candidates; the MinHash estimate is for clustering many.
    """
    return (_jaccard(a.words, b.words) + _jaccard(a.shingles, b.shingles)) / 2


def text_similarity(a: str, b: str) -> float:
    """:func:`profile_similarity` of two texts."""
    return profile_similarity(text_profile(a), text_profile(b))
