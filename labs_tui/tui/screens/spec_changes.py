"""The "Spec changes" screen: what changed between another version of the spec and the loaded one.

Asked for from the palette: ``ask_and_open`` prompts for a file or URL (the small ``PromptScreen``),
``open_since_last_looked`` compares the copy of a URL spec cached before its last change. The other
spec is loaded and diffed in a thread worker (``labs_tui.compare.diff_specs``); the screen lists the
operations removed, added and changed, breaking ones marked, and enter opens an operation of the
loaded spec in the builder. Every name and value is spec text, shown through ``tui.text.literal``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from labs_tui.tui.screens.base import LabsScreen
from labs_tui.tui.text import literal_line

if TYPE_CHECKING:
    from labs_tui.compare import SpecDiff
    from labs_tui.spec import Spec


@dataclass
class Compared(Message):
    """The worker's answer: the diff, or a one-line error."""

    result: SpecDiff | None
    error: str = ""


def _rows(result: SpecDiff) -> list[tuple[Text, str | None]]:
    """One option per operation: its heading and changes; the id is "METHOD PATH" when it can open."""
    rows: list[tuple[Text, str | None]] = []
    for endpoint in result.removed:
        text = Text("BREAKING ", style="bold red") + Text("removed  ") + literal_line(endpoint.key)
        rows.append((text, None))
    for entry in result.changed:
        text = Text()
        if entry.breaking:
            text.append(f"BREAKING ({entry.breaking}) ", style="bold red")
        text.append_text(literal_line(entry.key, style="bold"))
        for change in entry.changes:
            text.append("\n  ")
            text.append("! " if change.breaking else "  ", style="bold red")
            text.append(change.kind)
            text.append("  ")
            text.append_text(literal_line(change.where))
            detail = change.detail()
            if detail:
                text.append("  ")
                text.append_text(literal_line(detail, style="dim", limit=120))
        rows.append((text, entry.key))
    for endpoint in result.added:
        rows.append((Text("added    ", style="green") + literal_line(endpoint.key), endpoint.key))
    return rows


class SpecChangesScreen(LabsScreen[None]):
    """Operations of ``source`` against the loaded spec, breaking first; enter opens one."""

    CSS_PATH = "spec_changes.tcss"
    BINDINGS = [Binding("escape", "app.pop_screen", "back")]

    def __init__(self, current: Spec, source: str, *, label: str | None = None) -> None:
        super().__init__()
        self.current = current
        self.source = source
        self.label = label or source
        self.result: SpecDiff | None = None

    def compose(self) -> ComposeResult:
        yield Static(literal_line(f"Spec changes: {self.label} -> the loaded spec"), id="spec-changes-title")
        yield Static(literal_line(f"loading {self.label}..."), id="spec-changes-status")
        yield OptionList(id="spec-changes-list")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()
        self._compare(self.source, self.current)

    @work(thread=True, exclusive=True, group="spec-diff", exit_on_error=False)
    def _compare(self, source: str, current: Spec) -> None:
        from labs_tui.compare import diff_specs
        from labs_tui.spec import SpecError, load_spec

        try:
            other = load_spec(source)
            self.post_message(Compared(diff_specs(other, current)))
        except SpecError as error:
            self.post_message(Compared(None, str(error)))
        except Exception as error:  # noqa: BLE001 - shown as one line; never a traceback on screen
            self.post_message(Compared(None, f"{type(error).__name__}: {error}"))

    @on(Compared)
    def _compared(self, message: Compared) -> None:
        status = self.query_one("#spec-changes-status", Static)
        if message.result is None:
            status.update(literal_line(f"could not compare: {message.error}"))
            status.add_class("error")
            return
        result = self.result = message.result
        if result.empty:
            status.update("no changes")
            return
        status.update(
            f"{len(result.removed)} removed, {len(result.added)} added, {len(result.changed)} changed; "
            f"{result.breaking_count} breaking. Enter opens an operation, escape goes back."
        )
        options = self.query_one(OptionList)
        options.add_options([Option(text, id=key) for text, key in _rows(result)])
        options.highlighted = 0

    @on(OptionList.OptionSelected, "#spec-changes-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        key = event.option.id
        operation = self.current.find(key) if key else None
        if operation is None:
            self.notify("that operation is not in the loaded spec", severity="warning")
            return
        from labs_tui.tui.screens.main import MainScreen

        self.app.pop_screen()
        for screen in reversed(self.app.screen_stack):
            if isinstance(screen, MainScreen):
                screen.open_operation(operation)
                break


def ask_and_open(app: Any) -> None:
    """Ask for the other spec (file or URL), then open the screen comparing it with the loaded one."""
    from labs_tui.tui.screens.dialogs import PromptScreen

    current = app.spec
    if current is None:
        app.notify("no spec is loaded", severity="warning")
        return

    def chosen(source: str | None) -> None:
        if source:
            app.push_screen(SpecChangesScreen(current, source))

    app.push_screen(
        PromptScreen(
            "Spec changes",
            "Compare the loaded spec with another version of it: a file path or an http(s) URL.",
            placeholder="old spec: path or URL",
        ),
        chosen,
    )


def previous_copy(current: Spec | None) -> Path | None:
    """The copy of the loaded URL spec cached before its last change, if a revalidation kept one."""
    if current is None or not current.source.lower().startswith(("http://", "https://")):
        return None
    from labs_tui.spec import previous_copy as find

    return find(current.source)


def open_since_last_looked(app: Any) -> None:
    """Compare the copy cached before the spec URL last changed with the loaded spec."""
    path = previous_copy(app.spec)
    if path is None:
        app.notify("no earlier copy of this spec is kept", severity="warning")
        return
    app.push_screen(SpecChangesScreen(app.spec, str(path), label="the copy you last looked at"))
