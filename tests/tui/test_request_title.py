"""The Request pane's title names the open operation even when the spec gives it no summary."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from .test_edit_url import edit_app, opened

SPEC = {
    "openapi": "3.0.3",
    "info": {"title": "untitled ops", "version": "1"},
    "servers": [{"url": "https://api.example.test"}],
    "paths": {
        "/named": {"get": {"operationId": "listNamed", "responses": {"200": {"description": "ok"}}}},
        "/bare/{id}": {
            "delete": {
                "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": {"204": {"description": "gone"}},
            }
        },
    },
}


@pytest.mark.parametrize(
    ("endpoint", "title"),
    [("GET /named", "Request  listNamed"), ("DELETE /bare/{id}", "Request  DELETE /bare/{id}")],
)
async def test_an_operation_without_summary_is_titled_by_its_id_else_method_and_path(
    tmp_path: Path, endpoint: str, title: str
) -> None:
    spec_file = tmp_path / "untitled.json"
    spec_file.write_text(json.dumps(SPEC))
    sent: list[httpx.Request] = []
    app = edit_app(tmp_path, endpoint, sent, spec_file)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await opened(pilot, endpoint)
        assert str(screen.request.border_title) == title
