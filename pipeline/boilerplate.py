"""Boilerplate-free article texts: the rules of ``config/boilerplate.toml`` applied (pure, no I/O).

Four steps, each a function here:

* :func:`drop_elements` removes a source's chrome (share bars, widgets, copyright notices,
  related news) from the parsed page before trafilatura reads it; the extract stage calls it with
  the source's selectors.
* :func:`clean_text` drops the lines of an extracted text that are page chrome by the generic
  rules: calendar widgets, lines that are only link labels, social-network names, separators or
  a date, lines holding a known chrome phrase; a table row that ends in share links keeps its
  text cells. :func:`is_junk_line` is the same decision for one line (the release check and
  ``make eval`` count junk lines with it).
* :func:`paragraph_fingerprints` and :func:`drop_paragraphs`: site-wide paragraphs. Storage counts
  on how many distinct articles of a source each paragraph appears (across runs); a paragraph on
  enough of them (:func:`is_site_wide`) is boilerplate and is dropped.
* :func:`split_signature`: the press-service signature that closes a text. It stays in the stored
  text; :mod:`pipeline.cluster` leaves it out of the near-duplicate shingles, so two unrelated
  short items of one press service do not look alike.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from functools import cache

from lxml.html import HtmlElement

from config import config_dir
from config.boilerplate import BoilerplateFile, load_boilerplate
from pipeline.textutil import collapse_spaces, normalise, normalised_words

_DATE_LINE = re.compile(
    r"(\d{1,2}[./]\d{1,2}[./]\d{2,4}|\d{4}-\d{2}-\d{2})(,?\s*\d{1,2}:\d{2}(:\d{2})?)?"
    r"|(сегодня|вчера|today|yesterday),?\s*\d{1,2}:\d{2}",
    re.IGNORECASE,
)
"""A line that is a date (and time) alone: the article's date as the page prints it."""
_EDGE_PUNCTUATION = " \t:：…»«\"'()[]"


@dataclass(frozen=True, slots=True)
class TextRules:
    """The generic rules, compiled once."""

    labels: frozenset[str]
    """Social-network names and link labels, casefolded."""
    label_run: re.Pattern[str]
    """Any of the labels, longest first, as whole words (a row of them is one run of text)."""
    phrases: tuple[str, ...]
    """Chrome phrases, casefolded, spaces collapsed."""
    weekdays: tuple[frozenset[str], ...]
    min_weekdays: int
    separators: frozenset[str]
    cell_separator: str
    signature: tuple[re.Pattern[str], ...]
    signature_lines: int
    min_paragraph_chars: int
    min_articles: int
    min_share: float


def compile_rules(data: BoilerplateFile) -> TextRules:
    text = data.text
    labels = frozenset(_key(label) for label in [*text.social_networks, *text.link_labels])
    alternation = "|".join(re.escape(label) for label in sorted(labels, key=len, reverse=True))
    return TextRules(
        labels=labels,
        label_run=re.compile(rf"(?<![^\W_])(?:{alternation})(?![^\W_])" if labels else r"(?!x)x"),
        phrases=tuple(_key(phrase) for phrase in text.phrases),
        weekdays=tuple(frozenset(_key(day) for day in days) for days in text.weekdays),
        min_weekdays=text.calendar_min_weekdays,
        separators=frozenset(text.separator_chars),
        cell_separator=text.cell_separator,
        signature=tuple(re.compile(pattern, re.IGNORECASE) for pattern in data.signature.patterns),
        signature_lines=data.signature.max_lines,
        min_paragraph_chars=data.repeated.min_chars,
        min_articles=data.repeated.min_articles,
        min_share=data.repeated.min_share,
    )


@cache
def _rules(directory: str) -> TextRules:
    return compile_rules(load_boilerplate())


def text_rules() -> TextRules:
    """The compiled rules of the current configuration folder (cached per folder)."""
    return _rules(str(config_dir()))


