"""Server text made safe to put on screen: every character visible, nothing interpreted.

Anything that came over the network (bodies, headers, error messages, reason phrases) and the spec's own
prose goes through here before it reaches a widget. Two dangers are removed:

- Rich/Textual markup: ``[bold red]x[/]`` from a server must show as those characters. ``literal`` builds a
  ``rich.text.Text`` directly, which never parses markup; never hand server text to a ``str`` renderable.
- Terminal control sequences: C0 controls (except newline and tab), DEL and C1 controls are replaced by
  visible stand-ins, so ESC (CSI colour codes, OSC 52 clipboard writes), BEL, backspace and carriage return
  cannot move the cursor, recolour the screen or touch the clipboard.

C0 controls and DEL become the Unicode control pictures (``\\x1b`` -> ``␛``, ``\\r`` -> ``␍``): one
character for one, so offsets found in sanitized text match the original. C1 controls have no picture and
become a ``\\x9b`` style escape. This module must stay free of Textual imports: the CLI may use it too.
"""

from __future__ import annotations

import re

from rich.text import Text

__all__ = ["literal", "sanitize", "CONTROL_RE"]

CONTROL_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""Matches every character ``sanitize`` replaces."""


def _picture(char: str) -> str:
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)
    if code == 0x7F:
        return "\u2421"
    return f"\\x{code:02x}"


_REPLACEMENTS = {
    chr(c): _picture(chr(c)) for c in [*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0)]
}


def _replace(match: re.Match[str]) -> str:
    return _REPLACEMENTS[match.group()]


def sanitize(text: str) -> str:
    """``text`` with every control character but ``\\n`` and ``\\t`` replaced by a visible stand-in."""
    if CONTROL_RE.search(text) is None:
        return text
    return CONTROL_RE.sub(_replace, text)


def literal(text: str, style: str = "") -> Text:
    """A ``Text`` showing ``text`` exactly: controls made visible, brackets kept as brackets, never markup."""
    return Text(sanitize(text), style=style)
