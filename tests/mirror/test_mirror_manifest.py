"""The manifest matches what is served, and the fixtures model the reference release faithfully."""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import date

import pytest

from mirror import articles, catalog, hosts, manifest, reference_events
from mirror.catalog import in_period
from mirror.sites import SITE_CLASSES, site_class
from mirror.synthetic import synthetic_sources
from mirror.testing import fetch

# The nine source links of reference/information-release-2025-01.md (the forum link fixed: xn--p1ai).
REFERENCE_URLS = {
    1: "https://polisia.kz/ru/antinarkoticheskaya-aksiya-schast-e-v-melochah-proshla-v-kokshetau/",
    2: "https://polisia.kz/ru/chto-grozit-narkodel-tsam-v-sko-politsejskie-raz-yasnyayut-izmeneniya-"
       "v-zakonodatel-stve/",
    3: "https://polisia.kz/ru/antinarkoticheskuyu-sotsial-nuyu-reklamu-zapustila-politsiya-v-almaty/",
    4: "https://polisia.kz/ru/oblast-ulytau-aktiviziruet-bor-bu-s-narkoprestupnost-yu/",
    5: "https://polisia.kz/ru/o-probleme-narkomanii-i-narkobiznese-rasskazyvayut-roditelyam-shkol-nikov-"
       "v-akmolinskoj-oblasti/",
    6: "https://mvd.gov.kg/rus/news/4052",
    7: "https://xn--b1aew.xn--p1ai/news/item/59736803",
    8: "https://xn--b1aew.xn--p1ai/news/item/59534091",
    9: "https://akn.tj/ru/2025/01/10/meeting-with-teachers-and-parents-of-students-of-mtmu-%e2%84%963-"
       "of-firdavsi-district/",
}
REFERENCE_COUNTRIES = {"polisia_kz": 5, "mvd_kg": 1, "mvd_ru": 2, "akn_tj": 1}
DRUG_WORDS = re.compile(
    r"нарко|гашиш|героин|марихуан|мефедрон|кокаин|закладчи|нашъа|есірткі|баңги|drug|heroin", re.I)


def test_every_manifest_url_answers_200(mirror):
    for row in manifest():
        assert fetch(mirror, row["url"]).status == 200, row["url"]


def test_the_nine_reference_urls_are_served_as_reference_events(mirror):
    by_url = {a.url: a for a in articles()}
    for event, url in REFERENCE_URLS.items():
        assert by_url[url].reference_event == event and by_url[url].language == "ru"
        assert fetch(mirror, url).status == 200


def test_exactly_nine_drug_stories_in_1_15_january_2025_one_per_reference_event():
    in_period_drug = [a for a in articles() if a.drug_related and in_period(a)]
    clusters = {a.cluster for a in in_period_drug}
    assert len(clusters) == 9
    events = {a.cluster: a.reference_event for a in in_period_drug}
    assert sorted(events.values()) == list(range(1, 10))
    countries = Counter(next(a.source_id for a in in_period_drug if a.cluster == c) for c in clusters)
    assert countries == REFERENCE_COUNTRIES


def test_reference_dates_match_the_texts():
    published = {e: next(a for a in group if a.url == REFERENCE_URLS[e]).published.date()
                 for e, group in reference_events().items()}
    assert published[6] == date(2025, 1, 13)   # the KG quiz was held and published on 13 January
    assert published[9] == date(2025, 1, 10)   # the TJ meeting on 10 January
    assert published[7] == date(2025, 1, 10)   # the RU contest opened on 10 January
    assert all(date(2025, 1, 1) <= d <= date(2025, 1, 15) for d in published.values())


def test_at_least_25_other_stories_in_the_period_are_not_about_drugs():
    others = {a.cluster for a in articles() if not a.drug_related and in_period(a)}
    assert len(others) >= 25


def test_articles_marked_not_drug_related_never_mention_drugs():
    for a in articles():
        if not a.drug_related:
            assert not DRUG_WORDS.search(a.title + " " + a.text), a.url


