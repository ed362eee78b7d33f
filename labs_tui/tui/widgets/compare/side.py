"""One side of the compare view: the response region's ``BodyView`` whose lines carry diff marks.

The body view renders, searches and sanitizes; this adds colour per line: the gutter mark in the
theme's diff colour, a light tint over the line, and the rename label (``// a -> b``) in the
renamed colour. It draws with a ``LineView`` subclass, named through ``BodyView.LINE_VIEW``, so the
response pane's widget stays untouched. Lines it is given are plain text from
``labs_tui.compare.aligned``; it never parses markup.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual.color import Color
from textual.strip import Strip

from labs_tui.tui.themes import DiffColours
from labs_tui.tui.widgets.response import BodyView, LineView

TINT = 0.18


class MarkedLineView(LineView):
    """A ``LineView`` that colours each line by its mark (see ``labs_tui.compare.aligned.GUTTER``)."""

    def __init__(self, *, name: str | None = None, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.marks: Sequence[str] = ()
        self.labels: Sequence[int | None] = ()
        self.diff = DiffColours()
        self._styles: dict[str, tuple[Style, Style]] = {}

    def set_marks(self, marks: Sequence[str], labels: Sequence[int | None], diff: DiffColours) -> None:
        self.marks = marks
        self.labels = labels
        self.diff = diff
        self._styles = {}
        self.refresh()

    def _mark_styles(self, mark: str) -> tuple[Style, Style] | None:
        cached = self._styles.get(mark)
        if cached is not None:
            return cached
        colour = self.diff.for_mark(mark)
        if colour is None:
            return None
        base = self.styles.background if self.styles.background.a else Color(0, 0, 0)
        tint = base.blend(Color.parse(colour), TINT)
        styles = (Style(bgcolor=tint.rich_color), Style(color=Color.parse(colour).rich_color, bold=True))
        self._styles[mark] = styles
        return styles

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        scroll_x, scroll_y = self.scroll_offset
        index = scroll_y + y
        if index >= len(self.marks) or index >= len(self.lines):
            return strip
        styles = self._mark_styles(self.marks[index])
        if styles is None:
            return strip
        tint, strong = styles
        line = self.lines[index]
        if not line:
            return strip
        spans: list[tuple[int, int]] = [(0, 1)]
        label = self.labels[index] if index < len(self.labels) else None
        if label is not None and label < len(line):
            spans.append((cell_len(line[:label]), cell_len(line)))
        cells = strip.cell_length
        for start, end in spans:
            start, end = max(start - scroll_x, 0), min(end - scroll_x, cells)
            if end <= start:
                continue
            before, middle, after = strip.divide([start, end, cells])
            marked = Strip(Segment.apply_style(middle, post_style=strong), middle.cell_length)
            strip = Strip.join([before, marked, after])
        return Strip(Segment.apply_style(strip, post_style=tint), strip.cell_length)


class CompareSide(BodyView):
    """A body view for aligned compare lines; ``show_marked`` loads lines with their marks."""

    DEFAULT_CSS = """
    CompareSide { border: round $primary-muted; border-title-align: left; border-title-color: $text; }
    CompareSide:focus-within { border: round $accent; }
    """

    LINE_VIEW = MarkedLineView

    @property
    def marked_view(self) -> MarkedLineView:
        return self.query_one(MarkedLineView)

    def show_marked(
        self, lines: Iterable[str], marks: Sequence[str], labels: Sequence[int | None], diff: DiffColours
    ) -> None:
        self.marked_view.set_marks(marks, labels, diff)
        self.show_lines(lines, syntax="json")

    def show_plain(self, lines: Iterable[str], syntax: str | None = "json") -> None:
        self.marked_view.set_marks((), (), self.marked_view.diff)
        self.show_lines(lines, syntax="json" if syntax == "json" else None)
