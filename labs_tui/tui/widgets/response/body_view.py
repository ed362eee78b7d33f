"""A virtualized, searchable view of a response body: fast on bodies of tens of MB.

``BodyView`` wraps a ``LineView`` (``line_view``: renders only the rows on screen, lines prepared in a
thread by ``lines``) with a find bar (``find.FindBar``), the raw/pretty toggle, and the body tools
(``body_tools.BodyTools``: a JSONPath/jq filter, copy, save). The response pane uses one for its Body tab
and the compare view can use one per side (``show_lines`` takes lines it has aligned itself).

It must not: parse markup or pass control characters through (every line goes through ``text.sanitize``),
pretty-print or highlight the whole body on the UI thread, or hold more than ``MAX_LINES`` lines.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Static

from labs_tui.tui.text import literal
from labs_tui.tui.widgets.response.body_tools import BodyTools
from labs_tui.tui.widgets.response.find import FindBar
from labs_tui.tui.widgets.response.highlight import SyntaxColours
from labs_tui.tui.widgets.response.line_view import LineView
from labs_tui.tui.widgets.response.lines import (
    LONG_LINE,
    MAX_LINES,
    Syntax,
    pointer_lines,
    pretty_json_lines,
    text_lines,
)

__all__ = [
    "BodyView",
    "LineView",
    "MAX_LINES",
    "LONG_LINE",
    "pointer_lines",
    "pretty_json_lines",
    "text_lines",
]


class BodyView(BodyTools, FindBar):
    """A ``LineView`` with search (ctrl+f, enter/F3 next, shift+F3 previous), the raw/pretty toggle (r),
    and the body tools: a JSONPath/jq filter (``.``), copy (c) and save to a file (s)."""

    DEFAULT_CSS = """
    BodyView { height: 1fr; }
    BodyView > LineView { height: 1fr; }
    BodyView > #body-notice { height: auto; padding: 0 1; color: $text-warning; display: none; }
    BodyView > #body-notice.-shown { display: block; }
    BodyView > #search-bar { height: 1; display: none; background: $panel; }
    BodyView > #search-bar.-open { display: block; }
    BodyView > #filter-bar { height: 1; display: none; background: $panel; }
    BodyView > #filter-bar.-open { display: block; }
    BodyView #filter-input { width: 1fr; height: 1; border: none; padding: 0 1; }
    BodyView #search-input { width: 1fr; height: 1; border: none; padding: 0 1; }
    BodyView #search-count { width: auto; min-width: 14; padding: 0 1; color: $text-muted; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+f", "open_search", "Find"),
        Binding("f3", "next_match", "Next match"),
        Binding("shift+f3", "previous_match", "Prev match"),
        Binding("n", "next_match", "Next match", show=False),
        Binding("N", "previous_match", "Prev match", show=False),
        Binding("escape", "close_search", "Close find / filter", show=False),
        Binding("r", "toggle_raw", "Raw/pretty"),
        Binding(
            "full_stop",
            "open_filter",
            "filter: JSONPath or jq",
            show=False,
            key_display=".",
            id="body-filter",
        ),
        Binding("c", "copy_body", "copy the body as shown", show=False, id="body-copy"),
        Binding("s", "save_body", "save the body to a file", show=False, id="body-save"),
    ]

    LINE_VIEW: ClassVar[type[LineView]] = LineView
    """The line widget the view draws with: a subclass may style lines its own way (compare marks)."""

    class RawToggled(Message):
        def __init__(self, view: BodyView, raw: bool) -> None:
            super().__init__()
            self.view = view
            self.raw = raw

        @property
        def control(self) -> BodyView:
            return self.view

    def __init__(self, *, name: str | None = None, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._json_value: Any = None
        self._raw_text: str | None = None
        self._has_json = False
        self._query = ""
        self._notice = ""
        self._bar: Horizontal | None = None
        self._count_text = ""
        self._pending_line: int | None = None
        self.raw = False
        self._filter_bar: Horizontal | None = None
        self._filter_generation = 0
        self.filter_expression: str | None = None
        """The filter shown instead of the whole body (None: the whole body)."""
        self._filtered_value: Any = None

    def compose(self) -> ComposeResult:
        yield Static("", id="body-notice")
        yield self.LINE_VIEW(id="lines")

    @property
    def line_view(self) -> LineView:
        return self.query_one(LineView)

    @property
    def colours(self) -> SyntaxColours:
        return self.line_view.colours

    @colours.setter
    def colours(self, colours: SyntaxColours) -> None:
        self.line_view.colours = colours

    # -- content -------------------------------------------------------------------------------------------

    def show_json(self, value: Any, raw_text: str | None = None) -> None:
        """Pretty, highlighted JSON; ``raw_text`` (the body as received) is what the raw toggle shows."""
        self._set_notice("")
        self._has_json = True
        self._json_value = value
        self._raw_text = raw_text
        self.raw = False
        self._drop_filter()
        self._reload()

    def show_text(self, text: str) -> None:
        """Text as text: no highlighting, no toggle."""
        self._clear_content()
        self.line_view.load(text_lines(text))
        self._rerun_search()

    def show_lines(self, lines: Iterable[str], syntax: Syntax = None) -> None:
        """Lines made by the caller (a summary, aligned compare rows); ``syntax="json"`` highlights them."""
        self._clear_content()
        self.line_view.load(lines, syntax)
        self._rerun_search()

    def clear(self) -> None:
        self.show_lines(())

    def show_pretty_line(self, line: int) -> None:
        """Put the cursor on ``line`` of the whole pretty-printed JSON (back from raw or a filter first)."""
        if self._has_json and (self.raw or self.filter_expression is not None):
            was_raw = self.raw
            self._drop_filter()
            self._set_notice("")
            self.raw = False
            self._reload()
            if was_raw:
                self.post_message(self.RawToggled(self, self.raw))
        self._pending_line = line
        self._go_pending()
        self.line_view.focus()

    def _go_pending(self) -> None:
        """Jump to the line asked for once it is prepared (a just-loaded body is still being prepared)."""
        line = self._pending_line
        if line is None:
            return
        view = self.line_view
        if line < len(view.lines) or view.complete:
            self._pending_line = None
            view.move_cursor(line)

    @property
    def notice(self) -> str:
        """What the view had to do differently (a body shown raw because it could not be pretty-printed)."""
        return self._notice

    def _set_notice(self, notice: str) -> None:
        self._notice = notice
        widget = self.query_one("#body-notice", Static)
        widget.update(literal(notice))
        widget.set_class(bool(notice), "-shown")

    def _clear_content(self) -> None:
        self._drop_filter()
        self._set_notice("")
        self._has_json = False
        self._json_value = None
        self._raw_text = None
        self.raw = False
        self.refresh_bindings()

    def _reload(self) -> None:
        view = self.line_view
        if self.raw and self._raw_text is not None:
            view.load(text_lines(self._raw_text))
        else:
            view.load(pretty_json_lines(self._json_value), "json")
        self.refresh_bindings()
        self._rerun_search()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "toggle_raw":
            return self._has_json and self._raw_text is not None
        if action == "close_search":
            return (self._bar is not None and self._bar.has_class("-open")) or self._filter_shown()
        if action == "open_filter":
            return self._has_json
        if action in ("copy_body", "save_body"):
            return bool(self.line_view.lines)
        if action in ("next_match", "previous_match"):
            return bool(self._query)
        return True

    def action_toggle_raw(self) -> None:
        if not (self._has_json and self._raw_text is not None):
            return
        self._drop_filter()
        self.raw = not self.raw
        self._reload()
        self.post_message(self.RawToggled(self, self.raw))

    @on(LineView.Prepared)
    def _on_prepared(self, message: LineView.Prepared) -> None:
        view = self.line_view
        self._go_pending()
        if view.complete and view.failure and self._has_json and not self.raw:
            if self._raw_text is not None:
                self._set_notice(f"not pretty-printed ({view.failure}): showing the body as received")
                self.raw = True
                self._reload()
                return
            self._set_notice(f"pretty-printing stopped early ({view.failure})")
        elif view.complete and view.capped:
            self._set_notice(f"showing the first {len(view.lines):,} lines only")
        if view.complete and self._query:
            self.search(self._query)

    @on(LineView.Searched)
    def _on_searched(self, message: LineView.Searched) -> None:
        self._show_count(partial=message.partial)
