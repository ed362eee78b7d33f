"""Preparing a body's display lines: pretty-printing JSON lazily, splitting text, making each line inert.

``prepare_lines`` runs in the body view's thread worker (never on the UI thread): it sanitises each line
through ``text.inert``, expands tabs, measures the widest line and says when to publish what it has so
far, so the first screen appears after the first few hundred lines. ``pointer_lines`` maps JSON pointers
to the pretty-printed line they start on (the Schema tab's jumps).

It must not hold more than ``MAX_LINES`` lines, or import Textual: it deals in strings.
"""

from __future__ import annotations

import atexit
import gc
import json
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

from rich.cells import cell_len

from labs_tui.tui.text import inert

__all__ = [
    "Document",
    "LONG_LINE",
    "MAX_LINES",
    "pointer_lines",
    "prepare_lines",
    "skip_collections_at_exit",
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
TAB_SIZE = 4


_exit_hook_set = False


def skip_collections_at_exit() -> None:
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
class Document:
    """Lines being prepared by one worker; replaced, never reset, when new content arrives."""

    syntax: Syntax
    lines: list[str] = field(default_factory=list)
    width: int = 0
    complete: bool = False
    capped: bool = False
    failure: str | None = None
    cancelled: bool = False
    loaded_at: float = field(default_factory=time.perf_counter)


def prepare_lines(
    doc: Document, source: Iterable[str], stopped: Callable[[], bool], publish: Callable[[], object]
) -> None:
    """Append the lines ``source`` yields to ``doc``, made inert; ``publish`` when more are worth showing.

    Stops at ``MAX_LINES`` (``doc.capped``), when ``stopped()`` says so (``doc.cancelled``), or at an
    encoder error (``doc.failure``, one line).
    """
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
                    publish()
            elif published == 0 and count >= FIRST_SCREEN:
                published = count
                publish()
    except (RecursionError, ValueError, TypeError, OverflowError) as exc:
        doc.failure = f"{type(exc).__name__}: {exc}".splitlines()[0][:200]
