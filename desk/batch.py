"""One decision on many events at once (the inbox's bulk accept / reject-with-reason).

Each event goes through the same rule as a single decision (:func:`desk.events.set_status`:
its version checked, audited, refused in a frozen period) in a savepoint of its own, so one
refusal skips that event only. The outcome of every event is reported.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from desk.errors import EditError, EventNotFound, PeriodFrozen, StaleEdit
from desk.events import set_status
from storage.db import Session

MAX_BATCH = 500
"""Events one bulk decision may touch (a page of the inbox is 50)."""


@dataclass(frozen=True, slots=True)
class Outcome:
    event_id: int
    outcome: str
    """``done``, ``unchanged``, ``stale`` (changed by someone else), ``frozen``, ``missing`` or
    ``refused``."""
    message: str = ""


@dataclass(slots=True)
class BatchReport:
    status: str
    outcomes: list[Outcome] = field(default_factory=list)

    def ids(self, outcome: str) -> list[int]:
        return [o.event_id for o in self.outcomes if o.outcome == outcome]

    @property
    def summary(self) -> str:
        """``8 accepted, 1 skipped: changed by someone else (#12)``."""
        verb = {"accepted": "accepted", "rejected": "rejected", "new": "reset to new"}[self.status]
        counts = Counter(o.outcome for o in self.outcomes)
        parts = [f"{counts['done']} {verb}"]
        if counts["unchanged"]:
            parts.append(f"{counts['unchanged']} already {self.status}")
        reasons = {
            "stale": "changed by someone else",
            "frozen": "period frozen",
            "missing": "no longer exists (merged?)",
            "refused": "refused",
        }
        for key, why in reasons.items():
            if counts[key]:
                listed = ", ".join(f"#{i}" for i in self.ids(key)[:10])
                parts.append(f"{counts[key]} skipped: {why} ({listed})")
        return ", ".join(parts)


def decide_many(
    session: Session,
    items: Iterable[tuple[int, int | None]],
    status: str,
    *,
    actor: str,
    reason: str | None = None,
) -> BatchReport:
    """Set ``status`` on each ``(event id, version read)``; see the module."""
    wanted = list(dict.fromkeys(items))
    if not wanted:
        raise EditError("no event selected")
    if len(wanted) > MAX_BATCH:
        raise EditError(f"{len(wanted)} events selected: at most {MAX_BATCH} at once")
    if status == "rejected" and not (reason or "").strip():
        raise EditError("a rejection needs a reason")  # before any event: all would be refused
    report = BatchReport(status)
    for event_id, version in wanted:
        try:
            with session.begin_nested():
                change = set_status(session, event_id, status, actor=actor, version=version, reason=reason)
            report.outcomes.append(Outcome(event_id, "done" if change.changed else "unchanged"))
        except StaleEdit as error:
            report.outcomes.append(Outcome(event_id, "stale", str(error)))
        except PeriodFrozen as error:
            report.outcomes.append(Outcome(event_id, "frozen", str(error)))
        except EventNotFound as error:
            report.outcomes.append(Outcome(event_id, "missing", str(error)))
        except EditError as error:
            report.outcomes.append(Outcome(event_id, "refused", str(error)))
    return report
