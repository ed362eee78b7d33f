"""The body tools of ``BodyView``: a JSONPath/jq filter (``.``), copy (c) and save to a file (s).

The filter runs in a thread (``client.filter_body``) and shows what it selected in place of the body until
esc; copy hands the body as shown to the screen (``CopyRequested``: the screen owns the clipboard); save
asks for a path and writes atomically in a thread (raw: byte for byte as received).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, cast

from textual import on, work
from textual.containers import Horizontal
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Input

from labs_tui.tui.text import inert
from labs_tui.tui.widgets.response.lines import pretty_json_lines

if TYPE_CHECKING:
    from labs_tui.tui.widgets.response.body_view import BodyView
    from labs_tui.tui.widgets.response.line_view import LineView

__all__ = ["BodyTools", "FILTER_PLACEHOLDER", "MAX_COPY_CHARS"]

FILTER_PLACEHOLDER = "filter: JSONPath ($.items[*].id) or jq (.items[].id); enter applies, esc: whole body"
MAX_COPY_CHARS = 8 * 1024 * 1024
"""Bodies longer than this (as shown) are not copied (clipboard and dialog cannot take them): save them."""


def save_path_problem(path: str) -> str | None:
    """Why ``s`` refuses ``path`` (a folder, or a folder that does not exist), or None.

    The folder is never created: a typo in it would otherwise leave a new directory behind, and
    ``call -o`` refuses the same way.
    """
    from pathlib import Path

    target = Path(path).expanduser().absolute()
    if target.is_dir():
        return f"{target} is a folder; give a file name"
    if not target.parent.is_dir():
        return f"the folder {target.parent} does not exist"
    return None


class BodyTools(Widget):
    """The filter, copy and save tools of ``BodyView`` (a base class of it, not a widget of its own)."""

    _has_json: bool
    _json_value: Any
    _raw_text: str | None
    raw: bool
    _filter_bar: Horizontal | None
    _filter_generation: int
    filter_expression: str | None
    _filtered_value: Any

    if TYPE_CHECKING:

        @property
        def line_view(self) -> LineView: ...

        def _set_notice(self, notice: str) -> None: ...

        def _reload(self) -> None: ...

        def _rerun_search(self) -> None: ...

    @property
    def _view(self) -> BodyView:
        return cast("BodyView", self)

    # The messages keep the names (handler names included) they had as ``BodyView``'s own.
    class CopyRequested(Message, namespace="body_view"):
        """Copy ``text`` (the body as shown); the screen owns the clipboard and the "Copied" dialog."""

        def __init__(self, view: BodyView, title: str, text: str) -> None:
            super().__init__()
            self.view = view
            self.title = title
            self.text = text

        @property
        def control(self) -> BodyView:
            return self.view

    class Filtered(Message, namespace="body_view"):
        """A filter finished in its thread: the values it selected, or the error (one line)."""

        def __init__(self, view: BodyView, generation: int, expression: str, values: Any, error: str | None):
            super().__init__()
            self.view = view
            self.generation = generation
            self.expression = expression
            self.values = values
            self.error = error

        @property
        def control(self) -> BodyView:
            return self.view

    def _filter_shown(self) -> bool:
        bar = self._filter_bar
        return self.filter_expression is not None or (bar is not None and bar.has_class("-open"))

    async def action_open_filter(self) -> None:
        """``.``: a JSONPath (``$...``) or jq expression over the JSON body, run in a thread."""
        if not self._has_json:
            return
        if self._filter_bar is None:
            self._filter_bar = Horizontal(id="filter-bar")
            await self.mount(self._filter_bar)
            await self._filter_bar.mount(Input(placeholder=FILTER_PLACEHOLDER, id="filter-input"))
        self._filter_bar.add_class("-open")
        self._filter_bar.query_one("#filter-input", Input).focus()

    def apply_filter(self, expression: str) -> None:
        """Show what ``expression`` selects in the JSON body (the query runs off the UI thread)."""
        if not self._has_json:
            return
        self._filter_generation += 1
        self._set_notice(f"filtering: {expression}")
        self._run_filter(self._filter_generation, expression, self._json_value)

    @work(thread=True, group="filter", exclusive=True)
    def _run_filter(self, generation: int, expression: str, value: Any) -> None:
        from labs_tui.client import QueryError, filter_body

        try:
            found = filter_body(value, expression)
        except QueryError as error:
            self.post_message(self.Filtered(self._view, generation, expression, None, str(error)))
            return
        values: Any = found.values[0] if len(found.values) == 1 else list(found.values)
        self.post_message(self.Filtered(self._view, generation, expression, (values, found), None))

    @on(Filtered)
    def _on_filtered(self, message: Filtered) -> None:
        message.stop()
        if message.generation != self._filter_generation or not self._has_json:
            return
        if message.error is not None:
            self._set_notice(f"filter: {message.error}")
            return
        values, found = message.values
        self.filter_expression = message.expression
        self._filtered_value = values
        count = len(found.values)
        more = " (the first ones only)" if found.truncated else ""
        self._set_notice(
            f"filter {found.language} {message.expression}: {count} value{'s' if count != 1 else ''}{more}"
            "  (esc: whole body)"
        )
        self.line_view.load(pretty_json_lines(values), "json")
        self._rerun_search()

    @on(Input.Submitted, "#filter-input")
    def _on_filter_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.value.strip():
            self.apply_filter(event.value)
        else:
            self.close_filter()

    def close_filter(self) -> None:
        """Back to the whole body: the filter bar closed, the body shown as before."""
        was_filtered = self.filter_expression is not None
        self._drop_filter()
        self._set_notice("")
        if was_filtered and self._has_json:
            self._reload()
        self.line_view.focus()

    def _drop_filter(self) -> None:
        self._filter_generation += 1
        self.filter_expression = None
        self._filtered_value = None
        if self._filter_bar is not None:
            self._filter_bar.remove_class("-open")

    def _shown_title(self) -> str:
        if self.filter_expression is not None:
            return f"response body (filter {self.filter_expression})"
        if self._has_json:
            return "response body (raw)" if self.raw else "response body (pretty)"
        return "response body"

    def action_copy_body(self) -> None:
        """c: copy the body as shown (pretty, raw, or filtered) through the screen's copy path."""
        view = self.line_view
        if not view.complete:
            self.notify("the body is still being prepared; copy again in a moment", severity="warning")
            return
        size = sum(len(line) + 1 for line in view.lines)
        if size > MAX_COPY_CHARS:
            self.notify(
                f"the body is {size:,} characters: too big for the clipboard; save it with s",
                severity="warning",
            )
            return
        text = "\n".join(view.lines)  # every line was made inert as it was prepared
        self.post_message(self.CopyRequested(self._view, self._shown_title(), text))

    def action_save_body(self) -> None:
        """s: ask for a path, then write the body there atomically (raw: byte for byte as received)."""
        from labs_tui.tui.screens.dialogs import PromptScreen

        data = self._save_data()
        if data is None:
            return
        what = self._shown_title()

        def chosen(path: str | None) -> None:
            if path:
                self._write_body(path, data, what)

        self.app.push_screen(
            PromptScreen(
                f"Save {what}",
                "The file to write (replaced atomically if it exists; its folder must exist).",
                value="response.json",
                required="a file name is needed",
                check=save_path_problem,
            ),
            chosen,
        )

    def _received_bytes(self) -> bytes | None:
        """The body as received, from the result the enclosing pane shows (None outside one)."""
        for node in self.ancestors:
            body = getattr(getattr(node, "result", None), "body", None)
            if isinstance(body, bytes):
                return body
        return None

    def _save_data(self) -> Any:
        """What ``s`` writes: the filtered or pretty JSON as text, else the received bytes (or a callable)."""
        if self.filter_expression is not None:
            value = self._filtered_value
            return lambda: (json.dumps(value, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
        if self._has_json and not self.raw:
            value = self._json_value
            return lambda: (json.dumps(value, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
        received = self._received_bytes()
        if received is not None:
            return received
        if self._raw_text is not None:
            return self._raw_text.encode("utf-8")
        return ("\n".join(self.line_view.lines)).encode("utf-8")

    @work(thread=True, group="save-body", exit_on_error=False)
    def _write_body(self, path: str, data: Any, what: str) -> None:
        from pathlib import Path

        from labs_tui.store import atomic_write

        target = Path(path).expanduser().absolute()  # the notice says where a relative name went
        try:
            payload = data() if callable(data) else data
            problem = save_path_problem(path)
            if problem is not None:  # the folder went away after the dialog checked it
                raise OSError(problem)
            atomic_write(target, payload, mode=0o644, make_parents=False)
        except OSError as error:
            message = f"cannot write {target}: {error.strerror or error}"
            self.app.call_from_thread(self.notify, message, title="not saved", severity="error")
            return
        note = f"{len(payload):,} bytes to {target}"
        self.app.call_from_thread(self.notify, inert(note), title=f"saved {what}")
