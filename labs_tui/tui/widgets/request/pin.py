"""A one-line picker for the request pin, cheap to have on the first screen.

Textual's ``Select`` costs several widgets (the current-value bar, two statics, an overlay holding an
``OptionList``) and their CSS before the first paint, all for a list nobody has opened yet.
``PinPicker`` is a single widget that renders its current label and an arrow; the list of choices is
a ``PinDropdown`` modal screen, built only when the user opens it and thrown away when it closes.

A modal screen rather than an overlay child: it takes the keyboard and the mouse while open (escape
and a click outside close it with no extra focus tracking), the previous focus comes back when it is
popped, and nothing of it exists in the DOM until it is opened, so it cannot cost the first paint.

It speaks the part of ``Select``'s interface the request pane uses: ``set_options``, ``value`` (get
and set; an unknown value raises ``ValueError``) and a ``Changed`` message with ``control`` and
``value`` that ``prevent`` suppresses. Labels are shown literally: a ``str`` label goes through
``literal`` (no markup, no terminal controls), a ``Text`` label is used as given. It never decides
what the options are: the pane does.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from rich.cells import cell_len
from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from labs_tui.tui.text import literal

__all__ = ["PinPicker", "PinDropdown"]

ARROW = "\u25bc"
NONE_LABEL = "(none)"
MAX_ROWS = 12
"""Most options the dropdown shows at once; more scroll."""


def _label(label: str | Text) -> Text:
    text = literal(label) if isinstance(label, str) else label.copy()
    text.no_wrap = True
    text.overflow = "ellipsis"
    text.end = ""
    return text


class PinDropdown(ModalScreen[int | None]):
    """The open list of a ``PinPicker``: dismissed with the picked option's index, or None."""

    DEFAULT_CSS = """
    PinDropdown {
        background: transparent;
        overflow: hidden hidden;
        & > OptionList {
            background: $surface;
            color: $foreground;
            scrollbar-size-vertical: 1;
            & > .option-list--option-highlighted {
                color: $block-cursor-foreground;
                background: $block-cursor-background;
                text-style: $block-cursor-text-style;
            }
        }
    }
    """

    BINDINGS = [Binding("escape", "close", "Close list")]

    def __init__(self, labels: list[Text], current: int | None, anchor: Region, screen_size: Size) -> None:
        super().__init__()
        self._labels = labels
        self._current = current
        self._anchor = anchor
        self._screen_size = screen_size
        self._done = False

    def placement(self) -> Region:
        """Where the list goes: under the anchor, above it if there is no room below, inside the screen."""
        anchor, screen = self._anchor, self._screen_size
        widest = max((label.cell_len for label in self._labels), default=0)
        width = min(max(anchor.width, widest + 1), screen.width)
        height = min(len(self._labels), MAX_ROWS)
        room_below = screen.height - anchor.bottom
        room_above = anchor.y
        if height <= room_below or room_below >= room_above:
            y = anchor.bottom
            height = min(height, max(room_below, 1))
        else:
            height = min(height, max(room_above, 1))
            y = anchor.y - height
        x = max(0, min(anchor.x, screen.width - width))
        return Region(x, max(0, y), width, height)

    def compose(self) -> ComposeResult:
        options = OptionList(*(Option(label) for label in self._labels), compact=True)
        where = self.placement()
        options.styles.width = where.width
        options.styles.height = where.height
        options.styles.offset = (where.x, where.y)
        yield options

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        if self._current is not None:
            options.highlighted = self._current
        options.focus()

    def _close(self, result: int | None) -> None:
        if not self._done:
            self._done = True
            self.dismiss(result)

    def action_close(self) -> None:
        self._close(None)

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._close(event.option_index)

    def on_click(self, event: events.Click) -> None:
        if event.widget is self:
            event.stop()
            self._close(None)


