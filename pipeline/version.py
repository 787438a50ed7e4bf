"""Which tagger tagged an article: a fingerprint of everything that decides its machine tags.

An article's tags follow from its stored page and from the tagger: the code of the stages
(``core``, ``config``, ``pipeline``), the configuration data they read (sources, lexicons,
gazetteer, boilerplate and fact rules), the active relevance model and the libraries that
extract and detect. :func:`tagger_version` hashes all of them; every tagged article carries it
and storage keeps it per article, so ``newsmon retag`` knows which articles a lexicon fix has
not reached yet (it resumes where a stopped retag ended, and a second retag finds nothing to do).

The fingerprint errs on the side of retagging: any change to a configuration file the tagger
may read, or to the code of a stage, gives a new version, even when no tag would change.
"""

from __future__ import annotations

import hashlib
import os
from functools import cache
from importlib import metadata
from pathlib import Path

import config
import core
import pipeline
from config import config_dir
from pipeline.relevance_model import ModelError, active_version

VERSION_CHARS = 16
"""Hex digits kept of the SHA-256 (64 bits: no two taggers a project ever runs collide)."""

NOT_READ_BY_TAGGING = frozenset({"release.toml", "review.toml", "schedules.toml", "passwords", "models"})
"""Configuration files and folders the tagger never reads (the model enters by its version)."""

LIBRARIES = ("trafilatura", "htmldate", "justext", "lxml", "py3langid", "langdetect", "datasketch")
"""Distributions whose upgrade may change extraction, dates, language or MinHash signatures."""


def _files(folder: Path, *, suffixes: tuple[str, ...] | None = None) -> list[Path]:
    """The files under ``folder`` in a fixed order, caches and the tagger's unread files left out."""
    found = []
    for path in folder.rglob("*"):
        parts = path.relative_to(folder).parts
        if not path.is_file() or "__pycache__" in parts or parts[0] in NOT_READ_BY_TAGGING:
            continue
        if suffixes is not None and path.suffix not in suffixes:
            continue
        found.append(path)
    return sorted(found)


def _library_version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "absent"


def _model_version() -> str:
    try:
        return active_version()
    except ModelError as exc:  # tagging will say so itself; the version must not fail first
        return f"unreadable: {exc}"


@cache
def _version(config_setting: str | None, data_setting: str | None) -> str:
    """The fingerprint for these settings of ``NEWSMON_CONFIG_DIR`` and ``NEWSMON_DATA_DIR``."""
    digest = hashlib.sha256()

    def add(label: str, data: bytes) -> None:
        digest.update(f"{label}\0{len(data)}\0".encode())
        digest.update(data)

    for package in (core, config, pipeline):
        root = Path(package.__file__ or "").resolve().parent
        for path in _files(root, suffixes=(".py",)):
            add(f"code:{package.__name__}/{path.relative_to(root).as_posix()}", path.read_bytes())
    data = config_dir()
    for path in _files(data):
        if path.suffix != ".py" and path.suffix != ".md":
            add(f"config:{path.relative_to(data).as_posix()}", path.read_bytes())
    add("model", _model_version().encode())
    for name in LIBRARIES:
        add(f"library:{name}", _library_version(name).encode())
    return digest.hexdigest()[:VERSION_CHARS]


def tagger_version() -> str:
    """The fingerprint of the tagger this process runs (computed once per configuration and data
    folder; then a dictionary lookup per article)."""
    return _version(os.environ.get("NEWSMON_CONFIG_DIR"), os.environ.get("NEWSMON_DATA_DIR"))


def forget_tagger_version() -> None:
    """Compute the fingerprint again on next use (tests that edit configuration files in place)."""
    _version.cache_clear()
