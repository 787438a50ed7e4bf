"""Make the body-extraction set ``corpus/bodies`` from the mirror: ``python -m mirror.bodies DIR``.

For every site shape the mirror serves (each police site and edition, both мвд.рф templates, the
``<p>`` and ``<br>`` styles of mvd.gov.kg, the legacy akn.tj section, the two outlets) it fetches
two article pages as served and plants page chrome in copies of them: inside the article's body
container, after the last paragraph (the hardest place: where the old мвд.рф template put its share
bar). The expected body of every page is written from the article's data (its paragraphs and the
signature the page prints), never from an extractor's output.

The set is frozen once made (``corpus/bodies/bodies.sha256``); this module is its provenance, not
something to run again: a changed mirror would make another set.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from markupsafe import escape

from mirror.catalog import articles
from mirror.model import Article
from mirror.server import MirrorServer

PER_SHAPE = 2

_WEEKDAYS = ("Пн", "Вт", "Ср", "Чт", "Пт", "Сб", "Вс")
_CALENDAR = (
    '<table class="bc-day"><thead><tr>'
    + "".join(f'<th scope="col" abbr="{d}" title="{d}" class="weekday">{d}</th>' for d in _WEEKDAYS)
    + "</tr></thead><tbody><tr>"
    + "".join(f'<td class=""><a href="/news?day={n}">{n}</a></td>' for n in range(1, 8))
    + "</tr><tr>"
    + "".join(f'<td class=""><a href="/news?day={n}">{n}</a></td>' for n in range(8, 15))
    + "</tr></tbody></table>"
)
_COPYRIGHT = """<div class="mvd_copyright"><div class="padding">
<h3>Об использовании информации сайта</h3>
<p>Все материалы сайта Министерства внутренних дел Российской Федерации могут быть воспроизведены в любых
средствах массовой информации, на серверах сети Интернет или на любых иных носителях без каких-либо
ограничений по объему и срокам публикации.</p>
<p>Это разрешение в равной степени распространяется на газеты, журналы, радиостанции, телеканалы, сайты и
страницы сети Интернет. Единственным условием перепечатки и ретрансляции является ссылка на
первоисточник.</p>
<p>Никакого предварительного согласия на перепечатку со стороны Министерства внутренних дел
Российской Федерации не требуется.</p>
</div></div>"""
_SHARE = """<div class="share-bar"><span>Поделиться:</span>
<a href="https://vk.com/share.php">ВКонтакте</a> <a href="https://connect.ok.ru/offer">Одноклассники</a>
<a href="https://t.me/share/url">Telegram</a></div>
<table class="social-table"><tr><td><a href="https://ok.ru/">ОК</a></td><td><a href="https://t.me/">Telegram</a></td></tr></table>
<p><a href="?print=1">Версия для печати</a></p>
<p>* * *</p>"""
_OLD_SHARE = """<table width="100%" class="no_border table-links-layout"><tbody><tr>
<td class="odd links-title"><span style="color:#676767;">Поместить ссылку в</span></td>
<td class="social_icon odd"><noindex><a target="_blank" title="Facebook">
<img src="/media/default/img/social_fb.png" title="Facebook"></a></noindex></td>
<td class="social_icon odd"><noindex><a target="_blank" title="ВКонтакте">
<img src="/media/default/img/social_vk.png" title="ВКонтакте"></a></noindex></td>
</tr></tbody></table>"""


def _related(article: Article, others: Sequence[Article]) -> str:
    items = "".join(f'<li><a href="{a.url}" rel="bookmark">{a.title}</a></li>' for a in others)
    return (
        f'<div class="yarpp-related"><h3>Читайте также</h3><ol>{items}</ol></div>\n'
        '<ul class="social-links"><li><a href="https://vk.com/">ВКонтакте</a></li>'
        '<li><a href="https://t.me/">Telegram</a></li><li><a href="https://wa.me/">WhatsApp</a></li></ul>\n'
        "<p>|</p>"
    )


@dataclass(frozen=True, slots=True)
class Variant:
    name: str
    junk: Callable[[Article, Sequence[Article]], str]
    markers: tuple[str, ...]
    """Strings of the planted chrome: a line of an extracted text holding one is a junk line."""


VARIANTS = (
    Variant(
        "planted",
        lambda a, others: "\n".join((_SHARE, _OLD_SHARE, _CALENDAR, _COPYRIGHT)),
        (
            "Поделиться",
            "Поместить ссылку в",
            "Версия для печати",
            "* * *",
            "Пн",
            "ОК",
            "Telegram",
            "Об использовании информации сайта",
            "Все материалы сайта",
            "Это разрешение в равной степени",
            "Никакого предварительного согласия",
        ),
    ),
    Variant(
        "related",
        _related,
        ("Читайте также", "ВКонтакте", "Telegram", "WhatsApp"),
    ),
)


def shape(article: Article, html: str) -> str:
    """The site shape of a served page: source, edition, template."""
    if article.source_id == "mvd_ru":
        return "mvd_ru:legacy" if 'class="ln-content-holder"' in html else "mvd_ru:main"
    if article.source_id == "mvd_kg":
        style = "br" if "<br><br>" in html else "p"
        return f"mvd_kg:{article.language}:{style}"
    if article.source_id == "akn_tj" and "single-news" in html:
        return "akn_tj:legacy"
    return f"{article.source_id}:{article.language}"


def expected_body(article: Article, html: str) -> str:
    """What the page's article body is: its paragraphs, and the signature if the page prints it."""
    lines = list(article.paragraphs)
    if article.signature and article.signature in html:
        lines.append(article.signature)
    return "\n".join(lines)


