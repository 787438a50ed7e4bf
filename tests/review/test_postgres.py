"""The review operations on PostgreSQL: the optimistic lock under real concurrency, the inbox
query (Unicode search with lower()), merge/split and bulk decisions."""

from __future__ import annotations

import json
import threading

import pytest

import desk
from core.period import Period
from desk import apply_lines
from review.app import create_app
from storage import schema
from storage.db import session_factory, session_scope
from storage.models import Event
from tests.review.conftest import Client, ReviewEnv
from tests.review.seed import seed

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_env(postgres_url, tmp_path, monkeypatch) -> ReviewEnv:
    monkeypatch.setenv("DATABASE_URL", postgres_url)
    schema.upgrade(postgres_url)
    with session_scope(postgres_url) as session:
        events = seed(session)
    return ReviewEnv(url=postgres_url, data_dir=tmp_path / "data", events=events)


def test_concurrent_saves_on_postgres_one_wins_one_is_refused(pg_env):
    event_id = pg_env.events["sko"]
    barrier = threading.Barrier(2, timeout=30)
    outcomes: dict[str, str] = {}

    def save(name: str) -> None:
        session = session_factory(pg_env.url)()
        try:
            barrier.wait()
            desk.edit(session, event_id, actor=name, version=1, headline_en=f"{name} WAS HERE")
            barrier_pause = threading.Event()
            barrier_pause.wait(0.2)  # hold the row lock a moment: the other writer must wait for it
            session.commit()
            outcomes[name] = "saved"
        except desk.StaleEdit:
            session.rollback()
            outcomes[name] = "refused"
        finally:
            session.close()

    threads = [threading.Thread(target=save, args=(name,)) for name in ("anna", "boris")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes.values()) == ["refused", "saved"]
    with session_scope(pg_env.url) as s:
        assert s.get(Event, event_id).version == 2


def test_inbox_search_merge_split_and_bulk_on_postgres(pg_env):
    ev = pg_env.events
    client = Client(create_app(database_url=pg_env.url, data_dir=pg_env.data_dir, secret_key="k"))
    client.login("anna")
    html = client.get("/inbox?period=2025-01&q=ГЕРОИН").get_data(as_text=True)
    assert f'id="ev-{ev["tj_heroin"]}"' in html and f'id="ev-{ev["tj_heroin_repost"]}"' in html
    assert f'id="ev-{ev["sko"]}"' not in html
    for query in (
        "sort=country",
        "sort=status",
        "sort=relevance",
        "sort=date_asc",
        "relevance=below",
        "threshold=0.5&relevance=all",
        "source=akn_tj&language=ru&topic=seizure_arrest&status=new",
    ):
        assert client.get(f"/inbox?period=2025-01&{query}").status_code == 200, query
    assert client.get(f"/events/{ev['kokshetau']}?period=2025-01&sort=country").status_code == 200
    assert (
        client.post(
            f"/events/{ev['tj_heroin']}/merge",
            {"version": "1", "other": str(ev["tj_heroin_repost"]), "other_version": "1"},
        ).status_code
        == 302
    )
    with session_scope(pg_env.url) as s:
        assert s.get(Event, ev["tj_heroin_repost"]) is None
        article_id = s.get(Event, ev["tj_heroin"]).articles[-1].id
        split = desk.split(s, article_id, actor="anna")
        assert s.get(Event, split.event_id).country == "TJ"
    report = apply_lines(
        [
            json.dumps({"url": "https://xn--b1aew.xn--p1ai/none", "status": "accepted"}),
            json.dumps(
                {
                    "url": "https://59.мвд.рф/news/item/58129911",
                    "status": "accepted",
                    "headline_en": "OPERATION BEGINS IN PERM",
                }
            ),
        ],
        actor="cli:bulk",
        database_url=pg_env.url,
    )
    assert report.summary == "1 applied, 0 unchanged, 1 not found, 0 invalid"
    with session_scope(pg_env.url) as s:
        assert s.get(Event, ev["ru_perm"]).status == "accepted"


def test_release_page_and_reorder_on_postgres(pg_env):
    ev = pg_env.events
    with session_scope(pg_env.url) as s:
        for key in ("kokshetau", "sko", "almaty_ads"):
            desk.accept(s, ev[key], actor="erik")
    client = Client(create_app(database_url=pg_env.url, data_dir=pg_env.data_dir, secret_key="k"))
    client.login("erik")
    assert client.get("/release?period=2025-01").status_code == 200
    order = f"{ev['kokshetau']},{ev['sko']},{ev['almaty_ads']}"
    client.post(
        "/release/move?period=2025-01", {"event_id": str(ev["almaty_ads"]), "offset": "-2", "order": order}
    )
    with session_scope(pg_env.url) as s:
        assert [e.id for e in desk.section_events(s, Period(2025, 1), "KZ")] == [
            ev["almaty_ads"],
            ev["kokshetau"],
            ev["sko"],
        ]
    saved = client.post("/release/texts?period=2025-01", {"version": "0", "summary_en": "Summary *edited*."})
    assert saved.status_code == 302
    # A second editor who opened the page before the release row existed is refused.
    stale = client.post("/release/texts?period=2025-01", {"version": "0", "summary_en": "Another."})
    assert stale.status_code == 409 and "nothing was saved" in stale.get_data(as_text=True)
    assert ">Another.</textarea>" in stale.get_data(as_text=True)


def test_merge_undo_and_a_frozen_period_on_postgres(pg_env, tmp_path):
    """The merged event comes back with its own id (an explicit id beside the sequence), new
    events still get fresh ids, and the freeze is checked on PostgreSQL too."""
    ev = pg_env.events
    target, source = ev["tj_heroin"], ev["tj_heroin_repost"]
    with session_scope(pg_env.url) as s:
        change = desk.merge(s, target, source, actor="anna", version=1, source_version=1)
    with session_scope(pg_env.url) as s:
        assert desk.undo_merge(s, change.after["merge_id"], actor="anna").event_id == source
    with session_scope(pg_env.url) as s:
        assert len(s.get(Event, source).articles) == 1 and len(s.get(Event, target).articles) == 1
        article_id = s.get(Event, ev["kokshetau"]).articles[-1].id
        split = desk.split(s, article_id, actor="anna")
        assert split.event_id not in ev.values()
        desk.freeze(s, Period(2025, 1), actor="erik")
    with pytest.raises(desk.PeriodFrozen), session_scope(pg_env.url) as s:
        desk.accept(s, ev["sko"], actor="anna")
