"""A large store for the benchmark (issue #22, "a large store"): N articles and about N/4 events
over five years of release periods and the configured sources, in the shapes the crawler stores.

The texts are the labelled articles of ``corpus/relevance`` in the configured sources' languages,
each tagged once by the real pipeline (:func:`pipeline.runner.tag_page`): language, country,
relevance score, label and evidence, topic and facts are what a crawl would have stored for
them. Every stored article is one of these templates under its own URL, date, source and run,
with a sentence of its own (a place and a number) so no two texts are equal; its raw page is the
template's text inside a site-like page, zlib-compressed as the crawler keeps it.

Events cluster 1 to 12 articles of one story (4 on average): language versions and reposts of a
source. Periods before the last two are decided as a desk would have done: of the events the
inbox shows, a few accepted (with English texts) and the rest rejected, each with its audit
entry; the irrelevant ones stay ``new`` (hidden by the inbox's default filter); the periods
before them carry a final release. Crawl runs are every six hours per source.

Rows go in with PostgreSQL's COPY (psycopg), into a schema made by the real Alembic migrations.
The MinHash keys and paragraph fingerprints of clustering are not generated: none of the
measured pages or commands reads them.
"""

from __future__ import annotations

import json
import random
import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from core.period import Period

CORPUS = Path(__file__).resolve().parents[1] / "corpus" / "relevance"
YEARS = 5
RUN_EVERY = timedelta(hours=6)
ARTICLES_PER_EVENT = (1, 1, 1, 2, 2, 3, 3, 4, 5, 6, 8, 12)
"""Drawn per event: 4 articles on average, so N articles make about N/4 events."""
ACCEPTED_SHARE = 0.08
"""Of a decided period's shown events, the share accepted (about 60 a release at 1M articles)."""
PLACES = ("Алматы", "Астана", "Бишкек", "Ош", "Душанбе", "Худжанд", "Москва", "Казань", "Шымкент",
          "Караганда", "Актобе", "Тараз", "Павлодар", "Кокшетау", "Нарын", "Каракол", "Бохтар")
BOILERPLATE = "".join(
    f'<li><a href="/ru/section/{i}">Раздел {i}</a></li>' for i in range(120)
)
"""A site's navigation, around every page's text (pages are mostly template)."""


@dataclass(frozen=True, slots=True)
class Template:
    """One tagged corpus article, the text of many stored ones."""

    title: str
    text: str
    english: str
    language: str
    country: str | None
    countries: list[str]
    score: float
    label: str
    lexicon_score: float | None
    model: str | None
    note: str | None
    evidence: list[dict[str, Any]]
    topic: str
    facts: dict[str, Any] | None


@dataclass(frozen=True, slots=True)
class Site:
    """A configured source as the generator needs it."""

    id: str
    country: str
    zone: ZoneInfo
    hosts: tuple[str, ...]
    languages: tuple[str, ...]
    templates: tuple[int, ...]
    """Indexes of the templates in the source's languages."""


@dataclass(slots=True)
class StoreShape:
    """What the generator stored (the benchmark picks its period and events from it)."""

    articles: int = 0
    events: int = 0
    runs: int = 0
    decisions: int = 0
    periods: list[Period] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    measured: Period | None = None
    """The newest decided period: the one whose inbox, export and release are measured."""


def load_templates(limit: int | None = None, seed: int = 7) -> list[Template]:
    """The corpus articles, tagged by the real pipeline (``limit``: a random subset, for tests)."""
    from core.facts import facts_to_json
    from core.types import PageInput
    from pipeline.runner import tag_page

    rows = [
        json.loads(line) for path in sorted(CORPUS.glob("*.jsonl")) for line in path.open(encoding="utf-8")
    ]
    if limit is not None:
        rows = random.Random(seed).sample(rows, min(limit, len(rows)))
    templates = []
    for row in rows:
        text = " ".join(row["text"].split())
        title = text.split(". ")[0][:140]
        page = PageInput(url="https://example.org/news/1", title=title, text=text,
                         declared_language=row["language"], site_published=datetime(2024, 1, 9, tzinfo=UTC))
        tagged = tag_page(page, signature=False)
        relevance = tagged.relevance
        templates.append(Template(
            title=tagged.title, text=tagged.text, english=row.get("rationale") or title,
            language=tagged.language, country=tagged.country, countries=list(tagged.countries_mentioned),
            score=relevance.score, label=relevance.label, lexicon_score=relevance.lexicon_score,
            model=relevance.model, note=relevance.note,
            evidence=[{"term": e.term, "match": e.match, "where": e.where, "weight": e.weight}
                      for e in relevance.evidence],
            topic=tagged.topic, facts=facts_to_json(tagged.facts) if tagged.facts else None,
        ))
    return templates


