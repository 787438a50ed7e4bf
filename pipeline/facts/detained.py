"""How many people a story reports detained in its own event (issue #19, field ``detained``).

Each report of a detention (a verb of ``config/facts.toml`` ``[detained]`` in a sentence of the
main event) is read for how many it names: a number near the verb («задержаны двое», "three
individuals were apprehended", «3 nafar … qo'lga olindi»), a list of ages or years of birth («в
возрасте 53, 50 и 39 лет», «1990, 1996, 1980 va 1981-yillarda tug'ilgan»), a pair («супружескую
пару», «ҳар иккиси»), else one person in the singular («задержан 28-летний мужчина», "a man was
arrested", «жаранды кармаган»). The story's number is then the first report's, plus the reports of
further people (a sentence opening «В другом случае», "In another incident", «Яна бир ҳолатда»; a
person of another age, "a 48-year-old Kazakh citizen was detained"), unless a stated total is larger
(«Все трое задержанных», «Ұсталған 11 адамның»). A headline's report counts only when the body
reports none; «задержанный» (the detainee, told again) only when nothing else gives a number.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from core.facts import Span
from pipeline.facts.mainevent import MainEvent, Sentence
from pipeline.facts.phrases import phrase_at, phrase_in, words_of
from pipeline.facts.quantities import Token as Piece
from pipeline.facts.quantities import tokens_of
from pipeline.facts.rules import DetainRules, FactRules
from pipeline.textutil import Token, tokenize

FIELD = "detained"
MARKED_PLURAL = ("ru", "en")
"""Languages whose verbs say whether one or more were detained («задержан», «задержаны»)."""
MAX_DIGITS = 1000
"""Digits from here on are a year or an amount, not people («1992 yilda»)."""
_AGE_LIST = re.compile(
    r"(?<![\d.,])(\d{1,4})(?:-\w{1,3})?(?:\s*(?:,|\bи\b|\bva\b|\bва\b|\band\b|\bжана\b|\bжәне\b|\bмен\b)\s*"
    r"(\d{1,4})(?:-\w{1,3})?)+(?=[\s-])"
)
_HEADLINE_END = re.compile(r"[.!?…»\"”)]\s*$")


@dataclass(frozen=True, slots=True)
class _Report:
    count: int | None
    span: Span
    sentence: Sentence
    ages: frozenset[str]
    headline: bool
    detainee: bool
    total: bool
    another: bool
    further: bool
    particular: bool


def find_detained(text: str, facts: FactRules, event: MainEvent) -> tuple[int, Span] | None:
    """The number detained in the story's own event and the words that state it (the first
    report's), or None when no one is reported detained or the number is not said."""
    reports = _reports(text, facts, event)
    body = [r for r in reports if not r.headline and not r.detainee and r.count is not None]
    counted = body or [r for r in reports if not r.detainee and r.count is not None]
    if not counted:
        counted = [r for r in reports if r.count is not None]
        return (1, counted[0].span) if counted else None
    first = counted[0]
    if any(r.particular and r.span.start > first.span.start for r in reports):
        counted = [first, *(r for r in counted[1:] if r.total)]  # «In particular, …»: parts of the first
    number = first.count or 0
    seen_ages = set(first.ages)
    largest = 0
    for report in counted[1:]:
        count = report.count or 0
        if report.total:
            largest = max(largest, count)
        elif report.sentence != first.sentence and _further_people(report, first, seen_ages, facts.detained):
            number += count
        elif count > 1:
            largest = max(largest, count)  # «были задержаны два соучастника» after «задержан»: at least two
        seen_ages |= report.ages
    return max(number, largest), first.span


def _further_people(report: _Report, first: _Report, seen_ages: set[str], rules: DetainRules) -> bool:
    """A report of people besides those reported first: in a sentence opening «В другом случае»,
    with a word of :attr:`DetainRules.further` («второй», «боқимонда»), or (after a group) a person
    of an age not named before ("a 48-year-old Kazakh citizen was detained")."""
    if report.another or report.further:
        return True
    return (first.count or 0) > 1 and bool(report.ages) and not report.ages & seen_ages


