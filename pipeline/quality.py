"""Tagging quality on real published text: the frozen test split of ``corpus/relevance``.

Every item is tagged by the shipped stages (:func:`pipeline.runner.tag_page`, no declared
language, no configured source: what an unknown outlet's page gets), and relevance is compared
side by side, in the same run, with

* **the keyword baseline**: one regular expression of drug words (:data:`KEYWORD_BASELINE`),
  what a desk would write in a minute;
* **the lexicon alone**: :func:`pipeline.relevance.score_relevance`, the stage before the model.

Positive = label ``relevant``. The gate (:data:`GATE_PRECISION`, :data:`GATE_RECALL`) is on the
shipped stage.
"""

from __future__ import annotations

import re
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from core.types import PageInput, TaggedArticle
from pipeline.corpus import CorpusItem
from pipeline.language import detect_language
from pipeline.relevance import load_lexicons, score_relevance
from pipeline.relevance_model import RelevanceModel, judge_relevance
from pipeline.runner import tag_page, warm_up
from pipeline.training import Counts, counts

GATE_PRECISION = 0.95
GATE_RECALL = 0.98
TARGET_PRECISION = 0.97
TARGET_RECALL = 0.99
SPEED_ROUNDS = 3

KEYWORD_BASELINE = re.compile(
    r"нарко|героин|гашиш|марихуан|кокаин|мефедрон|амфетамин|есірткі|баңги|мухаддир|нашъа"
    r"|giyohvand|narko|narcot|drug|heroin|hashish|cannabis|cocaine|uyuşturucu|хероин|наркот",
    re.IGNORECASE,
)
"""The one-line keyword filter the stage must beat (drug words of the desk's languages)."""

METHODS = ("keyword baseline", "lexicon only", "newsmon (lexicon + model)")


@dataclass(slots=True)
class QualityReport:
    split: str
    items: int
    relevance: dict[str, Counts]
    by_language: dict[str, dict[str, Counts]]
    language_accuracy: float
    language_by_code: dict[str, tuple[int, int]]
    country_accuracy: float
    articles_per_second: float
    labels: dict[str, int]
    inbox: Counts
    """The shipped stage with positive = ``relevant`` or ``maybe``: what the inbox shows."""
    errors: dict[str, list[str]] = field(default_factory=dict)

    @property
    def shipped(self) -> Counts:
        return self.relevance[METHODS[2]]

    @property
    def gate_passed(self) -> bool:
        return self.shipped.precision >= GATE_PRECISION and self.shipped.recall >= GATE_RECALL


def page_of(item: CorpusItem) -> PageInput:
    return PageInput(url=item.url, title=item.title or None, text=item.text)


def tag_items(items: Sequence[CorpusItem], rounds: int = SPEED_ROUNDS) -> tuple[list[TaggedArticle], float]:
    """Tag every item; the speed is that of the fastest of ``rounds`` rounds (a shared machine)."""
    warm_up()
    pages = [page_of(item) for item in items]
    best = float("inf")
    tagged: list[TaggedArticle] = []
    for _ in range(max(rounds, 1)):
        start = time.perf_counter()
        tagged = [tag_page(page) for page in pages]
        best = min(best, time.perf_counter() - start)
    return tagged, (len(items) / best if best > 0 else 0.0)


def keyword_hits(items: Sequence[CorpusItem]) -> list[bool]:
    """The keyword baseline's verdict on each item."""
    return [bool(KEYWORD_BASELINE.search(f"{i.title}\n{i.text}")) for i in items]


def lexicon_hits(texts: Sequence[tuple[str, str, str | None]]) -> list[bool]:
    """The lexicon stage's verdict on each ``(title, text, language)``."""
    lexicons = load_lexicons()
    return [score_relevance(title, text, code, lexicons).label == "relevant" for title, text, code in texts]


def _predictions(items: Sequence[CorpusItem], tagged: Sequence[TaggedArticle]) -> dict[str, list[bool]]:
    keyword = keyword_hits(items)
    lexicon = lexicon_hits([(a.title, a.text, a.language) for a in tagged])
    shipped = [a.relevance.label == "relevant" for a in tagged]
    return dict(zip(METHODS, (keyword, lexicon, shipped), strict=True))


