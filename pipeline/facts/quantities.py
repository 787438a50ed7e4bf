"""Amounts of drugs in a text: «1,5 кг», «более 300 граммов», «12 тонн», «2 тыс. таблеток»,
«полкилограмма», «трех килограммов», «3 кг 367 г», "two kilograms".

The text is cut into number and word tokens; an amount is a number (digits or number words,
optionally scaled by «тыс.»/«млн») followed, within a few words, by a unit of mass or a count
(pills, doses, plants, packets). Masses are normalised to grams.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from core.facts import Span
from pipeline.facts.phrases import phrase_at
from pipeline.facts.rules import FactRules

_TOKEN_RE = re.compile(
    # 1 500 / 1 500,5 (not a date's «03» and «700 kg» after it)
    r"(?P<number>(?!0)\d{1,3}(?:[ \u202f]\d{3})+(?:[.,]\d+)?(?!\d)"
    r"|\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\d,])"  # 1,112.5 (English)
    r"|\d+(?:[.,]\d+)?)(?:-(?:[^\W\d_]{1,4})(?![^\W\d_]))?"  # kk/ky «2000-нан», «70-тен»
    r"|(?P<word>[^\W\d_]+(?:[-'][^\W\d_]+)*(?:-\d+(?![\d.,]\d))?)"  # a name with a number: "methadone-40"
    r"|(?P<stop>[.!?;:()«»\"\n])"
)
_YEAR_RANGE = range(1900, 2101)


@dataclass(frozen=True, slots=True)
class Token:
    kind: str
    """``number``, ``word`` or ``stop`` (punctuation that ends a clause)."""
    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Amount:
    """One amount found in the text, before a substance is given to it."""

    grams: float | None
    count: float | None
    unit: str | None
    span: Span


def tokens_of(text: str) -> list[Token]:
    return [
        Token(match.lastgroup or "word", match.group(), match.start(), match.end())
        for match in _TOKEN_RE.finditer(text)
    ]


_THOUSANDS_COMMA_RE = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$")
_THOUSANDS_DOT_RE = re.compile(r"^\d{1,3}[.,]\d{3}$")


def _digits(text: str, rules: FactRules) -> float:
    """``1 500``, ``1,5`` (a decimal comma), and in English ``1,112.5`` (a thousands comma)."""
    text = re.sub(r"[ \u202f]", "", text.split("-")[0])
    if rules.language == "en" and _THOUSANDS_COMMA_RE.match(text):
        return float(text.replace(",", ""))
    return float(text.replace(",", "."))


def _number_at(tokens: Sequence[Token], i: int, rules: FactRules) -> tuple[float, int] | None:
    """The number starting at token ``i`` and the index after it (words are summed:
    «двадцать три» = 23; a multiplier scales: «2 тыс.» = 2000)."""
    token = tokens[i]
    if token.kind == "number":
        value, j = _digits(token.text, rules), i + 1
    elif token.kind == "word" and isinstance(found := rules.numbers.get(token.text), float | int):
        value, j = float(found), i + 1
        while j < len(tokens) and tokens[j].kind == "word":
            more = rules.numbers.get(tokens[j].text)
            if not isinstance(more, float | int) or more >= value:
                break
            value, j = value + float(more), j + 1
    else:
        return None
    while j < len(tokens) and tokens[j].kind in ("word", "stop"):
        if _full_stop(tokens, j) and j > i and tokens[j - 1].kind == "word":
            j += 1  # «тыс.»: the abbreviation's full stop (not «24.kg», an outlet's address)
            continue
        scale = rules.multipliers.get(tokens[j].text)
        if not isinstance(scale, float | int):
            break
        value, j = value * float(scale), j + 1
        rest = j + 1 if _full_stop(tokens, j) else j  # «2 тыс. 300»: past the abbreviation's stop
        if rest < len(tokens) and tokens[rest].kind == "number":
            # «94 тысяч 470», «4 миллионов 222 тысяч»: a smaller number (itself scaled) is added
            lower = _number_at(tokens, rest, rules)
            if lower is not None and lower[0] < scale:
                value, j = value + lower[0], lower[1]
    return value, j


def _unit_after(tokens: Sequence[Token], j: int, rules: FactRules) -> tuple[str, float | str, int] | None:
    """The unit within ``max_gap_words`` words after index ``j``: (kind, factor or count unit, index)."""
    for k in range(j, min(len(tokens), j + rules.max_gap_words + 1)):
        token = tokens[k]
        if token.kind != "word" or token.text.lower() in rules.not_in_gap:
            return None
        word = token.text.split("-")[0]  # kk «кг-нан»
        grams = rules.grams.get(word)
        if isinstance(grams, float | int):
            return "mass", float(grams), k
        count = rules.counts.get(word)
        if isinstance(count, str):
            return "count", count, k
        if k > j and rules.numbers.get(token.text) is not None:
            return None
    return None


def find_amounts(text: str, rules: FactRules) -> list[Amount]:
    """Every amount of the text, in order; «3 кг 367 г» is one amount, and so is «четыре пакета,
    в каждом из которых 0,5 килограмма» (2 kg: the total the packets hold)."""
    tokens = tokens_of(text)
    amounts: list[Amount] = []
    i = 0
    while i < len(tokens):
        found = _amount_at(tokens, i, rules, text)
        if found is None:
            i += 1
            continue
        first = i
        amount, i = found
        each = _containers_before(tokens, first, rules) if amount.grams is not None else None
        per_container = first > 0 and tokens[first - 1].text.lower() in rules.per_container
        if each is None and amount.grams is not None and per_container:
            continue  # «пакеты, каждый из которых содержал по 25 грамм»: a mass per container, no count read
        if each is not None:
            count, start = each
            if amounts and amounts[-1].span.start >= tokens[start].start:
                amounts.pop()  # the count of packets, now part of the total
            span = Span(tokens[start].start, amount.span.end, text[tokens[start].start : amount.span.end])
            amount = Amount(round(count * (amount.grams or 0.0), 6), None, None, span)
        amounts.append(amount)
    return amounts


_EACH_REACH = 4
"""Words between «в каждом» (or "each") and the mass: «в каждом из которых находилось 0,5 кг»."""


def _containers_before(tokens: Sequence[Token], first: int, rules: FactRules) -> tuple[float, int] | None:
    """«10 свертков по 2 грамма», «четыре пакета, в каждом из которых … 0,5 килограмма», "5 packets
    each containing 20 grams": a number of containers, then a word of ``each`` within
    ``_EACH_REACH`` words before the mass at token ``first``; the number and its token."""
    indices: list[int] = []
    for k in range(first - 1, max(-1, first - _EACH_REACH - 7), -1):
        if tokens[k].kind == "stop":
            break
        indices.insert(0, k)
    lowered = [tokens[k].text.lower() for k in indices]
    for gap in range(min(_EACH_REACH, len(indices)) + 1):
        before = lowered[: len(lowered) - gap]
        phrase = next((p for p in rules.each if phrase_at(before, (p,), end=True)), None)
        if phrase is None:
            continue
        container = len(before) - len(phrase) - 1
        if container < 1 or not rules.containers.get(tokens[indices[container]].text):
            continue
        number = _number_at(tokens, indices[container - 1], rules)
        if number is not None and number[1] == indices[container]:
            return number[0], indices[container - 1]
    return None


def _one_packet_at(tokens: Sequence[Token], i: int, rules: FactRules, text: str) -> tuple[Amount, int] | None:
    """«сверток с порошкообразным веществом», "a plastic bag with powder": one packet, named with
    no number, holding something (a word of ``packet_with`` within two words, not «пакет с 10
    свертками»)."""
    if tokens[i].kind != "word" or tokens[i].text.lower() not in rules.one_packet:
        return None
    if i and tokens[i - 1].kind == "number":
        return None
    for k in range(i + 1, min(len(tokens) - 1, i + 3)):
        if tokens[k].kind != "word":
            return None
        if tokens[k].text.lower() in rules.packet_with:
            if tokens[k + 1].kind != "word":
                return None
            return Amount(None, 1.0, "packets", _span(text, tokens, i, k + 1)), i + 1
    return None


def _amount_at(tokens: Sequence[Token], i: int, rules: FactRules, text: str) -> tuple[Amount, int] | None:
    token = tokens[i]
    packet = _one_packet_at(tokens, i, rules, text)
    if packet is not None:
        return packet
    whole = rules.whole_words.get(token.text) if token.kind == "word" else None
    if isinstance(whole, float | int):
        if i and tokens[i - 1].text.lower() in rules.not_in_gap:
            return None  # «за килограмм»: a price
        before = _number_at(tokens, i - 1, rules) if i else None
        if before is not None and before[1] == i:
            return None  # «Четыре килограмма (в сутки)»: the unit of a number, read with it
        span = Span(token.start, token.end, token.text)
        return Amount(float(whole), None, None, span), i + 1
    if _not_an_amount(tokens, i, rules, text):
        return None
    number = _number_at(tokens, i, rules)
    if number is None:
        return None
    value, j = _and_a_half(tokens, *number, rules)
    unit = _unit_after(tokens, j, rules)
    if unit is None:
        return None
    kind, factor, k = unit
    if kind == "mass" and tokens[k].text.lower() in ("г", "т") and value in _YEAR_RANGE:
        return None  # «2024 г.»: a year
    if _a_rate(tokens, i, k, rules):
        return None
    end = k + 1
    if kind == "count":
        assert isinstance(factor, str)
        if _THOUSANDS_DOT_RE.match(token.text):
            value = float(re.sub(r"\D", "", token.text))  # «2.700 кустов»: a count has no fraction
        amount = Amount(None, value, factor, _span(text, tokens, i, k))
    else:
        assert isinstance(factor, float)
        grams, k, end = _mass_with_parts(tokens, value * factor, factor, k, rules)
        amount = Amount(round(grams, 6), None, None, _span(text, tokens, i, k))
    if _cargo(tokens, k, rules):
        return None
    return amount, end


def _and_a_half(tokens: Sequence[Token], value: float, j: int, rules: FactRules) -> tuple[float, int]:
    """«17 с половиной килограммов»: the number and a half, and the index after the words."""
    for phrase in rules.and_a_half:
        part = tokens[j : j + len(phrase)]
        if all(t.kind == "word" for t in part) and tuple(t.text.lower() for t in part) == phrase:
            return value + 0.5, j + len(phrase)
    return value, j


def _mass_with_parts(
    tokens: Sequence[Token], grams: float, factor: float, k: int, rules: FactRules
) -> tuple[float, int, int]:
    """The mass ending with the unit at ``k`` read on through its smaller parts («3 кг 367 г», «2
    kilograms and 994 grams», «1 кг. 946,5 гр.», «1 тонна 799 килограммов 944 грамма»): the grams,
    the index of the last unit and the index after the amount."""
    while True:
        grams, smaller_k, end, factor = _next_part(tokens, grams, factor, k, rules)
        if smaller_k == k:
            return grams, k, end
        k = smaller_k


def _next_part(
    tokens: Sequence[Token], grams: float, factor: float, k: int, rules: FactRules
) -> tuple[float, int, int, float]:
    """One smaller part after the unit at ``k``, if there is one (see :func:`_mass_with_parts`): the
    grams with it, the index of its unit, the index after it and its unit's factor."""
    end = k + 1
    if end + 1 < len(tokens) and tokens[end].kind == "word" and tokens[end].text.lower() in rules.joining:
        joined = _number_at(tokens, end + 1, rules)
        rest = _unit_after(tokens, joined[1], rules) if joined else None
        if joined and rest and rest[0] == "mass" and isinstance(rest[1], float) and rest[1] < factor:
            end += 1  # «2 kilograms and 994 grams»: one amount
    if _full_stop(tokens, end) and len(tokens[k].text) <= _ABBREVIATION_LENGTH:
        end += 1  # «1 кг. 946,5 гр.»: the unit's abbreviation stop, then the smaller part
    smaller = _number_at(tokens, end, rules) if end < len(tokens) else None
    if smaller is not None:
        rest = _unit_after(tokens, smaller[1], rules)
        if rest is not None and rest[0] == "mass" and isinstance(rest[1], float) and rest[1] < factor:
            grams += smaller[0] * rest[1]
            return grams, rest[2], rest[2] + 1, rest[1]
    return grams, k, end, factor


