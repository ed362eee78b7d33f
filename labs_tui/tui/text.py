"""The TUI side of inert text: a ``rich.text.Text`` of ``labs_tui.text.inert``, never parsed as markup.

Which characters are unsafe and what replaces them is decided once, in the core (``labs_tui.text``). This
module only adds the Rich wrapper: ``literal`` builds a ``Text`` directly, so ``[bold red]x[/]`` from a server
shows as those characters. Never hand server or spec text to a ``str`` renderable, a placeholder, a title,
a toast or the clipboard without going through ``inert``/``inert_line`` (re-exported here for the widgets).
"""

from __future__ import annotations

from rich.text import Text

from labs_tui.text import UNSAFE, inert, inert_line

__all__ = ["literal", "literal_line", "inert", "inert_line", "UNSAFE"]


def literal(text: str, style: str = "") -> Text:
    """A ``Text`` showing ``text`` exactly: controls made visible, brackets kept as brackets, never markup."""
    return Text(inert(text), style=style)


def literal_line(text: object, style: str = "", limit: int | None = None) -> Text:
    """``literal`` for one line: whitespace runs joined, newlines and tabs made spaces, optionally cut."""
    return Text(inert_line(text, limit), style=style)
