"""The history database: what it stores and finds, its caps, its file, and how it survives bad files."""

from __future__ import annotations

import sqlite3
import stat
import threading
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from labs_tui.client.model import CallRequest
from labs_tui.store.config import HistoryCaps
from labs_tui.store.history import (
    History,
    HistoryEntry,
    HistoryRow,
    default_history_path,
    open_history,
)
from labs_tui.store.paths import data_dir
from tests.factories import failed_result, json_result

TOKEN = "tok_9f8e7d6c5b4a-very-secret/+="
BASE = "https://api.example.com/labs/v1"


def add(history: History, n: int = 0, **fields: Any) -> int:
    values: dict[str, Any] = {
        "profile": "live",
        "method": "GET",
        "url": f"{BASE}/examples/demo?n={n}",
        "status": 200,
        "elapsed_ms": 12.5,
        "request_id": f"req-{n:04d}",
        "size": 10,
        "response_body": b'{"ok": true}',
        "at": 1_700_000_000.0 + n,
    }
    values.update(fields)
    entry_id = history.add(**values)
    assert entry_id is not None, history.take_notice()
    return entry_id


@pytest.fixture
def history() -> Any:
    opened, notice = open_history()
    assert notice is None
    yield opened
    opened.close()


def test_it_lives_in_the_data_dir_with_private_files(history: History) -> None:
    assert history.path == default_history_path() == data_dir() / "history.sqlite3"
    assert history.persistent
    add(history)
    assert stat.S_IMODE(history.path.stat().st_mode) == 0o600
    wal = history.path.with_name("history.sqlite3-wal")
    assert wal.exists(), "WAL mode keeps a -wal file while open"
    assert stat.S_IMODE(wal.stat().st_mode) == 0o600
    with closing(sqlite3.connect(history.path)) as conn:
        mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"


