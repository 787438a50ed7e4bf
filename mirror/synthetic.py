"""Deterministic synthetic articles for benchmarks: N extra realistic Russian items per site.

Stories are assembled from hand-written sentence variants filled with places, names and numbers
of the site's country; about 40 % are about drugs (seizures, couriers, laboratories, prevention),
the rest are ordinary police news (traffic, fraud, theft, a lost child, ceremonies, sport,
migration, weapons, domestic violence, alcohol sales). Dates are spread over 2023-01-01 …
2024-11-30, before every hand-written fixture, so the fixture periods keep their exact counts.
The same ``(n, seed)`` always yields the same articles.

:func:`generate_fresh` makes the articles a site publishes after all of these (newer dates, higher
ids), so an incremental crawl of the same mirror finds exactly them (``MirrorServer(fresh=N)``).
"""

from __future__ import annotations

import random
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

from mirror.model import Article
from mirror.site import Site
from mirror.slugs import slugify

START = date(2023, 1, 1)
END = date(2024, 11, 30)


@dataclass(frozen=True)
class Place:
    city: str
    in_city: str
    """Prepositional phrase: ``в Караганде``."""
    region: str
    """Genitive for unit names: ``Карагандинской области``."""
    latin: str


@dataclass(frozen=True)
class Profile:
    places: tuple[Place, ...]
    surnames: tuple[str, ...]
    rank: str
    police: str
    """``полицейские`` / ``сотрудники милиции``."""
    drug_unit: str
    """Format string with {region}."""
    traffic_unit: str
    currency: str
    drug_article: str
    """``статье 297 УК РК``: the drug-sale article named in texts."""
    org: str
    """``Полиция`` / ``Милиция`` / ``Агентство``."""
    to_police: str
    """``в полицию`` / ``в милицию``."""
    kinds: tuple[str, ...] = ()
    """Story kinds this site publishes (all when empty)."""


def _p(city: str, in_city: str, region: str, latin: str) -> Place:
    return Place(city, in_city, region, latin)


