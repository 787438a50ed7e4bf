"""Precision and recall of the facts stage, per fact field, on hand-labelled real stories
(``corpus/facts``; see its README for how they were collected, labelled and split).

``python -m pipeline.facts.quality [--split dev]`` prints the table; ``make eval`` prints it for the
frozen test split. How a field is scored:

* substances, agencies, legal articles: sets of ids per story;
* quantities: sets of amounts per story (grams within 1 %, or the same count and unit); amounts in
  units the labelling guide does not define (litres, vials) are left out of the score;
* places: a labelled place is found when an extracted place overlaps it (one contains the other,
  case and ``ё`` aside: «Карагандинской» finds «Карагандинской области»), or names the same place
  in another case form (:mod:`pipeline.facts.placenames`, ``config/place_forms.toml``): the same
  name words, each one stem with an ending of the story's language on either side, and kinds that
  agree — «Бишкеке» finds «Бишкека» and «города Бишкека», «Qoraqalpog'istonda» finds
  «Qoraqalpog'iston respublikasida», «Жалал-Абад облусунда» finds «Жалал-Абад облусунун»; a
  region never finds a city or a district in it, nor «Ош облусунун» «Ош шаары» (kinds differ).
  The overlap alone reads two case forms of agglutinative kk, ky, uz, tg (and of Russian) as two
  places, a miss and an extra for one right answer; ``--substring-places`` scores that way, for
  comparison with figures measured before case forms were scored;
* detained and operation: the single value, compared where either side has one.
"""

from __future__ import annotations

import argparse
import hashlib
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.facts import Facts, Mention
from pipeline.corpus import CorpusError, json_records
from pipeline.facts import extract_facts, story_text
from pipeline.facts.placenames import PlaceName, place_name, same_place
from pipeline.textutil import normalise

CORPUS = Path(__file__).resolve().parents[2] / "corpus" / "facts"
SCORED_UNITS = (None, "pills", "doses", "plants", "packets")
FIELDS = ("substances", "quantities", "places", "agencies", "detained", "operation", "legal_articles")
TARGETS = {"substances": 0.9, "quantities": 0.9, "places": 0.8, "agencies": 0.8}


@dataclass(frozen=True, slots=True)
class WrittenPlace:
    """A place as labelled or extracted: folded for the overlap, read for its case forms."""

    folded: str
    name: PlaceName

    def __str__(self) -> str:
        return self.folded


def _written_place(text: str, language: str | None) -> WrittenPlace:
    return WrittenPlace(_fold(text), place_name(text, language))


class FrozenSplitChanged(RuntimeError):
    """The frozen test split no longer matches its recorded hash."""


FROZEN_PARTS = ("test", "test_b")
"""The frozen test split's parts, each with its own ``<part>.sha256``: ``test`` (68 stories, frozen
before any rule was written) and ``test_b`` (stories labelled blind and frozen on arrival, before the
stage ever ran on them), so that the measure covers at least 150 stories."""


def load_split(name: str, directory: Path = CORPUS) -> list[dict[str, Any]]:
    """``train``, ``dev``, ``test`` (all frozen parts) or one frozen part by name."""
    if name == "test":
        return [item for part in FROZEN_PARTS for item in load_part(part, directory)]
    return load_part(name, directory)


def load_part(name: str, directory: Path = CORPUS) -> list[dict[str, Any]]:
    """One file of the corpus (``train``, ``dev`` or one frozen part), a frozen part checked against
    its hash."""
    path = directory / f"{name}.jsonl"
    data = path.read_bytes()
    if name in FROZEN_PARTS:
        recorded = (directory / f"{name}.sha256").read_text().split()[0]
        if hashlib.sha256(data).hexdigest() != recorded:
            raise FrozenSplitChanged(f"{path} changed after it was frozen ({name}.sha256)")
    return [json.loads(line) for line in data.decode("utf-8").splitlines() if line.strip()]


def read_stories(path: Path) -> list[dict[str, Any]]:
    """Hand-labelled stories of any file (a new batch, :mod:`pipeline.fresh_check`); a line that is
    not one names the file and line."""
    stories = []
    for number, story in json_records(path, "stories"):
        if not isinstance(story, dict) or not {"id", "text", "facts"} <= story.keys():
            raise CorpusError(f"{path}:{number}: a story needs an id, a text and its labelled facts")
        stories.append(story)
    if not stories:
        raise CorpusError(f"{path}: no stories")
    return stories


