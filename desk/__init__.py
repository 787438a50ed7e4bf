"""The desk: the analysts' and editors' rules, shared by the review UI, the CLI and the release
builder, built on :mod:`storage` (which holds every query).

Accept, reject, reset and edit an event (translate; set its section country, date, topic),
split events (:mod:`desk.events`); merge, preview and undo a merge (:mod:`desk.merge`); freeze
and reopen a period (:mod:`desk.freeze`); order a release section (:mod:`desk.order`); edit a
release's texts and record (freeze) its builds (:mod:`desk.releases`); apply a decisions file
(:mod:`desk.decisions`). Every change is audited and guarded by an optimistic lock
(:mod:`desk.locking`): a save against a version someone else changed since is refused with
:class:`StaleEdit`, :class:`StaleOrder` or :class:`StaleRelease`, and nothing is written.

The floor: the desk imports core, config and storage, never review, release or newsmon (which
import it). It imports no SQLAlchemy; callers pass the session they opened with
:func:`storage.db.session_scope` and commit it.
"""

from desk.batch import BatchReport, decide_many
from desk.decisions import BulkReport, LineResult, apply_file, apply_lines
from desk.errors import (
    EditError,
    EventNotFound,
    MergeNotUndoable,
    PeriodFrozen,
    StaleEdit,
    StaleOrder,
    StaleRelease,
)
from desk.events import accept, edit, reject, reset, set_status, split
from desk.freeze import check_open, freeze, frozen_release, reopen
from desk.merge import MergePreview, merge, merge_candidates, preview_merge, undo_merge
from desk.order import move, section_events, section_sort_key, set_order, set_position
from desk.releases import edit_release_texts, get_or_create_release, record_build, release_period
from desk.values import EDITABLE_FIELDS, REJECT_REASONS, STATUSES, TOPICS, Change
from storage.events import event_period, merged_into

__all__ = [
    "EDITABLE_FIELDS",
    "REJECT_REASONS",
    "STATUSES",
    "TOPICS",
    "BatchReport",
    "BulkReport",
    "Change",
    "EditError",
    "EventNotFound",
    "MergeNotUndoable",
    "MergePreview",
    "PeriodFrozen",
    "LineResult",
    "StaleEdit",
    "StaleOrder",
    "StaleRelease",
    "accept",
    "apply_file",
    "apply_lines",
    "check_open",
    "decide_many",
    "freeze",
    "frozen_release",
    "merge_candidates",
    "preview_merge",
    "reopen",
    "undo_merge",
    "edit",
    "edit_release_texts",
    "event_period",
    "get_or_create_release",
    "merge",
    "merged_into",
    "move",
    "record_build",
    "reject",
    "release_period",
    "reset",
    "section_events",
    "section_sort_key",
    "set_order",
    "set_position",
    "set_status",
    "split",
]
