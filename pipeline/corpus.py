"""The real-text corpus: published news items nobody on the team wrote, labelled for relevance.

``corpus/relevance/raw/*.jsonl`` holds the items as collected (URL, the text as published,
language, script, reporting country, label with a one-line rationale). :func:`split_items`
divides them into train / dev / test once, before any tuning: within each (language, label)
group the items are ordered by a hash of their URL and dealt out 11 : 4 : 5. The three splits are
written to ``corpus/relevance/{train,dev,test}.jsonl``, and the SHA-256 of the test file to
``test.sha256``: :func:`load_split` refuses a test split whose hash differs, so nobody tunes on
it by accident, and adding items later can only grow train and dev.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from core.errors import UserError

ROOT = Path(__file__).resolve().parents[1]
CORPUS_DIR = ROOT / "corpus" / "relevance"
SPLITS = ("train", "dev", "test")
DEAL = (
    "train",
    "test",
    "dev",
    "train",
    "train",
    "test",
    "train",
    "dev",
    "train",
    "train",
    "test",
    "train",
    "dev",
    "train",
    "test",
    "train",
    "train",
    "dev",
    "train",
    "test",
)
"""How each group's items are dealt, in URL-hash order: 55 % train, 20 % dev, 25 % test, mixed
so that a group of two or three items (a rare language) reaches the test split too."""
LABELS = ("relevant", "irrelevant")
FROZEN_HASH_FILE = "test.sha256"


class CorpusError(UserError):
    """A corpus file is malformed, or the frozen test split was changed."""


@dataclass(frozen=True, slots=True)
class CorpusItem:
    url: str
    title: str
    text: str
    language: str
    script: str
    country: str
    label: str
    rationale: str
    hard: bool
    category: str
    query: str = ""
    origin: str = ""
    """The raw file the item was collected into."""

    @property
    def relevant(self) -> bool:
        return self.label == "relevant"

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)


def _item(record: dict[str, object], where: str) -> CorpusItem:
    try:
        item = CorpusItem(
            url=str(record["url"]),
            title=str(record.get("title") or ""),
            text=str(record["text"]),
            language=str(record["language"]),
            script=str(record.get("script") or ""),
            country=str(record["country"]),
            label=str(record["label"]),
            rationale=str(record.get("rationale") or ""),
            hard=bool(record.get("hard", False)),
            category=str(record.get("category") or ""),
            query=str(record.get("query") or ""),
            origin=str(record.get("origin") or ""),
        )
    except KeyError as exc:
        raise CorpusError(f"{where}: missing field {exc}") from exc
    if item.label not in LABELS:
        raise CorpusError(f"{where}: label must be one of {', '.join(LABELS)}, not {item.label!r}")
    if not item.url.startswith(("http://", "https://")):
        raise CorpusError(f"{where}: url must be http(s): {item.url!r}")
    return item


def json_records(path: Path, what: str) -> Iterator[tuple[int, Any]]:
    """Each line of a JSON-lines file (collected items, labelled stories, relabellings) with its
    line number; a file that cannot be read or a line that is not JSON is one clear error naming the
    file (and the line)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise CorpusError(f"{path}: cannot read the {what} ({exc.strerror})") from exc
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            yield number, json.loads(line)
        except json.JSONDecodeError as exc:
            raise CorpusError(f"{path}:{number}: not JSON ({exc.msg})") from exc


def read_items(path: Path, origin: str | None = None) -> list[CorpusItem]:
    """The items of one JSONL file; a malformed line names the file and line."""
    items: list[CorpusItem] = []
    for number, record in json_records(path, "corpus file"):
        where = f"{path}:{number}"
        if not isinstance(record, dict):
            raise CorpusError(f"{where}: not a JSON object")
        if origin is not None:
            record = {**record, "origin": origin}
        items.append(_item(record, where))
    return items


def collected_items(folder: Path = CORPUS_DIR) -> list[CorpusItem]:
    """Every collected item of ``raw/*.jsonl``, each URL once (the first file wins)."""
    seen: set[str] = set()
    items: list[CorpusItem] = []
    for path in sorted((folder / "raw").glob("*.jsonl")):
        for item in read_items(path, origin=path.name):
            if item.url not in seen:
                seen.add(item.url)
                items.append(item)
    return items


