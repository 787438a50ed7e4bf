"""The story's main event: which sentences of a text tell of the seizure the story is about.

A seizure story states more than its own event: the year's statistics («с начала года изъято …»),
an earlier case («Ранее …», «Напомним, …»), background ("Uzbekistan remains a transit point for
heroin"), a photo caption («Опийный мак, архивное фото»), the drugs burned last week. Each
sentence (a line, or a part of one ending in «. », «! », «? ») is given a kind:

* ``event`` — the story's own event (the title, the lead and everything not marked otherwise);
* one of the kinds of ``config/facts.toml`` ``[main_event]``, by its cue words: a sentence
  *opening* with a phrase of ``opening.<kind>`` («Ранее», "Earlier") or holding one of
  ``anywhere.<kind>`` («с начала года», «архивное фото», "# criminal cases": ``#`` is any number).
  A sentence of a kind of ``carry`` passes it on to the rest of its paragraph («Напомним, … .
  Тогда у него изъяли 2 кг …»).

The fact finders then take a field's facts from the sentences whose kind that field does not
skip (``skip.<field>``), and from the whole text when those name none (a story that *is* a
summary of the year states its totals only in "statistics" sentences).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Protocol, TypeVar

from pipeline.facts.phrases import Phrase, phrase_at, phrase_in

EVENT = "event"
SIDEBAR = "sidebar"
"""The kind of the headlines of other news listed beside the story (found by their shape, not by
cue words): a run of at least ``SIDEBAR_LINES`` lines after the lead and the body's first
paragraph, each a headline — a few words
with no full stop at the end — or a short line between («All news», «Invitation for Bids»)."""
SIDEBAR_LINES = 3
_HEADLINE_WORDS = range(3, 26)
_SHORT_LINE_WORDS = 3
_BODY_WORDS = 10
"""A sidebar comes after the story's body has begun: a paragraph of this many words ending a sentence."""
_HEADLINE_END = re.compile(r"[^.!…:;,»\"”)\]\s]\s*$")
_TEASER_END = re.compile(r"(?:…|\.\.\.)\s*(?:Read [Mm]ore|Читать далее|Подробнее|Толығырақ)\s*$")
"""A line that teases another story («… в Одессе установили национальный рекорд… Read More»)."""
_OTHER_NEWS_HEADING = re.compile(
    r"^\s*(?:Check Also|Related(?: News| Articles| Posts| Stories)?|You May Also Like|More News"
    r"|Похожие (?:новости|материалы|статьи)|Другие новости|Новости по теме)\s*:?\s*$",
    re.IGNORECASE,
)
"""A heading alone on its line over the page's list of other stories ("Check Also", «Похожие новости»)."""

_SENTENCE_END = re.compile(r"[.!?…](?=\s)|\n")
_WORD_OR_NUMBER = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*|\d+(?:[.,\s]\d+)*")
_OPENING_WORDS = 6


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int
    end: int
    kind: str
    paragraph: int


@dataclass(frozen=True, slots=True)
class EventCues:
    """The compiled ``[main_event]`` section: cue phrases per kind and the kinds each field skips."""

    opening: Mapping[str, tuple[Phrase, ...]]
    anywhere: Mapping[str, tuple[Phrase, ...]]
    skip: Mapping[str, frozenset[str]]
    never: frozenset[str] = frozenset()
    """Kinds whose facts are left out even when the main event states none (a photo caption)."""
    carry: frozenset[str] = frozenset()
    """Kinds a sentence passes on to the rest of its paragraph («Напомним, …. Тогда …»)."""
    summary: frozenset[str] = frozenset()
    """Kinds that are the story's own event when its title or first sentence is of them (a story
    that *is* a summary of the year: «С начала года изъято более 22 кг наркотиков»)."""


def cue_words(text: str) -> list[str]:
    """The words of ``text`` lower-cased, each number as ``#`` (so a cue «за # месяцев» matches)."""
    return ["#" if w[0].isdigit() else w.lower() for w in _WORD_OR_NUMBER.findall(text)]


def sentences(text: str) -> list[Sentence]:
    """The text cut into sentences (kind ``event``), each with the index of its paragraph (line)."""
    found: list[Sentence] = []
    start, paragraph = 0, 0
    for match in _SENTENCE_END.finditer(text):
        end = match.end()
        if text[start:end].strip():
            found.append(Sentence(start, end, EVENT, paragraph))
        if match.group() == "\n":
            paragraph += 1
        start = end
    if text[start:].strip():
        found.append(Sentence(start, len(text), EVENT, paragraph))
    return found


def sentence_at(cut: Sequence[Sentence], position: int) -> Sentence | None:
    """The sentence of ``cut`` holding ``position`` (None between sentences)."""
    return next((s for s in cut if s.start <= position < s.end), None)


