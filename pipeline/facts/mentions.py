"""Substances, agencies and places named in a text, each with its span.

Substances and agencies are lexicon terms (``config/facts.toml``); places are the gazetteer's
regions and cities (``config/gazetteer/``) plus names the text marks as places («Катон-Карагайский
район», «г. Темиртау», «село Кызыл-Кия», "Chui region"), which no gazetteer lists in full.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from core.facts import Mention, Span
from pipeline.country import Gazetteer, Place, load_gazetteer
from pipeline.matcher import Hit, Matcher
from pipeline.textutil import Token, tokenize

_UPPER = "А-ЯӘҒҚҢӨҰҮҺІЁЎҚҲҶӢӮA-ZÁÓÚÝǴŃІŞÇĞÖÜİƏ"
_LOWER = "а-яәғқңөұүһіёўқҳҷӣӯa-záóúýǵńışçğöüə"
_NAME = rf"[{_UPPER}][{_LOWER}]+(?:-[{_UPPER}]?[{_LOWER}]+)*"
_UZ_NAME = rf"[{_UPPER}][{_LOWER}'ʻ‘’ʼ]+(?:-[{_UPPER}]?[{_LOWER}'ʻ‘’ʼ]+)*"
"""A name in Uzbek (Latin «To'rtko'l», Cyrillic «Ғиждувон»): its letters o', g' keep their mark."""
_ADJECTIVE_NAME = (
    rf"[{_UPPER}][{_LOWER}]+(?:ый|ий|ой|ая|яя|ое|ее|ого|его|ом|ем|ую)(?=\s+[{_UPPER}])"
    rf"(?!\s+{_NAME}(?:ск|цк)[{_LOWER}]*\s+(?:област|район|кра[йяею]|округ))"
)
"""The adjective of a two-word name («Новый Городок», «Нижний Тагил», «Большое Алексеевское», «Южное
Тушино»), not before a region's adjective («села Новое Чуйской области»)."""
_RU_KIND_BEFORE_A_NAME = (
    r"район(?:а|е|у|ом|ы|ов|ах|ам)?|улиц(?:а|ы|е|у|ей|ею|ах|ам|ами)?|ул\.|проспект(?:а|е|у|ом)?|пр-т|шоссе"
    r"|трасс(?:а|ы|е|у|ой|ою)|переул(?:ок|ка|ке|ку|ком)|бульвар(?:а|е|у|ом)?|станци(?:я|и|ю|ей|ею)"
    r"|аэропорт(?:а|е|у|ом)?|остров(?:а|е|у|ом)?"
)
"""Russian kind words written before the name («районе Минеево», «станции Луговая»), in their case forms."""
_PLACE_PATTERNS = (
    # «Катон-Карагайского района», «Свердловском районе», «Архангельской области», «Хазретовского сельского
    # округа», «Головчанского сельского поселения»
    re.compile(
        rf"\b{_NAME}(?:ск|цк)(?:ий|ого|ом|ому|им|ая|ой|ую|ое)\s+"
        rf"(?:район(?!н)\w*|област(?!н)\w*|обл\.|(?:(?:городск|сельск)\w+\s+)?округ\w*|сельск\w+\s+поселени\w*"
        rf"|кра[йяею]\w*|муниципальн\w+\s+район(?!н)\w*)"
    ),
    # «Владимирской и Смоленской областей», «в Амгинском, Намском и Таттинском районах»: each but the
    # last of the regions named with one noun
    re.compile(
        rf"\b{_NAME}(?:ск|цк)(?:ой|ого|ом)(?=(?:,\s+{_NAME}(?:ск|цк)(?:ой|ого|ом))*(?:,|\s+и)\s+"
        rf"{_NAME}(?:ск|цк)\w*\s+(?:областей|областях|районов|районах|краев|краях|округов|округах))"
    ),
    # «Юго-Западном административном округе» (of Moscow)
    re.compile(rf"\b{_NAME}(?:ый|ом|ого|ой)\s+административн\w+\s+округ\w*"),
    # «г. Темиртау», «города Шымкент», «села Кызыл-Кия», «поселке Тарбагатай»
    # («поселка Новый Городок», «городском округе Кашира»; not «одном из поселков Республики Крым», nor
    # the head of a list, «по селам Михайловка, Кирилловка и Васильевка», whose names _LISTED reads)
    re.compile(
        rf"(?<!\d)(?<!\d\s)(?<!\d\u00a0)\b(?:г\.|город(?!ск)[а-я]*|сел[оаеу]м?(?<!селам)|с\.|п\.|пос\."
        rf"|посел(?!ков|ках|кам)[а-я]*|пгт|аул(?!ам|ах)[а-я]*|станиц[а-я]*|деревн(?!ям|ях)[а-я]*"
        rf"|микрорайон[а-я]*|мкр\.?|городск[а-я]+ округ[а-я]*)"
        rf"[ \u00a0]*«?"
        rf"(?:{_ADJECTIVE_NAME}\s+)?{_NAME}"
    ),
    # «кишлака Янгиобод», «джамоата Понгоз», «махалли "Обод турмуш"», «населенных пунктов
    # Сугатовка»: the name (Central Asian villages and quarters)
    re.compile(
        rf"\b(?:кишлак(?!ам|ах)[а-я]*|джамоат[а-я]*|селени[а-я]*|махалл[а-я]*"
        rf"|населенн[а-я]+ пункт(?!ам|ах)[а-я]*|населённ[а-я]+ пункт[а-я]*)[ \u00a0]*"
        rf"(?:[«\"“](?P<quoted>{_NAME}(?: [а-яё]+)?)[»\"”]|(?P<name>{_NAME}(?<!ого)(?<!ых)(?![\w-])))"
    ),
    # kk / ky: «Түркістан облысы», «Сарыағаш ауданы», «Ош шаары», «Чүй облусу»
    # (not the adjectives «облыстық», «облустук», «аудандық», «районный»: a regional department)
    # … and a valley, a river, a site, an airport or a port: «Шу алқабында», «Жем өзенінің»,
    # «Сарғау учаскесіндегі», «Гонконгдун аэропортунда», «Бургас портуна»; a settlement or a station
    # («Зачаған кентінде», «Сауран бекетінің»)
    re.compile(
        rf"\b{_NAME}\s+(?:облыс|аудан|қала|ауыл|облус|район(?!н)|шаар|айыл|алқаб|өзен|учаске|аэропорт|порт[уы]|көше"
        rf"|кент|бекет)"
        rf"(?![тд][ыуұүі][қк]|н[ыо]й)\w*"
    ),
    # kk in the Latin alphabet: «Qarasaı aýdany», «Qoldy aýylynyń», «Almaty oblysynyń»
    re.compile(
        rf"\b{_NAME}\s+(?:oblys\w*|aýdan\w*|qala\w*|aýyl\w*|alqab\w*|ózen\w*|port[yu]\w*|áýejaı\w*|kent\w*|beket\w*)"
    ),
    # «районе Минеево», «улице Народной», «11-й Парковой улице», «Маймаксанском шоссе», «станции
    # Мичуринск-Воронежский», «в аэропорту Праги», «на острове Зелинский»
    # (not «районов Джалал-Абадской области», the region's adjective; the kind word in a Russian case
    # form only: kk «Шу станциясынан Шымкентке», ky «районунан», «аэропортына» name what comes before them)
    re.compile(
        rf"\b(?:{_RU_KIND_BEFORE_A_NAME})\s+(?:\d+-[а-я]+\s+|{_ADJECTIVE_NAME}\s+)?{_NAME}(?![\w-])"
        rf"(?!\s+(?:област|кра[йяею]|округ)\w*)"
    ),
    # «на 58-м километре автодороги Алматы - Бишкек», «автотрассе Баткен — Ош», «автодороги «Астрахань -
    # Марфино»», «трассе М-4 «Дон»», «федеральной трассы М-8», «М-7 Волга», "Bishkek — Osh highway", kk
    # «Алматы-Астана автожолында», ky «Бишкек-Каракол унаа жолунан»: a road
    re.compile(
        rf"\b(?:авто)?(?:дорог|трасс)[а-я]*\s+[«\"“]?{_NAME}(?:\s{_NAME})?\s?[–—-]\s?{_NAME}(?:\s{_NAME})?[»\"”]?"
    ),
    re.compile(rf"(?:\b(?:авто)?(?:дорог|трасс)[а-я]*\s+)?\b[МРАЕ]-\d+(?:\s+«{_NAME}»|\s+{_NAME})?"),
    re.compile(rf"\b{_NAME}\s?[–—-]\s?{_NAME}\s+(?:highway|road|Highway|Road)\b"),
    re.compile(rf"\b{_NAME}-{_NAME}\s+автожол\w*"),
    re.compile(rf"\b{_NAME}-{_NAME}(?=\s+унаа\s+жол)"),
    # … and «по Новоясеневскому проспекту», «Серебристому проезду», «22 км Минского шоссе», «на
    # Кульджинском тракте», «на Васильевском острове»
    re.compile(
        rf"(?:\b\d+-[а-я]+\s+)?\b{_NAME}(?:ой|ом|ая|ий|ую|ому|ого)\s+"
        rf"(?:улиц[а-я]*|шоссе|проспект[а-я]*|трасс[а-я]*|проезд[а-я]*|переул[а-я]*|бульвар[а-я]*|тракт[а-я]*"
        rf"|остров[а-я]*)"
    ),
    # «таджикско-узбекской границе», "the Tajik-Afghan border"
    re.compile(r"\b[а-я]+-?[а-я]*(?:ской|ская|скую|ском)\s+границ[а-я]*"),
    re.compile(
        rf"\b(?!(?:The|This|That|Its|Their|Our)\b){_NAME}(?:-{_NAME})?\s+border\b"
        rf"(?!\s+(?:troops|guards|service|forces|police|officers|detachment))"
    ),
    # tg: «вилояти Суғд», «ноҳияи Фирдавсӣ», «шаҳри Душанбе»
    # (and «ҷамоати Ширинҷонови», «минтақаи Раменск», «кӯчаи Алишери Навоии», «ноҳияи Бобоҷон Ғафуров»,
    # «мавзеи Таваргони» (a locality), «шаҳраки Сомониён» (a township))
    re.compile(
        rf"\b(?:вилояти|ноҳияи|шаҳри|деҳаи|ҷамоати|минтақаи|кӯчаи|маҳаллаи|мавзеи|шаҳраки|ш\.)\s+"
        rf"(?:{_NAME}и\s+{_NAME}|{_NAME}(?:\s+{_NAME}(?:ов|ев|зода)\b)?)(?!\s+туман)"
    ),
    # en: "Chui region", "Osh city", "the city of Almaty", "Sughd province", "Uch-Korgon village",
    # "Fuchik Street"
    re.compile(
        rf"\b{_NAME}\s+(?:region|oblast|district|province|village|city(?!\s+of\b)|Street|Avenue|Road|County|county"
        rf"|valley|Valley|panchayat|settlement|mahalla|Town|Goth|Bazaar|Bazar|[Bb]ridge|River|river"
        rf"|[Rr]eservoir|(?:(?:customs|border)\s+)?(?:crossing|checkpoint)|customs\s+post)\b"
    ),
    # "the city of Almaty", "the eastern province of Van", "at village Wallerhama", "the River Kur"
    re.compile(rf"\b(?:city|town|village|[Pp]ort) of\s+{_NAME}"),
    re.compile(rf"\bprovince of\s+(?P<name>{_NAME})"),
    re.compile(rf"\b(?:at|in|of|near) village\s+{_NAME}"),
    re.compile(rf"\bRiver\s+{_NAME}"),
    # a checkpoint, post, port or farm named in quotes: «на таможенном посту “Жанажол”», «пункт
    # пропуска "Козловичи"», ««Күйгенжар» бекетінде», "the "Yangier" border post": the name
    # (also «таможенном пункте "Новоазовск"», «пункте пропуска через госграницу РФ "Убылинка"»,
    # «пункте пропуска для железнодорожного сообщения «Зерновое»», «отдела пограничного контроля
    # "Сыпатай батыр"», «лесничем хозяйстве «Алабота»», «станции метро «Тимирязевская»», «СНТ «Здоровье»»,
    # «СВХ "Виадук"»; not «поставку
    # "Скорости"», a supply of a drug)
    re.compile(
        rf"\b(?:пост(?:а|у|ом|е|ы|ов|ах|ам)?\b|пункт(?:а|е|ом|у)?\b|погранзастав[а-я]*|КПП|порт[а-я]*"
        rf"|пограничного контроля"
        rf"|товариществ[а-я]*|хозяйств[а-я]*|метро|ДПС|СНТ|ДНТ|ДПК|СВХ|ПТО|станци[а-я]*|парк[а-я]*|остров[а-я]*)(?:\s+(?:[а-я]+|[А-Я]{{2,4}})){{0,4}}\s*"
        rf"[«“\"](?P<name>{_NAME}(?:[ -](?:{_NAME}|[а-я]+))?)[»”\"]"
    ),
    re.compile(
        rf"[«“\"](?P<name>{_NAME}(?:[ -]{_NAME})?)[»”\"]\s+(?:[а-яәғқңөұүһі]+\s+)?"
        rf"(?:бекет\w*|border post|checkpoint)"
    ),
    # "at the “Darband” railway station", "the “Mineral Suvlar” traffic post"
    re.compile(
        rf"[“\"](?P<name>{_NAME}(?: {_NAME})?)[”\"]\s+(?:[a-z]+\s+)?(?:station|post|checkpoint|crossing)\b"
    ),
    # uz: «Chinoz tumanida», «Bo'ston tumani», «Ғиждувон туманидаги», «Hasan-Husan qishlog'ida»,
    # «Шарғун шаҳарчасида» (names with the apostrophe letters o', g'); not tg «Додгоҳи шаҳри Душанбе»,
    # «Боздошти шаҳрванди» (in Tajik the name follows «шаҳри», «вилояти»)
    re.compile(
        rf"\b{_UZ_NAME}\s+(?:(?:tuman|viloyat|shahr|shahar|qishlo)\w*"
        rf"|(?:туман|вилоят|шаҳр)(?:и|ида|идаги|идан|ининг)\b(?!\s+[{_UPPER}][{_LOWER}])|(?:шаҳарча|қишлоғ)\w*"
        rf"|(?:аҳоли|aholi) (?:пункт|punkt)\w*)"
    ),
    # uz: a post or a quarter named in quotes: «“Oybek” chegara-bojxona postida», «“Сармижон” назорат
    # постида», «“Боғишамол” маҳалласида», «“Bes-tobe” YPX postida», ««Sangzor-15» blok postida», ««Дарбанд»
    # ЙПХ масканида»: the name
    re.compile(
        rf"[«“\"](?P<name>{_UZ_NAME}(?:-\d+)?)[»”\"]\s+(?:[\w-]+\s+){{0,2}}"
        rf"(?:post|пост|mahalla|маҳалла|MFY|МФЙ|maskan|маскан)\w*"
    ),
    # "Lahore Airport", "Gwadar port"
    re.compile(rf"\b(?!The\b){_NAME}(?:\s+{_NAME})?\s+(?:Airport|airport|port|Port)\b(?!\s+Security)"),
    # en, South Asia's roads and crossings: "Godipada toll gate", "Dhulagarh toll plaza", "Baloch Chowk",
    # "the Indus Highway", "National Highway-16", "NH-06"
    re.compile(rf"\b{_NAME}(?:\s+{_NAME})?\s+(?:[Tt]oll (?:[Pp]laza|[Gg]ate)|[Cc]howk|Highway)\b"),
    re.compile(r"\b(?:National Highway|NH)[- ]?\d+\b"),
    # … "Fatejang Motorway Interchange", "Motorway Interchange Sahianwala", "the Nullah Checkpost", "Chaman
    # Check post", "Port Qasim"
    re.compile(rf"\b(?!Motorway\b){_NAME}(?:\s+{_NAME})?\s+(?:Motorway\s+)?Interchange\b"),
    re.compile(rf"\bInterchange\s+(?P<name>{_NAME}(?:\s+{_NAME})?)"),
    re.compile(rf"\b{_NAME}(?:\s+{_NAME})?\s+(?:[Cc]heck\s?[Pp]ost)\b"),
    re.compile(
        rf"\bPort[ \u00a0]+(?!(?:Director|Authority|Authorities|Trust|Police|Security|Customs|Officials?)\b)"
        rf"{_NAME}\b"
    ),
    # «в пункте пропуска Каменный Лог», «на берегу реки Сырдарья»: a checkpoint or a river named unquoted
    re.compile(rf"\bпункт[а-я]*\s+пропуска\s+{_NAME}(?:\s{_NAME})?"),
    # … «на пограничном пункте Мегри», «через КПП Леушены»
    re.compile(rf"\bпограничн[а-я]+\s+пункт[а-я]*\s+(?P<name>{_NAME})"),
    re.compile(rf"\bКПП\s+(?P<name>{_NAME})(?![\w-])"),
    # … one named for a person («пункте пропуска имени Б. Конысбаева», «пункт пропуска им. Б. Конысбаева»),
    # a customs or a traffic-police post named unquoted («таможенный пост Гавань», «посту ДПС Успенский»)
    re.compile(rf"\bпункт[а-я]*\s+пропуска\s+(?:им\.|имени)\s+(?:[{_UPPER}]\.\s?)*{_NAME}"),
    re.compile(rf"\b(?:таможенн[а-я]+\s+пост[а-я]*|пост[а-я]*\s+ДПС)\s+(?P<name>{_NAME})(?![\w-])"),
    re.compile(rf"\bрек(?:а|и|е|у|ой)\s+{_NAME}"),
    # a prison named by its place («Стрижавской исправительной колонии № 81», «мурмашинской исправительной
    # колонии особого режима №16»), where drugs were smuggled in
    re.compile(
        r"(?<![\w-])(?!исправительн)[А-ЯЁа-яё]+(?:ской|цкой)\s+(?:исправительн[а-я]+\s+)?"
        r"колони[а-я]+(?:\s+(?:строгого|особого|общего)\s+режима)?(?:\s+(?:№|N)\s?\d+)?"
    ),
    # en, Pakistan's and Myanmar's kinds: "District Chaghi", "Tehsil Dalbandin", "Kutkai township"
    re.compile(
        rf"\b(?:District|Tehsil)\s+(?!(?:Department|Police|Court|Office|Administration|Prosecutor|Council|Of|The)\b)"
        rf"{_NAME}(?:\s{_NAME})?"
    ),
    re.compile(rf"\b{_NAME}\s+township\b"),
    # en: "in the Jable-Noor area", "the Chor Bandar area", "on the outskirts of Lashkar Gah": the name
    re.compile(rf"\bthe\s+(?P<name>{_NAME}(?:\s{_NAME})?)\s+(?:area|neighbou?rhood)\b"),
    re.compile(rf"\boutskirts of\s+(?P<name>{_NAME}(?:\s{_NAME})?)"),
)
AND_WORDS = ("и", "and", "va", "ва", "жана", "және")
"""The word for "and" that joins places named together, in the languages the stage reads."""
_EN_LIST_JOIN = r"(?:,\s+|,?\s+and\s+)"
"""A comma, or "and" after one or none: what joins the names of an English list."""
_KINDS_OF_A_LIST = (
    r"(?:сел(?:ам|ах)|посел(?:кам|ках)|посёл(?:кам|ках)|деревн(?:ям|ях)|аул(?:ам|ах)|кишлак(?:ам|ах)"
    r"|населенн(?:ым|ых) пункт(?:ам|ах))"
)
_LISTED = re.compile(
    rf"\b(?:provinces|districts|regions|cities|villages|towns) of\s+"
    rf"(?P<list>{_NAME}(?:{_EN_LIST_JOIN}{_NAME})+)"
    rf"|\b{_KINDS_OF_A_LIST}\s+(?P<ru>{_NAME}(?:(?:,\s+|\s+и\s+){_NAME})+)"
    rf"|\b(?P<before>{_NAME}(?:\s{_NAME})?(?:{_EN_LIST_JOIN}{_NAME}(?:\s{_NAME})?)+)"
    rf"\s+(?:provinces|districts|regions|villages|towns)\b"
)
"""en: "in the provinces of Panjshir, Baghlan, Kunduz, and Balkh", "towns of Lagodekhi and Marneuli",
"in Nakor Khail and Kachar villages"; ru: «во время рейдов по селам
Михайловка, Кирилловка и Васильевка»: each name of the list."""


