"""Deterministic synthetic articles for benchmarks: N extra realistic Russian items per site.

Stories are assembled from hand-written sentence variants filled with places, names and numbers
of the site's country; about 40 % are about drugs (seizures, couriers, laboratories, prevention),
the rest are ordinary police news (traffic, fraud, theft, a lost child, ceremonies, sport,
migration, weapons, domestic violence, alcohol sales). Dates are spread over 2023-01-01 …
2024-11-30, before every hand-written fixture, so the fixture periods keep their exact counts.
The same ``(n, seed)`` always yields the same articles.

:func:`generate_fresh` makes the articles a site publishes after all of these (newer dates, higher
ids), so an incremental crawl of the same mirror finds exactly them (``MirrorServer(fresh=N)``).
"""

from __future__ import annotations

import random
import zlib
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta, timezone

from mirror.model import Article
from mirror.profiles import Profile, UrlShape, profiles
from mirror.site import Site
from mirror.slugs import slugify
from mirror.stories import Story, StoryContext, story_kinds

START = date(2023, 1, 1)
END = date(2024, 11, 30)


def synthetic_sources() -> list[str]:
    """The sources synthetic articles are made for (those with a profile: the police sites)."""
    return list(profiles())


def _unique(slug: str, taken: set[str]) -> str:
    candidate, i = slug, 2
    while candidate in taken:
        candidate, i = f"{slug}-{i}", i + 1
    taken.add(candidate)
    return candidate


def generate(cls: type[Site], n: int, seed: int, fixtures: Sequence[Article]) -> list[Article]:
    """``n`` synthetic articles for ``cls``'s site (none for a site without a profile, such as a
    news outlet); deterministic in ``(n, seed)``."""
    if n <= 0 or cls.source_id not in profiles():
        return []
    rnd = random.Random(f"{seed}:{cls.source_id}:{n}")
    span = (END - START).days
    days = sorted(START + timedelta(days=int(span * (i + rnd.random()) / n)) for i in range(n))
    site_profile = profiles()[cls.source_id]
    kinds = story_kinds(site_profile.main)
    funcs = [f for f, _ in kinds]
    weights = [w for _, w in kinds]
    taken = {Site.path_key(a.path) for a in fixtures}
    ids = _ids(cls.source_id, site_profile.shape, n, fixtures, rnd)
    out = []
    for i, day in enumerate(days):
        host, profile, slash = site_profile.for_article(i, cls.hosts[0])
        tz: timezone = cls.local_tz(host)
        story = rnd.choices(funcs, weights)[0](StoryContext(rnd, profile))
        published = datetime.combine(day, time(rnd.randint(9, 19), rnd.randrange(60)), tz)
        out.append(_article(cls, site_profile.shape, host, profile, story, published, ids[i] if ids else None,
                            taken, slash, cluster=f"{cls.source_id}:synthetic:{i}"))
    return out


def generate_fresh(cls: type[Site], n: int, seed: int, existing: Sequence[Article]) -> list[Article]:
    """``n`` articles for ``cls``'s site published after all of ``existing`` (its fixtures and
    synthetic articles), with ids above theirs: what the site publishes between two crawls.
    Deterministic in ``(n, seed)``; ``existing`` is left as it is. None for a site without a profile."""
    if n <= 0 or cls.source_id not in profiles():
        return []
    own = [a for a in existing if a.source_id == cls.source_id]
    rnd = random.Random(f"{seed}:{cls.source_id}:fresh:{n}")
    site_profile = profiles()[cls.source_id]
    kinds = story_kinds(site_profile.main)
    taken = {Site.path_key(a.path) for a in own}
    newest = max(a.sort_time for a in own)
    top_id = max((a.item_id for a in own if a.item_id), default=0)
    out = []
    for i in range(n):
        host, profile, slash = site_profile.for_article(i, cls.hosts[0])
        tz: timezone = cls.local_tz(host)
        story = rnd.choices([f for f, _ in kinds], [w for _, w in kinds])[0](StoryContext(rnd, profile))
        if site_profile.shape.date_precision == "day":  # one per day after the newest
            day = newest.astimezone(tz).date() + timedelta(days=i + 1)
            published = datetime.combine(day, time(0, 0), tz)
        else:
            published = (
                (newest + timedelta(hours=3 * (i + 1))).astimezone(tz).replace(second=0, microsecond=0)
            )
        item_id = top_id + 1 + i if site_profile.shape.ids else None
        out.append(_article(cls, site_profile.shape, host, profile, story, published, item_id, taken, slash,
                            cluster=f"{cls.source_id}:fresh:{i}"))
    return out


