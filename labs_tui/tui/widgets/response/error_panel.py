"""The Error tab: a failed call made plain, with what to copy and what to do next.

It shows what the core's ``Diagnosis`` found (status and message large, the requestId with copy buttons,
field errors, the hint, the gateway's text when the API never answered, the network error and what to check,
and a live countdown for 429). It decides nothing itself and never shows the token: the result it gets is
already redacted, and it adds nothing from elsewhere. All server text goes through ``text.literal``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.timer import Timer
from textual.widgets import Button, Digits, ProgressBar, Static

from labs_tui.client import ApiError, CallResult, Diagnosis
from labs_tui.tui.text import literal
from labs_tui.tui.widgets.response.status import status_style

__all__ = ["ErrorPanel", "COPY_BUTTONS"]

COPY_BUTTONS: dict[str, str] = {
    "copy-request-id": "request_id",
    "copy-support-report": "support_report",
    "copy-curl": "curl",
    "copy-httpie": "httpie",
}
"""Button id -> the ``CopyRequested.kind`` it asks for."""


class ErrorPanel(VerticalScroll):
    """Filled by ``show``; parts that do not apply are hidden, so the layout of each failure is the same."""

    DEFAULT_CSS = """
    ErrorPanel { padding: 0 1; }
    ErrorPanel .-hidden { display: none; }
    ErrorPanel #err-head { height: auto; }
    ErrorPanel #err-code { width: auto; margin-right: 2; }
    ErrorPanel #err-title { width: 1fr; height: auto; padding-top: 1; }
    ErrorPanel #err-rid-row { height: auto; margin-top: 1; }
    ErrorPanel #err-rid-label { width: 11; color: $text-muted; }
    ErrorPanel #err-rid { width: auto; padding: 0 2; background: $accent 30%; text-style: bold; }
    ErrorPanel #err-rid-row Button { margin-left: 1; }
    ErrorPanel Static { height: auto; }
    ErrorPanel #err-retry { height: auto; margin-top: 1; }
    ErrorPanel #err-countdown { width: auto; min-width: 22; text-style: bold; }
    ErrorPanel #err-progress { width: 1fr; }
    ErrorPanel #err-exports { height: auto; margin-top: 1; }
    ErrorPanel #err-exports Button { margin-right: 1; }
    ErrorPanel .err-section { margin-top: 1; }
    """

    COUNTDOWN_INTERVAL_S: ClassVar[float] = 0.25

    def __init__(self, *, now: Callable[[], float], id: str | None = None) -> None:
        super().__init__(id=id)
        self._now = now
        self._retry_at: float | None = None
        self._retry_total = 1.0
        self._timer: Timer | None = None
        self._wanted: tuple[CallResult, Diagnosis] | None = None
        self._ready = False

    def compose(self) -> ComposeResult:
        with Horizontal(id="err-head"):
            yield Digits("", id="err-code")
            yield Static("", id="err-title")
        with Horizontal(id="err-retry", classes="-hidden"):
            yield Static("", id="err-countdown")
            yield ProgressBar(total=1.0, show_eta=False, show_percentage=False, id="err-progress")
        with Horizontal(id="err-rid-row"):
            yield Static("requestId", id="err-rid-label")
            yield Static("", id="err-rid")
            yield Button("copy (ctrl+y)", id="copy-request-id", compact=True)
            yield Button("copy support report (ctrl+r)", id="copy-support-report", compact=True)
        yield Static("", id="err-rid-source")
        yield Static("", id="err-fields", classes="err-section")
        yield Static("", id="err-summary", classes="err-section")
        yield Static("", id="err-hint", classes="err-section")
        with Horizontal(id="err-exports"):
            yield Button("copy as curl", id="copy-curl", compact=True)
            yield Button("copy as HTTPie", id="copy-httpie", compact=True)

    def _set(self, selector: str, content: Text | None) -> None:
        widget = self.query_one(selector, Static)
        widget.set_class(content is None or not content.plain, "-hidden")
        widget.update(content if content is not None else Text(""))

    def _show(self, selector: str, visible: bool) -> None:
        self.query_one(selector).set_class(not visible, "-hidden")

    def on_mount(self) -> None:
        """Apply what was asked before the parts existed (the pane mounts this panel on first use)."""
        self._ready = True
        if self._wanted is None:
            self._fill_blank()
        else:
            self._fill(*self._wanted)

    def show(self, result: CallResult, diagnosis: Diagnosis) -> None:
        self.stop_countdown()
        self._wanted = (result, diagnosis)
        if self._ready:
            self._fill(result, diagnosis)

    def clear(self) -> None:
        self.stop_countdown()
        self._wanted = None
        if self._ready:
            self._fill_blank()

    def _fill(self, result: CallResult, diagnosis: Diagnosis) -> None:
        failed = result.network_error is not None or result.status is None or result.status >= 400
        code = self.query_one("#err-code", Digits)
        code.update(str(result.status) if result.status is not None else "")
        code.set_class(result.status is None, "-hidden")
        code.styles.color = status_style(result.status).split()[-1]
        self._set("#err-title", _title_text(result, diagnosis, failed))

        answered = result.network_error is None and result.status is not None
        self._show("#err-rid-row", answered and failed)
        self._fill_request_id(result, diagnosis, failed)
        self._set("#err-fields", _field_errors_text(diagnosis))

        summary = Text()
        if failed and answered and diagnosis.error is None and result.content_kind in ("text", "html"):
            kind = "an HTML page" if result.content_kind == "html" else "plain text"
            summary.append(
                f"the server answered with {kind}, not the API's JSON error (see the Body tab)", "dim"
            )
        self._set("#err-summary", summary)

        hint = Text()
        if diagnosis.spec_says:
            hint.append("spec says  ", style="bold")
            hint.append_text(literal(diagnosis.spec_says))
            if diagnosis.hint:
                hint.append("\n")
        if diagnosis.hint:
            hint.append("why  ", style="bold")
            hint.append_text(literal(diagnosis.hint))
        self._set("#err-hint", hint)

        if result.status == 429 and diagnosis.retry_at is not None:
            self._start_countdown(diagnosis)
        else:
            self._show("#err-retry", False)

    def _fill_request_id(self, result: CallResult, diagnosis: Diagnosis, failed: bool) -> None:
        rid = self.query_one("#err-rid", Static)
        if diagnosis.request_id:
            rid.update(literal(diagnosis.request_id))
            source = {"body": "from the error body", "header": "from the response headers"}.get(
                diagnosis.request_id_source or "", ""
            )
            self._set(
                "#err-rid-source", Text(f"           {source}", style="dim") if source and failed else None
            )
        else:
            rid.update(Text("no requestId in the response", style="italic"))
            gateway = failed and result.content_kind in ("text", "html")
            note = Text("           the gateway answered before the API", style="dim")
            self._set("#err-rid-source", note if gateway else None)
        self._show("#copy-request-id", diagnosis.request_id is not None)

    def _fill_blank(self) -> None:
        self.query_one("#err-code", Digits).update("")
        self._set("#err-title", Text("No response yet.", style="dim"))
        for selector in ("#err-fields", "#err-summary", "#err-hint", "#err-rid-source"):
            self._set(selector, None)
        self._show("#err-rid-row", False)
        self._show("#err-retry", False)

    # -- 429 countdown -------------------------------------------------------------------------------------

    @property
    def retry_remaining(self) -> float | None:
        """Seconds left before retrying is advised, or None when there is no countdown."""
        if self._retry_at is None:
            return None
        return max(0.0, self._retry_at - self._now())

    def _start_countdown(self, diagnosis: Diagnosis) -> None:
        assert diagnosis.retry_at is not None
        self._retry_at = diagnosis.retry_at
        remaining = diagnosis.retry_at - self._now()
        self._retry_total = max(diagnosis.retry_after_s or remaining, remaining, 1.0)
        self.query_one("#err-progress", ProgressBar).update(total=self._retry_total)
        self._show("#err-retry", True)
        self.update_countdown()
        if remaining > 0:
            self._timer = self.set_interval(self.COUNTDOWN_INTERVAL_S, self.update_countdown)

    def update_countdown(self) -> None:
        """Redraw the countdown from the clock; stops the timer once retrying is fine."""
        remaining = self.retry_remaining
        if remaining is None:
            return
        label = self.query_one("#err-countdown", Static)
        bar = self.query_one("#err-progress", ProgressBar)
        if remaining <= 0:
            label.update(Text("you can retry now", style="bold green"))
            bar.update(progress=self._retry_total)
            if self._timer is not None:
                self._timer.stop()
                self._timer = None
            return
        label.update(Text(f"retry in {math.ceil(remaining)} s", style="bold yellow"))
        bar.update(progress=self._retry_total - remaining)

    def stop_countdown(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self._retry_at = None


def _title_text(result: CallResult, diagnosis: Diagnosis, failed: bool) -> Text:
    """The panel's headline: the diagnosis title, then the error message (or what went wrong)."""
    title = Text()
    if result.network_error is not None:
        title.append_text(literal(diagnosis.title or "network error", "bold red"))
        title.append("\n")
        title.append_text(literal(result.network_error.message, "bold"))
    elif not failed:
        title.append_text(literal(diagnosis.title or f"{result.status} {result.reason}", "bold green"))
        title.append("\nThe call succeeded: nothing to diagnose.")
    else:
        title.append_text(
            literal(diagnosis.title or f"{result.status} {result.reason}", status_style(result.status))
        )
        error = diagnosis.error
        if error is not None and error.shape == "problem":
            _problem_lines(title, error, result.reason)
            return title
        message = error.message if error else (diagnosis.summary or "")
        if message:
            title.append("\n")
            title.append_text(literal(message, "bold"))
        if error and error.status_code is not None:
            title.append("\n")
            title.append("statusCode ", style="dim")
            title.append(str(error.status_code))
    return title


