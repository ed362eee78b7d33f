"""Reopening a history entry: the operation it called, the headers to restore, the stored answer."""

from __future__ import annotations

from pathlib import Path
from typing import Any

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


def stored_upload(tmp_path: Path, parts: list[Any], cap: int | None = None) -> HistoryEntry:
    from labs_tui.client import encode_form
    from labs_tui.store import HistoryCaps

    body, content_type = encode_form("multipart/form-data", parts, "labs-tui-feed")
    caps = HistoryCaps(capture_bytes=cap) if cap is not None else None
    history, _ = open_history(tmp_path / f"form-{cap}.sqlite3", caps=caps)
    request = CallRequest(
        method="POST", url="http://127.0.0.1:9/pictures", headers=(("Content-Type", content_type),), body=body
    )
    entry_id = history.add_result(CallResult(request=request, status=201), profile="sandbox")
    assert entry_id is not None
    entry = history.get(entry_id)
    history.close()
    assert entry is not None
    return entry


def test_a_stored_multipart_body_gives_its_text_fields_and_names_its_files(tmp_path: Path) -> None:
    from labs_tui.client import FormPart
    from labs_tui.store import StoredForm, stored_form

    picture = tmp_path / "cat.png"
    picture.write_bytes(b"\x89PNG\x00\xff" * 10)
    parts = [FormPart("title", "Tom é"), FormPart("image", file=str(picture)), FormPart("tags", "a;b")]
    form = stored_form(stored_upload(tmp_path, parts))
    assert form == StoredForm((("title", "Tom é"), ("tags", "a;b")), (("image", "cat.png"),))
    assert form.notice() == "pick the file again: image (cat.png)"
    # the history cap falls inside the file: the fields before it come back, the ones after it do not
    cut = stored_form(stored_upload(tmp_path, parts, cap=200))
    assert cut is not None and cut.cut and cut.fields == (("title", "Tom é"),)
    assert cut.files == (("image", "cat.png"),)
    # ... and inside a text field: that one is left out, not filled with half its value
    long_text = [FormPart("title", "x" * 300), FormPart("n", "1")]
    text_cut = stored_form(stored_upload(tmp_path, long_text, cap=200))
    assert text_cut is not None and text_cut.fields == () and text_cut.cut
    assert "later fields are empty" in (cut.notice() or "")
    json_entry = stored_entry(tmp_path, status=200, body=b"{}")
    assert stored_form(json_entry) is None
