"""Snapshot of the Schema tab: an answer that breaks its documented schema (read the SVG after an update)."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot

from labs_tui.client import CallRequest, Diagnosis
from labs_tui.spec import load_spec

from .conftest import Clock, PaneApp, json_result
from .test_snapshots import SIZE, settle

REQUEST = CallRequest(
    "GET", "http://127.0.0.1:8000/labs/v1/examples/demo", pin="1.0", operation_key="GET /examples/demo"
)


def test_schema_tab_lists_the_problems(snap_compare: Any) -> None:
    app = PaneApp(Clock())

    async def show(pilot: Pilot[None]) -> None:
        pane = app.pane
        pane.spec = load_spec(None)
        result = json_result({"name": 3, "extra\x1b[2J": True}, request=REQUEST)
        pane.show_result(result, Diagnosis(title="200 OK"))
        await settle(pilot)
        pane.show_tab("schema")
        await settle(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=show)
