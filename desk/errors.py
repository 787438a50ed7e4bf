"""What the desk refuses, and why: every refusal is a :class:`~core.errors.UserError`."""

from __future__ import annotations

from datetime import datetime

from core.errors import UserError


class EditError(UserError):
    """An analyst operation that cannot be done as asked (bad value, unknown event…)."""


class EventNotFound(EditError):
    """No event (or article) with that id."""


class StaleEdit(EditError):
    """The event changed since the caller read it: the save was refused, nothing was written."""

    def __init__(
        self, event_id: int, expected: int, current: int, by: str | None, at: datetime | None
    ) -> None:
        self.event_id = event_id
        self.expected = expected
        self.current = current
        self.by = by
        self.at = at
        who = f" by {by}" if by else ""
        when = f" at {at:%Y-%m-%d %H:%M} UTC" if at else ""
        super().__init__(
            f"event #{event_id} was changed{who}{when} after you opened it "
            f"(you edited version {expected}, it is now version {current}); your change was not saved. "
            "Reload the event, check the other change, then redo yours."
        )


class StaleOrder(EditError):
    """The order of a release section changed since the caller read it."""


class StaleRelease(EditError):
    """The release's texts changed since the editor read them."""


class PeriodFrozen(EditError):
    """The event belongs to a period whose final release is built: an editor must reopen it first."""


class MergeNotUndoable(EditError):
    """A merge that cannot be undone (already undone, or the event changed since)."""
