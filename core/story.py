"""Story keys: what decides that two stored articles tell one story (pure, no I/O).

Storage keeps, per article, the columns of :class:`StoryKey` (canonical URL, content hash, MinHash
bytes, language, alternates' canonical URLs, publication date), files each article under its
:meth:`StoryKey.stored_keys` and asks :func:`same_story` for candidate pairs. The signatures
themselves are computed from text by :mod:`pipeline.cluster`.

* **Exact duplicate**: same content hash (SHA-256 of the normalised text).
* **Near duplicate**: the same language, MinHash Jaccard of word 3-shingles ≥
  :data:`NEAR_DUPLICATE_THRESHOLD`, published within :data:`MAX_DAYS_APART` days (a repost by
  another outlet, a regional site republishing the ministry's text).
* **Language versions**: one page lists the other among its hreflang alternates.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from types import ModuleType

from core.urls import InvalidURL, canonical_url

NUM_PERM = 128
SEED = 1
NEAR_DUPLICATE_THRESHOLD = 0.6
"""Estimated Jaccard similarity of word 3-shingles above which two texts are one story.

A repost with a changed lead and signature scores about 0.77 (``tests/pipeline/test_cluster.py``);
no two different items of the labelled set score above 0.2."""
MAX_DAYS_APART = 3


@cache
def datasketch_module() -> ModuleType:
    """datasketch's ``MinHash`` and ``LeanMinHash``, imported on first use.

    Unless the process imported the package already, its two modules are imported without the
    package's ``__init__``, which imports every sketch of the library, LSH with SciPy among them
    (newsmon uses none of them): 0.4 s of CPU and about 50 MB in each tagging worker. The modules
    are datasketch's own, unchanged; a process that imports the package later gets the same
    classes (its ``__init__`` finds them imported)."""
    if "datasketch" in sys.modules:
        return sys.modules["datasketch"]
    spec = importlib.util.find_spec("datasketch")
    if spec is None:
        raise ModuleNotFoundError("datasketch")
    sys.modules["datasketch"] = importlib.util.module_from_spec(spec)  # the package, __init__ not run
    try:
        minhash = importlib.import_module("datasketch.minhash")
        lean = importlib.import_module("datasketch.lean_minhash")
    finally:
        del sys.modules["datasketch"]  # the package proper, if anyone imports it, runs its __init__
    found = ModuleType("datasketch (MinHash only)")
    found.MinHash = minhash.MinHash  # type: ignore[attr-defined]
    found.LeanMinHash = lean.LeanMinHash  # type: ignore[attr-defined]
    return found


_VALUE_BYTES = 4 * NUM_PERM
_HEADER_BYTES = (12, 16)
"""What precedes the 32-bit hash values in a serialised datasketch ``LeanMinHash``: the seed and
the number of values (12 bytes), and in the newer layout a scheme byte padded to 16."""


def similarity(sig_a: bytes, sig_b: bytes) -> float:
    """Estimated Jaccard similarity of two signatures from :func:`minhash_signature`: the share of
    equal hash values, as ``LeanMinHash.jaccard`` computes it.

    Two signatures with the same header (seed, size, scheme) are compared here without
    deserialising them (storage compares each new article with its candidates, and a crawl need
    not import datasketch for that); any other layout goes through datasketch, which checks it.
    """
    header = len(sig_a) - _VALUE_BYTES
    if len(sig_b) == len(sig_a) and header in _HEADER_BYTES and sig_a[:header] == sig_b[:header]:
        first = memoryview(sig_a)[header:].cast("I")
        second = memoryview(sig_b)[header:].cast("I")
        # equal total lengths and equal header lengths, so both views hold the same number of values
        return sum(1 for a, b in zip(first, second, strict=True) if a == b) / NUM_PERM
    lean = datasketch_module().LeanMinHash
    return float(lean.deserialize(sig_a).jaccard(lean.deserialize(sig_b)))


LSH_BANDS = 42
LSH_ROWS = 3
"""Locality-sensitive hashing of the signatures, so storage finds near-duplicate candidates by
key instead of comparing every article of the days around: the 128 hash values cut into 42 bands
of 3. Two texts share at least one band with probability ``1 − (1 − s³)⁴²``: above 0.9999 at the
threshold (s = 0.6), 0.29 at s = 0.2, 0.005 at s = 0.05; sharing a band only makes a pair a
candidate, :func:`same_story` still decides."""


def _key(kind: bytes, data: bytes) -> int:
    """A signed 64-bit key (fits every SQL BIGINT) for ``data`` of one ``kind``."""
    return int.from_bytes(hashlib.blake2b(kind + data, digest_size=8).digest(), "big", signed=True)


def _hash_values(signature: bytes) -> bytes:
    """The hash values of a signature as bytes (the layout's header left out)."""
    header = len(signature) - _VALUE_BYTES
    if header in _HEADER_BYTES:
        return signature[header:]
    values = datasketch_module().LeanMinHash.deserialize(signature).hashvalues
    return bytes(values.tobytes())


def band_keys(signature: bytes | None) -> set[int]:
    """The LSH keys of a signature (none without one): equal keys = an equal band of values."""
    if not signature:
        return set()
    values = _hash_values(signature)
    width = len(values) // NUM_PERM * LSH_ROWS
    return {_key(b"band%d:" % band, values[band * width : (band + 1) * width]) for band in range(LSH_BANDS)}


def url_key(url: str) -> int:
    """The key under which an article is found by a page naming it (canonical) as an alternate."""
    return _key(b"url:", url.encode("utf-8"))


@dataclass(frozen=True, slots=True)
class StoryKey:
    """What :func:`same_story` needs of an article; every field is a stored column."""

    canonical_url: str
    content_hash: str
    minhash: bytes | None = None
    language: str | None = None
    alternates: frozenset[str] = frozenset()
    """Canonical URLs of the page's hreflang alternates."""
    published: date | None = None

    @classmethod
    def build(
        cls,
        *,
        url: str,
        content_hash: str,
        minhash: bytes | None = None,
        language: str | None = None,
        alternates: Iterable[str] | Mapping[str, str] = (),
        published: date | datetime | None = None,
        canonical: bool = False,
    ) -> StoryKey:
        """The one way a key is made, from a tagged article or stored columns. URLs may be given
        as published (they are canonicalised; ``canonical=True`` says ``url`` is already),
        alternates as the ``{lang: url}`` mapping of :class:`~core.types.PageInput` or a list."""
        urls = alternates.values() if isinstance(alternates, Mapping) else alternates
        return cls(
            canonical_url=url if canonical else _canonical_or_same(url),
            content_hash=content_hash,
            minhash=minhash,
            language=language,
            alternates=frozenset(_canonical_or_same(u) for u in urls),
            published=published.date() if isinstance(published, datetime) else published,
        )


    def stored_keys(self) -> set[int]:
        """What storage files this article under: its LSH bands and its alternates' URLs. A later
        article finds it by sharing a band (:func:`band_keys` of its own signature) or by being
        one of those alternates (:func:`url_key` of its own URL)."""
        return band_keys(self.minhash) | {url_key(url) for url in self.alternates}


def _canonical_or_same(url: str) -> str:
    try:
        return canonical_url(url)
    except InvalidURL:
        return url


def same_story(a: StoryKey, b: StoryKey) -> bool:
    """Whether two articles are one candidate event (see the module docstring for the rules)."""
    if a.canonical_url == b.canonical_url or a.content_hash == b.content_hash:
        return True
    if a.canonical_url in b.alternates or b.canonical_url in a.alternates:
        return True
    if a.minhash is None or b.minhash is None or a.language != b.language:
        return False
    if a.published and b.published and abs((a.published - b.published).days) > MAX_DAYS_APART:
        return False
    return similarity(a.minhash, b.minhash) >= NEAR_DUPLICATE_THRESHOLD
