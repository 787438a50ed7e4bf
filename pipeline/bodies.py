"""Body extraction measured: the frozen set ``corpus/bodies`` (see its README).

Every page of the set has its expected body. :func:`char_scores` compares an extracted text with it
character by character (both with their spacing collapsed, so a line break and a space are the
same): precision is the share of the extracted characters that belong to the body, recall the
share of the body that was extracted. :func:`evaluate_bodies` does so for newsmon's extract stage
(the page's source's selectors, the generic rules) and for trafilatura with its default options,
summed over the set (micro average), and counts the junk lines each would put into a release: the
lines of its text that are no line of the body and either hold the chrome planted in the page or
are chrome by :func:`pipeline.boilerplate.is_junk_line`.
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC
from difflib import SequenceMatcher
from pathlib import Path

import trafilatura

from config.boilerplate import load_boilerplate
from core.types import Extracted, PageInput
from pipeline.boilerplate import TextRules, is_junk_line, source_selectors, text_rules
from pipeline.extract import extract
from pipeline.textutil import collapse_spaces

ROOT = Path(__file__).resolve().parents[1]
BODIES_DIR = ROOT / "corpus" / "bodies"
GATE_F1 = 0.97
"""The target of issue #18: newsmon's body F1 on the set."""


class CorpusChanged(ValueError):
    """The frozen set is not the one its checksum names."""


@dataclass(frozen=True, slots=True)
class BodyPage:
    id: str
    url: str
    source_id: str | None
    shape: str
    variant: str
    origin: str
    html: str
    expected: str
    junk: tuple[str, ...]
    """Strings of the chrome planted in the page (or present in a real page)."""


def load_bodies(folder: Path = BODIES_DIR) -> list[BodyPage]:
    """The pages of the set, after checking ``bodies.sha256`` (the list and every page)."""
    listing = folder / "bodies.jsonl"
    records = [json.loads(line) for line in listing.read_text(encoding="utf-8").splitlines() if line.strip()]
    pages = [(folder / record["file"]).read_bytes() for record in records]
    digest = set_digest(listing.read_bytes(), pages)
    frozen = (folder / "bodies.sha256").read_text(encoding="utf-8").split()[0]
    if digest != frozen:
        raise CorpusChanged(f"{folder}: the body set changed (sha256 {digest}, frozen {frozen})")
    return [
        BodyPage(
            id=record["id"],
            url=record["url"],
            source_id=record.get("source_id"),
            shape=record["shape"],
            variant=record["variant"],
            origin=record["origin"],
            html=page.decode("utf-8"),
            expected=record["expected"],
            junk=tuple(record.get("junk", ())),
        )
        for record, page in zip(records, pages, strict=True)
    ]


def set_digest(listing: bytes, pages: Sequence[bytes]) -> str:
    """SHA-256 over the listing and the pages in its order."""
    digest = hashlib.sha256(listing)
    for page in pages:
        digest.update(hashlib.sha256(page).digest())
    return digest.hexdigest()


def _flat(text: str) -> str:
    return collapse_spaces(unicodedata.normalize("NFC", text))


@dataclass(slots=True)
class CharScores:
    """Characters matched, extracted and expected (summed over pages for a micro average)."""

    matched: int = 0
    extracted: int = 0
    expected: int = 0

    def add(self, other: CharScores) -> None:
        self.matched += other.matched
        self.extracted += other.extracted
        self.expected += other.expected

    @property
    def precision(self) -> float:
        return self.matched / self.extracted if self.extracted else 0.0

    @property
    def recall(self) -> float:
        return self.matched / self.expected if self.expected else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def char_scores(extracted: str, expected: str) -> CharScores:
    """Characters of ``extracted`` that match ``expected`` in order (the longest matching blocks,
    difflib without its junk heuristic), spacing collapsed."""
    got, want = _flat(extracted), _flat(expected)
    matcher = SequenceMatcher(None, got, want, autojunk=False)
    matched = sum(block.size for block in matcher.get_matching_blocks())
    return CharScores(matched=matched, extracted=len(got), expected=len(want))


def junk_lines(text: str, page: BodyPage, rules: TextRules | None = None) -> list[str]:
    """The lines of ``text`` that are page chrome: no line of the expected body, and holding
    planted chrome or called chrome by the generic rules."""
    rules = rules or text_rules()
    body_lines = {_flat(line) for line in page.expected.splitlines()}
    found = []
    for line in text.splitlines():
        flat = _flat(line)
        if not flat or flat in body_lines:
            continue
        if any(marker in flat for marker in page.junk) or is_junk_line(flat, rules):
            found.append(flat)
    return found


Extractor = Callable[[BodyPage], str]


def newsmon_body(page: BodyPage) -> str:
    """The extract stage as the crawl runs it: the source's chrome and body selectors (trafilatura
    where they give no body) and the generic rules."""
    return _newsmon(page).text


def _newsmon(page: BodyPage) -> Extracted:
    return extract(
        PageInput(url=page.url, source_id=page.source_id, html=page.html),
        UTC,
        source_selectors(page.source_id),
        load_boilerplate().body_selectors(page.source_id),
    )


def newsmon_trafilatura_body(page: BodyPage) -> str:
    """The extract stage with the body always read by trafilatura (``NEWSMON_EXTRACT=trafilatura``):
    the source's chrome selectors and the generic rules."""
    stage = extract(
        PageInput(url=page.url, source_id=page.source_id, html=page.html),
        UTC,
        source_selectors(page.source_id),
    )
    return stage.text


def generic_body(page: BodyPage) -> str:
    """The extract stage without the source's selectors: the generic rules alone (a new site)."""
    return extract(PageInput(url=page.url, source_id=page.source_id, html=page.html), UTC).text


