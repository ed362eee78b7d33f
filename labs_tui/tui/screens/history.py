"""The history screen: every call sent, newest first, filtered by requestId, path or status.

It reads the store in a thread worker (a query never blocks a key) and dismisses with the id of
the entry to reopen; the main screen does the reopening. A filter answer that arrives after the
filter changed again is dropped. Nothing here writes to the history.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.timer import Timer
from textual.widgets import Checkbox, DataTable, Input, Static

from labs_tui.tui.messages import HistoryRowsLoaded
from labs_tui.tui.screens.base import LabsScreen
from labs_tui.tui.text import literal
from labs_tui.tui.widgets.history import HistoryTable
from labs_tui.tui.widgets.keybar import KeyBar

if TYPE_CHECKING:
    pass

FILTER_DEBOUNCE_S = 0.12
SHOWN_LIMIT = 500


class HistoryScreen(LabsScreen[int | None]):
    CSS_PATH = "history.tcss"
    BINDINGS = [
        Binding("escape", "back", "back", id="history-back"),
        Binding("slash", "focus_filter", "filter", key_display="/", id="history-filter"),
        Binding("ctrl+x", "toggle_failing", "failing only", key_display="^x", id="history-failing"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._generation = 0
        self._timer: Timer | None = None
        self.loaded_generation = -1

    def compose(self) -> ComposeResult:
        yield Static(Text("History", style="bold"), id="history-title")
        with Horizontal(id="history-controls"):
            yield Input(placeholder="filter: requestId, path or status (e.g. 429)", id="history-filter-input")
            yield Checkbox("failing only", id="history-failing-only", compact=True)
        yield HistoryTable(id="history-table")
        yield Static("", id="history-status")
        yield KeyBar()

    @property
    def table(self) -> HistoryTable:
        return self.query_one(HistoryTable)

    @property
    def filter_input(self) -> Input:
        return self.query_one("#history-filter-input", Input)

    def on_mount(self) -> None:
        self.table.focus()
        self.refresh_rows()

    # -- querying --------------------------------------------------------------------------------

    def history_changed(self) -> None:
        self.refresh_rows()

    def refresh_rows(self) -> None:
        history = self.labs.history
        if history is None:
            self._status(Text("the history is still opening…", style="italic"))
            return
        self._generation += 1
        failing = self.query_one("#history-failing-only", Checkbox).value
        self._query(history, self._generation, failing, self.filter_input.value)

    @work(thread=True, exclusive=True, group="history-query", exit_on_error=False)
    def _query(self, history: Any, generation: int, failing: bool, text: str) -> None:
        rows = history.query(failing_only=failing, text=text, limit=SHOWN_LIMIT)
        self.post_message(HistoryRowsLoaded(generation, rows))

    @on(HistoryRowsLoaded)
    def _rows_loaded(self, message: HistoryRowsLoaded) -> None:
        if message.generation != self._generation:
            return
        self.loaded_generation = message.generation
        self.table.show(message.rows)
        count = len(message.rows)
        filters = []
        if self.query_one("#history-failing-only", Checkbox).value:
            filters.append("failing only")
        if self.filter_input.value.strip():
            filters.append(f"matching {self.filter_input.value.strip()!r}")
        what = f"{count} call{'s' if count != 1 else ''}"
        if count >= SHOWN_LIMIT:
            what = f"the newest {count} calls"
        line = literal(f"{what}{' ' + ', '.join(filters) if filters else ''} · newest first")
        line.append("  ·  Enter reopens a call in the builder", style="dim")
        if count == 0:
            line = literal("no calls match" if filters else "no calls yet: send a request (ctrl+j)")
        self._status(line)
        notice = self.labs.history.take_notice() if self.labs.history is not None else None
        if notice:
            self.notify(notice, title="history", severity="warning")

    def _status(self, text: Text) -> None:
        self.query_one("#history-status", Static).update(text)

    @on(Input.Changed, "#history-filter-input")
    def _filter_changed(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(FILTER_DEBOUNCE_S, self.refresh_rows)

    @on(Input.Submitted, "#history-filter-input")
    def _filter_submitted(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        self.refresh_rows()
        self.table.focus()

    @on(Checkbox.Changed, "#history-failing-only")
    def _failing_changed(self) -> None:
        self.refresh_rows()

    # -- actions ---------------------------------------------------------------------------------

    @on(DataTable.RowSelected, "#history-table")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        entry_id = self.table.entry_id_at(event.cursor_row)
        if entry_id is not None:
            self.dismiss(entry_id)

    def action_focus_filter(self) -> None:
        self.filter_input.focus()

    def action_toggle_failing(self) -> None:
        box = self.query_one("#history-failing-only", Checkbox)
        box.value = not box.value

    def action_back(self) -> None:
        if self.focused is self.filter_input and self.filter_input.value:
            self.filter_input.value = ""
            return
        self.dismiss(None)
