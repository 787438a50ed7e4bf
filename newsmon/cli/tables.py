"""Tables that fit the terminal: ids are never cut, wide cells wrap, and when the terminal is
still too narrow the least important columns are left out (a note says which)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from rich import box
from rich.cells import cell_len
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text


@dataclass(frozen=True, slots=True)
class Column:
    header: str
    priority: int = 1
    """1 = always shown; higher numbers are left out first when the terminal is narrow."""
    wrap: bool = False
    """Whether the cell may wrap (long text, URLs); other cells keep their width."""
    justify: str = "left"


WRAP_MIN = 30
"""A wrapping column is never narrower than its longest word, up to this many cells (a URL)."""
SEPARATOR = 3
"""Cells between two columns: padding, the (blank) divider, padding."""
EDGES = 2
"""The table's (blank) left and right edges."""


def _lines(cell: str) -> list[str]:
    return Text.from_markup(cell).plain.splitlines() or [""]


def _width(column: Column, cells: Sequence[str]) -> int:
    """The narrowest the column can be without cutting anything."""
    if column.wrap:
        words = [word for cell in cells for line in _lines(cell) for word in line.split()]
        longest = max((cell_len(word) for word in words), default=0)
        return max(cell_len(column.header) if " " not in column.header else 0, min(WRAP_MIN, longest), 1)
    return max([cell_len(column.header), *(cell_len(line) for cell in cells for line in _lines(cell))])


def _build(
    columns: Sequence[Column], rows: Sequence[Sequence[str]], keep: list[int], title: str | None
) -> tuple[Table, int]:
    """The table of the kept columns, and the width it needs."""
    table = Table(box=box.SIMPLE_HEAD, title=title, pad_edge=False, expand=False)
    needed = EDGES + SEPARATOR * (len(keep) - 1)
    for index in keep:
        column = columns[index]
        width = _width(column, [row[index] for row in rows])
        needed += width
        table.add_column(
            column.header,
            no_wrap=not column.wrap,
            overflow="fold",
            justify=column.justify,  # type: ignore[arg-type]
            min_width=width,
        )
    for row in rows:
        table.add_row(*(row[index] for index in keep))
    return table, needed


def fitted_table(
    console: Console, columns: Sequence[Column], rows: Sequence[Sequence[str]], title: str | None = None
) -> tuple[Table, list[str]]:
    """The table with as many columns as fit ``console.width`` (by priority); and the headers
    left out."""
    keep = list(range(len(columns)))
    while True:
        table, needed = _build(columns, rows, keep, title)
        droppable = [i for i in keep if columns[i].priority > 1]
        if needed <= console.width or not droppable:
            left_out = [columns[i].header for i in range(len(columns)) if i not in keep]
            return table, left_out
        keep.remove(max(droppable, key=lambda i: (columns[i].priority, i)))


def print_fitted(
    console: Console,
    columns: Sequence[Column],
    rows: Sequence[Sequence[str]],
    title: str | None = None,
    hint: str = "",
) -> None:
    """Print the fitted table, and a line naming the columns left out (with ``hint``)."""
    table, left_out = fitted_table(console, columns, rows, title)
    console.print(table)
    if left_out:
        console.print(f"(not shown at this width: {', '.join(left_out)}{hint})", style="dim", highlight=False)


def print_crawl_summary(console: Console, outcomes: Sequence[Any], *, worker: bool = False) -> None:
    """One row per source a crawl (or a distributed worker) ran: run, status, pages, new,
    updated, errors, and for a worker why it stopped."""
    columns = [
        Column("source"),
        Column("run", priority=3),
        Column("run status" if worker else "status"),
        Column("this worker: pages" if worker else "pages", priority=2),
        Column("new"),
        Column("updated", priority=2),
        Column("errors", wrap=True),
    ]
    if worker:
        columns.append(Column("stopped", priority=2))
    rows = []
    for outcome in outcomes:
        row = [
            outcome.source_id,
            str(outcome.run_id or "-"),
            outcome.status,
            str(outcome.pages),
            str(outcome.new),
            str(outcome.updated),
            escape(outcome.errors_text),
        ]
        if worker:
            row.append(outcome.finish_reason or "-")
        rows.append(row)
    print_fitted(console, columns, rows, hint="; `newsmon status` shows the runs")
