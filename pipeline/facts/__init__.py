"""Facts stage: what an analyst writes down from a seizure or arrest story (issue #19).

Pure: text in, :class:`core.facts.Facts` out, no Scrapy, no database. Each fact keeps the span
of the (normalised) text that states it. The words it knows are data in ``config/facts.toml``
and the gazetteer; quality is measured on real published stories (``corpus/facts``, ``make eval``).
"""

from __future__ import annotations

from collections.abc import Sequence

from core.facts import Facts, Mention, Quantity
from pipeline.facts.detained import find_detained
from pipeline.facts.events import find_legal_articles, find_operation
from pipeline.facts.mainevent import MainEvent, main_event, of_main_event
from pipeline.facts.mentions import find_places, find_terms, with_added
from pipeline.facts.phrases import phrase_at, words_of
from pipeline.facts.places import event_places, follows
from pipeline.facts.quantities import Amount, find_amounts
from pipeline.facts.rules import FactRules, load_rules
from pipeline.textutil import normalise, tokenize

SUBSTANCE_REACH = 80
"""Characters after an amount within which the substance it is an amount of is named
(«1,7 кг марихуаны», «3 кг 90 г героина»); before it, the same sentence («героина массой 3 кг»)."""


def extract_facts(
    text: str,
    *,
    title: str = "",
    language: str | None = None,
    country: str | None = None,
    rules: FactRules | None = None,
) -> Facts:
    """The facts of one story in ``language``; ``country`` (the reporting country) gives the
    criminal code of an article cited without one."""
    rules = (rules or load_rules()).for_language(language)
    body = story_text(text, title)
    tokens = tokenize(body)
    event = main_event(body, rules.main_event)
    substances = find_terms(rules.substances, body, tokens)
    substances = [
        m
        for m in substances
        if not _operation_name(body, m, rules) and not follows(body, m, rules.not_seized_after, skip=2)
    ]
    agencies = find_terms(rules.agencies, body, tokens)
    amounts = find_amounts(body, rules)
    detained = find_detained(body, rules, event)
    return Facts(
        substances=tuple(of_main_event(event, "substances", substances)),
        quantities=tuple(_quantities(body, amounts, substances, event, rules)),
        places=tuple(places_of(body, rules, event, drugs=substances)),
        agencies=tuple(_acting_agencies(body, of_main_event(event, "agencies", agencies), rules)),
        detained=detained[0] if detained else None,
        detained_span=detained[1] if detained else None,
        operation=find_operation(body, rules),
        legal_articles=tuple(find_legal_articles(body, country, rules)),
    )


def story_text(text: str, title: str = "") -> str:
    """What the stage reads: the title and the text, normalised (every span is an offset into it)."""
    return normalise(f"{title}\n{text}" if title else text)


def _acting_agencies(text: str, agencies: list[Mention], rules: FactRules) -> list[Mention]:
    """The agencies that acted: a kind named only after one of its :attr:`FactRules.not_acting`
    phrases (a prosecutor as the source of the news, «сообщили в прокуратуре»; a court a case was sent
    to, «передало в суд уголовное дело») is left out."""
    idle = {
        kind
        for kind, phrases in rules.not_acting.items()
        if all(follows(text, m, phrases, skip=1) for m in agencies if m.value == kind)
    }
    return [m for m in agencies if m.value not in idle]


def places_of(
    text: str,
    rules: FactRules,
    event: MainEvent,
    added: Sequence[Mention] = (),
    drugs: Sequence[Mention] = (),
) -> list[Mention]:
    """The event's places among the places ``text`` names, and ``added`` candidates from another
    finder (:mod:`pipeline.facts.alternatives`) where they overlap none of the stage's own. A name
    that is one of the ``drugs`` named is the drug («700 kg of Ganja seized»: not Azerbaijan's Ganja)."""
    candidates = with_added(find_places(text, not_places=rules.not_places), added)
    candidates = [m for m in candidates if not any(_within(m, drug) for drug in drugs)]
    found = of_main_event(event, "places", candidates)
    return event_places(text, found, rules.place_cues, language=rules.language or None)


def _within(inner: Mention, outer: Mention) -> bool:
    return outer.span.start <= inner.span.start and inner.span.end <= outer.span.end


def _operation_name(text: str, mention: Mention, rules: FactRules) -> bool:
    """A quoted name after an operation word («ОПМ «Мак»», «Қарасора – 2024» іс-шарасы) is the
    operation's name, not a drug seized (the word may follow one adjective: «Қарасора – 2025»
    жедел-профилактикалық іс-шарасы); a quoted drug («гашиш», «соль») is a drug."""
    opening = text.rfind("«", max(0, mention.span.start - 3), mention.span.start + 1)
    closing = text.find("»", mention.span.end, mention.span.end + 12)
    if opening == -1 or closing == -1:
        return False
    before = tokenize(text[max(0, opening - 40) : opening])
    after = tokenize(text[closing + 1 : closing + 45])
    return bool(
        (before and rules.operation_cue.matches(before[-1]))
        or any(rules.operation_cue.matches(word) for word in after[:2])
    )


