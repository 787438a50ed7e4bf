"""The Russian edition prints the original texts; the PDF carries Cyrillic in embedded fonts."""

from __future__ import annotations

import subprocess
from datetime import UTC, datetime

from core.urls import canonical_url, url_host
from release.builder import assemble_release, build_release
from storage.db import session_scope
from storage.models import Article
from tests.release.conftest import pdf_text, squash
from tests.release.reference import add_event

RU_URL = "https://polisia.kz/ru/antinarkoticheskaya-aksiya/"
KK_URL = "https://polisia.kz/esirtkige-qarsy-aksiya/"


def _bilingual_event(url: str) -> int:
    """A Kazakh article (stored first) and its Russian version in one event."""
    with session_scope(url) as session:
        event = add_event(session, url=KK_URL, country="KZ", source_id=None, language="kk",
                          title="Есірткіге қарсы акция", text="Қазақша мәтін.",
                          headline_en="Anti-drug campaign", text_en="English text.")
        published = datetime(2025, 1, 9, 5, 0, tzinfo=UTC)
        session.add(Article(
            canonical_url=canonical_url(RU_URL), url=RU_URL, host=url_host(RU_URL), event_id=event.id,
            title="Антинаркотическая акция «Счастье в мелочах!» прошла в Кокшетау",
            text="Акцию инициировали сотрудники полиции.\nВолонтёры раздавали сладости.",
            published_at=published, language="ru", country="KZ", period_year=2025, period_number=1,
            content_hash="ru",
        ))
        return event.id


def test_russian_edition_uses_the_russian_article_of_the_cluster(release_db):
    _bilingual_event(release_db)
    with session_scope(release_db) as session:
        doc = assemble_release(session, 2025, 1, "ru")
    [entry] = doc.entries
    assert entry.headline == "АНТИНАРКОТИЧЕСКАЯ АКЦИЯ «СЧАСТЬЕ В МЕЛОЧАХ!» ПРОШЛА В КОКШЕТАУ"
    assert entry.paragraphs == ("Акцию инициировали сотрудники полиции.", "Волонтёры раздавали сладости.")
    assert entry.url == RU_URL
    assert doc.sections[0].title == "РЕСПУБЛИКА КАЗАХСТАН"
    assert doc.summary.startswith("В период с 1 по 15 января 2025 года")
    assert "осветили 1 событие в антинаркотической сфере (*Казахстан - 1*)." in doc.summary


def test_english_edition_links_the_same_lead_article(release_db):
    _bilingual_event(release_db)
    with session_scope(release_db) as session:
        [entry] = assemble_release(session, 2025, 1, "en").entries
    assert (entry.headline, entry.url) == ("ANTI-DRUG CAMPAIGN", RU_URL)


def test_russian_pdf_has_cyrillic_text_in_embedded_fonts(release_db, tmp_path):
    _bilingual_event(release_db)
    with session_scope(release_db) as session:
        [pdf] = build_release(session, 2025, 1, ["pdf"], "ru", False, tmp_path)
    text = squash(pdf_text(pdf))
    for line in (
        "ИНФОРМАЦИОННЫЙ ВЫПУСК",
        "О ПРОШЕДШИХ СОБЫТИЯХ В АНТИНАРКОТИЧЕСКОЙ СФЕРЕ (по материалам СМИ)",
        "№1",
        "Алматы - 2025",
        "СОДЕРЖАНИЕ",
        "РЕСПУБЛИКА КАЗАХСТАН",
        "АНТИНАРКОТИЧЕСКАЯ АКЦИЯ «СЧАСТЬЕ В МЕЛОЧАХ!» ПРОШЛА В КОКШЕТАУ",
        "Волонтёры раздавали сладости.",
    ):
        assert line in text
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    rows = fonts.splitlines()[2:]
    assert rows, fonts
    for row in rows:
        name, embedded = row.split()[0], row.split()[-5]
        assert embedded == "yes", row
        assert name.split("+", 1)[-1].startswith("Release-"), row  # the shipped Liberation fonts


def test_a_repeated_weasyprint_warning_is_shown_once(caplog):
    import logging

    from release.render import OncePerMessage

    logger = logging.getLogger("weasyprint.test-once")
    logger.addFilter(OncePerMessage())
    with caplog.at_level(logging.WARNING, logger="weasyprint.test-once"):
        for _ in range(10):
            logger.warning('Failed to load local font "Liberation Serif"')
        logger.warning("Ignored `foo: bar` at 1:1, unknown property.")
    assert [r.getMessage() for r in caplog.records] == [
        'Failed to load local font "Liberation Serif"',
        "Ignored `foo: bar` at 1:1, unknown property.",
    ]
