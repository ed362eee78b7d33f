"""A virtualized, searchable view of a response body: fast on bodies of tens of MB.

``LineView`` is a ``ScrollView`` on Textual's line API: it keeps the body as a list of display lines,
renders only the rows on screen, highlights a line the first time it is shown (LRU-cached), and crops long
lines to the viewport instead of wrapping them. The lines are prepared (pretty-printed, sanitized, tabs
expanded) by a thread worker that publishes them as it goes, so the first screen appears after the first few
hundred lines, not after the whole body, and keys are answered while the rest is prepared. Search runs in
another thread worker over the lines prepared so far (and again once preparation ends).

``BodyView`` wraps a ``LineView`` with a search bar and the raw/pretty toggle; the response pane uses one
for its Body tab and the compare view can use one per side (``show_lines`` takes lines it has aligned
itself).

It must not: parse markup or pass control characters through (every line goes through ``text.sanitize``),
pretty-print or highlight the whole body on the UI thread, or hold more than ``MAX_LINES`` lines.
"""

from __future__ import annotations

import atexit
import gc
import json
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Input, Static
from textual.worker import get_current_worker

from labs_tui.gcpause import gc_paused
from labs_tui.tui.text import inert, literal
from labs_tui.tui.widgets.response.highlight import SyntaxColours, highlight_json_line

__all__ = [
    "BodyView",
    "LineView",
    "MAX_LINES",
    "LONG_LINE",
    "pointer_lines",
    "pretty_json_lines",
    "text_lines",
]

Syntax = Literal["json"] | None

MAX_LINES = 5_000_000
"""Preparation stops here and says so: a body of blank lines must not exhaust memory."""
LONG_LINE = 4_000
"""Lines longer than this are shown through a window at the scroll position, unhighlighted."""
FIRST_SCREEN = 200
"""Lines to publish at once, before the time-sliced updates: more than any screen is tall."""
PUBLISH_EVERY_S = 0.05
MAX_MATCHES = 100_000
CACHE_SIZE = 2_048
TAB_SIZE = 4


_exit_hook_set = False


def _skip_collections_at_exit() -> None:
    """At interpreter exit, freeze what is alive instead of letting the final full collections walk it.

    A 50 MB JSON body is a million objects held by widget cycles; the collections the interpreter runs
    as it shuts down took over a second after ctrl+q. Nothing is left to reclaim at exit, so they are
    skipped (``atexit`` runs before them); the operating system frees the memory.
    """
    global _exit_hook_set
    if not _exit_hook_set:
        _exit_hook_set = True
        atexit.register(gc.freeze)


def pretty_json_lines(value: Any) -> Iterator[str]:
    """Yield the lines of ``value`` pretty-printed (indent 2), lazily, as the encoder produces them."""
    encoder = json.JSONEncoder(indent=2, ensure_ascii=False)
    pending: list[str] = []
    for chunk in encoder.iterencode(value):
        if "\n" not in chunk:
            pending.append(chunk)
            continue
        parts = chunk.split("\n")
        pending.append(parts[0])
        yield "".join(pending)
        yield from parts[1:-1]
        pending = [parts[-1]]
    yield "".join(pending)


def _pretty_line_count(value: Any, memo: dict[int, int]) -> int:
    """How many lines ``value`` takes in ``pretty_json_lines``: 1 for a scalar or an empty container,
    else its brackets' two plus its members'. Iterative (deep bodies), memoised by ``id``."""
    if not isinstance(value, dict | list) or not value:
        return 1
    found = memo.get(id(value))
    if found is not None:
        return found
    stack: list[tuple[Any, bool]] = [(value, False)]
    while stack:
        node, expanded = stack.pop()
        children = list(node.values()) if isinstance(node, dict) else node
        if expanded:
            memo[id(node)] = 2 + sum(memo[id(c)] if isinstance(c, dict | list) and c else 1 for c in children)
            continue
        if id(node) in memo:
            continue
        stack.append((node, True))
        stack.extend((c, False) for c in children if isinstance(c, dict | list) and c and id(c) not in memo)
    return memo[id(value)]


def _pointer_parts(pointer: str) -> list[str]:
    if not pointer:
        return []
    return [part.replace("~1", "/").replace("~0", "~") for part in pointer.split("/")[1:]]


