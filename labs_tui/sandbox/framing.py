"""Request framing for the sandbox's selector loop: where a request's head and body end.

It reads raw bytes only: finds the end of a head, decides from the head how the body is framed
(none, Content-Length, chunked) and refuses framing two parsers could read differently (both
Content-Length and Transfer-Encoding, repeated ones, folded or malformed header lines) with a
problem plan the loop answers. It must not touch sockets, threads, the app or the log.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_BODY = 1024 * 1024
MAX_HEAD = 64 * 1024  # request line and headers; a longer head gets 431
_CHUNK_LINE = 1024
MAX_CHUNKS = 10_000  # chunks in one chunked body; more is 400 (bounds the parsing work)


@dataclass(frozen=True, slots=True)
class _Plan:
    """How the body after a head is framed: none, a length, chunked; or a problem to answer."""

    kind: str  # "none", "length", "chunked", "problem"
    length: int = 0
    status: int = 0
    message: str = ""
    expect_continue: bool = False


_MALFORMED = object()
_TOO_BIG = object()
_DIGITS = re.compile(rb"[0-9]{1,19}")
_HEX = re.compile(rb"[0-9A-Fa-f]{1,16}")
_TOKEN = re.compile(rb"[!#$%&'*+.^_`|~0-9A-Za-z-]+")


def _head_end(buf: bytearray) -> int | None:
    """Where the head ends (just past its empty line), or None while it is incomplete."""
    newline = buf.find(b"\n")
    if newline < 0:
        return None
    if len(bytes(buf[:newline]).split()) < 3:  # not "METHOD target version": the handler answers it
        return newline + 1
    ends = [(at, len(mark)) for mark in (b"\n\n", b"\n\r\n") if (at := buf.find(mark, newline)) >= 0]
    if not ends:
        return None
    at, size = min(ends)
    return at + size


def _body_plan(head: bytes) -> _Plan:
    """The body's framing from the head; an ambiguous one (request smuggling) is a 400."""
    framing = _framing_headers(head)
    if isinstance(framing, _Plan):
        return framing
    lengths, codings, expect = framing
    if lengths and codings:
        return _Plan("problem", status=400, message="Both Content-Length and Transfer-Encoding are set.")
    if len(lengths) > 1:
        return _Plan("problem", status=400, message="Content-Length is given more than once.")
    if len(codings) > 1:
        return _Plan("problem", status=400, message="Transfer-Encoding is given more than once.")
    if codings:
        if codings[0].lower() != b"chunked":
            return _Plan("problem", status=501, message="Only the chunked transfer coding is supported.")
        return _Plan("chunked", expect_continue=expect)
    if not lengths:
        return _Plan("none")
    if not _DIGITS.fullmatch(lengths[0]):
        return _Plan("problem", status=400, message="Content-Length is not a non-negative integer.")
    length = int(lengths[0])
    if length > MAX_BODY:
        return _Plan("problem", status=413, message=f"The request body exceeds {MAX_BODY} bytes.")
    return _Plan("length", length=length, expect_continue=expect and length > 0)


def _framing_headers(head: bytes) -> tuple[list[bytes], list[bytes], bool] | _Plan:
    """Every Content-Length and Transfer-Encoding value and whether 100-continue is expected;
    a problem plan for a folded or malformed header line."""
    lengths: list[bytes] = []
    codings: list[bytes] = []
    expect = False
    for line in head.split(b"\n")[1:]:
        line = line.rstrip(b"\r")
        if not line:
            break
        if line[:1] in (b" ", b"\t"):
            return _Plan("problem", status=400, message="Folded header lines are not accepted.")
        name, colon, value = line.partition(b":")
        if not colon or not _TOKEN.fullmatch(name) or b"\r" in value or b"\0" in value:
            return _Plan("problem", status=400, message="A header line is malformed.")
        lowered = name.lower()
        if lowered == b"content-length":
            lengths.append(value.strip(b" \t"))
        elif lowered == b"transfer-encoding":
            codings.append(value.strip(b" \t"))
        elif lowered == b"expect":
            expect = value.strip(b" \t").lower() == b"100-continue"
    return lengths, codings, expect


class _Chunks:
    """Finds where a chunked body ends, resuming after the chunks already seen at each call."""

    __slots__ = ("position", "total", "count")

    def __init__(self, start: int) -> None:
        self.position, self.total, self.count = start, 0, 0

    def end(self, buf: bytearray) -> int | object | None:
        """The body's end, None while incomplete, or ``_MALFORMED``/``_TOO_BIG``."""
        while True:
            newline = _line_end(buf, self.position)
            if not isinstance(newline, int):
                return newline
            size_text = bytes(buf[self.position : newline]).split(b";", 1)[0].strip(b" \t\r")
            if not _HEX.fullmatch(size_text):
                return _MALFORMED
            size, data_at = int(size_text, 16), newline + 1
            if size == 0:
                position = data_at
                for _ in range(100):  # trailers end with an empty line; bounded
                    newline = _line_end(buf, position)
                    if not isinstance(newline, int):
                        return newline
                    empty = bytes(buf[position:newline]) in (b"", b"\r")
                    position = newline + 1
                    if empty:
                        return position
                return _MALFORMED
            if self.total + size > MAX_BODY:
                return _TOO_BIG
            if self.count >= MAX_CHUNKS:
                return _MALFORMED
            if len(buf) < data_at + size:
                return None
            newline = _line_end(buf, data_at + size)
            if not isinstance(newline, int):
                return newline
            if bytes(buf[data_at + size : newline]) not in (b"", b"\r"):
                return _MALFORMED
            self.position, self.total, self.count = newline + 1, self.total + size, self.count + 1


def _line_end(buf: bytearray, at: int) -> int | object | None:
    newline = buf.find(b"\n", at, at + _CHUNK_LINE + 1)
    if newline >= 0:
        return newline
    return None if len(buf) - at <= _CHUNK_LINE else _MALFORMED