_CLOSING = re.compile(r"</(p|div|b|strong)>")


def plant(html: str, body: str, junk: str) -> str:
    """``html`` with ``junk`` inserted inside the body container, after the body's last line."""
    last = body.splitlines()[-1]
    escaped = str(escape(last))  # as the templates print it
    at = max(html.rfind(last), html.rfind(escaped))
    if at >= 0 and html.rfind(escaped) == at:
        last = escaped
    if at < 0:
        raise ValueError(f"the body's last line is not in the page: {last[:60]!r}")
    closing = _CLOSING.search(html, at + len(last))
    if closing is None:
        raise ValueError("no closing tag after the body's last line")
    end = closing.end()
    if closing.group(1) in ("b", "strong"):  # the signature's emphasis: close its paragraph too
        outer = _CLOSING.search(html, end)
        end = outer.end() if outer else end
    return html[:end] + "\n" + junk + "\n" + html[end:]


def fetch(base: str, url: str) -> str:
    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    request = urllib.request.Request(
        base + path, headers={"X-Mirror-Host": parts.hostname or "", "X-Mirror-Scheme": "https"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return str(response.read().decode("utf-8"))


def make(folder: Path) -> list[dict[str, object]]:
    """Write the pages and ``bodies.jsonl`` of the mirror's part of the set into ``folder``."""
    pages = folder / "pages"
    pages.mkdir(parents=True, exist_ok=True)
    served = sorted(articles(synthetic=0), key=lambda a: a.url)
    records: list[dict[str, object]] = []
    taken: dict[str, int] = {}
    with MirrorServer(port=0, latency_s=0.0, synthetic=0, faults=None) as mirror:
        for article in served:
            html = fetch(mirror.url, article.url)
            kind = shape(article, html)
            if taken.get(kind, 0) >= PER_SHAPE:
                continue
            index = taken[kind] = taken.get(kind, 0) + 1
            body = expected_body(article, html)
            others = [a for a in served if a.source_id == article.source_id and a.url != article.url][:3]
            variant = VARIANTS[(index - 1) % len(VARIANTS)]
            for name, page, markers in (
                ("served", html, ()),
                (variant.name, plant(html, body, variant.junk(article, others)), variant.markers),
            ):
                slug = f"{kind.replace(':', '-')}-{index}-{name}"
                (pages / f"{slug}.html").write_text(page, encoding="utf-8")
                records.append(
                    {
                        "id": slug,
                        "file": f"pages/{slug}.html",
                        "url": article.url,
                        "source_id": article.source_id,
                        "shape": kind,
                        "variant": name,
                        "origin": "mirror",
                        "junk": list(markers),
                        "expected": body,
                    }
                )
    return records


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m mirror.bodies", description=__doc__.split("\n")[0])
    parser.add_argument("folder", type=Path)
    args = parser.parse_args(argv)
    records = make(args.folder)
    real = args.folder / "real.jsonl"
    lines = [json.dumps(r, ensure_ascii=False) for r in records]
    if real.exists():
        lines += [line for line in real.read_text(encoding="utf-8").splitlines() if line.strip()]
    target = args.folder / "bodies.jsonl"
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(lines)} pages; sha256 {hashlib.sha256(target.read_bytes()).hexdigest()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
