"""Retraining the relevance model from the corpus and the desk's decisions.

Shared by ``newsmon model train`` and the scheduler's period-end job. The new model is always
kept; it is put in use only when its recall on the frozen test split is not below that of the
model in use (the previous one stays, ``newsmon model restore`` brings it back).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from core.urls import canonical_url
from pipeline.corpus import CORPUS_DIR, load_split
from pipeline.model_store import activate, save_model
from pipeline.quality import compare_models
from pipeline.relevance_model import load_model, model_from_dict
from pipeline.training import Counts, TrainingItem, train_model, training_items
from storage import schema
from storage.db import session_scope
from storage.decisions import desk_decisions


@dataclass(frozen=True, slots=True)
class RetrainOutcome:
    version: str
    path: Path
    c: float
    corpus_items: int
    desk_items: int
    test_items: int
    new: Counts
    current_version: str
    current: Counts
    activated: bool
    reason: str


def desk_items(excluded_urls: set[str], database_url: str | None = None) -> list[TrainingItem]:
    """The analysts' decisions from the database, except articles of the dev and test splits
    (what the model is judged on never becomes what it learns from)."""
    excluded = {canonical_url(url) for url in excluded_urls}
    schema.require_current(database_url, hint=" (or train without the desk's decisions: --no-desk)")
    with session_scope(database_url) as session:
        decisions = desk_decisions(session)
    return [
        TrainingItem(d.title, d.text, d.language, d.relevant, origin="desk")
        for d in decisions
        if d.url not in excluded
    ]


def retrain(
    corpus: Path | None = None,
    *,
    use_desk: bool = True,
    activate_new: bool = True,
    database_url: str | None = None,
) -> RetrainOutcome:
    folder = corpus or CORPUS_DIR
    train_split, dev_split, test_split = (load_split(name, folder) for name in ("train", "dev", "test"))
    items = training_items(train_split)
    from_desk: list[TrainingItem] = []
    if use_desk:
        from_desk = desk_items({i.url for i in test_split} | {i.url for i in dev_split}, database_url)
        items += from_desk
    content = train_model(items, training_items(dev_split))
    new = model_from_dict(content)
    current = load_model()
    results = compare_models(test_split, {"new": new, "in use": current})
    content["metrics"]["test"] = {
        "precision": round(results["new"].precision, 4),
        "recall": round(results["new"].recall, 4),
        "items": len(test_split),
    }
    path = save_model(content)
    if results["new"].recall < results["in use"].recall:
        activated, reason = (
            False,
            (
                f"recall {results['new'].recall:.3f} on the frozen test split is below the model in use "
                f"({results['in use'].recall:.3f})"
            ),
        )
    elif not activate_new:
        activated, reason = False, "not asked to activate it"
    elif new.version == current.version:
        activated, reason = True, "the same model is already in use"
    else:
        activate(new.version)
        activated, reason = True, "its recall on the frozen test split is not below the model in use"
    return RetrainOutcome(
        version=new.version,
        path=path,
        c=float(content["training"]["c"]),
        corpus_items=len(train_split) + len(dev_split),
        desk_items=len(from_desk),
        test_items=len(test_split),
        new=results["new"],
        current_version=current.version,
        current=results["in use"],
        activated=activated,
        reason=reason,
    )
