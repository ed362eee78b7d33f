"""The Headers tab: the token and pin rows the app manages, and rows the user adds.

The token is never shown: its row displays a mask and where the token goes for the open operation
(``set_token_place``, from the core's ``token_place``: Authorization, an apiKey header such as
``api_key``, a query parameter or a cookie), and can only be switched off (which sends the request
without the token). A hand-typed row of that header's name replaces the token (an empty one, or an
empty Authorization, removes it), as ``build_request`` does; both rows then say so. The pin row mirrors
the pin select; switching it off means latest.

The editor is built with the request pane but mounted only when its tab is first shown (the first
screen does not show it), so its state lives in attributes: every setter and reader works before it
is mounted, and the widgets show that state once they exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import Button, Checkbox, Input, Static

from labs_tui.spec import DEFAULT_VERSION_HEADER
from labs_tui.tui.text import literal
from labs_tui.tui.widgets.request.draft import mask_token

if TYPE_CHECKING:
    from labs_tui.client import TokenPlace


class HeaderRow(Horizontal):
    """A header the user added: enable toggle, name, value, remove."""

    DEFAULT_CSS = """
    HeaderRow { height: 1; margin: 0 0 1 0; }
    HeaderRow Checkbox { width: 5; }
    HeaderRow .header-name { width: 27; margin: 0 1 0 0; }
    HeaderRow .header-value { width: 1fr; }
    HeaderRow Button { min-width: 3; width: 3; margin: 0 0 0 1; }
    HeaderRow .header-note { display: none; width: auto; margin: 0 0 0 1; text-style: bold; }
    HeaderRow.-noted .header-note { display: block; }
    """

    def __init__(self, name: str = "", value: str = "") -> None:
        super().__init__()
        self._header_name = name
        self._header_value = value
        self._note = ""
        self._removed = False

    @property
    def note(self) -> str:
        """What this row does beside the profile's token ("sent instead of the token"), or ""."""
        return self._note

    def set_note(self, note: str) -> None:
        self._note = note
        self.set_class(bool(note), "-noted")
        for static in self.query(".header-note").results(Static):
            static.update(note)

    def compose(self) -> ComposeResult:
        yield Checkbox(value=True, tooltip="send this header", classes="header-enabled", compact=True)
        yield Input(self._header_name, placeholder="Header-Name", classes="header-name", compact=True)
        yield Input(self._header_value, placeholder="value", classes="header-value", compact=True)
        yield Static(self._note, classes="header-note")
        yield Button("x", classes="header-remove", tooltip="remove this header", compact=True)

    @property
    def header(self) -> tuple[str, str] | None:
        """(name, value) when enabled and named; before its inputs exist, the values it was built with."""
        if self._removed:
            return None
        enabled = self.query(".header-enabled").results(Checkbox)
        checkbox = next(enabled, None)
        if checkbox is None:
            name, value = self._header_name.strip(), self._header_value
        else:
            if not checkbox.value:
                return None
            name = self.query_one(".header-name", Input).value.strip()
            value = self.query_one(".header-value", Input).value
        return (name, value) if name else None

    @on(Button.Pressed, ".header-remove")
    def _remove(self, event: Button.Pressed) -> None:
        event.stop()
        editor = self.parent
        self.discard()
        if isinstance(editor, HeadersEditor):
            editor.show_auth_source()

    def discard(self) -> None:
        """Remove the row; it reads as gone at once, though its removal completes later."""
        self._removed = True
        self.remove()


