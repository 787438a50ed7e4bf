"""The real-text corpus: what it holds, and that its test split stays frozen."""

from __future__ import annotations

import shutil
from collections import Counter

import pytest

from pipeline.corpus import (
    CORPUS_DIR,
    SPLITS,
    CorpusError,
    collected_items,
    extend_splits,
    file_digest,
    frozen_digest,
    load_split,
    read_items,
)


@pytest.fixture(scope="module")
def splits() -> dict[str, list]:
    return {name: load_split(name) for name in SPLITS}


def test_the_corpus_holds_at_least_600_real_items(splits) -> None:
    assert sum(len(items) for items in splits.values()) >= 600


def test_at_least_45_percent_are_negatives_most_of_them_hard(splits) -> None:
    items = [i for items in splits.values() for i in items]
    negatives = [i for i in items if not i.relevant]
    assert len(negatives) >= 0.45 * len(items)
    assert sum(i.hard for i in negatives) > len(negatives) / 2


def test_the_desks_languages_and_others_are_covered(splits) -> None:
    items = [i for items in splits.values() for i in items]
    languages = Counter(i.language for i in items)
    assert {"ru", "kk", "ky", "tg", "uz", "en", "az"} <= set(languages)
    assert {i.script for i in items if i.language == "kk"} >= {"Cyrl", "Latn"}
    others = set(languages) - {"ru", "kk", "ky", "tg", "uz", "en", "az"}
    assert len(others) >= 3


def test_every_item_keeps_its_url_text_country_and_a_reason_for_its_label(splits) -> None:
    for item in (i for items in splits.values() for i in items):
        assert item.url.startswith(("http://", "https://"))
        assert len(item.text) >= 150
        assert len(item.country) == 2 and item.country.isupper()
        assert item.label in ("relevant", "irrelevant") and item.rationale.strip()


def test_the_splits_share_no_item(splits) -> None:
    seen: set[str] = set()
    for items in splits.values():
        urls = {i.url for i in items}
        assert not urls & seen
        seen |= urls


def test_every_collected_item_is_in_a_split(splits) -> None:
    in_splits = {i.url for items in splits.values() for i in items}
    assert {i.url for i in collected_items()} == in_splits


def test_the_test_split_has_the_frozen_hash() -> None:
    assert file_digest(CORPUS_DIR / "test.jsonl") == frozen_digest()


def test_a_changed_test_split_is_refused(tmp_path) -> None:
    folder = tmp_path / "corpus"
    shutil.copytree(CORPUS_DIR, folder)
    test_file = folder / "test.jsonl"
    lines = test_file.read_text(encoding="utf-8").splitlines()
    test_file.write_text("\n".join(lines[:-1]) + "\n", encoding="utf-8")  # one item "too hard" dropped
    with pytest.raises(CorpusError, match="frozen test split was changed"):
        load_split("test", folder)


def test_items_collected_later_go_to_train_and_dev_only(tmp_path) -> None:
    folder = tmp_path / "corpus"
    (folder / "raw").mkdir(parents=True)
    for name in ("train.jsonl", "dev.jsonl", "test.jsonl", "test.sha256"):
        shutil.copy(CORPUS_DIR / name, folder / name)
    new_lines = [
        line.replace('"url": "', '"url": "https://later.example/?from=')
        for line in (CORPUS_DIR / "train.jsonl").read_text(encoding="utf-8").splitlines()[:40]
    ]
    (folder / "raw" / "later.jsonl").write_text("\n".join(new_lines) + "\n", encoding="utf-8")
    test_before = (folder / "test.jsonl").read_bytes()
    added = extend_splits(folder)
    assert len(added["train"]) + len(added["dev"]) == 40 and added["dev"]
    assert (folder / "test.jsonl").read_bytes() == test_before
    assert extend_splits(folder) == {"train": [], "dev": []}


def test_a_malformed_corpus_line_names_file_and_line(tmp_path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"url": "https://a.kz/1", "text": "x", "language": "kk", "country": "KZ", '
                    '"label": "maybe"}\n', encoding="utf-8")
    with pytest.raises(CorpusError, match=r"bad.jsonl:1: label must be one of"):
        read_items(path)
