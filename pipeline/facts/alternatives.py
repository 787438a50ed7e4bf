"""The Russian place finders issue #19 names as candidates, measured beside the facts stage.

natasha reads places from Russian text with no word list of ours: slovnet's news NER (its ``LOC``
spans) and an address grammar written with yargy, the rule engine the issue also names. Each is
scored here as the stage is scored (:mod:`pipeline.facts.quality`), on the Russian stories of train
or dev (never the frozen test split), and asked what it would add to the stage:

- **as a finder**: its places, a country alone left out (the guide's "not the country alone");
- **as candidates**: NER's places added to the stage's own before the stage's rules choose
  (:func:`pipeline.facts.places_of`), and how many labelled places the candidates hold at all;
- **as cues** (``--ranker``, :mod:`pipeline.facts.candidate_ranker`): a logistic regression over the
  candidates, trained on train, with and without natasha's syntax (what word each place hangs on).

natasha is a test tool, not a dependency of newsmon: ``make setup`` installs it with the others
(``pip install -e '.[dev]'``). Results and the decision are in ``docs/facts.md``.

    python -m pipeline.facts.alternatives --split dev --ranker
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from core.facts import Mention, Span
from pipeline.country import Gazetteer, load_gazetteer
from pipeline.facts import extract_facts, places_of
from pipeline.facts.candidate_ranker import NatashaReading, Word, train_and_score
from pipeline.facts.mainevent import main_event
from pipeline.facts.mentions import find_places, names_a_country
from pipeline.facts.quality import Score, gold_values, load_split, matches, story_body, written_places
from pipeline.facts.rules import load_rules

LANGUAGE = "ru"
NOT_A_PLACE = frozenset({"страна", "дом", "корпус", "строение", "квартира", "офис", "индекс"})
"""Address parts that name no place of an event: the country, a house, a flat, a postcode."""


class MissingNatasha(RuntimeError):
    """natasha is not installed; the message says how to install it."""


class NatashaReader:
    """natasha's models, loaded once (about a second); each call reads one text."""

    def __init__(self, gazetteer: Gazetteer | None = None) -> None:
        try:
            import natasha  # type: ignore[import-untyped]
        except ImportError as error:
            raise MissingNatasha(
                "natasha is not installed: make setup installs it (pip install -e '.[dev]')"
            ) from error
        embedding = natasha.NewsEmbedding()
        self._natasha = natasha
        self._segmenter = natasha.Segmenter()
        self._ner = natasha.NewsNERTagger(embedding)
        self._syntax = natasha.NewsSyntaxParser(embedding)
        self._morph = natasha.NewsMorphTagger(embedding)
        self._vocabulary = natasha.MorphVocab()
        self._address = natasha.AddrExtractor(self._vocabulary)
        self._gazetteer = gazetteer or load_gazetteer()

    def __call__(self, text: str, *, address: bool = True) -> NatashaReading:
        """``address``: also run the address grammar (yargy's chart parser: most of the time, about
        0.7 s a story)."""
        doc = self._natasha.Doc(text)
        doc.segment(self._segmenter)
        doc.tag_ner(self._ner)
        doc.tag_morph(self._morph)
        doc.parse_syntax(self._syntax)
        locations = tuple(
            _mention(text, span.start, span.stop)
            for span in doc.spans
            if span.type == "LOC" and not names_a_country(span.text, self._gazetteer)
        )
        parts = self._address(text) if address else []
        addresses = tuple(
            _mention(text, match.start, match.stop)
            for match in parts
            if match.fact.type not in NOT_A_PLACE and not names_a_country(match.fact.value, self._gazetteer)
        )
        return NatashaReading(locations, addresses, tuple(self._words(doc)))

    def _words(self, doc: Any) -> list[Word]:
        index = {token.id: i for i, token in enumerate(doc.tokens)}
        words = []
        for token in doc.tokens:
            token.lemmatize(self._vocabulary)
            head = index.get(token.head_id, -1)
            words.append(
                Word(token.start, token.stop, token.lemma or "", token.pos or "", head, token.rel or "")
            )
        return words


def _mention(text: str, start: int, end: int) -> Mention:
    return Mention(text[start:end], Span(start, end, text[start:end]))