class HeadersEditor(VerticalScroll, can_focus=False):
    """Read ``send_auth``, ``custom_headers()``; set ``token``, ``token_place``, ``pin``, the header."""

    DEFAULT_CSS = """
    HeadersEditor { height: 1fr; padding: 0 1; }
    HeadersEditor .managed { height: 1; margin: 0 0 1 0; }
    HeadersEditor .managed Checkbox { width: 33; }
    HeadersEditor .managed Static { width: 1fr; }
    HeadersEditor .managed.-replaced { height: auto; }
    HeadersEditor .managed.-replaced Static { height: auto; }
    HeadersEditor .managed.-replaced Checkbox { text-opacity: 60%; }
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
        self._place: TokenPlace | None = None  # None: Authorization: Bearer (a spec silent on auth)
        self._pin: str | None = None
        self._version_header = DEFAULT_VERSION_HEADER
        self._send_auth = True
        self._unmounted_rows: list[HeaderRow] = []

    def compose(self) -> ComposeResult:
        with Horizontal(classes="managed", id="auth-row"):
            yield Checkbox(self._auth_label(), value=self._send_auth, id="auth-enabled", compact=True)
            yield Static(self._auth_text(), id="auth-value")
        with Horizontal(classes="managed"):
            yield Checkbox(
                literal(self._version_header), value=self._pin is not None, id="pin-enabled", compact=True
            )
            yield Static(self._pin_text(), id="pin-value")
        rows, self._unmounted_rows = self._unmounted_rows, []
        yield from rows
        yield Button("+ header", id="add-header", compact=True)

    def _header_name(self) -> str:
        """The header the token goes in ("" when it goes in the query, a cookie, or nowhere)."""
        place = self._place
        if place is None:
            return "Authorization"
        return place.name if place.kind == "header" else ""

    def _auth_label(self) -> Text:
        place = self._place
        if place is None or place.kind == "none":
            return literal("Authorization" if place is None else "Token")
        return literal(place.name if place.kind == "header" else place.label())

    def _typed_auth(self) -> list[tuple[HeaderRow, str]]:
        """The user's enabled rows that replace the profile's token: its header's name, or an empty
        Authorization (which keeps the token out wherever it would go), with their values."""
        rows = [*self.query(HeaderRow), *self._unmounted_rows]
        name = self._header_name().lower()
        typed = []
        for row in rows:
            header = row.header
            if header is None:
                continue
            lname = header[0].lower()
            if (name and lname == name) or (lname == "authorization" and not header[1].strip()):
                typed.append((row, header[1]))
        return typed

    def _masked(self) -> Text:
        """The token's mask and, when it is not a header, where it goes (a spec's names as literal text)."""
        masked = mask_token(self._token)  # "Bearer ********oken" or "(no token)"
        place = self._place
        if not self._token or place is None or place.kind == "none":
            return Text(masked)
        stars = masked.removeprefix("Bearer ")
        if place.is_authorization:
            basic = "  (the token as the password)" if place.prefix == "Basic" else ""
            return Text(f"{place.prefix} {stars}".strip() + basic)
        if place.kind == "header":
            return Text(stars)
        return Text.assemble(f"{stars}  in the ", literal(place.label()))

    def _auth_text(self) -> Text:
        masked = self._masked()
        typed = self._typed_auth()
        place = self._place
        if self._token and place is not None and place.kind == "none":
            return Text.assemble(masked, "  not sent: ", literal(place.why), style="dim")
        if not typed or not self._token:
            return masked
        row_name = next((h[0] for row, _ in typed if (h := row.header) is not None), "Authorization")
        if all(not value.strip() for _, value in typed):
            return Text.assemble(
                masked, "  not sent: your empty ", literal(row_name), " header removes it", style="dim"
            )
        return Text.assemble(
            masked, "  not sent: replaced by your ", literal(row_name), " header", style="dim"
        )

    def show_auth_source(self) -> None:
        """Say on both rows which Authorization goes: the token's, or the one the user typed."""
        typed = self._typed_auth()
        for row in [*self.query(HeaderRow), *self._unmounted_rows]:
            value = next((v for r, v in typed if r is row), None)
            if value is None:
                row.set_note("")
            elif not value.strip():
                removes = "Authorization" if self._header_name().lower() == "authorization" else "the token"
                row.set_note(f"← removes {removes}")
            else:
                row.set_note("← sent instead of the token" if self._token else "← sent")
        replaced = bool(typed and self._token)
        for box in self.query("#auth-row"):
            box.set_class(replaced, "-replaced")
        for static in self.query("#auth-value").results(Static):
            static.update(self._auth_text())

    def _pin_text(self) -> Text:
        return literal(self._pin) if self._pin else literal("(not sent: latest)")

    @property
    def send_auth(self) -> bool:
        return self._send_auth

    @send_auth.setter
    def send_auth(self, value: bool) -> None:
        self._send_auth = value
        for checkbox in self.query("#auth-enabled").results(Checkbox):
            checkbox.value = value

    def set_token(self, token: str | None) -> None:
        self._token = token
        self.show_auth_source()

    def set_token_place(self, place: TokenPlace | None) -> None:
        """Where the token goes for the open operation (None: Authorization: Bearer)."""
        self._place = place
        for checkbox in self.query("#auth-enabled").results(Checkbox):
            checkbox.label = self._auth_label()
        self.show_auth_source()

    def set_version_header(self, name: str) -> None:
        self._version_header = name
        for checkbox in self.query("#pin-enabled").results(Checkbox):
            checkbox.label = literal(name)

    def set_pin(self, pin: str | None) -> None:
        """Mirror the pin select: None or "latest" shows the row off."""
        self._pin = pin if pin and pin != "latest" else None
        for checkbox in self.query("#pin-enabled").results(Checkbox):
            with checkbox.prevent(Checkbox.Changed):
                checkbox.value = self._pin is not None
        for static in self.query("#pin-value").results(Static):
            static.update(self._pin_text())

    def custom_headers(self) -> list[tuple[str, str]]:
        rows = [*self.query(HeaderRow), *self._unmounted_rows]
        return [h for row in rows if (h := row.header) is not None]

    def add_row(self, name: str = "", value: str = "") -> HeaderRow:
        row = HeaderRow(name, value)
        add = next(iter(self.query("#add-header")), None)
        if add is None:
            self._unmounted_rows.append(row)
        else:
            self.mount(row, before=add)
        self.show_auth_source()
        return row

    def set_rows(self, headers: list[tuple[str, str]]) -> None:
        """Replace the user's rows (the managed Authorization and pin rows stay)."""
        for row in list(self.query(HeaderRow)):
            row.discard()
        self._unmounted_rows = []
        for name, value in headers:
            self.add_row(name, value)
        self.show_auth_source()

    @on(Input.Changed, ".header-name, .header-value")
    @on(Checkbox.Changed, ".header-enabled")
    def _row_changed(self) -> None:
        self.show_auth_source()

    @on(Checkbox.Changed, "#auth-enabled")
    def _auth_toggled(self, event: Checkbox.Changed) -> None:
        event.stop()
        self._send_auth = event.value

    @on(Button.Pressed, "#add-header")
    def _add(self, event: Button.Pressed) -> None:
        event.stop()
        row = self.add_row()
        self.call_after_refresh(lambda: row.query_one(".header-name", Input).focus())

    @on(Checkbox.Changed, "#pin-enabled")
    def _pin_toggled(self, event: Checkbox.Changed) -> None:
        event.stop()
        self.post_message(self.PinToggled(self, event.value))