class PinPicker(Widget, can_focus=True):
    """Pick one of a few string values; the list opens on enter, space, down or a click."""

    DEFAULT_CSS = """
    PinPicker {
        width: auto;
        height: 1;
        padding: 0 1 0 0;
        background: $surface;
        color: $foreground;
        pointer: pointer;
        & > .pin-picker--arrow {
            color: $foreground 50%;
        }
        &:focus {
            background-tint: $foreground 5%;
            & > .pin-picker--arrow {
                color: $accent;
            }
        }
        &.-empty {
            color: $foreground 50%;
        }
    }
    """

    COMPONENT_CLASSES = {"pin-picker--arrow"}

    BINDINGS = [Binding("enter,space,down", "open", "open the list of pins", show=False)]

    @dataclass
    class Changed(Message):
        """The picked value changed, by the user or by assignment (None: no options left)."""

        picker: PinPicker
        value: str | None

        @property
        def control(self) -> PinPicker:
            return self.picker

    def __init__(
        self,
        options: Iterable[tuple[str | Text, str]] = (),
        *,
        value: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self._labels: list[Text] = []
        self._values: list[str] = []
        self._value: str | None = None
        self._take(options)
        if value is not None:
            self._check(value)
            self._value = value
        elif self._values:
            self._value = self._values[0]
        self.set_class(not self._values, "-empty")

    def _take(self, options: Iterable[tuple[str | Text, str]]) -> None:
        pairs = list(options)
        self._labels = [_label(label) for label, _ in pairs]
        self._values = [value for _, value in pairs]

    def _check(self, value: str) -> None:
        if value not in self._values:
            raise ValueError(f"{value!r} is not one of the picker's options")

    @property
    def options(self) -> tuple[tuple[Text, str], ...]:
        """The (label, value) pairs offered, labels as shown."""
        return tuple((label.copy(), value) for label, value in zip(self._labels, self._values, strict=True))

    @property
    def value(self) -> str | None:
        """The picked value; None only when there are no options."""
        return self._value

    @value.setter
    def value(self, value: str | None) -> None:
        if value is None:
            if self._values:
                raise ValueError("a picker with options always has a value")
            return
        self._check(value)
        self._set_value(value)

    def _set_value(self, value: str | None) -> None:
        if value == self._value:
            return
        self._value = value
        self.refresh(layout=True)
        if self.is_mounted:
            self.post_message(self.Changed(self, value))

    def set_options(self, options: Iterable[tuple[str | Text, str]]) -> None:
        """Offer new options; the value stays if it is still offered, else becomes the first one."""
        self._take(options)
        self.set_class(not self._values, "-empty")
        keep = self._value is not None and self._value in self._values
        self._set_value(self._value if keep else (self._values[0] if self._values else None))
        self.refresh(layout=True)

    def _current_label(self) -> Text:
        if self._value is None:
            return Text(NONE_LABEL)
        return self._labels[self._values.index(self._value)].copy()

    def get_content_width(self, container: Size, viewport: Size) -> int:
        widest = max((label.cell_len for label in self._labels), default=cell_len(NONE_LABEL))
        return widest + 2

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return 1

    def render(self) -> Text:
        width = self.content_size.width
        arrow = Text(ARROW, style=self.get_component_rich_style("pin-picker--arrow"))
        label = self._current_label()
        label.truncate(max(width - 2, 0), overflow="ellipsis", pad=True)
        line = Text.assemble(label, " ", arrow)
        line.no_wrap = True
        line.overflow = "ellipsis"
        line.end = ""
        return line

    def action_open(self) -> None:
        """Open the list under the picker; nothing happens with no options or while it is open."""
        if not self._values or not self.is_mounted or self.app.screen is not self.screen:
            return
        current = self._values.index(self._value) if self._value is not None else None
        offered = list(self._values)
        dropdown = PinDropdown([label.copy() for label in self._labels], current, self.region, self.app.size)

        def closed(index: int | None) -> None:
            if index is not None and offered[index] in self._values:
                self._set_value(offered[index])
            self.focus()

        self.app.push_screen(dropdown, callback=closed)

    def on_click(self, event: events.Click) -> None:
        event.stop()
        self.action_open()