@dataclass(slots=True)
class Score:
    true_positives: int = 0
    predicted: int = 0
    gold: int = 0
    found: int = 0
    """Gold items found (differs from true positives where matching is not one-to-one)."""
    misses: list[str] = field(default_factory=list)
    extras: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.true_positives / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.found / self.gold if self.gold else 1.0

    @property
    def pair(self) -> str:
        """«0.935 / 0.969»: precision / recall, as the tables print them."""
        return f"{self.precision:.3f} / {self.recall:.3f}"

    def add(
        self, story: str, gold: Sequence[Any], predicted: Sequence[Any], same: Callable[[Any, Any], bool]
    ) -> None:
        """One story's values: each predicted one right when it matches a gold one, each gold one
        found when a predicted one matches it."""
        self.gold += len(gold)
        self.predicted += len(predicted)
        for value in predicted:
            if any(same(value, g) for g in gold):
                self.true_positives += 1
            else:
                self.extras.append(f"{story}: {value}")
        for value in gold:
            if any(same(value, p) for p in predicted):
                self.found += 1
            else:
                self.misses.append(f"{story}: {value}")


def _amount_key(grams: float | None, count: float | None, unit: str | None) -> tuple[str, float]:
    return ("g", float(grams)) if grams is not None else (unit or "?", float(count or 0))


def _same_amount(a: tuple[str, float], b: tuple[str, float]) -> bool:
    return a[0] == b[0] and abs(a[1] - b[1]) <= 0.01 * max(abs(a[1]), abs(b[1]), 1e-9)


def _fold(text: str) -> str:
    return normalise(text).lower()


def gold_values(item: dict[str, Any], name: str) -> list[Any]:
    facts = item["facts"]
    if name == "quantities":
        return [
            _amount_key(q.get("grams"), q.get("count"), q.get("unit"))
            for q in facts["quantities"]
            if q.get("unit") in SCORED_UNITS
        ]
    if name in ("detained", "operation"):
        value = facts[name]
        return [] if value is None else [_fold(str(value)) if name == "operation" else int(value)]
    if name == "places":
        return [_written_place(p, item.get("language")) for p in facts["places"]]
    return list(dict.fromkeys(facts[name]))


def _predicted_values(facts: Facts, name: str, language: str | None = None) -> list[Any]:
    if name == "quantities":
        return list(dict.fromkeys(_amount_key(q.grams, q.count, q.unit) for q in facts.quantities))
    if name == "detained":
        return [] if facts.detained is None else [facts.detained]
    if name == "operation":
        return [] if facts.operation is None else [_fold(facts.operation.value)]
    if name == "places":
        return written_places(facts.places, language)
    if name == "substances":
        return facts.substance_ids
    if name == "agencies":
        return facts.agency_ids
    return list(dict.fromkeys(m.value for m in facts.legal_articles))


def story_body(item: dict[str, Any]) -> str:
    """The text the stage reads from a labelled story (its spans are offsets into it)."""
    return story_text(item["text"], item.get("title") or "")


def written_places(places: Iterable[Mention], language: str | None) -> list[WrittenPlace]:
    """Places as scored: each written form once (folded)."""
    written = {_fold(p.span.text): p.span.text for p in places}
    return [_written_place(text, language) for text in written.values()]


def _overlap(a: WrittenPlace, b: WrittenPlace) -> bool:
    return a.folded in b.folded or b.folded in a.folded


def _same_place(a: WrittenPlace, b: WrittenPlace) -> bool:
    return _overlap(a, b) or same_place(a.name, b.name)


def matches(name: str, case_forms: bool = True) -> Callable[[Any, Any], bool]:
    if name == "quantities":
        return _same_amount
    if name == "places":
        return _same_place if case_forms else _overlap
    return lambda a, b: a == b


def score_field(
    name: str, pairs: Iterable[tuple[dict[str, Any], Facts]], *, case_forms: bool = True
) -> Score:
    """``case_forms``: places in two case forms of one place match (see the module's docstring)."""
    score = Score()
    same = matches(name, case_forms)
    for item, facts in pairs:
        gold = gold_values(item, name)
        score.add(item["id"], gold, _predicted_values(facts, name, item.get("language")), same)
    return score


Extracted = list[tuple[dict[str, Any], Facts]]


def extracted(items: Sequence[dict[str, Any]]) -> Extracted:
    """Each labelled story with the facts the stage reads from it."""
    return [
        (
            item,
            extract_facts(
                item["text"],
                title=item.get("title") or "",
                language=item.get("language"),
                country=item.get("country"),
            ),
        )
        for item in items
    ]


