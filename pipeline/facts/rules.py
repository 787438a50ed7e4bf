"""``config/facts.toml`` read, validated and compiled once into what the facts stage matches.

A malformed file raises :class:`config.ConfigError` naming the file and the field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from config import ConfigError, config_path, describe_validation_error, read_toml
from pipeline.facts.mainevent import SIDEBAR, EventCues
from pipeline.facts.phrases import Phrase, phrases
from pipeline.facts.places import PlaceCues
from pipeline.matcher import Matcher, PatternSyntaxError, Term, WordPattern, compile_term, parse_word
from pipeline.textutil import normalise

LANGUAGES = ("ru", "en", "kk", "ky", "tg", "uz")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Patterns(_Strict):
    """Terms per language; ``<lang>_case`` (and ``case`` for Russian) are matched with case."""

    model_config = ConfigDict(extra="allow", frozen=True)


class _Units(_Strict):
    grams: dict[str, float]
    counts: dict[str, str]
    whole_words: dict[str, float]
    max_gap_words: int = Field(ge=0, le=5)
    not_in_gap: list[str]
    joining: list[str]
    each: list[str]
    containers: list[str]
    approximately: list[str]
    one_packet: list[str]
    packet_with: list[str]
    cargo_after: list[str] = []
    per_container: list[str]
    and_a_half: list[str] = []


class _Numbers(_Strict):
    ru: dict[str, float]
    en: dict[str, float]
    kk: dict[str, float]
    kk_latin: dict[str, float]
    ky: dict[str, float]
    tg: dict[str, float]
    uz: dict[str, float]
    multipliers: dict[str, float]
    not_amount_before: list[str]
    rate_before: list[str]
    rate_after: list[str]


class _Detained(_Strict):
    ru: list[str]
    en: list[str]
    kk: list[str]
    ky: list[str]
    tg: list[str]
    uz: list[str]
    one_person: list[str]
    singular_verbs: list[str]
    window_words: int = Field(ge=1, le=20)
    window_after: int = Field(ge=1, le=20)
    people: list[str]
    ages: list[str]
    one_detainee: list[str]
    detainees: list[str]
    plural_endings: list[str]
    groups: list[str]
    things: list[str]
    negation: list[str]
    pairs: list[str]
    another: list[str]
    further: list[str]
    particular: list[str]
    born: list[str]
    joining: list[str]
    pronouns: list[str]
    total: list[str]


class _Operations(_Strict):
    cue: list[str]
    between: list[str]
    max_name_chars: int = Field(ge=3, le=100)


class _Legal(_Strict):
    codes: dict[str, str]
    country_codes: dict[str, str]
    not_criminal: list[str]
    not_criminal_before: list[str]
    en_codes: dict[str, str]


class _Places(_Strict):
    not_places: list[str]
    not_event_after: list[str]
    not_event_before: list[str]
    home_after: list[str]
    home_before: list[str]
    event_after: list[str]
    streets: list[str]
    borders: list[str]
    border_countries: list[str]
    intent: list[str]
    sale: list[str]


class _MainEvent(_Strict):
    never: list[str]
    carry: list[str]
    summary: list[str]
    opening: dict[str, list[str]]
    anywhere: dict[str, list[str]]
    skip: dict[str, list[str]]


class _SubstanceContext(_Strict):
    not_seized_after: list[str]


class _AgencyContext(_Strict):
    not_acting: dict[str, list[str]]


class _FactsFile(_Strict):
    substances: dict[str, _Patterns]
    substance_context: _SubstanceContext
    agency_context: _AgencyContext
    agencies: dict[str, _Patterns]
    units: _Units
    numbers: _Numbers
    places: _Places
    main_event: _MainEvent
    detained: _Detained
    operations: _Operations
    legal: _Legal


@dataclass(frozen=True, slots=True)
class WordTable:
    """Words (``stem*`` or exact) mapped to values, looked up one token at a time."""

    exact: dict[str, object]
    stems: tuple[tuple[str, object], ...]
    """Longest stem first, so ``пятидесят*`` wins over ``пят*``."""

    def get(self, word: str) -> object | None:
        lower = word.lower()
        if lower in self.exact:
            return self.exact[lower]
        for stem, value in self.stems:
            if lower.startswith(stem):
                return value
        return None


def word_table(entries: dict[str, object]) -> WordTable:
    exact = {k.lower(): v for k, v in entries.items() if not k.endswith("*")}
    stems = sorted(
        ((k[:-1].lower(), v) for k, v in entries.items() if k.endswith("*")), key=lambda kv: -len(kv[0])
    )
    return WordTable(exact, tuple(stems))


@dataclass(frozen=True, slots=True)
class DetainRules:
    """The compiled ``[detained]`` section (see ``config/facts.toml`` for what each list means)."""

    verbs: Matcher[str]
    one_person: frozenset[str]
    singular_verbs: frozenset[str]
    window: int
    window_after: int
    people_words: tuple[str, ...]
    """Stems of words for people counted («человек», «нафар», "persons"): «пять человек»."""
    age_words: tuple[str, ...]
    """Stems of words after an age or a year of birth («летн», "year-old", «жаштагы», «yilda»)."""
    detainee: frozenset[str]
    """One detainee told again («задержанный», "the detainee"): one person when nothing else says."""
    detainees: tuple[str, ...]
    """Stems of words for the detained («задержанн», «ұсталған»): a number beside one is a total."""
    plural_endings: tuple[str, ...]
    """Plural suffixes (perhaps before a case ending: «шахсларни») of the word just before a
    kk/ky/uz/tg verb, which does not mark the plural itself («таратушылар ұсталды»)."""
    groups: tuple[Phrase, ...]
    """A group of unknown size («топ», «группу», "group"): no number from «бір топ»."""
    things: tuple[Phrase, ...]
    """What else is «задержан»: a batch of drugs, a car, a truck."""
    negation: tuple[Phrase, ...]
    """Words just before or after the verb that say no one was detained («эч ким», «элек»)."""
    pairs: tuple[Phrase, ...]
    """Two people in one word or phrase («супружескую пару», «ҳар иккиси», "both")."""
    another: tuple[Phrase, ...]
    """Openings of a sentence telling of further people («В другом случае», "Shortly after")."""
    particular: tuple[Phrase, ...]
    """Openings of a sentence listing parts of a number told before ("In particular", «Жумладан»)."""
    further: tuple[Phrase, ...]
    """Words beside the verb telling of further people («второй», «остальных», «боқимонда»)."""
    born: tuple[Phrase, ...]
    """Words after a year of birth («года рождения», «yilda tug'ilgan»)."""
    joining: frozenset[str]
    """Words joining two people counted apart («организатор и трое»): 1 + 3."""
    pronouns: frozenset[str]
    """The words of :attr:`one_person` that are pronouns («его», "him"): never the first of two joined."""
    total: tuple[Phrase, ...]
    """Words before a number that make it a total («все», «всего», "all", «жалпы», «jami»)."""


@dataclass(frozen=True, slots=True)
class FactRules:
    """The compiled rules; word lists are kept per language (``соли`` is salt in Russian, "year"
    in Tajik; ``он`` is "ten" in Kazakh and "he" in Russian) and read for the text's language."""

    substances_by_language: dict[str, Matcher[str]]
    agencies_by_language: dict[str, Matcher[str]]
    grams: WordTable
    counts: WordTable
    whole_words: WordTable
    max_gap_words: int
    not_in_gap: frozenset[str]
    joining: frozenset[str]
    each: tuple[Phrase, ...]
    """«по», «в каждом», "each": a mass per container, after a number of containers."""
    containers: WordTable
    approximately: tuple[Phrase, ...]
    """«почти», «около», "over", kk «жуық»: an amount told roughly, perhaps a rounding of another."""
    approximately_words: frozenset[str]
    """The one-word phrases of :attr:`approximately` (kk/ky/tg put them after the number)."""
    one_packet: frozenset[str]
    """«сверток», «пакетик», "bag": one packet when named with no number, holding something."""
    packet_with: frozenset[str]
    cargo_after: tuple[Phrase, ...]
    """Goods right after a mass («19 tons of fruit», «28 тонн клея»): the cargo's mass, not the drugs'."""
    per_container: frozenset[str]
    """A word right before a mass that makes it the mass of each container («содержал по 25 грамм»)."""
    and_a_half: tuple[Phrase, ...]
    """Words right after a number that add a half to it («17 с половиной килограммов»)."""
    numbers_by_language: dict[str, WordTable]
    multipliers: WordTable
    not_amount_before: tuple[Phrase, ...]
    """Phrases right before a number that make it not an amount seized («на сумму», «up to»)."""
    rate_before: frozenset[str]
    rate_after: tuple[Phrase, ...]
    """A rate, not an amount: «ежесуточно» before the number, «в сутки», "per day" after the unit."""
    main_event: EventCues
    """The cue words of the sentences that tell of something else than the story's own event."""
    not_seized_after: tuple[Phrase, ...]
    """Phrases after which a drug named is explained, not seized."""
    not_acting: dict[str, tuple[Phrase, ...]]
    """Per agency kind, phrases after which it is named without acting (a prosecutor as the source of
    the news, «сообщили в прокуратуре»; «передало в суд», "based on court orders"): the kind is left
    out when every mention of it is such."""
    not_places: frozenset[str]
    not_event_after: tuple[Phrase, ...]
    """Phrases (words, exact or ``stem*``, lower case) after which a place is not the event's."""
    not_event_before: tuple[Phrase, ...]
    """Phrases before which a place is not the event's (kk/ky «… облыстық», uz «… bo'yicha»)."""
    home_after: tuple[Phrase, ...]
    """Phrases after which a place is where someone lives («житель», "resident of"): the event's
    only where its sentence names no other place of the event."""
    home_before: tuple[Phrase, ...]
    """Phrases before which a place is where someone lives (kk/ky «… тұрғыны», uz «… yashovchi»)."""
    event_after: tuple[Phrase, ...]
    """Phrases after which a place is the event's all the same («в одном из районов Орла»)."""
    streets: tuple[Phrase, ...]
    """Words of a street's name («улице», «проспекту»): a street is never an agency's seat."""
    borders: tuple[Phrase, ...]
    """Words for a border («границе», "border"): a border between countries is the event's place only
    where the story names no other."""
    border_countries: tuple[Phrase, ...]
    """Names a border gives its countries that the gazetteer does not list ("Indo-Pak border",
    «таджикской границы»)."""
    intent: tuple[Phrase, ...]
    """Words of an intent («планировал», "planned") that, a few words before a word of ``sale``, make
    the place after it where drugs were meant to be sold."""
    sale: tuple[Phrase, ...]
    detained: DetainRules
    operation_cue: WordPattern
    operation_between: WordPattern
    """Words that may stand between a quoted name and the operation word after it (kk «жедел»)."""
    max_operation_chars: int
    code_names: tuple[tuple[re.Pattern[str], str], ...]
    """A code as texts name it -> the normalised code, longest name first."""
    country_codes: dict[str, str]
    not_criminal: tuple[str, ...]
    not_criminal_before: tuple[str, ...]
    """Words of a code of procedure named just before an article: not a criminal-code article."""
    en_codes: dict[str, str]
    language: str = ""
    """The language the ``substances``/``agencies``/``numbers`` below are for (see :meth:`for_language`)."""

    def for_language(self, language: str | None) -> FactRules:
        """These rules reading a text in ``language``; a language with no words of its own is
        read with every language's."""
        key = language if language in LANGUAGES else ""
        return replace(self, language=key)

    @property
    def place_cues(self) -> PlaceCues:
        """The ``[places]`` phrases that tell which places are the event's."""
        return PlaceCues(
            self.not_event_after,
            self.not_event_before,
            self.home_after,
            self.home_before,
            self.event_after,
            self.streets,
            self.borders,
            self.border_countries,
            self.intent,
            self.sale,
        )

    @property
    def substances(self) -> Matcher[str]:
        return self.substances_by_language[self.language]

    @property
    def agencies(self) -> Matcher[str]:
        return self.agencies_by_language[self.language]

    @property
    def numbers(self) -> WordTable:
        return self.numbers_by_language[self.language]


def _compile_groups(path: Path, section: str, groups: dict[str, _Patterns]) -> dict[str, Matcher[str]]:
    """One matcher per language, and one of all languages under ``""``."""
    by_language: dict[str, list[Term[str]]] = {language: [] for language in (*LANGUAGES, "")}
    for group_id, patterns in groups.items():
        for key, values in (patterns.model_extra or {}).items():
            language = key.removesuffix("_case")
            if language not in LANGUAGES and key != "case":
                raise ConfigError(f"{path}: {section}.{group_id}.{key}: unknown language {language!r}")
            case = key.endswith("_case") or key == "case"
            if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
                raise ConfigError(f"{path}: {section}.{group_id}.{key}: a list of patterns")
            for position, pattern in enumerate(values):
                try:
                    term = compile_term(pattern, group_id, case=case)
                except PatternSyntaxError as exc:
                    raise ConfigError(f"{path}: {section}.{group_id}.{key}[{position}]: {exc}") from exc
                by_language["ru" if key == "case" else language].append(term)
                by_language[""].append(term)
    return {language: Matcher.of(terms) for language, terms in by_language.items()}


def _event_cues(path: Path, section: _MainEvent) -> EventCues:
    kinds = {*section.opening, *section.anywhere, SIDEBAR}
    named = {f"skip.{field}": kinds for field, kinds in section.skip.items()}
    named |= {"never": section.never, "carry": section.carry, "summary": section.summary}
    for where, listed in named.items():
        if unknown := set(listed) - kinds:
            raise ConfigError(f"{path}: main_event.{where}: unknown kinds {sorted(unknown)}")
    return EventCues(
        opening={kind: phrases(cues) for kind, cues in section.opening.items()},
        anywhere={kind: phrases(cues) for kind, cues in section.anywhere.items()},
        skip={field: frozenset(kinds) for field, kinds in section.skip.items()},
        never=frozenset(section.never),
        carry=frozenset(section.carry),
        summary=frozenset(section.summary),
    )


def _code_pattern(name: str) -> re.Pattern[str]:
    """A code's name as texts write it; a word ending in ``*`` takes any ending («Jinoyat kodeks*»:
    «Jinoyat kodeksining»)."""
    words = [
        re.escape(word[:-1]) + r"\w*" if word.endswith("*") else re.escape(word) for word in name.split()
    ]
    return re.compile(r"\s*".join(words) + r"(?![\w])")


def _detain_rules(section: _Detained) -> DetainRules:
    verbs = [compile_term(p, language) for language in LANGUAGES for p in getattr(section, language)]
    return DetainRules(
        verbs=Matcher.of(verbs),
        one_person=_lower_set(section.one_person),
        singular_verbs=_lower_set(section.singular_verbs),
        window=section.window_words,
        window_after=section.window_after,
        people_words=_stems(section.people),
        age_words=_stems(section.ages),
        detainee=_lower_set(section.one_detainee),
        detainees=_stems(section.detainees),
        plural_endings=_stems(section.plural_endings),
        groups=phrases(section.groups),
        things=phrases(section.things),
        negation=phrases(section.negation),
        pairs=phrases(section.pairs),
        another=phrases(section.another),
        further=phrases(section.further),
        particular=phrases(section.particular),
        born=phrases(section.born),
        joining=_lower_set(section.joining),
        pronouns=_lower_set(section.pronouns),
        total=phrases(section.total),
    )


def _lower_set(words: list[str]) -> frozenset[str]:
    return frozenset(normalise(word).lower() for word in words)


def _stems(words: list[str]) -> tuple[str, ...]:
    return tuple(normalise(word).lower() for word in words)


def compile_rules(path: Path) -> FactRules:
    raw = read_toml(path)
    try:
        data = _FactsFile.model_validate(raw)
    except ValidationError as exc:
        raise ConfigError(f"{path}: {describe_validation_error(exc, raw)}") from exc
    detained = data.detained
    numbers = {language: word_table(dict(getattr(data.numbers, language))) for language in LANGUAGES}
    numbers["kk"] = word_table({**data.numbers.kk, **data.numbers.kk_latin})
    approximately = phrases(data.units.approximately)
    numbers[""] = word_table({**data.numbers.en, **data.numbers.ru})
    return FactRules(
        substances_by_language=_compile_groups(path, "substances", data.substances),
        agencies_by_language=_compile_groups(path, "agencies", data.agencies),
        grams=word_table(dict(data.units.grams)),
        counts=word_table(dict(data.units.counts)),
        whole_words=word_table(dict(data.units.whole_words)),
        max_gap_words=data.units.max_gap_words,
        not_in_gap=frozenset(w.lower() for w in data.units.not_in_gap),
        joining=frozenset(w.lower() for w in data.units.joining),
        each=phrases(data.units.each),
        containers=word_table(dict.fromkeys(data.units.containers, True)),
        approximately=approximately,
        approximately_words=frozenset(p[0] for p in approximately if len(p) == 1),
        one_packet=frozenset(w.lower() for w in data.units.one_packet),
        packet_with=frozenset(w.lower() for w in data.units.packet_with),
        cargo_after=phrases(data.units.cargo_after),
        per_container=frozenset(w.lower() for w in data.units.per_container),
        and_a_half=phrases(data.units.and_a_half),
        numbers_by_language=numbers,
        multipliers=word_table(dict(data.numbers.multipliers)),
        not_amount_before=phrases(data.numbers.not_amount_before),
        rate_before=frozenset(w.lower() for w in data.numbers.rate_before),
        rate_after=phrases(data.numbers.rate_after),
        main_event=_event_cues(path, data.main_event),
        not_seized_after=phrases(data.substance_context.not_seized_after),
        not_acting={kind: phrases(words) for kind, words in data.agency_context.not_acting.items()},
        not_places=frozenset(word.lower() for word in data.places.not_places),
        not_event_after=phrases(data.places.not_event_after),
        not_event_before=phrases(data.places.not_event_before),
        home_after=phrases(data.places.home_after),
        home_before=phrases(data.places.home_before),
        event_after=phrases(data.places.event_after),
        streets=phrases(data.places.streets),
        borders=phrases(data.places.borders),
        border_countries=phrases(data.places.border_countries),
        intent=phrases(data.places.intent),
        sale=phrases(data.places.sale),
        detained=_detain_rules(detained),
        operation_cue=parse_word("|".join(data.operations.cue)),
        operation_between=parse_word("|".join(data.operations.between)),
        max_operation_chars=data.operations.max_name_chars,
        code_names=tuple(
            (_code_pattern(name), code)
            for name, code in sorted(data.legal.codes.items(), key=lambda item: -len(item[0]))
        ),
        country_codes=dict(data.legal.country_codes),
        not_criminal=tuple(data.legal.not_criminal),
        not_criminal_before=tuple(data.legal.not_criminal_before),
        en_codes={k.lower(): v for k, v in data.legal.en_codes.items()},
    )


@cache
def load_rules() -> FactRules:
    return compile_rules(config_path("facts.toml"))
