"""Form bodies: ``application/x-www-form-urlencoded`` and ``multipart/form-data`` (RFC 7578), files included.

The TUI's field form and ``labs-tui call -F`` both describe a form as ``FormPart``s and get the body and
its Content-Type from ``encode_form``. A file part is read here, when the body is built: its path may
start with ``~``; a missing, unreadable or oversized file is a ``FormError`` naming the field and the
path, so the front end can say so in one line and keep what was typed. A schema property is a file when
it is binary (``format: binary``, or 3.1's ``contentMediaType``/``contentEncoding``), or an array of those.
"""

from __future__ import annotations

import mimetypes
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

MAX_FILE_BYTES = 50 * 1024 * 1024  # the CLI's -d @file limit, for one form's files together


class FormError(ValueError):
    """A form body cannot be built (a file that cannot be read, a file in an urlencoded form)."""


@dataclass(frozen=True)
class FormPart:
    """One field: a text value, or (``file`` set) the contents of the file at that path."""

    name: str
    value: str = ""
    file: str | None = None
    content_type: str | None = None  # a file part's type; guessed from its name when None


def is_form_media(media_type: str | None) -> bool:
    return form_kind(media_type) is not None


def form_kind(media_type: str | None) -> str | None:
    """``"urlencoded"``, ``"multipart"`` or None, from a media type (parameters ignored)."""
    base = (media_type or "").split(";")[0].strip().lower()
    return {"application/x-www-form-urlencoded": "urlencoded", "multipart/form-data": "multipart"}.get(base)


def is_file_schema(
    schema: Mapping[str, Any], resolve: Callable[[Any], Mapping[str, Any]] | None = None
) -> bool:
    """Whether a (resolved) property schema is a file: binary, or an array of binary items."""
    if schema.get("format") == "binary" or "contentMediaType" in schema or "contentEncoding" in schema:
        return True
    items = schema.get("items")
    if schema.get("type") == "array" and isinstance(items, Mapping):
        items = resolve(items) if resolve is not None else items
        return isinstance(items, Mapping) and is_file_schema(items)
    return False


def parse_form_arg(text: str) -> FormPart:
    """curl's ``-F`` syntax: ``name=value``, or ``name=@path`` for a file (``;type=MEDIA`` may follow)."""
    name, found, value = text.partition("=")
    if not found or not name.strip():
        raise FormError(f"-F takes name=value or name=@file, got {text[:60]!r}")
    return form_part(name.strip(), value)


def form_part(name: str, value: str) -> FormPart:
    """The part a saved ``(name, -F value)`` pair describes: ``@path[;type=MEDIA]`` is a file."""
    if not value.startswith("@"):
        return FormPart(name, value)
    path, typed, media = value[1:].rpartition(";type=")
    if not typed:
        path, media = value[1:], ""
    if not path.strip():
        raise FormError(f"{name}: no file after @")
    return FormPart(name, file=path, content_type=media.strip() or None)


def form_arg(part: FormPart) -> str:
    """The value half of ``-F`` for ``part`` (``@path[;type=MEDIA]`` for a file): what saved requests keep."""
    if part.file is None:
        return part.value
    return f"@{part.file}" + (f";type={part.content_type}" if part.content_type else "")


def encode_form(media_type: str, parts: Iterable[FormPart], boundary: str) -> tuple[bytes, str]:
    """The body and its Content-Type. Empty text fields are left out; a file part is always sent."""
    kind = form_kind(media_type)
    kept = [part for part in parts if part.file is not None or part.value != ""]
    if kind == "urlencoded":
        if any(part.file is not None for part in kept):
            raise FormError(
                "a urlencoded form cannot carry a file; the operation must take multipart/form-data"
            )
        return urlencode([(p.name, p.value) for p in kept]).encode(
            "utf-8"
        ), "application/x-www-form-urlencoded"
    chunks: list[bytes] = []
    budget = MAX_FILE_BYTES
    for part in kept:
        disposition = f'form-data; name="{_quoted(part.name)}"'
        head = ""
        if part.file is None:
            payload = part.value.encode("utf-8")
        else:
            payload = read_file(part.name, part.file, budget)
            budget -= len(payload)
            filename = os.path.basename(os.path.expanduser(part.file))
            disposition += f'; filename="{_quoted(filename)}"'
            head = f"Content-Type: {_one_line(file_media_type(part))}\r\n"
        chunks.append(
            f"--{boundary}\r\nContent-Disposition: {disposition}\r\n{head}\r\n".encode() + payload + b"\r\n"
        )
    return b"".join(chunks) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def file_media_type(part: FormPart) -> str:
    """The Content-Type a file part is sent with: its own, else guessed from the file's name."""
    filename = os.path.basename(os.path.expanduser(part.file or ""))
    return part.content_type or mimetypes.guess_type(filename)[0] or "application/octet-stream"


def read_file(field: str, path: str, limit: int = MAX_FILE_BYTES) -> bytes:
    """The file's bytes, or a ``FormError`` naming the field and the path."""
    where = os.path.expanduser(path.strip())
    if not where:
        raise FormError(f"{field}: no file given")
    try:
        with open(where, "rb") as handle:
            data = handle.read(limit + 1)
    except IsADirectoryError:
        raise FormError(f"{field}: {path!r} is a folder, not a file") from None
    except OSError as error:
        raise FormError(f"{field}: cannot read {path!r}: {error.strerror or error}") from None
    if len(data) > limit:
        raise FormError(
            f"{field}: {path!r} is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB (all files together)"
        )
    return data


def _quoted(text: str) -> str:
    """A name for a Content-Disposition parameter: quotes and backslashes escaped, no line breaks."""
    return _one_line(text).replace("\\", "\\\\").replace('"', '\\"')


def _one_line(text: str) -> str:
    return text.replace("\r", " ").replace("\n", " ")