def test_articles_marked_drug_related_mention_drugs():
    for a in articles():
        if a.drug_related:
            assert DRUG_WORDS.search(a.title + " " + a.text), a.url


def test_december_and_late_january_hold_drug_and_other_stories():
    def kinds(start, end):
        return {a.drug_related for a in articles() if in_period(a, start, end)}
    assert kinds(date(2024, 12, 15), date(2024, 12, 31)) == {True, False}
    assert kinds(date(2025, 1, 16), date(2025, 1, 31)) == {True, False}


def test_period_edge_story_is_in_period_two_by_local_time():
    edge = next(a for a in articles()
                if a.url.endswith("/v-taldykorgane-u-narkokur-era-iz-yali-dva-kilogramma-gashisha/"))
    assert edge.drug_related and edge.published.isoformat() == "2025-01-16T00:20:00+05:00"
    assert not in_period(edge)


@pytest.mark.parametrize("language, source_id", [("kk", "polisia_kz"), ("en", "polisia_kz"), ("ky", "mvd_kg"),
                                                 ("tg", "akn_tj"), ("en", "akn_tj")])
def test_language_versions_exist(language, source_id):
    assert any(a.language == language and a.source_id == source_id for a in articles())


def test_reference_events_have_language_versions_in_the_same_cluster():
    languages = {e: {a.language for a in group} for e, group in reference_events().items()}
    assert {"ru", "kk"} <= languages[1] and {"ru", "kk"} <= languages[3] and {"ru", "en"} <= languages[4]
    assert languages[6] == {"ru", "ky"} and languages[9] == {"ru", "tg", "en"}
    assert len(reference_events()[8]) == 2  # the forum on 22.мвд.рф and on мвд.рф


def test_alternates_are_consistent_within_a_cluster():
    by_url = {a.url: a for a in articles()}
    for a in articles():
        if a.alternates:
            assert a.alternates[a.language] == a.url
            for other in a.alternates.values():
                assert by_url[other].cluster == a.cluster
                assert dict(by_url[other].alternates) == dict(a.alternates)


def test_some_pages_carry_no_date():
    undated = [a for a in articles() if a.published is None]
    assert {a.source_id for a in undated} == {"mvd_kg", "akn_tj"}
    assert all(not a.drug_related and a.page_date == "none" for a in undated)


def test_total_size_and_uniqueness():
    rows = manifest()
    assert 80 <= len([r for r in rows if r["source_id"] in synthetic_sources()]) <= 130, "the police sites"
    assert len({r["url"] for r in rows}) == len(rows)
    # Alias hosts only redirect: www.polisia.kz, and those of the outlets.
    aliases = {host for cls in SITE_CLASSES for host in cls.aliases}
    assert "www.polisia.kz" in aliases and "22.xn--b1aew.xn--p1ai" not in aliases
    assert {r["host"] for r in rows} == set(hosts()) - aliases


def test_committed_manifest_json_is_up_to_date():
    committed = json.loads(catalog.MANIFEST_PATH.read_text(encoding="utf-8"))
    hint = "run: python -m mirror manifest --output mirror/manifest.json"
    assert committed == json.loads(catalog.manifest_json()), hint


def test_manifest_endpoint_serves_the_same_rows(mirror):
    served = json.loads(fetch(mirror, "https://polisia.kz/__mirror__/manifest").body)
    assert served["articles"] == manifest()


def test_a_broken_fixture_is_reported_with_its_file_and_url(tmp_path, monkeypatch):
    mvd_kg = site_class("mvd_kg")
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "x.toml").write_text(
        '[[article]]\nurl = "https://mvd.gov.kg/rus/news/x"\nlang = "ru"\npublished = 2025-01-01\n'
        'title = "t"\ndrug_related = false\nbody = "b"\n', encoding="utf-8")
    monkeypatch.setattr(mvd_kg, "directory", tmp_path)
    with pytest.raises(catalog.FixtureError, match=r"x\.toml.*news/x"):
        catalog.load_fixtures(mvd_kg)