def source_selectors(source_id: str | None) -> tuple[str, ...]:
    """The CSS selectors of chrome to drop from a page of ``source_id`` (generic ones included)."""
    return load_boilerplate().drop_selectors(source_id)


def _key(value: str) -> str:
    return collapse_spaces(normalise(value)).strip(_EDGE_PUNCTUATION).casefold()


# --- before extraction ----------------------------------------------------------------------------


@cache
def css_xpath(selector: str) -> str:
    """The XPath of a CSS selector (translated once per selector)."""
    from cssselect import GenericTranslator

    return GenericTranslator().css_to_xpath(selector)


def drop_elements(tree: HtmlElement, selectors: Iterable[str]) -> int:
    """Remove the elements matching any of ``selectors`` (CSS) from ``tree``, keeping the text
    that follows each (its tail); returns how many were removed."""
    removed = 0
    for selector in selectors:
        for element in tree.xpath(css_xpath(selector)):
            if isinstance(element, HtmlElement) and element.getparent() is not None:
                element.drop_tree()
                removed += 1
    return removed


# --- after extraction -----------------------------------------------------------------------------


def _cells(line: str, rules: TextRules) -> list[str]:
    return [cell.strip() for cell in line.split(rules.cell_separator)]


def _is_separator(cell: str, rules: TextRules) -> bool:
    return all(char in rules.separators for char in "".join(cell.split()))


def _is_label(cell: str, rules: TextRules) -> bool:
    """A cell that is a label, or a run of labels and separators (``Поделиться: ВКонтакте ОК``)."""
    key = _key(cell)
    if key in rules.labels:
        return True
    rest = rules.label_run.sub(" ", key)
    return rest != key and _is_separator(rest, rules)


def _weekday_count(cells: Sequence[str], rules: TextRules) -> int:
    keys = [_key(cell) for cell in cells]
    return max((sum(1 for key in keys if key in days) for days in rules.weekdays), default=0)


def _is_calendar(cells: Sequence[str], rules: TextRules) -> bool:
    """A weekday header (enough weekday names, nothing but weekdays and separators) or a row of
    consecutive day numbers."""
    filled = [cell for cell in cells if cell and not _is_separator(cell, rules)]
    if not filled:
        return False
    weekdays = _weekday_count(filled, rules)
    if weekdays >= rules.min_weekdays and weekdays == len(filled):
        return True
    if len(filled) >= 3 and all(cell.isdigit() for cell in filled):
        days = [int(cell) for cell in filled]
        consecutive = all(b == a + 1 for a, b in zip(days, days[1:], strict=False))
        return consecutive and 1 <= days[0] and days[-1] <= 31
    return False


def _is_chrome_cell(cell: str, rules: TextRules) -> bool:
    """An empty cell, a separator, a label or a weekday name (a calendar's header cell)."""
    if not cell or _is_separator(cell, rules) or _is_label(cell, rules):
        return True
    key = _key(cell)
    return any(key in days for days in rules.weekdays)


def is_junk_line(line: str, rules: TextRules | None = None) -> bool:
    """Whether a line of text is page chrome, by the generic rules alone."""
    rules = rules or text_rules()
    text = collapse_spaces(normalise(line))
    if not text:
        return False
    folded = text.casefold()
    if any(phrase in folded for phrase in rules.phrases):
        return True
    if _DATE_LINE.fullmatch(text.strip(_EDGE_PUNCTUATION)):
        return True
    cells = _cells(text, rules)
    return _is_calendar(cells, rules) or all(_is_chrome_cell(cell, rules) for cell in cells)


def _trim_row(line: str, rules: TextRules) -> str:
    """A table row whose last cells are chrome (``Signature | ОК | Telegram``) without them."""
    if rules.cell_separator not in line:
        return line
    cells = _cells(line, rules)
    while len(cells) > 1 and _is_chrome_cell(cells[-1], rules):
        cells.pop()
    while len(cells) > 1 and _is_chrome_cell(cells[0], rules):
        cells.pop(0)
    return f" {rules.cell_separator} ".join(cells)