def sites(templates: Sequence[Template]) -> list[Site]:
    from config import load_sources

    found = []
    for source in load_sources().sources:
        if not source.enabled:
            continue
        languages = tuple(source.languages) or ("ru",)
        own = tuple(i for i, t in enumerate(templates) if t.language in languages)
        found.append(Site(source.id, source.country, ZoneInfo(source.timezone), tuple(source.hosts),
                          languages, own or tuple(range(len(templates)))))
    return found


def five_years(end: date) -> list[Period]:
    """The 120 periods up to the one holding ``end``, oldest first."""
    last = Period.containing(end)
    periods = [last]
    while len(periods) < YEARS * 24:
        periods.append(periods[-1].previous())
    return periods[::-1]


ARTICLE_COLUMNS = (
    "id", "canonical_url", "url", "host", "source_id", "event_id", "first_run_id", "last_run_id",
    "first_seen_at", "fetched_at", "http_status", "encoding", "encoding_confidence", "raw_html_z",
    "declared_language", "alternates", "site_published", "title", "text", "author", "published_at",
    "date_uncertain", "language", "language_confidence", "country", "countries_mentioned",
    "period_year", "period_number", "relevance_score", "relevance_label", "relevance_evidence",
    "relevance_lexicon_score", "relevance_model", "relevance_note", "topic", "facts", "content_hash",
    "minhash", "extraction_status", "extraction_reason", "tagged_at",
)
EVENT_COLUMNS = (
    "id", "created_at", "country", "published_at", "date_uncertain", "period_year", "period_number",
    "relevance_score", "relevance_label", "topic", "facts", "status", "reject_reason", "headline_en",
    "text_en", "position", "reviewed_by", "reviewed_at", "version",
)
RUN_COLUMNS = ("id", "source_id", "started_at", "finished_at", "status", "trigger", "pages_fetched",
               "articles_new", "articles_updated", "errors", "errors_by_kind", "error_samples", "options")
AUDIT_COLUMNS = ("id", "at", "actor", "entity_type", "entity_id", "action", "before", "after")


