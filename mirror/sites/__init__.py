"""The mirrored sites: one folder each, data (``site.toml``) or, for quirky sites, a package."""

from __future__ import annotations

import os
from pathlib import Path

from mirror.datasite import data_site
from mirror.site import Site
from mirror.sites.akn_tj import AknTj
from mirror.sites.mvd_kg import MvdKg
from mirror.sites.mvd_ru import MvdRu
from mirror.sites.polisia_kz import PolisiaKz

SITES_DIR = Path(__file__).resolve().parent


EXTRA_SITES_ENV = "NEWSMON_MIRROR_EXTRA_SITES"
"""Folders (``os.pathsep``-separated) whose subfolders are mirrored sites too (tests of new sites)."""


def _data_sites() -> tuple[type[Site], ...]:
    """The folders that are data only (a ``site.toml``, no ``__init__.py``), by name."""
    parents = [SITES_DIR, *(Path(p) for p in os.environ.get(EXTRA_SITES_ENV, "").split(os.pathsep) if p)]
    folders = sorted(
        (p for parent in parents for p in parent.iterdir()
         if (p / "site.toml").is_file() and not (p / "__init__.py").exists()),
        key=lambda p: p.name,
    )
    return tuple(data_site(folder) for folder in folders)


SITE_CLASSES: tuple[type[Site], ...] = (PolisiaKz, MvdKg, MvdRu, AknTj, *_data_sites())


def site_class(source_id: str) -> type[Site]:
    for cls in SITE_CLASSES:
        if cls.source_id == source_id:
            return cls
    raise KeyError(source_id)