def url_rank(url: str) -> str:
    return hashlib.sha256(url.encode("utf-8")).hexdigest()


def split_items(items: Iterable[CorpusItem]) -> dict[str, list[CorpusItem]]:
    """Deal the items into train/dev/test, stratified by (language, label), by URL hash."""
    groups: dict[tuple[str, str], list[CorpusItem]] = defaultdict(list)
    for item in items:
        groups[(item.language, item.label)].append(item)
    splits: dict[str, list[CorpusItem]] = {name: [] for name in SPLITS}
    for key in sorted(groups):
        for position, item in enumerate(sorted(groups[key], key=lambda i: url_rank(i.url))):
            splits[DEAL[position % len(DEAL)]].append(item)
    for name in SPLITS:
        splits[name].sort(key=lambda i: url_rank(i.url))
    return splits


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_splits(splits: Mapping[str, Sequence[CorpusItem]], folder: Path = CORPUS_DIR) -> None:
    """Write the three split files and freeze the test split's hash."""
    for name in SPLITS:
        body = "".join(item.to_json() + "\n" for item in splits[name])
        (folder / f"{name}.jsonl").write_text(body, encoding="utf-8")
    (folder / FROZEN_HASH_FILE).write_text(file_digest(folder / "test.jsonl") + "  test.jsonl\n")


def frozen_digest(folder: Path = CORPUS_DIR) -> str:
    path = folder / FROZEN_HASH_FILE
    try:
        return path.read_text(encoding="utf-8").split()[0]
    except (OSError, IndexError) as exc:
        raise CorpusError(f"{path}: the frozen test split's hash is missing") from exc


def load_split(name: str, folder: Path = CORPUS_DIR) -> list[CorpusItem]:
    """One split; the test split only if its file still has the frozen hash."""
    if name not in SPLITS:
        raise CorpusError(f"no split {name!r} (one of {', '.join(SPLITS)})")
    path = folder / f"{name}.jsonl"
    if name == "test" and path.exists() and file_digest(path) != frozen_digest(folder):
        raise CorpusError(
            f"{path}: the frozen test split was changed (its SHA-256 differs from {FROZEN_HASH_FILE}); "
            "restore it: the test split is never edited or tuned on"
        )
    return read_items(path)


GROWTH_DEAL = ("train", "train", "dev", "train")
"""Items collected after the split was frozen go to train and dev only (3 : 1)."""


def extend_splits(folder: Path = CORPUS_DIR) -> dict[str, list[CorpusItem]]:
    """Deal the collected items that are in no split yet into train and dev; the frozen test
    split is never touched. Returns the new items by split."""
    known = {i.url for name in SPLITS for i in load_split(name, folder)}
    fresh = [i for i in collected_items(folder) if i.url not in known]
    groups: dict[tuple[str, str], list[CorpusItem]] = defaultdict(list)
    for item in fresh:
        groups[(item.language, item.label)].append(item)
    added: dict[str, list[CorpusItem]] = {"train": [], "dev": []}
    for key in sorted(groups):
        for position, item in enumerate(sorted(groups[key], key=lambda i: url_rank(i.url))):
            added[GROWTH_DEAL[position % len(GROWTH_DEAL)]].append(item)
    for name, items in added.items():
        if items:
            path = folder / f"{name}.jsonl"
            merged = sorted([*read_items(path), *items], key=lambda i: url_rank(i.url))
            path.write_text("".join(i.to_json() + "\n" for i in merged), encoding="utf-8")
    return added


def main() -> int:
    """``python -m pipeline.corpus``: split the collected items the first time; later, deal the
    newly collected ones into train and dev (the test split stays frozen). Prints the counts."""
    folder = CORPUS_DIR
    if (folder / FROZEN_HASH_FILE).exists():
        added = extend_splits(folder)
        print(f"test split frozen; added {len(added['train'])} to train, {len(added['dev'])} to dev")
        splits = {name: load_split(name, folder) for name in SPLITS}
    else:
        splits = split_items(collected_items(folder))
        write_splits(splits, folder)
    for name in SPLITS:
        items = splits[name]
        relevant = sum(i.relevant for i in items)
        print(f"{name}: {len(items)} items, {relevant} relevant, {len(items) - relevant} irrelevant")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
