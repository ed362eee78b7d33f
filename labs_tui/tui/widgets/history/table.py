"""The history list: one row per stored call, newest first, failures in the error colour.

It shows ``HistoryRow`` values it is given and nothing else; it never opens the database. Every
cell that came from a server or a user (URL, requestId, error) is shown literally.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from urllib.parse import urlsplit

from rich.text import Text
from textual.widgets import DataTable

from labs_tui.store import HistoryRow
from labs_tui.tui.text import literal

COLUMNS = ("time (UTC)", "profile", "method", "path", "pin", "status", "ms", "requestId")
PATH_LIMIT = 60


def row_path(url: str) -> str:
    """The path and query of a stored URL (the host is the profile's)."""
    parts = urlsplit(url)
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return path if len(path) <= PATH_LIMIT else path[: PATH_LIMIT - 1] + "…"


def row_time(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, tz=UTC).strftime("%Y-%m-%d %H:%M:%S")


def row_cells(row: HistoryRow) -> tuple[Text, ...]:
    failing = row.failing
    status = Text(
        "no answer" if row.status is None else str(row.status), style="bold red" if failing else "green"
    )
    return (
        Text(row_time(row.time)),
        literal(row.profile),
        literal(row.method, "bold"),
        literal(row_path(row.url)),
        literal(row.pin or "latest", "" if row.pin else "dim"),
        status,
        Text(f"{row.elapsed_ms:.0f}", justify="right"),
        literal(row.request_id or "—", "" if row.request_id else "dim"),
    )


class HistoryTable(DataTable[Text]):
    """``show(rows)``; the row key of each line is the entry id (``entry_id_at`` reads it back)."""

    DEFAULT_CSS = """
    HistoryTable { height: 1fr; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self.rows_shown: list[HistoryRow] = []

    def on_mount(self) -> None:
        for name in COLUMNS:
            self.add_column(name, key=name)

    def show(self, rows: Sequence[HistoryRow]) -> None:
        self.clear()
        self.rows_shown = list(rows)
        for row in rows:
            self.add_row(*row_cells(row), key=str(row.id))

    def entry_id_at(self, index: int) -> int | None:
        if 0 <= index < len(self.rows_shown):
            return self.rows_shown[index].id
        return None
