"""The bottom key line: one widget painting the screen's shown bindings, standing in for Textual's ``Footer``.

Why it exists: ``Footer`` recomposes on every bindings change and mounts one ``FooterKey`` per binding, each
restyled through CSS, which cost about 40 ms of labs-tui's start (issue 8). ``KeyBar`` never has children and
never recomposes: it reads ``screen.active_bindings`` when it renders, so the very first frame is already
complete, and a bindings change is only a repaint. The layout (which entries, at which cells) is cached until
the bindings or the width change; colours come from component classes at render time, so theme switches need
nothing special.

What it shows mirrors ``Footer``: for each action the first shown binding, key display then description,
disabled ones dimmed, bindings of one ``Binding.Group`` folded into their keys plus the group's description,
and the command-palette key at the right end behind a thin rule. A line too narrow for everything cuts the
left entries at the palette entry, which stays while it fits. Clicking an entry simulates its key (a disabled
one rings the bell), as clicking a ``FooterKey`` does.

It must not parse markup (every string is placed as literal text), and must not mount widgets or recompose.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import groupby
from typing import ClassVar

from rich.cells import cell_len, set_cell_size
from textual import events
from textual.binding import Binding
from textual.content import Content
from textual.reactive import reactive
from textual.screen import Screen
from textual.style import Style
from textual.widget import Widget

__all__ = ["KeyBar"]

_ITEM = "keybar--item"
_KEY = "keybar--key"
_DESCRIPTION = "keybar--description"
_HOVER = "keybar--hover"
_DISABLED = "keybar--disabled"
_SEPARATOR = "keybar--separator"
_RULE = "\u258f"


@dataclass(frozen=True, slots=True)
class _Entry:
    """One clickable entry: the binding behind it and the cells it covers on the line."""

    binding: Binding
    enabled: bool
    tooltip: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class _Part:
    """A run of text with its component classes; ``entry`` indexes the entry it belongs to, if any."""

    text: str
    classes: tuple[str, ...]
    entry: int | None


@dataclass(frozen=True, slots=True)
class _Layout:
    width: int
    parts: tuple[_Part, ...]
    entries: tuple[_Entry, ...]


class _Builder:
    """Accumulates parts left to right, clipping at ``limit`` cells, and lists the entries left visible."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.x = 0
        self.parts: list[_Part] = []
        self.entries: list[_Entry] = []

    def add(self, text: str, classes: tuple[str, ...], entry: int | None = None) -> None:
        room = self.limit - self.x
        if room <= 0 or not text:
            return
        width = cell_len(text)
        if width > room:
            text = set_cell_size(text, room)
            width = room
        self.parts.append(_Part(text, classes, entry))
        self.x += width

    def add_entry(
        self, binding: Binding, enabled: bool, tooltip: str, pieces: Sequence[tuple[str, tuple[str, ...]]]
    ) -> None:
        """An entry's pieces; it is listed (and clickable) only if some of it fits on the line."""
        start, index = self.x, len(self.entries)
        for text, classes in pieces:
            self.add(text, classes, index)
        if self.x > start:
            self.entries.append(_Entry(binding, enabled, tooltip, start, self.x))


