"""What a story says of the case: how many were detained, the operation's name and the articles
of the criminal code."""

from __future__ import annotations

import re

from core.facts import Mention, Span
from pipeline.facts.quantities import tokens_of
from pipeline.facts.rules import FactRules
from pipeline.textutil import tokenize

_QUOTED = re.compile(r"[«\"“„]([^«»\"“”„\n]{2,100})[»\"”“]")
_ARTICLE_RU = re.compile(
    r"(?:\bч(?:асти|\.)?\s*\d+\s*)?"
    r"\bст(?:атьи|атье|атьей|атья|атью|атьям|атьями|\.)?\s*"
    r"(?P<number>\d{2,3}(?:-\d)?(?:\.\d{1,2})?)(?![\d.]*\d)"
)
_ARTICLE_KK_KY = re.compile(
    r"(?P<number>\d{2,3}(?:-\d)?(?:\.\d{1,2})?)-(?:баб|берене|статья)\w*", re.IGNORECASE
)
_ARTICLE_TG = re.compile(r"\bмоддаи\s+(?P<number>\d{2,3}(?:-\d)?(?:\.\d{1,2})?)")
_ARTICLE_EN = re.compile(
    r"\b[Aa]rticles?\s+(?P<number>\d{2,3}(?:-\d)?(?:\.\d{1,2})?)"
    r"(?:[^.]{0,60}?\bCriminal Code(?:\s+of(?:\s+the)?\s+(?P<country>[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)))?"
)
_CODE_WINDOW = 60


def find_legal_articles(text: str, country: str | None, rules: FactRules) -> list[Mention]:
    """Criminal-code articles cited, as ``<number> <code>``; an article of the administrative code
    is left out, one cited without a code takes the reporting country's."""
    found: dict[str, Mention] = {}
    for pattern in (_ARTICLE_RU, _ARTICLE_KK_KY, _ARTICLE_TG):
        for match in pattern.finditer(text):
            after = text[match.end() : match.end() + _CODE_WINDOW]
            before = text[max(0, match.start() - _CODE_WINDOW) : match.start()]
            if any(word in after[:25] for word in rules.not_criminal):
                continue
            code = (
                _code_in(after, rules) or _code_in(before, rules, last=True) or _country_code(country, rules)
            )
            if code is None:
                continue
            value = f"{match.group('number')} {code}"
            found.setdefault(value, Mention(value, _span(text, match.start(), match.end())))
    for match in _ARTICLE_EN.finditer(text):
        named = (match.group("country") or "").lower()
        code = rules.en_codes.get(named) or _country_code(country, rules)
        if code is not None:
            value = f"{match.group('number')} {code}"
            found.setdefault(value, Mention(value, _span(text, match.start(), match.end())))
    return sorted(found.values(), key=lambda m: m.span.start)


def _code_in(window: str, rules: FactRules, *, last: bool = False) -> str | None:
    hits = [(m.start(), code) for pattern, code in rules.code_names for m in pattern.finditer(window)]
    if not hits:
        return None
    return (max(hits) if last else min(hits))[1]


def _country_code(country: str | None, rules: FactRules) -> str | None:
    return rules.country_codes.get(country or "")


def find_operation(text: str, rules: FactRules) -> Mention | None:
    """A quoted name right after an operation word («ОПМ «Мак-2024»», "Operation «Kanal»"), or right
    before one in kk/ky/tg («Көкнәр» операциясы), or "Operation Name" in English."""
    for match in _QUOTED.finditer(text):
        name = match.group(1).strip()
        if len(name) > rules.max_operation_chars:
            continue
        before = tokenize(text[max(0, match.start() - 40) : match.start()])
        after = tokenize(text[match.end() : match.end() + 30])
        if (before and rules.operation_cue.matches(before[-1])) or (
            after and rules.operation_cue.matches(after[0])
        ):
            return Mention(name, _span(text, match.start(), match.end()))
    english = re.search(r"\b[Oo]peration\s+(?P<name>[A-Z][\w-]+(?:\s+[A-Z][\w-]+)?)", text)
    if english:
        return Mention(english.group("name"), _span(text, english.start(), english.end()))
    return None


def find_detained(text: str, rules: FactRules) -> tuple[int, Span] | None:
    """How many people the first report of a detention names: a number near the verb («задержали
    двух мужчин», «трое ... задержаны»), else one for a singular verb («задержан», "was arrested")
    or a person in the singular beside it («задержали жителя»); None when no one is reported
    detained or the number is not said."""
    words = tokenize(text)
    for hit in rules.detain_verbs.find(words):
        verb_first, verb_last = words[hit.first], words[hit.last]
        sentence_start = max(text.rfind(".", 0, verb_first.start), text.rfind("\n", 0, verb_first.start)) + 1
        sentence_end = _sentence_end(text, verb_last.end)
        window_start = words[max(0, hit.first - rules.detained_window)].start
        window_end = words[min(len(words) - 1, hit.last + rules.detained_window)].end
        start, end = max(window_start, sentence_start), min(window_end, sentence_end)
        count = _count_in(text[start:end], rules)
        if count is not None:
            return count, _span(text, start, end)
        around = [
            w
            for w in words[max(0, hit.first - 3) : hit.last + 4]
            if sentence_start <= w.start and w.end <= sentence_end
        ]
        previous = words[hit.first - 1].lower if hit.first else ""
        if (
            verb_first.lower in rules.singular_verbs
            or previous in ("was", "был", "была")
            or any(w.lower in rules.one_person for w in around)
        ):
            return 1, _span(
                text,
                around[0].start if around else verb_first.start,
                around[-1].end if around else verb_last.end,
            )
    return None


def _sentence_end(text: str, position: int) -> int:
    ends = [i for i in (text.find(".", position), text.find("\n", position)) if i != -1]
    return min(ends) if ends else len(text)


def _count_in(window: str, rules: FactRules) -> int | None:
    """A number of people in the window: a number word or digits followed (within two words) by a
    person noun or standing alone before «человек»; not an amount, age or year."""
    tokens = [t for t in tokens_of(window) if t.kind != "stop"]
    for i, token in enumerate(tokens):
        value = rules.numbers.get(token.text) if token.kind == "word" else None
        if token.kind == "number" and token.text.isdigit() and int(token.text) < 1000:
            value = int(token.text)
        if not isinstance(value, int | float) or value < 1 or value != int(value):
            continue
        following = tokens[i + 1 : i + 3]
        if any(rules.grams.get(t.text) or rules.counts.get(t.text) for t in following):
            continue  # an amount of drugs
        if any(t.text.lower().startswith(("лет", "год", "year", "жас", "сол")) for t in following):
            continue  # an age or a year
        person = [t for t in following if t.kind == "word"]
        people_word = any(
            t.text.lower().startswith(
                ("человек", "лиц", "граждан", "people", "persons", "adam", "адам", "нафар")
            )
            for t in person
        )
        if people_word or any(_is_person(t.text, rules) for t in person) or token.kind == "word":
            return int(value)
    return None


def _is_person(word: str, rules: FactRules) -> bool:
    return word.lower() in rules.one_person


def _span(text: str, start: int, end: int) -> Span:
    return Span(start, end, text[start:end])