def _article(cls: type[Site], shape: UrlShape, host: str, profile: Profile, story: Story, published: datetime,
             item_id: int | None, taken: set[str], slash: bool, *, cluster: str) -> Article:
    path = _path(shape, story, published, item_id, taken, slash)
    if shape.date_precision == "day":
        published = datetime.combine(published.date(), time(0, 0), published.tzinfo)
    every = shape.no_meta_date_every
    meta_date = not (every and zlib.crc32(path.encode()) % every == 0)
    item_id_of = getattr(cls, "item_id_of", None)
    return Article(
        source_id=cls.source_id, url=f"https://{host}{path}", host=host, path=path, language="ru",
        title=story.title, paragraphs=tuple(p for p in story.paragraphs if p), published=published,
        sort_time=published,
        date_precision=shape.date_precision, page_date=cls.default_page_date(host, meta_date),
        drug_related=story.drug_related, reference_event=None,
        cluster=cluster, signature=cls.default_signature("ru", host),
        author=shape.author.format(region=profile.places[0].region) if shape.author else None,
        item_id=item_id_of(path) if item_id_of else None, meta_date=meta_date, synthetic=True,
    )


def _ids(
    source_id: str, shape: UrlShape, n: int, fixtures: Sequence[Article], rnd: random.Random
) -> list[int]:
    """Increasing ids older than every fixture id; [] for sites without ids (WordPress)."""
    fixture_ids = [a.item_id for a in fixtures if a.item_id]
    if shape.ids == "dense":
        top = min(fixture_ids) - 1
        gaps = max(0, min(n // 10, top - n))
        if top < n:
            raise ValueError(f"{source_id} has room for {top} synthetic ids below the fixtures, asked {n}")
        return sorted(rnd.sample(range(top - n - gaps + 1, top + 1), n))
    if shape.ids == "sparse":
        return sorted(rnd.sample(range(shape.ids_low, min(fixture_ids) - 1), n))
    return []


def _path(shape: UrlShape, story: Story, published: datetime, item_id: int | None, taken: set[str],
          slash: bool) -> str:
    path = shape.path.format(
        title_slug=slugify(story.title, 120), en_slug=story.en_slug, date=published, id=item_id
    )
    if shape.unique_paths:
        path = _unique(path, taken)
    return path + ("/" if slash else "")


def generate_regional(cls: type[Site], hosts: Sequence[str], per_host: int, seed: int) -> list[Article]:
    """``per_host`` articles on each of ``hosts`` (regional hosts of ``cls``'s site, which must
    have a ``[regional]`` profile), told in the regional profile's wording, dated and numbered as
    the site's other synthetic articles (ids below ``ids_low``, so none is taken twice). For the
    many-hosts benchmark (:mod:`mirror.regions`); deterministic in ``(hosts, per_host, seed)``."""
    site_profile = profiles()[cls.source_id]
    regional = site_profile.regional
    if per_host <= 0 or regional is None:
        return []
    rnd = random.Random(f"{seed}:{cls.source_id}:regions:{per_host}")
    kinds = story_kinds(regional.profile)
    slash = site_profile.shape.trailing_slash if regional.trailing_slash is None else regional.trailing_slash
    span = (END - START).days
    out: list[Article] = []
    taken: set[str] = set()
    for number, host in enumerate(hosts):
        tz: timezone = cls.local_tz(host)
        for i in range(per_host):
            day = START + timedelta(days=int(span * (i + rnd.random()) / per_host))
            tell = rnd.choices([f for f, _ in kinds], [w for _, w in kinds])[0]
            story = tell(StoryContext(rnd, regional.profile))
            published = datetime.combine(day, time(rnd.randint(9, 19), rnd.randrange(60)), tz)
            item_id = site_profile.shape.ids_low - 1 - number * per_host - i
            out.append(_article(cls, site_profile.shape, host, regional.profile, story, published, item_id,
                                taken, slash, cluster=f"{cls.source_id}:regional:{host}:{i}"))
    return out
