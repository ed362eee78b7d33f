"""Reading the history back: the row shapes, the search's SQL, and an entry from its row.

``search_sql`` turns the history list's filter (failing only, a text that may start with a
method, a three-digit status) into one parameterised SELECT, newest first and bounded by
``MAX_QUERY_LIMIT``; ``entry_from_row`` builds a ``HistoryEntry`` from ``ENTRY_SQL``'s row. This
module must not open or write the database, or put any user text into SQL except as a parameter.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from labs_tui.store.history_capture import Headers, _decode_headers
from labs_tui.store.history_db import _COLUMNS, _SUMMARY

MAX_QUERY_LIMIT = 10_000
HTTP_METHODS = frozenset({"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "TRACE"})
ENTRY_SQL = f"SELECT {', '.join(c for c in _COLUMNS if c != 'stored_bytes')} FROM entries WHERE id = ?"


@dataclass(frozen=True, slots=True)
class HistoryRow:
    """One call as the history list shows it (no bodies)."""

    id: int
    time: float  # epoch seconds, UTC
    profile: str
    method: str
    url: str
    pin: str | None
    status: int | None  # None: the call failed before an answer (see error_message)
    elapsed_ms: float
    request_id: str | None
    error_message: str | None
    size: int  # response bytes received, before the history's cap

    @property
    def failing(self) -> bool:
        """A network failure or an HTTP status of 400 or more."""
        return self.status is None or self.status >= 400


@dataclass(frozen=True, slots=True)
class HistoryEntry(HistoryRow):
    """One call with its stored copies, for reopening it in the builder."""

    request_headers: Headers = ()
    request_body: bytes | None = None
    request_truncated: bool = False  # the stored request body was cut at capture_bytes
    response_headers: Headers = ()
    response_body: bytes = b""
    response_truncated: bool = False  # the stored response body was cut at capture_bytes

    def response_header(self, name: str) -> str | None:
        lname = name.lower()
        for key, value in self.response_headers:
            if key.lower() == lname:
                return value
        return None


def search_sql(*, failing_only: bool, text: str, limit: int) -> tuple[str, list[Any]]:
    """The SELECT for ``History.query`` (see there) and its parameters."""
    clauses: list[str] = []
    params: list[Any] = []
    if failing_only:
        clauses.append("(status IS NULL OR status >= 400)")
    needle = " ".join(text.split())
    method, _, rest = needle.partition(" ")
    if method.upper() in HTTP_METHODS:
        clauses.append("method = ?")
        params.append(method.upper())
        needle = rest.strip()
    if needle:
        lowered = needle.lower()
        match = "(instr(lower(url), ?) > 0 OR instr(lower(coalesce(request_id, '')), ?) > 0"
        params += [lowered, lowered]
        if needle.isdigit() and len(needle) == 3:
            match += " OR status = ?"
            params.append(int(needle))
        clauses.append(match + ")")
    where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
    params.append(max(0, min(int(limit), MAX_QUERY_LIMIT)))
    return f"SELECT {_SUMMARY} FROM entries {where} ORDER BY id DESC LIMIT ?", params


def entry_from_row(row: Sequence[Any]) -> HistoryEntry:
    """A ``HistoryEntry`` from a row of ``ENTRY_SQL``."""
    req_h, req_b, req_cut, resp_h, resp_b, resp_cut = row[11:]
    return HistoryEntry(
        **_summary_fields(row),
        request_headers=_decode_headers(req_h),
        request_body=bytes(req_b) if req_b is not None else None,
        request_truncated=bool(req_cut),
        response_headers=_decode_headers(resp_h),
        response_body=bytes(resp_b or b""),
        response_truncated=bool(resp_cut),
    )


def _summary_fields(row: Sequence[Any]) -> dict[str, Any]:
    return dict(zip(_SUMMARY.split(", "), row[:11], strict=True))
