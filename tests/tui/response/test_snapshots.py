"""Snapshots of each state the response pane shows, on a frozen clock (look at the SVGs after an update)."""

from __future__ import annotations

from typing import Any

import pytest
from textual.pilot import Pilot

SIZE = (100, 30)


async def settle(pilot: Pilot[None]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


@pytest.mark.parametrize(
    "state",
    [
        "ok",
        "unauthorized",
        "bad_request",
        "rate_limited",
        "gateway_text",
        "html_error",
        "network_error",
        "binary",
    ],
)
def test_state(state: str, snap_compare: Any, make_app: Any, results: Any) -> None:
    app = make_app(getattr(results, state)())
    assert snap_compare(app, terminal_size=SIZE, run_before=settle)


def test_pending(snap_compare: Any, make_app: Any, clock: Any) -> None:
    async def pending(pilot: Pilot[None]) -> None:
        pilot.app.pane.show_pending(clock.t - 2.3)  # type: ignore[attr-defined]
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=pending)


def test_search_in_body(snap_compare: Any, make_app: Any, results: Any) -> None:
    async def search(pilot: Pilot[None]) -> None:
        await settle(pilot)
        pilot.app.pane.body_view.line_view.focus()  # type: ignore[attr-defined]
        await pilot.press("ctrl+f", *"labs", "enter")
        await settle(pilot)

    assert snap_compare(make_app(results.ok()), terminal_size=SIZE, run_before=search)