_ADJECTIVE_KIND = re.compile(
    r"(?:облыс|облус|аудан|район|oblys|aýdan)(?:[тдtd][ыуұүіyi][қкqk]|н[ыо]й)$|(?:қала|qala)(?:лық|lyq)$"
)
"""«Жамбыл облыстық (полиция департаменті)», «Чүй облустук», «районный (суд)», «Qaraǵandy
oblystyq», «Алматы қалалық (мемлекеттік кірістер департаменті)»: an agency's adjective, not the place."""
_KAZAKH_DEMONYM = re.compile(r"^\S+(?:лық|лік|дық|дік|тық|тік)(?:тар|тер|дар|дер|лар|лер)?(?:\w{0,4})$")
"""«Қостанайлық полицей», «шымкенттіктер»: a Kazakh adjective of a place (its people, its police), not the
place (the suffix's letters are Kazakh's own, so no Russian word takes it)."""


def _hits(matcher: Matcher[str], tokens: Sequence[Token], text: str) -> list[Mention]:
    kept: list[Hit[str]] = []
    covered_until = -1
    for hit in sorted(matcher.find(tokens), key=lambda h: (h.first, -(h.last - h.first))):
        if hit.first > covered_until:
            kept.append(hit)
            covered_until = hit.last
    return [
        Mention(hit.term.payload, _span(text, tokens[hit.first].start, tokens[hit.last].end)) for hit in kept
    ]


