"""The mirrored sites, one package each."""

from __future__ import annotations

from mirror.site import Site
from mirror.sites.akn_tj import AknTj
from mirror.sites.mvd_kg import MvdKg
from mirror.sites.mvd_ru import MvdRu
from mirror.sites.polisia_kz import PolisiaKz

SITE_CLASSES: tuple[type[Site], ...] = (PolisiaKz, MvdKg, MvdRu, AknTj)


def site_class(source_id: str) -> type[Site]:
    for cls in SITE_CLASSES:
        if cls.source_id == source_id:
            return cls
    raise KeyError(source_id)
