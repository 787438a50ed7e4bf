"""Realistic review data: the stories of release #1 2025 (1-15.01.2025) as the crawler stores them.

Rows go in through :func:`storage.repository.upsert_article`, the crawler's own write path, so
clustering (a Kazakh language version joins its Russian original) happens as in production.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from config import load_sources
from core.period import Period
from core.types import Evidence, PageInput, Relevance, TaggedArticle
from core.urls import canonical_url
from pipeline.facts import extract_facts
from review.users import create_user
from storage.repository import sync_sources, upsert_article

PASSWORD = "correct horse battery"  # meets the policy: 12+ characters, not a common password
USERS = {"anna": "analyst", "boris": "analyst", "erik": "editor", "root": "admin"}
ZONES = {
    "polisia_kz": "Asia/Almaty",
    "mvd_kg": "Asia/Bishkek",
    "mvd_ru": "Europe/Moscow",
    "akn_tj": "Asia/Dushanbe",
}


@dataclass
class Story:
    key: str
    url: str
    title: str
    text: str
    published: datetime
    source_id: str | None
    country: str
    language: str = "ru"
    score: float = 0.86
    label: str = "relevant"
    topic: str = "prevention"
    evidence: list[tuple[str, str, str, float]] = field(default_factory=list)
    alternates: dict[str, str] = field(default_factory=dict)
    date_uncertain: bool = False


def _t(day: int, hour: int = 6, minute: int = 0) -> datetime:
    return datetime(2025, 1, day, hour, minute, tzinfo=UTC)


KOKSHETAU_RU = "https://polisia.kz/ru/antinarkoticheskaya-aksiya-schast-e-v-melochah-proshla-v-kokshetau/"
KOKSHETAU_KK = "https://polisia.kz/kz/kokshetauda-baqyt-usaq-tuiekte-atty-esirtkige-qarsy-aktsiya-otti/"

STORIES: list[Story] = [
    Story(
        "kokshetau",
        KOKSHETAU_RU,
        "Антинаркотическая акция «Счастье в мелочах!» прошла в Кокшетау",
        "Мероприятие инициировали сотрудники управления по противодействию наркопреступности ДП области.\n"
        "Вместе с ювенальными полицейскими и наркополицейскими в акции активное участие приняли волонтёры "
        "общественного фонда «Esbol qory».\n"
        "Волонтёры вместе с полицейскими раздавали прохожим сладости с антинаркотическими слоганами.",
        _t(9, 5, 30),
        "polisia_kz",
        "KZ",
        evidence=[
            ("наркопреступн*", "наркопреступности", "text", 1.0),
            ("антинаркотическ*", "Антинаркотическая", "title", 0.8),
            ("наркополицейск*", "наркополицейскими", "text", 0.7),
        ],
        alternates={"kk": KOKSHETAU_KK},
    ),
    Story(
        "kokshetau_kk",
        KOKSHETAU_KK,
        "Көкшетауда «Бақыт – ұсақ-түйекте!» атты есірткіге қарсы акция өтті",
        "Іс-шараны облыстық полиция департаментінің есірткі қылмысына қарсы іс-қимыл басқармасының "
        "қызметкерлері ұйымдастырды.\nЕріктілер полицейлермен бірге жолаушыларға есірткіге қарсы "
        "ұрандары бар тәттілер таратты.",
        _t(9, 6, 10),
        "polisia_kz",
        "KZ",
        language="kk",
        evidence=[("есірткі*", "есірткіге", "title", 0.9)],
        alternates={"ru": KOKSHETAU_RU},
    ),
    Story(
        "sko",
        "https://polisia.kz/ru/chto-grozit-narkodel-tsam-v-sko-politsejskie-raz-yasnyayut-izmeneniya-v-zakonodatel-stve/",
        "Что грозит наркодельцам: в СКО полицейские разъясняют изменения в законодательстве",
        "Информационная работа проводится стражами порядка в крупных трудовых коллективах.\n"
        "Теперь ответственность для так называемых «закладчиков» снижена — им грозит лишение свободы "
        "от 5 до 8 лет.\n"
        "Введена уголовная ответственность за оборот прекурсоров — от 3 до 7 лет.",
        _t(10, 4),
        "polisia_kz",
        "KZ",
        topic="legislation",
        score=0.93,
        evidence=[
            ("наркодел*", "наркодельцам", "title", 1.0),
            ("закладчик*", "закладчиков", "text", 0.9),
            ("прекурсор*", "прекурсоров", "text", 0.9),
        ],
    ),
    Story(
        "almaty_ads",
        "https://polisia.kz/ru/antinarkoticheskuyu-sotsial-nuyu-reklamu-zapustila-politsiya-v-almaty/",
        "Антинаркотическую социальную рекламу запустила полиция в Алматы",
        "Полицейские призывают общество к совместной работе по противодействию наркопреступности.\n"
        "С этой целью на 42 автобусных остановках Алматы при поддержке акимата размещены тематические "
        "информационные ролики с телефонами доверия полиции.",
        _t(13, 9),
        "polisia_kz",
        "KZ",
        evidence=[
            ("антинаркотическ*", "Антинаркотическую", "title", 0.8),
            ("наркопреступн*", "наркопреступности", "text", 1.0),
        ],
    ),
    Story(
        "ulytau",
        "https://polisia.kz/ru/oblast-ulytau-aktiviziruet-bor-bu-s-narkoprestupnost-yu/",
        "Область Улытау активизирует борьбу с наркопреступностью",
        "Вчера в здании областного акимата прошло совещание по координации усилий государственных органов "
        "в противодействии наркомании и незаконному обороту наркотиков.",
        _t(14, 8),
        "polisia_kz",
        "KZ",
        topic="cooperation",
        evidence=[
            ("наркопреступн*", "наркопреступностью", "title", 1.0),
            ("наркомани*", "наркомании", "text", 0.8),
            ("незаконн* оборот*", "незаконному обороту", "text", 1.0),
        ],
    ),
    Story(
        "akmola",
        "https://polisia.kz/ru/o-probleme-narkomanii-i-narkobiznese-rasskazyvayut-roditelyam-shkol-nikov-v-akmolinskoj-oblasti/",
        "О проблеме наркомании и наркобизнесе рассказывают родителям школьников в Акмолинской области",
        "С началом новой учебной четверти полицейские Акмолинской области возобновили встречи с родителями "
        "школьников. В рамках профилактической работы наркополицейские посещают родительские собрания.",
        _t(15, 3),
        "polisia_kz",
        "KZ",
        evidence=[("наркомани*", "наркомании", "title", 0.8), ("наркобизнес*", "наркобизнесе", "title", 1.0)],
    ),
    Story(
        "kg_quiz",
        "https://mvd.gov.kg/rus/news/2025/01/viktorina-profilaktika-narkotikov",
        "В Бишкеке провели викторину в рамках профилактики употребления наркотиков",
        "Сотрудники СБНОН МВД провели для студентов викторину, посвящённую профилактике употребления "
        "наркотических средств и психотропных веществ.",
        _t(11, 7),
        "mvd_kg",
        "KG",
        evidence=[("наркотик*", "наркотиков", "title", 0.9), ("психотропн*", "психотропных", "text", 0.9)],
    ),
    Story(
        "ru_ryazan",
        "https://62.xn--b1aew.xn--p1ai/news/item/58123456",
        "Полицейские провели профилактическое мероприятие «Молодёжь против наркотиков»",
        "Сотрудники отдела по контролю за оборотом наркотиков провели беседу с учащимися колледжа "
        "о последствиях употребления наркотических средств.",
        _t(12, 10),
        "mvd_ru",
        "RU",
        evidence=[
            ("наркотик*", "наркотиков", "title", 0.9),
            ("оборот* наркотик*", "оборотом наркотиков", "text", 1.0),
        ],
    ),
    Story(
        "ru_perm",
        "https://59.xn--b1aew.xn--p1ai/news/item/58129911",
        "В Прикамье стартовал первый этап акции «Сообщи, где торгуют смертью»",
        "Цель акции — привлечение общественности к участию в противодействии незаконному обороту "
        "наркотиков и сбор информации о фактах их распространения.",
        _t(13, 12),
        "mvd_ru",
        "RU",
        evidence=[
            ("незаконн* оборот*", "незаконному обороту", "text", 1.0),
            ("наркотик*", "наркотиков", "text", 0.9),
        ],
    ),
    Story(
        "tj_school",
        "https://akn.tj/ru/news/vstrecha-s-roditelyami-i-uchashchimisya-shkoly-3-rayona-firdavsi",
        "Встреча с родителями и учащимися общеобразовательного учреждения №3 района Фирдавси",
        "Сотрудники Агентства по контролю за наркотиками провели встречу с родителями и учащимися "
        "о вреде наркотиков и ответственности за их незаконный оборот.",
        _t(8, 8),
        "akn_tj",
        "TJ",
        evidence=[
            ("наркотик*", "наркотиками", "text", 0.9),
            ("незаконн* оборот*", "незаконный оборот", "text", 1.0),
        ],
    ),
    Story(
        "tj_heroin",
        "https://akn.tj/ru/news/v-khatlonskoy-oblasti-izyato-5-kg-geroina",
        "В Хатлонской области изъято 5 кг героина",
        "Сотрудники АКН задержали жителя района Дусти, у которого при досмотре автомашины обнаружено и "
        "изъято пять килограммов героина.",
        _t(6, 9),
        "akn_tj",
        "TJ",
        topic="seizure_arrest",
        score=0.97,
        evidence=[("героин*", "героина", "title", 1.0), ("изъят*", "изъято", "text", 0.6)],
    ),
    Story(
        "tj_heroin_repost",
        "https://khovar.tj/rus/2025/01/v-khatlone-zaderzhan-narkokurer-s-geroinom/",
        "В Хатлоне задержан наркокурьер с пятью килограммами героина",
        "По информации пресс-центра АКН, в районе Дусти задержан гражданин, перевозивший в тайнике "
        "автомобиля пять килограммов героина. Возбуждено уголовное дело.",
        _t(7, 5),
        None,
        "TJ",
        topic="seizure_arrest",
        score=0.95,
        evidence=[("наркокурьер*", "наркокурьер", "title", 1.0), ("героин*", "героина", "text", 1.0)],
    ),
    Story(
        "kz_football",
        "https://polisia.kz/ru/v-astane-proshyol-turnir-po-mini-futbolu-sredi-politseyskikh/",
        "В Астане прошёл турнир по мини-футболу среди полицейских",
        "Соревнования собрали восемь команд территориальных подразделений. Победителям вручены кубки.",
        _t(12, 11),
        "polisia_kz",
        "KZ",
        score=0.04,
        label="irrelevant",
        topic="other",
    ),
    Story(
        "kg_veterans",
        "https://mvd.gov.kg/rus/news/2025/01/pozdravili-veteranov",
        "Сотрудники ГУВД поздравили ветеранов органов внутренних дел",
        "В канун праздника руководство ГУВД посетило ветеранов и вручило им подарки.",
        _t(10, 9),
        "mvd_kg",
        "KG",
        score=0.02,
        label="irrelevant",
        topic="other",
    ),
    Story(
        "kz_undated",
        "https://polisia.kz/ru/v-karagande-zaderzhali-zakladchika/",
        "В Караганде задержали закладчика синтетических наркотиков",
        "При задержании у подозреваемого изъято 40 свёртков с синтетическим наркотиком.",
        _t(14, 15),
        "polisia_kz",
        "KZ",
        topic="seizure_arrest",
        score=0.9,
        date_uncertain=True,
        evidence=[("закладчик*", "закладчика", "title", 0.9), ("наркотик*", "наркотиков", "title", 0.9)],
    ),
]


def tagged(story: Story) -> TaggedArticle:
    """The story as the pipeline would tag it."""
    period = Period.at(story.published, ZONES.get(story.source_id or "", "Asia/Dushanbe"))
    evidence = tuple(Evidence(term=t, match=m, where=w, weight=wt) for t, m, w, wt in story.evidence)
    return TaggedArticle(
        page=PageInput(
            url=story.url,
            source_id=story.source_id,
            html=f"<html><body><h1>{story.key}</h1></body></html>",
            encoding="utf-8",
            http_status=200,
            fetched_at=datetime(2025, 1, 15, 20, tzinfo=UTC),
            alternates=story.alternates,
            declared_language=story.language,
        ),
        canonical_url=canonical_url(story.url),
        title=story.title,
        text=story.text,
        author=None,
        published_at=story.published,
        date_uncertain=story.date_uncertain,
        language=story.language,
        language_confidence=0.98,
        country=story.country,
        countries_mentioned=(story.country,),
        period=period,
        relevance=Relevance(score=story.score, label=story.label, evidence=evidence),
        topic=story.topic,
        content_hash=hashlib.sha256(story.text.encode()).hexdigest(),
        minhash=None,
        facts=extract_facts(story.text, title=story.title, language=story.language, country=story.country)
        if story.label != "irrelevant"
        else None,
    )


def seed(session: Session, stories: list[Story] | None = None) -> dict[str, int]:
    """Sources, users (password :data:`PASSWORD`) and the stories; returns story key -> event id."""
    sync_sources(session, load_sources())
    for name, role in USERS.items():
        create_user(session, name, PASSWORD, role, actor="test:seed")
    events = {}
    for story in stories or STORIES:
        events[story.key] = upsert_article(session, tagged(story)).event_id
    session.flush()
    return events


XSS_TITLE = "Breaking <script>window.__pwned = 'script'; document.title = 'PWNED'</script> news"
XSS_TEXT = (
    "Police seized heroin. <img src=x onerror=\"window.__pwned='img'; fetch('/pwned-img')\">\n"
    "Click <a href=\"javascript:window.__pwned='link'\">here</a> for more.\n"
    "<iframe src=\"javascript:parent.__pwned='iframe'\"></iframe><svg onload=\"window.__pwned='svg'\"></svg>"
)
XSS_STORY = Story(
    "xss",
    "https://polisia.kz/ru/xss-test-article/",
    XSS_TITLE,
    XSS_TEXT,
    _t(11, 8),
    "polisia_kz",
    "KZ",
    evidence=[
        ("heroin", "heroin", "text", 1.0),
        ("onerror", "onerror", "text", 0.1),
        ("script", "script", "title", 0.1),
    ],
    alternates={"en": "javascript:window.__pwned='alternate'", "kk": " JaVa\tScript:window.__pwned='tab'"},
)