def _reports(text: str, facts: FactRules, event: MainEvent) -> list[_Report]:
    rules = facts.detained
    words = tokenize(text)
    found: list[_Report] = []
    seen: set[int] = set()
    for hit in rules.verbs.find(words):
        position = words[hit.first].start
        sentence = event.sentence_at(position)
        if hit.first in seen or sentence is None or not event.counts(FIELD, position):
            continue
        seen.add(hit.first)
        first = _within(words, hit.first - rules.window, sentence, forward=True)
        last = _clause_end(
            text, words, hit.last, _within(words, hit.last + rules.window_after, sentence, forward=False)
        )
        before = [w.lower for w in words[max(first, hit.first - 3) : hit.first]]
        after = [w.lower for w in words[hit.last + 1 : min(last, hit.last + 2) + 1]]
        if phrase_in(before, rules.negation) or phrase_at(after, rules.negation, end=False):
            continue
        window = words[first : last + 1]
        lower = [w.lower for w in window]
        count, total = _count(text, window, facts, sentence.start)
        people = any(_person(w, rules) for w in lower)
        beside = [w.lower for w in words[first : min(last, hit.last + 3) + 1]]
        if count is None and not people and phrase_in(beside, rules.things):
            continue  # «партия героина … задержана», "the truck was detained"
        if count is None:
            count = _one(words, hit.first, hit.last, window, facts)
        start, end = window[0].start, window[-1].end
        opening = words_of(text[sentence.start : sentence.end])[:5]
        found.append(
            _Report(
                count=count,
                span=Span(start, end, text[start:end]),
                sentence=sentence,
                ages=frozenset(_ages(text[sentence.start : end], rules)),
                headline=not _HEADLINE_END.search(text[sentence.start : sentence.end]),
                detainee=words[hit.first].lower in rules.detainee,
                total=total,
                another=phrase_at(opening, rules.another, end=False),
                particular=phrase_at(opening, rules.particular, end=False),
                further=phrase_in(lower, rules.further),
            )
        )
    return found


def _clause_end(text: str, words: Sequence[Token], verb: int, last: int) -> int:
    """``last`` moved back to the end of the verb's clause («был задержан, who, at the instructions
    of two citizens»: the two are not the detained)."""
    for index in range(verb + 1, last + 1):
        if any(mark in text[words[index - 1].end : words[index].start] for mark in ",;:"):
            return index - 1
    return last


def _within(words: Sequence[Token], index: int, sentence: Sentence, *, forward: bool) -> int:
    """``index`` moved (forward from before, or back from after) into ``sentence``."""
    index = min(max(index, 0), len(words) - 1)
    if forward:
        while words[index].start < sentence.start:
            index += 1
    else:
        while words[index].end > sentence.end:
            index -= 1
    return index


def _count(
    text: str, window: Sequence[Token], facts: FactRules, sentence_start: int
) -> tuple[int | None, bool]:
    """The number of people the words around the verb name, and whether it is told as a total: a
    number in words («задержаны трое»), digits only before a person word («10 адам»)."""
    rules = facts.detained
    start, end = window[0].start, window[-1].end
    part = text[start:end]
    if phrase_in([w.lower for w in window], rules.pairs):
        return 2, False
    tokens = [t for t in tokens_of(part) if t.kind != "stop"]
    for i, token in enumerate(tokens):
        value = _value(part, token, facts)
        if value is None:
            continue
        following = [t.text.lower() for t in tokens[i + 1 : i + 3]]
        if any(facts.grams.get(w) or facts.counts.get(w) for w in following):
            continue  # an amount of drugs
        if _age_after(following, rules) or phrase_at(following, rules.groups, end=False):
            continue  # an age, a year, «бір топ»
        if token.kind == "number" and not any(_person(w, rules) for w in following):
            continue  # a date, a sum
        preceding = [t.text.lower() for t in tokens[max(0, i - 2) : i]]
        told_total = phrase_at(preceding, rules.total, end=True) or any(
            w.startswith(rules.detainees) for w in [*preceding[-1:], *following[:1]]
        )
        joined = len(preceding) == 2 and preceding[1] in rules.joining and _person(preceding[0], rules)
        return value + int(joined), told_total  # «ұйымдастырушысы мен үш көмекшісі»: 1 + 3
    return _listed_ages(text[sentence_start:end], rules), False


