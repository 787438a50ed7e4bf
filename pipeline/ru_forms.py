"""Russian case forms of place names, so the gazetteer can list nominatives only.

"в Казахстане", "из Кыргызстана", "Алматинской области", "Россией": the gazetteer says
``Казахстан``, ``Алматинская область``, ``Россия`` and this module produces the six-case
singular forms. It over-generates a little (both hard and soft endings after sibilants, both
genders for ``-ь``), which is harmless for look-up, and never declines names that Russian does not
(``Душанбе``, ``Алматы``, ``Кокшетау``).
"""

from __future__ import annotations

from itertools import product

_VELAR_SIBILANT = set("гкхжшчщ")
_SIBILANT_C = set("жшчщц")
_INDECLINABLE_ENDINGS = tuple("еиоуыюэ")


def word_forms(word: str) -> set[str]:
    """Singular case forms of one Russian word (noun or adjective), lower-case."""
    w = word.lower()
    if "-" in w:
        # Decline the last part of a hyphenated name: Усть-Каменогорск, Восточно-Казахстанская.
        head, _, tail = w.rpartition("-")
        return {f"{head}-{form}" for form in word_forms(tail)}
    if len(w) < 2 or w.endswith(_INDECLINABLE_ENDINGS):
        return {w}
    if w.endswith("ия"):
        stem = w[:-1]
        return {stem + e for e in ("я", "и", "ю", "ей", "ею")}
    if w.endswith("ая"):
        stem = w[:-2]
        return {stem + e for e in ("ая", "ой", "ую", "ою")}
    if w.endswith("яя"):
        stem = w[:-2]
        return {stem + e for e in ("яя", "ей", "юю", "ею")}
    if w.endswith("ний"):
        stem = w[:-2]
        return {stem + e for e in ("ий", "его", "ему", "им", "ем")}
    if w.endswith(("ий", "ый", "ой")) and len(w) > 4:
        stem = w[:-2]
        instr = "им" if stem[-1] in _VELAR_SIBILANT else "ым"
        return {w, stem + "ого", stem + "ому", stem + instr, stem + "ом"}
    if w.endswith("ое"):
        stem = w[:-2]
        return {w, stem + "ого", stem + "ому", stem + "ым", stem + "ом"}
    if w.endswith("а"):
        stem = w[:-1]
        genitive = "и" if stem[-1] in _VELAR_SIBILANT else "ы"
        return {stem + e for e in ("а", genitive, "е", "у", "ой", "ою")}
    if w.endswith("я"):
        stem = w[:-1]
        return {stem + e for e in ("я", "и", "е", "ю", "ей", "ею")}
    if w.endswith("ь"):
        stem = w[:-1]
        return {stem + e for e in ("ь", "и", "ью", "я", "ю", "ем", "е")}
    if w.endswith("й"):
        stem = w[:-1]
        return {stem + e for e in ("й", "я", "ю", "ем", "е")}
    forms = {w, w + "а", w + "у", w + "ом", w + "е"}
    if w[-1] in _SIBILANT_C:
        forms.add(w + "ем")
    return forms


def phrase_forms(phrase: str) -> list[str]:
    """Word patterns (``a|b|c``) for each word of a multi-word name.

    Each word is declined on its own; a fixed word stays as it is when it does not decline in
    that position ("Республики Татарстан"), which is covered because every word's set includes
    its nominative.
    """
    return ["|".join(sorted(word_forms(word))) for word in phrase.split()]


def all_phrase_forms(phrase: str) -> set[str]:
    """Every combination of word forms (for tests and inspection)."""
    return {" ".join(parts) for parts in product(*(sorted(word_forms(w)) for w in phrase.split()))}
