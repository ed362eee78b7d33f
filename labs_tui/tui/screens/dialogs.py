"""Small typed dialogs: a one-line prompt (masked for the token), a yes/no confirmation, a text viewer,
and the curl import box.

Each is a ``ModalScreen[T]`` closed with ``dismiss(value)``; none reaches into the screen below.
The token prompt keeps its value in memory only and masks it as it is typed.
"""

from __future__ import annotations

from collections.abc import Callable

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static, TextArea

from labs_tui.tui.text import inert, literal

DIALOG_CSS = """
{name} {{ align: center middle; }}
{name} > Vertical {{
    width: 80%; max-width: 100; height: auto; max-height: 80%;
    border: thick $accent; background: $surface; padding: 1 2;
}}
{name} .dialog-title {{ text-style: bold; margin: 0 0 1 0; }}
{name} .dialog-buttons {{ height: auto; margin: 1 0 0 0; align-horizontal: right; }}
{name} .dialog-buttons Button {{ margin: 0 0 0 1; }}
"""


class PromptScreen(ModalScreen[str | None]):
    """Ask for one line (masked for secrets); None when the user cancels or leaves it blank.

    ``value`` is a suggestion the field starts with (selected: typing replaces it, an arrow key keeps
    it), so Enter accepts it; a ``placeholder`` is only a hint and is never returned. With ``required``
    a blank value keeps the dialog open with that message instead of closing it.
    """

    DEFAULT_CSS = DIALOG_CSS.format(name="PromptScreen")
    BINDINGS = [Binding("escape", "cancel", "cancel")]

    def __init__(
        self,
        title: str,
        note: str,
        *,
        password: bool = False,
        placeholder: str = "",
        check: Callable[[str], str | None] | None = None,
        value: str = "",
        required: str | None = None,
    ) -> None:
        super().__init__()
        self._value = value
        self._required = required
        self._title = title
        self._note = note
        self._password = password
        self._placeholder = placeholder
        self._check = check  # value -> why it is refused (the dialog stays open), or None

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(literal(self._title), classes="dialog-title")
            yield Static(literal(self._note))
            yield Input(
                self._value, password=self._password, placeholder=self._placeholder, id="prompt-input"
            )
            yield Static("", id="prompt-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("OK", id="ok", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#prompt-input", Input).focus()

    @on(Input.Submitted, "#prompt-input")
    @on(Button.Pressed, "#ok")
    def _submit(self) -> None:
        value = self.query_one("#prompt-input", Input).value.strip()
        problem = self._check(value) if self._check is not None and value else None
        if not value and self._required:
            problem = self._required
        if problem:
            self.query_one("#prompt-error", Static).update(literal(problem))
            return
        self.dismiss(value or None)

    @on(Input.Changed, "#prompt-input")
    def _edited(self) -> None:
        self.query_one("#prompt-error", Static).update("")  # a refusal is about the text it saw

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


def _token_problem(value: str) -> str | None:
    from labs_tui.client import ProfileError, check_token

    try:
        check_token(value, "this token")
    except ProfileError as error:
        return str(error)
    return None


def token_prompt(target: str, env_var: str | None, *, one_off: bool = False) -> PromptScreen:
    """The masked token prompt for ``target`` (``profile NAME``, or a URL): in memory for the session only.

    A token with whitespace, control or non-ASCII characters is refused in the dialog (which
    says so without showing it) and never reaches a request.
    """
    if env_var:
        where = f"{env_var} is not set."
    elif one_off:
        where = "A server or URL picked here gets no token from the environment, only one typed here."
    else:
        where = "This profile names no token variable (token_env), so none is sent unless you give one."
    return PromptScreen(
        f"API token for {target}",
        f"{where} Paste a token, or leave it blank for none: it stays in memory for this session "
        "and is never written to disk.",
        password=True,
        placeholder="token",
        check=_token_problem,
    )


class ConfirmScreen(ModalScreen[bool]):
    """A yes/no question; Enter on the focused button, Escape for no."""

    DEFAULT_CSS = DIALOG_CSS.format(name="ConfirmScreen")
    BINDINGS = [Binding("escape", "no", "no")]

    def __init__(self, question: str, yes: str = "Yes") -> None:
        super().__init__()
        self._question = question
        self._yes = yes

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(literal(self._question))
            with Horizontal(classes="dialog-buttons"):
                yield Button("No", id="no")
                yield Button(self._yes, id="yes", variant="warning")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    @on(Button.Pressed, "#yes")
    def _yes_pressed(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#no")
    def action_no(self) -> None:
        self.dismiss(False)


class TextScreen(ModalScreen[None]):
    """Shows text the app just copied, selectable, for terminals that do not pass the clipboard through."""

    DEFAULT_CSS = (
        DIALOG_CSS.format(name="TextScreen")
        + """
    TextScreen TextArea { height: auto; max-height: 24; }
    """
    )
    BINDINGS = [Binding("escape", "close", "close")]

    def __init__(self, title: str, text: str, note: str = "") -> None:
        super().__init__()
        self._title = title
        self._text = text
        self._note = note

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(literal(self._title), classes="dialog-title")
            if self._note:
                yield Static(literal(self._note))
            yield TextArea(inert(self._text), read_only=True, soft_wrap=True, id="copied-text")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Close", id="close", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#close", Button).focus()

    @on(Button.Pressed, "#close")
    def action_close(self) -> None:
        self.dismiss(None)


class CurlImportScreen(ModalScreen[str | None]):
    """Paste a curl command (``\\`` continuations welcome); ctrl+s or Import takes it, escape cancels."""

    DEFAULT_CSS = (
        DIALOG_CSS.format(name="CurlImportScreen")
        + """
    CurlImportScreen TextArea { height: 10; }
    """
    )
    BINDINGS = [Binding("escape", "cancel", "cancel"), Binding("ctrl+s", "submit", "import")]

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Import curl", classes="dialog-title")
            yield Static(
                "Paste a curl command: its method, URL, headers and body fill the builder. A bearer token "
                "in it is dropped (the profile's token is sent) and never saved. ctrl+s imports."
            )
            yield TextArea("", soft_wrap=True, id="curl-text")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Import", id="import", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#curl-text", TextArea).focus()

    @on(Button.Pressed, "#import")
    def action_submit(self) -> None:
        self.dismiss(self.query_one("#curl-text", TextArea).text.strip() or None)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
