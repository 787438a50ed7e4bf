"""Latin slugs as the mirrored WordPress sites make them from Cyrillic titles.

polisia.kz slugs in the wild (``schast-e``, ``narkodel-tsam``, ``raz-yasnyayut``, ``ajmaqtyng``)
show the transliteration: ь/ъ become a hyphen, щ -> sch, ц -> ts, й -> j, and the Kazakh letters
ң -> ng, қ -> q, ғ -> g, ө -> o, ұ/ү -> u, і -> i, ә -> a, һ -> h.
"""

from __future__ import annotations

import re

_TABLE = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z",
    "и": "i", "й": "j", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "h", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "sch", "ъ": "-", "ы": "y", "ь": "-", "э": "e", "ю": "yu", "я": "ya",
    "ә": "a", "ғ": "g", "қ": "q", "ң": "ng", "ө": "o", "ұ": "u", "ү": "u", "һ": "h", "і": "i",
}


def slugify(title: str, max_length: int = 200) -> str:
    """A WordPress-style Latin slug of a Russian or Kazakh title."""
    out = "".join(_TABLE.get(ch, ch) for ch in title.lower())
    out = re.sub(r"[^a-z0-9]+", "-", out).strip("-")
    if len(out) > max_length:
        out = out[:max_length].rstrip("-")
    return out