def classify(text: str, cues: EventCues) -> list[Sentence]:
    """Each sentence of ``text`` with its kind (see the module's docstring)."""
    result: list[Sentence] = []
    carried: tuple[int, str] | None = None
    for sentence in sentences(text):
        words = cue_words(text[sentence.start : sentence.end])
        opening = words[:_OPENING_WORDS]
        kind = next(
            (k for k, phrases in cues.opening.items() if phrase_at(opening, phrases, end=False)), None
        ) or next((k for k, phrases in cues.anywhere.items() if phrase_in(words, phrases)), None)
        if kind in cues.carry:
            carried = (sentence.paragraph, kind)
        elif kind is None and carried is not None and carried[0] == sentence.paragraph:
            kind = carried[1]
        result.append(Sentence(sentence.start, sentence.end, kind or EVENT, sentence.paragraph))
    if any(sentence.kind in cues.summary for sentence in _lead(text, result)):  # the story is a summary
        result = [replace(s, kind=EVENT) if s.kind in cues.summary else s for s in result]
    sidebars = _sidebar_paragraphs(text, result)
    return [replace(s, kind=SIDEBAR) if s.paragraph in sidebars and s.kind == EVENT else s for s in result]


def _sidebar_paragraphs(text: str, classified: Sequence[Sentence]) -> set[int]:
    """The paragraphs (lines) that are headlines of other news beside the story (see :data:`SIDEBAR`),
    and from a teaser of another story on (a line ending "… Read More") or a heading over them ("Check
    Also") to the page's end."""
    lines: dict[int, list[Sentence]] = {}
    for sentence in classified:
        lines.setdefault(sentence.paragraph, []).append(sentence)
    lead = {s.paragraph for s in _lead(text, classified)}
    found: set[int] = set()
    run: list[int] = []
    body_started = teasers = False
    for paragraph in [*sorted(lines), -1]:
        parts = lines.get(paragraph, [])
        line = text[parts[0].start : parts[-1].end] if parts else ""
        words = len(line.split())
        if not body_started:  # the site's header before the story is not a sidebar
            body_started = words >= _BODY_WORDS and line.rstrip()[-1:] in '.!»"'
            continue
        teasers = teasers or bool(_TEASER_END.search(line) or _OTHER_NEWS_HEADING.match(line))
        if teasers and paragraph != -1:  # teasers list the other stories after this one, to the page's end
            found.add(paragraph)
            continue
        headline = (
            len(parts) == 1 and words in _HEADLINE_WORDS and bool(_HEADLINE_END.search(line.rstrip("?")))
        )
        if paragraph not in lead and paragraph != -1 and (headline or words < _SHORT_LINE_WORDS):
            if headline:
                run.append(paragraph)
            continue
        if len(run) >= SIDEBAR_LINES:
            found.update(run)
        run = []
    return found


_DATELINE_ONLY = re.compile(r"^\s*(?:date \d{4}-\d{2}-\d{2})?[^a-zа-яёәғқңөұүһіўқҳҷӣӯ]*$")
"""A sentence of a dateline alone («date 2015-08-18 TALDYKORGAN.», «АСТАНА.»): no lower-case word."""


def _lead(text: str, classified: Sequence[Sentence]) -> list[Sentence]:
    """The first sentence (past a dateline alone), and when it is a title (a line of its own with no
    full stop at the end) the body's first sentence too."""
    first = next((s for s in classified if not _DATELINE_ONLY.match(text[s.start : s.end])), None)
    if first is None:
        return []
    following = [s for s in classified if s.paragraph > first.paragraph]
    title = not any(s.paragraph == first.paragraph for s in classified[1:]) and bool(
        _HEADLINE_END.search(text[first.start : first.end].rstrip("?"))
    )
    return [first, following[0]] if title and following else [first]


@dataclass(frozen=True, slots=True)
class MainEvent:
    """The sentences of one text with their kinds, asked by position."""

    sentences: tuple[Sentence, ...]
    skip: Mapping[str, frozenset[str]]
    never: frozenset[str] = frozenset()

    def sentence_at(self, position: int) -> Sentence | None:
        return sentence_at(self.sentences, position)

    def kind_at(self, position: int) -> str:
        sentence = self.sentence_at(position)
        return EVENT if sentence is None else sentence.kind

    def counts(self, field: str, position: int) -> bool:
        """A fact of ``field`` stated at ``position`` belongs to the main event."""
        return self.kind_at(position) not in self.skip.get(field, frozenset())


def main_event(text: str, cues: EventCues) -> MainEvent:
    return MainEvent(tuple(classify(text, cues)), cues.skip, cues.never)


class _Stated(Protocol):
    @property
    def span(self) -> _HasStart: ...


class _HasStart(Protocol):
    @property
    def start(self) -> int: ...


T = TypeVar("T", bound=_Stated)


def of_main_event(event: MainEvent, field: str, facts: Iterable[T]) -> list[T]:
    """The ``facts`` of ``field`` stated in the main event's sentences, or all of them when the
    main event states none (but never those of a kind of :attr:`MainEvent.never` the field skips)."""
    never = event.never & event.skip.get(field, frozenset())
    every = [fact for fact in facts if event.kind_at(fact.span.start) not in never]
    kept = [fact for fact in every if event.counts(field, fact.span.start)]
    return kept or every