def evaluate_corpus(items: Sequence[CorpusItem], split: str, rounds: int = SPEED_ROUNDS) -> QualityReport:
    tagged, speed = tag_items(items, rounds)
    predicted = _predictions(items, tagged)
    truth = [i.relevant for i in items]
    errors: dict[str, list[str]] = defaultdict(list)
    by_language: dict[str, dict[str, Counts]] = {}
    groups: dict[str, list[int]] = defaultdict(list)
    for index, item in enumerate(items):
        groups[item.language].append(index)
    for code, rows in sorted(groups.items()):
        by_language[code] = {
            method: counts([predicted[method][r] for r in rows], [truth[r] for r in rows])
            for method in METHODS
        }
    language_ok = country_ok = 0
    by_code: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    labels: dict[str, int] = defaultdict(int)
    for item, article, shipped in zip(items, tagged, predicted[METHODS[2]], strict=True):
        labels[f"{article.relevance.label} (labelled {item.label})"] += 1
        if shipped != item.relevant:
            kind = "relevance: false positive" if shipped else "relevance: missed"
            errors[kind].append(f"{item.url} (p={article.relevance.score:.3f}; {item.rationale})")
        by_code[item.language][1] += 1
        if article.language == item.language:
            language_ok += 1
            by_code[item.language][0] += 1
        else:
            errors["language"].append(f"{item.url}: {article.language} ≠ {item.language}")
        if article.country == item.country:
            country_ok += 1
        else:
            errors["country"].append(f"{item.url}: {article.country} ≠ {item.country}")
    total = len(items) or 1
    return QualityReport(
        split=split,
        items=len(items),
        relevance={method: counts(predicted[method], truth) for method in METHODS},
        by_language=by_language,
        language_accuracy=language_ok / total,
        language_by_code={code: (ok, n) for code, (ok, n) in sorted(by_code.items())},
        country_accuracy=country_ok / total,
        articles_per_second=speed,
        labels=dict(sorted(labels.items())),
        inbox=counts([a.relevance.label != "irrelevant" for a in tagged], truth),
        errors=dict(errors),
    )


def _pct(value: float) -> str:
    return f"{value * 100:.1f}%"


def _pr(c: Counts) -> str:
    return f"{c.precision:.3f} / {c.recall:.3f}"


def _where(split: str) -> str:
    """Where the items come from: a split of ``corpus/relevance`` or files (a fresh batch)."""
    if split == "test":
        return "the frozen `test` split of `corpus/relevance`"
    if split in ("train", "dev"):
        return f"the `{split}` split of `corpus/relevance`"
    return f"`{split}`"


def markdown(report: QualityReport, model_version: str, command: str) -> str:
    shipped = report.shipped
    meets = shipped.precision >= TARGET_PRECISION and shipped.recall >= TARGET_RECALL
    positives = shipped.tp + shipped.fn
    lines = [
        f"Real published items: **{report.items}** ({_where(report.split)}, "
        f"{positives} relevant, {report.items - positives} irrelevant). Model `{model_version}`. "
        f"Command: `{command}`.",
        "",
        "| measure | " + " | ".join(METHODS) + " |",
        "|---|---|---|---|",
        "| relevance precision | "
        + " | ".join(f"{report.relevance[m].precision:.3f}" for m in METHODS)
        + " |",
        "| relevance recall | " + " | ".join(f"{report.relevance[m].recall:.3f}" for m in METHODS) + " |",
        "| TP / FP / FN / TN | "
        + " | ".join(
            f"{report.relevance[m].tp} / {report.relevance[m].fp} / {report.relevance[m].fn} / "
            f"{report.relevance[m].tn}"
            for m in METHODS
        )
        + " |",
        f"| what the inbox shows (`relevant` or `maybe`): precision / recall | | | "
        f"{report.inbox.precision:.3f} / {report.inbox.recall:.3f} |",
        "",
        f"Target P ≥ {TARGET_PRECISION} and R ≥ {TARGET_RECALL}: **{'met' if meets else 'not met'}**; "
        f"gate P ≥ {GATE_PRECISION} and R ≥ {GATE_RECALL}: "
        f"**{'passed' if report.gate_passed else 'FAILED'}**.",
        "",
        "| language | items | keyword P / R | lexicon P / R | newsmon P / R | language detected |",
        "|---|---|---|---|---|---|",
    ]
    for code, rows in report.by_language.items():
        ok, n = report.language_by_code.get(code, (0, 0))
        lines.append(f"| {code} | {n} | " + " | ".join(_pr(rows[m]) for m in METHODS) + f" | {ok}/{n} |")
    lines += [
        "",
        "| measure | value |",
        "|---|---|",
        f"| language accuracy | {_pct(report.language_accuracy)} |",
        f"| reporting-country accuracy | {_pct(report.country_accuracy)} |",
        f"| tagging speed (text input, one process) | {report.articles_per_second:.0f} articles/s |",
        "",
        "Labels given: " + ", ".join(f"{k}: {v}" for k, v in report.labels.items()) + ".",
    ]
    return "\n".join(lines)


def mismatches(report: QualityReport, limit: int | None = None) -> str:
    out: list[str] = []
    for kind, entries in sorted(report.errors.items()):
        shown = entries if limit is None else entries[:limit]
        out.append(f"  {kind} ({len(entries)}):")
        out += [f"    {entry}" for entry in shown]
    return "\n".join(out)


def compare_models(items: Sequence[CorpusItem], models: dict[str, RelevanceModel]) -> dict[str, Counts]:
    """Relevance counts of the keyword baseline, the lexicon alone and each named model."""
    truth = [i.relevant for i in items]
    lexicons = load_lexicons()
    languages = [detect_language(i.title, i.text).language for i in items]
    results = {
        METHODS[0]: counts(keyword_hits(items), truth),
        METHODS[1]: counts(
            lexicon_hits([(i.title, i.text, code) for i, code in zip(items, languages, strict=True)]), truth
        ),
    }
    for name, model in models.items():
        predicted = [
            judge_relevance(i.title, i.text, code, lexicons=lexicons, model=model).label == "relevant"
            for i, code in zip(items, languages, strict=True)
        ]
        results[name] = counts(predicted, truth)
    return results