PROFILES: dict[str, Profile] = {
    "polisia_kz": Profile(
        places=(
            _p("Алматы", "в Алматы", "города Алматы", "almaty"),
            _p("Астана", "в Астане", "города Астаны", "astana"),
            _p("Шымкент", "в Шымкенте", "города Шымкента", "shymkent"),
            _p("Караганда", "в Караганде", "Карагандинской области", "karaganda"),
            _p("Павлодар", "в Павлодаре", "Павлодарской области", "pavlodar"),
            _p("Костанай", "в Костанае", "Костанайской области", "kostanaj"),
            _p("Актобе", "в Актобе", "Актюбинской области", "aktobe"),
            _p("Тараз", "в Таразе", "Жамбылской области", "taraz"),
            _p("Семей", "в Семее", "области Абай", "semej"),
            _p("Кызылорда", "в Кызылорде", "Кызылординской области", "kyzylorda"),
            _p("Уральск", "в Уральске", "Западно-Казахстанской области", "uralsk"),
            _p("Петропавловск", "в Петропавловске", "Северо-Казахстанской области", "petropavlovsk"),
        ),
        surnames=("Ахметов", "Сарсенбаев", "Жумабекова", "Исмаилов", "Кенжебаев", "Нурланова", "Омаров",
                  "Тулегенов", "Бекмуханов", "Абдрахманова", "Сейткалиев", "Мухамеджанова"),
        rank="полиции", police="полицейские",
        drug_unit="Управления по противодействию наркопреступности ДП {region}",
        traffic_unit="административной полиции ДП {region}", currency="тенге",
        drug_article="статье 297 УК РК", org="Полиция", to_police="в полицию",
    ),
    "mvd_kg": Profile(
        places=(
            _p("Бишкек", "в Бишкеке", "г. Бишкек", "bishkek"),
            _p("Ош", "в Оше", "г. Ош", "osh"),
            _p("Жалал-Абад", "в Жалал-Абаде", "Жалал-Абадской области", "dzhalal-abad"),
            _p("Каракол", "в Караколе", "Иссык-Кульской области", "karakol"),
            _p("Нарын", "в Нарыне", "Нарынской области", "naryn"),
            _p("Талас", "в Таласе", "Таласской области", "talas"),
            _p("Токмок", "в Токмоке", "Чуйской области", "tokmok"),
            _p("Баткен", "в Баткене", "Баткенской области", "batken"),
            _p("Кара-Балта", "в Кара-Балте", "Чуйской области", "kara-balta"),
        ),
        surnames=("Абдыкадыров", "Осмонов", "Токтогулова", "Мамытов", "Асанова", "Бакиров", "Турдубаев",
                  "Эсенов", "Сыдыкова", "Жумалиев", "Орозбаев", "Кадырова"),
        rank="милиции", police="сотрудники милиции", drug_unit="СБНОН МВД по {region}",
        traffic_unit="патрульной милиции по {region}", currency="сомов",
        drug_article="соответствующей статье Уголовного кодекса", org="Милиция", to_police="в милицию",
    ),
    "mvd_ru": Profile(
        places=(
            _p("Москва", "в Москве", "г. Москве", "moskva"),
            _p("Санкт-Петербург", "в Санкт-Петербурге", "г. Санкт-Петербургу и Ленинградской области", "spb"),
            _p("Казань", "в Казани", "Республике Татарстан", "kazan"),
            _p("Екатеринбург", "в Екатеринбурге", "Свердловской области", "ekaterinburg"),
            _p("Новосибирск", "в Новосибирске", "Новосибирской области", "novosibirsk"),
            _p("Ростов-на-Дону", "в Ростове-на-Дону", "Ростовской области", "rostov"),
            _p("Самара", "в Самаре", "Самарской области", "samara"),
            _p("Краснодар", "в Краснодаре", "Краснодарскому краю", "krasnodar"),
        ),
        surnames=("Иванов", "Кузнецова", "Смирнов", "Попов", "Васильев", "Соколова", "Новиков", "Морозов",
                  "Федорова", "Лебедев", "Козлова", "Егоров"),
        rank="полиции", police="полицейские", drug_unit="УНК ГУ МВД России по {region}",
        traffic_unit="Госавтоинспекции ГУ МВД России по {region}", currency="рублей",
        drug_article="статье 228.1 УК РФ", org="Полиция", to_police="в полицию",
    ),
    "akn_tj": Profile(
        places=(
            _p("Душанбе", "в Душанбе", "г. Душанбе", "dushanbe"),
            _p("Худжанд", "в Худжанде", "Согдийской области", "khujand"),
            _p("Бохтар", "в Бохтаре", "Хатлонской области", "bokhtar"),
            _p("Куляб", "в Кулябе", "Хатлонской области", "kulob"),
            _p("Истаравшан", "в Истаравшане", "Согдийской области", "istaravshan"),
            _p("Турсунзаде", "в Турсунзаде", "районов республиканского подчинения", "tursunzade"),
            _p("Хорог", "в Хороге", "ГБАО", "khorog"),
            _p("Пенджикент", "в Пенджикенте", "Согдийской области", "panjakent"),
        ),
        surnames=("Рахимов", "Сафарова", "Назаров", "Каримов", "Шарипов", "Холов", "Мирзоева", "Давлатов",
                  "Саидов", "Одинаева", "Ашуров", "Юсупов"),
        rank="", police="сотрудники Агентства", drug_unit="Управления Агентства по {region}",
        traffic_unit="ГАИ МВД по {region}", currency="сомони",
        drug_article="соответствующей статье Уголовного кодекса", org="Агентство",
        to_police="в правоохранительные органы",
        kinds=("_seizure", "_courier", "_laboratory", "_prevention", "_sport"),
    ),
}
ALTAI = Profile(
    places=(
        _p("Барнаул", "в Барнауле", "Алтайскому краю", "barnaul"),
        _p("Бийск", "в Бийске", "Алтайскому краю", "bijsk"),
        _p("Рубцовск", "в Рубцовске", "Алтайскому краю", "rubtsovsk"),
        _p("Новоалтайск", "в Новоалтайске", "Алтайскому краю", "novoaltajsk"),
        _p("Заринск", "в Заринске", "Алтайскому краю", "zarinsk"),
        _p("Камень-на-Оби", "в Камне-на-Оби", "Алтайскому краю", "kamen-na-obi"),
    ),
    surnames=PROFILES["mvd_ru"].surnames, rank="полиции", police="полицейские",
    drug_unit="УНК ГУ МВД России по {region}", traffic_unit="Госавтоинспекции ГУ МВД России по {region}",
    currency="рублей", drug_article="статье 228.1 УК РФ", org="Полиция", to_police="в полицию",
)

SUBSTANCES = (("гашиш", "гашиша", "hashish"), ("героин", "героина", "heroin"),
              ("марихуану", "марихуаны", "marijuana"), ("мефедрон", "мефедрона", "mephedrone"),
              ("синтетический наркотик", "синтетических наркотиков", "synthetic-drugs"))
INITIALS = "АБВГДЕЖЗИКЛМНОПРСТ"


