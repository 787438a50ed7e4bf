"""The tagger version ``newsmon retag`` compares: it changes with what decides the tags, only."""

from __future__ import annotations

import pytest

from pipeline.version import forget_tagger_version, tagger_version


@pytest.fixture
def version_of(config_dir):
    """The tagger version after editing a file of the (copied) configuration folder."""

    def edited(relative: str, addition: str) -> str:
        path = config_dir / relative
        path.write_text(path.read_text(encoding="utf-8") + addition, encoding="utf-8")
        forget_tagger_version()
        return tagger_version()

    forget_tagger_version()
    yield edited
    forget_tagger_version()


def test_the_version_is_the_same_for_the_same_tagger(config_dir):
    forget_tagger_version()
    first = tagger_version()
    forget_tagger_version()
    assert tagger_version() == first and len(first) == 16


def test_a_lexicon_edit_makes_a_new_version(version_of):
    before = version_of("lexicons/relevance/ru.toml", "")
    assert version_of("lexicons/relevance/ru.toml", "\n# a new term is coming\n") != before


def test_an_edit_of_what_the_tagger_never_reads_keeps_the_version(version_of):
    before = version_of("schedules.toml", "")
    assert version_of("schedules.toml", "\n# crawl at night\n") == before
    assert version_of("release.toml", "\n# a new cover\n") == before
