"""The Headers tab: the Authorization and pin rows the app manages, and rows the user adds.

The token is never shown: its row displays a mask and can only be switched off (which sends the
request without Authorization). The pin row mirrors the pin select; switching it off means latest.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import Button, Checkbox, Input, Static

from labs_tui.tui.text import literal
from labs_tui.tui.widgets.request.draft import mask_token


class HeaderRow(Horizontal):
    """A header the user added: enable toggle, name, value, remove."""

    DEFAULT_CSS = """
    HeaderRow { height: 1; margin: 0 0 1 0; }
    HeaderRow Checkbox { width: 5; }
    HeaderRow .header-name { width: 27; margin: 0 1 0 0; }
    HeaderRow .header-value { width: 1fr; }
    HeaderRow Button { min-width: 3; width: 3; margin: 0 0 0 1; }
    """

    def __init__(self, name: str = "", value: str = "") -> None:
        super().__init__()
        self._name = name
        self._value = value

    def compose(self) -> ComposeResult:
        yield Checkbox(value=True, tooltip="send this header", classes="header-enabled", compact=True)
        yield Input(self._name, placeholder="Header-Name", classes="header-name", compact=True)
        yield Input(self._value, placeholder="value", classes="header-value", compact=True)
        yield Button("x", classes="header-remove", tooltip="remove this header", compact=True)

    @property
    def header(self) -> tuple[str, str] | None:
        if not self.query_one(".header-enabled", Checkbox).value:
            return None
        name = self.query_one(".header-name", Input).value.strip()
        return (name, self.query_one(".header-value", Input).value) if name else None

    @on(Button.Pressed, ".header-remove")
    def _remove(self, event: Button.Pressed) -> None:
        event.stop()
        self.remove()


class HeadersEditor(VerticalScroll, can_focus=False):
    """Reads: ``send_auth``, ``custom_headers()``. Set: ``token``, ``pin``, ``version_header``."""

    DEFAULT_CSS = """
    HeadersEditor { height: 1fr; padding: 0 1; }
    HeadersEditor .managed { height: 1; margin: 0 0 1 0; }
    HeadersEditor .managed Checkbox { width: 33; }
    HeadersEditor .managed Static { width: 1fr; }
    HeadersEditor #add-header { margin: 0 0 0 0; }
    """

    @dataclass
    class PinToggled(Message):
        """The pin row was switched on or off (off: send no pin, i.e. latest)."""

        editor: HeadersEditor
        enabled: bool

        @property
        def control(self) -> HeadersEditor:
            return self.editor

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._token: str | None = None
        self._pin: str | None = None
        self._version_header = "X-Labs-API-Version"

    def compose(self) -> ComposeResult:
        with Horizontal(classes="managed"):
            yield Checkbox("Authorization", value=True, id="auth-enabled", compact=True)
            yield Static(mask_token(None), id="auth-value")
        with Horizontal(classes="managed"):
            yield Checkbox(self._version_header, value=False, id="pin-enabled", compact=True)
            yield Static("(not sent: latest)", id="pin-value")
        yield Button("+ header", id="add-header", compact=True)

    @property
    def send_auth(self) -> bool:
        return self.query_one("#auth-enabled", Checkbox).value

    @send_auth.setter
    def send_auth(self, value: bool) -> None:
        self.query_one("#auth-enabled", Checkbox).value = value

    def set_token(self, token: str | None) -> None:
        self._token = token
        self.query_one("#auth-value", Static).update(mask_token(token))

    def set_version_header(self, name: str) -> None:
        self._version_header = name
        self.query_one("#pin-enabled", Checkbox).label = literal(name)

    def set_pin(self, pin: str | None) -> None:
        """Mirror the pin select: None or "latest" shows the row off."""
        self._pin = pin if pin and pin != "latest" else None
        checkbox = self.query_one("#pin-enabled", Checkbox)
        with checkbox.prevent(Checkbox.Changed):
            checkbox.value = self._pin is not None
        self.query_one("#pin-value", Static).update(
            literal(self._pin) if self._pin else literal("(not sent: latest)")
        )

    def custom_headers(self) -> list[tuple[str, str]]:
        return [h for row in self.query(HeaderRow) if (h := row.header) is not None]

    def add_row(self, name: str = "", value: str = "") -> HeaderRow:
        row = HeaderRow(name, value)
        self.mount(row, before=self.query_one("#add-header"))
        return row

    @on(Button.Pressed, "#add-header")
    def _add(self, event: Button.Pressed) -> None:
        event.stop()
        row = self.add_row()
        self.call_after_refresh(lambda: row.query_one(".header-name", Input).focus())

    @on(Checkbox.Changed, "#pin-enabled")
    def _pin_toggled(self, event: Checkbox.Changed) -> None:
        event.stop()
        self.post_message(self.PinToggled(self, event.value))
