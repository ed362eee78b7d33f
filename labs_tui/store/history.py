"""The request history: every call sent, in one SQLite file, findable again by requestId or path.

One row per call: when, which profile, method, URL, pin, status (None for a network failure),
elapsed time, requestId, error message, size, and copies of the request and response capped at
``HistoryCaps.capture_bytes`` each. The whole history is capped by entry count and stored bytes;
the oldest rows go first. The file lives in the platform data dir with mode 0600, in WAL mode so
a reader never blocks the writer and an add costs one small transaction. Several processes may
write one file (two TUIs, a CLI call): each add counts the rows inside its write transaction, so
the caps hold for all of them, and a writer waits for the other (retrying once) instead of failing.

The token never reaches the file: callers pass values that are already redacted, and ``add``
also replaces every ``secrets`` value it is given (plain and URL-encoded) before anything is
written, as a second line of defence.

History must never stop the app. ``open_history`` does not raise: a damaged file is moved aside
(``history.sqlite3.corrupt-<UTC time>``) and a fresh one started; a locked or unusable one gives
an in-memory history for this session; either way with a one-line notice. Later failures do not
raise either: the method returns an empty answer and ``take_notice()`` says why, once.

One connection per ``History``, shared across threads under a lock, so a Textual thread worker
may call it. Nothing here prints or imports Textual.

The work is split by job: ``history_db`` (the table, opening the file, locked vs damaged),
``history_capture`` (redacting and capping one call's copies), ``history_query`` (the row shapes
and the search's SQL); this module keeps writing under the caps, reading through the lock, and
the decisions on failure. It must not create or check the table, or redact anything itself.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from labs_tui.store.config_model import HistoryCaps
from labs_tui.store.history_capture import MAX_HEADER_VALUE, REDACTED, Headers, capture
from labs_tui.store.history_db import (
    _COLUMNS,
    SCHEMA_VERSION,
    HistoryError,
    _classify,
    _Damaged,
    _Locked,
    _move_aside,
    connect,
)
from labs_tui.store.history_query import (
    ENTRY_SQL,
    HTTP_METHODS,
    MAX_QUERY_LIMIT,
    HistoryEntry,
    HistoryRow,
    _summary_fields,
    entry_from_row,
    search_sql,
)
from labs_tui.store.paths import data_dir

if TYPE_CHECKING:
    from labs_tui.client.model import CallResult

__all__ = [
    "HISTORY_NAME",
    "HTTP_METHODS",
    "MAX_HEADER_VALUE",
    "MAX_QUERY_LIMIT",
    "REDACTED",
    "SCHEMA_VERSION",
    "Headers",
    "History",
    "HistoryEntry",
    "HistoryError",
    "HistoryRow",
    "default_history_path",
    "open_history",
]

HISTORY_NAME = "history.sqlite3"


def default_history_path() -> Path:
    """``history.sqlite3`` in the platform data dir."""
    return data_dir() / HISTORY_NAME


def open_history(
    path: Path | str | None = None,
    *,
    caps: HistoryCaps | None = None,
    busy_timeout: float = 1.0,
    clock: Callable[[], float] = time.time,
) -> tuple[History, str | None]:
    """The history at ``path`` (default ``default_history_path()``) and a one-line notice, or None.

    Never raises. A file that is not a database, is damaged, or has a layout this version does not
    know is renamed to ``<name>.corrupt-<UTC time>`` (with its ``-wal``) and a new one started. A
    file locked by another program, or one that cannot be opened or moved, is left alone and this
    session's history is kept in memory. The notice says which, so the app can say it once.
    """
    target = Path(path) if path is not None else default_history_path()
    try:
        return History(target, caps=caps, busy_timeout=busy_timeout, clock=clock), None
    except _Locked:
        notice = f"history {target} is locked by another program; this session's history is kept in memory"
    except _Damaged as exc:
        try:
            aside = _move_aside(target, clock())
        except OSError as move_error:
            notice = (
                f"history {target} is damaged ({exc}) and could not be moved aside "
                f"({move_error.strerror or move_error}); this session's history is kept in memory"
            )
        else:
            try:
                history = History(target, caps=caps, busy_timeout=busy_timeout, clock=clock)
            except HistoryError as again:
                notice = (
                    f"history {target} was damaged and moved aside to {aside.name}, but a new one "
                    f"could not be started ({again}); this session's history is kept in memory"
                )
            else:
                return (
                    history,
                    f"history {target} was damaged ({exc}); moved aside to {aside.name}, started anew",
                )
    except HistoryError as exc:
        notice = f"history {target} cannot be used ({exc}); this session's history is kept in memory"
    return History(None, caps=caps, busy_timeout=busy_timeout, clock=clock), notice


class History:
    """The history store. ``History(None)`` is in memory (nothing written anywhere).

    Construct it through ``open_history`` unless you want the errors: the constructor raises
    ``HistoryError`` when the file cannot be used. After that no method raises for a database
    failure; see ``take_notice``.
    """

    def __init__(
        self,
        path: Path | str | None,
        *,
        caps: HistoryCaps | None = None,
        busy_timeout: float = 1.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.path = Path(path) if path is not None else None
        self.caps = caps or HistoryCaps()
        self._busy_timeout = busy_timeout
        self._clock = clock
        self._lock = threading.RLock()
        self._notice: str | None = None
        self._count = 0
        self._bytes = 0
        self._conn = self._connect(self.path)

    # -- public ------------------------------------------------------------------------------------

    @property
    def persistent(self) -> bool:
        """False when this session's history lives in memory only."""
        return self.path is not None

    def __len__(self) -> int:
        return self._count

    @property
    def stored_bytes(self) -> int:
        """The bytes counted against ``caps.max_bytes`` (stored copies, URL and messages)."""
        return self._bytes

    def take_notice(self) -> str | None:
        """The latest one-line problem since the last call (e.g. a locked file on add), then None."""
        with self._lock:
            notice, self._notice = self._notice, None
            return notice

    def add(
        self,
        *,
        profile: str,
        method: str,
        url: str,
        pin: str | None = None,
        status: int | None = None,
        elapsed_ms: float = 0.0,
        request_id: str | None = None,
        error_message: str | None = None,
        size: int = 0,
        request_headers: Sequence[tuple[str, str]] = (),
        request_body: bytes | None = None,
        response_headers: Sequence[tuple[str, str]] = (),
        response_body: bytes = b"",
        at: float | None = None,
        secrets: Iterable[str] = (),
    ) -> int | None:
        """Store one call; return its id, or None if it could not be stored (see ``take_notice``).

        Pass values that are already redacted; every string in ``secrets`` (and its URL-encoded
        forms) is replaced by ``[redacted]`` anyway, in every field, before the copies are capped.
        Bodies and header lists are stored up to ``caps.capture_bytes`` each. ``at`` defaults to now.
        """
        values = capture(
            cap=self.caps.capture_bytes,
            secrets=secrets,
            at=at if at is not None else self._clock(),
            profile=profile,
            method=method,
            url=url,
            pin=pin,
            status=status,
            elapsed_ms=elapsed_ms,
            request_id=request_id,
            error_message=error_message,
            size=size,
            request_headers=request_headers,
            request_body=request_body,
            response_headers=response_headers,
            response_body=response_body,
        )
        with self._lock:
            return self._store(values)

    def add_result(
        self,
        result: CallResult,
        *,
        profile: str,
        request_id: str | None = None,
        error_message: str | None = None,
        secrets: Iterable[str] = (),
    ) -> int | None:
        """``add`` for a client ``CallResult`` (already redacted by the client).

        ``request_id`` and ``error_message`` come from the caller's diagnosis; a network failure's
        message is used when no ``error_message`` is given.
        """
        request = result.request
        if error_message is None and result.network_error is not None:
            error_message = result.network_error.message
        return self.add(
            profile=profile,
            method=request.method,
            url=request.url,
            pin=request.pin,
            status=result.status,
            elapsed_ms=result.elapsed_ms,
            request_id=request_id,
            error_message=error_message,
            size=result.size,
            request_headers=request.headers,
            request_body=request.body,
            response_headers=result.headers,
            response_body=result.body,
            at=result.started_at or None,
            secrets=secrets,
        )

    def query(self, *, failing_only: bool = False, text: str = "", limit: int = 500) -> list[HistoryRow]:
        """Rows newest first, at most ``limit`` (capped at 10000).

        ``failing_only`` keeps network failures and statuses of 400 or more. ``text`` (case-
        insensitive) matches a substring of the URL or the requestId, or a status like ``429``; a
        leading method (``"POST /examples"``) also restricts the method.
        """
        sql, params = search_sql(failing_only=failing_only, text=text, limit=limit)
        with self._lock:
            try:
                rows = self._conn.execute(sql, params).fetchall()
            except sqlite3.Error as exc:
                self._recover(exc, "history could not be searched")
                return []
        return [HistoryRow(**_summary_fields(row)) for row in rows]

    def get(self, entry_id: int) -> HistoryEntry | None:
        """The entry with its stored copies, or None if there is none (or it cannot be read)."""
        sql = ENTRY_SQL
        with self._lock:
            try:
                row = self._conn.execute(sql, (int(entry_id),)).fetchone()
            except sqlite3.Error as exc:
                self._recover(exc, f"history entry {entry_id} could not be read")
                return None
        if row is None:
            return None
        return entry_from_row(row)

    def clear(self) -> None:
        """Delete every entry."""
        with self._lock:
            try:
                self._conn.execute("DELETE FROM entries")
            except sqlite3.Error as exc:
                self._recover(exc, "history could not be cleared")
                return
            self._count = self._bytes = 0

    def close(self) -> None:
        """Close the database; later calls fail quietly with a notice."""
        with self._lock:
            with contextlib.suppress(sqlite3.Error):
                self._conn.close()

    # -- private -----------------------------------------------------------------------------------

    def _connect(self, path: Path | None) -> sqlite3.Connection:
        conn, self._count, self._bytes = connect(path, self._busy_timeout)
        return conn

    def _store(self, values: tuple[Any, ...]) -> int | None:
        """Insert (the caller holds the lock): again if another writer held the file past the busy
        timeout, and once more after recovering from a damaged file."""
        try:
            try:
                return self._insert(values)
            except sqlite3.Error as exc:
                if not isinstance(_classify(exc), _Locked):
                    raise
                return self._insert(values)  # another writer held it past the busy timeout
        except sqlite3.Error as exc:
            if not self._recover(exc, "this call was not saved"):
                return None
            try:
                return self._insert(values)
            except sqlite3.Error:
                return None

    def _insert(self, values: tuple[Any, ...]) -> int:
        conn = self._conn
        placeholders = ", ".join("?" * len(values))
        names = ", ".join(c for c in _COLUMNS if c != "id")
        conn.execute("BEGIN IMMEDIATE")
        try:
            cursor = conn.execute(f"INSERT INTO entries ({names}) VALUES ({placeholders})", values)
            new_id = int(cursor.lastrowid or 0)
            # Counted inside the write transaction, not from this handle's memory: another process
            # (a second labs-tui, a CLI call) may have added or removed rows since.
            count, total = conn.execute(
                "SELECT count(*), coalesce(sum(stored_bytes), 0) FROM entries"
            ).fetchone()
            if count > self.caps.max_entries or total > self.caps.max_bytes:
                count, total = self._evict(new_id, count, total)
            conn.execute("COMMIT")
        except BaseException:
            with contextlib.suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
            raise
        self._count, self._bytes = int(count), int(total)
        return new_id

    def _evict(self, newest: int, count: int, total: int) -> tuple[int, int]:
        """Delete the oldest rows until both caps hold (the newest row always stays)."""
        cut: int | None = None
        rows = self._conn.execute("SELECT id, stored_bytes FROM entries WHERE id < ? ORDER BY id", (newest,))
        for row_id, stored in rows:
            if count <= self.caps.max_entries and total <= self.caps.max_bytes:
                break
            cut, count, total = row_id, count - 1, total - stored
        if cut is not None:
            self._conn.execute("DELETE FROM entries WHERE id <= ?", (cut,))
        return count, total

    def _recover(self, exc: sqlite3.Error, what: str) -> bool:
        """Record a notice; on a damaged file switch to memory. True if a retry may succeed."""
        problem = _classify(exc)
        if isinstance(problem, _Locked):
            self._notice = f"history is locked by another program; {what}"
            return False
        if isinstance(problem, _Damaged) and self.path is not None:
            with contextlib.suppress(sqlite3.Error):
                self._conn.close()
            self._conn = self._connect(None)
            self._count = self._bytes = 0
            self._notice = (
                f"history {self.path} is damaged ({problem}); the rest of this session's history is kept "
                "in memory, and the file is moved aside at the next start"
            )
            self.path = None
            return True
        self._notice = f"history failed ({' '.join(str(exc).split())}); {what}"
        return False