def scores(pairs: Extracted, *, case_forms: bool = True) -> dict[str, Score]:
    return {name: score_field(name, pairs, case_forms=case_forms) for name in FIELDS}


def evaluate(items: Sequence[dict[str, Any]], *, case_forms: bool = True) -> dict[str, Score]:
    return scores(extracted(items), case_forms=case_forms)


def _where(split: str) -> str:
    """«the test split of corpus/facts», or a file's path (a fresh batch, :mod:`pipeline.fresh_check`)."""
    return f"the {split} split of corpus/facts" if split in ("train", "dev", *FROZEN_PARTS) else f"`{split}`"


def report(split: str, scores: dict[str, Score], items: int) -> str:
    lines = [
        f"Facts on {_where(split)} ({items} real seizure and arrest stories)",
        "",
        "| field | precision | recall | labelled | extracted | target |",
        "|---|---|---|---|---|---|",
    ]
    for name, score in scores.items():
        target = f"≥ {TARGETS[name]:.1f}" if name in TARGETS else ""
        lines.append(
            f"| {name} | {score.precision:.3f} | {score.recall:.3f} | {score.gold} | {score.predicted} "
            f"| {target} |"
        )
    return "\n".join(lines)


def _rows(title: str, groups: dict[str, Extracted]) -> list[str]:
    """A line per group of stories: its precision / recall for each field with a target."""
    lines = [f"| {title} | stories | " + " | ".join(TARGETS) + " |", "|---|---|" + "---|" * len(TARGETS)]
    for name, pairs in groups.items():
        by_field = scores(pairs)
        cells = [by_field[field_name].pair for field_name in TARGETS]
        lines.append(f"| {name} | {len(pairs)} | " + " | ".join(cells) + " |")
    return lines


def places_per_story(pairs: Extracted) -> str:
    """How often the place an analyst reads first is right: of the stories with a labelled place, the
    share whose first place given is a labelled one, and whose places include one. Not the target's
    measure (every place counts there, a region beside its district too): what the event page shows
    first."""
    same = matches("places")
    first = some = stories = 0
    for item, facts in pairs:
        gold = gold_values(item, "places")
        if not gold:
            continue
        stories += 1
        given = _predicted_values(facts, "places", item.get("language"))
        first += bool(given) and any(same(given[0], g) for g in gold)
        some += any(same(p, g) for p in given for g in gold)
    if not stories:
        return "Places per story: no story with a labelled place."
    return (
        f"Places per story ({stories} stories with a labelled place): the first place given is a "
        f"labelled one in {first / stories:.3f}, some place given is in {some / stories:.3f}."
    )


def by_language(pairs: Extracted) -> dict[str, Extracted]:
    """The stories grouped by their language, the most frequent first."""
    groups: dict[str, Extracted] = {}
    for item, facts in pairs:
        groups.setdefault(item.get("language") or "?", []).append((item, facts))
    return dict(sorted(groups.items(), key=lambda group: (-len(group[1]), group[0])))


def _tables(
    split: str, pairs: Extracted, by_field: dict[str, Score], parts: dict[str, Extracted] | None = None
) -> str:
    """The table of ``split``'s stories, a line per frozen part (when given) and per language, and
    how often the first place is right."""
    lines = [report(split, by_field, len(pairs)), ""]
    if parts:
        lines += [*_rows("frozen part", parts), ""]
    lines += [*_rows("language", by_language(pairs)), "", places_per_story(pairs)]
    return "\n".join(lines)


def split_report(split: str) -> str:
    """The table of ``split``; for ``test``, of all its frozen parts, then a line per part (each
    story's facts read once); then a line per language, and how often the first place is right."""
    if split != "test":
        every = extracted(load_split(split))
        return _tables(split, every, scores(every))
    parts = {part: extracted(load_part(part)) for part in FROZEN_PARTS}
    every = [pair for pairs in parts.values() for pair in pairs]
    return _tables(split, every, scores(every), parts)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", default="dev", choices=("train", "dev", "test", *FROZEN_PARTS[1:]))
    parser.add_argument("--errors", metavar="FIELD", help="list the misses and extras of one field")
    parser.add_argument(
        "--substring-places",
        action="store_true",
        help="score places by overlap alone (case forms of one place count as two places)",
    )
    args = parser.parse_args(argv)
    pairs = extracted(load_split(args.split))
    by_field = scores(pairs, case_forms=not args.substring_places)
    print(_tables(args.split, pairs, by_field))
    if args.errors:
        score = by_field[args.errors]
        print("\nmissed:", *score.misses, sep="\n  ")
        print("\nextra:", *score.extras, sep="\n  ")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
