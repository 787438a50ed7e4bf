"""The body-extraction measure (pipeline/bodies.py) and its frozen set corpus/bodies (#18)."""

from __future__ import annotations

import shutil

import pytest

from pipeline.bodies import (
    BODIES_DIR,
    GATE_F1,
    BodyPage,
    CorpusChanged,
    char_scores,
    evaluate_bodies,
    junk_lines,
    load_bodies,
    newsmon_body,
)


def body_page(expected: str, junk: tuple[str, ...] = ()) -> BodyPage:
    return BodyPage(
        id="x",
        url="https://example.org/",
        source_id=None,
        shape="x",
        variant="x",
        origin="x",
        html="",
        expected=expected,
        junk=junk,
    )


def test_an_exact_body_scores_one() -> None:
    scores = char_scores("Первый абзац.\nВторой абзац.", "Первый абзац. Второй абзац.")
    assert (scores.precision, scores.recall, scores.f1) == (1.0, 1.0, 1.0)


def test_extra_characters_cost_precision_only() -> None:
    scores = char_scores("abcd efgh", "abcd")
    assert scores.recall == 1.0
    assert scores.precision == pytest.approx(4 / 9)


def test_missing_characters_cost_recall_only() -> None:
    scores = char_scores("abcd", "abcd efgh")
    assert scores.precision == 1.0
    assert scores.recall == pytest.approx(4 / 9)


def test_scores_add_up_over_pages_as_a_micro_average() -> None:
    total = char_scores("abcd", "abcd")
    total.add(char_scores("", "efghijkl"))
    assert (total.matched, total.extracted, total.expected) == (4, 4, 12)
    assert total.recall == pytest.approx(1 / 3)


def test_nothing_extracted_scores_zero_not_an_error() -> None:
    assert char_scores("", "abc").f1 == 0.0


def test_a_junk_line_is_planted_chrome_or_chrome_by_the_rules_but_never_a_body_line() -> None:
    page = body_page("Пресс-служба МВД сообщает: в Telegram появился бот.", junk=("Telegram",))
    text = "Пресс-служба МВД сообщает: в Telegram появился бот.\nTelegram\n| Пн | Вт | Ср |\nКонец."
    assert junk_lines(text, page) == ["Telegram", "| Пн | Вт | Ср |"]


def test_the_set_is_frozen(tmp_path) -> None:
    copy = tmp_path / "bodies"
    shutil.copytree(BODIES_DIR, copy)
    load_bodies(copy)
    page = next((copy / "pages").glob("*.html"))
    page.write_text(page.read_text(encoding="utf-8") + "<!-- edited -->", encoding="utf-8")
    with pytest.raises(CorpusChanged):
        load_bodies(copy)


def test_the_set_covers_every_site_shape_of_the_mirror_and_a_real_page() -> None:
    pages = load_bodies()
    shapes = {page.shape for page in pages}
    assert {"mvd_ru:legacy", "mvd_ru:main", "mvd_kg:ru:p", "mvd_kg:ru:br", "akn_tj:legacy"} <= shapes
    assert {page.source_id for page in pages} == {
        "polisia_kz",
        "mvd_kg",
        "mvd_ru",
        "akn_tj",
        "kazinform",
        "vb_kg",
    }
    assert any(page.origin == "real" for page in pages)
    assert {page.variant for page in pages} >= {"served", "planted", "related", "real"}


def test_newsmon_meets_the_target_on_the_set_and_puts_no_junk_line_into_a_release() -> None:
    (result,) = evaluate_bodies(load_bodies(), {"newsmon": newsmon_body})
    assert result.scores.f1 >= GATE_F1
    assert result.junk == 0, result.pages_with_junk