def trafilatura_body(page: BodyPage) -> str:
    """trafilatura with its default options (what a user would run instead)."""
    return trafilatura.extract(page.html, url=page.url) or ""


@dataclass(slots=True)
class ExtractorResult:
    name: str
    scores: CharScores = field(default_factory=CharScores)
    junk: int = 0
    pages_with_junk: list[str] = field(default_factory=list)
    worst: list[tuple[float, str]] = field(default_factory=list)


def evaluate_bodies(pages: Sequence[BodyPage], extractors: Mapping[str, Extractor]) -> list[ExtractorResult]:
    rules = text_rules()
    results = []
    for name, run in extractors.items():
        result = ExtractorResult(name)
        for page in pages:
            text = run(page)
            scores = char_scores(text, page.expected)
            result.scores.add(scores)
            junk = junk_lines(text, page, rules)
            result.junk += len(junk)
            if junk:
                result.pages_with_junk.append(page.id)
            result.worst.append((scores.f1, page.id))
        result.worst = sorted(result.worst)[:5]
        results.append(result)
    return results


def report(results: Sequence[ExtractorResult], pages: Sequence[BodyPage]) -> str:
    shapes = len({page.shape for page in pages})
    real = sum(1 for page in pages if page.origin == "real")
    lines = [
        f"## Body extraction (corpus/bodies: {len(pages)} pages, {shapes} site shapes, {real} real)",
        "",
        "| extractor | precision | recall | F1 | junk lines reaching a release |",
        "|---|---|---|---|---|",
    ]
    for result in results:
        s = result.scores
        lines.append(f"| {result.name} | {s.precision:.3f} | {s.recall:.3f} | {s.f1:.3f} | {result.junk} |")
    newsmon = results[0]
    lines += ["", f"junk lines reaching a release: {newsmon.junk}"]
    if newsmon.pages_with_junk:
        lines.append("pages with junk: " + ", ".join(newsmon.pages_with_junk))
    lines.append("lowest F1 (newsmon): " + ", ".join(f"{page} {f1:.3f}" for f1, page in newsmon.worst))
    return "\n".join(lines)


def run() -> tuple[str, bool]:
    """The report and whether newsmon meets the target (F1 ≥ :data:`GATE_F1`, no junk line)."""
    pages = load_bodies()
    extractors: dict[str, Extractor] = {
        "newsmon": newsmon_body,
        "newsmon, body by trafilatura (NEWSMON_EXTRACT=trafilatura)": newsmon_trafilatura_body,
        "newsmon without the sources' selectors": generic_body,
        "trafilatura (defaults)": trafilatura_body,
    }
    results = evaluate_bodies(pages, extractors)
    newsmon = results[0]
    text = report(results, pages) + "\n\n" + selector_report(compare_paths(pages))
    return text, newsmon.scores.f1 >= GATE_F1 and newsmon.junk == 0


@dataclass(slots=True)
class PathComparison:
    """The body by the site's selectors against the body by trafilatura, page by page."""

    pages: int = 0
    by_method: dict[str, int] = field(default_factory=dict)
    """Pages per extraction method (``selector``, ``trafilatura``, ``trafilatura (no_match)``…)."""
    selector: CharScores = field(default_factory=CharScores)
    """The selector path's text against the expected bodies, on the pages it took."""
    trafilatura: CharScores = field(default_factory=CharScores)
    """The trafilatura path's text against the expected bodies, on the same pages."""
    agreement: CharScores = field(default_factory=CharScores)
    """The selector path's text against the trafilatura path's, on the same pages."""
    differing: list[tuple[float, str]] = field(default_factory=list)
    """(agreement F1, page id) of the pages where the two texts differ."""


def compare_paths(pages: Sequence[BodyPage]) -> PathComparison:
    """Which path the extract stage took on each page, and on the pages the selectors read, their
    text against the trafilatura path's and both against the expected body."""
    result = PathComparison()
    for page in pages:
        stage = _newsmon(page)
        method = stage.body_method + (f" ({stage.body_fallback})" if stage.body_fallback else "")
        result.pages += 1
        result.by_method[method] = result.by_method.get(method, 0) + 1
        if stage.body_method != "selector":
            continue
        other = newsmon_trafilatura_body(page)
        result.selector.add(char_scores(stage.text, page.expected))
        result.trafilatura.add(char_scores(other, page.expected))
        agreement = char_scores(stage.text, other)
        result.agreement.add(agreement)
        if stage.text != other:
            result.differing.append((agreement.f1, page.id))
    return result


def selector_report(comparison: PathComparison) -> str:
    methods = ", ".join(f"{name} {count}" for name, count in sorted(comparison.by_method.items()))
    taken = comparison.by_method.get("selector", 0)
    s, t, a = comparison.selector, comparison.trafilatura, comparison.agreement
    heading = f"### The sites' body selectors against trafilatura ({taken} of {comparison.pages} pages)"
    lines = [
        heading,
        "",
        f"extraction method per page: {methods}",
        "",
        "| body on the selector pages | precision | recall | F1 |",
        "|---|---|---|---|",
        f"| selectors, against the expected body | {s.precision:.3f} | {s.recall:.3f} | {s.f1:.3f} |",
        f"| trafilatura path, against the expected body | {t.precision:.3f} | {t.recall:.3f} | {t.f1:.3f} |",
        f"| selectors, against the trafilatura path | {a.precision:.3f} | {a.recall:.3f} | {a.f1:.3f} |",
        "",
        "pages where the two texts differ: "
        + (", ".join(f"{page} {f1:.3f}" for f1, page in sorted(comparison.differing)) or "none"),
    ]
    return "\n".join(lines)
