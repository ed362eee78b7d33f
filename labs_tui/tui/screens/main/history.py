"""History: ``f2`` opens the history screen; a stored call chosen there is reopened into the builder.

The entry is read in a thread; its request fills the builder (when the spec still has that
endpoint) and its stored answer becomes the endpoint's answer on screen, diagnosed again by the
core. Recording each send in the history is the app's job (``tui/app/history.py``), not this.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import on, work

from labs_tui.spec import DEFAULT_VERSION_HEADER
from labs_tui.tui.messages import HistoryEntryLoaded
from labs_tui.tui.screens.main.state import MainState

if TYPE_CHECKING:
    from labs_tui.spec import Operation


class HistoryPart(MainState):
    """The history (reopen) part of ``MainScreen``."""

    def action_history(self) -> None:
        from labs_tui.tui.screens.history import HistoryScreen

        def chosen(entry_id: int | None) -> None:
            if entry_id is not None:
                self.reopen(entry_id)

        self.app.push_screen(HistoryScreen(), chosen)

    def reopen(self, entry_id: int) -> None:
        """Read history entry ``entry_id`` (in a thread) and put it back into the builder."""
        history = self.labs.history
        if history is None:
            self.notify("the history is still opening", severity="warning")
            return
        self._load_entry(history, entry_id)

    @work(thread=True, exclusive=True, group="history-entry", exit_on_error=False)
    def _load_entry(self, history: Any, entry_id: int) -> None:
        from labs_tui.store import stored_form

        entry = history.get(entry_id)
        self.post_message(HistoryEntryLoaded(entry, stored_form(entry) if entry is not None else None))

    @on(HistoryEntryLoaded)
    def _entry_loaded(self, message: HistoryEntryLoaded) -> None:
        from labs_tui.client import diagnose
        from labs_tui.store import editable_headers, match_url, stored_result

        entry = message.entry
        if entry is None:
            self.notify("that history entry is gone", severity="warning")
            return
        spec = self.labs.spec
        found = match_url(spec, entry.method, entry.url) if spec is not None else None
        operation: Operation | None = None
        if found is None:
            self.notify(
                f"the spec has no {entry.method} for {entry.url}; showing the stored response only",
                title="history",
                severity="warning",
            )
        else:
            operation, path_params, query = found
            self.open_operation(operation)
            self.request.set_pin(entry.pin)
            version_header = spec.version_header if spec is not None else DEFAULT_VERSION_HEADER
            headers = editable_headers(entry, version_header)
            form = message.form  # a multipart body goes back as its fields, not as text
            fields, whole = (form.fields, True) if form is not None else ((), False)
            body = entry.request_body
            fill = self.request.fill
            self.call_after_refresh(fill, path_params, query, headers, body, fields, whole_form=whole)
            notice = form.notice() if form is not None else None
            if notice:
                self.notify(notice, title="history: form", severity="warning", timeout=10)
        if self._in_flight:
            self.action_cancel()
        result = stored_result(entry)
        diagnosis = diagnose(result, operation, now=entry.time, spec=spec)
        self._last = (result, diagnosis)
        self._last_operation = None
        self._shown = operation.key if operation is not None else None
        if operation is not None:
            self._answers[operation.key] = (result, diagnosis)
        self.response.show_result(result, diagnosis)
        self.response.retry_blocked_until = None
        self.notify(f"{entry.method} {entry.url}", title="reopened from history")
