"""The Send button: one line, focusable, pressed by enter, space or a click.

Textual's ``Button`` would do, but its stylesheet (some 7,000 characters of variants) is parsed and
matched at every start for this one compact button on the first screen; this widget draws the same
compact primary look from a few rules. It only says it was pressed (``SendButton.Pressed``); the
screen decides what sending means; a disabled button posts nothing, and the screen ignores a press
while a send is already running (so a double click starts one send).
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import Static


class SendButton(Static, can_focus=True):
    """A compact primary button labelled ``label``; posts ``Pressed`` when activated."""

    DEFAULT_CSS = """
    SendButton {
        width: auto;
        min-width: 8;
        height: 1;
        padding: 0 1;
        content-align: center middle;
        text-align: center;
        text-style: bold;
        color: $button-color-foreground;
        background: $primary;
        pointer: pointer;
    }
    SendButton:hover { background: $primary-darken-2; }
    SendButton:focus {
        text-style: $button-focus-text-style;
        background-tint: $foreground 5%;
    }
    SendButton:disabled {
        color: $foreground 40%;
        background: $primary-muted;
        text-style: none;
        pointer: default;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "press", "press", show=False),
        Binding("space", "press", "press", show=False),
    ]

    class Pressed(Message):
        """The button was pressed."""

        def __init__(self, button: SendButton) -> None:
            super().__init__()
            self.button = button

        @property
        def control(self) -> SendButton:
            return self.button

    def __init__(self, label: str = "Send", *, id: str | None = None) -> None:
        super().__init__(Text(label), id=id)

    def action_press(self) -> None:
        if not self.disabled:
            self.post_message(self.Pressed(self))

    async def _on_click(self, event: events.Click) -> None:
        event.stop()
        self.action_press()