def _span(text: str, start: int, end: int) -> Span:
    return Span(start, end, text[start:end])


def find_terms(matcher: Matcher[str], text: str, tokens: Sequence[Token] | None = None) -> list[Mention]:
    """The matcher's terms in ``text`` (normalised), longest first where they overlap."""
    return _hits(matcher, tokens if tokens is not None else tokenize(text), text)


_IN_TOWN = re.compile(
    r"\b(?:[Вв]о?|[Нн]а территории)[ \u00a0]+(?:[а-яё]+(?:ом|ем)\s+)?"
    r"(?P<name>(?:[А-ЯЁ][а-яё]+(?:ой|ей|ом|ем)[ \u00a0]+)?[А-ЯЁ][а-яё]{3,}(?:е|и|ово|ево|ино|ыно))\b"
    r"|\b(?:in|near|at|area of)[ \u00a0]+(?P<en>[A-Z][a-z]{2,}(?:-[A-Z][a-z]+)*"
    r"(?:[ \u00a0](?!(?:Police|Court|Department|Ministry|Office)\b)[A-Z][a-z]+)?)\b"
    r"(?![ \u00a0](?:[A-Z]|of\b|language\b))"
)
"""«в Подольске», «в Кирове», «в Рапполово», «в подмосковном Чехове», «в Подгородней Покровке»: a
capitalised word in the locative (or an indeclinable «-ово», «-ино») after «в», with its adjective;
"in Multan", "near Chaman", "in Kara-Kul" (not "in Lahore Airport", caught whole by its own
pattern, nor "in Ministry of ...", nor a preposition ending a line: «… страны.В\nОперативники»). A
name ends at its line's end ("in Saptari\nNepal", "in Bishkek\nSuspect": a headline, then the next
line). Nor a language ("written in Urdu language")."""


