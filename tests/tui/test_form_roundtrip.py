"""A multipart request leaves the builder and comes back: exported as its fields, reopened from history.

The sandbox serves a spec with a file upload, so the request reaches a server that checks the body.
"""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import Any

from labs_tui.tui.app import make_app
from labs_tui.tui.screens.history import HistoryScreen
from labs_tui.tui.screens.main import MainScreen
from labs_tui.tui.widgets.history import HistoryTable

from .conftest import settings_for, wait_until
from .test_edit_body import show_body
from .test_edit_upload import field, upload_spec
from .test_edit_url import opened

SIZE = (140, 45)
BINARY = b"\x89PNG\r\n\x1a\n\x00\x01binary\xff"


async def filled(pilot: Any, tmp_path: Path) -> tuple[MainScreen, Path]:
    screen = await opened(pilot, "POST /pictures")
    await show_body(pilot, screen)
    picture = tmp_path / "cat.png"
    picture.write_bytes(BINARY)
    field(screen, "image").set_value(str(picture))
    field(screen, "title").set_value("Tom")
    await pilot.pause()
    return screen, picture


async def palette(pilot: Any, command: str) -> None:
    await pilot.press("ctrl+p")
    await pilot.press(*command)
    await pilot.pause(0.5)
    await pilot.press("enter")
    await pilot.pause()


async def test_the_palette_exports_a_form_as_its_fields_and_the_file_by_path(tmp_path: Path) -> None:
    spec_file = upload_spec(tmp_path, "3.0.3")
    app = make_app(settings_for("http://127.0.0.1:9", spec_source=str(spec_file), endpoint="uploadPicture"))
    async with app.run_test(size=SIZE) as pilot:
        screen, picture = await filled(pilot, tmp_path)
        await palette(pilot, "Export request as curl")
        words = shlex.split(app.clipboard)
        assert words[0] == "curl"
        assert words[words.index("-F") :] == ["-F", "title=Tom", "-F", f"image=@{picture};type=image/png"]
        assert "boundary" not in app.clipboard and "binary" not in app.clipboard
        assert "--data-raw" not in words and "Content-Type" not in app.clipboard
        await pilot.press("escape")
        await palette(pilot, "Export request as HTTPie")
        words = shlex.split(app.clipboard)
        assert words[:2] == ["http", "--multipart"]
        assert words[-2:] == ["title=Tom", f"image@{picture};type=image/png"]
        await pilot.press("escape")
        field(screen, "title").set_value("@")  # text that curl would read as a file
        await palette(pilot, "Export request as curl")
        words = shlex.split(app.clipboard)
        assert words[words.index("--form-string") :][:2] == ["--form-string", "title=@"]


async def test_a_reopened_form_gets_its_text_back_and_names_the_file_to_pick_again(
    start_sandbox: Any, tmp_path: Path
) -> None:
    spec_file = upload_spec(tmp_path, "3.0.3")
    sandbox = start_sandbox(spec=str(spec_file))
    app = make_app(settings_for(sandbox.base_url, spec_source=str(spec_file), endpoint="uploadPicture"))
    async with app.run_test(size=SIZE) as pilot:
        main, _ = await filled(pilot, tmp_path)
        await pilot.press("ctrl+j")
        await wait_until(pilot, lambda: main.last_answer is not None, timeout=15)
        assert main.last_answer is not None and main.last_answer[0].status == 201
        await wait_until(pilot, lambda: app.history is not None and len(app.history) == 1)
        field(main, "title").set_value("changed")
        field(main, "image").set_value("/somewhere/else.png")
        await pilot.press("f2")
        await wait_until(
            pilot, lambda: isinstance(app.screen, HistoryScreen) and app.screen.loaded_generation > 0
        )
        app.screen.query_one(HistoryTable).move_cursor(row=0)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, MainScreen))
        await wait_until(pilot, lambda: field(main, "title").value == "Tom")
        assert field(main, "image").value == ""  # the path was never stored: not guessed
        notices = [str(n.message) for n in app._notifications]
        assert any(n == "pick the file again: image (cat.png)" for n in notices), notices
