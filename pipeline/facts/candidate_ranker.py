"""A learned choice among a Russian story's place candidates: what natasha's syntax adds (issue #19).

The stage's rules choose the event's places among the candidates by cue words (``config/facts.toml``
``[places]``). To learn whether a parser would choose better, this ranker is trained on train's
labels with what the rules see — the words around each place, the part the rules give it
(:func:`pipeline.facts.places.place_roles`), the kind of sentence it is in — and, with ``syntax``,
natasha's NER candidates and the word each place hangs on in natasha's parse («задержали» *в
Тамбове*, «жителя» *Владимира*, «УМВД по» *Тамбовской области*). The candidates that are one place
(case forms, :mod:`pipeline.facts.placenames`) are one row; the ranker keeps those it gives an even
chance or more, else the likeliest (a story has a place). Measured, not used by the stage: see
``docs/facts.md``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from core.facts import Mention
from pipeline.facts.mainevent import main_event
from pipeline.facts.mentions import find_places, with_added
from pipeline.facts.placenames import PlaceName, place_name
from pipeline.facts.places import by_place, place_roles
from pipeline.facts.quality import Score, gold_values, matches, story_body, written_places
from pipeline.facts.rules import load_rules

LANGUAGE = "ru"
STEM = 5
"""Words around a place are cut to their first letters: Russian's endings would split each cue."""
BEFORE, AFTER = 3, 2
REACH = 60
REGULARISATION = 0.3
KEEP_FROM = 0.5
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")


@dataclass(frozen=True, slots=True)
class Word:
    """One word of natasha's parse: where it is, its lemma and part of speech, the word it hangs
    on (``head``, an index into the story's words, or -1) and how (``relation``, Universal
    Dependencies)."""

    start: int
    end: int
    lemma: str
    pos: str
    head: int
    relation: str


@dataclass(frozen=True, slots=True)
class NatashaReading:
    """What natasha reads in one story's normalised text."""

    locations: tuple[Mention, ...]
    address: tuple[Mention, ...]
    words: tuple[Word, ...]


@dataclass(slots=True)
class Candidate:
    """One place a story names (all its forms), what is known of it, and whether it is labelled."""

    name: PlaceName
    mentions: list[Mention] = field(default_factory=list)
    features: dict[str, float] = field(default_factory=dict)
    labelled: bool = False


def _words(text: str) -> list[str]:
    return [w.lower()[:STEM] for w in _WORD.findall(text)]


def _in_title(body: str, mention: Mention) -> bool:
    return "\n" not in body[: mention.span.start]


def _mention_features(body: str, mention: Mention, role: str, kind: str, name: PlaceName) -> set[str]:
    before = _words(body[max(0, mention.span.start - REACH) : mention.span.start])[-BEFORE:]
    after = _words(body[mention.span.end : mention.span.end + REACH])[:AFTER]
    features = {f"role={role}", f"sentence={kind}", f"kind={name.kind}"}
    features.add(f"title={_in_title(body, mention)}")
    features.update(f"before{i}={w}" for i, w in enumerate(reversed(before)))
    features.update(f"after{i}={w}" for i, w in enumerate(after))
    return features


def _syntax_features(mention: Mention, words: Sequence[Word]) -> set[str]:
    """The relation of the place's head word, its preposition, the word it hangs on and the verb
    above it."""
    inside = [i for i, w in enumerate(words) if w.start >= mention.span.start and w.end <= mention.span.end]
    if not inside:
        return set()
    root = next((i for i in inside if words[i].head not in inside), inside[0])
    features = {f"relation={words[root].relation}"}
    features.update(f"case={w.lemma}" for w in words if w.head == root and w.pos == "ADP")
    head = words[root].head
    if head >= 0:
        features |= {f"head={words[head].lemma}", f"head_pos={words[head].pos}"}
    for _ in range(6):
        if head < 0 or words[head].pos == "VERB":
            break
        head = words[head].head
    if head >= 0:
        features.add(f"verb={words[head].lemma}")
    return features


def candidates(body: str, reading: NatashaReading, *, syntax: bool) -> list[Candidate]:
    """The story's place candidates, one per place, with their features."""
    rules = load_rules().for_language(LANGUAGE)
    event = main_event(body, rules.main_event)
    mentions = find_places(body, not_places=rules.not_places)
    if syntax:
        mentions = with_added(mentions, reading.locations)
    roles = dict(zip(mentions, place_roles(body, mentions, rules.place_cues), strict=True))
    found = [Candidate(name, forms) for name, forms in by_place(mentions, LANGUAGE)]
    for candidate in found:
        for mention in candidate.mentions:
            kind = event.kind_at(mention.span.start)
            features = _mention_features(
                body, mention, roles[mention], kind, place_name(mention.span.text, LANGUAGE)
            )
            if syntax:
                features |= _syntax_features(mention, reading.words)
            candidate.features.update(dict.fromkeys(features, 1.0))
    for rank, candidate in enumerate(found):
        candidate.features.update(
            {
                f"rank={min(rank, 4)}": 1.0,
                f"forms={min(len(candidate.mentions), 3)}": 1.0,
                f"places={min(len(found), 6)}": 1.0,
            }
        )
    return found


def _labelled(story: dict[str, Any], found: list[Candidate]) -> list[Candidate]:
    same = matches("places")
    gold = gold_values(story, "places")
    for candidate in found:
        written = written_places(candidate.mentions, LANGUAGE)
        candidate.labelled = any(same(w, g) for w in written for g in gold)
    return found


def train_and_score(
    training: Sequence[dict[str, Any]],
    training_readings: Sequence[NatashaReading],
    stories: Sequence[dict[str, Any]],
    readings: Sequence[NatashaReading],
    *,
    syntax: bool,
) -> Score:
    """Train on ``training``'s labels, choose in ``stories``, score as the stage is scored."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    rows = [
        c
        for story, reading in zip(training, training_readings, strict=True)
        for c in _labelled(story, candidates(story_body(story), reading, syntax=syntax))
    ]
    vectorizer = DictVectorizer()
    model = LogisticRegression(C=REGULARISATION, max_iter=3000)
    model.fit(vectorizer.fit_transform([c.features for c in rows]), [c.labelled for c in rows])
    score = Score()
    same = matches("places")
    for story, reading in zip(stories, readings, strict=True):
        found = candidates(story_body(story), reading, syntax=syntax)
        chosen: list[Candidate] = []
        if found:
            chances = model.predict_proba(vectorizer.transform([c.features for c in found]))[:, 1]
            chosen = [c for c, p in zip(found, chances, strict=True) if p >= KEEP_FROM]
            chosen = chosen or [found[int(chances.argmax())]]
        predicted = written_places([c.mentions[0] for c in chosen], LANGUAGE)
        score.add(story["id"], gold_values(story, "places"), predicted, same)
    return score
