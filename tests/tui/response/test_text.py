"""Server text is data: markup stays characters, control sequences never reach the terminal."""

from __future__ import annotations

import io
import re

from hypothesis import given
from hypothesis import strategies as st
from rich.console import Console
from rich.text import Text
from textual.app import App, ComposeResult
from textual.widgets import Static

from labs_tui.text import UNSAFE as CONTROL_RE
from labs_tui.text import inert as sanitize
from labs_tui.tui.text import literal

C0_AND_DEL = "".join(chr(c) for c in [*range(0x00, 0x09), *range(0x0B, 0x20), 0x7F])
OSC52 = "\x1b]52;c;ZWNobyBwd25lZA==\x07"
CSI = "\x1b[31mred\x1b[0m"


def render_ansi(text: Text) -> str:
    out = io.StringIO()
    Console(file=out, force_terminal=True, color_system="truecolor", width=200).print(text)
    return out.getvalue()


def test_markup_stays_characters() -> None:
    text = literal("[bold red]x[/] and [link=http://evil]y[/link]")
    assert text.plain == "[bold red]x[/] and [link=http://evil]y[/link]"
    assert text.spans == []
    assert "[bold red]x[/]" in render_ansi(text)


def test_csi_is_shown_not_sent() -> None:
    assert sanitize(CSI) == "␛[31mred␛[0m"
    output = render_ansi(literal(CSI))
    assert "␛[31mred" in output
    assert "\x1b[31m" not in output


def test_osc52_clipboard_write_is_shown_not_sent() -> None:
    assert sanitize(OSC52) == "␛]52;c;ZWNobyBwd25lZA==␇"
    output = render_ansi(literal(OSC52))
    assert "\x1b]" not in output and "\x07" not in output
    assert "]52;c;" in output


def test_carriage_return_and_others_are_visible() -> None:
    assert sanitize("paid\rFAKE") == "paid␍FAKE"
    assert sanitize("a\x00b\x08c\x7fd") == "a␀b␈c␡d"
    assert sanitize("csi\x9b31m nel\x85") == "csi\\x9b31m nel\\x85"


def test_newline_tab_and_unicode_untouched() -> None:
    value = "line one\n\tindented · ünïcødé ✓ 日本"
    assert sanitize(value) == value
    assert literal(value, "bold").style == "bold"


@given(st.text())
def test_no_control_character_survives(value: str) -> None:
    cleaned = sanitize(value)
    assert CONTROL_RE.search(cleaned) is None
    assert sanitize(cleaned) == cleaned


@given(st.text(alphabet=st.sampled_from(C0_AND_DEL + "ab\n")))
def test_c0_replacement_keeps_offsets(value: str) -> None:
    assert len(sanitize(value)) == len(value)


class _StaticApp(App[None]):
    def compose(self) -> ComposeResult:
        yield Static(literal(f"[bold red]x[/] {CSI} {OSC52} a\rb"), id="s")


async def test_static_on_screen_is_literal() -> None:
    app = _StaticApp()
    async with app.run_test(size=(120, 5)):
        svg = app.export_screenshot()
        assert "\x1b" not in svg and "\x07" not in svg
        plain = re.sub(r"<[^>]+>", "", svg).replace("&#160;", " ").replace("\xa0", " ")
        assert "[bold red]x[/]" in plain.replace("&#91;", "[").replace("&#93;", "]")
        assert "␛[31mred" in plain.replace("&#91;", "[")
        assert "a␍b" in plain
