"""The response pane: status line, and Body / Headers / Error / Schema tabs for one call's result.

The screen hands it a ``CallResult`` and the core's ``Diagnosis``; it renders them and asks for copies
through ``CopyRequested`` (the screen owns the clipboard and the exports). It must not decide anything a
script could not get from the core, must not show anything that was not in the (already redacted) result,
and must show every piece of server text literally (``text.literal``; the body through ``BodyView``, which
sanitizes every line). The clock is injected so snapshots of the spinner and the 429 countdown are stable.
The Headers table and the Error panel are built when first needed (a result, or their tab shown): the
first screen has neither, and building them (and importing DataTable) would only delay its paint.
Each answer from an operation of the spec is checked against its documented schema in a thread worker
(``schema_check.SchemaCheck``, a base class of the pane): the title then says ``N schema problem(s)``
(nothing when the body conforms) and the Schema tab lists them.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Button, Static

from labs_tui.client import DEFAULT_BODY_CAP, CallResult, Diagnosis, hexdump_lines
from labs_tui.tui.text import literal
from labs_tui.tui.widgets.response.body_view import BodyView
from labs_tui.tui.widgets.response.schema_check import SchemaCheck
from labs_tui.tui.widgets.response.status import format_size, status_line
from labs_tui.tui.widgets.tabs import Tabbed, TabPanel

if TYPE_CHECKING:
    from textual.widgets import DataTable

    from labs_tui.client import Validation
    from labs_tui.spec import Spec
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


class ResponsePane(SchemaCheck):
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
