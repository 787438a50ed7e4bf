"""Fixtures for the mirror tests: a shared read-only mirror and a private one per test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from mirror import MirrorServer


@pytest.fixture(scope="session")
def mirror() -> Iterator[MirrorServer]:
    """One shared mirror for tests that only read (no faults, no log assertions)."""
    with MirrorServer() as server:
        yield server
    assert not server.errors, server.errors


@pytest.fixture
def fresh_mirror() -> Iterator[MirrorServer]:
    """A private mirror for tests that set faults or count requests."""
    with MirrorServer() as server:
        yield server
