"""Which of the places a story names are where its event happened.

A story names more places than the event's: the dateline and the seat of the press service
(«АСТАНА.», «ГУ МВД России по Свердловской области», «Jambyl oblysy boıynsha keden»), a courier's
home town or city of origin, a bus route, the same city in several case forms. The gold labels of
``corpus/facts`` name the event's location only; these rules (their words in ``config/facts.toml``
``[places]``) keep the places tied to the event, and the first place named when none is.

Where someone lives («житель Термеза», «Қордай ауданының тұрғыны») is the event's place only
where the story says no finer one: a resident's district in a story of a region, or a story of
no other place; beside the event's town it is a courier's home. Case forms of one place
(:mod:`pipeline.facts.placenames`) are one place.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from core.facts import Mention
from pipeline.country import load_gazetteer
from pipeline.facts.mainevent import sentence_at, sentences
from pipeline.facts.mentions import AND_WORDS, names_a_country
from pipeline.facts.phrases import Phrase, phrase_at, phrase_in
from pipeline.facts.placenames import PlaceName, place_name, same_place

_WORD = re.compile(r"[^\W\d_]+(?:['-][^\W\d_]+)*")
"""A word, its parts joined by a hyphen or the apostrophe of Uzbek Latin («bo'yicha», «Ala-Buka»)."""
_DATELINE_AFTER = re.compile(
    r"^\s*(?:[.,]\s*\d|,\s*\w+\s*\(|\s*\(\w+\)\s*[–—-]|,\s*\d{1,2}\s+\w+\s*[–—-]|,\s*(?:ИА|РИА|ТАСС|AKIpress)\b|\s+:\s"
    r"|,\s*[A-Za-z]{3,9}\.?\s+\d{1,2}\b|\s*/\s*[A-ZА-ЯЁ]|\s*\([A-ZА-ЯЁ][\w.]*\)|\s+[–—-]\s"
    r"|,\s*[A-ZА-ЯЁ]{2,}(?:\.[A-ZА-ЯЁ]{2,})*\.\s)"
)
"""What follows a dateline's place: a date («МОСКВА, 5 января», "Kabul, Sep 8 (IANS)", "TEHRAN, Sep. 15"),
the agency («Tashkent, Uzbekistan (UzDaily», «ЧИТА, 1 сентября. /ТАСС/», «Минск /Корр. БЕЛТА/», "Jalalabad
(BNA) Security officials"), a dash ("Peshawar   -  In a significant joint operation"), the outlet in capitals
(«Алматы, NEGE. «Күдікті …», «Нұр-Сұлтан, BAQ.KZ.»)."""
_MONTH = (
    r"(?:январ|феврал|март|апрел|ма[йя]|июн|июл|август|сентябр|октябр|ноябр|декабр"
    r"|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[^\W\d_]*\.?"
)
_DATE_BEFORE = re.compile(
    rf"^(?:\d{{1,2}}:\d{{2}},?\s*)?(?:\d{{1,2}}\s+{_MONTH}\s*(?:\d{{4}})?,?\s*)?$", re.IGNORECASE
)
"""A line's opening before a dateline's place: a time, a day and month («15:38, 27 апреля 2024, Бишкек -
24.kg», «10 августа, Минск /Корр. БЕЛТА/»)."""
_STORED_DATE = re.compile(r"^date\s+\d{4}-\d{2}-\d{2}\s*")
"""The stored page's date opening its text («date 2025-09-08 Kabul, Sep 8 (IANS)»): not the story's words."""
_WIDGET_BEFORE = re.compile(r"(?:weather|погода|ауа райы)\s*[+−–-]?\d+\s*°?[CС]?$", re.IGNORECASE)
"""A site's weather box before its city («weather +7 Киев»): the page's furniture, not the story."""
_WEATHER_HEADING = re.compile(r"^\s*(?:текущая\s+|current\s+)?(?:погода|weather)\s*$", re.IGNORECASE)
"""… or a weather box's heading on the line above («Текущая погода\n\nХабаровск\n\nРассеянные облака»)."""
_CAPITALISED = r"[A-ZА-ЯЁ][\w.-]*"
_SIGNATURE_AFTER = re.compile(
    rf"^,\s*{_CAPITALISED}(?:,?\s+{_CAPITALISED})*,\s*{_CAPITALISED}(?:\s+{_CAPITALISED})*\s*$"
)
"""A line of a city, the agency and the author («Екатеринбург, Регион-Информ, Ирина Кривозубова»)."""
_TOP_LINES = 4
"""A place alone on one of the story's first lines is a dateline too ("Staff Reporter\n\nIslamabad")."""
_ROUTE = re.compile(r"^\s?[–—-]\s?[«“\"]?[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ]")
_ROUTE_BEFORE = re.compile(
    r"(?<!\w)[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ][\w'-]*[»”\"]?(?:\s?\([A-ZА-ЯЁ][\w -]{1,30}\))?\s?[–—-]\s?[«“\"]?$"
)
"""A name before a dash: the route's first end («Бишкек - Москва», «Сеута (Испания) — Одесса»), not a
word that a list follows («в трех областях страны – Джизаке, Кашкадарье и Бухаре»)."""
_LOCATIVE = ("в ", "во ", "на ", "in ", "at ", "дар ")
_LINE_REACH = 60


def _dateline(text: str, mention: Mention) -> bool:
    """«МОСКВА, 5 января», «Москва. 30 июля.», "Tashkent, Uzbekistan (UzDaily": a place opening
    a line, in capitals or followed by a date or the agency, or alone on one of the first lines; after a
    date or a time on its line; in capitals and followed by a date anywhere on its line («date
    2026-02-06 МОСКВА, 6 фев – РИА Новости»)."""
    words = _WORD.findall(mention.span.text)
    capitals = bool(words) and all(w.isupper() and len(w) > 1 for w in words)
    dated = bool(_DATELINE_AFTER.match(text[mention.span.end : mention.span.end + 40]))
    line_start = text.rfind("\n", 0, mention.span.start) + 1
    before = _STORED_DATE.sub("", text[line_start : mention.span.start].strip(" \t\"'«“("))
    if before:
        return bool(_DATE_BEFORE.match(before) or _WIDGET_BEFORE.search(before)) or (capitals and dated)
    return (
        capitals
        or dated
        or _alone_on_a_top_line(text, mention, line_start)
        or _signature(text, mention)
        or _under_a_weather_heading(text, line_start)
    )


def _under_a_weather_heading(text: str, line_start: int) -> bool:
    above = text[:line_start].rstrip()
    return bool(_WEATHER_HEADING.match(above[above.rfind("\n") + 1 :]))


def _signature(text: str, mention: Mention) -> bool:
    """A place opening a signature line (:data:`_SIGNATURE_AFTER`)."""
    line_end = text.find("\n", mention.span.end)
    return bool(_SIGNATURE_AFTER.match(text[mention.span.end : line_end if line_end != -1 else len(text)]))


def _alone_on_a_top_line(text: str, mention: Mention, line_start: int) -> bool:
    line_end = text.find("\n", mention.span.end)
    rest = text[mention.span.end : line_end if line_end != -1 else len(text)]
    lines_above = [line for line in text[:line_start].splitlines() if line.strip()]
    return not rest.strip(" .,") and len(lines_above) < _TOP_LINES


_BYLINE_BEFORE = re.compile(r"^\s*(?:[A-ZА-ЯЁ][a-zа-яё]+\s+[A-ZА-ЯЁ]{2,}[A-ZА-ЯЁ-]*\s*,)?\s*$")
_BYLINE_TAIL = 40


def _byline(text: str, mention: Mention) -> bool:
    """«Олег ГУБАЙДУЛИН, Алматы», «… собкор АЗЕРТАДЖ / Астана»: the correspondent's city closing the
    story, alone on its line (or after the author's name) with at most a few characters after it."""
    line_start = text.rfind("\n", 0, mention.span.start) + 1
    line_end = text.find("\n", mention.span.end)
    line_end = len(text) if line_end == -1 else line_end
    alone = not text[mention.span.end : line_end].strip(" .")
    if not alone or not _BYLINE_BEFORE.match(text[line_start : mention.span.start]):
        return False
    return len(text[line_end:].strip()) <= _BYLINE_TAIL and "\n" in text[: mention.span.start]


_INTO = re.compile(r"(?:^|[\s(«\"])(?:[Вв]о?|[Нн]а)\s+$")
_ADJECTIVE_LOCATIVE = re.compile(r"[сц]ком$")
"""«в Шатковском (, … районах)»: a district's adjective in the locative, not an accusative."""
_CONSONANT_END = re.compile(r"(?:[бвгджзклмнпрстфхцчшщь]|[бвгджзклмнпрстфхцчшщ][ую]|ию)$")


def _direction(text: str, mention: Mention) -> bool:
    """«перевезти в Тамбов», «в Москву», «в Башкирию»: where the drugs were going (Russian
    accusative after «в»/«на»: a consonant, a consonant and «-у/-ю», or «-ию»; indeclinable
    «в Кокшетау», «в Алматы» and the locative «в Тамбове» are places)."""
    name = mention.span.text
    if " " in name or not name[:1].isupper() or _ADJECTIVE_LOCATIVE.search(name):
        return False
    before = text[max(0, mention.span.start - 5) : mention.span.start]
    return bool(_INTO.search(before) and _CONSONANT_END.search(name.lower()))


def _route(text: str, mention: Mention) -> bool:
    """«поезда Бишкек - Москва», «Көкшетау – Атбасар – Степногорск»: a route, not a place of the event."""
    after = text[mention.span.end : mention.span.end + 4]
    before = text[max(0, mention.span.start - 40) : mention.span.start]
    return bool(_ROUTE.match(after) or _ROUTE_BEFORE.search(before))


def _followed_by(text: str, mention: Mention, before: Sequence[Phrase]) -> bool:
    """``mention`` comes right before one of ``phrases`` on its line (kk/ky/uz «… тұрғыны», «…
    облыстық», «… bo'yicha»)."""
    line_end = text.find("\n", mention.span.end)
    stop = min(line_end if line_end != -1 else len(text), mention.span.end + _LINE_REACH)
    following = [w.lower() for w in _WORD.findall(text[mention.span.end : stop])]
    return phrase_at(following, before, end=False)


_JOINING = frozenset({"", ",", ", and", "and the", "of", "of the", *AND_WORDS})


def _adjacent(text: str, first: Mention, second: Mention) -> bool:
    """``second`` follows ``first`` with nothing but spaces between (one place named by its parts:
    «Ош облусунун Кара-Суу районунун», «района Хамадони Хатлонской области») or «и», "and" (places
    named together: «управлением ГКНБ по Ошу и Ошской области»), or a comma (a list: «уроженцев
    Ферганской, Наманганской, Самаркандской областей»), or "of" (a place named by its parts in English:
    "residents of the Bulungur district of Samarkand region")."""
    between = text[first.span.end : second.span.start]
    return first.span.end <= second.span.start and between.strip().lower() in _JOINING


def follows(text: str, mention: Mention, phrases: Sequence[Phrase], *, skip: int = 0) -> bool:
    """``mention`` comes right after one of ``phrases`` (words, exact or ``stem*``) on its line,
    or with up to ``skip`` words between («сообщили в [региональной] прокуратуре»)."""
    line_start = max(text.rfind("\n", 0, mention.span.start) + 1, mention.span.start - _LINE_REACH)
    preceding = [w.lower() for w in _WORD.findall(text[line_start : mention.span.start])]
    return any(phrase_at(preceding[: len(preceding) - gap], phrases, end=True) for gap in range(skip + 1))


_INTENT_REACH = 100
_SALE_BEFORE_INTENT = 3
"""How many words may stand between the intent and the sale: «планировалось реализовать его»."""
_PLACE_AFTER_SALE = 5
"""… and between the sale and the place: «сбывать оптовыми партиями на территории»."""
_CLAUSE_END = re.compile(r"[.!?;:]\s")


def _intended_sale(text: str, mention: Mention, intent: Sequence[Phrase], sale: Sequence[Phrase]) -> bool:
    """«Наркотики он планировал сбыть на территории Кузоватовского района», «собирался
    распространять "синтетику" на территории Гомеля», "planned to sell them in Karachi": where the
    drugs were meant to be sold, an intent's word a few words before a sale's, the place a few after;
    not a sale that happened («задержан при сбыте в Москве»)."""
    start = max(text.rfind("\n", 0, mention.span.start) + 1, mention.span.start - _INTENT_REACH)
    clause = _CLAUSE_END.split(text[start : mention.span.start])[-1]
    words = [w.lower() for w in _WORD.findall(clause)]
    return any(
        phrase_in(words[at : at + 1], sale)
        and phrase_in(words[max(0, at - _SALE_BEFORE_INTENT) : at], intent)
        for at in range(max(0, len(words) - _PLACE_AFTER_SALE - 1), len(words))
    )


def _street(mention: Mention, streets: Sequence[Phrase]) -> bool:
    return phrase_in([w.lower() for w in _WORD.findall(mention.span.text)], streets)


def _locative(text: str, mention: Mention) -> bool:
    before = text[max(0, mention.span.start - 4) : mention.span.start].lower()
    return any(before.endswith(word) for word in _LOCATIVE)


@dataclass(frozen=True, slots=True)
class PlaceCues:
    """The phrases of ``config/facts.toml`` ``[places]`` that tell which places are the event's."""

    not_event_after: Sequence[Phrase] = ()
    not_event_before: Sequence[Phrase] = ()
    home_after: Sequence[Phrase] = ()
    home_before: Sequence[Phrase] = ()
    event_after: Sequence[Phrase] = ()
    streets: Sequence[Phrase] = ()
    borders: Sequence[Phrase] = ()
    border_countries: Sequence[Phrase] = ()
    intent: Sequence[Phrase] = ()
    sale: Sequence[Phrase] = ()


def _chained(text: str, mentions: Sequence[Mention], flags: list[bool], *, forward: bool) -> list[bool]:
    """``flags`` passed along places named by their parts: to the next part (a phrase before the
    first part: «жителя района Хамадони Хатлонской области») or the previous one (a phrase after
    the last part: «Ош облусунун Кара-Суу районунун 32 жаштагы тургуну»)."""
    flags = list(flags)
    order = range(1, len(mentions)) if forward else range(len(mentions) - 2, -1, -1)
    for i in order:
        j = i - 1 if forward else i + 1
        first, second = (mentions[j], mentions[i]) if forward else (mentions[i], mentions[j])
        flags[i] = flags[i] or (flags[j] and _adjacent(text, first, second))
    return flags


def event_places(
    text: str, places: Sequence[Mention], cues: PlaceCues = PlaceCues(), language: str | None = None
) -> list[Mention]:
    """The places of ``places`` (in text order) that say where the event happened, each once
    (in the form after «в»/«на» when it has one, else its first; case forms of one place are one
    place, :mod:`pipeline.facts.placenames`); when none does, the first place named that is not a
    dateline nor an agency's (:func:`_fallback`).

    A place after one of ``event_after`` («в одном из районов Орла», «во дворе жителя поселка
    Ждановка») is the event's even where another phrase would leave it out, and so is a street
    («патрулирования по улице Урожайная»): no agency sits in a street's name. A place where someone
    lives is the event's only in the cases of :func:`_homes_of_the_event`. A place named by its
    parts is left out whole when one part is («Ош облусунун Кара-Суу районунун 32 жаштагы
    тургуну»). A border named by its countries alone is no place (:func:`_between_countries`)."""
    roles = place_roles(text, places, cues)
    found = [m for m, role in zip(places, roles, strict=True) if role in _STATUSES]
    status = [role for role in roles if role in _STATUSES]
    event = [m for m, kind in zip(found, status, strict=True) if kind == "event"]
    homes = [m for m, kind in zip(found, status, strict=True) if kind == "home"]
    event = sorted([*event, *_homes_of_the_event(text, event, homes, language)], key=lambda m: m.span.start)
    kept = _once_each(text, event, language)
    if not kept:
        kept = _fallback(found, status)
    return [m for m in kept if not _between_countries(m, cues.borders, cues.border_countries)]


def _between_countries(
    mention: Mention, borders: Sequence[Phrase], border_countries: Sequence[Phrase] = ()
) -> bool:
    """«таджикско-афганской границе», "the Azerbaijan-Iran border", "the Indo-Pak border", «у таджикской
    границы»: a border named by its countries alone, no place of the event as a country alone is none
    (the labels gave one beside a finer place 8 times in 38, as a story's only place 2 times in 10); a
    named post is one ("the Fotehobod border")."""
    words = [w for w in _WORD.findall(mention.span.text) if w.lower() != "the"]
    named = [w for w in words if not phrase_in([w.lower()], borders)]
    parts = [part for word in named for part in word.split("-")]
    return (
        len(named) < len(words)
        and bool(parts)
        and all(phrase_in([part.lower()], border_countries) or _a_country(part) for part in parts)
    )


def _a_country(word: str) -> bool:
    return names_a_country(word, load_gazetteer())


_STATUSES = ("event", "home", "agency", "other")


def place_roles(text: str, places: Sequence[Mention], cues: PlaceCues = PlaceCues()) -> list[str]:
    """Each place's part in the story as the rules read it: ``dateline``, ``byline``, ``route``,
    ``direction`` (where drugs were going), else one of :func:`_statuses` (``event``, ``home``,
    ``agency``, ``other``)."""
    shapes = [
        "dateline"
        if _dateline(text, m)
        else "byline"
        if _byline(text, m)
        else "route"
        if _route(text, m)
        else "direction"
        if _direction(text, m)
        else ""
        for m in places
    ]
    statuses = iter(_statuses(text, [m for m, shape in zip(places, shapes, strict=True) if not shape], cues))
    return [shape or next(statuses) for shape in shapes]


def _statuses(text: str, found: Sequence[Mention], cues: PlaceCues) -> list[str]:
    """Each place's part in the story: ``event``, ``home`` (where someone lives), ``agency`` (before
    an agency's word: «Jambyl oblysy boıynsha keden») or ``other`` (after an agency, an origin)."""

    def after(phrases: Sequence[Phrase]) -> list[bool]:
        return _chained(text, found, [follows(text, m, phrases, skip=1) for m in found], forward=True)

    def before(phrases: Sequence[Phrase]) -> list[bool]:
        return _chained(text, found, [_followed_by(text, m, phrases) for m in found], forward=False)

    # a place named by its parts is the event's whole («дом жителя Шафирканского района Бухарской области»)
    keep = after(cues.event_after)
    keep = [k or _street(m, cues.streets) for k, m in zip(keep, found, strict=True)]
    agency = before(cues.not_event_before)
    other = _chained(
        text,
        found,
        [
            follows(text, m, cues.not_event_after, skip=1) or _intended_sale(text, m, cues.intent, cues.sale)
            for m in found
        ],
        forward=True,
    )
    home = [a or b for a, b in zip(after(cues.home_after), before(cues.home_before), strict=True)]
    return [
        "event" if k or not (a or o or h) else "agency" if a else "other" if o else "home"
        for k, a, o, h in zip(keep, agency, other, home, strict=True)
    ]


def _once_each(text: str, event: Sequence[Mention], language: str | None) -> list[Mention]:
    """One mention per place: case forms of one place (and a city with and without its kind word,
    «Бишкеке», «города Бишкека») are one, in the form after «в»/«на» when it has one."""
    return [
        next((m for m in forms if _locative(text, m)), forms[0]) for _, forms in by_place(event, language)
    ]


def by_place(mentions: Sequence[Mention], language: str | None) -> list[tuple[PlaceName, list[Mention]]]:
    """``mentions`` grouped by the place they name (case forms of one place, and a city with and
    without its kind word, are one), in the order each place is first named."""
    groups: list[tuple[PlaceName, list[Mention]]] = []
    for mention in mentions:
        name = place_name(mention.span.text, language)
        group = next((forms for key, forms in groups if same_place(key, name, bare="city")), None)
        if group is None:
            groups.append((name, [mention]))
        else:
            group.append(mention)
    return groups


def _homes_of_the_event(
    text: str, event: Sequence[Mention], homes: Sequence[Mention], language: str | None
) -> list[Mention]:
    """The places where someone lives that tell where the event happened: in a story that names
    its event's place no finer than a region (or names none), the home in a sentence naming no
    other place («Нақтырақ айтсақ, Түлкібас ауданының тұрғыны үйінде есірткі затын сақтайды» of a
    story of Түркістан облысы); not beside the event's district or town («В Актобе сотрудники
    полиции задержали 41-летнего жителя Кызылординской области»)."""
    if not event or any(place_name(m.span.text, language).kind != "region" for m in event):
        return []
    cut = sentences(text)
    of_event = {sentence_at(cut, m.span.start) for m in event}
    return [m for m in homes if sentence_at(cut, m.span.start) not in of_event]


def _fallback(found: Sequence[Mention], status: Sequence[str]) -> list[Mention]:
    """The first place named that is neither before an agency's word («Jambyl oblysy boıynsha keden»,
    «Тошкент вақти») nor after one or an origin («управления полиции Кызылорды», «УМВД России по
    Хатлонской области», «из Москвы»): a story naming no place of its event otherwise («Задержан
    житель Ростовской области …») is told where its people are from, not where its press office sits
    (on train and dev the labels leave such a seat out twice as often as they name it)."""
    first = next((m for m, kind in zip(found, status, strict=True) if kind not in ("agency", "other")), None)
    return [first] if first is not None else []
