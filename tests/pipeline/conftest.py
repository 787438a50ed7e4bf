"""Fixtures of the pipeline tests: the labelled data and HTML fixtures in tests/data/."""

from __future__ import annotations

from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture
def html_fixture():
    def read(name: str) -> str:
        return (DATA / "html" / f"{name}.html").read_text(encoding="utf-8")

    return read
