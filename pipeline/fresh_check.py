"""A fresh check: a newly collected batch of real items scored before anything is learnt from it.

``python -m pipeline.fresh_check FILE [FILE ...]`` prints, for the items of collected relevance files
(``corpus/relevance/raw/*.jsonl``), the table ``make eval`` prints for the frozen test split: the
keyword baseline, the lexicon alone and the shipped model, side by side, with every mismatch.
``--facts FILE`` scores a file of hand-labelled seizure stories (the shape of ``corpus/facts``) per
fact field instead. Run it when a round arrives, before ``python -m pipeline.corpus`` deals the
round into train and dev and before any word or rule is read from it: the figures are then what the
stages do on text nobody tuned them on (``docs/quality.md``, ``docs/facts.md``).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from pipeline.corpus import CorpusError, CorpusItem, read_items

_COMMAND = "python -m pipeline.fresh_check"


def relevance_check(paths: Sequence[Path]) -> str:
    """The relevance table and mismatches for the items of ``paths``."""
    from pipeline.quality import evaluate_corpus, markdown, mismatches
    from pipeline.relevance_model import load_model

    items: list[CorpusItem] = [item for path in paths for item in read_items(path)]
    if not items:
        raise CorpusError("no items in " + ", ".join(map(str, paths)))
    label = ", ".join(str(path) for path in paths)
    report = evaluate_corpus(items, label)
    command = f"{_COMMAND} {' '.join(str(path) for path in paths)}"
    return markdown(report, load_model().version, command) + "\n\nMismatches:\n" + mismatches(report)


def facts_check(path: Path) -> str:
    """The facts table for the hand-labelled stories of ``path``."""
    from pipeline.facts.quality import extracted, places_per_story, read_stories, report, scores

    pairs = extracted(read_stories(path))
    return "\n\n".join([report(str(path), scores(pairs), len(pairs)), places_per_story(pairs)])


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog=_COMMAND, description=__doc__.split("\n")[0])
    parser.add_argument("files", nargs="*", type=Path, help="collected relevance files (JSONL)")
    parser.add_argument("--facts", type=Path, metavar="FILE", help="hand-labelled seizure stories (JSONL)")
    args = parser.parse_args(argv)
    if not args.files and args.facts is None:
        parser.error("give collected relevance files, or --facts FILE")
    try:
        if args.files:
            print(relevance_check(args.files))
        if args.facts is not None:
            print(("\n" if args.files else "") + facts_check(args.facts))
    except CorpusError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
