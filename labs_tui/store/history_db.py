"""The history's SQLite file: its table, opening it safely, and telling locked from damaged.

``connect`` creates the file with mode 0600, checks the layout version and the table's columns,
switches to WAL and runs a quick integrity check, and returns the connection with the row count
and stored bytes. ``_classify`` turns a ``sqlite3.Error`` into ``_Locked``, ``_Damaged`` or a plain
``HistoryError``; ``_move_aside`` renames a damaged file. This module must not decide what to do
about a failure (``history`` does: memory, a notice), insert rows, or print.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time
from pathlib import Path

from labs_tui.store.paths import ensure_dir

SCHEMA_VERSION = 1

_COLUMNS = (
    "id", "time", "profile", "method", "url", "pin", "status", "elapsed_ms", "request_id",
    "error_message", "size", "stored_bytes", "request_headers", "request_body", "request_truncated",
    "response_headers", "response_body", "response_truncated",
)  # fmt: skip
_SUMMARY = "id, time, profile, method, url, pin, status, elapsed_ms, request_id, error_message, size"
_TABLE = """
CREATE TABLE IF NOT EXISTS entries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    time REAL NOT NULL,
    profile TEXT NOT NULL,
    method TEXT NOT NULL,
    url TEXT NOT NULL,
    pin TEXT,
    status INTEGER,
    elapsed_ms REAL NOT NULL,
    request_id TEXT,
    error_message TEXT,
    size INTEGER NOT NULL,
    stored_bytes INTEGER NOT NULL,
    request_headers TEXT NOT NULL,
    request_body BLOB,
    request_truncated INTEGER NOT NULL,
    response_headers TEXT NOT NULL,
    response_body BLOB NOT NULL,
    response_truncated INTEGER NOT NULL
)
"""
_INDEX = "CREATE INDEX IF NOT EXISTS entries_request_id ON entries(request_id)"


class HistoryError(Exception):
    """The history file cannot be used; ``str()`` is one line."""


class _Locked(HistoryError):
    pass


class _Damaged(HistoryError):
    pass


def _classify(exc: sqlite3.Error) -> HistoryError:
    name = getattr(exc, "sqlite_errorname", "")
    message = " ".join(str(exc).split()) or name
    if name in ("SQLITE_BUSY", "SQLITE_LOCKED") or "locked" in message:
        return _Locked(message)
    if (
        name in ("SQLITE_NOTADB", "SQLITE_CORRUPT")
        or isinstance(exc, sqlite3.DatabaseError)
        and ("malformed" in message or "not a database" in message)
    ):
        return _Damaged(message)
    return HistoryError(message)


def connect(path: Path | None, busy_timeout: float) -> tuple[sqlite3.Connection, int, int]:
    """The history's connection (in memory for None), its row count and its stored bytes.

    Raises ``HistoryError`` (``_Locked``, ``_Damaged``) when the file cannot be used.
    """
    if path is None:
        memory = sqlite3.connect(":memory:", check_same_thread=False, isolation_level=None)
        memory.execute(_TABLE)
        memory.execute(_INDEX)
        return memory, 0, 0
    try:
        ensure_dir(path.parent)
        _create_private(path)
    except OSError as exc:
        raise HistoryError(exc.strerror or str(exc)) from None
    conn: sqlite3.Connection | None = None
    try:
        conn = sqlite3.connect(path, timeout=busy_timeout, check_same_thread=False, isolation_level=None)
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise HistoryError(f"it was written by a newer labs-tui (layout {version})")
        conn.execute("PRAGMA journal_mode=WAL").fetchone()
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("BEGIN IMMEDIATE")
        conn.execute(_TABLE)
        columns = tuple(r[1] for r in conn.execute("PRAGMA table_info(entries)"))
        if columns != _COLUMNS:
            raise _Damaged("it has a table layout this version does not know")
        conn.execute(_INDEX)
        conn.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
        check = conn.execute("PRAGMA quick_check").fetchone()[0]
        if check != "ok":
            detail = " ".join(str(check).replace("*** in database main ***", "").split())
            raise _Damaged(f"integrity check failed: {detail[:100]}")
        count, total = conn.execute("SELECT count(*), coalesce(sum(stored_bytes), 0) FROM entries").fetchone()
        conn.execute("COMMIT")
    except sqlite3.Error as exc:
        if conn is not None:
            conn.close()
        raise _classify(exc) from None
    except HistoryError:
        if conn is not None:
            conn.close()
        raise
    return conn, int(count), int(total)


def _create_private(path: Path) -> None:
    """Create ``path`` empty with mode 0600 if missing; tighten an existing file to 0600."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o600)
    try:
        if os.fstat(fd).st_mode & 0o077:
            os.fchmod(fd, 0o600)
    finally:
        os.close(fd)


def _move_aside(path: Path, now: float) -> Path:
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(now))
    aside = path.with_name(f"{path.name}.corrupt-{stamp}")
    n = 1
    while aside.exists():
        n += 1
        aside = path.with_name(f"{path.name}.corrupt-{stamp}-{n}")
    os.replace(path, aside)
    wal = path.with_name(path.name + "-wal")
    if wal.exists():
        os.replace(wal, aside.with_name(aside.name + "-wal"))
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path.with_name(path.name + "-shm"))
    return aside
