"""Multipart bodies with files: a file property takes a path, the file goes as a file part.

Against the real sandbox serving the spec, so the part reaches a server that checks the body.
"""

from __future__ import annotations

import json
from email.parser import BytesParser
from email.policy import HTTP
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input, Static

from labs_tui.tui.app import make_app
from labs_tui.tui.widgets.request.body import FormField

from .conftest import screen_text, settings_for, wait_until
from .test_edit_body import show_body
from .test_edit_url import opened


def upload_spec(folder: Path, version: str) -> Path:
    image: dict[str, Any] = (
        {"type": "string", "format": "binary"}
        if version.startswith("3.0")
        else {"contentMediaType": "image/png"}
    )
    schema = {
        "type": "object",
        "required": ["image"],
        "properties": {"title": {"type": "string"}, "image": image},
    }
    document = {
        "openapi": version,
        "info": {"title": "Uploads", "version": "1"},
        "paths": {
            "/pictures": {
                "post": {
                    "operationId": "uploadPicture",
                    "requestBody": {"required": True, "content": {"multipart/form-data": {"schema": schema}}},
                    "responses": {
                        "201": {
                            "description": "stored",
                            "content": {"application/json": {"schema": {"type": "object"}}},
                        },
                        "400": {"description": "bad"},
                    },
                }
            }
        },
    }
    path = folder / f"uploads-{version}.json"
    path.write_text(json.dumps(document))
    return path


def field(screen: Any, name: str) -> FormField:
    found: FormField = next(f for f in screen.request.query(FormField) if f.field_name == name)
    return found


@pytest.mark.parametrize("version", ["3.0.3", "3.1.0"])
async def test_a_file_is_uploaded_and_a_missing_one_stops_the_send(
    start_sandbox: Any, tmp_path: Path, version: str
) -> None:
    spec_file = upload_spec(tmp_path, version)
    sandbox = start_sandbox(spec=str(spec_file))
    picture = tmp_path / "cat.png"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x01binary\xff")
    app = make_app(settings_for(sandbox.base_url, spec_source=str(spec_file), endpoint="uploadPicture"))
    async with app.run_test(size=(140, 45)) as pilot:
        screen = await opened(pilot, "POST /pictures")
        await show_body(pilot, screen)
        assert field(screen, "image").is_file and not field(screen, "title").is_file
        assert "image* file" in screen_text(app)
        path_input = field(screen, "image").query_one(Input)
        path_input.focus()
        missing = str(tmp_path / "missing.png")
        await pilot.press(*missing, "ctrl+j")
        await pilot.pause()
        note = str(screen.request.query_one("#body-note", Static).render())
        assert note.startswith("image: cannot read") and "No such file" in note
        assert screen.sends_started == 0
        assert path_input.value == missing  # nothing lost

        path_input.value = str(picture)
        field(screen, "title").query_one(Input).value = "Tom"
        await pilot.press("ctrl+j")
        await wait_until(pilot, lambda: screen.last_answer is not None, timeout=15)
        result, _ = screen.last_answer
        assert result.status == 201, result.body[:300]
        request = result.request
        content_type = dict((k.lower(), v) for k, v in request.headers)["content-type"]
        message = BytesParser(policy=HTTP).parsebytes(
            b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + (request.body or b"")
        )
        parts = [
            (p.get_param("name", header="content-disposition"), p.get_filename(), p.get_payload(decode=True))
            for p in message.iter_parts()
        ]
        assert parts == [("title", None, b"Tom"), ("image", "cat.png", picture.read_bytes())]
        assert (
            str(screen.request.query_one("#body-note", Static).render()) == "multipart/form-data (required)"
        )


async def test_a_form_with_a_file_saves_as_its_fields_and_opens_back(tmp_path: Path) -> None:
    """Save request keeps a multipart form as fields (the file as @path), never the bytes it sent."""
    from labs_tui.tui.screens.collection import open_saved, saved_from_draft

    spec_file = upload_spec(tmp_path, "3.0.3")
    picture = tmp_path / "cat.png"
    picture.write_bytes(b"\x89PNG\x00\xff")
    app = make_app(settings_for("http://127.0.0.1:9", spec_source=str(spec_file), endpoint="uploadPicture"))
    async with app.run_test(size=(140, 45)) as pilot:
        screen = await opened(pilot, "POST /pictures")
        await show_body(pilot, screen)
        field(screen, "image").set_value(str(picture))
        field(screen, "title").set_value("Tom")
        draft = screen.request.collect()
        saved = saved_from_draft("upload", draft, "sandbox")
        assert saved.form == (("title", "Tom"), ("image", f"@{picture}"))
        assert saved.body is None
        assert not [n for n, _ in saved.headers if n.lower() == "content-type"]  # no stale boundary
        field(screen, "image").set_value("")
        field(screen, "title").set_value("")
        assert open_saved(screen, saved)
        await wait_until(pilot, lambda: field(screen, "image").value == str(picture))
        assert field(screen, "title").value == "Tom"


async def test_a_curl_style_file_value_fills_the_path_and_a_repeated_name_is_said(tmp_path: Path) -> None:
    from labs_tui.store import SavedRequest
    from labs_tui.tui.screens.collection import open_saved

    spec_file = upload_spec(tmp_path, "3.0.3")
    app = make_app(settings_for("http://127.0.0.1:9", spec_source=str(spec_file), endpoint="uploadPicture"))
    async with app.run_test(size=(140, 45)) as pilot:
        screen = await opened(pilot, "POST /pictures")
        await show_body(pilot, screen)
        saved = SavedRequest(
            name="curl import",
            method="POST",
            path="/pictures",
            form=(("image", "@cat.png;type=image/png"), ("title", "A"), ("title", "B")),
        )
        assert open_saved(screen, saved)
        await wait_until(pilot, lambda: field(screen, "image").value == "cat.png")
        assert field(screen, "title").value == "A"
        await wait_until(
            pilot, lambda: any("title: given more than once" in str(n.message) for n in app._notifications)
        )