class KeyBar(Widget, can_focus=False):
    """One line at the bottom listing the screen's shown bindings; clicking an entry presses its key."""

    ALLOW_SELECT = False

    COMPONENT_CLASSES: ClassVar[set[str]] = {_ITEM, _KEY, _DESCRIPTION, _HOVER, _DISABLED, _SEPARATOR}

    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        width: 1fr;
        text-wrap: nowrap;
        color: $footer-foreground;
        background: $footer-background;
        & > .keybar--item { background: $footer-item-background; }
        & > .keybar--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        & > .keybar--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
        & > .keybar--hover { background: $block-hover-background; }
        & > .keybar--disabled { text-style: dim; }
        & > .keybar--separator { color: $foreground 20%; }
        &.-over-entry { pointer: pointer; }
    }
    """

    show_command_palette: reactive[bool] = reactive(True)
    """Show the command-palette key at the right end (when the app enables the palette)."""

    def __init__(
        self,
        *,
        show_command_palette: bool = True,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._layout: _Layout | None = None
        self._hover: int | None = None
        self._subscribed_to: Screen[object] | None = None
        self.set_reactive(KeyBar.show_command_palette, show_command_palette)

    def on_mount(self) -> None:
        screen = self.screen
        screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self._subscribed_to = screen

    def on_unmount(self) -> None:
        if self._subscribed_to is not None:
            self._subscribed_to.bindings_updated_signal.unsubscribe(self)
            self._subscribed_to = None

    def _bindings_changed(self, _screen: Screen[object]) -> None:
        self._layout = None
        self.refresh()

    def _watch_show_command_palette(self) -> None:
        self._layout = None

    @property
    def hovered(self) -> int | None:
        """Index of the entry under the mouse (in ``entries`` order), or None."""
        return self._hover

    @property
    def entries(self) -> tuple[tuple[str, str, bool, int, int], ...]:
        """What the line shows, for callers and tests: ``(key, description, enabled, start, end)`` per entry.

        ``start``/``end`` are the entry's visible cells; the palette entry, when shown, is last.
        """
        return tuple(
            (entry.binding.key, entry.binding.description, entry.enabled, entry.start, entry.end)
            for entry in self._current_layout().entries
        )

    def _current_layout(self) -> _Layout:
        width = self.size.width
        layout = self._layout
        if layout is None or layout.width != width:
            layout = self._layout = self._compute_layout(width)
            if self._hover is not None and self._hover >= len(layout.entries):
                self._hover = None
        return layout

    def _compute_layout(self, width: int) -> _Layout:
        app = self.app
        active = self.screen.active_bindings
        palette: tuple[Binding, bool, str] | None = None
        if self.show_command_palette and app.ENABLE_COMMAND_PALETTE:
            found = active.get(app.COMMAND_PALETTE_BINDING)
            if found is not None:
                palette = (found.binding, found.enabled, found.binding.tooltip or found.binding.description)

        firsts: dict[str, tuple[Binding, bool, str]] = {}
        for active_binding in active.values():
            binding = active_binding.binding
            if not binding.show or binding.action in firsts:
                continue
            if palette is not None and binding is palette[0]:
                continue
            firsts[binding.action] = (binding, active_binding.enabled, active_binding.tooltip)

        palette_parts: list[tuple[str, tuple[str, ...]]] = []
        if palette is not None:
            binding = palette[0]
            palette_parts = [
                (_RULE, (_ITEM, _SEPARATOR)),
                (app.get_key_display(binding), (_ITEM, _KEY)),
                (f" {binding.description}", (_ITEM, _DESCRIPTION)),
                (" ", (_ITEM,)),
            ]
            if sum(cell_len(text) for text, _ in palette_parts) > width:
                palette, palette_parts = None, []
        palette_width = sum(cell_len(text) for text, _ in palette_parts)

        left = _Builder(width - palette_width)
        for group, runs in groupby(firsts.values(), lambda found: found[0].group):
            members = list(runs)
            if group is not None and len(members) > 1:
                for binding, enabled, tooltip in members:
                    left.add(" ", (_ITEM,))
                    key = (app.get_key_display(binding), (_ITEM, _KEY))
                    left.add_entry(binding, enabled, tooltip or binding.description, [key])
                left.add(f" {group.description} ", (_ITEM, _DESCRIPTION))
                continue
            for binding, enabled, tooltip in members:
                pieces = [(f" {app.get_key_display(binding)} ", (_ITEM, _KEY))]
                if binding.description:
                    pieces.append((f"{binding.description} ", (_ITEM, _DESCRIPTION)))
                left.add_entry(binding, enabled, tooltip, pieces)

        parts = list(left.parts)
        if left.x < left.limit:
            parts.append(_Part(" " * (left.limit - left.x), (), None))
        kept = list(left.entries)
        if palette is not None:
            binding, enabled, tooltip = palette
            index = len(kept)
            start = left.limit + 1
            kept.append(_Entry(binding, enabled, tooltip, start, width))
            parts.extend(
                _Part(text, classes, None if _SEPARATOR in classes else index)
                for text, classes in palette_parts
            )
        return _Layout(width, tuple(parts), tuple(kept))

    def render(self) -> Content:
        layout = self._current_layout()
        hover = self._hover
        entries = layout.entries
        get_style = self.get_visual_style
        pieces: list[str | tuple[str, str | Style]] = []
        for part in layout.parts:
            if not part.classes:
                pieces.append(part.text)
                continue
            classes = part.classes
            if part.entry is not None:
                if part.entry == hover:
                    classes = (classes[0], _HOVER, *classes[1:])
                if not entries[part.entry].enabled:
                    classes = (*classes, _DISABLED)
            pieces.append((part.text, get_style(*classes)))
        return Content.assemble(*pieces)

    def _entry_at(self, x: int) -> int | None:
        for index, entry in enumerate(self._current_layout().entries):
            if entry.start <= x < entry.end:
                return index
        return None

    def _set_hover(self, index: int | None) -> None:
        if index == self._hover:
            return
        self._hover = index
        self.set_class(index is not None, "-over-entry")
        if index is None:
            self.tooltip = None
        else:
            self.tooltip = self._current_layout().entries[index].tooltip or None
        self.refresh()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        self._set_hover(self._entry_at(event.x))

    def on_leave(self, _event: events.Leave) -> None:
        self._set_hover(None)

    def on_mouse_down(self, event: events.MouseDown) -> None:
        if event.button != 1:
            return
        index = self._entry_at(event.x)
        if index is None:
            return
        event.stop()
        entry = self._current_layout().entries[index]
        if entry.enabled:
            self.app.simulate_key(entry.binding.key)
        else:
            self.app.bell()
