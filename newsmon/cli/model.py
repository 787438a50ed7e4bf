"""``newsmon model``: train, evaluate, list and restore the relevance model.

``train`` learns from the real-text corpus (train and dev splits; regularisation, calibration
and thresholds by cross-validation over them) plus the analysts' decisions stored in the
database (accepted events; rejections "not about drugs").
The new model is kept, but put in use only when it does not lose recall on the frozen test
split against the model in use; the replaced one stays and ``restore`` brings it back.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from newsmon.cli.app import app, group

if TYPE_CHECKING:
    from pipeline.training import Counts

model_app = group(help="The relevance model: train, evaluate, list, restore.", no_args_is_help=True)
app.add_typer(model_app, name="model")

CorpusOption = Annotated[
    Path | None,
    typer.Option("--corpus", help="Corpus folder (train/dev/test JSONL and test.sha256).", file_okay=False),
]


def _corpus(folder: Path | None) -> Path:
    from pipeline.corpus import CORPUS_DIR

    return folder or CORPUS_DIR


def _line(name: str, result: Counts) -> str:
    return f"  {name:<32} precision {result.precision:.3f}  recall {result.recall:.3f}  " + (
        f"(TP {result.tp}, FP {result.fp}, FN {result.fn}, TN {result.tn})"
    )


@model_app.command("train")
def train(
    corpus: CorpusOption = None,
    desk: Annotated[
        bool, typer.Option("--desk/--no-desk", help="Add the analysts' decisions from the database.")
    ] = True,
    activate_new: Annotated[
        bool, typer.Option("--activate/--no-activate", help="Put the new model in use if it keeps recall.")
    ] = True,
) -> None:
    """Retrain from the corpus and the desk's decisions; activate only without recall loss.

    Example: `newsmon model train --no-desk`
    """
    from newsmon.retrain import retrain

    outcome = retrain(corpus, use_desk=desk, activate_new=activate_new)
    typer.echo(
        f"training items: {outcome.corpus_items} from the corpus (train and dev splits), "
        f"{outcome.desk_items} from the desk"
    )
    typer.echo(f"trained {outcome.version} (C={outcome.c:g}), saved to {outcome.path}")
    typer.echo(f"frozen test split ({outcome.test_items} items):")
    typer.echo(_line(f"new {outcome.version}", outcome.new))
    typer.echo(_line(f"in use {outcome.current_version}", outcome.current))
    if outcome.activated:
        typer.echo(f"activated {outcome.version}: {outcome.reason}; newsmon model restore goes back")
    else:
        typer.echo(f"not activated: {outcome.reason}; {outcome.current_version} stays in use")


@model_app.command("evaluate")
def evaluate(corpus: CorpusOption = None) -> None:
    """Test-split figures: keyword baseline, lexicon alone, the shipped model and the one in use.

    Example: `newsmon model evaluate`
    """
    from pipeline.corpus import load_split
    from pipeline.model_store import shipped_version
    from pipeline.quality import compare_models
    from pipeline.relevance_model import load_model, model_path, read_model

    test_split = load_split("test", _corpus(corpus))
    shipped = read_model(model_path(shipped_version()))
    current = load_model()
    models = {f"shipped {shipped.version}": shipped}
    if current.version != shipped.version:
        models[f"in use {current.version}"] = current
    results = compare_models(test_split, models)
    relevant = sum(i.relevant for i in test_split)
    typer.echo(
        f"frozen test split: {len(test_split)} real items ({relevant} relevant); positive = label 'relevant'"
    )
    for name, result in results.items():
        typer.echo(_line(name, result))


@model_app.command("list")
def list_models() -> None:
    """The models kept here and the one in use.

    Example: `newsmon model list`
    """
    from pipeline.model_store import list_models as stored

    for info in stored():
        test = info.test
        figures = f"test P {test['precision']:.3f} R {test['recall']:.3f}" if "recall" in test else ""
        mark = "*" if info.active else " "
        typer.echo(
            f"{mark} {info.version:<24} {info.where:<8} {info.created:<26} {info.items:>5} items  {figures}"
        )


@model_app.command("restore")
def restore(
    version: Annotated[
        str | None, typer.Argument(help="Version to use (default: the one replaced last).")
    ] = None,
) -> None:
    """Put a kept model back in use (by default the one the last activation replaced).

    Example: `newsmon model restore`
    """
    from pipeline.model_store import restore as restore_version

    typer.echo(f"relevance model in use: {restore_version(version)}")
