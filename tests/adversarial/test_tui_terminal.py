"""Every TUI path where spec or server text meets the screen or the clipboard, driven like a user.

The spec and the server of ``hostile_terminal`` put OSC 0 (window title) and OSC 52 (clipboard)
sequences, BEL/ST terminated, an 8-bit OSC and U+202E in a parameter's example and default, the body
example, summaries, the requestId and the error message. Each test opens, sends and copies with the
real keys, then checks two things: the text each widget holds (placeholder, editor, dialog, toast,
history row, clipboard) has no raw control, and the bytes Textual would write to the terminal for the
whole screen (the compositor's full update) hold no OSC and no BEL. The real terminal is
``test_terminal_tmux``; these say which path broke when it fails.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input, Select, TextArea

from labs_tui.client.model import ApiError, CallRequest, CallResult, Diagnosis, NetworkError
from labs_tui.client.report import support_report
from labs_tui.tui.app import LabsApp, make_app
from labs_tui.tui.screens.main import MainScreen
from labs_tui.tui.settings import Settings

from .hostile_terminal import (
    ATTACK,
    HOSTILE_VERSION,
    MESSAGE,
    REQUEST_ID,
    RLO,
    hostile_terminal_server,
    raw_controls_in,
    write_spec,
)

SIZE = (160, 50)
GUARD_S = 15.0


@pytest.fixture
def server_url() -> Iterator[str]:
    with hostile_terminal_server() as url:
        yield url


@pytest.fixture
def app(user_dirs: Path, tmp_path: Path, server_url: str) -> LabsApp:
    spec = write_spec(tmp_path / "hostile-terminal.json")
    return make_app(
        Settings(
            spec_source=str(spec),
            base_url=f"{server_url}/v1",
            env={},
            start_sandbox=False,
            history_path=user_dirs / "history.jsonl",
        )
    )


def terminal_output(app: LabsApp) -> str:
    """What Textual would write to the terminal to draw the whole current screen (toasts included)."""
    update = app.screen._compositor.render_full_update()
    return update.render_segments(app.console)


def assert_terminal_clean(app: LabsApp) -> str:
    out = terminal_output(app)
    for needle in ("\x1b]", "\x07", "\x9d", "\x9c", "\x1b\\", RLO):
        assert needle not in out, f"{needle!r} would reach the terminal"
    return out


def assert_inert(text: str, where: str) -> None:
    assert not raw_controls_in(text), f"raw {raw_controls_in(text)} in the {where}: {text[:200]!r}"


async def wait_until(pilot: Any, condition: Any, timeout: float = GUARD_S) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        assert loop.time() < deadline, "the app did not get there in time"
        await pilot.pause(0.02)


async def open_operation(pilot: Any, operation_id: str) -> MainScreen:
    app: LabsApp = pilot.app
    await wait_until(pilot, lambda: app.spec is not None and app.profile is not None)
    screen = next(s for s in app.screen_stack if isinstance(s, MainScreen))
    assert app.spec is not None
    operation = app.spec.find(operation_id)
    assert operation is not None
    screen.open_operation(operation)
    await pilot.pause()
    return screen


async def send(pilot: Any, screen: MainScreen) -> None:
    before = screen.sends_started
    await pilot.press("ctrl+j")
    await wait_until(pilot, lambda: screen.sends_started > before and not screen.sending)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def toast_texts(app: LabsApp) -> list[str]:
    return [str(toast.render()) for toast in app.screen.query("Toast")]


async def test_param_placeholders_from_a_spec_example_and_default_are_inert(app: LabsApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_operation(pilot, "OscError")
        inputs = list(screen.query("ParamRow Input").results(Input))
        assert len(inputs) == 3  # example, withdefault, X-Hostile (the enum is a select)
        for field in inputs:
            assert_inert(field.placeholder, f"placeholder of {field.id}")
        placeholders = " ".join(field.placeholder for field in inputs)
        assert "e.g. x␛]0;pwned␇" in placeholders  # shown, as visible stand-ins
        assert "default x␛]0;pwned" in placeholders
        for select in screen.query("ParamRow Select").results(Select):
            for prompt, _ in select._options:
                assert_inert(str(prompt), "enum option")
        assert_terminal_clean(app)


@pytest.mark.parametrize("operation_id", ["OscBody", "OscObject"])
async def test_the_body_editor_starts_from_an_inert_example(app: LabsApp, operation_id: str) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_operation(pilot, operation_id)
        await pilot.press("tab", "tab", "tab", "tab", "tab", "right", "right")  # URL, pin, Send, Prefer; Body
        await pilot.pause()
        editor = screen.request.body_editor.editor
        assert editor.display and editor.text
        assert_inert(editor.text, "body editor")
        assert "\\u202e" in editor.text  # the override is shown, not obeyed
        assert_terminal_clean(app)


async def test_the_docs_tab_and_titles_show_spec_text_inertly(app: LabsApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await open_operation(pilot, "OscError")
        await pilot.press("tab", "tab", "tab", "tab", "tab", "right", "right", "right")  # ...Prefer; Docs
        await pilot.pause()
        out = assert_terminal_clean(app)
        assert "description ␛]0;pwned␇" in out  # the Docs tab drew the description, inert
        assert_inert(str(app.title) + str(app.sub_title), "app title")


async def test_copy_request_id_report_and_exports_put_only_inert_text_on_the_clipboard(
    app: LabsApp,
) -> None:
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_operation(pilot, "OscError")
        await send(pilot, screen)
        answer = screen.last_answer
        assert answer is not None and answer[1].request_id == REQUEST_ID  # the raw one came
        assert_terminal_clean(app)  # the error panel, the response title

        screen.endpoints.endpoint_tree.focus()
        await pilot.press("ctrl+y")
        await pilot.pause(0.1)
        assert app.clipboard.startswith("rid-␛]0;pwned␇")
        assert_inert(app.clipboard, "clipboard after ctrl+y")
        for text in toast_texts(app):
            assert_inert(text, "toast")
        assert_terminal_clean(app)

        await pilot.press("ctrl+r")
        await pilot.pause(0.1)
        heading = app.clipboard.splitlines()[0]  # named from the spec's info.title, made inert
        assert heading.startswith("### Hostile") and heading.endswith(" call report")
        assert "- requestId: rid-␛]0;pwned␇" in app.clipboard
        assert_inert(app.clipboard, "clipboard after ctrl+r")
        dialog_text = app.screen.query_one("#copied-text", TextArea).text
        assert_inert(dialog_text, "Copied dialog")
        assert_terminal_clean(app)
        await pilot.press("escape")
        await pilot.pause()

        for kind, command in (("curl", "curl"), ("httpie", "HTTPie")):
            await pilot.press("ctrl+p")
            await pilot.pause()
            await pilot.press(*f"export request as {command}")
            await wait_until(pilot, lambda: bool(app.screen.query("CommandList Option, CommandList")))
            await pilot.pause(0.3)
            await pilot.press("enter")
            await wait_until(pilot, lambda: bool(app.screen.query("#copied-text")))
            assert app.clipboard.startswith("curl " if kind == "curl" else "http ")
            assert_inert(app.clipboard, f"clipboard after the {kind} export")
            assert_inert(app.screen.query_one("#copied-text", TextArea).text, f"{kind} dialog")
            assert_terminal_clean(app)
            await pilot.press("escape")
            await pilot.pause()


async def test_an_export_of_a_pasted_hostile_body_is_copied_inert(app: LabsApp) -> None:
    """A body pasted into the editor (from a web page, say) may hold raw escapes; the export is inert."""
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_operation(pilot, "OscBody")
        screen.request.body_editor.editor.load_text(f"pasted {ATTACK}{RLO}")
        for kind in ("curl", "httpie"):
            screen.action_copy(kind)
            await wait_until(pilot, lambda: bool(app.screen.query("#copied-text")))
            assert "pasted ␛]0;pwned␇" in app.clipboard
            assert_inert(app.clipboard, f"clipboard after the {kind} export")
            assert_inert(app.screen.query_one("#copied-text", TextArea).text, f"{kind} dialog")
            assert_terminal_clean(app)
            await pilot.press("escape")
            await wait_until(pilot, lambda: not app.screen.query("#copied-text"))


async def test_history_rows_and_palette_hits_show_server_and_spec_text_inertly(app: LabsApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_operation(pilot, "OscError")
        await send(pilot, screen)
        await pilot.press("f2")
        await wait_until(pilot, lambda: app.screen.query("#history-table") and app.screen.is_current)
        await pilot.pause(0.3)
        out = assert_terminal_clean(app)
        assert "rid-␛]0;pwned" in out  # the row is there, its requestId inert
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"osc")
        await pilot.pause(0.5)
        assert_terminal_clean(app)


@pytest.mark.parametrize("wanted", [("1.0", HOSTILE_VERSION), ("1.0", HOSTILE_VERSION, "latest")])
async def test_compare_with_a_hostile_version_shows_it_inertly(app: LabsApp, wanted: tuple[str, ...]) -> None:
    """Two versions: sides and their titles; three: the matrix. A version from the spec is shown inert."""
    from textual.widgets import Checkbox

    from labs_tui.tui.screens.compare import CompareScreen, VersionsScreen

    async with app.run_test(size=SIZE) as pilot:
        await open_operation(pilot, "OscError")
        await pilot.press("ctrl+t")
        await wait_until(pilot, lambda: isinstance(app.screen, VersionsScreen))
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, VersionsScreen)
        assert_terminal_clean(app)
        for index, version in enumerate(dialog._offered):
            dialog.query_one(f"#version-{index}", Checkbox).value = version in wanted
        await pilot.pause()
        dialog._compare()
        await wait_until(pilot, lambda: isinstance(app.screen, CompareScreen))
        compare = app.screen
        assert isinstance(compare, CompareScreen)
        await wait_until(pilot, lambda: compare.comparison is not None or compare.error is not None)
        await pilot.pause(0.2)
        out = assert_terminal_clean(app)
        assert "1.1␛]0;pwned" in out


def test_the_support_report_escapes_every_field_a_server_chose() -> None:
    request = CallRequest(method="GET", url=f"http://127.0.0.1:1/v1/x?q={ATTACK}", pin=f"1.0{ATTACK}")
    result = CallResult(
        request=request,
        status=400,
        reason=f"Bad {ATTACK}",
        json={"message": MESSAGE, "requestId": REQUEST_ID},
        started_at=time.time(),
    )
    diagnosis = Diagnosis(
        title="400",
        request_id=REQUEST_ID,
        served_version=f"9{ATTACK}",
        error=ApiError(message=MESSAGE, request_id=REQUEST_ID, status_code=400),
    )
    report = support_report(result, diagnosis, now=time.time())
    assert_inert(report, "support report")
    assert "- requestId: rid-␛]0;pwned␇" in report
    text_result = CallResult(request=request, status=400, reason="Bad", text=MESSAGE, started_at=time.time())
    assert_inert(support_report(text_result, diagnosis, now=time.time()), "report of a text body")
    failed = CallResult(request=request, network_error=NetworkError(kind="refused", message=MESSAGE))
    assert_inert(support_report(failed, diagnosis, now=time.time()), "report of a network error")
