"""``LineView``: a ``ScrollView`` on Textual's line API that shows a body's display lines, fast on tens of MB.

It keeps the body as a list of display lines, renders only the rows on screen, highlights a line the
first time it is shown (LRU-cached), and crops long lines to the viewport instead of wrapping them. The
lines are prepared (``lines.prepare_lines``: pretty-printed, sanitized, tabs expanded) by a thread worker
that publishes them as it goes, so the first screen appears after the first few hundred lines, not after
the whole body, and keys are answered while the rest is prepared. Search (``find.find_matches``) runs in
another thread worker over the lines prepared so far.

It must not: parse markup or pass control characters through, or pretty-print or highlight the whole
body on the UI thread.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from typing import ClassVar

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import events, on, work
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.worker import get_current_worker

from labs_tui.gcpause import gc_paused
from labs_tui.tui.widgets.response.find import Match, find_matches
from labs_tui.tui.widgets.response.highlight import SyntaxColours, highlight_json_line
from labs_tui.tui.widgets.response.lines import (
    LONG_LINE,
    Document,
    Syntax,
    prepare_lines,
    skip_collections_at_exit,
)

__all__ = ["CACHE_SIZE", "LineView"]

CACHE_SIZE = 2_048


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
        self._doc = Document(syntax=None, complete=True)
        self._colours = SyntaxColours()
        self._cache: OrderedDict[int, Strip] = OrderedDict()
        self._matches: list[Match] = []
        self._matches_by_line: dict[int, list[Match]] = {}
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
        skip_collections_at_exit()
        self._doc.cancelled = True
        doc = Document(syntax=syntax)
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
    def _prepare(self, doc: Document, source: Iterable[str]) -> None:
        worker = get_current_worker()
        # The collector is paused while the lines are made: the encoder allocates all the time, and
        # each full collection would walk the whole parsed body while the UI thread waits (gcpause).
        with gc_paused():
            prepare_lines(
                doc,
                source,
                lambda: doc.cancelled or worker.is_cancelled,
                lambda: self.post_message(self.Prepared(self, doc)),
            )
        if not doc.cancelled:
            doc.complete = True
            self.post_message(self.Prepared(self, doc))

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

    def _set_matches(self, matches: list[Match]) -> None:
        self._matches = matches
        by_line: dict[int, list[Match]] = {}
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
        lines = doc.lines[: len(doc.lines)] if query else []
        found = find_matches(
            lines,
            query,
            lambda: generation != self._search_generation or doc.cancelled or worker.is_cancelled,
        )
        if found is None:
            return
        if generation == self._search_generation:
            self.post_message(self.Searched(self, doc, query, found, doc.complete))

    class Searched(Message):
        """A search finished; ``partial`` when lines were still being prepared."""

        def __init__(self, view: LineView, document: object, query: str, matches: list[Match], whole: bool):
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
