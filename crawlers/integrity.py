"""Is the page we hold the page the site sent? Its charset, decided from the bytes, and a body
cut short.

* **Charset.** Sites mislabel pages (windows-1251 bytes declared UTF-8, KOI8-R declared
  windows-1251). Single-byte Cyrillic charsets decode *any* bytes, so "it decodes" proves
  nothing: the decoded text must also read as text. :func:`decode_body` keeps the declared
  charset when its text is plausible (charset_normalizer's mess ratio), and otherwise lets the
  bytes decide among the Cyrillic charsets. The confidence goes with the page; a doubtful one
  is fetched again by the next crawl.
* **Truncation.** A connection closed mid-body with no Content-Length reaches the spider as a
  complete response (Scrapy only flags it ``partial``). :func:`cut_short` says when such a body
  ends mid-markup, or is much shorter than the site's usual article page.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import median

from charset_normalizer import from_bytes
from charset_normalizer.md import mess_ratio

CANDIDATES = ("cp1251", "koi8_r", "utf_8", "cp866", "iso8859_5", "mac_cyrillic", "koi8_u")
"""Charsets the bytes may be in when the declared one reads as nonsense."""
IMPLAUSIBLE_MESS = 0.1
"""Mess ratio (charset_normalizer: odd case changes, symbols inside words …) from which a
decoding is not text."""
DOUBTFUL_BELOW = 0.9
"""A decoding with a lower confidence is doubtful: stored, and fetched again by the next crawl."""
GUESS_CEILING = 0.95
"""The highest confidence of a charset guessed from the bytes against the declared one."""
SAMPLE_CHARS = 20_000
SHORT_SHARE = 0.4
"""A partial body under this share of the median article body of the crawl is cut short."""
MIN_SIZES = 5

_TAGS = re.compile(r"<script\b.*?</script>|<style\b.*?</style>|<[^>]*>", re.S | re.I)
_CYRILLIC_WORD = re.compile(r"[А-Яа-яЁё]{3,}")
_INVERTED = re.compile(r"[а-яё][А-ЯЁ]")


@dataclass(frozen=True, slots=True)
class Decoding:
    encoding: str
    confidence: float
    """1.0: the bytes read as text in this charset; lower: doubtful (see :data:`DOUBTFUL_BELOW`)."""

    @property
    def doubtful(self) -> bool:
        return self.confidence < DOUBTFUL_BELOW


def text_mess(text: str) -> float:
    """How little ``text`` (HTML) reads as text: charset_normalizer's mess ratio of its visible
    part, or the share of Cyrillic words with a capital after a small letter (KOI8-R read as
    windows-1251 swaps the case of every letter), whichever is higher."""
    visible = " ".join(_TAGS.sub(" ", text[: SAMPLE_CHARS * 5]).split())[:SAMPLE_CHARS]
    if not visible:
        return 0.0
    words = _CYRILLIC_WORD.findall(visible)
    inverted = sum(1 for word in words if _INVERTED.search(word)) / len(words) if len(words) >= 10 else 0.0
    return max(mess_ratio(visible, maximum_threshold=1.0), inverted)


def decode_body(body: bytes, declared: str | None) -> Decoding:
    """The charset ``body`` is really in, and how sure that is.

    Strict UTF-8 is UTF-8 (Cyrillic in another charset almost never decodes as UTF-8). Otherwise
    the declared charset if its text is plausible; otherwise the candidate the bytes read best
    in (charset_normalizer), capped at :data:`GUESS_CEILING`.
    """
    try:
        body.decode("utf-8")
        return Decoding("utf-8", 1.0)
    except UnicodeDecodeError:
        pass
    declared_mess = 1.0
    if declared and declared.lower().replace("-", "").replace("_", "") != "utf8":
        try:
            declared_mess = text_mess(body.decode(declared))
        except (UnicodeDecodeError, LookupError):
            declared_mess = 1.0
        if declared_mess < IMPLAUSIBLE_MESS:
            return Decoding(declared, round(1.0 - declared_mess, 3))
    best = from_bytes(body, cp_isolation=list(CANDIDATES)).best()
    if best is not None:
        mess = text_mess(str(best))
        if mess < declared_mess:
            return Decoding(best.encoding, round(min(1.0 - mess, GUESS_CEILING), 3))
    if declared and declared_mess < 1.0:
        return Decoding(declared, round(1.0 - declared_mess, 3))
    return Decoding("cp1251", 0.0)


def cut_short(body: bytes, *, partial: bool, usual: Sequence[int] = ()) -> str | None:
    """Why an HTML ``body`` is not the whole page, or None when nothing says so.

    ``partial``: the connection closed with no Content-Length (Scrapy's ``partial`` flag).
    ``usual``: the sizes of the complete article pages of this crawl so far.
    """
    tail = body[-4096:].rstrip().lower()
    if tail.rfind(b"<") > tail.rfind(b">"):
        return "the body ends inside a tag"
    if not partial:
        return None
    if b"<html" in body[:4096].lower() and b"</html>" not in tail and b"</body>" not in tail:
        return "the connection closed before </html> (no Content-Length)"
    if len(usual) >= MIN_SIZES and len(body) < SHORT_SHARE * median(usual):
        return f"{len(body)} bytes with no Content-Length; the site's article pages have {median(usual):.0f}"
    return None
