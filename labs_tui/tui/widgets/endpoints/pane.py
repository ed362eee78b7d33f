"""The endpoints pane: a filter input over the list of operations grouped by tag, with a count.

It shows operations it is given and posts ``Opened`` when the user picks one; it never loads a
spec or builds a request. The list (``listing.EndpointList``) draws only the lines on screen, and
the core's filter (``labs_tui.spec.FilterIndex``, the one ``labs-tui endpoints FILTER`` uses) runs
on every keystroke over precomputed keys, so a spec with 20,000+ operations filters as it is
typed. Every spec string is shown literally (no markup, no control characters). ``[`` / ``]`` on
the list make the pane narrower / wider; the width chosen holds for every main screen of the session
(the stylesheet's proportional width applies until then; ctrl+b on the screen hides the pane).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from rich.style import Style
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, LoadingIndicator, Static

from labs_tui.spec import FilterIndex, Operation
from labs_tui.tui.text import literal
from labs_tui.tui.widgets.endpoints.listing import (
    BADGE_WIDTH,
    METHOD_STYLES,
    OTHER_METHOD_STYLE,
    EndpointList,
    Group,
)

__all__ = ["EndpointsPane", "EndpointList", "Group", "METHOD_STYLES", "method_badge", "operation_label"]


NARROWER, WIDER = "list-narrower", "list-wider"
_chosen_width: int | None = None  # the width picked with [ / ]: every main screen of the session uses it


def method_badge(method: str) -> Text:
    """The method padded to a fixed width in its colour."""
    return Text(f"{method:<{BADGE_WIDTH}}", style=METHOD_STYLES.get(method, OTHER_METHOD_STYLE))


def operation_label(operation: Operation) -> Text:
    label = Text.assemble(method_badge(operation.method), literal(operation.path))
    if operation.deprecated:
        label.stylize("strike", BADGE_WIDTH)
        label.append(" deprecated", style="dim italic")
    return label


class EndpointsPane(Vertical):
    """Operations grouped by first tag; ``/`` (bound on the screen) focuses the filter."""

    DEFAULT_CSS = """
    EndpointsPane { border: round $primary-darken-1; border-title-color: $text; }
    EndpointsPane:focus-within { border: round $accent; }
    EndpointsPane #filter { margin: 0 0 1 0; }
    EndpointsPane EndpointList { height: 1fr; }
    EndpointsPane #endpoints-status { color: $text-muted; height: auto; padding: 0 1; }
    EndpointsPane #endpoints-status.-error { color: $error; }
    EndpointsPane LoadingIndicator { height: 3; }
    """

    BINDINGS = [
        Binding("down", "to_tree", "to list", show=False),
        Binding(
            "left_square_bracket", "resize(-4)", "list narrower", key_display="[", show=False, id=NARROWER
        ),
        Binding("right_square_bracket", "resize(4)", "list wider", key_display="]", show=False, id=WIDER),
    ]

    MIN_WIDTH = 20
    MIN_WORK_WIDTH = 40  # columns always left to the request and response

    @property
    def chosen_width(self) -> int | None:
        """The width set with ``[`` / ``]`` this session (None: the stylesheet's proportional one)."""
        return _chosen_width

    def on_mount(self) -> None:
        if _chosen_width is not None:
            self._set_width(_chosen_width)

    def action_resize(self, delta: int) -> None:
        """The list ``delta`` columns wider (narrower when negative), within bounds, for the session."""
        global _chosen_width
        limit = max(self.MIN_WIDTH, self.screen.size.width - self.MIN_WORK_WIDTH)
        width = max(self.MIN_WIDTH, min(limit, self.outer_size.width + delta))
        _chosen_width = width
        self._set_width(width)

    def _set_width(self, width: int) -> None:
        self.styles.width = width
        self.styles.min_width = width
        self.styles.max_width = width

    @dataclass
    class Opened(Message):
        """The user picked an operation (Enter on it)."""

        pane: EndpointsPane
        operation: Operation

        @property
        def control(self) -> EndpointsPane:
            return self.pane

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._index = FilterIndex(())
        self._tag_order: tuple[str, ...] = ()
        self._shown_text = ""
        self.border_title = "Endpoints"

    def compose(self) -> ComposeResult:
        yield Input(placeholder="/ filter", id="filter", compact=True)
        yield Static("", id="endpoints-status")
        yield EndpointList(id="endpoint-list")

    @property
    def endpoint_list(self) -> EndpointList:
        return self.query_one("#endpoint-list", EndpointList)

    @property
    def endpoint_tree(self) -> EndpointList:
        """The list (named for the tree it replaced; the main screen focuses it)."""
        return self.endpoint_list

    @property
    def method_colors(self) -> dict[str, Style]:
        return self.endpoint_list.method_colors

    @method_colors.setter
    def method_colors(self, colours: Mapping[str, str]) -> None:
        """Badge colours by method, e.g. from a theme: ``pane.method_colors = {"GET": "#8ae234"}``."""
        self.endpoint_list.method_colors = colours

    @property
    def matches(self) -> int:
        """How many operations the filter lets through (all of them when it is blank)."""
        return sum(len(group.operations) for group in self.endpoint_list.groups)

    def show_loading(self, note: str = "loading spec...") -> None:
        """The spinner, mounted only while a spec loads: its animation timer is not free."""
        if not self.query(LoadingIndicator):
            self.mount(LoadingIndicator(), before=self.query_one("#endpoints-status"))
        self._status(note)

    def _stop_loading(self) -> None:
        for indicator in self.query(LoadingIndicator):
            indicator.remove()

    def show_error(self, message: str) -> None:
        """A spec that could not be loaded: its one-line error, in place of the list."""
        self._stop_loading()
        self._status(message, error=True)

    def show_operations(self, operations: Sequence[Operation], tag_order: Sequence[str] = ()) -> None:
        """A spec's operations; ``tag_order``: its declared tags (``declared_tags``), groups come in it."""
        self._stop_loading()
        self._tag_order = tuple(tag_order)
        self._index = FilterIndex(operations)
        self.endpoint_list.measure(self._index.operations)
        self._status("")
        self._fill(self.query_one("#filter", Input).value)

    def select(self, operation: Operation) -> None:
        """Put the cursor on ``operation`` (clearing a filter that hides it)."""
        listing = self.endpoint_list
        index = listing.index_of(operation)
        if index is None:
            self.query_one("#filter", Input).value = ""
            self._fill("")
            index = listing.index_of(operation)
        if index is not None:
            listing.move_to(index)

    def focus_filter(self) -> None:
        self.query_one("#filter", Input).focus()

    def _status(self, text: str, *, error: bool = False) -> None:
        status = self.query_one("#endpoints-status", Static)
        unchanged = str(status.content) == text and status.has_class("-error") == error
        if unchanged and status.display == bool(text):
            return
        status.update(literal(text))
        status.set_class(error, "-error")
        status.display = bool(text)

    def _fill(self, text: str) -> None:
        self._shown_text = text
        matches = self._index.filter(text)
        total = len(self._index)
        self.border_title = f"Endpoints {total}" if not text.strip() else f"Endpoints {len(matches)}/{total}"
        self.endpoint_list.show(matches, self._tag_order)
        if not matches and total:
            self._status("no endpoint matches the filter")
        elif not self.query_one("#endpoints-status", Static).has_class("-error"):
            self._status("")

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        event.stop()
        if event.value != self._shown_text:
            self._fill(event.value)

    @on(Input.Submitted, "#filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.endpoint_list.focus()

    def action_to_tree(self) -> None:
        self.endpoint_list.focus()

    @on(EndpointList.LeftTop)
    def _left_top(self, event: EndpointList.LeftTop) -> None:
        event.stop()
        self.focus_filter()

    @on(EndpointList.Picked)
    def _picked(self, event: EndpointList.Picked) -> None:
        event.stop()
        self.post_message(self.Opened(self, event.operation))
