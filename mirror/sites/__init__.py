"""The mirrored sites: one folder of data each (``site.toml``, ``templates/``, ``articles/``).

Every subfolder with a ``site.toml`` is a site, served by the shape it names (see
:mod:`mirror.datasite`). ``NEWSMON_MIRROR_EXTRA_SITES`` adds the site folders of more folders.
"""

from __future__ import annotations

import os
from pathlib import Path

from mirror.datasite import DataSite, data_site

SITES_DIR = Path(__file__).resolve().parent


EXTRA_SITES_ENV = "NEWSMON_MIRROR_EXTRA_SITES"
"""Folders (``os.pathsep``-separated) whose subfolders are mirrored sites too (tests of new sites)."""


def _site_folders() -> list[Path]:
    """Every folder with a ``site.toml``, by name."""
    parents = [SITES_DIR, *(Path(p) for p in os.environ.get(EXTRA_SITES_ENV, "").split(os.pathsep) if p)]
    return sorted((p for parent in parents for p in parent.iterdir() if (p / "site.toml").is_file()),
                  key=lambda p: p.name)


SITE_CLASSES: tuple[type[DataSite], ...] = tuple(data_site(folder) for folder in _site_folders())


def site_class(source_id: str) -> type[DataSite]:
    for cls in SITE_CLASSES:
        if cls.source_id == source_id:
            return cls
    raise KeyError(source_id)