def russian(stories: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    return [story for story in stories if story.get("language") == LANGUAGE]


Finder = Callable[[dict[str, Any], str, NatashaReading], Sequence[Mention]]


def _stage(story: dict[str, Any], body: str, reading: NatashaReading) -> Sequence[Mention]:
    return extract_facts(story["text"], title=story.get("title") or "", language=LANGUAGE).places


def _ner(story: dict[str, Any], body: str, reading: NatashaReading) -> Sequence[Mention]:
    return reading.locations


def _address(story: dict[str, Any], body: str, reading: NatashaReading) -> Sequence[Mention]:
    return reading.address


def _stage_with_ner(story: dict[str, Any], body: str, reading: NatashaReading) -> Sequence[Mention]:
    rules = load_rules().for_language(LANGUAGE)
    return places_of(body, rules, main_event(body, rules.main_event), added=reading.locations)


FINDERS: tuple[tuple[str, Finder], ...] = (
    ("the facts stage (its rules and gazetteer)", _stage),
    ("natasha NER, LOC spans", _ner),
    ("natasha address grammar (yargy)", _address),
    ("the stage's rules over its candidates and NER's", _stage_with_ner),
)


def score_finder(
    finder: Finder, stories: Sequence[dict[str, Any]], readings: Sequence[NatashaReading]
) -> Score:
    score = Score()
    same = matches("places")
    for story, reading in zip(stories, readings, strict=True):
        found = finder(story, story_body(story), reading)
        score.add(story["id"], gold_values(story, "places"), written_places(found, LANGUAGE), same)
    return score


def candidate_recall(
    stories: Sequence[dict[str, Any]], readings: Sequence[NatashaReading], *, with_ner: bool
) -> float:
    """The share of labelled places that some candidate names: what any choice among them can reach."""
    rules = load_rules().for_language(LANGUAGE)
    same = matches("places")
    found = labelled = 0
    for story, reading in zip(stories, readings, strict=True):
        candidates = find_places(story_body(story), not_places=rules.not_places)
        if with_ner:
            candidates += reading.locations
        written = written_places(candidates, LANGUAGE)
        gold = gold_values(story, "places")
        labelled += len(gold)
        found += sum(1 for place in gold if any(same(place, w) for w in written))
    return found / labelled if labelled else 1.0


def report(split: str, *, ranker: bool = False) -> str:
    reader = NatashaReader()
    stories = russian(load_split(split))
    readings = [reader(story_body(story)) for story in stories]
    lines = [
        f"Places in the {len(stories)} Russian stories of the {split} split of corpus/facts",
        "",
        "| finder | precision | recall |",
        "|---|---|---|",
    ]
    for name, finder in FINDERS:
        score = score_finder(finder, stories, readings)
        lines.append(f"| {name} | {score.precision:.3f} | {score.recall:.3f} |")
    if ranker:
        lines += _ranker_rows(stories, readings, reader)
    lines += [
        "",
        "Labelled places that some candidate names (the most any choice among them can find):",
        f"- the stage's candidates: {candidate_recall(stories, readings, with_ner=False):.3f}",
        f"- and natasha NER's: {candidate_recall(stories, readings, with_ner=True):.3f}",
    ]
    return "\n".join(lines)


def _ranker_rows(
    stories: Sequence[dict[str, Any]], readings: Sequence[NatashaReading], reader: NatashaReader
) -> list[str]:
    training = russian(load_split("train"))
    training_readings = [reader(story_body(story), address=False) for story in training]
    rows = []
    for syntax, name in (
        (False, "words around, the rules' cues"),
        (True, "… and natasha's syntax, NER candidates"),
    ):
        score = train_and_score(training, training_readings, stories, readings, syntax=syntax)
        rows.append(f"| ranker trained on train: {name} | {score.precision:.3f} | {score.recall:.3f} |")
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", choices=("train", "dev"), default="dev")
    parser.add_argument("--ranker", action="store_true", help="also train the ranker on train (dev only)")
    args = parser.parse_args(argv)
    if args.ranker and args.split != "dev":
        parser.error("the ranker is trained on train and scored on dev: --ranker needs --split dev")
    try:
        print(report(args.split, ranker=args.ranker))
    except MissingNatasha as error:
        print(error)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
