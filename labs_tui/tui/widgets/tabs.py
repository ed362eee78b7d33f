"""Tabs in two widgets: a ``TabStrip`` (labels over an underline) and ``Tabbed``, which shows one panel.

Textual's ``TabbedContent`` builds a widget per tab label, per pane, the scroll containers around the
labels, an underline and a content switcher: thirteen to fifteen widgets for three or four tabs, each
styled and laid out before the first paint, and the request and response panes both have one. Here
the strip is one widget drawn with the line API, and ``Tabbed`` shows the active panel by toggling
``display`` (a panel is mounted when first shown or asked for, so hidden tabs cost nothing at
start). The look follows Textual's tabs (the same theme variables), and so do the keys: the
strip takes focus, left and right move between tabs, a click picks one.

Labels are our own strings (tab titles), still built as literal text.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.reactive import reactive
from textual.strip import Strip
from textual.widget import Widget

__all__ = ["TabStrip", "Tabbed", "TabPanel"]

LABEL_PAD = 1
BAR = "━"


class TabStrip(Widget, can_focus=True):
    """One row of tab labels and the underline beneath; ``active`` is the id of the shown tab."""

    DEFAULT_CSS = """
    TabStrip {
        width: 1fr;
        height: 2;
        pointer: pointer;
    }
    TabStrip > .tab-strip--label { color: $foreground 50%; }
    TabStrip > .tab-strip--hover { color: $foreground; }
    TabStrip > .tab-strip--active { color: $foreground; }
    TabStrip > .tab-strip--bar { color: $block-cursor-background; background: $foreground 10%; }
    TabStrip:focus > .tab-strip--bar { background: $foreground 30%; }
    TabStrip:focus > .tab-strip--active {
        text-style: $block-cursor-text-style;
        color: $block-cursor-foreground;
        background: $block-cursor-background;
    }
    TabStrip:ansi > .tab-strip--label { text-style: dim; }
    TabStrip:ansi > .tab-strip--active { text-style: not dim bold; }
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "tab-strip--label",
        "tab-strip--hover",
        "tab-strip--active",
        "tab-strip--bar",
    }

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left", "previous", "previous tab", show=False),
        Binding("right", "next", "next tab", show=False),
    ]

    active: reactive[str] = reactive("", init=False)
    _hover: reactive[int | None] = reactive(None, init=False)

    class Changed(Message):
        """The active tab changed (by a key, a click, or by setting ``active``)."""

        def __init__(self, strip: TabStrip, tab: str) -> None:
            super().__init__()
            self.strip = strip
            self.tab = tab

        @property
        def control(self) -> TabStrip:
            return self.strip

    def __init__(
        self,
        tabs: Sequence[tuple[str, str]],
        *,
        active: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        """``tabs``: (id, label) pairs in order; ``active`` defaults to the first."""
        super().__init__(id=id, classes=classes)
        if not tabs:
            raise ValueError("a tab strip needs at least one tab")
        self._tabs = list(tabs)
        self._spans: list[tuple[int, int]] = []
        start = 0
        for _, label in self._tabs:
            width = cell_len(label) + 2 * LABEL_PAD  # terminal cells: a wide character takes two
            self._spans.append((start, start + width))
            start += width
        self.set_reactive(TabStrip.active, active if active is not None else self._tabs[0][0])
        if self.active not in self.tab_ids:
            raise ValueError(f"no tab {self.active!r}")

    @property
    def tab_ids(self) -> list[str]:
        return [tab for tab, _ in self._tabs]

    def validate_active(self, value: str) -> str:
        if value not in self.tab_ids:
            raise ValueError(f"no tab {value!r}")
        return value

    def watch_active(self, tab: str) -> None:
        self.refresh()
        self.post_message(self.Changed(self, tab))

    def watch__hover(self) -> None:
        self.refresh()

    # -- keys and mouse ------------------------------------------------------------------------------

    def _move(self, step: int) -> None:
        ids = self.tab_ids
        self.active = ids[(ids.index(self.active) + step) % len(ids)]

    def action_previous(self) -> None:
        self._move(-1)

    def action_next(self) -> None:
        self._move(1)

    def tab_at(self, x: int) -> str | None:
        """The id of the tab drawn at column ``x``, if any."""
        for (tab, _), (start, end) in zip(self._tabs, self._spans, strict=True):
            if start <= x < end:
                return tab
        return None

    async def _on_click(self, event: events.Click) -> None:
        event.stop()
        tab = self.tab_at(event.x)
        if tab is not None:
            self.active = tab

    def _on_mouse_move(self, event: events.MouseMove) -> None:
        tab = self.tab_at(event.x) if event.y == 0 else None
        self._hover = None if tab is None else self.tab_ids.index(tab)

    def _on_leave(self, event: events.Leave) -> None:
        self._hover = None

    # -- drawing -------------------------------------------------------------------------------------

    def get_content_width(self, container: object, viewport: object) -> int:
        return self._spans[-1][1]

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        if y == 0:
            return self._labels_line(width)
        if y == 1:
            return self._bar_line(width)
        return Strip.blank(width, self.rich_style)

    def _labels_line(self, width: int) -> Strip:
        base = self.rich_style
        label_style = self.get_component_rich_style("tab-strip--label")
        hover_style = self.get_component_rich_style("tab-strip--hover")
        active_style = self.get_component_rich_style("tab-strip--active")
        segments: list[Segment] = []
        pad = " " * LABEL_PAD
        for index, (tab, label) in enumerate(self._tabs):
            if tab == self.active:
                style = active_style
            elif index == self._hover:
                style = hover_style
            else:
                style = label_style
            segments.append(Segment(f"{pad}{label}{pad}", style))
        return Strip(segments).adjust_cell_length(width, base)

    def _bar_line(self, width: int) -> Strip:
        bar = self.get_component_rich_style("tab-strip--bar")
        highlight = self.rich_style + Style(color=bar.color)
        background = self.rich_style + Style(color=bar.bgcolor)
        start, end = self._spans[self.tab_ids.index(self.active)]
        start, end = min(start + LABEL_PAD, width), min(end - LABEL_PAD, width)
        segments = [
            Segment(BAR * start, background),
            Segment(BAR * (end - start), highlight),
            Segment(BAR * max(0, width - end), background),
        ]
        return Strip([s for s in segments if s.text], width)


class TabPanel(Widget):
    """One tab's content inside ``Tabbed``: its ``title`` is the strip's label."""

    DEFAULT_CSS = """
    TabPanel {
        height: 1fr;
        layout: vertical;
    }
    """

    def __init__(self, title: str, *children: Widget, id: str) -> None:
        super().__init__(*children, id=id)
        self.title = title


class Tabbed(Widget):
    """A ``TabStrip`` over ``TabPanel``s, showing the active one; compose panels inside it with ``with``."""

    DEFAULT_CSS = """
    Tabbed {
        height: 1fr;
        layout: vertical;
    }
    """

    class Activated(Message):
        """A panel was shown (by the user, or by setting ``active``)."""

        def __init__(self, tabbed: Tabbed, panel: TabPanel) -> None:
            super().__init__()
            self.tabbed = tabbed
            self.panel = panel

        @property
        def control(self) -> Tabbed:
            return self.tabbed

    def __init__(self, *panels: TabPanel, initial: str | None = None, id: str | None = None) -> None:
        super().__init__(id=id)
        self._panels: list[TabPanel] = list(panels)
        self._initial = initial

    def compose_add_child(self, widget: Widget) -> None:
        if not isinstance(widget, TabPanel):
            raise TypeError("only TabPanel widgets go inside Tabbed")
        self._panels.append(widget)

    def compose(self) -> ComposeResult:
        initial = self._initial or (self._panels[0].id if self._panels else None)
        tabs = [(panel.id or "", panel.title) for panel in self._panels]
        yield TabStrip(tabs, active=initial)
        yield from (panel for panel in self._panels if panel.id == initial)

    @property
    def strip(self) -> TabStrip:
        return self.query_one(TabStrip)

    @property
    def active(self) -> str:
        """The id of the shown panel."""
        return self.strip.active

    @active.setter
    def active(self, tab: str) -> None:
        self.strip.active = tab

    def panel(self, tab: str) -> TabPanel:
        """The panel for ``tab``, mounted (hidden unless active) if it was not yet: only the initial
        panel is mounted with the tabs, the others when first shown or asked for."""
        for panel in self._panels:
            if panel.id == tab:
                if not panel.is_attached:
                    panel.display = tab == self.active
                    self.mount(panel)
                return panel
        raise ValueError(f"no tab {tab!r}")

    @on(TabStrip.Changed)
    def _changed(self, event: TabStrip.Changed) -> None:
        if event.strip.parent is not self:
            return
        event.stop()
        shown = self.panel(event.tab)
        for panel in self._panels:
            panel.display = panel is shown
        self.post_message(self.Activated(self, shown))
