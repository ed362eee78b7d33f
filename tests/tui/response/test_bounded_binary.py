"""A body dense with NULs, labelled JSON, reaches the response pane as a bounded hex summary."""

from __future__ import annotations

from labs_tui.client.classify import classify
from labs_tui.client.model import Diagnosis

from .conftest import Clock, PaneApp, json_result


async def test_nuls_labelled_json_show_a_hex_summary_not_the_body() -> None:
    body = b"\x00" * 2_000_000 + b'{"a": 1}'
    found = classify(body, "application/json")
    result = json_result(
        None,
        body=body,
        size=len(body),
        content_kind=found.kind,
        text=found.text,
        json=found.json,
        json_error=found.json_error,
    )
    app = PaneApp(Clock(), (result, Diagnosis(title="200 OK")))
    async with app.run_test(size=(100, 30)) as pilot:
        view = app.pane.body_view.line_view
        while not view.complete:
            await pilot.pause(0.02)
        lines = list(view.lines)
        assert lines[0].startswith("binary body · 1.9 MB · application/json")
        assert lines[3].startswith("00000000  00 00 00 00 00 00 00 00")
        assert len(lines) <= 20
