"""The endpoint list: tag group headers and operation rows, drawn one screen line at a time.

A ``ScrollView`` on Textual's line API: the rows are a plain list (a ``Group`` header, then its
operations), and ``render_line`` builds only the lines on screen, so 22,000 operations cost one
list of references, never widgets or tree nodes, and refilling it after a filter keystroke is one
pass over the matches. Each row is fitted to the list's width when drawn (a long path loses segments
from its middle, ``elide_path``; the summary follows, dimmed, when there is room), so the list never
scrolls sideways. Groups come in the CLI's order (``labs_tui.spec.filter.group_by_tag``).
It shows what it is given and says which row was picked (``Picked``); it
never filters, loads a spec or opens a request. Spec strings are shown literally (``sanitize``:
no markup is ever parsed, control characters become visible stand-ins).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from labs_tui.spec import Operation, group_by_tag
from labs_tui.tui.text import inert_line

BADGE_WIDTH = 7
INDENT = 2
DEPRECATED_NOTE = " deprecated"
ELLIPSIS = "\u2026"
SUMMARY_GAP = "  "
MIN_SUMMARY = 8  # cells a summary needs beside the path to be worth showing
METHOD_STYLES: dict[str, str] = {
    "GET": "bold green",
    "POST": "bold yellow",
    "PUT": "bold blue",
    "PATCH": "bold magenta",
    "DELETE": "bold red",
}
OTHER_METHOD_STYLE = "bold cyan"


def _cut_cells(text: str, width: int, *, from_end: bool = False) -> str:
    """The longest start (or end) of ``text`` that fits in ``width`` cells."""
    chars = reversed(text) if from_end else iter(text)
    kept: list[str] = []
    used = 0
    for char in chars:
        used += cell_len(char)
        if used > width:
            break
        kept.append(char)
    return "".join(reversed(kept)) if from_end else "".join(kept)


def elide_path(path: str, width: int) -> str:
    """``path`` in ``width`` cells, whole segments dropped from its middle: ``/api/v2/dags/…/tasks/{id}``.

    The last segment is kept first, then segments are added from the front and the back in turn
    while they fit. A path whose ends alone do not fit loses characters from its middle instead.
    """
    if cell_len(path) <= width:
        return path
    if width <= 1:
        return ELLIPSIS[:width]
    parts = path.split("/")
    if len(parts) >= 3:
        head, tail = 1, len(parts) - 1  # parts[:head] and parts[tail:] are kept

        def joined(head: int, tail: int) -> str:
            return "/".join(parts[:head]) + "/" + ELLIPSIS + "/" + "/".join(parts[tail:])

        best = joined(head, tail)
        if cell_len(best) <= width:
            grow_back = True
            while head < tail - 1:
                options = [(head, tail - 1), (head + 1, tail)]
                if not grow_back:
                    options.reverse()
                for new_head, new_tail in options:
                    candidate = joined(new_head, new_tail)
                    if cell_len(candidate) <= width:
                        head, tail, best = new_head, new_tail, candidate
                        break
                else:
                    break
                grow_back = not grow_back
            return best
    room = width - 1
    back = _cut_cells(path, room - room // 2 if room > 1 else room, from_end=True)
    front = _cut_cells(path, room - cell_len(back))
    return front + ELLIPSIS + back


def _cut_end(text: str, width: int) -> str:
    """``text`` in ``width`` cells, cut at the end with an ellipsis when it is longer."""
    if cell_len(text) <= width:
        return text
    return _cut_cells(text, width - 1) + ELLIPSIS if width > 0 else ""


def parse_method_styles(colours: Mapping[str, str]) -> dict[str, Style]:
    """Rich styles for method badges: ``{"GET": "#8ae234"}`` (a bare colour is made bold) or a style."""
    styles: dict[str, Style] = {}
    for method, value in colours.items():
        text = value.strip()
        plain_colour = " " not in text and not text.startswith("bold")
        styles[method.upper()] = Style.parse(f"bold {text}" if plain_colour else text)
    return styles


@dataclass(eq=False)
class Group:
    """A tag's header row: its name, how many operations it holds, whether they are hidden."""

    tag: str
    operations: list[Operation]
    collapsed: bool = False


Row = Group | Operation


