"""The text profiles the merge candidates are ranked by, kept between event pages.

Every event page ranks the events of three periods by how alike their texts are to its own
(:func:`desk.merge.merge_candidates`). Reading and profiling those texts each time costs about a
second on a store of a million articles (three periods of some 2,000 events and 8,000 articles
each). So the profiles are kept, per database and event, with the event's stamp
(:func:`storage.events.candidate_stamps`: its version and its articles' ids, hashes and tagging
times); a page reads the stamps, a few bytes an article, and only the texts of events whose
stamp changed since (or that it never saw).
"""

from __future__ import annotations

from collections import OrderedDict
from threading import Lock

from core.period import Period
from pipeline.cluster import TextProfile, text_profile
from storage.db import Session
from storage.events import candidate_stamps, candidate_texts

MAX_KEPT = 8_192
"""Profiles kept, the least recently used going first: as many as :func:`pipeline.cluster.text_profile`
caches (the same objects), which holds the three periods an event page ranks on a store of a
million articles (about 6,200 events). A profile of four articles' texts takes about 100 kB."""

_kept: OrderedDict[tuple[str, int], tuple[tuple[object, ...], TextProfile]] = OrderedDict()
_lock = Lock()


def period_profiles(session: Session, period: Period, *, besides: int, chars: int) -> dict[int, TextProfile]:
    """Per event of ``period`` but ``besides``: the profile of its candidate text
    (:func:`storage.events.candidate_texts` with ``chars``)."""
    bind = session.get_bind()
    database = f"{bind.engine.url}|{chars}"
    stamps = candidate_stamps(session, period)
    stamps.pop(besides, None)
    found: dict[int, TextProfile] = {}
    stale: list[int] = []
    with _lock:
        for event_id, stamp in stamps.items():
            kept = _kept.get((database, event_id))
            if kept is not None and kept[0] == stamp:
                _kept.move_to_end((database, event_id))
                found[event_id] = kept[1]
            else:
                stale.append(event_id)
    if not stale:
        return found
    texts = candidate_texts(session, period, besides=besides, chars=chars, only=stale)
    with _lock:
        for event_id, text in texts.items():
            profile = text_profile(text)
            found[event_id] = profile
            _kept[(database, event_id)] = (stamps[event_id], profile)
        while len(_kept) > MAX_KEPT:
            _kept.popitem(last=False)
    return found


def forget_profiles() -> None:
    """Drop every kept profile (tests; a process that changes databases)."""
    with _lock:
        _kept.clear()