_ABBREVIATION_LENGTH = 3
"""A unit of at most this many letters followed by a full stop is an abbreviation («кг.», «гр.»)."""


def _full_stop(tokens: Sequence[Token], j: int) -> bool:
    return j < len(tokens) and tokens[j].kind == "stop" and tokens[j].text == "."


def _not_an_amount(tokens: Sequence[Token], i: int, rules: FactRules, text: str) -> bool:
    """A price («$2,300»), a sum, a year or a capacity («до 100 кг», "up to 30 kg"): the words
    just before the number, within its clause."""
    if "$" in text[max(0, tokens[i].start - 2) : tokens[i].start]:
        return True
    before: list[str] = []
    for token in reversed(tokens[max(0, i - 5) : i]):
        if token.text in _QUOTES:
            continue  # «стоимость на "черном рынке" 1 грамма»: quotes do not end the clause
        if token.kind != "word" or len(before) == _NOT_AMOUNT_REACH:
            break
        before.insert(0, token.text.lower())
    return phrase_at(before, rules.not_amount_before, end=True)


_QUOTES = frozenset('«»"')
_NOT_AMOUNT_REACH = 3
"""Words read before a number for what makes it not an amount."""


_RATE_REACH = 3
_RATE_WORD_REACH = 6
"""Words before the number within which a word of ``rate_before`` makes it a rate («Еженедельно
наркодельцы изготовляли и сбывали почти 300 г»)."""


