"""Reopening a history entry: the operation it called, the headers to restore, the stored answer."""

from __future__ import annotations

from pathlib import Path

from labs_tui.client.model import CallRequest, CallResult
from labs_tui.spec import load_spec
from labs_tui.store import HistoryEntry, open_history
from labs_tui.store.reopen import editable_headers, match_url, stored_result

TOKEN = "tok-reopen-0123456789"


def stored_entry(tmp_path: Path, *, status: int | None, body: bytes) -> HistoryEntry:
    history, notice = open_history(tmp_path / "h.sqlite3")
    assert notice is None
    request = CallRequest(
        method="GET",
        url="http://127.0.0.1:9/labs/v1/examples/demo?x=1",
        headers=(
            ("Authorization", f"Bearer {TOKEN}"),
            ("X-Labs-API-Version", "1.0"),
            ("X-Trace", "abc"),
            ("Accept", "application/json"),
        ),
        pin="1.0",
    )
    result = CallResult(
        request=request,
        status=status,
        headers=(("Content-Type", "application/json"), ("X-Request-Id", "r1")),
        body=body,
        size=len(body),
    )
    entry_id = history.add_result(result, profile="sandbox", request_id="r1", secrets=[TOKEN])
    assert entry_id is not None
    entry = history.get(entry_id)
    history.close()
    assert entry is not None
    return entry


def test_a_stored_url_under_the_profile_base_path_finds_its_operation() -> None:
    spec = load_spec()
    found = match_url(spec, "get", "http://127.0.0.1:9/labs/v1/examples/demo?x=1")
    assert found is not None
    operation, params, query = found
    assert operation.operation_id == "GetExampleDemo"
    assert params == {} and query == {"x": "1"}
    assert match_url(spec, "GET", "http://127.0.0.1:9/labs/v1/nothing/here") is None


def test_restored_headers_leave_out_the_token_the_pin_and_client_headers(tmp_path: Path) -> None:
    entry = stored_entry(tmp_path, status=200, body=b'{"name": "Labs example"}')
    assert editable_headers(entry, "X-Labs-API-Version") == [("X-Trace", "abc")]


def test_the_stored_answer_comes_back_as_a_result(tmp_path: Path) -> None:
    entry = stored_entry(tmp_path, status=200, body=b'{"name": "Labs example"}')
    result = stored_result(entry)
    assert result.status == 200 and result.reason == "OK"
    assert result.content_kind == "json" and result.json == {"name": "Labs example"}
    assert TOKEN not in repr(result.request.headers)
