"""Id walk: sequential article ids fetched one after another when no listing can be read.

A walk goes up from the newest id seen (new items) or, without a start point, learns the newest
id from the home page and walks both ways; it ends after ``max_misses`` consecutive misses,
``max_steps`` ids, below id 1, below a backfill's window, or (incrementally) where the ids
reach stored items.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from core.urls import canonical_url
from crawlers.channels import Channel
from crawlers.spec import WalkSpec

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Walk:
    """Progress of an id walk over ``template`` (``https://mvd.gov.kg/rus/news/{id}``)."""

    channel: Channel
    template: str
    next_id: int
    step: int
    """+1 upwards (new items), -1 downwards (backfill)."""
    misses: int = 0
    steps: int = 0


class IdWalk:
    """The walk of one site's ids by its :class:`~crawlers.spec.WalkSpec` (None: no walking)."""

    def __init__(self, spec: WalkSpec | None) -> None:
        self.spec = spec
        self.id_pattern = re.compile(spec.id_pattern) if spec else None

    @property
    def max_misses(self) -> int:
        return self.spec.max_misses if self.spec else 0

    def item_id(self, url: str) -> int | None:
        """The numeric article id in a URL, for sites that can be walked."""
        if self.id_pattern is None:
            return None
        match = self.id_pattern.search(urlsplit(url).path)
        return int(match.group(1)) if match else None

    def prefix(self, channel: Channel) -> str:
        """The listing's first path segment (``/rus``), or the spec's default at the root."""
        path = urlsplit(channel.listing or "").path.strip("/")
        default = self.spec.default_prefix if self.spec else ""
        return "/" + path.split("/")[0] if path else default

    def template_for(self, channel: Channel) -> str | None:
        """The id template of a channel with scheme, host and prefix filled, if it can be walked."""
        if self.spec is None or not channel.listing:
            return None
        parts = urlsplit(channel.listing)
        return self.spec.template.format(
            scheme=parts.scheme, host=parts.netloc, id="{id}", prefix=self.prefix(channel)
        )

    def home_urls(self, channel: Channel) -> list[str]:
        """Pages whose article links reveal the newest id when a walk has no stored start."""
        if self.spec is not None and self.spec.home_from_prefix and channel.listing:
            parts = urlsplit(channel.listing)
            return [f"{parts.scheme}://{parts.netloc}{self.prefix(channel)}"]
        return [channel.listing] if channel.listing else []

    def advance(
        self, walk: Walk, outcome: str, *, published: datetime | None, since: date | None
    ) -> Walk | None:
        """The walk after ``outcome`` of its current id: ``hit`` (an article), ``miss`` (404),
        ``error`` (other failure), or ``start`` (the current id itself is next); None when a
        downward walk went below ``since``."""
        if outcome != "start":
            misses = {"hit": 0, "miss": walk.misses + 1}.get(outcome, walk.misses)
            walk = replace(walk, next_id=walk.next_id + walk.step, misses=misses, steps=walk.steps + 1)
        if walk.step < 0 and published is not None and since is not None:
            if published.astimezone(ZoneInfo(walk.channel.timezone)).date() < since:
                return None  # walked below the backfill window
        return walk

    def next_unfetched(
        self,
        walk: Walk,
        *,
        scheduled: Callable[[str], bool],
        known: Callable[[str], bool],
        refetch: bool,
        backfill: bool,
    ) -> Walk | None:
        """The walk moved to the next id worth fetching, or None when it ends."""
        assert self.spec is not None
        while True:
            if walk.misses >= self.spec.max_misses or walk.steps >= self.spec.max_steps or walk.next_id < 1:
                logger.info(
                    "walk of %s stops at id %s (%s misses)", walk.channel.key, walk.next_id, walk.misses
                )
                return None
            key = canonical_url(walk.template.format(id=walk.next_id))
            if scheduled(key):
                pass
            elif refetch or not known(key):
                return walk
            elif walk.step < 0 and not backfill:
                return None  # walking down into stored items: the rest is known
            walk = replace(walk, next_id=walk.next_id + walk.step, misses=0, steps=walk.steps + 1)
