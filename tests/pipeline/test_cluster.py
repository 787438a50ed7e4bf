"""Cluster helpers: exact duplicates, near duplicates, hreflang language versions."""

from __future__ import annotations

import subprocess
import sys
from datetime import date

import pytest

from core.story import (
    LSH_BANDS,
    NEAR_DUPLICATE_THRESHOLD,
    NUM_PERM,
    SEED,
    StoryKey,
    band_keys,
    same_story,
    similarity,
    url_key,
)
from pipeline.cluster import content_hash, minhash_signature, shingles, text_similarity

TEXT = (
    "Сотрудники управления по противодействию наркопреступности ДП Карагандинской области задержали "
    "22-летнего местного жителя, подозреваемого в сбыте синтетических наркотиков бесконтактным способом. "
    "При личном досмотре у него обнаружено 18 свёртков с мефедроном общей массой 14,6 грамма. "
    "Начато досудебное расследование по статье 297 УК РК, подозреваемый водворён в изолятор."
)
REPOST = (
    "Караганда. " + TEXT.replace("Начато досудебное", "Как сообщили в ДП, начато досудебное") + " Фото: ДП."
)
OTHER = (
    "Полицейские Павлодара провели рейд по дворам и выявили 12 водителей без прав. Автомобили помещены "
    "на штрафстоянку, на нарушителей составлены протоколы. Рейды продолжатся до конца месяца."
)


def key(
    url: str, text: str, *, language: str = "ru", published: date = date(2025, 1, 16), alternates=()
) -> StoryKey:
    return StoryKey.build(
        url=url,
        content_hash=content_hash(text),
        minhash=minhash_signature(text),
        language=language,
        alternates=alternates,
        published=published,
    )


def test_content_hash_ignores_case_punctuation_and_spacing() -> None:
    assert content_hash("Изъято  2 кг, гашиша!") == content_hash("изъято 2 КГ гашиша")


def test_content_hash_treats_yo_as_ye() -> None:
    assert content_hash("свёрток") == content_hash("сверток")


def test_signature_round_trips_through_bytes() -> None:
    signature = minhash_signature(TEXT)
    assert isinstance(signature, bytes) and similarity(signature, signature) == 1.0


def test_a_text_too_short_has_no_signature() -> None:
    assert minhash_signature("Фото") is None


def test_repost_is_above_the_threshold() -> None:
    assert similarity(minhash_signature(TEXT), minhash_signature(REPOST)) >= NEAR_DUPLICATE_THRESHOLD


def test_text_similarity_ranks_a_repost_above_another_story() -> None:
    assert text_similarity(TEXT, TEXT) == 1.0
    assert text_similarity(TEXT, REPOST) > 0.7 > 0.1 > text_similarity(TEXT, OTHER)
    assert text_similarity("", "") == 0.0


def test_different_stories_are_below_the_threshold() -> None:
    assert similarity(minhash_signature(TEXT), minhash_signature(OTHER)) < 0.3


def test_same_canonical_url_is_the_same_story() -> None:
    a = key("https://xn--b1aew.xn--p1ai/news/item/1/", TEXT)
    b = key("https://мвд.рф/news/item/1", OTHER)
    assert same_story(a, b)


def test_exact_duplicate_is_the_same_story() -> None:
    assert same_story(key("https://a.kz/1", TEXT), key("https://b.kz/2", TEXT + "  "))


def test_near_duplicate_in_one_language_is_the_same_story() -> None:
    assert same_story(key("https://a.kz/1", TEXT), key("https://b.kz/2", REPOST))


def test_near_duplicate_weeks_apart_is_not_the_same_story() -> None:
    a = key("https://a.kz/1", TEXT)
    b = key("https://b.kz/2", REPOST, published=date(2025, 2, 20))
    assert not same_story(a, b)


def test_different_stories_are_not_the_same_story() -> None:
    assert not same_story(key("https://a.kz/1", TEXT), key("https://a.kz/2", OTHER))


def test_hreflang_alternate_links_the_language_versions() -> None:
    russian = key("https://polisia.kz/ru/zaderzhan/", TEXT, alternates={"kk": "https://polisia.kz/ustaldy/"})
    kazakh = key("https://polisia.kz/ustaldy", "Қарағандыда мефедрон таратушы ұсталды. " * 3, language="kk")
    assert same_story(russian, kazakh) and same_story(kazakh, russian)