def _quantities(
    text: str, amounts: list[Amount], substances: list[Mention], event: MainEvent, rules: FactRules
) -> list[Quantity]:
    """Amounts of the main event with the substance they are of; one per distinct amount; a count
    of packets only where the story states no mass of that drug."""
    found: list[Quantity] = []
    seen: set[tuple[str | None, float | None, float | None, str | None]] = set()
    main = {id(amount) for amount in of_main_event(event, "quantities", amounts)}
    for index, amount in enumerate(amounts):
        if id(amount) not in main:
            continue
        if amount.unit == "packets" and any(
            other.grams is not None and _same_sentence(text, amount.span.start, other.span.start)
            for other in amounts
        ):
            continue
        following = amounts[index + 1].span.start if index + 1 < len(amounts) else len(text)
        substance = _substance_of(text, amount, substances, following)
        key = (substance, amount.grams, amount.count, amount.unit)
        if key in seen or (substance is None and any(k[1:] == key[1:] for k in seen)):
            continue
        seen.add(key)
        found.append(Quantity(substance, amount.grams, amount.count, amount.unit, amount.span))
    found = [
        q
        for q in found
        if not (_approximate(text, q, rules) and any(_rounded_version_of(q, other) for other in found))
        and not any(_shortened_version_of(q, other) for other in found)
    ]
    return [q for q in found if not _packets_beside_mass(q, found)]


def _packets_beside_mass(quantity: Quantity, found: list[Quantity]) -> bool:
    """A count of packets where the story also gives a mass of the same drug (or of drugs it does
    not name): the guide counts packets only "when no mass is given"."""
    return quantity.unit == "packets" and any(
        other.grams is not None
        and (other.substance is None or quantity.substance is None or other.substance == quantity.substance)
        for other in found
    )


ROUNDING_TOLERANCE = 0.16
"""Two amounts this close are one seizure told twice («почти 2 кг» … «1,93 кг», «300-ге жуық»
… «281»): the precise one is kept."""


def _approximate(text: str, quantity: Quantity, rules: FactRules) -> bool:
    """The amount is told roughly: in the title, or with a word of ``approximately`` just before it
    («почти 2 кг», "over 36 kg") or right after the number (kk «300-ге жуық»); «1 kg» beside
    «950 grams» in the body is another amount."""
    if "\n" not in text[: quantity.span.start]:
        return True
    before = words_of(text[max(0, quantity.span.start - 25) : quantity.span.start])
    after = words_of(text[quantity.span.start : quantity.span.end + 12])
    return phrase_at(before, rules.approximately, end=True) or any(
        word in rules.approximately_words for word in after
    )


def _values_of_one_kind(first: Quantity, second: Quantity) -> tuple[float, float] | None:
    """The two amounts' values (grams or a count) when they could be one seizure told twice: two
    amounts in the same unit, of the same drug or one not named."""
    if first is second or first.unit != second.unit:
        return None
    if first.substance and second.substance and first.substance != second.substance:
        return None
    return first.grams or first.count or 0.0, second.grams or second.count or 0.0


def _rounded_version_of(rough: Quantity, precise: Quantity) -> bool:
    values = _values_of_one_kind(rough, precise)
    if values is None:
        return False
    a, b = values
    close = abs(a - b) <= ROUNDING_TOLERANCE * max(a, b)
    return close and _significant_digits(a) < _significant_digits(b)


def _shortened_version_of(short: Quantity, precise: Quantity) -> bool:
    """«19 kg of hashish» … «19 kilograms 650 grams», «43 килограмма» … «42 килограмма 960 граммов»: a
    figure told before the precise one, that the precise one rounds or cuts to with at least two digits
    fewer, is that seizure told short (in a headline or a lead) even without a word of ``approximately``;
    «7 килограмм» after «7 килограмм 845 грамм» is another."""
    values = _values_of_one_kind(short, precise)
    if values is None or short.span.start > precise.span.start:
        return False
    a, b = values
    digits = _significant_digits(a)
    if a <= 0 or b <= 0 or _significant_digits(b) - digits < 2 or abs(a - b) > ROUNDING_TOLERANCE * b:
        return False
    scale = 10 ** (len(str(int(b))) - digits)
    return a in (round(b / scale) * scale, (b // scale) * scale)


def _significant_digits(value: float) -> int:
    digits = str(round(value * 1000)).rstrip("0")
    return len(digits.lstrip("0"))


def _substance_of(text: str, amount: Amount, substances: list[Mention], next_amount: int) -> str | None:
    reach = min(amount.span.end + SUBSTANCE_REACH, next_amount)
    within = [m for m in substances if amount.span.start <= m.span.start < amount.span.end]
    if within:  # «2000-нан астам қарасора бұталары»: the drug between the number and the unit
        return within[0].value
    after = [m for m in substances if amount.span.end <= m.span.start < reach]
    if after and _same_sentence(text, amount.span.end, after[0].span.start):
        return after[0].value
    before = [m for m in substances if m.span.end <= amount.span.start]
    if before and _same_sentence(text, before[-1].span.start, amount.span.start):
        return before[-1].value
    return None


def _same_sentence(text: str, first: int, second: int) -> bool:
    low, high = sorted((first, second))
    between = text[low:high]
    return not any(mark in between for mark in (". ", ".\n", "\n", "! ", "? "))


__all__ = ["extract_facts", "Facts"]
