"""The body's variant pickers: one compact Select per ``oneOf``/``anyOf`` in the request schema, at any
depth, each labelled with the place it shapes ("body", ``/source``, ``/events/*``).

The choices themselves come from the core (``labs_tui.spec.body_choices``); this widget only shows them
and says which variant was picked (``ChoicePicker.Picked``). Picking a variant can reveal or hide the
choices inside it, so the rows are rebuilt when the set of places changes, and focus stays on the
picker for the place just changed. Names from the spec are shown literally.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Label, Select

from labs_tui.spec import Choice
from labs_tui.tui.text import literal

ROOT_ID = "body-variant"  # the picker for the body itself keeps the id it always had


class ChoiceRow(Horizontal):
    """One place and its variants."""

    def __init__(self, choice: Choice) -> None:
        super().__init__(classes="choice-row")
        self.pointer = choice.pointer
        self.picked = choice.picked  # what the body has; a Changed to the same value is not a pick
        options = [(literal(title), index) for index, title in enumerate(choice.titles)]
        self.select: Select[int] = Select(
            options,
            allow_blank=False,
            value=choice.picked,
            compact=True,
            id=ROOT_ID if choice.pointer == "" else None,
            classes="body-variant",
        )
        self.label = Label(literal(choice.where), classes="choice-where")

    def compose(self) -> ComposeResult:
        yield self.label
        yield self.select


class ChoicePicker(Vertical):
    DEFAULT_CSS = """
    ChoicePicker { height: auto; max-height: 3; overflow-y: auto; margin: 0 1; }
    ChoicePicker .choice-row { height: 1; }
    ChoicePicker .choice-where { width: auto; max-width: 50%; padding: 0 1 0 0; color: $text-muted; }
    ChoicePicker Select { width: 1fr; }
    """

    class Picked(Message):
        """A variant was picked for the value at ``pointer``."""

        def __init__(self, pointer: str, index: int) -> None:
            super().__init__()
            self.pointer = pointer
            self.index = index

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._rows: list[ChoiceRow] = []
        self._layout: list[tuple[str, tuple[str, ...]]] = []

    def compose(self) -> ComposeResult:
        yield from self._rows

    @property
    def rows(self) -> Sequence[ChoiceRow]:
        return tuple(self._rows)

    def show(self, found: Sequence[Choice], *, keep_focus_on: str | None = None) -> None:
        """Show ``found``: the same places get their picks updated, other places new rows."""
        layout = [(choice.pointer, choice.titles) for choice in found]
        self.display = bool(found)
        if layout == self._layout:
            for row, choice in zip(self._rows, found, strict=True):
                row.picked = choice.picked
                if row.select.value != choice.picked:
                    with row.select.prevent(Select.Changed):
                        row.select.value = choice.picked
            return
        self._layout = layout
        self._rows = [ChoiceRow(choice) for choice in found]
        if not self.is_mounted:
            return
        self.remove_children()
        self.mount_all(self._rows)
        if keep_focus_on is not None:
            for row in self._rows:
                if row.pointer == keep_focus_on:
                    self.call_after_refresh(row.select.focus)

    @on(Select.Changed)
    def _changed(self, event: Select.Changed) -> None:
        event.stop()
        row = next((r for r in self._rows if r.select is event.select), None)
        # A Select also reports its first value when mounted: only a different value is a pick.
        if row is not None and isinstance(event.value, int) and event.value != row.picked:
            row.picked = event.value
            self.post_message(self.Picked(row.pointer, event.value))
