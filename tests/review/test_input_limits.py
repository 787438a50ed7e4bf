"""Out-of-range ids, malformed fields and oversized texts get a 404 or a 400 with the reason,
never a 500, and nothing is saved."""

from __future__ import annotations

import pytest

from storage.db import session_scope
from storage.models import Event

HUGE = "9999999999999999999999999"


def _event(url: str, event_id: int) -> Event:
    with session_scope(url) as s:
        event = s.get(Event, event_id)
        assert event is not None
        return event


@pytest.mark.parametrize("path", [f"/events/{HUGE}", "/events/2147483648", "/events/0"])
def test_an_id_no_row_can_have_is_not_found(client, path):
    client.login("anna")
    assert client.get(path).status_code == 404


@pytest.mark.parametrize(
    "path",
    [f"/events/{HUGE}/status", f"/events/{HUGE}/merge", f"/articles/{HUGE}/split", f"/events/{HUGE}/facts"],
)
def test_posting_to_an_id_no_row_can_have_is_not_found(client, path):
    client.login("anna")
    assert client.post(path, {"status": "accepted", "version": "1"}).status_code == 404


@pytest.mark.parametrize("search", ["12345678901234567890123", "²", "#99999999999", "٣"])
def test_any_search_text_gives_a_page(client, search):
    client.login("anna")
    assert client.get("/inbox", query_string={"q": search, "period": "2025-01"}).status_code == 200


def test_merging_an_event_number_no_row_can_have_is_refused_with_a_reason(client, review_env):
    event_id = review_env.events["tj_heroin"]
    client.login("anna")
    response = client.post(f"/events/{event_id}/merge", {"version": "1", "other_id": HUGE})
    assert response.status_code in (302, 400)
    assert _event(review_env.url, event_id).version == 1


def test_an_oversized_headline_is_refused_and_the_form_says_why(client, review_env):
    event_id = review_env.events["tj_heroin"]
    client.login("anna")
    response = client.post(f"/events/{event_id}/edit", {"version": "1", "headline_en": "x" * 1_500_000})
    assert response.status_code == 400
    assert "at most 500 are kept" in response.get_data(as_text=True)
    assert _event(review_env.url, event_id).headline_en is None


def test_a_release_text_field_of_an_unknown_shape_is_a_bad_request(client):
    client.login("erik")
    response = client.post("/release/texts?period=2025-01", {"topic_x": "on something"})
    assert response.status_code == 400


def test_a_reorder_with_nonsense_is_a_bad_request(client):
    client.login("erik")
    response = client.post("/release/move?period=2025-01", {"event_id": HUGE, "offset": "1"})
    assert response.status_code == 400
