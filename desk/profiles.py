"""The text profiles the merge candidates are ranked by, kept between event pages.

Every event page ranks the events of three periods by how alike their texts are to its own
(:func:`desk.merge.merge_candidates`). Reading and profiling those texts each time costs about a
second on a store of a million articles (three periods of some 2,000 events and 8,000 articles
each). So the profiles are kept, per database and event, with the event's stamp
(:func:`storage.events.candidate_stamps`: its version and its articles' ids, hashes and tagging
times); a page reads the stamps, a few bytes an article, and only the texts of events whose
stamp changed since (or that it never saw).

Reading the stamps is itself an index probe per event of three periods (about 6,000 at 1M,
90 ms or more on a loaded machine). So the stamps of a period are kept too, with the store's
change marker (:func:`storage.page_cache.store_marker`: the newest event, article, article
rewrite and audit entry): while it is unchanged (and for at most :data:`MAX_STAMP_AGE_S`) no
text can have changed and the kept stamps are used again; when it changed, the stamps are read
as before and only changed events' texts.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from threading import Lock
from typing import NamedTuple

from core.period import Period
from desk.similarity import ProfileMatrix
from pipeline.cluster import TextProfile, text_profile
from storage.db import Session
from storage.events import candidate_stamps, candidate_texts
from storage.page_cache import store_marker

MAX_KEPT = 8_192
"""Profiles kept, the least recently used going first: enough for the three periods an event page
ranks on a store of a million articles (about 6,200 events). A profile of four articles' texts
takes some tens of kB (its strings; the tuples are smaller than the sets they were)."""


class KeptProfile(NamedTuple):
    """A profile's words and shingles as tuples, not sets: a tuple of strings leaves the garbage
    collector's lists, a set never does, and some 8,000 kept sets of 100–300 features made every
    full collection of a review process a 140 ms pause (seen on one event page in ten at 1M)."""

    words: tuple[str, ...]
    shingles: tuple[bytes, ...]

    @classmethod
    def of(cls, text: str) -> KeptProfile:
        # text_profile's own cache would keep the sets too: made once, without it.
        profile = text_profile.__wrapped__(text)
        return cls(tuple(profile.words), tuple(profile.shingles))


MAX_STAMP_AGE_S = 30.0
"""Kept stamps are read again after this long even when the marker is unchanged (a change the
marker cannot see, e.g. a row edited by hand)."""

Stamps = dict[int, tuple[object, ...]]
_stamped: dict[tuple[str, str], tuple[tuple[object, ...], float, Stamps]] = {}
MAX_MATRICES = 12
"""Periods whose :class:`desk.similarity.ProfileMatrix` is kept (an event page ranks three)."""
_matrices: OrderedDict[tuple[str, str], tuple[Stamps, ProfileMatrix]] = OrderedDict()
_kept: OrderedDict[tuple[str, int], tuple[tuple[object, ...], KeptProfile]] = OrderedDict()
_lock = Lock()


def period_similarities(
    session: Session, period: Period, own: TextProfile, *, besides: int, chars: int
) -> dict[int, float]:
    """Per event of ``period`` but ``besides``: :func:`pipeline.cluster.profile_similarity` of
    its candidate text's profile and ``own``, from the period's kept :class:`ProfileMatrix`
    (built again when an event's stamp changed)."""
    database = _database(session, chars)
    stamps = _period_stamps(session, database, period)
    with _lock:
        kept = _matrices.get((database, period.key))
    if kept is not None and (kept[0] is stamps or kept[0] == stamps):
        matrix = kept[1]
    else:
        matrix = ProfileMatrix.of(period_profiles(session, period, besides=None, chars=chars))
        with _lock:
            _matrices[(database, period.key)] = (stamps, matrix)
            _matrices.move_to_end((database, period.key))
            while len(_matrices) > MAX_MATRICES:
                _matrices.popitem(last=False)
    similarities = matrix.similarities(own)
    similarities.pop(besides, None)
    return similarities


def _database(session: Session, chars: int) -> str:
    return f"{session.get_bind().engine.url}|{chars}"


def period_profiles(
    session: Session, period: Period, *, besides: int | None, chars: int
) -> dict[int, KeptProfile]:
    """Per event of ``period`` but ``besides``: the profile of its candidate text
    (:func:`storage.events.candidate_texts` with ``chars``)."""
    database = _database(session, chars)
    stamps = dict(_period_stamps(session, database, period))
    if besides is not None:
        stamps.pop(besides, None)
    found: dict[int, KeptProfile] = {}
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
            profile = KeptProfile.of(text)
            found[event_id] = profile
            _kept[(database, event_id)] = (stamps[event_id], profile)
        while len(_kept) > MAX_KEPT:
            _kept.popitem(last=False)
    return found


def _period_stamps(session: Session, database: str, period: Period) -> Stamps:
    """:func:`storage.events.candidate_stamps` of ``period``, kept while the store's change
    marker is unchanged (see the module)."""
    marker, now = store_marker(session), time.monotonic()
    with _lock:
        kept = _stamped.get((database, period.key))
    if kept is not None and kept[0] == marker and now - kept[1] < MAX_STAMP_AGE_S:
        return kept[2]
    stamps = candidate_stamps(session, period)
    with _lock:
        _stamped[(database, period.key)] = (marker, now, stamps)
    return stamps


def forget_profiles() -> None:
    """Drop every kept profile and stamp (tests; a process that changes databases)."""
    with _lock:
        _kept.clear()
        _stamped.clear()
        _matrices.clear()
