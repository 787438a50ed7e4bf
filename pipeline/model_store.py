"""Where relevance models are kept, and which one is in use.

The model that comes with newsmon is in ``<config>/models/relevance`` (``ACTIVE`` names it).
``newsmon model train`` writes retrained models to ``<data>/models/relevance`` and switches to one
by writing ``ACTIVE`` there; the version it replaced goes to ``PREVIOUS``, so
:func:`restore` can go back. Nothing is ever deleted: every version stays restorable.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.relevance_model import (
    ACTIVE_FILE,
    ModelError,
    active_version,
    forget_loaded_model,
    local_dir,
    model_from_dict,
    model_path,
    read_model,
    shipped_dir,
)
from pipeline.version import forget_tagger_version

PREVIOUS_FILE = "PREVIOUS"


@dataclass(frozen=True, slots=True)
class ModelInfo:
    version: str
    where: str
    """``shipped`` or ``local``."""
    created: str
    items: int
    active: bool
    test: dict[str, Any]


def _write_atomically(path: Path, body: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(body)
        os.chmod(temporary, 0o644)  # mkstemp's 0600 would hide the model from a service account
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def save_model(content: dict[str, Any], folder: Path | None = None) -> Path:
    """Write a trained model (validated first) as ``<version>.json``; returns its path."""
    model = model_from_dict(content)
    path = (folder or local_dir()) / f"{model.version}.json"
    _write_atomically(path, json.dumps(content, ensure_ascii=False, sort_keys=True, indent=0) + "\n")
    return path


def shipped_version() -> str:
    marker = shipped_dir() / ACTIVE_FILE
    try:
        return marker.read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise ModelError(
            f"{marker}: cannot read the shipped relevance model's name ({exc.strerror})"
        ) from exc


def activate(version: str) -> str | None:
    """Make ``version`` the model in use; returns the version it replaced."""
    read_model(model_path(version))  # refuse to switch to a file that would not load
    try:
        current: str | None = active_version()
    except ModelError:
        current = None
    if current == version:
        return current
    folder = local_dir()
    if current is not None:
        _write_atomically(folder / PREVIOUS_FILE, current + "\n")
    _write_atomically(folder / ACTIVE_FILE, version + "\n")
    forget_loaded_model()
    forget_tagger_version()
    return current


def previous_version() -> str | None:
    marker = local_dir() / PREVIOUS_FILE
    return marker.read_text(encoding="utf-8").strip() or None if marker.exists() else None


def restore(version: str | None = None) -> str:
    """Go back to ``version``, or to the one in use before the last switch; returns it."""
    target = version or previous_version()
    if target is None:
        raise ModelError("no previous relevance model to restore (none was replaced here)")
    activate(target)
    return target


def list_models() -> list[ModelInfo]:
    try:
        current = active_version()
    except ModelError:
        current = None
    found: list[ModelInfo] = []
    for where, folder in (("shipped", shipped_dir()), ("local", local_dir())):
        for path in sorted(folder.glob("*.json")):
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
                version = str(data["version"])
            except (OSError, ValueError, KeyError, TypeError):
                continue
            metrics = data.get("metrics") or {}
            found.append(
                ModelInfo(
                    version=version,
                    where=where,
                    created=str(data.get("created", "")),
                    items=int((data.get("training") or {}).get("items", 0)),
                    active=version == current,
                    test=dict(metrics.get("test") or {}),
                )
            )
    return found