class Generator:
    """Builds the rows of a store of ``articles`` articles ending in the period of ``end``."""

    def __init__(self, templates: Sequence[Template], articles: int, *, end: date, seed: int = 22) -> None:
        self.templates = templates
        self.target = articles
        self.random = random.Random(seed)
        self.sites = sites(templates)
        self.periods = five_years(end)
        self.start = datetime.combine(self.periods[0].start, time(), UTC) - timedelta(days=1)
        self.runs_per_site = int((datetime.combine(end, time(), UTC) + timedelta(days=2) - self.start)
                                 / RUN_EVERY) + 1
        self.pages = [self._page(t) for t in templates]
        self.shape = StoreShape(periods=self.periods, sources=[s.id for s in self.sites],
                                measured=self.periods[-3])
        self.events: list[tuple[Any, ...]] = []
        self.audit: list[tuple[Any, ...]] = []

    @staticmethod
    def _page(template: Template) -> bytes:
        body = "".join(f"<p>{part}.</p>" for part in template.text.split(". "))
        html = (f'<html lang="{template.language}"><head><title>{template.title}</title></head><body>'
                f"<nav><ul>{BOILERPLATE}</ul></nav><article><h1>{template.title}</h1>{body}</article>"
                f"<footer>{BOILERPLATE}</footer></body></html>")
        return zlib.compress(html.encode("utf-8"), 6)

    def run_id(self, site_index: int, moment: datetime) -> int:
        step = max(0, min(self.runs_per_site - 1, int((moment - self.start) / RUN_EVERY)))
        return site_index * self.runs_per_site + step + 1

    def runs(self) -> Iterator[tuple[Any, ...]]:
        """Every six hours per source: a finished run (one in fifty failed, with an error)."""
        for index, site in enumerate(self.sites):
            for step in range(self.runs_per_site):
                started = self.start + step * RUN_EVERY
                failed = self.random.random() < 0.02
                errors = {"timeout": 2} if failed else {}
                yield (index * self.runs_per_site + step + 1, site.id, started,
                       started + timedelta(minutes=4),
                       "failed" if failed else "finished", "schedule", self.random.randint(20, 60),
                       self.random.randint(0, 12), 0, 2 if failed else 0, json.dumps(errors), "[]",
                       json.dumps({"mirror": None}))
        self.shape.runs = len(self.sites) * self.runs_per_site

    def articles(self) -> Iterator[tuple[Any, ...]]:
        """The article rows, event by event; the event and audit rows are kept for :meth:`write`."""
        article_id = 0
        event_id = 0
        while article_id < self.target:
            event_id += 1
            if event_id == 1:
                site_index, chosen = self._first_event()
                period_index = len(self.periods) - 3
            else:
                period_index = self.random.randrange(len(self.periods))
                site_index = self.random.randrange(len(self.sites))
                chosen = self._pick(self.sites[site_index])
            site = self.sites[site_index]
            template = self.templates[chosen]
            count = min(self.random.choice(ARTICLES_PER_EVENT), self.target - article_id)
            period = self.periods[period_index]
            day = period.start + timedelta(days=self.random.randrange((period.end - period.start).days + 1))
            base = datetime.combine(day, time(self.random.randrange(7, 18), self.random.randrange(60)),
                                    site.zone).astimezone(UTC)
            versions = [template.language] + [lang for lang in site.languages if lang != template.language]
            urls = {lang: f"https://{site.hosts[0]}/{lang}/news/{event_id}" for lang in versions}
            first_published = base
            for n in range(count):
                article_id += 1
                language = versions[n] if n < len(versions) else template.language
                published = base + timedelta(minutes=n * self.random.randrange(5, 90))
                yield self._article(article_id, event_id, n, site_index, site, chosen, language,
                                    published, urls if n < len(versions) and len(versions) > 1 else {})
            self.events.append(self._event(event_id, period_index, site, template, first_published))
        self.shape.articles = article_id
        self.shape.events = event_id

    def _first_event(self) -> tuple[int, int]:
        """(site, template) of the first event: a drug story, put in the measured period and
        accepted there (:meth:`_event`), so that its release has an event to build at any size
        (a small store spreads too few events over five years' periods to be sure of one)."""
        for site_index, site in enumerate(self.sites):
            relevant = [i for i in site.templates if self.templates[i].label != "irrelevant"]
            if relevant:
                return site_index, relevant[0]
        raise ValueError("no template about drugs: the corpus sample holds only irrelevant articles")

    def _pick(self, site: Site) -> int:
        """A template of the source's languages: two in five about drugs (police sites' share)."""
        want_relevant = self.random.random() < 0.4
        for _ in range(8):
            index = self.random.choice(site.templates)
            if (self.templates[index].label != "irrelevant") == want_relevant:
                return index
        return index

    def _article(self, article_id: int, event_id: int, n: int, site_index: int, site: Site,
                 chosen: int, language: str, published: datetime,
                 alternates: dict[str, str]) -> tuple[Any, ...]:
        template = self.templates[chosen]
        place = self.random.choice(PLACES)
        own = f" Сообщение {article_id} из {place}, {self.random.randint(1, 28)}.{published.month:02d}."
        url = (alternates.get(language) if alternates else None) or (
            f"https://{site.hosts[self.random.randrange(len(site.hosts))]}/{language}/news/{event_id}-{n}"
        )
        fetched = published + timedelta(minutes=self.random.randrange(10, 360))
        run = self.run_id(site_index, fetched)
        period = Period.containing(published.astimezone(site.zone).date())
        text = template.text + own
        return (
            article_id, url, url, url.split("/")[2], site.id, event_id, run, run, fetched, fetched, 200,
            "utf-8", 1.0, self.pages[chosen],
            language, json.dumps(alternates), published, template.title, text, None, published, False,
            language, 0.97, template.country or site.country, json.dumps(template.countries),
            period.year, period.number, template.score, template.label, json.dumps(template.evidence),
            template.lexicon_score, template.model, template.note, template.topic,
            json.dumps(template.facts) if template.facts is not None else None,
            f"{zlib.crc32(text.encode()):08x}{article_id:056x}", None, "ok", None, fetched,
        )

    def _event(self, event_id: int, period_index: int, site: Site, template: Template,
               published: datetime) -> tuple[Any, ...]:
        period = self.periods[period_index]
        status, reason, position, by, at, version = "new", None, None, None, None, 1
        headline: str | None = None
        text: str | None = None
        decided = period_index < len(self.periods) - 2
        if decided and template.label != "irrelevant":
            at = datetime.combine(period.end, time(12), UTC) + timedelta(days=self.random.randrange(1, 4))
            by, version = self.random.choice(("anna", "boris", "erik")), 2
            if self.random.random() < ACCEPTED_SHARE or event_id == 1:
                status, position = "accepted", event_id
                headline = template.english[:200]
                text = f"{template.english}. Reported on {published:%d %B %Y}; event {event_id}."
            else:
                status, reason = "rejected", self.random.choice(("duplicate", "too minor", "not about drugs"))
            self.audit.append((len(self.audit) + 1, at, by, "event", str(event_id),
                               status[:-2] if status == "accepted" else "reject",
                               json.dumps({"status": "new"}), json.dumps({"status": status})))
            self.shape.decisions += 1
        return (event_id, published, template.country or site.country, published, False, period.year,
                period.number,
                template.score, template.label, template.topic,
                json.dumps(template.facts) if template.facts is not None else None, status, reason,
                headline, text, position, by, at, version)


