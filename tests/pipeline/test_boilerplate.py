"""Boilerplate-free texts (issue #18): the rules of config/boilerplate.toml, one behaviour each."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from lxml.html import fromstring, tostring

import config
from config import ConfigError, boilerplate
from pipeline.boilerplate import (
    clean_text,
    drop_elements,
    drop_paragraphs,
    fingerprint,
    is_junk_line,
    is_signature,
    is_site_wide,
    paragraph_fingerprints,
    source_selectors,
    split_signature,
    without_signature,
)

ALTAI_ENDING = (
    "Возбуждено уголовное дело по части 4 статьи 228.1 УК РФ.\n"
    "Пресс-служба ГУ МВД России по Алтайскому краю | ОК | Telegram | Пн | Вт | Ср | Чт | Пт | Сб | Вс |\n"
    "| 1 | 2 | 3 | 4 | 5 | 6 | 7 |"
)
COPYRIGHT = (
    "Все материалы сайта Министерства внутренних дел Российской Федерации могут быть воспроизведены в "
    "любых средствах массовой информации, на серверах сети Интернет или на любых иных носителях без "
    "каких-либо ограничений по объему и срокам публикации."
)


def test_the_demo_release_ending_keeps_the_signature_and_loses_share_bar_and_calendar() -> None:
    assert clean_text(ALTAI_ENDING).splitlines() == [
        "Возбуждено уголовное дело по части 4 статьи 228.1 УК РФ.",
        "Пресс-служба ГУ МВД России по Алтайскому краю",
    ]


def test_a_calendar_header_and_its_rows_of_days_are_junk() -> None:
    assert is_junk_line("| Пн | Вт | Ср | Чт | Пт | Сб | Вс |")
    assert is_junk_line("| 8 | 9 | 10 | 11 | 12 | 13 | 14 |")
    assert is_junk_line("|---|---|---|---|---|---|---|")


def test_a_table_row_of_figures_is_not_a_calendar() -> None:
    assert not is_junk_line("Героин | 12 | 15")
    assert not is_junk_line("| 2023 | 2024 | 2025 |")


def test_a_share_bar_is_junk_as_a_row_or_as_one_run_of_names() -> None:
    assert is_junk_line("| Поместить ссылку в |  |  |  |")
    assert is_junk_line("Поделиться: ВКонтакте Одноклассники Telegram")
    assert is_junk_line("Версия для печати")


def test_a_sentence_naming_a_social_network_is_text() -> None:
    assert not is_junk_line("Работу курьера он нашёл в Telegram-канале, где ему обещали заработок.")
    assert not is_junk_line("В Telegram")


def test_separator_and_date_lines_are_junk() -> None:
    assert is_junk_line("* * *")
    assert is_junk_line("20.12.2024")
    assert is_junk_line("Сегодня 17:10")


def test_the_site_copyright_notice_is_junk_by_its_phrases() -> None:
    assert is_junk_line(COPYRIGHT)
    assert is_junk_line("Об использовании информации сайта")


def test_the_press_service_signature_is_no_junk_line() -> None:
    assert not is_junk_line("Пресс-служба ГУ МВД России по Алтайскому краю")


def test_selected_elements_are_dropped_and_the_text_after_them_stays() -> None:
    tree = fromstring(
        "<div><p>Текст статьи.</p><div class='more_links'>Версия для печати</div>хвост<p>Ещё абзац.</p></div>"
    )
    assert drop_elements(tree, ["div.more_links"]) == 1
    html = tostring(tree, encoding="unicode")
    assert "Версия для печати" not in html and "хвост" in html and "Ещё абзац." in html


def test_a_source_has_its_own_selectors_and_the_generic_ones() -> None:
    assert "div.mvd_copyright" in source_selectors("mvd_ru")
    assert "div.mvd_copyright" not in source_selectors("polisia_kz")
    assert source_selectors("no_such_source") == source_selectors(None)


def test_the_closing_signature_is_split_off() -> None:
    body, signature = split_signature("Первый абзац.\nВторой абзац.\nПресс-служба МВД")
    assert (body, signature) == ("Первый абзац.\nВторой абзац.", "Пресс-служба МВД")


def test_signatures_in_several_languages_are_recognised() -> None:
    assert is_signature("ИИМдин басма сөз кызматы")
    assert is_signature("ПРЕСС-СЛУЖБА УМВД России по Смоленской области")
    assert is_signature("Press service of the Drug Control Agency")
    assert not is_signature(
        "Пресс-служба сообщила, что задержанный дал признательные показания по делу и ждёт суда, а его " * 3
    )


def test_a_text_that_is_only_a_signature_keeps_it() -> None:
    assert without_signature("Пресс-служба МВД") == "Пресс-служба МВД"


def test_a_paragraph_is_site_wide_only_on_enough_articles_and_a_large_share_of_them() -> None:
    assert is_site_wide(3, 3)
    assert not is_site_wide(2, 2)
    assert not is_site_wide(6, 180)  # a press service's standard sentence on a few per cent


def test_fingerprints_ignore_case_spacing_and_punctuation() -> None:
    assert fingerprint("Все материалы  сайта, МВД!") == fingerprint("все материалы сайта мвд")


def test_short_paragraphs_and_the_signature_are_never_counted() -> None:
    text = f"Коротко.\n{COPYRIGHT}\nПресс-служба ГУ МВД России по Алтайскому краю"
    assert paragraph_fingerprints(text) == {fingerprint(COPYRIGHT)}


def test_site_wide_paragraphs_are_dropped_but_never_the_whole_text() -> None:
    text = f"Своё содержание статьи.\n{COPYRIGHT}"
    assert drop_paragraphs(text, {fingerprint(COPYRIGHT)}) == "Своё содержание статьи."
    assert drop_paragraphs(COPYRIGHT, {fingerprint(COPYRIGHT)}) == COPYRIGHT


def test_a_bad_selector_is_refused_naming_the_file_and_the_source(tmp_path, monkeypatch) -> None:
    target = tmp_path / "config"
    shutil.copytree(
        Path(config.__file__).resolve().parent, target, ignore=shutil.ignore_patterns("*.py", "__pycache__")
    )
    path = target / "boilerplate.toml"
    path.write_text(
        path.read_text(encoding="utf-8").replace('"div.mvd_copyright"', '"div..mvd"'), encoding="utf-8"
    )
    monkeypatch.setenv("NEWSMON_CONFIG_DIR", str(target))
    boilerplate.clear_cache()
    try:
        with pytest.raises(ConfigError, match=r"boilerplate\.toml: sources\.mvd_ru\.drop_selectors"):
            boilerplate.load_boilerplate()
    finally:
        boilerplate.clear_cache()