@dataclass
class Story:
    title: str
    paragraphs: list[str]
    drug_related: bool
    en_slug: str


def cap(text: str) -> str:
    """Upper-case the first letter only (``str.capitalize`` would lower-case «Бишкеке»)."""
    return text[:1].upper() + text[1:]


def plural(n: int, one: str, few: str, many: str) -> str:
    """``21 факт``, ``3 факта``, ``11 фактов``."""
    if n % 10 == 1 and n % 100 != 11:
        word = one
    elif 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        word = few
    else:
        word = many
    return f"{n} {word}"


class _Ctx:
    """Random choices for one story."""

    def __init__(self, rnd: random.Random, profile: Profile) -> None:
        self.rnd = rnd
        self.pr = profile
        self.place = rnd.choice(profile.places)

    def pick(self, options: Sequence[str]) -> str:
        return self.rnd.choice(options)

    def person(self) -> str:
        return f"{self.rnd.choice(INITIALS)}.{self.rnd.choice(INITIALS)}. {self.rnd.choice(self.pr.surnames)}"

    def said(self, verb: str) -> str:
        """``отметил майор полиции А.Б. Иванов`` / ``отметила … Кузнецова`` (verb agrees with the surname)."""
        person = self.person()
        rank = self.pick(("майор", "капитан", "подполковник", "старший лейтенант", "полковник"))
        suffix = f" {self.pr.rank}" if self.pr.rank else ""
        role = self.pick(("начальник отдела", "старший оперуполномоченный",
                          "заместитель начальника управления",
                          "инспектор по делам несовершеннолетних", "оперуполномоченный"))
        female = person.endswith("а")
        return f"{verb}{'а' if female else ''} {role} {rank}{suffix} {person}"

    def age(self, lo: int = 19, hi: int = 56) -> int:
        return self.rnd.randint(lo, hi)

    def n(self, lo: int, hi: int) -> int:
        return self.rnd.randint(lo, hi)

    def when(self) -> str:
        return self.pick(("Накануне", "На минувшей неделе", "В выходные дни", "Днем ранее",
                          "Вечером в пятницу",
                          "В ходе рейда", "Ранним утром"))

    def some(self, options: Sequence[str], k_min: int = 1, k_max: int = 2) -> list[str]:
        return self.rnd.sample(list(options), self.rnd.randint(k_min, min(k_max, len(options))))


def _seizure(c: _Ctx) -> Story:
    acc, gen, en = c.rnd.choice(SUBSTANCES)
    amount = c.pick(("более 1,5 кг", "около 800 граммов", "свыше 3 кг", "более 400 граммов", "около 12 кг",
                     "почти 2 кг", "более 250 граммов", "около 6 кг"))
    age = c.age()
    where = c.pick(("в салоне автомобиля", "в гараже", "в съемной квартире", "в хозяйственной постройке",
                    "в багаже", "в тайнике под обшивкой двери"))
    title = c.pick((f"{cap(c.place.in_city)} изъято {amount} {gen}",
                    f"Задержан подозреваемый в хранении {gen} {c.place.in_city}",
                    f"Крупную партию {gen} изъяли {c.place.in_city}",
                    f"{cap(c.place.in_city)} пресечен канал поставки {gen}"))
    p1 = c.pick((
        f"Сотрудники {c.pr.drug_unit.format(region=c.place.region)} задержали {age}-летнего местного жителя, "
        f"у которого {where} обнаружено {amount} {gen}.",
        f"{c.when()} {c.place.in_city} в ходе оперативно-профилактических мероприятий задержан {age}-летний "
        f"мужчина. {cap(where)} {c.pr.police} нашли {amount} {gen} в полимерных свертках.",
        f"{cap(c.place.in_city)} {c.pr.police} пресекли деятельность {age}-летнего подозреваемого в сбыте "
        f"наркотиков. При обыске {where} изъято {amount} {gen}.",
    ))
    extra = c.some((
        "По предварительным данным, подозреваемый планировал сбыть запрещенное вещество через "
        "тайники-закладки.",
        "Задержанный пояснил, что приобрел наркотик через мессенджер у неустановленного лица.",
        "Изъятое направлено на экспертизу. Устанавливаются источник поступления наркотика и возможные "
        "соучастники.",
        "Также изъяты электронные весы, "
        f"{plural(c.n(2, 6), 'мобильный телефон', 'мобильных телефона', 'мобильных телефонов')} "
        "и упаковочный материал.",
        "Ранее мужчина уже привлекался к ответственности за аналогичное преступление.",
        "Оперативная информация о преступной деятельности подозреваемого поступила от жителей.",
    ), 1, 3)
    close = c.pick((
        f"Начато расследование по {c.pr.drug_article}. Подозреваемый водворен в изолятор временного "
        "содержания.",
        "Возбуждено уголовное дело. Решается вопрос об избрании меры пресечения.",
        f"Санкция статьи предусматривает лишение свободы на срок до {c.n(8, 15)} лет.",
    ))
    tail = c.pick((
        f"{c.pr.org} напоминает: сообщить о фактах сбыта наркотиков можно по телефону доверия, в том числе "
        "анонимно.",
        "Если вам известно о местах продажи или хранения наркотиков, сообщите об этом по телефону доверия.",
        "",
    ))
    return Story(title, [p1, *extra, close, tail], True, f"seizure-of-{en}-in-{c.place.latin}")


