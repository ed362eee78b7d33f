"""Papercuts a new user met on a third-party spec: the support report's heading and body label, and the
Params tab's field messages re-checked as the user types."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
from textual.widgets import Static

from labs_tui.tui.widgets.request.params import ParamRow

from .conftest import wait_until
from .test_edit_url import edit_app, opened, row_input, send

PETSTORE = Path(__file__).parent.parent / "data" / "specs" / "third_party" / "petstore-3.0.json"


async def test_the_support_report_on_petstore_names_it_and_says_body(tmp_path: Path) -> None:
    sent: list[httpx.Request] = []
    app = edit_app(tmp_path, "getPetById", sent, PETSTORE)
    async with app.run_test(size=(140, 45)) as pilot:
        screen = await opened(pilot, "GET /pet/{petId}")
        row_input(screen, "petId").focus()
        await pilot.press(*"1")
        await send(pilot, sent)
        await wait_until(pilot, lambda: screen.last_answer is not None)
        report = screen.copy_text("support_report")
    assert report is not None
    assert report.startswith("### Swagger Petstore call report\n"), report.splitlines()[0]
    assert "- Status: 200 OK" in report and "- Body:\n" in report and "Error body" not in report
    assert "Pinned version" not in report  # Petstore declares no version header


def test_the_labs_spec_keeps_its_heading() -> None:
    from labs_tui.spec import load_spec

    assert load_spec(None).title == "Astro Labs API"  # the heading the Labs report has always had


def param_row(screen: Any, name: str) -> ParamRow:
    found: ParamRow = next(r for r in screen.request.query(ParamRow) if r.param.name == name)
    return found


def message(row: ParamRow) -> str | None:
    return str(row.query_one(".param-error", Static).render()) if row.has_class("-invalid") else None


async def test_a_field_message_follows_what_is_typed(tmp_path: Path) -> None:
    sent: list[httpx.Request] = []
    app = edit_app(tmp_path, "getPetById", sent, PETSTORE)
    async with app.run_test(size=(140, 45)) as pilot:
        screen = await opened(pilot, "GET /pet/{petId}")
        row = param_row(screen, "petId")
        await pilot.press("ctrl+j")  # refused: the path parameter is empty
        await wait_until(pilot, lambda: message(row) == "petId is required")
        assert sent == []
        row_input(screen, "petId").focus()
        await pilot.press(*"abc")
        assert message(row) == "petId is required"  # not while typing: after a short pause
        await wait_until(pilot, lambda: message(row) == "petId must be an integer")
        await pilot.press("backspace", "backspace", "backspace", *"42")
        await wait_until(pilot, lambda: message(row) is None)
        request = await send(pilot, sent)
        assert request.url.path.endswith("/pet/42")


async def test_a_message_is_checked_again_when_the_url_line_fills_the_field(tmp_path: Path) -> None:
    sent: list[httpx.Request] = []
    app = edit_app(tmp_path, "getPetById", sent, PETSTORE)
    async with app.run_test(size=(140, 45)) as pilot:
        screen = await opened(pilot, "GET /pet/{petId}")
        row = param_row(screen, "petId")
        row_input(screen, "petId").focus()
        await pilot.press(*"x1")
        await pilot.press("ctrl+j")
        await wait_until(pilot, lambda: message(row) == "petId must be an integer")
        await pilot.press("ctrl+l", "ctrl+u", *"/pet/7")
        await wait_until(pilot, lambda: row_input(screen, "petId").value == "7")
        await wait_until(pilot, lambda: message(row) is None)
