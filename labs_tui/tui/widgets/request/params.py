"""The Params tab: one row per path, query, header and cookie parameter the spec declares, and
query parameters the user adds ("+ add" at the end of the list).

Rows show what the spec says (required, type, enum, default) and check values before sending; a
row showing a message checks its value again as it is edited (debounced) and clears the message
once the value is fine. The pin header is left to the pin select, so it is not repeated here. Spec
text is shown literally.
Values are typed as text (arrays ``x, y``; objects ``a=1, b=2``); the request pane serialises them
by the parameter's ``style``/``explode``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Button, Input, Label, Select, Static

from labs_tui.client import FieldError
from labs_tui.spec import Parameter
from labs_tui.tui.text import inert_line, literal
from labs_tui.tui.widgets.request.draft import param_hint, validate_param


class HintInput(Input):
    """An ``Input`` whose placeholder (a spec's example or default, made inert) is cut to the field's width.

    Textual wraps a placeholder longer than the field at word boundaries and shows only the first line,
    so ``e.g. <a long example>`` read as ``e.g.``; cut with an ellipsis, the example stays readable.
    """

    def __init__(self, hint: str, **kwargs: Any) -> None:
        self.hint = inert_line(hint)
        super().__init__(placeholder=self.hint, **kwargs)

    def on_resize(self) -> None:
        width = self.content_size.width
        if width > 0:
            self.placeholder = inert_line(self.hint, limit=max(width - 1, 4))


RECHECK_S = 0.25
"""Quiet time after a keystroke before a row's message is checked again (the body's problems line
waits as long)."""


class ParamRow(Vertical):
    """One parameter: its label and hint, an input (a select for enums), and its error line."""

    DEFAULT_CSS = """
    ParamRow { height: auto; margin: 0 0 1 0; }
    ParamRow Horizontal { height: auto; }
    ParamRow .param-name { width: 28; padding: 1 1 0 0; }
    ParamRow Input, ParamRow Select { width: 1fr; }
    ParamRow .param-hint { color: $text-muted; padding: 0 0 0 28; }
    ParamRow .param-error { color: $error; padding: 0 0 0 28; display: none; }
    ParamRow.-invalid .param-error { display: block; }
    """

    def __init__(self, param: Parameter, schema: Mapping[str, Any], index: int) -> None:
        super().__init__()
        self.param = param
        self.schema = schema
        self.index = index
        self._recheck: Timer | None = None

    def compose(self) -> ComposeResult:
        name = Text.assemble(literal(self.param.name), ("*" if self.param.required else "", "bold red"))
        name.append(f" {self.param.location}", style="dim")
        with Horizontal():
            yield Label(name, classes="param-name")
            enum = self.schema.get("enum")
            default = self.schema.get("default")
            if isinstance(enum, list) and enum and len(enum) <= 50:
                choices = [(literal(str(v)), str(v)) for v in enum]
                yield Select(
                    choices,
                    allow_blank=True,
                    value=str(default)
                    if default is not None and str(default) in [c[1] for c in choices]
                    else Select.NULL,
                    prompt="(not sent)",
                    id=f"param-{self.index}",
                )
            else:
                placeholder = ""
                if default is not None:
                    placeholder = f"default {default}"
                elif self.param.has_example:
                    placeholder = f"e.g. {self.param.example}"
                # A placeholder is drawn as given: the spec's example or default goes in inert. A path
                # parameter's default is its value: a server cannot apply a default to a path segment.
                path_default = self.param.location == "path" and default is not None
                value = inert_line(str(default)) if path_default else ""
                yield HintInput(placeholder, value=value, id=f"param-{self.index}")
        hint = param_hint(self.schema)
        if self.param.description:
            hint += " · " + " ".join(self.param.description.split())
        yield Static(literal(hint), classes="param-hint")
        yield Static("", classes="param-error")

    @property
    def value(self) -> str:
        found = self.query(f"#param-{self.index}")
        if not found:  # mounted but not composed yet (opened from the palette): nothing typed in it
            return ""
        control = found.first()
        if isinstance(control, Select):
            return "" if control.value is Select.NULL else str(control.value)
        assert isinstance(control, Input)
        return control.value

    @value.setter
    def value(self, value: str) -> None:
        """Fill the control; an enum value the schema does not offer is ignored."""
        control = self.query_one(f"#param-{self.index}")
        if isinstance(control, Select):
            if value == "":
                control.clear()  # not sent
            elif value in [str(option) for option in self.schema.get("enum", [])]:
                control.value = value
        else:
            assert isinstance(control, Input)
            control.value = value
        self._schedule_recheck()  # filled from the URL line (its Changed is held back) or a file

    def show_error(self, message: str | None) -> None:
        self.set_class(message is not None, "-invalid")
        self.query_one(".param-error", Static).update(literal(message or ""))

    @on(Input.Changed)
    @on(Select.Changed)
    def _edited(self, event: Input.Changed | Select.Changed) -> None:
        # Not stopped: the request pane listens to the same event to keep the URL line in step.
        if event.control.id == f"param-{self.index}":
            self._schedule_recheck()

    def _schedule_recheck(self) -> None:
        """A message on screen is about an older value: check the value again once typing pauses."""
        if not self.has_class("-invalid"):
            return
        if self._recheck is not None:
            self._recheck.stop()
        self._recheck = self.set_timer(RECHECK_S, self._check_again)

    def _check_again(self) -> None:
        self._recheck = None
        if self.has_class("-invalid"):
            self.show_error(validate_param(self.param, self.schema, self.value))


class ExtraParamRow(Horizontal):
    """A query parameter the spec does not list: name, value, remove."""

    DEFAULT_CSS = """
    ExtraParamRow { height: 1; margin: 0 0 1 0; }
    ExtraParamRow .extra-name { width: 27; margin: 0 1 0 0; }
    ExtraParamRow .extra-value { width: 1fr; }
    ExtraParamRow Button { min-width: 3; width: 3; margin: 0 0 0 1; }
    """

    def __init__(self, name: str = "", value: str = "") -> None:
        super().__init__()
        self._initial = (name, value)
        self.gone = False  # removed (the removal itself completes later)

    def compose(self) -> ComposeResult:
        name, value = self._initial
        yield Input(name, placeholder="name", classes="extra-name", compact=True)
        yield Input(value, placeholder="value", classes="extra-value", compact=True)
        yield Button("x", classes="extra-remove", compact=True, tooltip="remove this parameter")

    @property
    def pair(self) -> tuple[str, str] | None:
        if self.gone:
            return None
        if not self.is_mounted or not self.query(".extra-name"):
            name, value = self._initial
        else:
            name = self.query_one(".extra-name", Input).value
            value = self.query_one(".extra-value", Input).value
        return (name.strip(), value) if name.strip() else None

    @on(Button.Pressed, ".extra-remove")
    def _remove(self, event: Button.Pressed) -> None:
        event.stop()
        parent = self.parent
        self.gone = True
        self.remove()
        if parent is not None:
            parent.post_message(ParamsForm.ExtrasChanged())


class ParamsForm(VerticalScroll, can_focus=False):
    """Parameters of the open operation; ``values()`` and ``validate()`` are read by the request pane."""

    DEFAULT_CSS = """
    ParamsForm { height: 1fr; padding: 0 1; }
    ParamsForm .params-empty { color: $text-muted; }
    """

    class ExtrasChanged(Message):
        """A row the user added was removed (edits to rows arrive as ``Input.Changed``)."""

    def set_params(self, params: Iterable[tuple[Parameter, Mapping[str, Any]]]) -> None:
        self.remove_children()
        rows: list[Widget] = [ParamRow(param, schema, index) for index, (param, schema) in enumerate(params)]
        if not rows:
            rows.append(Static("This endpoint declares no parameters.", classes="params-empty"))
        rows.append(Button("+ add query parameter", classes="add-param", compact=True))
        self.mount_all(rows)

    def extras(self) -> list[tuple[str, str]]:
        """The query parameters the user added, in order."""
        return [pair for row in self.query(ExtraParamRow) if (pair := row.pair) is not None]

    def set_extras(self, pairs: list[tuple[str, str]]) -> None:
        """Make the added rows hold ``pairs`` (rows are reused so a row being typed in keeps focus)."""
        rows = [row for row in self.query(ExtraParamRow) if not row.gone]
        for row, (name, value) in zip(rows, pairs, strict=False):
            for selector, text in ((".extra-name", name), (".extra-value", value)):
                found = row.query(selector)
                if found and found.first(Input).value != text:
                    found.first(Input).value = text
                elif not found:
                    row._initial = (name, value)
        for row in rows[len(pairs) :]:
            if row.pair is not None:  # a row still being named stays
                row.remove()
        if len(pairs) > len(rows):
            add = self.query(".add-param")
            new = [ExtraParamRow(name, value) for name, value in pairs[len(rows) :]]
            if add:
                self.mount_all(new, before=add.first())
            else:
                self.mount_all(new)

    def row_values(self) -> list[tuple[Parameter, Mapping[str, Any], str]]:
        return [(row.param, row.schema, row.value) for row in self.rows]

    @on(Button.Pressed, ".add-param")
    def _add(self, event: Button.Pressed) -> None:
        event.stop()
        row = ExtraParamRow()
        self.mount(row, before=event.button)
        self.call_after_refresh(lambda: row.query_one(".extra-name", Input).focus())

    @property
    def rows(self) -> list[ParamRow]:
        return list(self.query(ParamRow))

    def values(self) -> dict[str, dict[str, str]]:
        """Filled values by location: ``{"path": {...}, "query": {...}, "header": {...}}``."""
        out: dict[str, dict[str, str]] = {"path": {}, "query": {}, "header": {}, "cookie": {}}
        for row in self.rows:
            if row.value != "":
                out.setdefault(row.param.location, {})[row.param.name] = row.value
        return out

    def fill(self, values: Mapping[str, Mapping[str, str]]) -> set[str]:
        """Fill rows from ``{"path": {...}, "query": {...}, "header": {...}}`` (header names in any
        case); returns the lower-cased names of the header params this form owns."""
        headers = {name.lower(): value for name, value in values.get("header", {}).items()}
        owned: set[str] = set()
        for row in self.rows:
            location, name = row.param.location, row.param.name
            if location == "header":
                owned.add(name.lower())
                value = headers.get(name.lower())
            else:
                value = values.get(location, {}).get(name)
            if value is not None:
                row.value = value
        return owned

    def validate(self, *, skip: tuple[str, ...] = ()) -> list[str]:
        """Marks each invalid row and returns the reasons (empty when all is well); rows whose ``in``
        is in ``skip`` are not judged (what the URL line says goes as typed)."""
        problems: list[str] = []
        for row in self.rows:
            problem = None if row.param.location in skip else validate_param(row.param, row.schema, row.value)
            row.show_error(problem)
            if problem:
                problems.append(problem)
        return problems

    def mark_field_errors(self, errors: Iterable[FieldError]) -> list[FieldError]:
        """Puts the server's fieldErrors beside the params they name; returns the ones that name none."""
        by_name = {row.param.name: row for row in self.rows}
        unplaced: list[FieldError] = []
        for error in errors:
            row = by_name.get(error.field)
            if row is None:
                unplaced.append(error)
            else:
                row.show_error(f"server: {error.message}")
        return unplaced
