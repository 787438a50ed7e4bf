"""Loads a mirrored site folder (``site.toml`` + ``templates/`` + ``articles/``) into its site class.

``site.toml`` names the folder's shape (``shape = "wordpress"``; default ``outlet``), the route
family of :mod:`mirror.shapes` that serves it, and states everything the site has of its own. No
Python per site.
"""

from __future__ import annotations

from pathlib import Path

from mirror.shapes.base import DataSite, read_site_toml
from mirror.shapes.id_news import IdNewsSite
from mirror.shapes.outlet import OutletSite
from mirror.shapes.portal import PortalSite
from mirror.shapes.wordpress import WordPressSite

SHAPES: dict[str, type[DataSite]] = {
    "outlet": OutletSite,
    "wordpress": WordPressSite,
    "id_news": IdNewsSite,
    "portal": PortalSite,
}

__all__ = ["SHAPES", "DataSite", "data_site"]


def data_site(directory: Path) -> type[DataSite]:
    """The site class of a data folder, of the shape its ``site.toml`` names."""
    raw = read_site_toml(directory)
    shape = raw.get("shape", "outlet")
    if shape not in SHAPES:
        raise ValueError(f"{directory}/site.toml: shape must be one of {sorted(SHAPES)}, not {shape!r}")
    base = SHAPES[shape]
    class_name = "".join(part.title() for part in raw["source_id"].split("_")) + "Site"
    return type(class_name, (base,), base.attributes(raw, directory))
