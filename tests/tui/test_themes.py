"""Themes in the app: registered from the theme files, applied, switched from the palette, persisted."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from labs_tui.store import config_file
from labs_tui.store.themes import load_themes
from labs_tui.tui.app import LabsApp, make_app
from labs_tui.tui.themes import diff_colours, syntax_colours
from labs_tui.tui.widgets.response import BodyView

from .conftest import settings_for, wait_until
from .test_journeys import main_screen

SIZE = (120, 40)
USER_CONFIG = """\
# my labs-tui settings: keep this comment
theme: astro-dark   # the one I like
experimental_flag: yes   # a key this version does not know
"""


@pytest.fixture
def notes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every notification the app shows, as text."""
    seen: list[str] = []
    original = LabsApp.notify

    def notify(self: LabsApp, message: str, *args: Any, **kwargs: Any) -> None:
        seen.append(str(message))
        original(self, message, *args, **kwargs)

    monkeypatch.setattr(LabsApp, "notify", notify)
    return seen


def test_theme_specs_translate_to_syntax_and_diff_colours() -> None:
    specs, warnings = load_themes()
    assert not warnings
    by_name = {spec.name: spec for spec in specs}
    light = by_name["light"]
    assert syntax_colours(light).string == light.syntax["string"]
    assert syntax_colours(light).key == f"bold {light.syntax['key']}"
    assert diff_colours(light).renamed == light.diff["renamed"]


async def test_bundled_themes_are_registered_and_astro_dark_is_the_default(start_sandbox: Any) -> None:
    sandbox = start_sandbox()
    app = make_app(settings_for(sandbox.base_url))
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.spec is not None)
        assert {"astro-dark", "light", "high-contrast"} <= set(app.available_themes)
        assert app.theme == "astro-dark"
        body = main_screen(app).response.query_one(BodyView)
        assert body.colours == syntax_colours(app.theme_specs["astro-dark"])


async def test_palette_switch_applies_persists_keeps_comments_and_survives_a_restart(
    start_sandbox: Any,
) -> None:
    path = config_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(USER_CONFIG)
    sandbox = start_sandbox()
    app = make_app(settings_for(sandbox.base_url))
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.spec is not None)
        await pilot.press("ctrl+p")
        await pilot.press(*"Theme: light")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.theme == "light")
        await wait_until(pilot, lambda: "theme: light" in path.read_text())
        body = main_screen(app).response.query_one(BodyView)
        assert body.colours == syntax_colours(app.theme_specs["light"])
    text = path.read_text()
    assert "# my labs-tui settings: keep this comment" in text
    assert "# the one I like" in text and "experimental_flag: yes" in text
    again = make_app(settings_for(sandbox.base_url))
    async with again.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: again.spec is not None)
        assert again.theme == "light"


async def test_a_theme_picked_in_textuals_own_picker_is_saved_too(start_sandbox: Any) -> None:
    sandbox = start_sandbox()
    app = make_app(settings_for(sandbox.base_url))
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.spec is not None)
        app.theme = "nord"
        await wait_until(pilot, lambda: config_file().exists() and "theme: nord" in config_file().read_text())
        assert app.diff_colours.added == app.available_themes["nord"].success
    again = make_app(settings_for(sandbox.base_url))
    async with again.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: again.spec is not None)
        assert again.theme == "nord"


async def test_a_malformed_user_theme_is_skipped_with_one_warning(
    start_sandbox: Any, tmp_path: Path, notes: list[str]
) -> None:
    themes = tmp_path / "themes"
    themes.mkdir()
    (themes / "broken.yaml").write_text("name: broken\ndark: maybe\n")
    sandbox = start_sandbox()
    app = make_app(settings_for(sandbox.base_url, user_themes_dir=themes))
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.spec is not None)
        assert "broken" not in app.theme_specs
        assert app.theme == "astro-dark"
        warnings = [n for n in notes if "broken.yaml" in n]
        assert len(warnings) == 1 and "skipped" in warnings[0] and "\n" not in warnings[0]


async def test_an_unwritable_config_says_so_and_keeps_the_theme(start_sandbox: Any, notes: list[str]) -> None:
    path = config_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("theme: [unclosed\n")
    sandbox = start_sandbox()
    app = make_app(settings_for(sandbox.base_url))
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.spec is not None)
        app.set_theme_by_name("high-contrast")
        await pilot.pause()
        assert app.theme == "high-contrast"
        assert any("fix it first" in n for n in notes)
    assert path.read_text() == "theme: [unclosed\n"


@pytest.mark.parametrize("theme", ["astro-dark", "light", "high-contrast"])
async def test_the_endpoint_group_header_is_readable_in_every_bundled_theme(
    theme: str, start_sandbox: Any
) -> None:
    """The tag row's text colour is resolved against the list's background (it was white on light)."""
    from labs_tui.tui.widgets.endpoints.listing import EndpointList

    sandbox = start_sandbox()
    app = make_app(settings_for(sandbox.base_url))
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.spec is not None)
        app.theme = theme
        await pilot.pause()
        listing = main_screen(app).query_one(EndpointList)
        listing.cursor = 1  # the first operation, so the group row is drawn without the cursor
        await pilot.pause()
        segments = list(listing.render_line(0))
        tag = next(s for s in segments if s.text == "Examples")
        assert tag.style is not None and tag.style.color is not None and tag.style.bgcolor is not None
        fg, bg = tag.style.color.get_truecolor(), tag.style.bgcolor.get_truecolor()
        assert sum(abs(a - b) for a, b in zip(fg, bg, strict=True)) > 200, (theme, fg, bg)


async def test_the_palette_offers_the_apps_themes_not_textuals_picker() -> None:
    from textual.command import CommandPalette

    from labs_tui.tui.app import make_app

    from .conftest import settings_for, wait_until

    app = make_app(settings_for("http://127.0.0.1:9"))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert "Theme" not in titles and "Quit" in titles and "Keys" in titles
        await pilot.press("ctrl+p")
        await wait_until(pilot, lambda: isinstance(app.screen, CommandPalette))
        await pilot.press(*"theme")
        await pilot.pause(0.3)
        await app.workers.wait_for_complete()
        shown = [str(option.prompt) for option in app.screen.query_one("CommandList").options]  # type: ignore[attr-defined]
        assert shown and all(text.startswith("Theme: ") for text in shown), shown