def _courier(c: _Ctx) -> Story:
    age = c.age(17, 24)
    title = c.pick((f"{cap(c.place.in_city)} задержан наркокурьер",
                    f"Закладчика задержали с поличным {c.place.in_city}",
                    f"{age}-летний закладчик задержан {c.place.in_city}",
                    f"Студент-закладчик попался {c.place.in_city}"))
    p1 = c.pick((
        f"{cap(c.pr.police)} {c.place.in_city} задержали {age}-летнего молодого человека, который "
        "раскладывал "
        "свертки с наркотиками по тайникам в жилых кварталах города.",
        f"{c.when()} патрульные обратили внимание на {age}-летнего юношу, который что-то прятал у забора "
        f"частного дома. При проверке выяснилось, что он делал закладку с наркотиком.",
    ))
    p2 = c.pick((
        f"При нем обнаружены {plural(c.n(8, 40), 'сверток', 'свертка', 'свертков')} с синтетическим "
        "наркотиком "
        "и мобильный телефон с фотографиями и координатами тайников.",
        "В ходе осмотра мест, указанных задержанным, изъято еще "
        f"{plural(c.n(5, 25), 'закладка', 'закладки', 'закладок')}.",
    ))
    p3 = c.pick((
        "Как выяснилось, молодого человека завербовали через интернет, пообещав легкий заработок.",
        "Работу «курьера» задержанный нашел в одном из телеграм-каналов, где ему обещали высокую оплату.",
        "Задержанный признался, что согласился на «работу» из-за долгов.",
    ))
    p4 = c.pick((
        f"– Легкий заработок оборачивается реальным сроком. Родителям следует интересоваться, чем заняты их "
        f"дети в интернете, – {c.said('отметил')}.",
        "Возбуждено уголовное дело, задержанному грозит длительный срок лишения свободы.",
    ))
    return Story(title, [p1, p2, p3, p4], True, f"drug-courier-detained-in-{c.place.latin}")


def _laboratory(c: _Ctx) -> Story:
    title = c.pick((f"{cap(c.place.in_city)} ликвидирована нарколаборатория",
                    f"Нарколабораторию по производству мефедрона обнаружили {c.place.in_city}",
                    "Подпольная нарколаборатория ликвидирована в частном доме"))
    p1 = (f"Сотрудники {c.pr.drug_unit.format(region=c.place.region)} пресекли деятельность подпольной "
          "лаборатории, оборудованной "
          + c.pick(("в частном доме на окраине города.", "в арендованном ангаре.", "в гараже.",
                    "на территории бывшей промбазы.")))
    p2 = (f"Изъяты {c.n(2, 40)} кг готового мефедрона, более {c.n(50, 400)} литров прекурсоров, "
          "химическая посуда "
          "и оборудование для синтеза.")
    p3 = c.pick((f"Задержаны {plural(c.n(2, 4), 'участник', 'участника', 'участников')} преступной группы, "
                 "в том числе организатор.",
                 "Задержан организатор производства, устанавливаются его сообщники и каналы сбыта."))
    p4 = "Возбуждено уголовное дело. Проводятся необходимые экспертизы и следственные действия."
    return Story(title, [p1, p2, p3, p4], True, f"drug-laboratory-dismantled-in-{c.place.latin}")