def pointer_lines(value: Any, pointers: Iterable[str]) -> dict[str, int]:
    """The line of ``pretty_json_lines(value)`` each JSON pointer's value starts on (0-based).

    A pointer into something that is not there (a missing property) gets the line of the deepest part
    that is. Each subtree is counted once whatever the number of pointers, so this is linear in the body;
    run it off the UI thread on big bodies.
    """
    memo: dict[int, int] = {}
    out: dict[str, int] = {}
    for pointer in pointers:
        node, line = value, 0
        for part in _pointer_parts(pointer):
            if isinstance(node, dict) and part in node:
                line += 1
                for key, child in node.items():
                    if key == part:
                        node = child
                        break
                    line += _pretty_line_count(child, memo)
            elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
                index = int(part)
                line += 1 + sum(_pretty_line_count(child, memo) for child in node[:index])
                node = node[index]
            else:
                break
        out[pointer] = line
    return out


def text_lines(text: str) -> Iterator[str]:
    """Yield the lines of ``text``; the CR of a CRLF line ending is dropped, any other CR stays visible."""
    for line in text.split("\n"):
        yield line[:-1] if line.endswith("\r") else line


@dataclass(eq=False)
class _Document:
    """Lines being prepared by one worker; replaced, never reset, when new content arrives."""

    syntax: Syntax
    lines: list[str] = field(default_factory=list)
    width: int = 0
    complete: bool = False
    capped: bool = False
    failure: str | None = None
    cancelled: bool = False
    loaded_at: float = field(default_factory=time.perf_counter)


@dataclass(frozen=True)
class _Match:
    line: int
    start: int
    end: int


