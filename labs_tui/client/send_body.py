"""Reading an answer's body as a stream, decompressed here, never past the client's body cap.

gzip and deflate are decoded step by step with bounded output (``Inflater.feed``), so a gzip bomb
stops at the cap with memory bounded; any other content-encoding is kept as sent, with a note.
A body that cannot be decompressed raises ``Undecodable`` (the client makes it a network error).
"""

from __future__ import annotations

import zlib

import httpx

from labs_tui.client.send_result import Progress

_STEP = 64 * 1024


class Undecodable(Exception):
    pass


class Inflater:
    """Incremental gzip/deflate decoding that never produces more than asked for in one step."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self._first = True
        self._obj = self._new()

    def _new(self) -> zlib._Decompress:
        return zlib.decompressobj(16 + zlib.MAX_WBITS if self.kind == "gzip" else zlib.MAX_WBITS)

    def feed(self, data: bytes, room: int) -> bytes:
        """Decoded bytes from ``data``: at most ``room + 1`` (one more than fits shows the cap is hit)."""
        out = bytearray()
        buf = data
        while True:
            limit = min(_STEP, room + 1 - len(out))
            if limit <= 0:
                return bytes(out)
            try:
                chunk = self._obj.decompress(buf, limit)
            except zlib.error as error:
                if self.kind == "deflate" and self._first:
                    self._first = False
                    self._obj = zlib.decompressobj(-zlib.MAX_WBITS)
                    continue
                raise Undecodable(f"the {self.kind} body could not be decompressed: {error}") from None
            self._first = False
            out += chunk
            if self._obj.eof:
                buf = self._obj.unused_data
                if not buf or self.kind != "gzip":
                    return bytes(out)
                self._obj = self._new()
                continue
            buf = self._obj.unconsumed_tail
            if not buf and len(chunk) < limit:
                return bytes(out)


async def read_body(response: httpx.Response, progress: Progress, cap: int) -> None:
    """Read ``response``'s body into ``progress``: at most ``cap`` decoded bytes, ``truncated`` past it."""
    if response.is_stream_consumed:
        # An injected transport handed over a response built from bytes: httpx already read
        # (and decoded) it, so only the cap is left to apply.
        content = response.content
        progress.body += content[:cap]
        progress.truncated = len(content) > cap
        return
    encodings = [
        e.strip().lower() for e in response.headers.get("content-encoding", "").split(",") if e.strip()
    ]
    encodings = [e for e in encodings if e != "identity"]
    inflater: Inflater | None = None
    if len(encodings) == 1 and encodings[0] in ("gzip", "x-gzip", "deflate"):
        inflater = Inflater("deflate" if encodings[0] == "deflate" else "gzip")
    elif encodings:
        progress.notes.append(f"body kept as sent: content-encoding {', '.join(encodings)} not decoded")
    # Closed here when the cap stops the read, not whenever the garbage collector finds the
    # abandoned generator: the connection is released at a known point.
    chunks = response.aiter_raw()
    try:
        async for raw in chunks:
            room = cap - len(progress.body)
            data = inflater.feed(raw, room) if inflater is not None else raw[: room + 1]
            if len(data) > room:
                progress.body += data[:room]
                progress.truncated = True
                return
            progress.body += data
    finally:
        await chunks.aclose()  # type: ignore[attr-defined]