def _prevention(c: _Ctx) -> Story:
    school = c.pick(("школы №" + str(c.n(2, 80)), "колледжа", "университета", "лицея №" + str(c.n(1, 30))))
    title = c.pick((f"Учащимся {school} рассказали о вреде наркотиков",
                    f"{cap(c.pr.police)} провели антинаркотическую беседу с молодежью",
                    f"Профилактическая акция «Скажи наркотикам нет» прошла {c.place.in_city}",
                    f"{cap(c.place.in_city)} прошел антинаркотический урок"))
    p1 = (f"{cap(c.place.in_city)} {c.pr.police} провели профилактическую встречу с учащимися {school}. "
          "Разговор шел о последствиях употребления наркотиков и ответственности за их распространение.")
    extra = c.some((
        "Особое внимание уделили вербовке подростков в качестве закладчиков через социальные сети и "
        "мессенджеры.",
        "Ребятам рассказали, как распознать опасные предложения «легкого заработка» в интернете.",
        "Участникам встречи раздали памятки с телефонами доверия.",
        "Встреча завершилась показом социального видеоролика и ответами на вопросы.",
        f"В мероприятии приняли участие {plural(c.n(40, 300), 'студент', 'студента', 'студентов')} и "
        "преподаватели.",
    ), 1, 3)
    p4 = f"– Профилактика всегда эффективнее наказания, – {c.said('подчеркнул')}."
    return Story(title, [p1, *extra, p4], True, f"anti-drug-lecture-in-{c.place.latin}")


def _traffic(c: _Ctx) -> Story:
    n = c.n(40, 600)
    kind = c.pick(("Пешеходный переход", "Тонировка", "Автобус", "Ремень безопасности", "Скорость"))
    title = c.pick((f"{cap(c.place.in_city)} прошел рейд по безопасности дорожного движения",
                    f"Автоинспекторы выявили {plural(n, 'нарушение', 'нарушения', 'нарушений')} ПДД за "
                    "выходные",
                    f"Рейд «{kind}» проведен {c.place.in_city}"))
    unit = c.pr.traffic_unit.format(region=c.place.region)
    p1 = (f"Сотрудники {unit} провели рейд «{kind}», направленный на "
          "профилактику дорожно-транспортных происшествий.")
    p2 = c.pick((
        f"За время рейда выявлено {plural(n, 'нарушение', 'нарушения', 'нарушений')}, в том числе превышение "
        "скорости, непредоставление преимущества пешеходам и нарушения правил перевозки детей.",
        f"Проверено {plural(n, 'транспортное средство', 'транспортных средства', 'транспортных средств')}, "
        "к административной ответственности привлечено "
        f"{plural(n // 4 + 1, 'водитель', 'водителя', 'водителей')}.",
    ))
    p3 = c.pick((
        "Водителям напомнили о необходимости соблюдать скоростной режим и быть особенно внимательными вблизи "
        "школ.",
        "Пешеходам раздали светоотражающие элементы и напомнили о правилах перехода проезжей части.",
        "Рейды будут проводиться регулярно до конца месяца.",
    ))
    return Story(title, [p1, p2, p3], False, f"traffic-safety-raid-in-{c.place.latin}")


def _fraud(c: _Ctx) -> Story:
    amount = c.pick(("350 тыс.", "1,2 млн", "780 тыс.", "2,5 млн", "95 тыс.", "430 тыс."))
    age = c.age(55, 82)
    scheme = c.pick(("сотрудником банка", "работником мобильного оператора", "сотрудником полиции",
                     "представителем пенсионного фонда"))
    title = c.pick((f"Телефонные мошенники похитили у пенсионерки {amount} {c.pr.currency}",
                    f"{cap(c.pr.org)} предупреждает о новой схеме мошенничества",
                    f"Мошенник, представившийся {scheme}, обманул пенсионерку {c.place.in_city}"))
    p1 = (f"{cap(c.place.in_city)} {age}-летняя жительница обратилась {c.pr.to_police} с заявлением о "
          f"мошенничестве. Неизвестный, представившись {scheme}, убедил ее перевести {amount} "
          f"{c.pr.currency} на «безопасный счет».")
    p2 = c.pick((
        "Злоумышленник сообщил, что с карты потерпевшей якобы пытаются оформить кредит, и попросил назвать "
        "код из СМС.",
        "Мошенники звонили через мессенджер, используя логотип банка на аватаре.",
        "Женщина несколько дней выполняла указания звонивших и сняла деньги с депозита.",
    ))
    p3 = ("Напоминаем: сотрудники банков никогда не просят сообщать коды подтверждения и переводить деньги. "
          "Получив такой звонок, положите трубку и перезвоните в банк по официальному номеру.")
    return Story(title, [p1, p2, p3], False, f"phone-fraud-warning-{c.place.latin}")