def _problem_lines(title: Text, error: ApiError, reason: str) -> None:
    """An RFC 9457 problem: its title (unless it only repeats the reason), its detail, its status."""
    if error.title and error.title.strip().lower() != reason.strip().lower():
        title.append("\n")
        title.append_text(literal(error.title, "bold"))
    if error.message and error.message != error.title:
        title.append("\n")
        title.append_text(literal(error.message, "bold"))
    title.append("\n")
    title.append("status ", style="dim")
    title.append(str(error.status_code) if error.status_code is not None else "(not in the body)")
    if error.type and error.type != "about:blank":
        title.append("\n")
        title.append("type ", style="dim")
        title.append_text(literal(error.type))
    if error.instance:
        title.append("\n")
        title.append("instance ", style="dim")
        title.append_text(literal(error.instance))


def _field_errors_text(diagnosis: Diagnosis) -> Text:
    """The error's fieldErrors, one a line (empty when it has none)."""
    fields = Text()
    if diagnosis.error and diagnosis.error.field_errors:
        label = "errors" if diagnosis.error.shape == "problem" else "fieldErrors"
        fields.append(f"{label}\n", style="bold")
        for error in diagnosis.error.field_errors:
            fields.append("  ")
            if error.field:
                fields.append_text(literal(error.field, "bold yellow"))
                fields.append(": ")
            fields.append_text(literal(error.message))
            if error.code:
                fields.append("  ")
                fields.append_text(literal(f"({error.code})", "dim"))
            fields.append("\n")
        fields.rstrip()
    return fields