_TITLE_CASE_SHARE = 0.7
"""A line whose longer words are capitalised at least this often is a headline in title case."""


def _in_title_case_line(text: str, position: int) -> bool:
    """A headline such as "CBP Discovers Cocaine Concealed in Shipping Container": every word is
    capitalised, so "in Shipping Container" says nothing of a place."""
    start = text.rfind("\n", 0, position) + 1
    end = text.find("\n", position)
    words = re.findall(r"[^\W\d_]{4,}", text[start : end if end >= 0 else len(text)])
    capitalised = sum(word[0].isupper() for word in words)
    return len(words) >= 4 and capitalised >= _TITLE_CASE_SHARE * len(words)


def _named(
    text: str, tokens: Sequence[Token], hits: Iterable[Hit[Place]], *, capitalised: bool = False
) -> list[Mention]:
    """The gazetteer's ``hits`` that name a place: a one-word name only where the text writes it
    capitalised, every name of the generated town lists (``capitalised``) so too."""
    found = []
    for hit in hits:
        start, end = tokens[hit.first].start, tokens[hit.last].end
        if not text[start].isupper() and (capitalised or hit.first == hit.last):
            continue  # «волгоградских» (an adjective), ky «караганда» ("than"): not a place named
        if hit.first == hit.last and _PLURAL_ADJECTIVE.search(text[start:end]):
            continue  # «Воронежские гаишники», «Костанайские пограничники»: people, not a place
        if _CAMEL_CASE.search(text[start:end]):
            continue  # «AstanaTV», «ХабаровскаХабаровск»: a brand or glued words, not a place
        # (a name of the hand-written gazetteer with its kind word is one in any case: uz «taxiatosh tumani»)
        found.append(Mention(text[start:end], _span(text, start, end)))
    return found


