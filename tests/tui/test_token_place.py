"""On a third-party spec the token goes where the operation's security says, and the Headers tab says
where: Petstore's ``GET /pet/{petId}`` (apiKey ``api_key`` in a header) answered 200 by the embedded
sandbox serving Petstore, with the token row naming ``api_key``, never showing the token."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.widgets import Checkbox, Static

from labs_tui.tui.app import make_app
from labs_tui.tui.settings import Settings

from .conftest import screen_text, wait_until
from .test_edit_url import opened, row_input
from .test_journeys import send, show_headers_tab

PETSTORE = Path(__file__).parent.parent / "data" / "specs" / "third_party" / "petstore-3.0.json"
SIZE = (140, 45)


def petstore_app(tmp_path: Path, endpoint: str) -> Any:
    return make_app(
        Settings(spec_source=str(PETSTORE), endpoint=endpoint, env={}, history_path=tmp_path / "history.db")
    )


async def test_get_pet_by_id_sends_the_token_as_api_key_and_the_headers_tab_says_so(tmp_path: Path) -> None:
    app = petstore_app(tmp_path, "getPetById")
    async with app.run_test(size=SIZE) as pilot:
        screen = await opened(pilot, "GET /pet/{petId}")
        row_input(screen, "petId").focus()
        await pilot.press(*"42")
        await pilot.pause(0.1)
        result, _ = await send(pilot, screen)
        assert result.status == 200, result.body[:200]
        sent = dict((n.lower(), v) for n, v in result.request.headers)
        assert sent.get("api_key") == "***" and "authorization" not in sent
        await show_headers_tab(pilot, screen)
        label = str(screen.request.query_one("#auth-enabled", Checkbox).label)
        assert label == "api_key"
        value = str(screen.request.query_one("#auth-value", Static).render())
        assert "oken" in value and "Bearer" not in value
        text = screen_text(app)
        assert "api_key" in text and "sandbox-token" not in text


async def test_a_typed_api_key_row_replaces_the_token_and_unticking_the_token_row_keeps_it_out(
    tmp_path: Path,
) -> None:
    from labs_tui.tui.widgets.request.headers import HeaderRow

    app = petstore_app(tmp_path, "getInventory")
    async with app.run_test(size=SIZE) as pilot:
        screen = await opened(pilot, "GET /store/inventory")
        await show_headers_tab(pilot, screen)
        auth_value = screen.request.query_one("#auth-value", Static)
        await pilot.click("#add-header")
        await pilot.pause()
        await pilot.press(*"api_key", "tab", *"wrong-key")
        await pilot.pause()
        assert "replaced by your api_key header" in str(auth_value.render())
        assert screen.request.query_one(HeaderRow).note == "← sent instead of the token"
        result, _ = await send(pilot, screen)
        assert result.status == 401  # the typed key went, not the profile's token
        await pilot.click(".header-remove")
        await wait_until(pilot, lambda: not screen.request.query(HeaderRow))
        result, _ = await send(pilot, screen)
        assert result.status == 200
        screen.request.query_one("#auth-enabled", Checkbox).value = False  # the user unticks the token
        await pilot.pause()
        result, _ = await send(pilot, screen)
        assert result.status == 401


async def test_the_token_row_says_query_parameter_or_cookie_or_not_sent() -> None:
    from textual.app import App, ComposeResult
    from textual.containers import Vertical

    from labs_tui.client import TokenPlace
    from labs_tui.tui.widgets.request.headers import HeadersEditor

    class Host(App[None]):
        def compose(self) -> ComposeResult:
            yield Vertical(id="slot")

    editor = HeadersEditor(id="headers")
    editor.set_token("fake-test-token-not-a-secret")
    app = Host()
    async with app.run_test() as pilot:
        await app.query_one("#slot").mount(editor)
        await pilot.pause()
        shown = {}
        for place in (
            TokenPlace("query", "key", ""),
            TokenPlace("cookie", "sid", ""),
            TokenPlace("none", "", "", why="the spec says it needs no credentials"),
        ):
            editor.set_token_place(place)
            await pilot.pause()
            label = str(editor.query_one("#auth-enabled", Checkbox).label)
            value = str(editor.query_one("#auth-value", Static).render())
            assert "fake-test-token" not in value
            shown[place.kind] = (label, value)
    assert shown["query"] == ("query parameter key", "********cret  in the query parameter key")
    assert shown["cookie"] == ("cookie sid", "********cret  in the cookie sid")
    assert shown["none"][1].endswith("not sent: the spec says it needs no credentials")
