"""The release's summary sentence and topic sentences, generated from the data.

Both come out as *markup*: plain text in which ``*…*`` marks italics (the country names in
parentheses, as the reference prints them). :func:`plain` strips the marks; the renderers turn
them into ``<i>``, Markdown emphasis or italic DOCX runs. The wording is in
``config/release.toml``; only the grammar (plural categories) is code.

An editor may override the summary (``Release.summary_en`` / ``summary_ru``) and the topic phrase
of any country (``Release.topic_sentences = {"en": {"KZ": "on …"}}``); the functions here draft
what is shown when there is no override.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

from core.facts import Facts
from core.period import Period
from release.settings import ReleaseSettings, load_release_settings

_EMPHASIS = re.compile(r"\*([^*]+)\*")


def plural_category(count: int, language: str) -> str:
    """CLDR plural category of a whole number: ``one``/``other`` (en), ``one``/``few``/``many`` (ru)."""
    if language == "ru":
        if count % 10 == 1 and count % 100 != 11:
            return "one"
        if 2 <= count % 10 <= 4 and not 12 <= count % 100 <= 14:
            return "few"
        return "many"
    return "one" if count == 1 else "other"


def event_word(count: int, edition: str, settings: ReleaseSettings | None = None) -> str:
    """"event"/"events", "событие"/"события"/"событий" for ``count``."""
    forms = (settings or load_release_settings()).edition(edition).event_forms
    category = plural_category(count, edition)
    return forms.get(category) or forms.get("other") or forms.get("many") or next(iter(forms.values()))


def summary_sentence(
    period: Period,
    counts: Mapping[str, int],
    edition: str = "en",
    *,
    settings: ReleaseSettings | None = None,
    markup: bool = False,
) -> str:
    """The generated summary sentence of a release.

    ``counts`` maps country codes to event numbers, in section order (as :func:`count_by_country`
    returns them); countries with zero are left out. ``markup=True`` italicises the country list.
    For release 2025 #1 and ``{"KZ": 5, "KG": 1, "RU": 2, "TJ": 1}``: *In the period from 1 to 15
    January 2025, media of CARICC member states and other countries covered 9 events in the
    counter-narcotics sphere (Kazakhstan - 5, Kyrgyzstan - 1, Russia - 2, Tajikistan - 1).*
    """
    settings = settings or load_release_settings()
    text = settings.edition(edition)
    nonzero = [(code, count) for code, count in counts.items() if count > 0]
    total = sum(count for _, count in nonzero)
    counts_text = ""
    if nonzero:
        items = text.item_separator.join(
            text.count_item.format(country=settings.country_short(code, edition), count=count)
            for code, count in nonzero
        )
        counts_text = text.counts.format(items=f"*{items}*" if markup else items)
    return text.summary.format(
        start_day=period.start.day,
        end_day=period.end.day,
        month=text.months[period.start.month - 1],
        year=period.start.year,
        org=text.organisation_short,
        count=total,
        events=event_word(total, edition, settings),
        counts=counts_text,
    )


def count_by_country(countries: Iterable[str | None]) -> dict[str, int]:
    """Events per section country, keeping the order the countries first appear in."""
    counts: dict[str, int] = {}
    for code in countries:
        if code:
            counts[code] = counts.get(code, 0) + 1
    return counts


def draft_topic_phrases(
    topics_by_country: Mapping[str, Iterable[str | None]],
    edition: str = "en",
    *,
    settings: ReleaseSettings | None = None,
    seizure_facts: Mapping[str, Sequence[Facts]] | None = None,
) -> dict[str, str]:
    """A topic phrase per country, drafted from its events' topics.

    The country's most frequent topics come first (ties in the order of ``[topics.phrases]``),
    at most ``topics.max_per_country`` of them, joined with "and"; "other" is named only when
    the country has no more specific topic. The seizure topic is worded from the facts of the
    country's seizure events when they name a substance (``seizure_facts``, see
    :func:`seizure_phrase`).
    """
    settings = settings or load_release_settings()
    text = settings.edition(edition)
    drafted: dict[str, str] = {}
    for code, topics in topics_by_country.items():
        tally = Counter(topic if topic in settings.topics.phrases else "other" for topic in topics)
        if not tally:
            continue
        if len(tally) > 1:
            tally.pop("other", None)
        ranked = sorted(tally, key=lambda topic: (-tally[topic], settings.topic_rank(topic)))
        chosen = ranked[: settings.topics.max_per_country]
        facts = (seizure_facts or {}).get(code, ())
        drafted[code] = text.topic_join.join(
            (seizure_phrase(facts, edition, settings) if topic == "seizure_arrest" else None)
            or settings.topic_phrase(topic, edition)
            for topic in chosen
        )
    return drafted


def seizure_phrase(facts: Sequence[Facts], edition: str, settings: ReleaseSettings) -> str | None:
    """"on detention of 3 persons and seizures of heroin and hashish (5.4 kg)" from the facts of a
    country's seizure events; None when they name no substance (the generic phrase is used)."""
    wording = settings.topics.seizures.get(edition)
    tally = Counter(substance for f in facts for substance in f.substance_ids)
    if wording is None or not tally:
        return None
    names = [
        settings.topics.substances.get(substance, {}).get(edition, substance.replace("_", " "))
        for substance, _ in tally.most_common()
    ]
    substances = names[0] if len(names) == 1 else ", ".join(names[:-1]) + wording.last_join + names[-1]
    grams = sum(q.grams for f in facts for q in f.quantities if q.grams is not None)
    if grams:
        kilograms = f"{grams / 1000:.3f}".rstrip("0").rstrip(".").replace(".", wording.decimal)
        substances = wording.mass.format(substances=substances, kilograms=kilograms)
    detained = [f.detained for f in facts if f.detained is not None]
    if not detained:
        return wording.without_detained.format(substances=substances)
    people = sum(detained)
    forms = wording.people
    form = forms.get(plural_category(people, edition)) or forms.get("other") or forms.get("many") or "{n}"
    return wording.with_detained.format(people=form.format(n=people), substances=substances)