def clean_text(text: str, rules: TextRules | None = None) -> str:
    """``text`` without the lines that are chrome; blank lines collapse to one."""
    rules = rules or text_rules()
    kept: list[str] = []
    for raw in text.splitlines():
        if not raw.strip():
            if kept and kept[-1]:
                kept.append("")
            continue
        if is_junk_line(raw, rules):
            continue
        line = _trim_row(raw.rstrip(), rules)
        if is_junk_line(line, rules):
            continue
        kept.append(line)
    return "\n".join(kept).strip()


def junk_lines(text: str, rules: TextRules | None = None) -> list[str]:
    """The lines of ``text`` that :func:`is_junk_line` calls chrome (for counting)."""
    rules = rules or text_rules()
    return [line for line in text.splitlines() if line.strip() and is_junk_line(line, rules)]


# --- the signature ----------------------------------------------------------------------------------


def is_signature(line: str, rules: TextRules | None = None) -> bool:
    rules = rules or text_rules()
    text = collapse_spaces(normalise(line)).strip(_EDGE_PUNCTUATION)
    return bool(text) and any(pattern.fullmatch(text) for pattern in rules.signature)


def split_signature(text: str, rules: TextRules | None = None) -> tuple[str, str]:
    """``(body, signature)``: the closing lines (at most ``max_lines``) that are a press-service
    signature, and the text before them. A text that is a signature alone keeps it as body."""
    rules = rules or text_rules()
    lines = text.rstrip().splitlines()
    cut = len(lines)
    taken = 0
    while cut > 0 and taken < rules.signature_lines:
        line = lines[cut - 1]
        if not line.strip():
            cut -= 1
            continue
        if not is_signature(line, rules):
            break
        cut -= 1
        taken += 1
    body = "\n".join(lines[:cut]).rstrip()
    if not taken or not body.strip():
        return text, ""
    return body, "\n".join(line for line in lines[cut:] if line.strip())


def without_signature(text: str, rules: TextRules | None = None) -> str:
    """What near-duplicate detection compares: the text without its closing signature."""
    return split_signature(text, rules)[0]


# --- site-wide paragraphs ---------------------------------------------------------------------------


def fingerprint(paragraph: str) -> int:
    """A signed 64-bit key of a paragraph's words (case, punctuation and spacing ignored)."""
    words = " ".join(normalised_words(paragraph))
    return int.from_bytes(hashlib.blake2b(words.encode("utf-8"), digest_size=8).digest(), "big", signed=True)


def paragraph_fingerprints(text: str, rules: TextRules | None = None) -> set[int]:
    """The fingerprints of the paragraphs (lines) of ``text`` that may be site-wide boilerplate:
    long enough (``[repeated] min_chars``) and not the signature (which is kept)."""
    rules = rules or text_rules()
    found = set()
    for line in text.splitlines():
        text_line = line.strip()
        if len(text_line) >= rules.min_paragraph_chars and not is_signature(text_line, rules):
            found.add(fingerprint(text_line))
    return found


def is_site_wide(article_count: int, source_articles: int, rules: TextRules | None = None) -> bool:
    """Whether a paragraph on ``article_count`` distinct stored articles of a source that has
    ``source_articles`` stored articles is boilerplate: on enough of them (``min_articles``) and on
    a large share of them (``min_share``), as a template's notice is and an article's own sentence,
    however standard, is not."""
    rules = rules or text_rules()
    return article_count >= rules.min_articles and article_count >= rules.min_share * source_articles


def drop_paragraphs(text: str, site_wide: Collection[int]) -> str:
    """``text`` without its paragraphs whose fingerprint is in ``site_wide``; never empty: a text
    made of such paragraphs alone is kept as it is."""
    if not site_wide:
        return text
    kept = [
        line for line in text.splitlines() if not line.strip() or fingerprint(line.strip()) not in site_wide
    ]
    cleaned = re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip()
    return cleaned or text
