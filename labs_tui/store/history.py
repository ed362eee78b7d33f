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
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, quote_plus

from labs_tui.store.config import HistoryCaps
from labs_tui.store.paths import data_dir, ensure_dir

if TYPE_CHECKING:
    from labs_tui.client.model import CallResult

HISTORY_NAME = "history.sqlite3"
SCHEMA_VERSION = 1
REDACTED = "[redacted]"
MAX_QUERY_LIMIT = 10_000
MAX_HEADER_VALUE = 8 * 1024
HTTP_METHODS = frozenset({"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "TRACE"})

Headers = tuple[tuple[str, str], ...]

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


class HistoryError(Exception):
    """The history file cannot be used; ``str()`` is one line."""


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
        redactor = _Redactor(secrets)
        cap = self.caps.capture_bytes
        req_headers, req_headers_cut = _encode_headers(request_headers, redactor, cap)
        resp_headers, resp_headers_cut = _encode_headers(response_headers, redactor, cap)
        req_body: bytes | None = None
        req_cut = req_headers_cut
        if request_body is not None:
            req_body, cut = redactor.cap_bytes(request_body, cap)
            req_cut = req_cut or cut
        resp_body, resp_cut = redactor.cap_bytes(response_body, cap)
        resp_cut = resp_cut or resp_headers_cut
        row = (
            float(at if at is not None else self._clock()),
            redactor.text(profile)[:200],
            redactor.text(method).upper()[:20],
            redactor.text(url)[:cap],
            redactor.text(pin)[:100] if pin is not None else None,
            status,
            float(elapsed_ms),
            redactor.text(request_id)[:200] if request_id is not None else None,
            redactor.text(error_message)[:2000] if error_message is not None else None,
            int(size),
        )
        stored = (
            sum(len(str(v)) for v in row if v is not None)
            + len(req_headers)
            + len(resp_headers)
            + len(req_body or b"")
            + len(resp_body)
            + 64
        )
        values = (*row, stored, req_headers, req_body, int(req_cut), resp_headers, resp_body, int(resp_cut))
        with self._lock:
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
        sql = f"SELECT {_SUMMARY} FROM entries {where} ORDER BY id DESC LIMIT ?"
        with self._lock:
            try:
                rows = self._conn.execute(sql, params).fetchall()
            except sqlite3.Error as exc:
                self._recover(exc, "history could not be searched")
                return []
        return [HistoryRow(**_summary_fields(row)) for row in rows]

    def get(self, entry_id: int) -> HistoryEntry | None:
        """The entry with its stored copies, or None if there is none (or it cannot be read)."""
        sql = f"SELECT {', '.join(c for c in _COLUMNS if c != 'stored_bytes')} FROM entries WHERE id = ?"
        with self._lock:
            try:
                row = self._conn.execute(sql, (int(entry_id),)).fetchone()
            except sqlite3.Error as exc:
                self._recover(exc, f"history entry {entry_id} could not be read")
                return None
        if row is None:
            return None
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
        if path is None:
            memory = sqlite3.connect(":memory:", check_same_thread=False, isolation_level=None)
            memory.execute(_TABLE)
            memory.execute(_INDEX)
            return memory
        try:
            ensure_dir(path.parent)
            _create_private(path)
        except OSError as exc:
            raise HistoryError(exc.strerror or str(exc)) from None
        conn: sqlite3.Connection | None = None
        try:
            conn = sqlite3.connect(
                path, timeout=self._busy_timeout, check_same_thread=False, isolation_level=None
            )
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
            count, total = conn.execute(
                "SELECT count(*), coalesce(sum(stored_bytes), 0) FROM entries"
            ).fetchone()
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            if conn is not None:
                conn.close()
            raise _classify(exc) from None
        except HistoryError:
            if conn is not None:
                conn.close()
            raise
        self._count, self._bytes = int(count), int(total)
        return conn

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


def _summary_fields(row: Sequence[Any]) -> dict[str, Any]:
    return dict(zip(_SUMMARY.split(", "), row[:11], strict=True))


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


class _Redactor:
    """Replaces secrets in text and bytes; bounded by the cap, not by the input's size."""

    def __init__(self, secrets: Iterable[str]) -> None:
        forms: set[str] = set()
        for secret in secrets:
            if secret and secret.strip():
                forms.update((secret, quote(secret, safe=""), quote_plus(secret)))
        self.forms = sorted(forms, key=len, reverse=True)
        self.byte_forms = [f.encode("utf-8") for f in self.forms]
        self.longest = max((len(f) for f in self.byte_forms), default=0)

    def text(self, value: str) -> str:
        for form in self.forms:
            value = value.replace(form, REDACTED)
        return value

    def cap_bytes(self, data: bytes, cap: int) -> tuple[bytes, bool]:
        """The first ``cap`` bytes of ``data`` with secrets replaced, and whether anything was cut.

        Only ``cap + longest secret - 1`` bytes are looked at: any secret that begins inside the
        kept part ends inside that window, so none survives in part.
        """
        window = bytes(data[: cap + max(self.longest - 1, 0)])
        for form in self.byte_forms:
            window = window.replace(form, REDACTED.encode())
        cut = len(data) > cap or len(window) > cap
        return window[:cap], cut


def _encode_headers(headers: Sequence[tuple[str, str]], redactor: _Redactor, cap: int) -> tuple[str, bool]:
    kept: list[list[str]] = []
    used = 2
    cut = False
    for name, value in headers:
        pair = [redactor.text(str(name))[:200], redactor.text(str(value))[:MAX_HEADER_VALUE]]
        cost = len(pair[0]) + len(pair[1]) + 8
        if used + cost > cap:
            cut = True
            break
        kept.append(pair)
        used += cost
    return json.dumps(kept, ensure_ascii=False), cut


def _decode_headers(raw: str | None) -> Headers:
    try:
        pairs = json.loads(raw or "[]")
        return tuple((str(k), str(v)) for k, v in pairs)
    except (ValueError, TypeError):
        return ()
