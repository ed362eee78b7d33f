"""The endpoints pane: a filter input over a tree of operations grouped by tag.

It shows operations it is given and posts ``Opened`` when the user picks one; it never loads a
spec or builds a request. The tree renders only visible lines, so thousands of operations cost
tree nodes, not widgets. Every spec string goes through ``literal`` (no markup, no control chars).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Input, LoadingIndicator, Static, Tree
from textual.widgets.tree import TreeNode

from labs_tui.spec.model import Operation
from labs_tui.tui.text import literal
from labs_tui.tui.widgets.endpoints.fuzzy import fuzzy_filter

OPEN_ALL_LIMIT = 300  # more matches than this: groups open on demand (Enter / click), the first one open
FILTER_DEBOUNCE_S = 0.08  # refill the tree once typing pauses, not on every keystroke

METHOD_STYLES: dict[str, str] = {
    "GET": "bold green",
    "POST": "bold yellow",
    "PUT": "bold blue",
    "PATCH": "bold magenta",
    "DELETE": "bold red",
}


def method_badge(method: str) -> Text:
    """The method padded to a fixed width in its colour."""
    return Text(f"{method:<7}", style=METHOD_STYLES.get(method, "bold cyan"))


def operation_label(operation: Operation) -> Text:
    label = Text.assemble(method_badge(operation.method), literal(operation.path))
    if operation.deprecated:
        label.stylize("strike", 7)
        label.append(" deprecated", style="dim italic")
    return label


class EndpointsPane(Vertical):
    """Operations grouped by first tag; ``/`` (bound on the screen) focuses the filter."""

    DEFAULT_CSS = """
    EndpointsPane { border: round $primary-darken-1; border-title-color: $text; }
    EndpointsPane:focus-within { border: round $accent; }
    EndpointsPane #filter { margin: 0 0 1 0; }
    EndpointsPane Tree { height: 1fr; background: $surface; }
    EndpointsPane #endpoints-status { color: $text-muted; height: auto; padding: 0 1; }
    EndpointsPane #endpoints-status.-error { color: $error; }
    EndpointsPane LoadingIndicator { height: 3; }
    """

    BINDINGS = [Binding("down", "to_tree", "to list", show=False)]

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
        self._operations: tuple[Operation, ...] = ()
        self._members: dict[str, list[Operation]] = {}
        self._fill_timer: Timer | None = None
        self.border_title = "Endpoints"

    def compose(self) -> ComposeResult:
        yield Input(placeholder="/ filter", id="filter", compact=True)
        yield LoadingIndicator()
        yield Static("", id="endpoints-status")
        tree: Tree[Operation | None] = Tree("endpoints", id="endpoint-tree")
        tree.show_root = False
        tree.guide_depth = 2
        yield tree

    @property
    def endpoint_tree(self) -> Tree[Operation | None]:
        return self.query_one("#endpoint-tree", Tree)

    def show_loading(self, note: str = "loading spec...") -> None:
        self.query_one(LoadingIndicator).display = True
        self._status(note)

    def show_error(self, message: str) -> None:
        """A spec that could not be loaded: its one-line error, in place of the list."""
        self.query_one(LoadingIndicator).display = False
        self._status(message, error=True)

    def show_operations(self, operations: Sequence[Operation]) -> None:
        self.query_one(LoadingIndicator).display = False
        self._operations = tuple(operations)
        self._status("")
        self._fill(self.query_one("#filter", Input).value)

    def select(self, operation: Operation) -> None:
        """Put the cursor on ``operation`` (clearing a filter that hides it)."""
        node = self._find(operation)
        if node is None:
            self.query_one("#filter", Input).value = ""
            self._fill("")
            node = self._find(operation)
        if node is not None:
            self.call_after_refresh(self.endpoint_tree.move_cursor, node)

    def focus_filter(self) -> None:
        self.query_one("#filter", Input).focus()

    def _find(self, operation: Operation) -> TreeNode[Operation | None] | None:
        for group in self.endpoint_tree.root.children:
            if str(group.id) in self._members and operation in self._members[str(group.id)]:
                self._populate(group)
                group.expand()
                for node in group.children:
                    if node.data is not None and node.data.key == operation.key:
                        return node
        return None

    def _populate(self, group: TreeNode[Operation | None]) -> None:
        """Leaves are made when a group first opens, so a huge spec costs one node per tag up front."""
        if group.children:
            return
        for operation in self._members.get(str(group.id), ()):
            group.add_leaf(operation_label(operation), data=operation)

    def _status(self, text: str, *, error: bool = False) -> None:
        status = self.query_one("#endpoints-status", Static)
        status.update(literal(text))
        status.set_class(error, "-error")
        status.display = bool(text)

    def _fill(self, text: str) -> None:
        matches = fuzzy_filter(self._operations, text)
        total = len(self._operations)
        self.border_title = f"Endpoints {total}" if not text.strip() else f"Endpoints {len(matches)}/{total}"
        groups: dict[str, list[Operation]] = {}
        for operation in matches:
            groups.setdefault(operation.first_tag, []).append(operation)
        tree = self.endpoint_tree
        tree.clear()
        self._members = {}
        open_all = len(matches) <= OPEN_ALL_LIMIT
        for number, (tag, members) in enumerate(groups.items()):
            label = Text.assemble(literal(tag), (f"  {len(members)}", "dim"))
            group = tree.root.add(label, data=None, expand=False, allow_expand=True)
            self._members[str(group.id)] = members
            if open_all or number == 0:
                self._populate(group)
                group.expand()
        if not matches and total:
            self._status("no endpoint matches the filter")
        elif not self.query_one("#endpoints-status", Static).has_class("-error"):
            self._status("")
        if matches:
            first = self._find(matches[0])
            if first is not None:
                self.call_after_refresh(tree.move_cursor, first)

    @on(Tree.NodeExpanded, "#endpoint-tree")
    def _expanded(self, event: Tree.NodeExpanded[Operation | None]) -> None:
        event.stop()
        self._populate(event.node)

    def _schedule_fill(self, text: str) -> None:
        if self._fill_timer is not None:
            self._fill_timer.stop()
        self._fill_timer = self.set_timer(FILTER_DEBOUNCE_S, lambda: self._fill(text))

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._schedule_fill(event.value)

    @on(Input.Submitted, "#filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.endpoint_tree.focus()

    def action_to_tree(self) -> None:
        self.endpoint_tree.focus()

    @on(Tree.NodeSelected, "#endpoint-tree")
    def _node_selected(self, event: Tree.NodeSelected[Operation | None]) -> None:
        event.stop()
        if event.node.data is not None:
            self.post_message(self.Opened(self, event.node.data))
