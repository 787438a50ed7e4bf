"""How far two labellers agree on the facts of the same stories, scored as the stage is scored.

A second labeller relabels, blind, stories whose labels are known (``corpus/facts/agreement/``);
their labels are scored against the first labeller's exactly as :mod:`pipeline.facts.quality`
scores the stage (the same matching of amounts and of places in their case forms), so that the
figures say how much of the stage's gap to a target is disagreement between careful readers.

``python -m pipeline.facts.agreement`` prints, for each relabelling, the second labeller against the
corpus's labels, the relabellings against each other, and the stage on the same stories.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pipeline.corpus import CorpusError, json_records
from pipeline.facts.quality import (
    CORPUS,
    FIELDS,
    TARGETS,
    Score,
    evaluate,
    gold_values,
    load_part,
    matches,
)

AGREEMENT = CORPUS / "agreement"


def read_relabelling(path: Path) -> dict[str, dict[str, Any]]:
    """A relabelling: one object per line with ``id`` and the labelled fields (the guide's output
    format), by id."""
    labels: dict[str, dict[str, Any]] = {}
    for number, record in json_records(path, "labels"):
        missing = [name for name in ("id", *FIELDS) if not isinstance(record, dict) or name not in record]
        if missing:
            raise CorpusError(f"{path}:{number}: no {', '.join(missing)}")
        labels[record["id"]] = {name: record[name] for name in FIELDS}
    return labels


def score_labels(reference: Sequence[dict[str, Any]], other: dict[str, dict[str, Any]], name: str) -> Score:
    """``other``'s labels of field ``name`` scored against ``reference``'s (stories with facts), on the
    stories both labelled: precision is how many of ``other``'s the reference has too."""
    score = Score()
    same = matches(name)
    for item in reference:
        if item["id"] not in other:
            continue
        theirs = gold_values({**item, "facts": other[item["id"]]}, name)
        score.add(item["id"], gold_values(item, name), theirs, same)
    return score


def corpus_stories(ids: set[str], directory: Path = CORPUS) -> list[dict[str, Any]]:
    """The labelled stories of train and dev with these ids (relabellings never use the test split)."""
    stories = [item for part in ("train", "dev") for item in load_part(part, directory) if item["id"] in ids]
    unknown = ids - {item["id"] for item in stories}
    if unknown:
        raise CorpusError(f"ids in no train or dev story: {', '.join(sorted(unknown)[:5])}")
    return stories


def _row(label: str, stories: int, by_field: dict[str, Score]) -> str:
    cells = [by_field[name].pair for name in FIELDS]
    return f"| {label} | {stories} | " + " | ".join(cells) + " |"


def agreement_report(paths: Sequence[Path], directory: Path = CORPUS) -> str:
    """Per relabelling: it against the corpus's labels and the stage on the same stories; then each
    two relabellings of shared stories against each other."""
    relabellings = {path.stem: read_relabelling(path) for path in paths}
    stories = corpus_stories(set().union(*(set(labels) for labels in relabellings.values())), directory)
    lines = [
        "Agreement of blind relabellings of train and dev stories (precision / recall against the "
        "first-named labels)",
        "",
        "| labels scored | stories | " + " | ".join(FIELDS) + " |",
        "|---|---|" + "---|" * len(FIELDS),
    ]
    staged: set[frozenset[str]] = set()
    for name, labels in relabellings.items():
        own = [item for item in stories if item["id"] in labels]
        by_field = {f: score_labels(own, labels, f) for f in FIELDS}
        lines.append(_row(f"{name} against the corpus", len(own), by_field))
        if frozenset(labels) not in staged:  # the stage once per set of stories
            staged.add(frozenset(labels))
            lines.append(_row("the stage against the corpus, same stories", len(own), evaluate(own)))
    names = list(relabellings)
    for i, first in enumerate(names):
        for second in names[i + 1 :]:
            reference = [
                {**item, "facts": relabellings[first][item["id"]]}
                for item in stories
                if item["id"] in relabellings[first] and item["id"] in relabellings[second]
            ]
            if reference:
                by_field = {f: score_labels(reference, relabellings[second], f) for f in FIELDS}
                lines.append(_row(f"{second} against {first}", len(reference), by_field))
    targets = ", ".join(f"{name} ≥ {value:.1f}" for name, value in TARGETS.items())
    lines += ["", f"Targets for the stage: {targets}."]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "labels", nargs="*", type=Path, help="relabellings (default: every file of corpus/facts/agreement)"
    )
    args = parser.parse_args(argv)
    paths = args.labels or sorted(AGREEMENT.glob("*.jsonl"))
    if not paths:
        parser.error(f"no relabellings given and none in {AGREEMENT}")
    try:
        print(agreement_report(paths))
    except CorpusError as exc:
        parser.exit(2, f"error: {exc}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
