"""Saved requests in the app: save the builder as a file, browse the collection, open one, import curl.

The file format and its reading live in ``labs_tui.store.collection``; curl parsing in
``labs_tui.client.curl``; ``${NAME}`` filling in ``labs_tui.client.variables``. This module turns the
builder's ``Draft`` into a ``SavedRequest`` and back, and holds ``CollectionScreen``, the browser
(enter opens the highlighted file). Nothing secret is saved: the token is never part of a draft's
headers, and ``save_request`` drops any credential header that is.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from labs_tui.client import form_arg
from labs_tui.spec import DEFAULT_VERSION_HEADER
from labs_tui.store import CollectionError, SavedRequest, default_collection_dir
from labs_tui.tui.screens.dialogs import DIALOG_CSS
from labs_tui.tui.text import inert_line, literal

if TYPE_CHECKING:
    from labs_tui.tui.screens.main import MainScreen
    from labs_tui.tui.settings import Settings
    from labs_tui.tui.widgets.request.pane import Draft

__all__ = [
    "CollectionScreen",
    "collection_dir",
    "variable_values",
    "import_curl",
    "open_saved",
    "save_current",
    "saved_from_draft",
]


def collection_dir(settings: Settings) -> Path:
    """``--collection DIR`` (or the folder of ``--open FILE``), else ``<data dir>/collection``."""
    chosen = settings.collection_dir
    return Path(chosen) if chosen is not None else default_collection_dir()


# -- variables -----------------------------------------------------------------------------------------


def variable_values(settings: Settings) -> dict[str, str]:
    """What ``${NAME}`` is filled from: the environment over the collection's ``.env``."""
    from labs_tui.store import dotenv_values

    return {**dotenv_values(collection_dir(settings)), **settings.env}


# -- builder <-> file ----------------------------------------------------------------------------------


def saved_from_draft(name: str, draft: Draft, profile_name: str | None) -> SavedRequest:
    """What a draft saves as: its operation, params, headers (never the token), body, pin, profile."""
    operation = draft.operation
    # Never the token; for a form, not the Content-Type the builder made for it (its boundary is this
    # session's: a reopened form builds its own).
    made = ("authorization", "content-type") if draft.form else ("authorization",)
    headers = tuple((n, v) for n, v in draft.headers if n.lower() not in made)
    # A multipart body is kept as its fields (a file as its path), never as the bytes sent.
    body = draft.body.decode("utf-8", errors="replace") if draft.body is not None and not draft.form else None
    return SavedRequest(
        name=name,
        method=operation.method,
        path=operation.path,
        operation=operation.operation_id or None,
        path_params=dict(draft.path_params),
        query=tuple(draft.query.items()),
        headers=headers,
        body=body,
        pin=draft.pin,
        profile=profile_name,
        form=tuple((part.name, form_arg(part)) for part in draft.form),  # as curl -F writes them
    )


def save_current(main: MainScreen) -> None:
    """Palette "Save request": ask a name, then write the builder's request into the collection."""
    from labs_tui.tui.screens.dialogs import PromptScreen

    draft = main.request.collect()
    if isinstance(draft, list):
        main.notify("; ".join(draft), title="not saved", severity="warning")
        return
    folder = collection_dir(main.labs.settings)
    profile = main.labs.profile
    suggestion = draft.operation.operation_id or draft.operation.path

    def named(name: str | None) -> None:
        if not name:
            return
        from labs_tui.store import save_request

        saved = saved_from_draft(name, draft, profile.name if profile is not None else None)
        try:
            path = save_request(saved, folder)
        except CollectionError as error:
            main.notify(str(error), title="not saved", severity="error")
            return
        main.notify(inert_line(str(path)), title="request saved (no token)")

    main.app.push_screen(
        PromptScreen(
            "Save request",
            f"A name for this request; saved as a YAML file in {folder} (never with the token).",
            value=suggestion,
            required="a name is needed: the request is saved as <name>.yaml",
        ),
        named,
    )


def open_saved(main: MainScreen, saved: SavedRequest, *, notice: str | None = None, whose: str = "") -> bool:
    """Fill the builder with ``saved``: its operation opened, params, headers, body and pin set.

    The core's ``open_request`` matches it (a URL under the profile's base URL by its path, else by
    the longest suffix the spec serves) and drops any value for the operation's apiKey parameters,
    with a notice; no toast shows such a value."""
    from labs_tui.store import open_request

    spec = main.labs.spec
    if spec is None:
        main.notify("the spec is still loading", severity="warning")
        return False
    profile = main.labs.profile
    base_url = profile.base_url if profile is not None else None
    opened = open_request(spec, saved, base_url=base_url, anywhere=True, whose=whose or "the saved request's")
    clean, operation = opened.saved, opened.operation
    if operation is None:
        main.notify(
            inert_line(opened.masked(f"the spec has no {saved.method} for {clean.path}")),
            title="not opened",
            severity="warning",
        )
        return False
    params = dict(opened.path_params)
    params.update(clean.path_params)
    query = dict(opened.query)
    query.update(dict(clean.query))
    main.open_operation(operation)
    main.request.set_pin(clean.pin)
    main.call_after_refresh(
        main.request.fill, params, query, list(clean.headers), _body(clean.body), clean.form
    )
    if saved.profile and profile is not None and saved.profile != profile.name:
        main.notify(
            f"saved with profile {saved.profile}; it is sent with {profile.name}", severity="information"
        )
    shown = opened.masked(notice or f"{clean.method} {clean.path}")
    main.notify(inert_line(shown), title=f"opened: {saved.name}")
    title = "curl import" if whose == "the command's" else "opened"
    for remark in opened.notices:  # as the curl import's dropped Authorization header is told
        main.notify(remark, title=title, severity="information")
    return True


