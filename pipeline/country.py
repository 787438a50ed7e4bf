"""Country stage: the reporting country and every country the text mentions.

The reporting country decides the release section. For a configured source it is the source's
country; for an unknown outlet it is its domain's country (``.kz``, ``.рф``) and, for generic
domains (``.com``, ``.org``), the country the text mentions most.

Mentions come from the gazetteer in ``config/gazetteer/`` (see its README for the syntax and the
decisions about adjectives and language names).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, RootModel, field_validator

from config import ConfigError, config_dir, read_toml, validate_file
from core.urls import InvalidURL, ascii_host
from pipeline.matcher import Hit, Matcher, PatternSyntaxError, Term, compile_term
from pipeline.ru_forms import word_forms
from pipeline.textutil import Token, normalise, tokenize

# A place name followed by one of these is a language name, not a state ("русский язык").
_LANGUAGE_WORDS = ("язык*", "тіл*", "тил*", "забон*", "til*", "dil*", "language*")


class _GazetteerFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    code: str = Field(pattern=r"^[A-Z]{2}$")
    name: str = Field(min_length=1)
    timezone: str | None = None
    """IANA zone for dates of an unknown outlet of this country that state no offset."""
    tlds: list[str] = Field(default_factory=list)
    hosts: list[str] = Field(default_factory=list)
    """Outlets of this country on another country's or a generic domain (``sputnik-tj.com``,
    ``tj.sputniknews.ru``); a subdomain of a listed host counts too."""
    language: str | None = Field(default=None, pattern=r"^[a-z]{2,3}$")
    """The country's main language: a hint when a detector cannot tell it from a close one
    (Serbian, Croatian, Bosnian)."""
    case_sensitive: list[str] = Field(default_factory=list)
    """Abbreviations (ВКО, ОАЭ) and names that are ordinary words in lower case (Семей)."""
    exclude: list[str] = Field(default_factory=list)
    names: dict[str, list[str]] = Field(default_factory=dict)
    regions: dict[str, list[str]] = Field(default_factory=dict)
    cities: dict[str, list[str]] = Field(default_factory=dict)

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                ZoneInfo(value)
            except (ZoneInfoNotFoundError, ValueError) as exc:
                raise ValueError(f"unknown time zone {value!r}") from exc
        return value

    @field_validator("names", "regions", "cities")
    @classmethod
    def _language_keys(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        return _entries_by_language(value)


def _entries_by_language(value: dict[str, list[str]]) -> dict[str, list[str]]:
    for language, entries in value.items():
        if not (2 <= len(language) <= 3 and language.isalpha() and language.islower()):
            raise ValueError(f"{language!r} is not an ISO 639-1 language code")
        for entry in entries:
            if not entry.strip():
                raise ValueError(f"empty entry in {language!r}")
    return value


@dataclass(frozen=True, slots=True)
class Place:
    """What a gazetteer term stands for."""

    country: str
    kind: str
    """``name``, ``region``, ``city`` or ``case_sensitive``."""


@dataclass(frozen=True, slots=True)
class Mention:
    country: str
    match: str
    where: str
    """``title`` or ``text``."""
    kind: str


@dataclass(frozen=True, slots=True)
class CountryTags:
    country: str | None
    """Reporting country, ISO 3166-1 alpha-2."""
    basis: str
    """How it was decided: ``source``, ``tld``, ``content`` or ``none``."""
    mentioned: tuple[str, ...]
    """Countries the title and text mention, most mentioned first."""
    mentions: tuple[Mention, ...]


@dataclass(frozen=True, slots=True)
class Gazetteer:
    matcher: Matcher[Place]
    tlds: dict[str, str]
    names: dict[str, str]
    """Country code -> English name."""
    timezones: dict[str, str]
    """Country code -> IANA zone (for outlets that are not configured sources)."""
    hosts: dict[str, str] = field(default_factory=dict)
    """Outlet host -> country code."""
    languages: dict[str, str] = field(default_factory=dict)
    """Country code -> main language."""
    language_countries: dict[str, str] = field(default_factory=dict)
    """Language -> country, for languages only one gazetteer country has as its own."""
    towns: Matcher[Place] = field(default_factory=Matcher)
    """The region's towns and the neighbours' provinces (``config/gazetteer/towns/``,
    ``provinces/``): places for the facts stage, not mentions of a country (country tagging reads
    :attr:`matcher` only)."""
    world: Matcher[Place] = field(default_factory=Matcher)
    """The names of the world's other countries (``config/gazetteer/world/``): for the facts stage,
    where a country alone is no place; not mentions for country tagging."""


def _language_countries(languages: dict[str, str]) -> dict[str, str]:
    owners: dict[str, list[str]] = {}
    for country, language in sorted(languages.items()):
        owners.setdefault(language, []).append(country)
    return {language: countries[0] for language, countries in owners.items() if len(countries) == 1}


def _ru_pattern(entry: str) -> str:
    words = []
    for word in entry.split():
        if word.startswith("="):
            words.append(word[1:])
        elif "*" in word or "|" in word:
            words.append(word)
        else:
            words.append("|".join(sorted(word_forms(word))))
    return " ".join(words)


def _en_pattern(entry: str) -> str:
    words = entry.split()
    last = words[-1]
    if "*" not in last and "|" not in last:
        words[-1] = f"{last}|{last}'s"
    return " ".join(words)


def _terms_of(path: Path, data: _GazetteerFile) -> list[Term[Place]]:
    terms: list[Term[Place]] = []
    exclude = [form.lower() for form in data.exclude]
    groups = (
        ("names", "name", data.names),
        ("regions", "region", data.regions),
        ("cities", "city", data.cities),
    )
    for field_name, kind, by_language in groups:
        for language, entries in by_language.items():
            for position, entry in enumerate(entries):
                if language == "ru":
                    pattern = _ru_pattern(entry)
                elif language == "en":
                    pattern = _en_pattern(entry)
                else:
                    pattern = entry
                try:
                    terms.append(
                        compile_term(
                            pattern,
                            Place(data.code, kind),
                            exclude=exclude,
                            unless_next=_LANGUAGE_WORDS,
                            window=1,
                        )
                    )
                except PatternSyntaxError as exc:
                    raise ConfigError(f"{path}: {field_name}.{language}[{position}]: {exc}") from exc
    for position, entry in enumerate(data.case_sensitive):
        try:
            terms.append(compile_term(entry, Place(data.code, "case_sensitive"), case=True))
        except PatternSyntaxError as exc:
            raise ConfigError(f"{path}: case_sensitive[{position}]: {exc}") from exc
    return terms


class _GeneratedFile(BaseModel):
    """A file of ``towns/`` or ``provinces/``: names by language, generated from open data."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    code: str = Field(pattern=r"^[A-Z]{2}$")
    towns: dict[str, list[str]] = Field(default_factory=dict)
    provinces: dict[str, list[str]] = Field(default_factory=dict)

    @field_validator("towns", "provinces")
    @classmethod
    def _language_keys(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        return _entries_by_language(value)


def _generated_terms(folder: Path) -> list[Term[Place]]:
    """The towns of ``folder/towns/*.toml`` (from GeoNames) and the provinces of
    ``folder/provinces/*.toml`` (from ISO 3166-2; see their README), compiled as the gazetteer's
    cities and regions are."""
    terms: list[Term[Place]] = []
    for path in sorted([*(folder / "towns").glob("*.toml"), *(folder / "provinces").glob("*.toml")]):
        data = validate_file(path, _GeneratedFile, read_toml(path))
        places = _GazetteerFile(code=data.code, name=data.code, cities=data.towns, regions=data.provinces)
        terms.extend(_terms_of(path, places))
    return terms


class _WorldFile(RootModel[dict[str, dict[str, list[str]]]]):
    """``world/countries.toml``: each country's names by language, under its ISO code."""

    @field_validator("root")
    @classmethod
    def _codes_and_languages(cls, value: dict[str, dict[str, list[str]]]) -> dict[str, dict[str, list[str]]]:
        for code, names in value.items():
            if not (len(code) == 2 and code.isalpha() and code.isupper()):
                raise ValueError(f"{code!r} is not an ISO 3166-1 alpha-2 code")
            _entries_by_language(names)
        return value


def _world_terms(folder: Path) -> list[Term[Place]]:
    """The names of ``folder/world/*.toml`` (from ISO 3166-1; see its README), compiled as the
    gazetteer's country names are."""
    terms: list[Term[Place]] = []
    for path in sorted((folder / "world").glob("*.toml")):
        world = validate_file(path, _WorldFile, read_toml(path))
        for code, names in world.root.items():
            terms.extend(_terms_of(path, _GazetteerFile(code=code, name=code, names=names)))
    return terms


@cache
def _load(directory: str) -> Gazetteer:
    folder = Path(directory) / "gazetteer"
    files = sorted(folder.glob("*.toml"))
    if not files:
        raise ConfigError(f"{folder}: no gazetteer files (*.toml)")
    terms: list[Term[Place]] = []
    tlds: dict[str, str] = {}
    names: dict[str, str] = {}
    zones: dict[str, str] = {}
    hosts: dict[str, str] = {}
    languages: dict[str, str] = {}
    for path in files:
        data = validate_file(path, _GazetteerFile, read_toml(path))
        if data.code in names:
            raise ConfigError(f"{path}: code: {data.code} is already defined by another gazetteer file")
        names[data.code] = data.name
        if data.timezone:
            zones[data.code] = data.timezone
        for tld in data.tlds:
            tlds[tld.lower().lstrip(".")] = data.code
        for position, host in enumerate(data.hosts):
            name = host.lower().strip().removeprefix("www.")
            if name in hosts and hosts[name] != data.code:
                raise ConfigError(f"{path}: hosts[{position}]: {host} is already {hosts[name]}'s")
            hosts[name] = data.code
        if data.language:
            languages[data.code] = data.language
        terms.extend(_terms_of(path, data))
    return Gazetteer(
        Matcher.of(terms),
        tlds,
        names,
        zones,
        hosts,
        languages,
        _language_countries(languages),
        Matcher.of(_generated_terms(folder)),
        Matcher.of(_world_terms(folder)),
    )


def load_gazetteer() -> Gazetteer:
    """The gazetteer of the current configuration folder (loaded once, then reused)."""
    return _load(str(config_dir()))


def find_mentions(text: str, where: str, gazetteer: Gazetteer) -> list[Mention]:
    """Country mentions in one text, longest match first where names overlap.

    A hyphenated word that is not a name as a whole is also read part by part, so
    "таджикско-афганской границе" and "Tajik-Afghan border" mention both countries.
    """
    normalised = normalise(text)
    tokens = tokenize(normalised)
    hits = _resolve(gazetteer.matcher.find(tokens))
    mentions = [
        Mention(
            h.term.payload.country,
            normalised[tokens[h.first].start : tokens[h.last].end],
            where,
            h.term.payload.kind,
        )
        for h in hits
    ]
    covered = {i for h in hits for i in range(h.first, h.last + 1)}
    for position, token in enumerate(tokens):
        if "-" not in token.text or position in covered:
            continue
        parts = _split_hyphenated(token)
        for hit in _resolve(gazetteer.matcher.find(parts)):
            match = normalised[parts[hit.first].start : parts[hit.last].end]
            mentions.append(Mention(hit.term.payload.country, match, where, hit.term.payload.kind))
    return mentions


def _resolve(hits: list[Hit[Place]]) -> list[Hit[Place]]:
    """Drop hits that overlap an earlier or longer one."""
    ordered = sorted(hits, key=lambda h: (h.first, -(h.last - h.first)))
    kept: list[Hit[Place]] = []
    covered_until = -1
    for hit in ordered:
        if hit.first > covered_until:
            kept.append(hit)
            covered_until = hit.last
    return kept


def _split_hyphenated(token: Token) -> list[Token]:
    parts: list[Token] = []
    offset = token.start
    for part in token.text.split("-"):
        if part:
            parts.append(Token(part, part.lower(), offset, offset + len(part)))
        offset += len(part) + 1
    return parts


def country_of_host(url: str, gazetteer: Gazetteer) -> str | None:
    """The country of a URL's host: a known outlet's host (``sputnik-tj.com`` → TJ), else its
    top-level domain (``.kz`` → KZ, ``.рф`` → RU)."""
    try:
        host = ascii_host(urlsplit(url).hostname or "")
    except InvalidURL:
        return None
    if not host:
        return None
    name = host.removeprefix("www.")
    while name:
        if name in gazetteer.hosts:
            return gazetteer.hosts[name]
        _, _, name = name.partition(".")
        if "." not in name:
            break
    return gazetteer.tlds.get(host.rsplit(".", 1)[-1])


def language_hint(url: str, gazetteer: Gazetteer) -> str | None:
    """The main language of the country an unknown outlet's host belongs to, if known."""
    country = country_of_host(url, gazetteer)
    return gazetteer.languages.get(country) if country else None


def tag_country(
    title: str,
    text: str,
    *,
    url: str,
    source_country: str | None,
    gazetteer: Gazetteer | None = None,
    language: str | None = None,
) -> CountryTags:
    """Reporting country and mentioned countries of one article.

    The reporting country is the configured source's; else the outlet's (its host, its domain);
    else, on a generic domain, the one country whose language the article is written in
    (gazetteer ``language``: a Kazakh text on a ``.com`` site is a Kazakh outlet's); else the
    country the text mentions most."""
    gazetteer = gazetteer or load_gazetteer()
    mentions = find_mentions(title, "title", gazetteer) + find_mentions(text, "text", gazetteer)
    counts = Counter(m.country for m in mentions)
    first_seen: dict[str, int] = {}
    for position, mention in enumerate(mentions):
        first_seen.setdefault(mention.country, position)
    mentioned = tuple(sorted(counts, key=lambda c: (-counts[c], first_seen[c])))
    if source_country:
        return CountryTags(source_country, "source", mentioned, tuple(mentions))
    by_host = country_of_host(url, gazetteer)
    if by_host:
        return CountryTags(by_host, "tld", mentioned, tuple(mentions))
    by_language = gazetteer.language_countries.get(language or "")
    if by_language:
        return CountryTags(by_language, "language", mentioned, tuple(mentions))
    if mentioned:
        return CountryTags(mentioned[0], "content", mentioned, tuple(mentions))
    return CountryTags(None, "none", mentioned, tuple(mentions))
