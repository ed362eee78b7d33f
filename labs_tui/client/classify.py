"""What a body is: json / text / html / binary / empty, its text by charset, its JSON if it parses.

Pure functions over bytes already received. A body that claims JSON but does not parse becomes
``text`` with ``json_error`` saying where parsing stopped; a truncated body is never parsed.
"""

from __future__ import annotations

import codecs
import json
from dataclasses import dataclass
from typing import Any

from labs_tui.client.model import ContentKind

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
