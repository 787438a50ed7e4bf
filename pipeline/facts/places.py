"""Which of the places a story names are where its event happened.

A story names more places than the event's: the dateline and the seat of the press service
(«АСТАНА.», «ГУ МВД России по Свердловской области»), a courier's home town or city of origin,
a bus route, the same city in several case forms. The gold labels of ``corpus/facts`` name the
event's location only; these rules (their words in ``config/facts.toml`` ``[places]``) keep the
places tied to the event, and the first place named when none is.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from core.facts import Mention
from pipeline.facts.phrases import Phrase, phrase_at, phrase_in

_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
_DATELINE_AFTER = re.compile(r"^\s*(?:[.,]\s*\d|,\s*\w+\s*\(|\s*\(\w+\)\s*[–—-]|,\s*\d{1,2}\s+\w+\s*[–—-])")
_ROUTE = re.compile(r"^\s?[–—-]\s?[«“\"]?[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ]")
_ROUTE_BEFORE = re.compile(r"[A-Za-zА-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі]\s?[–—-]\s?$")
_LOCATIVE = ("в ", "во ", "на ", "in ", "at ", "дар ")
_LINE_REACH = 60


def _dateline(text: str, mention: Mention) -> bool:
    """«МОСКВА, 5 января», «Москва. 30 июля.», "Tashkent, Uzbekistan (UzDaily": a place opening
    a line, in capitals or followed by a date or the agency."""
    line_start = text.rfind("\n", 0, mention.span.start) + 1
    if text[line_start : mention.span.start].strip(" \t\"'«“("):
        return False
    words = _WORD.findall(mention.span.text)
    capitals = bool(words) and all(w.isupper() and len(w) > 1 for w in words)
    after = text[mention.span.end : mention.span.end + 40]
    return capitals or bool(_DATELINE_AFTER.match(after))


_INTO = re.compile(r"(?:^|[\s(«\"])(?:[Вв]о?|[Нн]а)\s+$")
_CONSONANT_END = re.compile(r"(?:[бвгджзклмнпрстфхцчшщь]|[бвгджзклмнпрстфхцчшщ][ую]|ию)$")


def _direction(text: str, mention: Mention) -> bool:
    """«перевезти в Тамбов», «в Москву», «в Башкирию»: where the drugs were going (Russian
    accusative after «в»/«на»: a consonant, a consonant and «-у/-ю», or «-ию»; indeclinable
    «в Кокшетау», «в Алматы» and the locative «в Тамбове» are places)."""
    name = mention.span.text
    if " " in name or not name[:1].isupper():
        return False
    before = text[max(0, mention.span.start - 5) : mention.span.start]
    return bool(_INTO.search(before) and _CONSONANT_END.search(name.lower()))


def _route(text: str, mention: Mention) -> bool:
    """«поезда Бишкек - Москва», «Көкшетау – Атбасар – Степногорск»: a route, not a place of the event."""
    after = text[mention.span.end : mention.span.end + 4]
    before = text[max(0, mention.span.start - 4) : mention.span.start]
    return bool(_ROUTE.match(after) or _ROUTE_BEFORE.search(before))


def _not_the_event(
    text: str, mention: Mention, after: Sequence[Phrase], before: Sequence[Phrase]
) -> bool:
    line_start = max(text.rfind("\n", 0, mention.span.start) + 1, mention.span.start - _LINE_REACH)
    preceding = [w.lower() for w in _WORD.findall(text[line_start : mention.span.start])]
    line_end = text.find("\n", mention.span.end)
    stop = min(line_end if line_end != -1 else len(text), mention.span.end + _LINE_REACH)
    following = [w.lower() for w in _WORD.findall(text[mention.span.end : stop])]
    return phrase_at(preceding, after, end=True) or phrase_at(following, before, end=False)


def follows(text: str, mention: Mention, phrases: Sequence[Phrase], *, skip: int = 0) -> bool:
    """``mention`` comes right after one of ``phrases`` (words, exact or ``stem*``) on its line,
    or with up to ``skip`` words between («сообщили в [региональной] прокуратуре»)."""
    line_start = max(text.rfind("\n", 0, mention.span.start) + 1, mention.span.start - _LINE_REACH)
    preceding = [w.lower() for w in _WORD.findall(text[line_start : mention.span.start])]
    return any(
        phrase_at(preceding[: len(preceding) - gap], phrases, end=True) for gap in range(skip + 1)
    )


def _street(mention: Mention, streets: Sequence[Phrase]) -> bool:
    return phrase_in([w.lower() for w in _WORD.findall(mention.span.text)], streets)


def place_key(mention: Mention) -> tuple[str, ...]:
    """One place in any case form: the capitalised words cut to their stems («Бишкеке»,
    «Бишкека», «города Бишкека» -> ``("бишк",)``); the kind of place (область, район) is kept
    apart from the city of the same name."""
    words = _WORD.findall(mention.span.text)
    names = [w.lower() for w in words if w[0].isupper()]
    kinds = [w.lower()[:4] for w in words if not w[0].isupper() and len(w) > 2]
    stems = tuple(w[: max(3, len(w) - 3)] if len(w) > 4 else w for w in names)
    return (*stems, *kinds[:1])


def _locative(text: str, mention: Mention) -> bool:
    before = text[max(0, mention.span.start - 4) : mention.span.start].lower()
    return any(before.endswith(word) for word in _LOCATIVE)


def event_places(
    text: str,
    places: Sequence[Mention],
    not_event_after: Sequence[Phrase] = (),
    not_event_before: Sequence[Phrase] = (),
    event_after: Sequence[Phrase] = (),
    streets: Sequence[Phrase] = (),
) -> list[Mention]:
    """The places of ``places`` (in text order) that say where the event happened, each once
    (in the form after «в»/«на» when it has one, else its first); when none does, the first
    place named that is not a dateline. A place after one of ``event_after`` («в одном из
    районов Орла») is the event's even where ``not_event_after`` («из») would leave it out, and so
    is a street («патрулирования по улице Урожайная»): no agency sits in a street's name."""
    groups: dict[tuple[str, ...], list[Mention]] = {}
    fallback: Mention | None = None
    for mention in places:
        if _dateline(text, mention):
            continue
        fallback = fallback or mention
        if (
            _route(text, mention)
            or _direction(text, mention)
            or (
                _not_the_event(text, mention, not_event_after, not_event_before)
                and not follows(text, mention, event_after)
                and not _street(mention, streets)
            )
        ):
            continue
        groups.setdefault(place_key(mention), []).append(mention)
    kept = [next((m for m in forms if _locative(text, m)), forms[0]) for forms in groups.values()]
    if not kept and fallback is not None:
        kept = [fallback]
    return sorted(kept, key=lambda m: m.span.start)