def _a_rate(tokens: Sequence[Token], first: int, unit: int, rules: FactRules) -> bool:
    """A rate, not an amount seized: «ежесуточно производили 4 кг», «четыре килограмма в сутки»,
    "30 kilograms per day" (a word of ``rate_before`` within six words before the number in its
    clause, or a phrase of ``rate_after`` right after the unit or after one word: «100 кг наркотиков
    в месяц»)."""
    before: list[str] = []
    for token in reversed(tokens[max(0, first - _RATE_WORD_REACH) : first]):
        if token.kind == "stop":
            break
        before.append(token.text.lower())
    after: list[str] = []
    for token in tokens[unit + 1 : unit + 2 + _RATE_REACH]:
        if token.kind == "stop":
            break
        after.append(token.text.lower())
    return bool(rules.rate_before & set(before)) or any(
        phrase_at(after[skip:], rules.rate_after, end=False) for skip in (0, 1)
    )


_CARGO_REACH = 5
"""Tokens read after an amount's last unit for the goods it is the mass of."""


def _cargo(tokens: Sequence[Token], unit: int, rules: FactRules) -> bool:
    """The amount is of the goods the drugs were hidden in («19 tons of fruit», «28 тонн клея», uz
    «21 tonna 649 kg paxta tolasi»): a phrase of ``cargo_after`` right after its last unit."""
    after = [t.text.lower() for t in tokens[unit + 1 : unit + 1 + _CARGO_REACH] if t.kind == "word"]
    return phrase_at(after, rules.cargo_after, end=False)


def _span(text: str, tokens: Sequence[Token], first: int, last: int) -> Span:
    start, end = tokens[first].start, tokens[last].end
    return Span(start, end, text[start:end])
