"""The compare matrix (three or more versions) marks renames like the two-version view: one row per
renamed key, labelled with its names, marked "> renamed" instead of two rows that each "~ differ"."""

from __future__ import annotations

import json
from typing import Any

import httpx
from textual.widgets import Checkbox

from labs_tui.client import Client, Profile, build_request
from labs_tui.compare import compare_versions, matrix
from labs_tui.tui.app import make_app
from labs_tui.tui.screens.compare import VersionsScreen
from labs_tui.tui.widgets.compare import MatrixTable

from .conftest import settings_for
from .test_compare import compared
from .test_journeys import SIZE, open_demo

JSON = {"Content-Type": "application/json"}


async def _matrix(bodies: dict[str | None, Any]) -> list[tuple[str, tuple[str | None, ...], str]]:
    def handler(request: httpx.Request) -> httpx.Response:
        body = bodies[request.headers.get("X-Labs-API-Version")]
        return httpx.Response(200, headers=JSON, content=json.dumps(body).encode())

    profile = Profile("p", "http://api.test/labs/v1", token="t")
    versions = [v or "latest" for v in bodies]
    async with Client(profile, transport=httpx.MockTransport(handler)) as client:
        comparison = await compare_versions(client, build_request(profile, method="GET", path="/d"), versions)
    return [(row.path, row.values, row.mark) for row in matrix(comparison)]


async def test_a_rename_between_two_versions_is_one_row_marked_renamed() -> None:
    rows = await _matrix(
        {
            "1.0": {"name": "Labs example", "size": 1},
            "1.1": {"proofOfConcept": "Labs example", "size": 1},
            None: {"proofOfConcept": "Labs example", "size": 2},
        }
    )
    assert rows == [
        ("status", ("200 OK", "200 OK", "200 OK"), "="),
        ("name -> proofOfConcept", ('"Labs example"',) * 3, ">"),
        ("size", ("1", "1", "2"), "~"),
    ]


async def test_nested_renames_over_several_versions_chain_on_one_row() -> None:
    rows = await _matrix(
        {
            "1.0": {"spec": {"old": 1}, "gone": True},
            "1.1": {"spec": {"mid": 1}},
            "1.2": {"spec": {"new": 1}, "gone": True},
            None: {"spec": {"new": 1}, "gone": True, "added": "x"},
        }
    )
    assert rows[1:] == [
        ("spec.old -> spec.mid -> spec.new", ("1", "1", "1", "1"), ">"),
        ("gone", ("true", None, "true", "true"), "~"),  # gone in 1.1, back on its own row after
        ("added", (None, None, None, '"x"'), "~"),
    ]


async def test_without_renames_the_rows_are_as_before() -> None:
    rows = await _matrix({"1.0": {"v": 1}, "1.1": {"v": 1}, None: {"v": [1]}})
    assert rows[1:] == [("v", ("1", "1", None), "~"), ("v[0]", (None, None, "1"), "~")]


async def test_the_matrix_view_marks_the_demo_rename(start_sandbox: Any) -> None:
    sandbox = start_sandbox()
    app = make_app(settings_for(sandbox.base_url))
    async with app.run_test(size=SIZE) as pilot:
        await open_demo(pilot)
        await pilot.press("ctrl+t")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, VersionsScreen)
        for box in dialog.query(Checkbox):
            box.value = True  # 1.0, 1.1 and latest
        await pilot.pause()
        await pilot.press("enter")
        screen = await compared(pilot)
        table = screen.query_one(MatrixTable)
        cells = [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]
        assert cells == [
            ["status", "200 OK", "200 OK", "200 OK", ""],
            ["name -> proofOfConcept", '"Labs example"', '"Labs example"', '"Labs example"', "> renamed"],
        ]
        assert table.differing == [1]
        assert screen.summary.startswith("1 of 2 rows differ across 3 versions")
