"""The response pane's Schema tab: what checking the answer against its documented schema found.

A summary line (checked against what, conforms or how many problems, or why nothing was checked) over
an ``OptionList`` of problems: the errors (pointer, message), then the undocumented properties apart.
Choosing one (enter or a click) posts ``SchemaView.Jump`` with its JSON pointer; the pane turns it into
a body line. The check itself is the core's (``labs_tui.client.check_response``); pointers and messages
carry server text and are shown literally.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.message import Message
from textual.widget import Widget
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from labs_tui.tui.text import literal

if TYPE_CHECKING:
    from labs_tui.client import Validation

__all__ = ["SchemaView", "schema_summary"]


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def schema_summary(validation: Validation | None, checking: bool = False) -> Text:
    """One line: what the answer was checked against and the outcome."""
    if checking:
        return Text("checking the body against the spec…", style="italic")
    if validation is None:
        return Text("The spec documents no JSON schema for this answer: nothing to check.", style="dim")
    against = literal(validation.schema, "bold")
    if validation.skipped is not None:
        return Text.assemble(
            "Not checked: ", literal(validation.skipped), " (the spec documents ", against, ")"
        )
    variants = f" (matches {', '.join(validation.variants)})" if validation.variants else ""
    if validation.errors:
        count = _plural(len(validation.errors), "schema problem")
        if validation.more_errors:
            count = f"{len(validation.errors)}+ schema problems (the first {len(validation.errors)} listed)"
        outcome = Text(count, style="bold yellow")
    else:
        outcome = Text("conforms", style="bold green")
    line = Text.assemble("Checked against ", against, literal(variants), ": ", outcome)
    if validation.undocumented:
        line.append(f" · {_plural(len(validation.undocumented), 'undocumented property')}")
        line.append(" (listed apart)")
    if validation.walk_cut:
        line.append(" · the walk for undocumented properties stopped early", style="dim")
    return line


class SchemaView(Widget):
    """``show(validation)`` lists the problems; ``pointers[i]`` is the pointer of option ``i``."""

    DEFAULT_CSS = """
    SchemaView { height: 1fr; layout: vertical; }
    SchemaView > #schema-summary { height: auto; padding: 0 1; }
    SchemaView > OptionList { height: 1fr; border: none; }
    """

    class Jump(Message):
        """The user chose the problem at ``pointer``: show that value in the body."""

        def __init__(self, view: SchemaView, pointer: str) -> None:
            super().__init__()
            self.view = view
            self.pointer = pointer

        @property
        def control(self) -> SchemaView:
            return self.view

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.pointers: list[str | None] = []
        self.summary = ""
        self._pending: tuple[Validation | None, bool, str | None] | None = None
        self._ready = False

    def compose(self) -> ComposeResult:
        yield Static("", id="schema-summary")
        yield OptionList(id="schema-problems")

    @property
    def problems(self) -> OptionList:
        return self.query_one("#schema-problems", OptionList)

    def on_mount(self) -> None:
        self._ready = True
        if self._pending is not None:
            validation, checking, note = self._pending
            self._pending = None
            self.show(validation, checking=checking, note=note)

    def show(self, validation: Validation | None, *, checking: bool = False, note: str | None = None) -> None:
        """List ``validation``'s problems; ``note`` replaces the summary (why there is nothing to check).

        Before the view is mounted, what to show is kept and shown when it is.
        """
        if not self._ready:
            self._pending = (validation, checking, note)
            return
        summary = Text(note, style="dim") if note is not None else schema_summary(validation, checking)
        self.summary = summary.plain
        self.query_one("#schema-summary", Static).update(summary)
        options: list[Option] = []
        self.pointers = []
        if validation is not None and validation.skipped is None:
            for problem in validation.errors:
                where = problem.path or "(root)"
                label = Text.assemble(
                    ("✗ ", "bold yellow"), literal(where, "bold"), "  ", literal(problem.message)
                )
                options.append(Option(label))
                self.pointers.append(problem.path)
            if validation.undocumented:
                heading = "Undocumented: properties the schema does not list (allowed, but not documented)"
                options.append(Option(Text(heading, style="dim italic"), disabled=True))
                self.pointers.append(None)
                for pointer in validation.undocumented:
                    options.append(Option(Text.assemble(("? ", "dim"), literal(pointer, "bold"))))
                    self.pointers.append(pointer)
        problems = self.problems
        problems.clear_options()
        problems.add_options(options)
        if options:
            problems.highlighted = 0

    @on(OptionList.OptionSelected, "#schema-problems")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        pointer = self.pointers[event.option_index] if event.option_index < len(self.pointers) else None
        if pointer is not None:
            self.post_message(self.Jump(self, pointer))
