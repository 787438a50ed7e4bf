"""Which article an event is printed from and linked to: its original, not a repost.

An event clusters language versions and reposts of one story. The release prints one of them
(its title, text, date and link), and the analysts' choice of it is final:

1. the article the analyst named (:attr:`Event.lead_url`: a decisions file's ``url``, or the
   article picked on the event page);
2. otherwise the Russian-language version (the reference release links the ``/ru/`` versions of
   multilingual sites);
3. on a configured host of its source rather than on another host of the same site (a regional
   site ``NN.мвд.рф`` reposting the main host's story, or the reverse);
4. dated before undated, then the earliest publication, then the first stored.
"""

from __future__ import annotations

from collections.abc import Iterable

from config import load_sources
from core.urls import InvalidURL, ascii_host
from storage.models import Article, Event

ORIGINAL_LANGUAGE_PREFERRED = "ru"


def lead_article(event: Event, configured_hosts: Iterable[str] | None = None) -> Article | None:
    """The event's lead article (see the module's rules); None for an event without articles.

    ``configured_hosts``: ASCII hosts that are a source's own (default: ``config/sources.toml``).
    """
    if not event.articles:
        return None
    if event.lead_url:
        for article in event.articles:
            if article.canonical_url == event.lead_url:
                return article
    own = frozenset(configured_hosts) if configured_hosts is not None else _configured_hosts()
    return min(
        event.articles,
        key=lambda a: (
            a.language != ORIGINAL_LANGUAGE_PREFERRED,
            _bare(a.host) not in own,
            a.date_uncertain,
            a.published_at,
            a.id,
        ),
    )


def _configured_hosts() -> frozenset[str]:
    """The configured sources' hosts (``load_sources`` is cached; this is a few set inserts)."""
    hosts: set[str] = set()
    for source in load_sources().sources:
        for host in source.hosts:
            try:
                hosts.add(_bare(ascii_host(host)))
            except InvalidURL:
                continue
    return frozenset(hosts)


def _bare(host: str | None) -> str:
    """A host without ``www.`` (one site either way)."""
    return (host or "").lower().removeprefix("www.")