def topic_paragraph(
    phrases: Mapping[str, str],
    edition: str = "en",
    *,
    settings: ReleaseSettings | None = None,
    markup: bool = False,
) -> str:
    """"Published articles reflect information <phrase> (*Country*), …." — empty without phrases.

    ``phrases`` maps country codes to phrases, in section order. Countries with the same phrase
    share one item (``on preventive activities … (Kyrgyzstan, Russia)``), placed where the first
    of them is.
    """
    settings = settings or load_release_settings()
    text = settings.edition(edition)
    grouped: dict[str, list[str]] = {}
    for code, phrase in phrases.items():
        phrase = (phrase or "").strip().rstrip(".,;")
        if phrase:
            grouped.setdefault(phrase, []).append(settings.country_short(code, edition))
    if not grouped:
        return ""
    items = []
    for phrase, names in grouped.items():
        countries = text.item_separator.join(names)
        items.append(text.topic_item.format(phrase=phrase, country=f"*{countries}*" if markup else countries))
    return text.topic_sentence.format(items=text.item_separator.join(items))


def plain(markup: str) -> str:
    """Markup without its emphasis marks."""
    return _EMPHASIS.sub(r"\1", markup)


def runs(markup: str) -> list[tuple[str, bool]]:
    """Markup as ``(text, italic)`` runs, for renderers that style text piece by piece."""
    result: list[tuple[str, bool]] = []
    position = 0
    for match in _EMPHASIS.finditer(markup):
        if match.start() > position:
            result.append((markup[position : match.start()], False))
        result.append((match.group(1), True))
        position = match.end()
    if position < len(markup):
        result.append((markup[position:], False))
    return result
