"""What a body is: json / text / html / binary / empty, its text by charset, its JSON if it parses.

Pure functions over bytes already received. A body that claims JSON but does not parse becomes
``text`` with ``json_error`` saying where parsing stopped; a truncated body is never parsed. A body dense
with control bytes (NUL and the other C0 controls, DEL) is ``binary`` whatever its content type says: a
server cannot make a client print 50 MB of NULs by calling them JSON. ``hexdump_lines`` is the one hex
preview of a body's first bytes (the CLI and the TUI both show it).
"""

from __future__ import annotations

import codecs
import json
from dataclasses import dataclass
from typing import Any

from labs_tui.client.model import ContentKind

_CONTROL_BYTES = bytes([*range(0x00, 0x09), *range(0x0E, 0x1B), *range(0x1C, 0x20), 0x7F])
"""C0 controls but tab, newline, VT, form feed, carriage return and ESC (coloured logs are text); DEL."""
_NOT_CONTROL = bytes(b for b in range(256) if b not in _CONTROL_BYTES)
DENSE_SAMPLE = 4096
"""Bytes looked at in each of three windows (head, middle, tail) to tell text from binary."""
DENSE_RATIO = 0.10
"""A window with more than this share of control bytes makes the body binary."""

_TEXTUAL_APPS = ("xml", "javascript", "ecmascript", "x-www-form-urlencoded", "yaml", "csv", "graphql")


@dataclass(frozen=True, slots=True)
class Classified:
    kind: ContentKind
    text: str | None = None
    json: Any = None
    json_error: str | None = None


def media_type(content_type: str) -> str:
    return content_type.split(";", 1)[0].strip().lower()


def charset_of(content_type: str) -> str | None:
    for param in content_type.split(";")[1:]:
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset":
            name = value.strip().strip("'\"")
            try:
                return codecs.lookup(name).name
            except LookupError:
                return None
    return None


def decode_text(body: bytes, content_type: str) -> str:
    """Text by the declared charset, else UTF-8 (BOM honoured); undecodable bytes become U+FFFD."""
    charset = charset_of(content_type)
    if charset is None or charset in ("utf-8", "ascii"):
        if body.startswith(codecs.BOM_UTF8):
            return body[3:].decode("utf-8", errors="replace")
        if body.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return body.decode("utf-16", errors="replace")
        charset = "utf-8"
    return body.decode(charset, errors="replace")


def _is_json_type(mime: str) -> bool:
    return mime == "application/json" or mime.endswith("+json") or mime in ("text/json", "application/x-json")


def _looks_textual(body: bytes) -> bool:
    sample = body[:4096]
    if b"\x00" in sample:
        return False
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.start < len(sample) - 4:  # not just a character cut at the sample's end
            return False
    return True


def _wide_charset(body: bytes, content_type: str) -> str | None:
    """The UTF-16/32 codec the body is in (by charset or BOM): its NUL bytes are text, not controls."""
    charset = charset_of(content_type) or ""
    if charset.startswith(("utf-16", "utf-32")):
        return charset
    if body.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return "utf-32"
    if body.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    return None


def _controls_in(window: bytes, wide: str | None) -> tuple[int, int]:
    """(control characters, characters) in ``window``; bytes counted as such unless the body is UTF-16/32."""
    if wide is None:
        return len(window.translate(None, _NOT_CONTROL)), len(window)
    text = window.decode(wide.replace("-sig", ""), errors="ignore")
    encoded = text.encode("latin-1", errors="replace")  # controls are below U+0100: kept exactly
    return len(encoded.translate(None, _NOT_CONTROL)), max(len(text), 1)


def dense_with_controls(body: bytes, content_type: str = "") -> bool:
    """Whether ``body`` is binary by its bytes: a window (head, middle, tail) > 10 % control bytes.

    Looks at three windows of ``DENSE_SAMPLE`` bytes, so it costs the same on 1 KB and on 50 MB.
    UTF-16 and UTF-32 bodies (by charset or BOM) are counted in characters, so their NUL bytes are not.
    """
    if not body:
        return False
    wide = _wide_charset(body, content_type)
    size = len(body)
    middle = max(0, size // 2 - DENSE_SAMPLE // 2)
    starts = sorted({0, middle, max(0, size - DENSE_SAMPLE)})
    for start in starts:
        window = body[start : start + DENSE_SAMPLE]
        if wide is not None and start:
            window = window[start % 4 and 4 - start % 4 :]  # realign on a code unit
        controls, total = _controls_in(window, wide)
        if total and controls / total > DENSE_RATIO:
            return True
    return False


def hexdump_lines(body: bytes, limit: int = 64) -> list[str]:
    """``offset  hex bytes  |ascii|`` lines (16 bytes each) for the first ``limit`` bytes of ``body``.

    The ASCII column shows printable ASCII only (anything else is ``.``), so the lines are inert as made.
    """
    head = body[:limit]
    lines = []
    for offset in range(0, len(head), 16):
        chunk = head[offset : offset + 16]
        hex_part = chunk[:8].hex(" ")
        if len(chunk) > 8:
            hex_part += "  " + chunk[8:].hex(" ")
        shown = "".join(chr(b) if 0x20 <= b < 0x7F else "." for b in chunk)
        lines.append(f"{offset:08x}  {hex_part:<49} |{shown}|")
    return lines


def parse_json(text: str) -> tuple[Any, str | None]:
    """(value, None) or (None, "not JSON after all: <why> at line L column C")."""
    try:
        return json.loads(text), None
    except json.JSONDecodeError as error:
        return None, f"not JSON after all: {error.msg} at line {error.lineno} column {error.colno}"
    except RecursionError:
        return None, "not parsed: JSON nested too deeply"


def classify(body: bytes, content_type: str, *, truncated: bool = False) -> Classified:
    if not body:
        return Classified("empty", text="")
    if dense_with_controls(body, content_type):
        return Classified("binary")
    mime = media_type(content_type)
    if _is_json_type(mime) or (not mime and body.lstrip()[:1] in (b"{", b"[")):
        text = decode_text(body, content_type)
        if truncated:
            return Classified("text", text=text, json_error="not parsed: the body was truncated at the cap")
        value, error = parse_json(text)
        if error is None:
            return Classified("json", text=text, json=value)
        if _is_json_type(mime):
            return Classified("text", text=text, json_error=error)
    if mime in ("text/html", "application/xhtml+xml"):
        return Classified("html", text=decode_text(body, content_type))
    textual_app = mime.startswith("application/") and any(t in mime for t in _TEXTUAL_APPS)
    if mime.startswith("text/") or textual_app:
        return Classified("text", text=decode_text(body, content_type))
    if not mime and _looks_textual(body):
        text = decode_text(body, content_type)
        head = text.lstrip()[:200].lower()
        kind: ContentKind = "html" if head.startswith(("<!doctype html", "<html")) else "text"
        return Classified(kind, text=text)
    return Classified("binary")
