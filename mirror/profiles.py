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


@dataclass(frozen=True)
class SiteProfile:
    main: Profile
    regional: Regional | None = None

    def for_article(self, index: int, main_host: str) -> tuple[str, Profile]:
        """The host and profile of the ``index``-th synthetic article."""
        regional = self.regional
        if regional is not None and index % regional.every == regional.every - 1:
            return regional.host, regional.profile
        return main_host, self.main


def _profile(raw: dict[str, Any], base: Profile | None = None) -> Profile:
    values: dict[str, Any] = {key: value for key, value in raw.items() if key not in ("host", "every")}
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
        regional = None
        if regional_raw is not None:
            host, every = regional_raw["host"], int(regional_raw["every"])
            regional = Regional(host, every, _profile(regional_raw, main))
        found[file.parent.name] = SiteProfile(main, regional)
    return found