def _theft(c: _Ctx) -> Story:
    what = c.pick(("из магазина бытовой техники", "из частного дома", "автомобиля", "из офиса", "велосипедов",
                   "из гаража", "кабеля связи"))
    title = f"{cap(c.place.in_city)} раскрыта кража {what}"
    p1 = (f"В дежурную часть поступило заявление о краже {what}. Ущерб составил более {c.n(80, 900)} тыс. "
          f"{c.pr.currency}.")
    p2 = (f"По горячим следам {c.pr.police} установили и задержали {c.age()}-летнего подозреваемого"
          f"{c.pick((', ранее судимого за аналогичные преступления', ', жителя соседнего района', ''))}.")
    p3 = c.pick(("Похищенное изъято и возвращено владельцу.",
                 "Часть похищенного подозреваемый успел продать.",
                 "Подозреваемого помогли установить записи камер видеонаблюдения."))
    p4 = "Возбуждено уголовное дело, ведется расследование."
    return Story(title, [p1, p2, p3, p4], False, f"theft-solved-in-{c.place.latin}")


def _lost_child(c: _Ctx) -> Story:
    age = c.n(4, 12)
    title = c.pick((f"{cap(c.pr.police)} нашли потерявшегося {age}-летнего ребенка",
                    f"{cap(c.place.in_city)} разыскан пропавший школьник"))
    p1 = (f"Вечером {c.pr.to_police} обратилась мать {age}-летнего мальчика, который не вернулся домой "
          "после прогулки.")
    p2 = (f"К поискам были привлечены участковые инспекторы, патрульные и кинологи. Через "
          f"{plural(c.n(2, 5), 'час', 'часа', 'часов')} ребенка обнаружили "
          + c.pick(("в подъезде соседнего дома.", "в торговом центре.", "у знакомых.",
                    "на детской площадке в другом районе.")))
    p3 = "Мальчик не пострадал и передан родителям. Им напомнили об ответственности за безопасность детей."
    return Story(title, [p1, p2, p3], False, f"lost-child-found-in-{c.place.latin}")


def _ceremony(c: _Ctx) -> Story:
    variant = c.n(0, 2)
    if variant == 0:
        title = f"{cap(c.place.in_city)} наградили лучших участковых инспекторов"
        p1 = (f"{cap(c.place.in_city)} подведены итоги конкурса «Лучший участковый инспектор». Победителям "
              "вручены ведомственные награды и ценные подарки.")
    elif variant == 1:
        title = "Молодые сотрудники приняли присягу"
        recruits = plural(c.n(15, 60), "молодой сотрудник", "молодых сотрудника", "молодых сотрудников")
        p1 = (f"{cap(c.place.in_city)} {recruits} "
              "торжественно приняли присягу в присутствии ветеранов и родителей.")
    else:
        title = "Ветеранов органов внутренних дел поздравили с праздником"
        p1 = (f"{cap(c.place.in_city)} руководство встретилось с ветеранами службы, поблагодарило их за "
              "многолетний труд и вручило памятные подарки.")
    p2 = "Руководство поблагодарило личный состав за добросовестную службу и пожелало успехов в работе."
    p3 = c.pick(("Мероприятие завершилось концертом творческих коллективов.",
                 "Для участников была организована экскурсия в музей ведомства.", ""))
    return Story(title, [p1, p2, p3], False, f"awards-ceremony-in-{c.place.latin}")


def _sport(c: _Ctx) -> Story:
    sport = c.pick(("мини-футболу", "волейболу", "настольному теннису", "гиревому спорту", "стрельбе",
                    "шахматам"))
    title = f"Турнир по {sport} среди сотрудников прошел {c.place.in_city}"
    p1 = (f"{cap(c.place.in_city)} прошли соревнования по {sport}, в которых приняли участие "
          f"{plural(c.n(6, 16), 'команда', 'команды', 'команд')} подразделений.")
    p2 = "Победители и призеры награждены кубками, медалями и грамотами."
    p3 = c.pick(("Соревнования проводятся ежегодно.", "Лучшие спортсмены войдут в сборную ведомства.", ""))
    return Story(title, [p1, p2, p3], False, f"sports-tournament-in-{c.place.latin}")


def _migration(c: _Ctx) -> Story:
    n = c.n(12, 140)
    title = f"Выявлено {plural(n, 'нарушение', 'нарушения', 'нарушений')} миграционного законодательства"
    p1 = (f"{cap(c.place.in_city)} проведено профилактическое мероприятие «Мигрант». Проверены "
          "строительные объекты, рынки и места временного проживания иностранных граждан.")
    p2 = (f"Выявлено {plural(n, 'нарушение', 'нарушения', 'нарушений')}, составлены "
          "административные протоколы.")
    p3 = "Работодателям напомнили о порядке привлечения иностранной рабочей силы."
    return Story(title, [p1, p2, p3], False, f"migration-check-in-{c.place.latin}")