def libpq_url(database_url: str) -> str:
    """The SQLAlchemy URL of a PostgreSQL database as libpq reads it."""
    return database_url.replace("postgresql+psycopg://", "postgresql://", 1)


def generate(database_url: str, articles: int, *, end: date, templates: Sequence[Template] | None = None,
             revision: str = "head", log: Callable[[str], None] = print) -> StoreShape:
    """Migrate the empty PostgreSQL database at ``database_url`` to ``revision``, store the
    configured sources and fill it with ``articles`` articles (COPY); VACUUM ANALYZE at the end,
    as autovacuum would have done on a store that grew over years."""
    import psycopg

    from config import load_sources
    from storage import schema
    from storage.db import session_scope
    from storage.repository import sync_sources

    schema.upgrade(database_url, revision)
    with session_scope(database_url) as session:
        sync_sources(session, load_sources())
    generator = Generator(templates if templates is not None else load_templates(), articles, end=end)
    with psycopg.connect(libpq_url(database_url)) as connection:
        _copy(connection, "crawl_runs", RUN_COLUMNS, generator.runs())
        log(f"  {generator.shape.runs} crawl runs")
        # The events are made with their articles, and stored after them: the foreign keys'
        # triggers are off for the load (the rows are consistent by construction).
        connection.execute("SET session_replication_role = replica")
        _copy(connection, "articles", ARTICLE_COLUMNS, generator.articles())
        _copy(connection, "events", EVENT_COLUMNS, iter(generator.events))
        connection.execute("SET session_replication_role = DEFAULT")
        _copy(connection, "audit_log", AUDIT_COLUMNS, iter(generator.audit))
        _copy(connection, "releases", ("year", "number", "period_text", "status", "files", "built_at",
                                       "frozen_at", "frozen_by", "topic_sentences", "updated_at", "version"),
              _releases(generator.periods[:-3]))
        for table in ("articles", "events", "crawl_runs", "audit_log"):
            connection.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"  # noqa: S608
            )
        connection.commit()
        log(f"  {generator.shape.articles} articles, {generator.shape.events} events, "
            f"{generator.shape.decisions} decisions")
        connection.autocommit = True
        connection.execute("VACUUM ANALYZE")
    return generator.shape


def _releases(periods: Sequence[Period]) -> Iterator[tuple[Any, ...]]:
    for period in periods:
        built = datetime.combine(period.end, time(12), UTC) + timedelta(days=4)
        yield (period.year, period.number, period.text, "final", "[]", built, built, "erik", "{}", built, 2)


def _copy(connection: Any, table: str, columns: Sequence[str], rows: Iterator[tuple[Any, ...]]) -> None:
    with connection.cursor() as cursor, cursor.copy(
        f"COPY {table} ({', '.join(columns)}) FROM STDIN"  # noqa: S608 - names of ours
    ) as copy:
        for row in rows:
            copy.write_row(row)
