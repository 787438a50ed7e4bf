"""The release's events: accepted ones of the period, in section order."""

from __future__ import annotations

from datetime import date

from release.events import release_events
from storage.db import session_scope
from tests.release.reference import add_event


def test_events_come_in_country_then_position_then_date_order(release_db):
    with session_scope(release_db) as session:
        def event(country, day=10, **kwargs):
            url = f"https://example.org/{country}/{day}/{kwargs.get('position')}/{kwargs.get('status')}"
            return add_event(session, url=url, country=country, day=day, source_id=None, **kwargs).id

        unknown = event("XX")
        afghanistan = event("AF")
        uzbekistan = event("UZ")
        kz_late = event("KZ", day=14)
        kz_second = event("KZ", day=2, position=2)
        kz_early = event("KZ", day=3)
        kz_first = event("KZ", day=12, position=1)
        tajikistan = event("TJ")
        event("RU", status="rejected")
        event("RU", status="new")
        event("KG", day=20)  # release #2
        moved_in = add_event(session, url="https://example.org/in", country="KG", day=20, source_id=None)
        moved_in.published_override = date(2025, 1, 15)
        moved_out = add_event(session, url="https://example.org/out", country="KG", day=5, source_id=None)
        moved_out.published_override = date(2025, 1, 16)
        moved_in_id = moved_in.id

    with session_scope(release_db) as session:
        order = [e.id for e in release_events(session, 2025, 1)]
    assert order == [kz_first, kz_second, kz_early, kz_late, moved_in_id, tajikistan, uzbekistan, afghanistan,
                     unknown]