def _body(body: str | None) -> bytes | None:
    return body.encode("utf-8") if body is not None else None


def import_curl(main: MainScreen, command: str) -> bool:
    """Palette "Import curl": the command's method, URL, headers and body into the builder.

    A literal bearer token is dropped (the profile's is sent, with a toast saying so); a URL on another
    host than the profile's is opened for the profile's host, so that host never gets the token.
    """
    from urllib.parse import urlsplit

    from labs_tui.client import CurlError, parse_curl, token_allowed
    from labs_tui.store import from_curl

    try:
        parsed = parse_curl(command)
    except CurlError as error:
        main.notify(str(error), title="not imported", severity="warning")
        return False
    spec = main.labs.spec
    version_header = spec.version_header if spec is not None else DEFAULT_VERSION_HEADER
    saved = from_curl(parsed, version_header, keep_credentials=True)  # open_saved drops them
    profile = main.labs.profile
    notes = list(parsed.notices)
    if profile is not None and profile.base_url is not None and not token_allowed(profile, parsed.url):
        host = urlsplit(parsed.url).netloc
        notes.append(
            f"the command calls {host}, not a host of profile {profile.name} "
            f"({urlsplit(profile.base_url).netloc}): opened for the profile's host; "
            f"the token never goes to {host}"
        )
    if not open_saved(main, saved, whose="the command's"):  # the toast shows the URL without a dropped key
        return False
    for note in notes:
        main.notify(note, title="curl import", severity="warning" if "calls" in note else "information")
    return True


# -- the browser ---------------------------------------------------------------------------------------


class CollectionScreen(ModalScreen[SavedRequest | None]):
    """The collection's files, one line each (name, method, path; or why it cannot be read); enter opens."""

    DEFAULT_CSS = (
        DIALOG_CSS.format(name="CollectionScreen")
        + """
    CollectionScreen OptionList { height: auto; max-height: 20; }
    """
    )
    BINDINGS = [Binding("escape", "close", "back")]

    def __init__(self, folder: Path) -> None:
        super().__init__()
        self.folder = folder
        self.entries: list[tuple[Path, SavedRequest | CollectionError]] = []

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(literal(f"Saved requests in {self.folder}"), classes="dialog-title")
            yield Static("", id="collection-note")
            yield OptionList(id="collection-list")

    def on_mount(self) -> None:
        from labs_tui.store import list_requests

        self.entries = list_requests(self.folder)
        options = self.query_one(OptionList)
        for index, (path, entry) in enumerate(self.entries):
            if isinstance(entry, SavedRequest):
                line = Text.assemble(
                    literal(entry.name, "bold"), "  ", literal(f"{entry.method} {entry.path}"), "  "
                )
                line.append_text(literal(path.name, "dim"))
                options.add_option(Option(line, id=str(index)))
            else:
                options.add_option(
                    Option(literal(f"{path.name}: {entry}", "dim"), id=str(index), disabled=True)
                )
        note = (
            "enter opens in the builder; esc goes back"
            if self.entries
            else ("No saved requests yet: ctrl+p, Save request writes one here.")
        )
        self.query_one("#collection-note", Static).update(literal(note))
        readable = [i for i, (_, entry) in enumerate(self.entries) if isinstance(entry, SavedRequest)]
        if readable:
            options.highlighted = readable[0]
        options.focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        entry = self.entries[int(event.option.id or 0)][1]
        if isinstance(entry, SavedRequest):
            self.dismiss(entry)

    def action_close(self) -> None:
        self.dismiss(None)


def open_collection(main: MainScreen) -> None:
    """Palette "Open saved request": the browser, then the chosen file into the builder."""

    def chosen(saved: SavedRequest | None) -> None:
        if saved is not None:
            open_saved(main, saved)

    main.app.push_screen(CollectionScreen(collection_dir(main.labs.settings)), chosen)


def prompt_curl(main: MainScreen) -> None:
    """Palette "Import curl": a dialog to paste a command into, then ``import_curl``."""
    from labs_tui.tui.screens.dialogs import CurlImportScreen

    def pasted(command: str | None) -> None:
        if command:
            import_curl(main, command)

    main.app.push_screen(CurlImportScreen(), pasted)
