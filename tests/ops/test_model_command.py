"""``newsmon model``: the desk's decisions reach training, a retrain that loses recall is
refused, a kept model can be restored, and evaluate prints the baselines beside the model."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from desk import accept, reject
from newsmon.cli import main
from newsmon.retrain import desk_items
from pipeline.corpus import CORPUS_DIR, load_split
from pipeline.model_store import shipped_version
from pipeline.relevance_model import active_version, forget_loaded_model
from storage.db import session_scope
from storage.repository import upsert_article
from tests.factories import tagged_article


@pytest.fixture
def data_dir(tmp_path, monkeypatch) -> Path:
    """Retrained models go to a data folder of the test's own."""
    folder = tmp_path / "data"
    monkeypatch.setenv("NEWSMON_DATA_DIR", str(folder))
    forget_loaded_model()
    yield folder
    forget_loaded_model()


def _small_corpus(tmp_path: Path, *, flip_train_labels: bool = False, train_items: int = 160) -> Path:
    """The real corpus with a smaller training split (fast), the real dev split and the frozen
    test split; optionally with every training label inverted (a model that learns nonsense)."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name in ("dev.jsonl", "test.jsonl", "test.sha256"):
        shutil.copy(CORPUS_DIR / name, folder / name)
    lines = (CORPUS_DIR / "train.jsonl").read_text(encoding="utf-8").splitlines()[:train_items]
    if flip_train_labels:
        swapped = []
        for line in lines:
            if '"label": "relevant"' in line:
                swapped.append(line.replace('"label": "relevant"', '"label": "irrelevant"'))
            else:
                swapped.append(line.replace('"label": "irrelevant"', '"label": "relevant"'))
        lines = swapped
    (folder / "train.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def _event_of(session, url: str, *, relevant: bool, text: str) -> int:
    result = upsert_article(session, tagged_article(url, text=text, title=text[:40], relevant=relevant))
    assert result.event_id is not None
    return result.event_id


@pytest.fixture
def decided(migrated_db) -> str:
    """Four events the desk decided: accepted, rejected as not about drugs, rejected as a
    duplicate, and an accepted one whose article is in the frozen test split."""
    test_url = load_split("test")[0].url
    with session_scope(migrated_db) as session:
        accepted = _event_of(session, "https://polisia.kz/ru/a-1/", relevant=True,
                             text="Изъято 3 кг гашиша у жителя Шымкента.")
        not_drugs = _event_of(session, "https://polisia.kz/ru/a-2/", relevant=False,
                              text="Полицейские провели турнир по волейболу.")
        duplicate = _event_of(session, "https://polisia.kz/ru/a-3/", relevant=True,
                              text="Задержан наркокурьер с партией героина.")
        from_test = _event_of(session, test_url, relevant=True, text="Текст статьи тестовой выборки.")
        accept(session, accepted, actor="anna")
        reject(session, not_drugs, "not about drugs", actor="anna")
        reject(session, duplicate, "duplicate", actor="anna")
        accept(session, from_test, actor="anna")
    return test_url


def test_accepted_and_not_about_drugs_decisions_reach_the_training_set(decided, migrated_db) -> None:
    items = desk_items({decided}, migrated_db)
    by_text = {i.text: i.relevant for i in items}
    assert by_text == {
        "Изъято 3 кг гашиша у жителя Шымкента.": True,
        "Полицейские провели турнир по волейболу.": False,
    }
    assert all(i.origin == "desk" for i in items)


@pytest.mark.slow
def test_training_reports_the_desks_decisions(decided, data_dir, tmp_path, capsys) -> None:
    corpus = _small_corpus(tmp_path)
    assert main(["model", "train", "--corpus", str(corpus), "--no-activate"]) == 0
    out = capsys.readouterr().out
    corpus_items = 160 + len(load_split("dev"))  # the shortened training split and the real dev split
    assert f"{corpus_items} from the corpus (train and dev splits), 2 from the desk" in out
    assert "not activated" in out and active_version() == shipped_version()
    assert list((data_dir / "models" / "relevance").glob("relevance-*.json"))


@pytest.mark.slow
def test_a_retrain_that_loses_recall_is_refused(data_dir, tmp_path, capsys) -> None:
    corpus = _small_corpus(tmp_path, flip_train_labels=True)
    assert main(["model", "train", "--corpus", str(corpus), "--no-desk"]) == 0
    out = capsys.readouterr().out
    assert "not activated: recall" in out
    assert active_version() == shipped_version()


@pytest.mark.slow
def test_a_retrain_that_keeps_recall_is_activated_and_can_be_restored(data_dir, tmp_path, capsys) -> None:
    corpus = _small_corpus(tmp_path, train_items=10_000)
    shipped = shipped_version()
    # The real training split plus one more item: a different model, as good as the shipped one.
    extra = load_split("dev")[0].to_json()
    with (corpus / "train.jsonl").open("a", encoding="utf-8") as handle:
        handle.write(extra + "\n")
    assert main(["model", "train", "--corpus", str(corpus), "--no-desk"]) == 0
    out = capsys.readouterr().out
    if "not activated" in out:  # the extra item cost recall: that is the refusal tested above
        pytest.skip("the retrained model lost recall on this corpus")
    new = active_version()
    assert new != shipped and f"activated {new}" in out
    assert main(["model", "list"]) == 0
    listing = capsys.readouterr().out
    assert f"* {new}" in listing and shipped in listing
    assert main(["model", "restore"]) == 0
    assert active_version() == shipped
    assert main(["model", "restore", new]) == 0 and active_version() == new


def test_evaluate_prints_the_baselines_beside_the_shipped_model(capsys) -> None:
    assert main(["model", "evaluate"]) == 0
    out = capsys.readouterr().out
    assert "keyword baseline" in out and "lexicon only" in out and f"shipped {shipped_version()}" in out
    assert "frozen test split: 185 real items" in out


def test_restore_with_nothing_replaced_says_so(data_dir, capsys) -> None:
    assert main(["model", "restore"]) == 2
    assert "no previous relevance model" in capsys.readouterr().err


def test_training_without_a_database_says_so_and_creates_none(tmp_path, monkeypatch, data_dir, capsys):
    missing = tmp_path / "missing.sqlite"
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{missing}")
    assert main(["model", "train", "--corpus", str(_small_corpus(tmp_path))]) == 2
    assert "there is no database" in capsys.readouterr().err and not missing.exists()