def test_an_existing_world_readable_file_is_made_private(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    sqlite3.connect(path).close()
    path.chmod(0o644)
    history, notice = open_history(path)
    assert notice is None
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    history.close()


def test_add_and_get_round_trip_every_field(history: History) -> None:
    entry_id = add(
        history,
        7,
        method="post",
        pin="1.0",
        status=422,
        request_headers=[("Content-Type", "application/json"), ("X-Labs-API-Version", "1.0")],
        request_body=b'{"name": "x"}',
        response_headers=[("Content-Type", "application/json"), ("X-Request-Id", "abc")],
        response_body=b'{"message": "bad"}',
        error_message="name: required",
    )
    entry = history.get(entry_id)
    assert entry == HistoryEntry(
        id=entry_id,
        time=1_700_000_007.0,
        profile="live",
        method="POST",
        url=f"{BASE}/examples/demo?n=7",
        pin="1.0",
        status=422,
        elapsed_ms=12.5,
        request_id="req-0007",
        error_message="name: required",
        size=10,
        request_headers=(("Content-Type", "application/json"), ("X-Labs-API-Version", "1.0")),
        request_body=b'{"name": "x"}',
        response_headers=(("Content-Type", "application/json"), ("X-Request-Id", "abc")),
        response_body=b'{"message": "bad"}',
    )
    assert entry.failing and entry.response_header("x-request-id") == "abc"
    assert history.get(entry_id + 1000) is None


def test_a_network_failure_has_no_status_and_counts_as_failing(history: History) -> None:
    entry_id = add(history, status=None, error_message="connection refused", response_body=b"", size=0)
    entry = history.get(entry_id)
    assert entry is not None and entry.status is None and entry.failing
    assert entry.error_message == "connection refused"


def test_query_is_newest_first_and_filters(history: History) -> None:
    add(history, 1, status=200)
    add(history, 2, status=401, request_id="01HXYZABCDEF")
    add(history, 3, status=None, url=f"{BASE}/workspaces?q=50%25_off", request_id=None)
    add(history, 4, method="POST", status=201, url=f"{BASE}/examples")
    add(history, 5, status=429)

    everything = history.query()
    assert [r.time for r in everything] == [1_700_000_000.0 + n for n in (5, 4, 3, 2, 1)]
    assert [r.status for r in history.query(failing_only=True)] == [429, None, 401]
    assert [r.request_id for r in history.query(text="01hxyz")] == ["01HXYZABCDEF"]
    assert [r.request_id for r in history.query(text="  01HXYZABCDEF ")] == ["01HXYZABCDEF"]
    assert len(history.query(text="/examples/demo")) == 3
    assert [r.method for r in history.query(text="POST /examples")] == ["POST"]
    assert [r.method for r in history.query(text="post")] == ["POST"]
    assert [r.status for r in history.query(text="429")] == [429]
    assert [r.status for r in history.query(text="50%25_")] == [None]
    assert [r.status for r in history.query(text="%")] == [None], "no LIKE wildcards"
    assert [r.status for r in history.query(text="_")] == [None]
    assert history.query(failing_only=True, text="/examples/demo", limit=1)[0].status == 429
    assert history.query(text="no-such-thing") == []
    assert [r.status for r in history.query(limit=2)] == [429, 201]
    assert all(isinstance(r, HistoryRow) for r in everything)


def test_the_token_is_never_written_to_the_files(history: History) -> None:
    from urllib.parse import quote

    body = f'{{"token": "{TOKEN}", "echo": "{TOKEN}"}}'.encode()
    entry_id = add(
        history,
        url=f"{BASE}/examples?key={quote(TOKEN, safe='')}&raw={TOKEN}",
        request_headers=[("Authorization", f"Bearer {TOKEN}"), ("X-Other", "fine")],
        request_body=body,
        response_headers=[("X-Echo", TOKEN)],
        response_body=body * 3,
        error_message=f"rejected {TOKEN}",
        request_id=TOKEN,
        secrets=[TOKEN],
    )
    entry = history.get(entry_id)
    assert entry is not None
    assert entry.url == f"{BASE}/examples?key=[redacted]&raw=[redacted]"
    assert entry.request_headers == (("Authorization", "Bearer [redacted]"), ("X-Other", "fine"))
    assert entry.error_message == "rejected [redacted]"
    assert entry.request_body == b'{"token": "[redacted]", "echo": "[redacted]"}'
    assert history.path is not None
    files = [history.path, history.path.with_name("history.sqlite3-wal")]
    contents = b"".join(p.read_bytes() for p in files if p.exists())
    assert b"[redacted]" in contents, "the scan looks at the bytes the rows were written to"
    assert TOKEN.encode() not in contents
    assert quote(TOKEN, safe="").encode() not in contents
    history.close()
    contents = b"".join(p.read_bytes() for p in history.path.parent.iterdir() if p.is_file())
    assert TOKEN.encode() not in contents


def test_a_token_across_the_capture_cap_leaves_no_prefix(tmp_path: Path) -> None:
    history = History(tmp_path / "h.sqlite3", caps=HistoryCaps(capture_bytes=1024))
    body = b"x" * 1019 + TOKEN.encode() + b"tail"
    entry = history.get(add(history, response_body=body, secrets=[TOKEN]))
    assert entry is not None
    assert len(entry.response_body) == 1024 and entry.response_truncated
    assert TOKEN[:5].encode() not in entry.response_body
    assert entry.response_body.endswith(b"x[reda")


def test_copies_are_capped_and_marked(tmp_path: Path) -> None:
    history = History(tmp_path / "h.sqlite3", caps=HistoryCaps(capture_bytes=2048))
    entry = history.get(add(history, request_body=b"r" * 5000, response_body=b"s" * 2048, size=5_000_000))
    assert entry is not None
    assert entry.request_body == b"r" * 2048 and entry.request_truncated
    assert entry.response_body == b"s" * 2048 and not entry.response_truncated
    assert entry.size == 5_000_000


def test_the_entry_cap_evicts_the_oldest_and_survives_reopening(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    history = History(path, caps=HistoryCaps(max_entries=3))
    for n in range(6):
        add(history, n)
    assert len(history) == 3
    assert [r.request_id for r in history.query()] == ["req-0005", "req-0004", "req-0003"]
    history.close()
    again = History(path, caps=HistoryCaps(max_entries=3))
    assert len(again) == 3
    add(again, 6)
    assert [r.request_id for r in again.query()] == ["req-0006", "req-0005", "req-0004"]


def test_the_byte_cap_evicts_the_oldest_but_keeps_the_newest(tmp_path: Path) -> None:
    caps = HistoryCaps(max_entries=1000, max_bytes=64 * 1024, capture_bytes=16 * 1024)
    history = History(tmp_path / "h.sqlite3", caps=caps)
    for n in range(20):
        add(history, n, response_body=bytes([65 + n]) * 10_000)
        assert history.stored_bytes <= caps.max_bytes
    kept = [r.request_id for r in history.query()]
    assert kept[0] == "req-0019" and 4 <= len(kept) <= 6
    assert kept == [f"req-{n:04d}" for n in range(19, 19 - len(kept), -1)]
    huge = History(tmp_path / "h2.sqlite3", caps=HistoryCaps(max_bytes=64 * 1024, capture_bytes=1024 * 1024))
    add(huge, 1, response_body=b"z" * 100_000)
    add(huge, 2, response_body=b"z" * 100_000)
    assert [r.request_id for r in huge.query()] == ["req-0002"]


def test_add_result_takes_a_client_result(history: History) -> None:
    request = CallRequest(method="GET", url=f"{BASE}/examples/demo", headers=(("Accept", "*/*"),), pin="1.1")
    headers = (("Content-Type", "application/json"),)
    sent_at = 1_700_000_100.0
    ok = json_result({"ok": True}, request=request, headers=headers, elapsed_ms=33.0, started_at=sent_at)
    failed = failed_result("refused", "connection refused: is it up?", request=request)
    first = history.get(history.add_result(ok, profile="sandbox", request_id="r-1") or -1)
    second = history.get(history.add_result(failed, profile="sandbox") or -1)
    assert first is not None and second is not None
    assert (first.status, first.pin, first.request_id, first.time) == (200, "1.1", "r-1", 1_700_000_100.0)
    assert first.response_body == b'{"ok": true}' and first.request_headers == (("Accept", "*/*"),)
    assert second.status is None and second.error_message == "connection refused: is it up?"


def test_threads_can_add_at_once(history: History) -> None:
    def worker(base: int) -> None:
        for n in range(base, base + 40):
            add(history, n)

    threads = [threading.Thread(target=worker, args=(i * 100,)) for i in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    rows = history.query(limit=1000)
    assert len(rows) == len(history) == 240
    assert len({r.id for r in rows}) == 240


# -- bad files -------------------------------------------------------------------------------------


def aside_files(path: Path) -> list[Path]:
    return sorted(path.parent.glob(path.name + ".corrupt-*"))


def test_a_garbage_file_is_moved_aside_and_a_new_one_started() -> None:
    path = default_history_path()
    path.parent.mkdir(parents=True)
    garbage = b"this is not a database at all\x00\xff" * 200
    path.write_bytes(garbage)
    history, notice = open_history(clock=lambda: 1_700_000_000.0)
    assert notice is not None and "\n" not in notice
    assert "moved aside to history.sqlite3.corrupt-20231114T221320Z" in notice
    assert [p.name for p in aside_files(path)] == ["history.sqlite3.corrupt-20231114T221320Z"]
    assert aside_files(path)[0].read_bytes() == garbage
    assert history.persistent and history.path == path
    add(history)
    assert len(history.query()) == 1
    history.close()
    again, notice = open_history()
    assert notice is None and len(again) == 1
    again.close()


def test_a_truncated_file_is_moved_aside(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    history = History(path)
    for n in range(200):
        add(history, n, response_body=b"q" * 3000)
    history.close()
    assert not path.with_name("h.sqlite3-wal").exists()
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    reopened, notice = open_history(path)
    assert notice is not None and "damaged" in notice and "moved aside" in notice
    assert len(aside_files(path)) == 1
    assert len(reopened) == 0 and reopened.persistent
    assert add(reopened, 1) > 0


def test_a_foreign_layout_is_moved_aside(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("CREATE TABLE entries (id INTEGER PRIMARY KEY, something TEXT)")
    history, notice = open_history(path)
    assert notice is not None and "layout" in notice
    assert len(aside_files(path)) == 1 and history.persistent
    add(history)


def test_a_newer_layout_is_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("PRAGMA user_version=99")
    before = path.read_bytes()
    history, notice = open_history(path)
    assert notice is not None and "newer labs-tui" in notice and "in memory" in notice
    assert not history.persistent
    add(history)
    assert path.read_bytes() == before and aside_files(path) == []


def test_a_locked_file_gives_an_in_memory_history_and_is_not_touched(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("CREATE TABLE t (x)")
    holder.execute("BEGIN EXCLUSIVE")
    holder.execute("INSERT INTO t VALUES (1)")
    try:
        before = path.read_bytes()
        history, notice = open_history(path, busy_timeout=0.05)
        assert notice is not None and "locked" in notice and "in memory" in notice and "\n" not in notice
        assert not history.persistent
        add(history, 1)
        assert [r.request_id for r in history.query()] == ["req-0001"]
        assert path.read_bytes() == before
        assert aside_files(path) == []
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_a_lock_while_running_skips_that_entry_with_a_notice(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    history = History(path, busy_timeout=0.05)
    add(history, 1)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        assert history.add(profile="live", method="GET", url=f"{BASE}/x") is None
        notice = history.take_notice()
        assert notice is not None and "locked" in notice
        assert history.take_notice() is None
        assert len(history.query()) == 1
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    add(history, 2)
    assert len(history.query()) == 2 and history.persistent


def test_an_unusable_place_gives_an_in_memory_history(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the data dir should be")
    history, notice = open_history(blocker / "history.sqlite3")
    assert notice is not None and "cannot be used" in notice and "in memory" in notice
    add(history)
    assert len(history.query()) == 1


def test_a_damaged_file_that_cannot_be_moved_gives_memory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "h.sqlite3"
    path.write_bytes(b"garbage" * 1000)

    def refuse(*_: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("labs_tui.store.history_db.os.replace", refuse)
    history, notice = open_history(path)
    assert notice is not None and "could not be moved aside" in notice and "Permission denied" in notice
    assert not history.persistent and path.read_bytes() == b"garbage" * 1000
    add(history)


def test_a_closed_history_answers_quietly(history: History) -> None:
    add(history)
    history.close()
    assert history.add(profile="live", method="GET", url=f"{BASE}/x") is None
    assert history.query() == [] and history.get(1) is None
    assert history.take_notice() is not None


def test_garbage_inside_a_stored_body_is_found_at_open_and_moved_aside(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    history = History(path)
    for n in range(10):
        add(history, n, response_body=bytes([65 + n]) * 20_000)
    history.close()
    data = bytearray(path.read_bytes())
    data[20 * 4096 : 21 * 4096] = b"\xde\xad" * 2048  # an overflow page of a stored body
    path.write_bytes(bytes(data))
    reopened, notice = open_history(path)
    assert notice is not None and "integrity check failed" in notice and "moved aside" in notice
    assert len(aside_files(path)) == 1 and len(reopened) == 0


def test_damage_found_while_running_moves_the_session_to_memory(tmp_path: Path) -> None:
    history = History(tmp_path / "h.sqlite3")
    add(history, 1)

    class Damaged:
        """Fault injection: the file turned out damaged under an open connection."""

        def execute(self, *_: object) -> None:
            raise sqlite3.DatabaseError("database disk image is malformed")

        def close(self) -> None:
            pass

    history._conn = Damaged()  # type: ignore[assignment]
    entry_id = history.add(profile="live", method="GET", url=f"{BASE}/after")
    assert entry_id is not None
    notice = history.take_notice()
    assert notice is not None and "damaged" in notice and "in memory" in notice
    assert not history.persistent
    assert [r.url for r in history.query()] == [f"{BASE}/after"]