def test_key_builds_from_stored_columns() -> None:
    built = StoryKey.build(
        url="https://WWW.Polisia.kz/ru/a/?utm_source=x",
        content_hash="h",
        alternates=["https://polisia.kz/a/"],
    )
    assert built.canonical_url == "https://polisia.kz/ru/a" and built.alternates == frozenset(
        {"https://polisia.kz/a"}
    )


def _datasketch_jaccard(sig_a: bytes, sig_b: bytes) -> float:
    from datasketch import LeanMinHash

    return float(LeanMinHash.deserialize(sig_a).jaccard(LeanMinHash.deserialize(sig_b)))


def test_similarity_is_datasketch_s_jaccard_of_the_signatures() -> None:
    texts = (TEXT, REPOST, OTHER, TEXT[: len(TEXT) // 2])
    signatures = [minhash_signature(text) for text in texts]
    for first in signatures:
        for second in signatures:
            assert similarity(first, second) == _datasketch_jaccard(first, second)


def test_signatures_of_another_layout_are_compared_by_datasketch() -> None:
    from datasketch import LeanMinHash, MinHash

    def legacy_signature(text: str) -> bytes:
        sketch = MinHash(num_perm=NUM_PERM, seed=SEED, scheme="legacy")
        sketch.update_batch(sorted(shingles(text)))
        lean = LeanMinHash(sketch)
        buffer = bytearray(lean.bytesize())
        lean.serialize(buffer)
        return bytes(buffer)

    first, second = legacy_signature(TEXT), legacy_signature(REPOST)
    assert similarity(first, second) == _datasketch_jaccard(first, second) >= NEAR_DUPLICATE_THRESHOLD
    with pytest.raises(ValueError):  # a signature of another scheme cannot be compared
        similarity(first, minhash_signature(REPOST))


def test_commands_that_tag_nothing_do_not_import_datasketch() -> None:
    """datasketch imports SciPy, about 0.7 s of start-up: storage, the CLI and the crawl's own
    process (clustering compares signatures without it) do not need it."""
    probe = (
        "import sys, newsmon.cli, storage.clustering, pipeline.runner, crawlers.pipelines; "
        "print('datasketch' in sys.modules, 'scipy' in sys.modules)"
    )
    shown = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert shown.stdout.split() == ["False", "False"]


def test_a_repost_shares_lsh_bands_with_its_original_and_another_story_none() -> None:
    original, repost, other = (band_keys(minhash_signature(text)) for text in (TEXT, REPOST, OTHER))
    assert len(original) == LSH_BANDS
    assert original & repost
    assert not original & other


def test_equal_signatures_have_equal_band_keys_and_no_signature_has_none() -> None:
    assert band_keys(minhash_signature(TEXT)) == band_keys(minhash_signature(TEXT))
    assert band_keys(None) == set()


def test_an_article_is_filed_under_its_bands_and_its_alternates_urls() -> None:
    russian = key("https://mvd.gov.kg/rus/news/4052", TEXT, alternates=["https://mvd.gov.kg/kyr/news/4052/"])
    assert russian.stored_keys() == band_keys(russian.minhash) | {url_key("https://mvd.gov.kg/kyr/news/4052")}
    assert url_key(russian.canonical_url) not in russian.stored_keys()


def test_signatures_are_made_without_scipy_and_equal_those_of_the_datasketch_package() -> None:
    """MinHash is imported without datasketch's package ``__init__`` (which imports SciPy for LSH):
    the signature is the one the package proper makes."""
    probe = (
        "import sys; from pipeline.cluster import minhash_signature; "
        f"sig = minhash_signature({TEXT!r}); print('scipy' in sys.modules, sig.hex())"
    )
    shown = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    scipy_loaded, signature = shown.stdout.split()
    assert scipy_loaded == "False"
    from datasketch import LeanMinHash, MinHash

    from core.story import NUM_PERM, SEED
    from pipeline.boilerplate import without_signature

    sketch = MinHash(num_perm=NUM_PERM, seed=SEED)
    sketch.update_batch(list(shingles(without_signature(TEXT))))
    lean = LeanMinHash(sketch)
    expected = bytearray(lean.bytesize())
    lean.serialize(expected)
    assert bytes.fromhex(signature) == bytes(expected)
