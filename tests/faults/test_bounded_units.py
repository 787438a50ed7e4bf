"""The bound on crawl database calls (:mod:`storage.bounded`), without a database: a call that
does not return is given up, the calls after it are refused at once, and they are let through
again by the first probe the database answers, however long it was away."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable, Iterator

import pytest

from storage.bounded import BoundedCalls
from storage.db import DatabaseStuck

GUARD_S = 60.0
"""Only against a hang of the test itself: no assertion is about time."""


class FakeDatabase:
    """Frozen: every call waits until the test ends (a black hole); thawed: calls answer."""

    def __init__(self) -> None:
        self.frozen = False
        self.released = threading.Event()

    def query(self) -> str:
        if self.frozen:
            self.released.wait()
            return "too late"
        return "answer"


@pytest.fixture
def database() -> Iterator[FakeDatabase]:
    fake = FakeDatabase()
    yield fake
    fake.released.set()


def wait_until(condition: Callable[[], bool]) -> None:
    deadline = time.monotonic() + GUARD_S
    while not condition():
        assert time.monotonic() < deadline, "the condition never came true"
        time.sleep(0.01)


def gate_of(database: FakeDatabase) -> BoundedCalls:
    return BoundedCalls(0.2, probe=database.query, probe_interval_s=0.05)


def test_a_call_that_does_not_return_is_given_up_and_the_next_ones_are_refused_at_once(
    database: FakeDatabase,
) -> None:
    gate = gate_of(database)
    database.frozen = True
    with pytest.raises(DatabaseStuck):
        gate.call(database.query)
    ran: list[str] = []
    with pytest.raises(DatabaseStuck, match="refused until it answers"):
        gate.call(lambda: ran.append("ran"))
    assert ran == [] and gate.timeouts == 1


def test_the_first_probe_answered_after_a_long_freeze_lets_calls_through_again(
    database: FakeDatabase,
) -> None:
    gate = gate_of(database)
    database.frozen = True
    with pytest.raises(DatabaseStuck):
        gate.call(database.query)
    wait_until(lambda: gate.probes >= 4)  # a long freeze: many probes hung, none answered
    assert gate.refused_for() > 0
    database.frozen = False
    probes_at_thaw = gate.probes
    wait_until(lambda: gate.refused_for() == 0)
    assert gate.call(database.query) == "answer"
    # Recovery waited for no window grown by the freeze: one probe after the thaw (two when one
    # was already waiting on the frozen database as it thawed).
    assert gate.probes - probes_at_thaw <= 2
    assert len(gate.refusals) == 1


def test_calls_from_the_event_loop_recover_the_same_way(database: FakeDatabase) -> None:
    gate = gate_of(database)
    database.frozen = True
    with pytest.raises(DatabaseStuck):
        asyncio.run(gate.acall(database.query))
    with pytest.raises(DatabaseStuck):
        asyncio.run(gate.acall(database.query))
    database.frozen = False
    wait_until(lambda: gate.refused_for() == 0)
    assert asyncio.run(gate.acall(database.query)) == "answer"