def _weapons(c: _Ctx) -> Story:
    n = c.n(5, 70)
    title = f"Жители добровольно сдали {plural(n, 'единицу', 'единицы', 'единиц')} оружия"
    p1 = (f"{cap(c.place.in_city)} подведены итоги кампании по добровольной сдаче незаконно хранящегося "
          f"оружия. Граждане сдали {plural(n, 'единицу', 'единицы', 'единиц')} огнестрельного оружия и "
          f"более {c.n(100, 900)} патронов.")
    p2 = "За добровольно сданное оружие выплачивается денежное вознаграждение, ответственность не наступает."
    p3 = "Сдать оружие можно в ближайший отдел или участковому инспектору."
    return Story(title, [p1, p2, p3], False, f"weapons-surrender-{c.place.latin}")


def _domestic(c: _Ctx) -> Story:
    title = f"{cap(c.place.in_city)} задержан мужчина, избивший супругу"
    p1 = (f"{cap(c.pr.to_police)} поступило сообщение о семейном скандале. Прибывшие на место {c.pr.police} "
          f"установили, что {c.age(25, 50)}-летний мужчина нанес супруге телесные повреждения.")
    p2 = "Потерпевшая госпитализирована. В отношении мужчины вынесено защитное предписание."
    p3 = f"{c.pr.org} напоминает: при угрозе насилия звоните 102, помощь будет оказана круглосуточно."
    return Story(title, [p1, p2, p3], False, f"domestic-violence-{c.place.latin}")


def _alcohol(c: _Ctx) -> Story:
    n = c.n(3, 25)
    title = f"Выявлено {plural(n, 'нарушение', 'нарушения', 'нарушений')} при продаже алкоголя подросткам"
    p1 = (f"{cap(c.place.in_city)} {c.pr.police} совместно с представителями общественности проверили "
          "торговые точки на предмет продажи алкогольной продукции подросткам.")
    p2 = (f"Выявлено {plural(n, 'нарушение', 'нарушения', 'нарушений')}, на продавцов составлены "
          "административные протоколы.")
    p3 = "Родителей просят сообщать о магазинах, где подросткам продают спиртное и сигареты."
    return Story(title, [p1, p2, p3], False, f"alcohol-sales-to-minors-{c.place.latin}")


KINDS: tuple[tuple[Callable[[_Ctx], Story], int], ...] = (
    (_seizure, 14), (_courier, 8), (_laboratory, 4), (_prevention, 10),
    (_traffic, 10), (_fraud, 10), (_theft, 9), (_lost_child, 5), (_ceremony, 6), (_sport, 5),
    (_migration, 5), (_weapons, 4), (_domestic, 5), (_alcohol, 5),
)


def _unique(slug: str, taken: set[str]) -> str:
    candidate, i = slug, 2
    while candidate in taken:
        candidate, i = f"{slug}-{i}", i + 1
    taken.add(candidate)
    return candidate


def generate(cls: type[Site], n: int, seed: int, fixtures: Sequence[Article]) -> list[Article]:
    """``n`` synthetic articles for ``cls``'s site; deterministic in ``(n, seed)``."""
    if n <= 0:
        return []
    rnd = random.Random(f"{seed}:{cls.source_id}:{n}")
    span = (END - START).days
    days = sorted(START + timedelta(days=int(span * (i + rnd.random()) / n)) for i in range(n))
    kinds = [(f, w) for f, w in KINDS
             if not PROFILES[cls.source_id].kinds or f.__name__ in PROFILES[cls.source_id].kinds]
    funcs = [f for f, _ in kinds]
    weights = [w for _, w in kinds]
    taken = {Site.path_key(a.path) for a in fixtures}
    ids = _ids(cls.source_id, n, fixtures, rnd)
    out = []
    for i, day in enumerate(days):
        host = cls.hosts[0]
        profile = PROFILES[cls.source_id]
        if cls.source_id == "mvd_ru" and i % 3 == 2:
            host, profile = "22.xn--b1aew.xn--p1ai", ALTAI
        tz: timezone = cls.local_tz(host)
        story = rnd.choices(funcs, weights)[0](_Ctx(rnd, profile))
        published = datetime.combine(day, time(rnd.randint(9, 19), rnd.randrange(60)), tz)
        out.append(_article(cls, host, profile, story, published, ids[i] if ids else None, taken,
                            cluster=f"{cls.source_id}:synthetic:{i}"))
    return out


