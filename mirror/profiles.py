"""Synthetic-article profiles as data: ``mirror/sites/<id>/synthetic.toml`` per site.

A profile holds the places, surnames and wording of a site's country that the story templates
(:mod:`mirror.stories`) fill in. A site without the file gets no synthetic articles (news outlets).
An optional ``[regional]`` table puts every ``every``-th article on another host of the site in
its region's wording (fields it leaves out are the main profile's).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any

SITES_DIR = Path(__file__).resolve().parent / "sites"
PROFILE_FILE = "synthetic.toml"


@dataclass(frozen=True)
class Place:
    city: str
    in_city: str
    """Prepositional phrase: ``в Караганде``."""
    region: str
    """Genitive for unit names: ``Карагандинской области``."""
    latin: str


@dataclass(frozen=True)
class Profile:
    places: tuple[Place, ...]
    surnames: tuple[str, ...]
    rank: str
    police: str
    """``полицейские`` / ``сотрудники милиции``."""
    drug_unit: str
    """Format string with {region}."""
    traffic_unit: str
    currency: str
    drug_article: str
    """``статье 297 УК РК``: the drug-sale article named in texts."""
    org: str
    """``Полиция`` / ``Милиция`` / ``Агентство``."""
    to_police: str
    """``в полицию`` / ``в милицию``."""
    kinds: tuple[str, ...] = ()
    """Story kinds this site publishes (all when empty)."""


@dataclass(frozen=True)
class Regional:
    """Every ``every``-th synthetic article is on ``host``, told with ``profile``."""

    host: str
    every: int
    profile: Profile
    trailing_slash: bool | None = None
    """The host's article paths end in ``/`` (None: as on the main host)."""


@dataclass(frozen=True)
class UrlShape:
    """How a site's synthetic articles are addressed and dated."""

    path: str
    """Path template; fields ``title_slug``, ``en_slug``, ``date`` (the publication time), ``id``."""
    unique_paths: bool = False
    """Slug paths: a taken one gets ``-2``, ``-3`` …"""
    trailing_slash: bool = False
    ids: str | None = None
    """``dense`` (consecutive ids with a few gaps right below the fixtures' lowest), ``sparse``
    (random ids from ``ids_low`` up to it), or None (no ids)."""
    ids_low: int = 1
    date_precision: str = "minute"
    no_meta_date_every: int = 0
    """Every page whose path's CRC-32 is divisible by this has no ``article:published_time``."""
    author: str | None = None
    """Byline template; field ``region`` (of the profile's first place)."""


@dataclass(frozen=True)
class SiteProfile:
    main: Profile
    shape: UrlShape
    regional: Regional | None = None

    def for_article(self, index: int, main_host: str) -> tuple[str, Profile, bool]:
        """The host, profile and trailing slash of the ``index``-th synthetic article."""
        regional = self.regional
        if regional is not None and index % regional.every == regional.every - 1:
            slash = self.shape.trailing_slash if regional.trailing_slash is None else regional.trailing_slash
            return regional.host, regional.profile, slash
        return main_host, self.main, self.shape.trailing_slash


SHAPE_KEYS = frozenset(UrlShape.__dataclass_fields__)
REGIONAL_KEYS = frozenset({"host", "every", "trailing_slash"})


def _profile(raw: dict[str, Any], base: Profile | None = None) -> Profile:
    skipped = REGIONAL_KEYS | SHAPE_KEYS
    values: dict[str, Any] = {key: value for key, value in raw.items() if key not in skipped}
    if "places" in values:
        values["places"] = tuple(Place(**place) for place in values["places"])
    for key in ("surnames", "kinds"):
        if key in values:
            values[key] = tuple(values[key])
    return replace(base, **values) if base is not None else Profile(**values)


@cache
def profiles(directory: Path = SITES_DIR) -> dict[str, SiteProfile]:
    """Source id -> profile, for every site folder with a ``synthetic.toml``."""
    found: dict[str, SiteProfile] = {}
    for file in sorted(directory.glob(f"*/{PROFILE_FILE}")):
        with file.open("rb") as handle:
            raw = tomllib.load(handle)
        regional_raw = raw.pop("regional", None)
        main = _profile(raw)
        shape = UrlShape(**{key: value for key, value in raw.items() if key in SHAPE_KEYS})
        regional = None
        if regional_raw is not None:
            host, every = regional_raw["host"], int(regional_raw["every"])
            slash = regional_raw.get("trailing_slash")
            regional = Regional(host, every, _profile(regional_raw, main), slash)
        found[file.parent.name] = SiteProfile(main, shape, regional)
    return found
