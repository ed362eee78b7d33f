"""Papercuts a new user met on a third-party spec: the support report's heading and body label, and the
Params tab's field messages re-checked as the user types."""

from __future__ import annotations

from pathlib import Path

import httpx

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