def _value(part: str, token: Piece, facts: FactRules) -> int | None:
    """The whole number a token states (a word, or digits below 1000), not one inside a date or a
    name in quotes («2026-02-07», «девяносто девятой»)."""
    previous = part[token.start - 1 : token.start] if token.start else ""
    if previous in ("-", ".", "/", ":", "«"):
        return None
    if token.kind == "word":
        value = facts.numbers.get(token.text)
    elif token.text.isdigit() and int(token.text) < MAX_DIGITS:
        value = int(token.text)
    else:
        return None
    if not isinstance(value, int | float) or value < 1 or value != int(value):
        return None
    return int(value)


def _person(word: str, rules: DetainRules) -> bool:
    return word.startswith(rules.people_words) or word in rules.one_person


def _age_after(following: Sequence[str], rules: DetainRules) -> bool:
    return bool(following) and (
        following[0].startswith(rules.age_words) or phrase_at(following, rules.born, end=False)
    )


def _one(
    words: Sequence[Token], first: int, last: int, window: Sequence[Token], facts: FactRules
) -> int | None:
    """One person: a singular verb form with no plural (in kk/ky/uz/tg, whose verbs do not mark it)
    or group just before it, a singular person noun or pronoun beside it, "was"/«был» before it."""
    rules = facts.detained
    joined = _joined_people(words, last, rules)
    if joined:
        return joined
    verbs = {words[first].lower, words[last].lower}
    previous = [w.lower for w in words[max(0, first - 2) : first]]
    plural_before = bool(previous) and (
        (facts.language not in MARKED_PLURAL and any(e in previous[-1][1:] for e in rules.plural_endings))
        or phrase_in(previous, rules.groups)
    )
    if verbs & rules.detainee:
        return 1
    if verbs & rules.singular_verbs and not plural_before:
        return 1
    if previous and previous[-1] in ("was", "был", "была"):
        return 1
    if any(w.lower in rules.one_person for w in window):
        return 1
    return None


_JOIN_REACH = 6


def _joined_people(words: Sequence[Token], verb: int, rules: DetainRules) -> int | None:
    """Two people in the singular joined right after the verb: «задержали россиянина и
    кыргызстанца», «задержали жителя Кузбасса и жителя Ленинградской области» (2)."""
    after = [w.lower for w in words[verb + 1 : verb + 1 + _JOIN_REACH]]
    if not after or after[0] not in rules.one_person or after[0] in rules.pronouns:
        return None
    for k, word in enumerate(after[1:], start=1):
        if word in rules.joining:
            return 2 if k + 1 < len(after) and after[k + 1] in rules.one_person - rules.pronouns else None
    return None


def _ages(part: str, rules: DetainRules) -> set[str]:
    """The ages and years of birth named («43-летний», "a 48-year-old", «32 жаштагы», «1992 yilda»)."""
    tokens = [t for t in tokens_of(part) if t.kind != "stop"]
    found: set[str] = set()
    for i, token in enumerate(tokens):
        if token.kind != "number":
            continue
        digits, _, suffix = token.text.partition("-")
        following = [t.text.lower() for t in tokens[i + 1 : i + 3]]
        if (suffix and suffix.lower().startswith(rules.age_words)) or _age_after(following, rules):
            found.add(digits)
    return found


def _listed_ages(part: str, rules: DetainRules) -> int | None:
    """A list of two or more ages or years of birth: one person each («28-ми и 29-летние»)."""
    for match in _AGE_LIST.finditer(part):
        after = part[match.end() : match.end() + 20].lstrip(" -").lower()
        if after.startswith(rules.age_words) or phrase_at(words_of(after)[:2], rules.born, end=False):
            return len(re.findall(r"\d{1,4}", match.group()))
    return None
