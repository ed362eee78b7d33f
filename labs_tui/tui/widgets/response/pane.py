"""The response pane: status line, and Body / Headers / Error / Schema tabs for one call's result.

The screen hands it a ``CallResult`` and the core's ``Diagnosis``; it renders them and asks for copies
through ``CopyRequested`` (the screen owns the clipboard and the exports). It must not decide anything a
script could not get from the core, must not show anything that was not in the (already redacted) result,
and must show every piece of server text literally (``text.literal``; the body through ``BodyView``, which
sanitizes every line). The clock is injected so snapshots of the spinner and the 429 countdown are stable.
The Headers table and the Error panel are built when first needed (a result, or their tab shown): the
first screen has neither, and building them (and importing DataTable) would only delay its paint.
Each answer from an operation of the spec is checked against its documented schema by the core
(``check_response``) in a thread worker, with the body lines of each problem found there too: the title
then says ``N schema problem(s)`` (nothing when the body conforms) and the Schema tab lists them.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Button, Static

from labs_tui.client import DEFAULT_BODY_CAP, CallResult, Diagnosis, hexdump_lines
from labs_tui.tui.text import literal
from labs_tui.tui.widgets.response.body_view import BodyView
from labs_tui.tui.widgets.response.status import format_size, status_line
from labs_tui.tui.widgets.tabs import Tabbed, TabPanel

if TYPE_CHECKING:
    from textual.widgets import DataTable

    from labs_tui.client import Validation
    from labs_tui.spec import Operation, Spec
    from labs_tui.tui.widgets.response.error_panel import ErrorPanel
    from labs_tui.tui.widgets.response.schema_tab import SchemaView

__all__ = ["ResponsePane", "COPY_KINDS", "binary_summary"]

COPY_KINDS = frozenset({"request_id", "support_report", "curl", "httpie"})
SPINNER = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"
HEX_PREVIEW_BYTES = 256


def binary_summary(result: CallResult) -> list[str]:
    """Lines describing a binary body: size, content type and a hex dump of its first bytes."""
    head = result.body[:HEX_PREVIEW_BYTES]
    lines = [
        f"binary body · {format_size(result.size or len(result.body))}"
        f" · {result.content_type or 'no content type'}",
        f"first {len(head)} bytes:" if head else "no bytes",
        "",
    ]
    lines.extend(hexdump_lines(head, HEX_PREVIEW_BYTES))
    return lines


class ResponsePane(Widget):
    """What came back from the last send: show_pending / show_result / show_cancelled / clear."""

    DEFAULT_CSS = """
    ResponsePane {
        border: round $primary-muted;
        border-title-align: left;
        height: 1fr;
    }
    ResponsePane:focus-within { border: round $primary; }
    ResponsePane #response-pending { height: 1; padding: 0 1; display: none; color: $text-accent; }
    ResponsePane.-pending #response-pending { display: block; }
    ResponsePane.-pending #response-tabs { display: none; }
    ResponsePane #response-tabs { height: 1fr; }
    ResponsePane #response-body-note { height: auto; padding: 0 1; color: $text-warning; display: none; }
    ResponsePane #response-body-note.-shown { display: block; }
    ResponsePane #response-headers-table { height: 1fr; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+y", "copy('request_id')", "Copy requestId"),
        Binding("ctrl+r", "copy('support_report')", "Copy support report"),
    ]

    class CopyRequested(Message):
        """The user asked for a copy of ``kind``: request_id, support_report, curl or httpie."""

        def __init__(self, pane: ResponsePane, kind: str) -> None:
            super().__init__()
            self.pane = pane
            self.kind = kind

        @property
        def control(self) -> ResponsePane:
            return self.pane

    class SchemaChecked(Message):
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

    def __init__(
        self,
        *,
        now: Callable[[], float] = time.time,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._now = now
        self._pending_since: float | None = None
        self._pending_doing = "sending"
        self._pending_timer: Timer | None = None
        self.result: CallResult | None = None
        self.diagnosis: Diagnosis | None = None
        self.status_text = ""
        """The status line as plain text (the border title shows it styled)."""
        self.retry_blocked_until: float | None = None
        """Epoch seconds until which sending this endpoint again is held (diagnosis.retry_at on a 429)."""
        self._error_panel: ErrorPanel | None = None
        self._headers_table: DataTable[Text] | None = None
        self.spec: Spec | None = None
        """The spec answers are checked against; None: the app's (``app.spec``), if it has one."""
        self.validation: Validation | None = None
        """The last answer checked against its documented schema (None: not checked, or nothing to check)."""
        self.schema_state = "none"
        """ "none" (nothing to check against), "checking", or "checked"."""
        self._schema_lines: dict[str, int] = {}
        self._schema_view: SchemaView | None = None
        self._status = Text()

    def compose(self) -> ComposeResult:
        yield Static("", id="response-pending")
        with Tabbed(id="response-tabs", initial="response-body"):
            with TabPanel("Body", id="response-body"):
                yield Static("", id="response-body-note")
                yield BodyView(id="response-body-view")
            yield TabPanel("Headers", id="response-headers")
            yield TabPanel("Error", id="response-error")
            yield TabPanel("Schema", id="response-schema")

    def on_mount(self) -> None:
        self.clear()

    @property
    def body_view(self) -> BodyView:
        return self.query_one("#response-body-view", BodyView)

    @property
    def error_panel(self) -> ErrorPanel:
        """The Error tab's panel, mounted on first use: a first screen has no failure to explain.

        Its twenty-odd widgets would otherwise be built and styled before the first paint, for a tab
        that is hidden. The panel keeps what it is asked to show until its parts exist.
        """
        if self._error_panel is None:
            from labs_tui.tui.widgets.response.error_panel import ErrorPanel

            self._error_panel = ErrorPanel(now=self._now, id="response-error-panel")
            self.query_one(Tabbed).panel("response-error").mount(self._error_panel)
            if self.result is not None and self.diagnosis is not None:
                self._error_panel.show(self.result, self.diagnosis)
        return self._error_panel

    @property
    def headers_table(self) -> DataTable[Text]:
        """The Headers tab's table, mounted on first use; rows can be added before it is mounted."""
        if self._headers_table is None:
            from textual.widgets import DataTable

            table: DataTable[Text] = DataTable(
                id="response-headers-table", cursor_type="row", zebra_stripes=True
            )
            table.add_columns("name", "value")
            self._headers_table = table
            self.query_one(Tabbed).panel("response-headers").mount(table)
            if self.result is not None:
                self._fill_headers(self.result)
        return self._headers_table

    @property
    def schema_view(self) -> SchemaView:
        """The Schema tab's list, mounted on first use (most sessions never open it)."""
        if self._schema_view is None:
            from labs_tui.tui.widgets.response.schema_tab import SchemaView

            self._schema_view = SchemaView(id="response-schema-view")
            self.query_one(Tabbed).panel("response-schema").mount(self._schema_view)
            self._fill_schema()
        return self._schema_view

    @on(Tabbed.Activated, "#response-tabs")
    def _tab_activated(self, event: Tabbed.Activated) -> None:
        if event.panel.id == "response-error":
            self.error_panel  # noqa: B018 - the property mounts the panel when the tab is first shown
        elif event.panel.id == "response-headers":
            self.headers_table  # noqa: B018 - as above, for the headers table
        elif event.panel.id == "response-schema":
            self.schema_view  # noqa: B018 - as above, for the schema list

    @property
    def active_tab(self) -> str:
        """ "body", "headers", "error" or "schema"."""
        return self.query_one(Tabbed).active.removeprefix("response-")

    def show_tab(self, tab: str) -> None:
        self.query_one(Tabbed).active = f"response-{tab}"

    # -- states --------------------------------------------------------------------------------------------

    def _set_title(self, text: Text, *, base: bool = True) -> None:
        if base:
            self._status = text
        self.status_text = text.plain
        title = Text("Response  ", style="bold")
        title.append_text(text)
        self.border_title = title

    def _stop_pending(self) -> None:
        if self._pending_timer is not None:
            self._pending_timer.stop()
            self._pending_timer = None
        self._pending_since = None
        self.remove_class("-pending")

    def show_pending(self, started_at: float, doing: str = "sending") -> None:
        """A spinner, ``doing`` and the time elapsed since ``started_at`` (epoch seconds), until a result or
        cancel."""
        self._stop_pending()
        self._pending_doing = doing
        self._pending_since = started_at
        self.add_class("-pending")
        self._tick_pending()
        self._pending_timer = self.set_interval(0.1, self._tick_pending)

    def _tick_pending(self) -> None:
        if self._pending_since is None:
            return
        elapsed = max(0.0, self._now() - self._pending_since)
        frame = SPINNER[int(elapsed * 10) % len(SPINNER)]
        doing = self._pending_doing
        text = Text(f"{frame} {doing}… {elapsed:.1f} s   (esc cancels)")
        self.query_one("#response-pending", Static).update(text)
        self._set_title(Text(f"{doing}… {elapsed:.1f} s", style="italic"))

    def show_cancelled(self) -> None:
        self._stop_pending()
        self._reset_content()
        self._set_title(Text("cancelled", style="bold yellow"))
        self.body_view.show_lines(["The request was cancelled before an answer arrived."])
        self.show_tab("body")

    def clear(self) -> None:
        self._stop_pending()
        self._reset_content()
        self._set_title(Text("no response yet", style="dim"))
        self.body_view.show_lines(["No response yet: send a request."])
        self.show_tab("body")

    def _reset_content(self) -> None:
        self.result = None
        self.diagnosis = None
        self.retry_blocked_until = None
        self._set_validation("none", None, {})
        self._set_note(None)
        if self._headers_table is not None:
            self._headers_table.clear()
        if self._error_panel is not None:
            self._error_panel.clear()

    def _set_note(self, text: Text | None) -> None:
        note = self.query_one("#response-body-note", Static)
        note.update(text if text is not None else Text(""))
        note.set_class(text is not None, "-shown")

    def show_result(self, result: CallResult, diagnosis: Diagnosis) -> None:
        """Render a result; the Error tab comes forward when the status is 400+ or the call failed."""
        self._stop_pending()
        self.result = result
        self.diagnosis = diagnosis
        self.retry_blocked_until = diagnosis.retry_at if result.status == 429 else None
        self._set_title(status_line(result, diagnosis))
        self._show_body(result)
        self._start_check(result)
        failed = result.network_error is not None or result.status is None or result.status >= 400
        # The Headers table and the Error panel are filled now only if they exist; otherwise they are
        # built (from this result) when their tab is shown. A 200 builds neither, so the keys pressed
        # while a big body is prepared are not held up by twenty-odd widgets being mounted.
        if self._headers_table is not None:
            self._fill_headers(result)
        if failed or self._error_panel is not None:
            self.error_panel.show(result, diagnosis)
        self.show_tab("error" if failed else "body")

    def _show_body(self, result: CallResult) -> None:
        notes: list[Text] = []
        view = self.body_view
        if result.truncated:
            notes.append(
                Text(f"body truncated at {format_size(result.size or DEFAULT_BODY_CAP)}", style="bold")
            )
        if result.network_error is not None:
            view.show_lines([f"No answer: {result.network_error.message}"])
        elif result.content_kind == "json" and result.json_error is None and result.text is not None:
            view.show_json(result.json, result.text)
        elif result.content_kind == "binary":
            view.show_lines(binary_summary(result))
        elif result.content_kind == "empty" or not result.body and not result.text:
            view.show_lines(["(empty body)"])
        else:
            if result.json_error:
                notes.append(literal(result.json_error))
            text = result.text if result.text is not None else result.body.decode("utf-8", errors="replace")
            view.show_text(text)
        self._set_note(Text("  ·  ").join(notes) if notes else None)

    # -- schema check --------------------------------------------------------------------------------------

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
        from labs_tui.tui.widgets.response.body_view import pointer_lines

        lines: dict[str, int] = {}
        try:
            validation = check_response(spec, operation, result)
            if validation is not None and result.content_kind == "json" and result.json_error is None:
                pointers = [p.path for p in validation.errors] + [*validation.undocumented]
                lines = pointer_lines(result.json, pointers)
        except Exception as error:  # noqa: BLE001 - a bug here must not leave the tab "checking" forever
            reason = " ".join(f"the check failed: {type(error).__name__}: {error}".split())[:200]
            validation = Validation(f"{result.status} {result.content_type or ''}".strip(), skipped=reason)
        self.post_message(self.SchemaChecked(self, result, validation, lines))

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

    def _fill_headers(self, result: CallResult) -> None:
        table = self.headers_table
        table.clear()
        for name, value in result.headers:
            table.add_row(literal(name, "bold"), literal(value))

    # -- copy ----------------------------------------------------------------------------------------------

    def request_copy(self, kind: str) -> None:
        """Post ``CopyRequested(kind)``; the screen can call this for its own (app-wide) bindings too."""
        if kind not in COPY_KINDS:
            raise ValueError(f"unknown copy kind: {kind}")
        self.post_message(self.CopyRequested(self, kind))

    def action_copy(self, kind: str) -> None:
        self.request_copy(kind)

    @on(Button.Pressed)
    def _on_button(self, event: Button.Pressed) -> None:
        from labs_tui.tui.widgets.response.error_panel import COPY_BUTTONS  # its buttons: imported already

        kind = COPY_BUTTONS.get(event.button.id or "")
        if kind is not None:
            event.stop()
            self.request_copy(kind)