class LineView(ScrollView, can_focus=True):
    """Renders prepared lines on demand; a cursor line marks the reading position and the current match."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"lineview--cursor", "lineview--match", "lineview--match-current"}

    DEFAULT_CSS = """
    LineView {
        background: $surface;
        color: $foreground;
    }
    LineView > .lineview--cursor { background: $boost; }
    LineView:focus > .lineview--cursor { background: $primary 25%; }
    LineView > .lineview--match { background: $warning 40%; }
    LineView > .lineview--match-current { background: $warning; color: $background; text-style: bold; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor_up", "Line up", show=False),
        Binding("down", "cursor_down", "Line down", show=False),
        Binding("pageup", "cursor_page_up", "Page up", show=False),
        Binding("pagedown", "cursor_page_down", "Page down", show=False),
        Binding("home", "cursor_home", "Top", show=False),
        Binding("end", "cursor_end", "Bottom", show=False),
    ]

    class Prepared(Message):
        """More lines are ready (``complete`` when all are); posted by the preparing thread."""

        def __init__(self, view: LineView, document: object) -> None:
            super().__init__()
            self.view = view
            self.document = document

        @property
        def control(self) -> LineView:
            return self.view

    def __init__(self, *, name: str | None = None, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._doc = _Document(syntax=None, complete=True)
        self._colours = SyntaxColours()
        self._cache: OrderedDict[int, Strip] = OrderedDict()
        self._matches: list[_Match] = []
        self._matches_by_line: dict[int, list[_Match]] = {}
        self._current_match: int | None = None
        self.cursor_line = 0
        self._search_generation = 0
        self.first_render_at: float | None = None
        """perf_counter of the first render of a prepared line of the current content (for benchmarks)."""

    # -- content -------------------------------------------------------------------------------------------

    @property
    def lines(self) -> Sequence[str]:
        """The display lines prepared so far (sanitized; may still grow)."""
        return self._doc.lines

    @property
    def complete(self) -> bool:
        return self._doc.complete

    @property
    def capped(self) -> bool:
        return self._doc.capped

    @property
    def failure(self) -> str | None:
        """Why preparation stopped early (an encoder error), or None."""
        return self._doc.failure

    @property
    def colours(self) -> SyntaxColours:
        return self._colours

    @colours.setter
    def colours(self, colours: SyntaxColours) -> None:
        self._colours = colours
        self._cache.clear()
        self.refresh()

    def load(self, source: Iterable[str], syntax: Syntax = None) -> None:
        """Show the lines ``source`` yields, prepared in a thread; replaces what was shown."""
        _skip_collections_at_exit()
        self._doc.cancelled = True
        doc = _Document(syntax=syntax)
        self._doc = doc
        self._cache.clear()
        self._set_matches([])
        self.cursor_line = 0
        self.first_render_at = None
        self.scroll_to(0, 0, animate=False, immediate=True)
        self.virtual_size = Size(0, 0)
        self.refresh()
        self._prepare(doc, source)

    def on_unmount(self) -> None:
        # Stop the preparing and searching threads now: the app's exit waits for its worker threads,
        # and a 50 MB body would otherwise hold ctrl+q for as long as the rest takes to prepare.
        self._doc.cancelled = True

    @work(thread=True, group="prepare")
    def _prepare(self, doc: _Document, source: Iterable[str]) -> None:
        worker = get_current_worker()
        # The collector is paused while the lines are made: the encoder allocates all the time, and
        # each full collection would walk the whole parsed body while the UI thread waits (gcpause).
        with gc_paused():
            self._prepare_lines(doc, source, lambda: doc.cancelled or worker.is_cancelled)
        if not doc.cancelled:
            doc.complete = True
            self.post_message(self.Prepared(self, doc))

    def _prepare_lines(self, doc: _Document, source: Iterable[str], stopped: Callable[[], bool]) -> None:
        lines = doc.lines
        published = 0
        last = time.perf_counter()
        try:
            for raw in source:
                line = inert(raw)
                if "\t" in line:
                    line = line.expandtabs(TAB_SIZE)
                lines.append(line)
                # A line past LONG_LINE is shown through a window: its width need not be exact (cell_len
                # walks it character by character, seconds for one 50 MB line).
                width = len(line) if len(line) > LONG_LINE or line.isascii() else cell_len(line)
                if width > doc.width:
                    doc.width = width
                count = len(lines)
                if count >= MAX_LINES:
                    doc.capped = True
                    break
                if count & 255 == 0:
                    if stopped():
                        doc.cancelled = True
                        return
                    # Hand the GIL to the UI thread if it is waiting: keys stay quick while this runs.
                    time.sleep(0)
                    if time.perf_counter() - last > PUBLISH_EVERY_S:
                        published = count
                        last = time.perf_counter()
                        self.post_message(self.Prepared(self, doc))
                elif published == 0 and count >= FIRST_SCREEN:
                    published = count
                    self.post_message(self.Prepared(self, doc))
        except (RecursionError, ValueError, TypeError, OverflowError) as exc:
            doc.failure = f"{type(exc).__name__}: {exc}".splitlines()[0][:200]

    @on(Prepared)
    def _on_prepared(self, message: Prepared) -> None:
        if message.document is not self._doc:
            message.stop()
            return
        doc = self._doc
        self.virtual_size = Size(doc.width, len(doc.lines))
        self.refresh()

    # -- rendering -----------------------------------------------------------------------------------------

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._cache.clear()

    def _full_strip(self, index: int) -> Strip:
        cached = self._cache.get(index)
        if cached is not None:
            self._cache.move_to_end(index)
            return cached
        line = self._doc.lines[index]
        segments: list[Segment]
        if self._doc.syntax == "json":
            segments = highlight_json_line(line, self._colours)
        else:
            segments = [Segment(line)]
        strip = Strip(segments, len(line) if line.isascii() else cell_len(line))
        self._cache[index] = strip
        if len(self._cache) > CACHE_SIZE:
            self._cache.popitem(last=False)
        return strip

    def _decorate(self, strip: Strip, line: str, offset: int, spans: list[tuple[int, int, Style]]) -> Strip:
        """Style character spans (match marks) on ``strip``, whose first cell shows ``line[offset]``."""
        ascii_line = line.isascii()
        for start, end, style in spans:
            start = max(start - offset, 0)
            end = max(end - offset, 0)
            if end <= start:
                continue
            if ascii_line:
                cell_start, cell_end = start, end
            else:
                cell_start = cell_len(line[offset : offset + start])
                cell_end = cell_start + cell_len(line[offset + start : offset + end])
            before, middle, after = strip.divide([cell_start, cell_end, strip.cell_length])
            marked = Strip(Segment.apply_style(middle, post_style=style), middle.cell_length)
            strip = Strip.join([before, marked, after])
        return strip

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        width = self.size.width
        base = self.rich_style
        index = scroll_y + y
        lines = self._doc.lines
        if index >= len(lines):
            return Strip.blank(width, base)
        if self.first_render_at is None:
            self.first_render_at = time.perf_counter()
        line = lines[index]
        matches = self._matches_by_line.get(index)
        if len(line) > LONG_LINE:
            window = line[scroll_x : scroll_x + width]
            strip = Strip([Segment(window)], cell_len(window))
            offset, crop_from = scroll_x, 0
        else:
            strip = self._full_strip(index)
            offset, crop_from = 0, scroll_x
        if matches:
            current = self._matches[self._current_match] if self._current_match is not None else None
            match_style = self.get_component_rich_style("lineview--match")
            current_style = self.get_component_rich_style("lineview--match-current")
            spans = [(m.start, m.end, current_style if m == current else match_style) for m in matches]
            strip = self._decorate(strip, line, offset, spans)
        strip = strip.crop_extend(crop_from, crop_from + width, None)
        if index == self.cursor_line:
            strip = strip.apply_style(self.get_component_rich_style("lineview--cursor"))
        return strip.apply_style(base).apply_offsets(scroll_x, index)

    # -- cursor --------------------------------------------------------------------------------------------

    def move_cursor(self, line: int, column: int | None = None) -> None:
        """Put the cursor on ``line`` (clamped) and scroll it into view, centred after a jump."""
        count = len(self._doc.lines)
        line = max(0, min(line, count - 1)) if count else 0
        old = self.cursor_line
        self.cursor_line = line
        height = self.scrollable_content_region.height or self.size.height
        top = int(self.scroll_y)
        target_y: float | None = None
        if line < top or line >= top + height:
            target_y = (
                max(0, line - height // 2)
                if abs(line - old) > 1
                else (line if line < top else line - height + 1)
            )
        target_x: float | None = None
        if column is not None:
            width = self.scrollable_content_region.width or self.size.width
            if column < self.scroll_x or column >= self.scroll_x + width - 1:
                target_x = max(0, column - width // 3)
        if target_x is not None or target_y is not None:
            self.scroll_to(target_x, target_y, animate=False, immediate=True)
        self.refresh()

    def on_click(self, event: events.Click) -> None:
        self.move_cursor(int(self.scroll_y) + event.y)

    def _page(self) -> int:
        return max(1, (self.scrollable_content_region.height or self.size.height) - 1)

    def action_cursor_up(self) -> None:
        self.move_cursor(self.cursor_line - 1)

    def action_cursor_down(self) -> None:
        self.move_cursor(self.cursor_line + 1)

    def action_cursor_page_up(self) -> None:
        self.move_cursor(self.cursor_line - self._page())

    def action_cursor_page_down(self) -> None:
        self.move_cursor(self.cursor_line + self._page())

    def action_cursor_home(self) -> None:
        self.move_cursor(0)

    def action_cursor_end(self) -> None:
        self.move_cursor(len(self._doc.lines) - 1)

    # -- matches -------------------------------------------------------------------------------------------

    @property
    def match_count(self) -> int:
        return len(self._matches)

    @property
    def current_match(self) -> int | None:
        """Index of the match the cursor is on, or None."""
        return self._current_match

    def _set_matches(self, matches: list[_Match]) -> None:
        self._matches = matches
        by_line: dict[int, list[_Match]] = {}
        for match in matches:
            by_line.setdefault(match.line, []).append(match)
        self._matches_by_line = by_line
        self._current_match = None
        self.refresh()

    def goto_match(self, forward: bool = True) -> None:
        """Go to the next (previous) match after the current one, or from the cursor line; wraps."""
        if not self._matches:
            return
        if self._current_match is not None:
            step = 1 if forward else -1
            index = (self._current_match + step) % len(self._matches)
        elif forward:
            index = next((i for i, m in enumerate(self._matches) if m.line >= self.cursor_line), 0)
        else:
            index = next(
                (
                    i
                    for i in range(len(self._matches) - 1, -1, -1)
                    if self._matches[i].line <= self.cursor_line
                ),
                len(self._matches) - 1,
            )
        self._current_match = index
        match = self._matches[index]
        line = self._doc.lines[match.line]
        column = match.start if line.isascii() else cell_len(line[: match.start])
        self.move_cursor(match.line, column)

    def search(self, query: str) -> None:
        """Find ``query`` (case-insensitive) in the prepared lines, off the UI thread; posts ``Searched``."""
        self._search_generation += 1
        self._search(query, self._search_generation)

    @work(thread=True, group="search")
    def _search(self, query: str, generation: int) -> None:
        worker = get_current_worker()
        doc = self._doc
        matches: list[_Match] = []
        if query:
            needle = query.lower()
            size = len(query)
            lines = doc.lines[: len(doc.lines)]
            for number, line in enumerate(lines):
                if number & 4095 == 0 and (
                    generation != self._search_generation or doc.cancelled or worker.is_cancelled
                ):
                    return
                low = line.lower()
                if len(low) != len(line):
                    low, needle_here = line, query
                else:
                    needle_here = needle
                start = low.find(needle_here)
                while start != -1 and len(matches) < MAX_MATCHES:
                    matches.append(_Match(number, start, start + size))
                    start = low.find(needle_here, start + max(size, 1))
                if len(matches) >= MAX_MATCHES:
                    break
        if generation == self._search_generation:
            self.post_message(self.Searched(self, doc, query, matches, doc.complete))

    class Searched(Message):
        """A search finished; ``partial`` when lines were still being prepared."""

        def __init__(self, view: LineView, document: object, query: str, matches: list[_Match], whole: bool):
            super().__init__()
            self.view = view
            self.document = document
            self.query = query
            self.matches = matches
            self.partial = not whole

        @property
        def control(self) -> LineView:
            return self.view

    @on(Searched)
    def _on_searched(self, message: Searched) -> None:
        if message.document is not self._doc:
            message.stop()
            return
        self._set_matches(message.matches)


SEARCH_PLACEHOLDER = "find in body (enter: next, shift+F3: previous, esc: close)"
FILTER_PLACEHOLDER = "filter: JSONPath ($.items[*].id) or jq (.items[].id); enter applies, esc: whole body"
MAX_COPY_CHARS = 8 * 1024 * 1024
"""Bodies longer than this (as shown) are not copied (clipboard and dialog cannot take them): save them."""


class BodyView(Widget):
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

    class CopyRequested(Message):
        """Copy ``text`` (the body as shown); the screen owns the clipboard and the "Copied" dialog."""

        def __init__(self, view: BodyView, title: str, text: str) -> None:
            super().__init__()
            self.view = view
            self.title = title
            self.text = text

        @property
        def control(self) -> BodyView:
            return self.view

    class Filtered(Message):
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

    async def _search_bar(self) -> Horizontal:
        """The find bar under the lines, built when search is first used (most views never search)."""
        if self._bar is None:
            self._bar = Horizontal(id="search-bar")
            await self.mount(self._bar)
            await self._bar.mount_all(
                [
                    Input(placeholder=SEARCH_PLACEHOLDER, id="search-input"),
                    Static(Text(self._count_text), id="search-count"),
                ]
            )
        return self._bar

    @property
    def search_status(self) -> str:
        """What the find bar's counter says ("3/12", "no match", "searching…"), bar built or not."""
        return self._count_text

    def _set_count(self, text: str) -> None:
        self._count_text = text
        if self._bar is not None:
            for count in self._bar.query("#search-count").results(Static):
                count.update(Text(text))

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

    # -- search --------------------------------------------------------------------------------------------

    async def action_open_search(self) -> None:
        bar = await self._search_bar()
        bar.add_class("-open")
        bar.query_one("#search-input", Input).focus()

    def action_close_search(self) -> None:
        bar = self._bar
        if bar is None or not bar.has_class("-open"):
            self.close_filter()
            return
        bar.remove_class("-open")
        self.line_view.focus()

    def action_next_match(self) -> None:
        self.line_view.goto_match(forward=True)
        self._show_count()

    def action_previous_match(self) -> None:
        self.line_view.goto_match(forward=False)
        self._show_count()

    def search(self, query: str) -> None:
        """Search for ``query`` as if typed in the search bar (empty clears the marks)."""
        self._query = query
        self._set_count("searching…" if query else "")
        self.line_view.search(query)

    def _rerun_search(self) -> None:
        if self._query:
            self.search(self._query)

    @on(Input.Changed, "#search-input")
    def _on_query_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.search(event.value)

    @on(Input.Submitted, "#search-input")
    def _on_query_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_next_match()

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

    def _show_count(self, partial: bool = False) -> None:
        view = self.line_view
        count = view.match_count
        if not self._query:
            text = ""
        elif count == 0:
            text = "no match"
        elif view.current_match is None:
            text = f"{count} match{'es' if count != 1 else ''}"
        else:
            text = f"{view.current_match + 1}/{count}"
        if partial and self._query:
            text += " (preparing…)"
        self._set_count(text)

    # -- body tools: filter, copy, save ------------------------------------------------------------------

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
            self.post_message(self.Filtered(self, generation, expression, None, str(error)))
            return
        values: Any = found.values[0] if len(found.values) == 1 else list(found.values)
        self.post_message(self.Filtered(self, generation, expression, (values, found), None))

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
        self.post_message(self.CopyRequested(self, self._shown_title(), text))

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
                "The file to write (replaced atomically if it exists).",
                placeholder="response.json",
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

        target = Path(path).expanduser()
        try:
            payload = data() if callable(data) else data
            if target.is_dir():
                raise IsADirectoryError(21, "is a directory")
            atomic_write(target, payload, mode=0o644)
        except OSError as error:
            message = f"cannot write {target}: {error.strerror or error}"
            self.app.call_from_thread(self.notify, message, title="not saved", severity="error")
            return
        note = f"{len(payload):,} bytes to {target}"
        self.app.call_from_thread(self.notify, inert(note), title=f"saved {what}")