def _towns(text: str, gazetteer: Gazetteer, not_places: frozenset[str]) -> list[Mention]:
    found = []
    for match in _IN_TOWN.finditer(text):
        group = "name" if match.group("name") else "en"
        name = match.group(group)
        if name.split()[0].lower() in not_places or _country_hits(tokenize(name), gazetteer):
            continue
        if group == "en" and _in_title_case_line(text, match.start(group)):
            continue
        if _a_country_follows(text, match.end(group), gazetteer):
            continue  # «на территории Республики Казахстан», «в Республике Беларусь»: the country
        found.append(Mention(name, _span(text, match.start(group), match.end(group))))
    return found


def _a_country_follows(text: str, end: int, gazetteer: Gazetteer) -> bool:
    following = tokenize(text[end : end + 40].split("\n", 1)[0])[:3]
    return any(h.first == 0 for h in _country_hits(following, gazetteer))


def _country_hits(tokens: Sequence[Token], gazetteer: Gazetteer) -> list[Hit[Place]]:
    """Where ``tokens`` name a country: the hand-written gazetteer's or another of the world's."""
    own = [h for h in gazetteer.matcher.find(tokens) if h.term.payload.kind == "name"]
    return own + gazetteer.world.find(tokens)


_PLURAL_ADJECTIVE = re.compile(r"[сц]ки(?:е|х|м|ми)$")
_SITE_ADDRESS = re.compile(r"\.(?:[a-z]{2,4}|рф)\b")
"""A name right before a web address's ending is a site («Crimea.ru», «Sputnik.kg»), not a place."""
_CAMEL_CASE = re.compile(rf"[{_LOWER}][{_UPPER}]")


