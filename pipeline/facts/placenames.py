"""One place in several case forms: «Бишкеке» and «города Бишкека», «Qoraqalpog'istonda» and
«Qoraqalpog'iston respublikasida», «Жалал-Абад облусунда» and «Жалал-Абад облусунун».

A place as written is read as its *name words* and its *kind* (region, district, city, village:
the kind word «области», «облусунда», «tumanida», «шаҳри» says which). Two forms name the same
place when their name words pair up as one stem with an ending of the story's language on each
side, and their kinds agree (see ``config/place_forms.toml`` for the rule and the endings). The
facts stage counts such forms once; the quality measure scores them as one place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from pydantic import BaseModel, ConfigDict, Field

from config import config_path, validate_file
from pipeline.textutil import normalise

_WORD = re.compile(r"[^\W_]+(?:['-][^\W_]+)*")


class _FormsFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    min_stem: int = Field(ge=1)
    joining: list[str]
    adjective_stems: list[str]
    endings: dict[str, list[str]]
    kinds: dict[str, list[str]]


@dataclass(frozen=True, slots=True)
class PlaceForms:
    """The compiled ``config/place_forms.toml``."""

    min_stem: int
    joining: frozenset[str]
    adjective: re.Pattern[str]
    """A Russian adjective of a place («Чуйская», «Карагандинской»): its stem and ending."""
    endings: dict[str, frozenset[str]]
    """Language -> the endings its nouns take (with ``""``, no ending)."""
    kind_words: dict[str, str]
    kind_stems: tuple[tuple[str, str], ...]

    def endings_of(self, language: str | None) -> frozenset[str]:
        """The endings of ``language``; all languages' for one not listed."""
        if language in self.endings:
            return self.endings[language]
        return frozenset().union(*self.endings.values())

    def kind_of(self, word: str) -> str | None:
        if word in self.kind_words:
            return self.kind_words[word]
        return next((kind for stem, kind in self.kind_stems if word.startswith(stem)), None)


@dataclass(frozen=True, slots=True)
class PlaceName:
    """A place as written: its name words (lower case, in order) and its kind, if it says one."""

    names: tuple[str, ...]
    kind: str | None
    endings: frozenset[str]


@cache
def load_place_forms() -> PlaceForms:
    path = config_path("place_forms.toml")
    data = validate_file(path, _FormsFile)
    words: dict[str, str] = {}
    stems: list[tuple[str, str]] = []
    for kind, entries in data.kinds.items():
        for entry in entries:
            if entry.endswith("*"):
                stems.append((entry[:-1].lower(), kind))
            else:
                words[entry.lower()] = kind
    return PlaceForms(
        min_stem=data.min_stem,
        joining=frozenset(w.lower() for w in data.joining),
        adjective=re.compile("(?:" + "|".join(map(re.escape, data.adjective_stems)) + r")[^\W\d_]{1,3}$"),
        endings={lang: frozenset({"", *(e.lower() for e in ends)}) for lang, ends in data.endings.items()},
        kind_words=words,
        kind_stems=tuple(sorted(stems, key=lambda s: -len(s[0]))),
    )


def place_name(text: str, language: str | None = None, forms: PlaceForms | None = None) -> PlaceName:
    """``text`` (one place as written) read as name words and kind; the first kind word counts."""
    forms = forms or load_place_forms()
    names: list[str] = []
    kind: str | None = None
    for word in _WORD.findall(normalise(text).lower()):
        if word in forms.joining:
            continue
        word_kind = forms.kind_of(word)
        if word_kind is None:
            names.append(word)
        else:  # before the name («вилояти Суғд», «города Бишкека») or after («Ош облусунда»)
            kind = kind or word_kind
    return PlaceName(tuple(names), kind, forms.endings_of(language))


def same_word(first: str, second: str, endings: frozenset[str], min_stem: int) -> bool:
    """One stem with an ending (or none) on each side: «бишкеке» ~ «бишкека», «нарын» ~
    «нарындагы»; the shared stem keeps ``min_stem`` letters unless one side is the stem itself."""
    if first == second:
        return True
    for cut in range(len(first), 0, -1):
        stem, ending = first[:cut], first[cut:]
        if ending not in endings:
            continue
        if not second.startswith(stem) or second[cut:] not in endings:
            continue
        if cut >= min_stem or not ending or len(second) == cut:
            return True
    return False


def same_place(
    first: PlaceName, second: PlaceName, *, bare: str = "any", forms: PlaceForms | None = None
) -> bool:
    """``first`` and ``second`` name one place in two case forms. A form that names no kind agrees
    with any kind (``bare="any"``: «Qoraqalpog'istonda» ~ «Qoraqalpog'iston respublikasida»), or
    only with a city (``bare="city"``: «Бишкеке» ~ «города Бишкека», but «Атырауда» stays apart
    from «Атырау облысында», a region of the city's name)."""
    forms = forms or load_place_forms()
    if not first.names or len(first.names) != len(second.names):
        return False
    if first.kind != second.kind:
        named = first.kind or second.kind
        if first.kind and second.kind:
            return False
        if bare != "any" and named != bare:
            return False
    endings = first.endings | second.endings
    return all(
        same_word(a, b, endings, forms.min_stem)
        and (a == b or first.kind == second.kind or not forms.adjective.search(a))
        for a, b in zip(first.names, second.names, strict=True)
    )
