"""The header line: what it shows, literally, with the badge at the right edge."""

from __future__ import annotations

from textual.app import App, ComposeResult

from labs_tui.tui.widgets.header.bar import HeaderBar


class HeaderApp(App[None]):
    def compose(self) -> ComposeResult:
        yield HeaderBar(id="header")


def line(app: HeaderApp) -> str:
    return "".join(segment.text for segment in app.query_one(HeaderBar).render_line(0))


async def test_spec_profile_and_url_are_shown_literally() -> None:
    app = HeaderApp()
    async with app.run_test(size=(80, 3)) as pilot:
        header = app.query_one(HeaderBar)
        header.set_spec("[bold]Labs[/]", "v1")
        header.set_profile("sandbox", None)
        await pilot.pause()
        text = line(app)
        assert "[bold]Labs[/] v1" in text
        assert "profile sandbox" in text and "sandbox starting..." in text


async def test_badge_sits_at_the_right_edge_and_goes_away() -> None:
    app = HeaderApp()
    async with app.run_test(size=(80, 3)) as pilot:
        header = app.query_one(HeaderBar)
        header.set_profile("live", "https://api.astronomer.io/labs/v1")
        header.set_badge("live")
        await pilot.pause()
        text = line(app)
        assert text.rstrip().endswith(" LIVE")
        assert text.index("LIVE") >= 70  # right-aligned in 80 columns (less the padding)
        header.set_badge(None)
        await pilot.pause()
        assert "LIVE" not in line(app)


async def test_a_long_line_is_cut_before_the_badge() -> None:
    app = HeaderApp()
    async with app.run_test(size=(40, 3)) as pilot:
        header = app.query_one(HeaderBar)
        header.set_profile("sandbox", "http://127.0.0.1:40000/labs/v1/with/a/very/long/path")
        header.set_badge("sandbox")
        await pilot.pause()
        text = line(app)
        assert text.rstrip().endswith("SANDBOX")
        assert len(text) <= 40
        assert "…" in text


async def test_tls_marker_sits_before_the_badge_and_is_never_cut() -> None:
    app = HeaderApp()
    async with app.run_test(size=(50, 3)) as pilot:
        header = app.query_one(HeaderBar)
        header.set_profile("staging", "https://staging.example.com/labs/v1/with/a/long/path")
        header.set_badge("staging")
        header.set_tls_unverified(True)
        await pilot.pause()
        text = line(app)
        assert text.rstrip().endswith(" TLS NOT VERIFIED   STAGING")
        assert len(text) <= 50 and "…" in text
        header.set_tls_unverified(False)
        await pilot.pause()
        assert "TLS NOT VERIFIED" not in line(app)