def names_a_country(name: str, gazetteer: Gazetteer, *, after_a_kind_word: bool = False) -> bool:
    """``name`` is a country's name and nothing else («России», «Республики Узбекистан»); with
    ``after_a_kind_word``, a kind word and a country's name after it («городах России»)."""
    tokens = tokenize(name)
    first, last = (1 if after_a_kind_word else 0), len(tokens) - 1
    return any(hit.first == first and hit.last == last for hit in _country_hits(tokens, gazetteer))


def _inside_a_word(text: str, mention: Mention) -> bool:
    """The mention ends where a word goes on: a pattern's name cut short by a letter it does not read."""
    return mention.span.end < len(text) and text[mention.span.end].isalpha()


def with_added(found: Sequence[Mention], added: Iterable[Mention]) -> list[Mention]:
    """``found`` and those of ``added`` (another finder's places) that overlap none of ``found``, in
    text order."""
    new = [
        e for e in added if not any(m.span.start < e.span.end and e.span.start < m.span.end for m in found)
    ]
    return sorted([*found, *new], key=lambda m: m.span.start)


def find_places(
    text: str, gazetteer: Gazetteer | None = None, not_places: frozenset[str] = frozenset()
) -> list[Mention]:
    """Regions, districts, cities and villages named in ``text`` (normalised), in text order,
    without a place inside another (the longer wins)."""
    gazetteer = gazetteer or load_gazetteer()
    found: list[Mention] = _towns(text, gazetteer, not_places)
    tokens = tokenize(text)
    regions_and_cities = [
        h for h in gazetteer.matcher.find(tokens) if h.term.payload.kind in ("region", "city")
    ]
    found.extend(_named(text, tokens, regions_and_cities))
    found.extend(_named(text, tokens, gazetteer.towns.find(tokens), capitalised=True))
    for listed in _LISTED.finditer(text):
        group = next(g for g in ("list", "ru", "before") if listed.group(g))
        each = rf"{_NAME}(?:\s{_NAME})?" if group == "before" else _NAME
        for name in re.finditer(each, listed.group(group)):
            start = listed.start(group) + name.start()
            found.append(Mention(name.group(), _span(text, start, start + len(name.group()))))
    for pattern in _PLACE_PATTERNS:
        for m in pattern.finditer(text):
            named = [g for g in ("quoted", "name") if g in pattern.groupindex and m.group(g)]
            part: int | str = named[0] if named else 0
            if names_a_country(m.group(part), gazetteer, after_a_kind_word=True):
                continue  # «в городах России», "the city of Kazakhstan": a country, not a place in it
            found.append(Mention(m.group(part), _span(text, m.start(part), m.end(part))))
    found = [
        m
        for m in found
        if not _ADJECTIVE_KIND.search(m.span.text)
        and not _KAZAKH_DEMONYM.match(m.span.text)
        and m.span.text.split()[0].lower() not in not_places
        and not _SITE_ADDRESS.match(text, m.span.end)
        and not names_a_country(m.span.text, gazetteer)  # "Border Guard Bangladesh": a country alone
        and not _inside_a_word(text, m)  # «в селе КазЦИК»: «селе Каз» is no name
    ]
    found.sort(key=lambda m: (m.span.start, -(m.span.end - m.span.start)))
    kept: list[Mention] = []
    for mention in found:
        if kept and mention.span.start < kept[-1].span.end:
            continue
        kept.append(mention)
    return sorted([*kept, *_listed_between(text, kept, not_places)], key=lambda m: m.span.start)


_LIST_ITEM = re.compile(
    rf"(?:,\s+|,?\s+(?:{'|'.join(AND_WORDS)})\s+)(?P<name>{_NAME}(?:\s{_NAME})?)(?![\w-])"
)


def _listed_between(text: str, places: Sequence[Mention], not_places: frozenset[str]) -> list[Mention]:
    """Names listed between two places («в Набережных Челнах, Альметьевске, Заинске, Лениногорске и
    Бугульме», "Turbat, Gwadar, Noukundi, Chaman"): a town the gazetteer lacks, known by its company."""
    added: list[Mention] = []
    for i, first in enumerate(places[:-1]):
        names: list[Mention] = []
        end = first.span.end
        while (item := _LIST_ITEM.match(text, end)) is not None:
            start = item.start("name")
            if any(p.span.start == start for p in places[i + 1 :]):
                added.extend(names)
                break
            if item.group("name").split()[0].lower() in not_places:
                break
            names.append(Mention(item.group("name"), _span(text, start, item.end("name"))))
            end = item.end("name")
    return added
