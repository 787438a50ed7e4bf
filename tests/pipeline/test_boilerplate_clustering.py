"""Two unrelated short items of one press service, on pages carrying the same chrome (the old
мвд.рф template's share bar and copyright notice) and the same signature, are two stories (#18)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import trafilatura

from core.story import NEAR_DUPLICATE_THRESHOLD, same_story, similarity
from core.types import PageInput
from pipeline.cluster import minhash_signature
from pipeline.runner import story_key, tag_page

SIGNATURE = "Пресс-служба ГУ МВД России по Алтайскому краю"
FIRST = "В Барнауле полицейские задержали 24-летнего закладчика с 25 свертками синтетического наркотика."
SECOND = "В Бийске сотрудники ГИБДД провели рейд «Нетрезвый водитель» и выявили шесть нарушителей."
COPYRIGHT = """<div class="mvd_copyright"><div class="padding"><h3>Об использовании информации сайта</h3>
<p>Все материалы сайта Министерства внутренних дел Российской Федерации могут быть воспроизведены в любых
средствах массовой информации, на серверах сети Интернет или на любых иных носителях без каких-либо
ограничений по объему и срокам публикации.</p>
<p>Это разрешение в равной степени распространяется на газеты, журналы, радиостанции, телеканалы, сайты и
страницы сети Интернет. Единственным условием перепечатки и ретрансляции является ссылка на
первоисточник.</p>
<p>Никакого предварительного согласия на перепечатку со стороны Министерства внутренних дел Российской
Федерации не требуется.</p></div></div>"""


def legacy_page(title: str, paragraph: str) -> str:
    """An item of the 2014-2015 regional template: body, signature, share bar, copyright notice."""
    return f"""<html lang="ru"><head><title>{title}</title></head><body>
<div class="ln-content-holder"><h1>{title}</h1><div class="article-date-item">10 Января 2025 09:00</div>
<div class="article"><p>{paragraph}</p><p><strong>{SIGNATURE}</strong></p>
<div class="border more_links social"><ul class="links">
<li><a href="?print=1">Версия для печати</a></li></ul></div>
<table class="no_border table-links-layout"><tr><td><span>Поместить ссылку в</span></td>
<td><a title="ВКонтакте"><img src="/vk.png" title="ВКонтакте"></a></td></tr></table>
</div></div>{COPYRIGHT}</body></html>"""


def page(item: int, title: str, paragraph: str) -> PageInput:
    return PageInput(
        url=f"https://22.мвд.рф/news/item/{item}/",
        source_id="mvd_ru",
        html=legacy_page(title, paragraph),
        title=title,
        site_published=datetime(2025, 1, 10, 9, 0, tzinfo=ZoneInfo("Asia/Barnaul")),
        declared_language="ru",
    )


FIRST_PAGE = page(59241001, "Задержан закладчик", FIRST)
SECOND_PAGE = page(59241002, "Рейд «Нетрезвый водитель»", SECOND)


def test_the_shared_chrome_alone_makes_trafilaturas_texts_near_duplicates() -> None:
    """What the issue measured (0.71): the test below would fail without the boilerplate rules."""
    texts = [trafilatura.extract(p.html, url=p.url) or "" for p in (FIRST_PAGE, SECOND_PAGE)]
    signatures = [minhash_signature(text) for text in texts]
    assert signatures[0] and signatures[1]
    assert similarity(signatures[0], signatures[1]) >= NEAR_DUPLICATE_THRESHOLD


def test_two_unrelated_short_items_with_the_same_notice_and_signature_are_two_stories() -> None:
    first, second = tag_page(FIRST_PAGE), tag_page(SECOND_PAGE)
    assert not same_story(story_key(first), story_key(second))


def test_the_signature_stays_in_the_stored_text_and_the_chrome_does_not() -> None:
    tagged = tag_page(FIRST_PAGE)
    assert tagged.text == f"{FIRST}\n{SIGNATURE}"


def test_the_signature_does_not_count_for_near_duplicates() -> None:
    with_signature = minhash_signature(f"{FIRST} Наркотики изъяты и направлены на экспертизу.\n{SIGNATURE}")
    without = minhash_signature(f"{FIRST} Наркотики изъяты и направлены на экспертизу.")
    assert with_signature == without
