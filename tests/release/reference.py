"""The reference issue (#1, 1–15.01.2025) as test data: its nine events, loaded into a database.

The headlines, texts, links, countries and order come from the bundled analyst decisions
(``mirror/decisions/2025-01.jsonl``, one line per event of the reference, in its order); the
original (Russian) titles and texts are stand-ins, as the reference prints only the English.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import mirror
from config import load_sources
from core.urls import canonical_url, url_host
from storage.db import session_scope
from storage.models import Article, Event
from storage.repository import sync_sources

DECISIONS = Path(mirror.__file__).resolve().parent / "decisions" / "2025-01.jsonl"

SOURCE_OF_COUNTRY = {"KZ": "polisia_kz", "KG": "mvd_kg", "RU": "mvd_ru", "TJ": "akn_tj"}

# What the reference prints, copied from it by hand (not derived from the decisions file).
COVER_LINES = [
    "INFORMATION RELEASE",
    "ABOUT PAST EVENTS IN THE ANTI-DRUG SPHERE (according to the media)",
    "1-15.01.2025",
    "#1",
    "Almaty - 2025",
]
MASTHEAD_LINES = [
    "INFORMATION RELEASE CARICC",
    "EDITORIAL ADDRESS:",
    "Republic of Kazakhstan, 050008, Almaty, Abay Avenue, 52",
    "tel.: +7 727 259 99 90",
    "fax: +7 727 392 15 54",
    "registry@caricc.org www.caricc.org",
]
SUMMARY = (
    "In the period from 1 to 15 January 2025, media of CARICC member states and other countries "
    "covered 9 events in the counter-narcotics sphere (Kazakhstan - 5, Kyrgyzstan - 1, Russia - 2, "
    "Tajikistan - 1)."
)
TOPIC_SENTENCE = (
    "Published articles reflect information on preventive activities carried out by police officers "
    "(Kazakhstan), on organization of a quiz as part of drug use prevention (Kyrgyzstan), on preventive "
    "measures by police officers in regions of the Russian Federation (Russia), about meeting with parents "
    "and pupils of general education institution No. 3 of Firdavsi district (Tajikistan)."
)
TOPIC_PHRASES = {
    "KZ": "on preventive activities carried out by police officers",
    "KG": "on organization of a quiz as part of drug use prevention",
    "RU": "on preventive measures by police officers in regions of the Russian Federation",
    "TJ": "about meeting with parents and pupils of general education institution No. 3 of Firdavsi district",
}
SECTIONS = ["REPUBLIC OF KAZAKHSTAN", "KYRGYZ REPUBLIC", "RUSSIAN FEDERATION", "REPUBLIC OF TAJIKISTAN"]
HEADLINES = [
    "ANTI-DRUG CAMPAIGN “HAPPINESS IN LITTLE THINGS!” HELD IN KOKSHETAU",
    "WHAT THREATENS DRUG TRAFFICKERS: POLICE OFFICERS IN SKO EXPLAIN CHANGES IN LEGISLATION",
    "ANTI-DRUG SOCIAL ADVERTISING LAUNCHED BY POLICE IN ALMATY",
    "ULYTAU REGION STEPS UP EFFORTS TO COMBAT DRUG CRIME",
    "PARENTS OF SCHOOLCHILDREN IN AKMOLA REGION ARE TOLD ABOUT THE PROBLEM OF DRUG ADDICTION AND DRUG "
    "TRAFFICKING",
    "MIA CNS: A QUIZ WAS ORGANIZED AS PART OF DRUG USE PREVENTION ACTIVITIES",
    "RUSSIAN MINISTRY OF INTERNAL AFFAIRS ANNOUNCES THE LAUNCH OF THE REGIONAL PHASE OF THE “SAVING LIFE "
    "TOGETHER” SOCIAL ADVERTISING CONTEST",
    "A MEETING WITH EXPERTS WAS ORGANIZED AT THE FORUM “YOUNG LEADERS OF SIBERIA” IN ALTAI KRAI",
    "MEETING WITH PARENTS AND PUPILS OF GENERAL EDUCATION INSTITUTION NO. 3 OF FIRDAVSI DISTRICT",
]
LINKS = [
    "https://polisia.kz/ru/antinarkoticheskaya-aksiya-schast-e-v-melochah-proshla-v-kokshetau/",
    "https://polisia.kz/ru/chto-grozit-narkodel-tsam-v-sko-politsejskie-raz-yasnyayut-izmeneniya-v-zakonodatel-stve/",
    "https://polisia.kz/ru/antinarkoticheskuyu-sotsial-nuyu-reklamu-zapustila-politsiya-v-almaty/",
    "https://polisia.kz/ru/oblast-ulytau-aktiviziruet-bor-bu-s-narkoprestupnost-yu/",
    "https://polisia.kz/ru/o-probleme-narkomanii-i-narkobiznese-rasskazyvayut-roditelyam-shkol-nikov-v-akmolinskoj-oblasti/",
    "https://mvd.gov.kg/rus/news/4052",
    "https://xn--b1aew.xn--p1ai/news/item/59736803",
    # The reference prints the host as xn--b1aew.xn--plai (a typo); the story is at .xn--p1ai.
    "https://xn--b1aew.xn--p1ai/news/item/59534091",
    "https://akn.tj/ru/2025/01/10/meeting-with-teachers-and-parents-of-students-of-mtmu-%e2%84%963-of-firdavsi-district/",
]
# Publication days (UTC noon) inside the period; the order in a section comes from `position`.
DAYS = [9, 8, 10, 14, 13, 13, 10, 9, 10]
TOPICS = ["prevention", "legislation", "prevention", "cooperation", "prevention", "prevention",
          "prevention", "prevention", "prevention"]


def decisions() -> list[dict[str, Any]]:
    with DECISIONS.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def add_event(
    session: Any,
    *,
    url: str,
    country: str,
    day: int = 10,
    month: int = 1,
    year: int = 2025,
    headline_en: str | None = None,
    text_en: str | None = None,
    title: str = "Заголовок",
    text: str = "Текст новости.",
    language: str = "ru",
    topic: str = "prevention",
    position: int | None = None,
    status: str = "accepted",
    source_id: str | None = "auto",
) -> Event:
    """One accepted event clustering one article, as review leaves it.

    ``source_id="auto"`` takes the configured source of the country (its row must exist);
    ``None`` stores an article of an unconfigured outlet.
    """
    published = datetime(year, month, day, 7, 0, tzinfo=UTC)
    number = (month - 1) * 2 + (1 if day <= 15 else 2)
    event = Event(
        country=country, published_at=published, period_year=year, period_number=number, topic=topic,
        relevance_score=0.9, relevance_label="relevant", status=status, headline_en=headline_en,
        text_en=text_en, position=position,
    )
    session.add(event)
    session.flush()
    session.add(
        Article(
            canonical_url=canonical_url(url), url=url, host=url_host(url),
            source_id=SOURCE_OF_COUNTRY.get(country) if source_id == "auto" else source_id,
            event_id=event.id, title=title, text=text, published_at=published, language=language,
            language_confidence=0.99, country=country, period_year=year, period_number=number,
            relevance_score=0.9, relevance_label="relevant", topic=topic,
            content_hash=hashlib.sha256(url.encode()).hexdigest(),
        )
    )
    session.flush()
    return event


def load_reference(url: str) -> list[int]:
    """The reference's nine events, accepted, into the migrated database at ``url``; their ids."""
    ids = []
    with session_scope(url) as session:
        sync_sources(session, load_sources())
        for index, decision in enumerate(decisions()):
            event = add_event(
                session,
                url=decision["url"],
                country=decision["country"],
                day=DAYS[index],
                headline_en=decision["headline_en"],
                text_en=decision["text_en"],
                title=f"Новость {index + 1}",
                text=f"Текст новости {index + 1}.\n\nВторой абзац.",
                topic=TOPICS[index],
                position=decision["position"],
            )
            ids.append(event.id)
    return ids