class EndpointList(ScrollView, can_focus=True):
    """Rows of tag headers and operations with a cursor; Enter picks an operation or folds a group."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "endpoint-list--cursor",
        "endpoint-list--group",
        "endpoint-list--count",
        "endpoint-list--deprecated",
        "endpoint-list--summary",
    }

    DEFAULT_CSS = """
    EndpointList { background: $surface; }
    EndpointList > .endpoint-list--cursor { background: $block-cursor-blurred-background; }
    EndpointList:focus > .endpoint-list--cursor {
        background: $block-cursor-background; color: $block-cursor-foreground; text-style: bold;
    }
    EndpointList > .endpoint-list--group { text-style: bold; color: $text; }
    EndpointList > .endpoint-list--count { color: $text-muted; }
    EndpointList > .endpoint-list--deprecated { color: $text-muted; text-style: italic; }
    EndpointList > .endpoint-list--summary { color: $text-muted; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "pick", "open", show=False),
        Binding("space", "toggle_group", "fold group", show=False),
        Binding("up", "cursor_up", "up", show=False),
        Binding("down", "cursor_down", "down", show=False),
        Binding("pageup", "page_up_rows", "page up", show=False),
        Binding("pagedown", "page_down_rows", "page down", show=False),
        Binding("home", "first_row", "first", show=False),
        Binding("end", "last_row", "last", show=False),
        Binding("left", "fold", "fold group", show=False),
        Binding("right", "unfold", "unfold group", show=False),
    ]

    cursor: reactive[int] = reactive(0, always_update=True, init=False)

    @dataclass
    class Picked(Message):
        """Enter (or a click) on an operation row."""

        endpoint_list: EndpointList
        operation: Operation

        @property
        def control(self) -> EndpointList:
            return self.endpoint_list

    class LeftTop(Message):
        """``up`` on the first row: the pane moves focus to its filter."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._groups: list[Group] = []
        self._rows: list[Row] = []
        self._labels: dict[int, str] = {}  # id(operation) -> its sanitized path
        self._summaries: dict[int, str] = {}  # id(operation) -> its sanitized one-line summary
        self._method_styles = parse_method_styles(METHOD_STYLES)
        self._other_style = Style.parse(OTHER_METHOD_STYLE)

    # -- content ---------------------------------------------------------------------------------

    @property
    def rows(self) -> Sequence[Row]:
        return self._rows

    @property
    def groups(self) -> Sequence[Group]:
        return self._groups

    @property
    def method_colors(self) -> dict[str, Style]:
        return dict(self._method_styles)

    @method_colors.setter
    def method_colors(self, colours: Mapping[str, str]) -> None:
        """Badge colours by method (``{"GET": "#8ae234", "DELETE": "bold #ef2929"}``); others keep theirs."""
        self._method_styles = {**self._method_styles, **parse_method_styles(colours)}
        self.refresh()

    def measure(self, operations: Sequence[Operation]) -> None:
        """A new spec's operations: forget the texts drawn for the previous one.

        Rows are fitted to the list's width (paths elided in the middle, summaries cut), so the list
        never scrolls sideways and filtering never changes its width.
        """
        self._labels.clear()
        self._summaries.clear()

    def show(self, operations: Sequence[Operation], tag_order: Sequence[str] = ()) -> None:
        """Group ``operations`` by first tag as the CLI does (``group_by_tag``); cursor on the first."""
        self._groups = [Group(tag, members) for tag, members in group_by_tag(operations, tag_order)]
        self._rebuild()
        self.scroll_to(0, 0, animate=False, immediate=True)
        self.cursor = 1 if self._rows else 0

    def _rebuild(self) -> None:
        rows: list[Row] = []
        for group in self._groups:
            rows.append(group)
            if not group.collapsed:
                rows.extend(group.operations)
        self._rows = rows
        self.virtual_size = Size(0, len(rows))
        self.refresh()

    def index_of(self, operation: Operation) -> int | None:
        """The row showing ``operation`` (unfolding its group), or None when it is not listed."""
        for group in self._groups:
            if any(member is operation or member.key == operation.key for member in group.operations):
                if group.collapsed:
                    group.collapsed = False
                    self._rebuild()
                break
        else:
            return None
        for number, row in enumerate(self._rows):
            if isinstance(row, Operation) and (row is operation or row.key == operation.key):
                return number
        return None

    @property
    def current(self) -> Row | None:
        return self._rows[self.cursor] if 0 <= self.cursor < len(self._rows) else None

    # -- drawing ---------------------------------------------------------------------------------

    def _path_text(self, operation: Operation) -> str:
        key = id(operation)
        label = self._labels.get(key)
        if label is None:
            if len(self._labels) > 50_000:
                self._labels.clear()
            label = self._labels[key] = inert_line(operation.path)
        return label

    def _summary_text(self, operation: Operation) -> str:
        key = id(operation)
        summary = self._summaries.get(key)
        if summary is None:
            if len(self._summaries) > 50_000:
                self._summaries.clear()
            summary = self._summaries[key] = inert_line(" ".join(operation.summary.split()))
        return summary

    def _foreground(self, component: str) -> Style:
        """A component's text colour and style, without its background (the row's line style has it).

        Read in full rather than ``partial``: only then are ``auto`` and translucent colours such as
        ``$text`` resolved against the background, instead of coming out white on any theme.
        """
        full = self.get_component_rich_style(component)
        return Style(color=full.color, bold=full.bold, italic=full.italic, dim=full.dim)

    def _segments(self, row: Row, width: int) -> list[Segment]:
        """One row in ``width`` cells: a group's arrow, tag and count; an operation's badge, path, summary."""
        if isinstance(row, Group):
            group_style = self._foreground("endpoint-list--group")
            count_style = self._foreground("endpoint-list--count")
            arrow = "\u25b6 " if row.collapsed else "\u25bc "
            count = f"  {len(row.operations)}"
            tag = _cut_end(inert_line(row.tag), max(1, width - len(arrow) - len(count)))
            return [Segment(arrow, count_style), Segment(tag, group_style), Segment(count, count_style)]
        badge = self._method_styles.get(row.method, self._other_style)
        segments = [Segment(" " * INDENT), Segment(f"{row.method:<{BADGE_WIDTH}}", badge)]
        note = DEPRECATED_NOTE if row.deprecated else ""
        room = width - INDENT - BADGE_WIDTH - len(note)
        path = elide_path(self._path_text(row), max(room, 8))
        if row.deprecated:
            segments.append(Segment(path, Style(strike=True)))
            segments.append(Segment(note, self._foreground("endpoint-list--deprecated")))
        else:
            segments.append(Segment(path))
        left = room - cell_len(path) - len(SUMMARY_GAP)
        if left >= MIN_SUMMARY:
            summary = self._summary_text(row)
            if summary:
                style = self._foreground("endpoint-list--summary")
                segments.append(Segment(SUMMARY_GAP + _cut_end(summary, left), style))
        return segments

    def render_line(self, y: int) -> Strip:
        scroll_y = self.scroll_offset.y
        index = scroll_y + y
        width = self.scrollable_content_region.width
        base = self.rich_style
        if not 0 <= index < len(self._rows):
            return Strip.blank(width, base)
        line_style = base
        if index == self.cursor:
            line_style = base + self.get_component_rich_style("endpoint-list--cursor")
        segments = [
            Segment(text, line_style + style if style is not None else line_style)
            for text, style, _ in self._segments(self._rows[index], width)
        ]
        strip = Strip(segments)
        if strip.cell_length > width:
            return strip.crop_extend(0, width, line_style)
        return strip.extend_cell_length(width, line_style)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self.refresh()

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    # -- cursor ----------------------------------------------------------------------------------

    def validate_cursor(self, value: int) -> int:
        return max(0, min(value, len(self._rows) - 1))

    def watch_cursor(self, old: int, new: int) -> None:
        self.refresh()
        self.scroll_to_region_of(new)

    def scroll_to_region_of(self, index: int, *, later: bool = True) -> None:
        """Scroll so row ``index`` is on screen; before the first layout, once that is done."""
        height = self.scrollable_content_region.height
        top = self.scroll_offset.y
        if height <= 0:
            if later:
                self.call_after_refresh(lambda: self.scroll_to_region_of(self.cursor, later=False))
            return
        if index < top:
            self.scroll_to(y=index, animate=False, immediate=True)
        elif index >= top + height:
            self.scroll_to(y=index - height + 1, animate=False, immediate=True)

    def move_to(self, index: int) -> None:
        self.cursor = index

    def _page(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)

    def action_cursor_up(self) -> None:
        if self.cursor == 0:
            self.post_message(self.LeftTop())
        else:
            self.cursor -= 1

    def action_cursor_down(self) -> None:
        self.cursor += 1

    def action_page_up_rows(self) -> None:
        self.cursor -= self._page()

    def action_page_down_rows(self) -> None:
        self.cursor += self._page()

    def action_first_row(self) -> None:
        self.cursor = 0

    def action_last_row(self) -> None:
        self.cursor = len(self._rows) - 1

    def _set_folded(self, group: Group, folded: bool) -> None:
        if group.collapsed == folded:
            return
        group.collapsed = folded
        self._rebuild()
        self.cursor = self._rows.index(group)

    def _group_of_cursor(self) -> Group | None:
        for index in range(min(self.cursor, len(self._rows) - 1), -1, -1):
            row = self._rows[index]
            if isinstance(row, Group):
                return row
        return None

    def action_fold(self) -> None:
        group = self._group_of_cursor()
        if group is not None:
            self._set_folded(group, True)

    def action_unfold(self) -> None:
        row = self.current
        if isinstance(row, Group):
            self._set_folded(row, False)

    def action_toggle_group(self) -> None:
        row = self.current
        if isinstance(row, Group):
            self._set_folded(row, not row.collapsed)

    def action_pick(self) -> None:
        row = self.current
        if isinstance(row, Group):
            self._set_folded(row, not row.collapsed)
        elif row is not None:
            self.post_message(self.Picked(self, row))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        index = self.scroll_offset.y + offset.y
        if 0 <= index < len(self._rows):
            self.cursor = index
            self.action_pick()