def generate_fresh(cls: type[Site], n: int, seed: int, existing: Sequence[Article]) -> list[Article]:
    """``n`` articles for ``cls``'s site published after all of ``existing`` (its fixtures and
    synthetic articles), with ids above theirs: what the site publishes between two crawls.
    Deterministic in ``(n, seed)``; ``existing`` is left as it is."""
    if n <= 0:
        return []
    own = [a for a in existing if a.source_id == cls.source_id]
    rnd = random.Random(f"{seed}:{cls.source_id}:fresh:{n}")
    kinds = [(f, w) for f, w in KINDS
             if not PROFILES[cls.source_id].kinds or f.__name__ in PROFILES[cls.source_id].kinds]
    taken = {Site.path_key(a.path) for a in own}
    newest = max(a.sort_time for a in own)
    top_id = max((a.item_id for a in own if a.item_id), default=0)
    out = []
    for i in range(n):
        host = cls.hosts[0]
        profile = PROFILES[cls.source_id]
        if cls.source_id == "mvd_ru" and i % 3 == 2:
            host, profile = "22.xn--b1aew.xn--p1ai", ALTAI
        tz: timezone = cls.local_tz(host)
        story = rnd.choices([f for f, _ in kinds], [w for _, w in kinds])[0](_Ctx(rnd, profile))
        if cls.source_id == "mvd_kg":  # day precision: one per day after the newest
            day = newest.astimezone(tz).date() + timedelta(days=i + 1)
            published = datetime.combine(day, time(0, 0), tz)
        else:
            published = (
                (newest + timedelta(hours=3 * (i + 1))).astimezone(tz).replace(second=0, microsecond=0)
            )
        item_id = top_id + 1 + i if cls.source_id in ("mvd_kg", "mvd_ru") else None
        out.append(_article(cls, host, profile, story, published, item_id, taken,
                            cluster=f"{cls.source_id}:fresh:{i}"))
    return out


def _article(cls: type[Site], host: str, profile: Profile, story: Story, published: datetime,
             item_id: int | None, taken: set[str], *, cluster: str) -> Article:
    path = _path(cls.source_id, host, story, published, item_id, taken)
    precision = "day" if cls.source_id == "mvd_kg" else "minute"
    if precision == "day":
        published = datetime.combine(published.date(), time(0, 0), published.tzinfo)
    meta_date = not (cls.source_id == "akn_tj" and zlib.crc32(path.encode()) % 6 == 0)
    item_id_of = getattr(cls, "item_id_of", None)
    return Article(
        source_id=cls.source_id, url=f"https://{host}{path}", host=host, path=path, language="ru",
        title=story.title, paragraphs=tuple(p for p in story.paragraphs if p), published=published,
        sort_time=published,
        date_precision=precision, page_date=cls.default_page_date(host, meta_date),
        drug_related=story.drug_related, reference_event=None,
        cluster=cluster, signature=cls.default_signature("ru", host),
        author=(f"Пресс-служба ДП {profile.places[0].region}" if cls.source_id == "polisia_kz" else None),
        item_id=item_id_of(path) if item_id_of else None, meta_date=meta_date, synthetic=True,
    )


def _ids(source_id: str, n: int, fixtures: Sequence[Article], rnd: random.Random) -> list[int]:
    """Increasing ids older than every fixture id (mvd.gov.kg, мвд.рф); [] for WordPress sites."""
    fixture_ids = [a.item_id for a in fixtures if a.item_id]
    if source_id == "mvd_kg":
        top = min(fixture_ids) - 1
        gaps = max(0, min(n // 10, top - n))
        if top < n:
            raise ValueError(f"mvd_kg has room for {top} synthetic ids below the fixtures, asked {n}")
        ids = sorted(rnd.sample(range(top - n - gaps + 1, top + 1), n))
        return ids
    if source_id == "mvd_ru":
        low, high = 45_000_000, min(fixture_ids) - 1
        return sorted(rnd.sample(range(low, high), n))
    return []


def _path(source_id: str, host: str, story: Story, published: datetime, item_id: int | None,
          taken: set[str]) -> str:
    if source_id == "polisia_kz":
        slug = _unique(f"/ru/{slugify(story.title, 120)}", taken)
        return slug + "/"
    if source_id == "akn_tj":
        slug = _unique(f"/ru/{published:%Y/%m/%d}/{story.en_slug}", taken)
        return slug + "/"
    if source_id == "mvd_kg":
        return f"/rus/news/{item_id}"
    if source_id == "mvd_ru":
        return f"/news/item/{item_id}" + ("/" if host != "xn--b1aew.xn--p1ai" else "")
    raise KeyError(source_id)
