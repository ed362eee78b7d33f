"""F1: every key the app answers to, read from the bindings themselves so the list cannot drift."""

from __future__ import annotations

from collections.abc import Iterable

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from labs_tui.tui.screens.dialogs import DIALOG_CSS


def _display(key: str) -> str:
    return "^" + key[5:] if key.startswith("ctrl+") and len(key) == 6 else key


def binding_rows(sections: Iterable[tuple[str, Iterable[BindingType]]]) -> list[tuple[str, str, str]]:
    """(where, keys, what) for every binding with a description, in the order given."""
    rows: list[tuple[str, str, str]] = []
    for where, bindings in sections:
        for binding in bindings:
            if not isinstance(binding, Binding) or not binding.description:
                continue
            keys = ", ".join(_display(k.strip()) for k in binding.key.split(","))
            rows.append((where, binding.key_display or keys, binding.description))
    return rows


class HelpScreen(ModalScreen[None]):
    DEFAULT_CSS = (
        DIALOG_CSS.format(name="HelpScreen")
        + """
    HelpScreen VerticalScroll { height: auto; max-height: 30; }
    """
    )
    BINDINGS = [Binding("escape,f1", "close", "close help")]

    def __init__(self, rows: list[tuple[str, str, str]]) -> None:
        super().__init__()
        self._rows = rows

    def compose(self) -> ComposeResult:
        table = Table(box=None, show_header=True, header_style="bold", pad_edge=False)
        table.add_column("where", style="dim")
        table.add_column("key", style="bold")
        table.add_column("does")
        for where, key, what in self._rows:
            table.add_row(Text(where), Text(key), Text(what))
        with Vertical():
            yield Static("Keys", classes="dialog-title")
            with VerticalScroll():
                yield Static(table, id="help-table")
            yield Static(
                Text(
                    "Pick an endpoint (Enter), shape the request in the tabs, send with ctrl+j. "
                    "Tab moves between fields. Failures open the Error tab.",
                    style="dim",
                )
            )
            yield Button("Close", id="close", variant="primary")

    @on(Button.Pressed, "#close")
    def action_close(self) -> None:
        self.dismiss(None)
