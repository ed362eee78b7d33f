"""The response pane's schema check: each answer checked against its documented schema, off the UI thread.

Each answer from an operation of the spec is checked by the core (``check_response``) in a thread worker,
with the body lines of each problem found there too (``lines.pointer_lines``): the pane's title then says
``N schema problem(s)`` (nothing when the body conforms) and the Schema tab (``schema_tab.SchemaView``,
built when first shown) lists them; choosing one puts the Body tab's cursor on its line.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual import on, work
from textual.message import Message
from textual.widget import Widget

from labs_tui.client import CallResult
from labs_tui.tui.widgets.tabs import Tabbed

if TYPE_CHECKING:
    from labs_tui.client import Validation
    from labs_tui.spec import Operation, Spec
    from labs_tui.tui.widgets.response.body_view import BodyView
    from labs_tui.tui.widgets.response.pane import ResponsePane
    from labs_tui.tui.widgets.response.schema_tab import SchemaView

__all__ = ["SchemaCheck"]


class SchemaCheck(Widget):
    """The schema check of ``ResponsePane`` (a base class of it, not a widget of its own)."""

    spec: Spec | None
    result: CallResult | None
    validation: Validation | None
    schema_state: str
    _schema_lines: dict[str, int]
    _schema_view: SchemaView | None
    _pending_since: float | None
    _status: Text

    if TYPE_CHECKING:

        @property
        def body_view(self) -> BodyView: ...

        def _set_title(self, text: Text, *, base: bool = True) -> None: ...

        def show_tab(self, tab: str) -> None: ...

    class SchemaChecked(Message, namespace="response_pane"):
        """The schema check of ``result`` finished (posted by the checking thread)."""

        def __init__(
            self, pane: ResponsePane, result: CallResult, validation: Validation | None, lines: dict[str, int]
        ) -> None:
            super().__init__()
            self.pane = pane
            self.result = result
            self.validation = validation
            self.lines = lines

        @property
        def control(self) -> ResponsePane:
            return self.pane

    @property
    def schema_view(self) -> SchemaView:
        """The Schema tab's list, mounted on first use (most sessions never open it)."""
        if self._schema_view is None:
            from labs_tui.tui.widgets.response.schema_tab import SchemaView

            self._schema_view = SchemaView(id="response-schema-view")
            self.query_one(Tabbed).panel("response-schema").mount(self._schema_view)
            self._fill_schema()
        return self._schema_view

    def _start_check(self, result: CallResult) -> None:
        spec = self.spec if self.spec is not None else getattr(self.app, "spec", None)
        key = result.request.operation_key
        operation = spec.find(key) if spec is not None and key else None
        if spec is not None and operation is None and not key:  # e.g. an answer reopened from the history
            from labs_tui.store import match_url

            found = match_url(spec, result.request.method, result.request.url)
            operation = found[0] if found is not None else None
        if spec is None or operation is None or result.status is None:
            self._set_validation("none", None, {})
            return
        self._set_validation("checking", None, {})
        self._check(spec, operation, result)

    @work(thread=True, exclusive=True, group="schema", exit_on_error=False)
    def _check(self, spec: Spec, operation: Operation, result: CallResult) -> None:
        from labs_tui.client import Validation, check_response
        from labs_tui.tui.widgets.response.lines import pointer_lines

        lines: dict[str, int] = {}
        try:
            validation = check_response(spec, operation, result)
            if validation is not None and result.content_kind == "json" and result.json_error is None:
                pointers = [p.path for p in validation.errors] + [*validation.undocumented]
                lines = pointer_lines(result.json, pointers)
        except Exception as error:  # noqa: BLE001 - a bug here must not leave the tab "checking" forever
            reason = " ".join(f"the check failed: {type(error).__name__}: {error}".split())[:200]
            validation = Validation(f"{result.status} {result.content_type or ''}".strip(), skipped=reason)
        self.post_message(self.SchemaChecked(cast("ResponsePane", self), result, validation, lines))

    @on(SchemaChecked)
    def _checked(self, message: SchemaChecked) -> None:
        message.stop()
        if message.result is not self.result:
            return  # a newer answer (or none) is shown
        self._set_validation("checked", message.validation, message.lines)

    def _set_validation(self, state: str, validation: Validation | None, lines: dict[str, int]) -> None:
        self.schema_state = state
        self.validation = validation
        self._schema_lines = lines
        count = len(validation.errors) if validation is not None and validation.skipped is None else 0
        if count and self._pending_since is None:
            title = self._status.copy()
            title.append(" · ", style="dim")
            more = "+" if validation is not None and validation.more_errors else ""
            plural = "s" if count != 1 or more else ""
            title.append(f"{count}{more} schema problem{plural}", style="bold yellow")
            self._set_title(title, base=False)
        self._fill_schema()

    def _fill_schema(self) -> None:
        view = self._schema_view
        if view is None:
            return
        if self.schema_state != "none":
            view.show(self.validation, checking=self.schema_state == "checking")
        elif self.result is None:
            view.show(None, note="No response yet.")
        else:
            view.show(None, note="Not checked: this answer is not from an operation of the loaded spec.")

    def schema_line(self, pointer: str) -> int | None:
        """The body line (pretty JSON, 0-based) of a problem's pointer, as found by the check."""
        return self._schema_lines.get(pointer)

    def on_schema_view_jump(self, message: SchemaView.Jump) -> None:
        message.stop()
        line = self._schema_lines.get(message.pointer, 0)
        self.show_tab("body")
        self.body_view.show_pretty_line(line)
