"""What the stage learnt from round 27's train part (issue #19): a prison named by its place, a heading
over the page's other stories, where drugs were made for sale.

Sentences are quoted from real published stories of ``corpus/facts`` (round 27, collected after the
rules of ``tests/pipeline/test_fact_round_26.py`` were final, scored fresh, then dealt).
"""

from __future__ import annotations

from tests.pipeline.fact_reading import places


def test_a_prison_named_by_its_place_is_a_place() -> None:
    text = (
        "В Стрижавскую колонию не удалось перекинуть пакетик “травы” и бутылку водки\n"
        "Пакет с маковой соломкой и бутылка водки так и не перелетели через "
        "ограду Стрижавской исправительной "
        "колонии № 81."
    )
    assert places(text) == ["Стрижавской исправительной колонии № 81"]


def test_the_stories_under_a_check_also_heading_are_other_news() -> None:
    text = (
        "On the same day, BNCA fined 82 people for illegal possession of tobacco products. BNCA collected Nu "
        "37,610 as fine money.\n\nThe team will continue to conduct more highway checking and special drug "
        "crackdowns to bring down the number of people in possession of drugs "
        "and illegal tobacco products.\n\n\n"
        "Check Also\n\nUnderutilization of new cold storage facilities in Wangdue and Sarpang\n\nThree "
        "state-of-the-art cold storage facilities in Wangduephodrang, "
        "Trashigang and Sarpang, equipped with a "
        "capacity of …\n\nLeave a Reply"
    )
    assert places(text, language="en") == []


def test_where_drugs_were_made_for_selling_is_no_place_of_the_event() -> None:
    text = (
        "The police have recently seized about 45 kilograms of amphetamine at a drug lab in the Ropaži "
        "municipality near Riga.\n\nIt was worth around €600,000 on the black market, and the illegal "
        "substance had been made for selling in Northern European countries."
    )
    assert "Northern European" not in places(text, language="en")
