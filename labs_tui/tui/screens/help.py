"""F1: every key the app answers to, read from the bindings themselves so the list cannot drift.

Each row also names the binding id a user can remap in the config file's ``keymap:`` section; the
keys shown are the effective ones (the keymap's override when there is one).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

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


def binding_rows(
    sections: Iterable[tuple[str, Iterable[BindingType]]], keymap: Mapping[str, str] | None = None
) -> list[tuple[str, str, str, str]]:
    """(where, keys, what, id) for every binding with a description, in the order given.

    A binding whose id ``keymap`` remaps shows the remapped keys.
    """
    rows: list[tuple[str, str, str, str]] = []
    keymap = keymap or {}
    for where, bindings in sections:
        for binding in bindings:
            if not isinstance(binding, Binding) or not binding.description:
                continue
            remapped = keymap.get(binding.id) if binding.id else None
            source = remapped or binding.key
            keys = ", ".join(_display(k.strip()) for k in source.split(","))
            shown = keys if remapped else (binding.key_display or keys)
            rows.append((where, shown, binding.description, binding.id or ""))
    return rows


class HelpScreen(ModalScreen[None]):
    DEFAULT_CSS = (
        DIALOG_CSS.format(name="HelpScreen")
        + """
    HelpScreen > Vertical { width: 96%; max-width: 120; height: 90%; max-height: 60; padding: 0 1; }
    HelpScreen #help-scroll { height: 1fr; }
    HelpScreen #help-note { margin: 1 0 0 0; }
    """
    )
    BINDINGS = [Binding("escape,f1", "close", "close help")]

    def __init__(self, rows: list[tuple[str, str, str, str]]) -> None:
        super().__init__()
        self.rows = rows
        """(where, keys, what, binding id) for each listed binding, in order."""

    def compose(self) -> ComposeResult:
        table = Table(box=None, show_header=True, header_style="bold", pad_edge=False)
        table.add_column("where", style="dim")
        table.add_column("key", style="bold")
        table.add_column("does")
        table.add_column("id (config keymap)", style="dim")
        for where, key, what, binding_id in self.rows:
            table.add_row(Text(where), Text(key), Text(what), Text(binding_id))
        with Vertical():
            yield Static("Keys", classes="dialog-title")
            # The list takes the room left and scrolls (focused: arrows, page keys, home/end), so the
            # last keys and Close stay reachable on a small terminal.
            with VerticalScroll(id="help-scroll"):
                yield Static(table, id="help-table")
            yield Static(
                Text(
                    "Pick an endpoint (Enter), shape the request in the tabs, send with ctrl+j. "
                    "Tab moves between fields (in the body editor it indents; escape leaves it). "
                    "Failures open the Error tab. Remap a key in the "
                    "config file: keymap: {send: ctrl+s}.",
                    style="dim",
                ),
                id="help-note",
            )
            yield Button("Close", id="close", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#help-scroll").focus()

    @on(Button.Pressed, "#close")
    def action_close(self) -> None:
        self.dismiss(None)
