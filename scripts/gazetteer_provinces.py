"""Regenerate ``config/gazetteer/provinces/*.toml``: the provinces of the neighbours the desk's
English and Russian wire stories name, from ISO 3166-2.

The hand-written gazetteer (``config/gazetteer/*.toml``) lists every region of the member states but
only a few of their neighbours' provinces, which English and Russian wire stories name as the place
of a seizure ("Badakhshan province", "Faryab", "Kakheti", «в Гурии»). These
files add them, for the facts stage's places only (country tagging keeps to the hand-written files).

The source is ISO 3166-2 as the ``pycountry`` package ships it (the Debian iso-codes data, LGPL 2.1):
each subdivision's name in its romanisation, folded to plain Latin letters ("Badakhshān" →
"Badakhshan", "K'akheti" → "Kakheti", "Anhui Sheng" → "Anhui"), and its Russian name where iso-codes
has one («Бадахшан», «Гурия», «Акстафинский район»). A name is left out as the towns' generator leaves
one out (``scripts/gazetteer_towns.py``: short, a person's name or an ordinary word, written in lower
case in the corpora, already the hand-written gazetteer's). To reproduce the files:

    pip download --no-deps -d wheels pycountry==26.2.16
    .venv/bin/pip install pymorphy3
    .venv/bin/python scripts/gazetteer_provinces.py wheels/pycountry-26.2.16-py3-none-any.whl

The wheel is read as a zip archive (its module is not imported).
"""

from __future__ import annotations

import argparse
import gettext
import io
import json
import re
import sys
import unicodedata
import zipfile
from collections import Counter
from difflib import SequenceMatcher
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from gazetteer_towns import _CYRILLIC, ROOT, cyrillic, name_filter, russian_reader, write  # noqa: E402

TARGET = ROOT / "config" / "gazetteer" / "provinces"
COUNTRIES = ("AF", "IR", "CN", "GE", "AM", "AZ", "MN")
"""The member states' neighbours: Afghanistan, Iran, China, the Caucasus, Mongolia (the member
states' own regions are the hand-written gazetteer's)."""
_KIND_WORDS = re.compile(r"\s+(?:Sheng|Shi|Zizhiqu|Province|Region|oblysy)$")
"""The kind word of a romanised name («Anhui Sheng», "Beijing Shi"): stories write the bare name."""


def latin(name: str) -> str:
    """``name`` in plain Latin letters: marks dropped, the apostrophes of aspiration too."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    plain = plain.replace("ı", "i").replace("ə", "e").replace("ş", "s").replace("ğ", "g")
    plain = plain.replace("'", "").replace("‘", "").replace("’", "").replace("ʼ", "")
    return _KIND_WORDS.sub("", plain).strip()


def _russian_of(name: str, translated: str) -> bool:
    """``translated`` is a Russian name of ``name``: Cyrillic, and its first word sounds like it (a few
    of iso-codes' Russian names belong to another place: "Telangana" «Саманган»)."""
    if not _CYRILLIC.match(translated):
        return False
    first = translated.split()[0].lower()
    spelt = cyrillic(name.split()[0]).lower()
    return SequenceMatcher(None, spelt, first[: len(spelt) + 2]).ratio() >= _SOUNDS_ALIKE


_SOUNDS_ALIKE = 0.6


def subdivisions(wheel: Path) -> tuple[list[dict[str, str]], gettext.GNUTranslations]:
    with zipfile.ZipFile(wheel) as archive:
        entries = json.loads(archive.read("pycountry/databases/iso3166-2.json"))["3166-2"]
        russian = gettext.GNUTranslations(
            io.BytesIO(archive.read("pycountry/locales/ru/LC_MESSAGES/iso3166-2.mo"))
        )
    return entries, russian


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("wheel", type=Path, help="the pycountry wheel")
    args = parser.parse_args(argv)
    ordinary, person, _ = russian_reader()
    left_out_because = name_filter(ordinary, person)
    entries, russian = subdivisions(args.wheel)
    left_out: Counter[str] = Counter()
    by_country: dict[str, dict[str, set[str]]] = {code: {"ru": set(), "en": set()} for code in COUNTRIES}
    for entry in entries:
        code = entry["code"][:2]
        if code not in by_country:
            continue
        names = {latin(entry["name"])}
        if _russian_of(latin(entry["name"]), russian.gettext(entry["name"])):
            names.add(russian.gettext(entry["name"]))
        for name in names:
            reason = left_out_because(name)
            if reason:
                left_out[reason] += 1
                continue
            by_country[code]["ru" if _CYRILLIC.match(name) else "en"].add(name)
    TARGET.mkdir(parents=True, exist_ok=True)
    for code, by_language in by_country.items():
        write(TARGET / f"{code.lower()}.toml", code, by_language, header=_header(code), table="provinces")
    print(f"written {TARGET}; names left out: {dict(left_out)}")
    return 0


def _header(code: str) -> list[str]:
    return [
        f"# Provinces of {code} from ISO 3166-2 (the Debian iso-codes data as pycountry ships it, LGPL 2.1),",
        "# generated by scripts/gazetteer_provinces.py: do not edit by hand (write a province in the",
        "# country's own file, config/gazetteer/*.toml, instead). See README.md here.",
    ]


if __name__ == "__main__":
    raise SystemExit(main())
