"""Untrusted text made inert: the one place that decides what may reach a terminal or a clipboard.

Everything that came from a server (bodies, headers, reason phrases, requestIds, error messages) or from a
spec (titles, summaries, descriptions, examples, defaults) is data. Before it is printed by the CLI, drawn by
the TUI, put in a toast, a dialog, a placeholder or an export, or copied to the clipboard, it goes through
``inert`` (multi-line) or ``inert_line`` (one line); JSON output goes through ``inert_json``.

One character set, ``UNSAFE``: C0 controls (tab and newline are kept by the multi-line form only), DEL,
C1 controls, and the bidi and separator controls that reorder or break what a person reads (U+061C,
U+200E/F, U+202A-E, U+2066-9, U+2028/9). What replaces them is visible:

- C0 and DEL become their Unicode control pictures (``ESC`` -> ``␛``, ``CR`` -> ``␍``, ``DEL`` -> ``␡``), one
  character for one, so offsets in the inert text match the original for the common case;
- C1, bidi and separator controls become an escape (``\\x9b``, ``\\u202e``).

So no ESC sequence (CSI colours, OSC 0 titles, OSC 52 clipboard writes), BEL, backspace or carriage return
can act on a terminal, and no bidi override can make ``exe.txt`` read as ``txt.exe``. Markup is not this
module's business: it returns ``str``; the TUI wraps it in ``rich.text.Text`` (never parsed as markup).

This module imports neither Textual nor Rich: the core, the CLI and the TUI all use it.
"""

from __future__ import annotations

import json
import re
from functools import cache
from typing import Any

__all__ = ["UNSAFE", "inert", "inert_line", "inert_json", "is_inert"]

_BIDI_AND_SEPARATORS = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029"
UNSAFE = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_BIDI_AND_SEPARATORS}]")
"""Every character ``inert`` replaces (tab and newline are the multi-line form's only exceptions)."""

_UNSAFE_LINE = re.compile(f"[\x00-\x1f\x7f-\x9f{_BIDI_AND_SEPARATORS}]")
_UNSAFE_IN_JSON = re.compile(f"[\x7f-\x9f{_BIDI_AND_SEPARATORS}]")  # json.dumps escapes C0 itself


def _stand_in(char: str) -> str:
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)
    if code == 0x7F:
        return "\u2421"
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}"


_TABLE_END = 0x3000
"""Every unsafe code point is below this (the last is U+2069); a test checks the table against ``UNSAFE``."""


@cache
def _table(multiline: bool) -> dict[str, str]:
    """Every unsafe character to its stand-in (which holds no unsafe character), built once."""
    pattern = UNSAFE if multiline else _UNSAFE_LINE
    return {chr(code): _stand_in(chr(code)) for code in range(_TABLE_END) if pattern.match(chr(code))}


@cache
def _ord_table(multiline: bool) -> dict[int, str]:
    return {ord(char): stand_in for char, stand_in in _table(multiline).items()}


_REPLACE_KINDS = 6
"""Kinds of unsafe character replaced one ``str.replace`` each; past this, one ``str.translate``."""


def _replace_all(text: str, multiline: bool) -> str:
    # No Python call per character (a callback per character took minutes on a 50 MB body). The few
    # kinds a text usually holds (ESC, BEL, CR) are each one ``str.replace`` in C, found by a regex
    # search resuming where the last one matched; a text with many kinds gets one ``str.translate``
    # (slower per character on mostly-ASCII text, but one pass however many kinds there are).
    pattern = UNSAFE if multiline else _UNSAFE_LINE
    stand_ins = _table(multiline)
    found = pattern.search(text)
    for _ in range(_REPLACE_KINDS):
        if found is None:
            return text
        char = found.group()
        text = text.replace(char, stand_ins[char])
        found = pattern.search(text, found.start())
    return text if found is None else text.translate(_ord_table(multiline))


def inert(text: str) -> str:
    """``text`` with every unsafe character replaced by a visible stand-in; newlines and tabs kept."""
    if UNSAFE.search(text) is None:
        return text
    return _replace_all(text, True)


def inert_line(text: object, limit: int | None = None) -> str:
    """``text`` as one inert line: runs of whitespace become one space, every control a visible stand-in.

    ``limit`` cuts the line to that many characters, the last one an ellipsis.
    """
    flat = " ".join(str(text).split())
    if _UNSAFE_LINE.search(flat) is not None:
        flat = _replace_all(flat, False)
    if limit is not None and len(flat) > limit:
        flat = flat[: max(limit - 1, 0)] + "\u2026"
    return flat


def inert_json(value: Any, *, indent: int | None = 2, sort_keys: bool = False) -> str:
    """``value`` as JSON that is safe to print: every unsafe character is a ``\\uXXXX`` escape.

    ``json.dumps`` escapes C0 controls already; DEL, C1, bidi and separator controls are escaped here, so the
    output stays valid JSON that parses back to the same value.
    """
    text = json.dumps(value, ensure_ascii=False, indent=indent, sort_keys=sort_keys, default=str)
    if _UNSAFE_IN_JSON.search(text) is None:
        return text
    return _UNSAFE_IN_JSON.sub(lambda found: f"\\u{ord(found.group()):04x}", text)


def is_inert(text: str, *, multiline: bool = True) -> bool:
    """Whether ``text`` holds nothing ``inert`` (with ``multiline=False``: ``inert_line``) would replace."""
    return (UNSAFE if multiline else _UNSAFE_LINE).search(text) is None
