"""What a story says of the case: the operation's name and the articles of the criminal code (the
number detained: :mod:`pipeline.facts.detained`)."""

from __future__ import annotations

import re

from core.facts import Mention, Span
from pipeline.facts.rules import FactRules
from pipeline.textutil import Token, tokenize

_QUOTED = re.compile(r"(?=[«\"“„]([^«»\"“”„\n]{2,100})[»\"”“])")
"""A name in quotes; a lookahead, so that a straight quote closing one quotation («"" reports. The
large-scale operation "») can open the next ("Karasora")."""
_ENGLISH_OPERATION = re.compile(
    r"\b[Oo]peration\s+(?:(?:called|named|dubbed|codenamed|code-named)\s+)?"
    r"(?P<name>[A-Z][\w-]+(?:\s+[A-Z][\w-]+)?)"
)
_ARTICLE_RU = re.compile(
    r"(?:\bч(?:асти|\.)?\s*\d+\s*)?"
    r"\b[Сс]т(?:атьи|атье|атьей|атья|атью|атьям|атьями|\.)?\s*"
    r"(?P<number>\d{2,3}(?:-\d)?(?:\.\d{1,2})?)(?![\d.]*\d)"
)
_ARTICLE_KK_KY = re.compile(
    r"(?P<number>\d{2,3}(?:-\d)?(?:\.\d{1,2})?)-(?:баб|бап|берене|статья|bab|bap|modda|модда)\w*",
    re.IGNORECASE,
)
"""kk «297-бабы», «QR QK 297-babynyń», ky «283-беренеси», uz «273-moddasi», «273-моддаси»."""
_LISTED_BEFORE = re.compile(
    r"(?:(?<![\w.-])\d{2,3}(?:\.\d{1,2})?\s*(?:,|\bва\b|\bva\b|\bи\b|\bжәне\b|\bжана\b)\s*)+$"
)
"""Articles listed before the one that names the article («QR QK 250, 259-baptarymen», «JKning
270-moddasi, 1-qismi va 25, 273-moddasi»)."""
_ARTICLE_TG = re.compile(r"\bмоддаи\s+(?P<number>\d{2,3}(?:-\d)?(?:\.\d{1,2})?)")
_ARTICLE_EN = re.compile(
    r"\b[Aa]rticles?\s+(?P<number>\d{2,3}(?:-\d)?(?:\.\d{1,2})?)"
    r"(?:[^.]{0,60}?\bCriminal Code(?:\s+of(?:\s+the)?\s+(?P<country>[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)))?"
)
_CODE_WINDOW = 60
_PROCEDURE_WINDOW = 40
"""Characters before an article within which a procedure code named makes it not the criminal
code's («Жазык проццестик кодексинин 98-беренесине»)."""
OPERATION_BETWEEN = 3


def find_legal_articles(text: str, country: str | None, rules: FactRules) -> list[Mention]:
    """Criminal-code articles cited, as ``<number> <code>``; an article of the administrative code
    is left out, one cited without a code takes the reporting country's."""
    found: dict[str, Mention] = {}
    for pattern in (_ARTICLE_RU, _ARTICLE_KK_KY, _ARTICLE_TG):
        for match in pattern.finditer(text):
            after = text[match.end() : match.end() + _CODE_WINDOW]
            before = text[max(0, match.start() - _CODE_WINDOW) : match.start()]
            if any(word in after[:25] for word in rules.not_criminal) or any(
                word in before[-_PROCEDURE_WINDOW:] for word in rules.not_criminal_before
            ):
                continue
            code = (
                _code_in(after, rules) or _code_in(before, rules, last=True) or _country_code(country, rules)
            )
            if code is None:
                continue
            listed = _LISTED_BEFORE.search(before)
            numbers = re.findall(r"\d{2,3}(?:\.\d{1,2})?", listed.group()) if listed else []
            for number in [*numbers, match.group("number")]:
                value = f"{number} {code}"
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
    """A quoted name right after an operation word («ОПМ «Мак-2024»», "Operation «Kanal»"), or
    before one in kk/ky/tg/uz, perhaps past a few words that describe it («Қарасора – 2024»
    жедел-профилактикалық іс-шарасы, «Qoradori» keng ko'lamli tadbirlari), or "Operation Name"
    ("operation called Karasora") in English. The first name found, unless a later one is the same
    name with its year («операция «Мак»» in the headline, «операция «Мак-2020»» in the body)."""
    found: list[Mention] = []
    for match in _QUOTED.finditer(text):
        name = match.group(1).strip()
        if len(name) > rules.max_operation_chars:
            continue
        start, end = match.start(), match.end(1) + 1
        before = tokenize(text[max(0, start - 40) : start])
        after = tokenize(text[end : end + 60])
        if (before and rules.operation_cue.matches(before[-1])) or _cue_after(after, rules):
            found.append(Mention(name, _span(text, start, end)))
    if found:
        first = found[0]
        return next((m for m in found if _with_its_year(first.value, m.value)), first)
    english = _ENGLISH_OPERATION.search(text)
    if english:
        return Mention(english.group("name"), _span(text, english.start(), english.end()))
    return None


_YEAR_AFTER = re.compile(r"^\s*[–—-]?\s*(?:19|20)\d\d$")


def _with_its_year(name: str, fuller: str) -> bool:
    """``fuller`` is ``name`` with a year after it («Мак» → «Мак-2020», «Қарасора» → «Қарасора – 2024»)."""
    return fuller.lower().startswith(name.lower()) and bool(_YEAR_AFTER.match(fuller[len(name) :]))


def _cue_after(after: list[Token], rules: FactRules) -> bool:
    """An operation word after the quoted name, past at most ``OPERATION_BETWEEN`` words of
    :attr:`FactRules.operation_between` («жедел алдын алу іс-шарасы», «tezkor tadbiri»)."""
    for word in after[: OPERATION_BETWEEN + 1]:
        if rules.operation_cue.matches(word):
            return True
        if not rules.operation_between.matches(word):
            return False
    return False


def _span(text: str, start: int, end: int) -> Span:
    return Span(start, end, text[start:end])
