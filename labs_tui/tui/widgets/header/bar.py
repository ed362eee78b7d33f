"""The top line: app name, spec title and version, profile, base URL, and a coloured badge.

Only shows what it is given; the screen decides when the sandbox answered or the profile changed.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Static

from labs_tui.tui.text import literal


class HeaderBar(Horizontal):
    DEFAULT_CSS = """
    HeaderBar { height: 1; background: $panel; }
    HeaderBar #header-info { width: 1fr; padding: 0 1; }
    HeaderBar #header-badge { width: auto; padding: 0 1; }
    HeaderBar #header-badge.-sandbox { background: $success; color: $text; text-style: bold; }
    HeaderBar #header-badge.-live { background: $error; color: $text; text-style: bold; }
    HeaderBar #header-badge.-other { background: $warning; color: $text; text-style: bold; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._spec = "loading spec..."
        self._profile = ""
        self._base_url: str | None = None

    def compose(self) -> ComposeResult:
        yield Static("", id="header-info")
        yield Static("", id="header-badge")

    def on_mount(self) -> None:
        self._render_info()

    def set_spec(self, title: str, version: str) -> None:
        self._spec = f"{title} {version}".strip()
        self._render_info()

    def set_profile(self, name: str, base_url: str | None) -> None:
        self._profile = name
        self._base_url = base_url
        self._render_info()

    def set_badge(self, kind: str | None) -> None:
        """``sandbox``, ``live``, another profile name, or None for no badge."""
        badge = self.query_one("#header-badge", Static)
        badge.remove_class("-sandbox", "-live", "-other")
        badge.display = kind is not None
        if kind is None:
            return
        badge.add_class({"sandbox": "-sandbox", "live": "-live"}.get(kind, "-other"))
        badge.update(literal(kind.upper()))

    def _render_info(self) -> None:
        info = Text.assemble(("labs-tui", "bold"), "  ")
        info.append_text(literal(self._spec))
        if self._profile:
            info.append(" · profile ", style="dim")
            info.append_text(literal(self._profile))
            info.append(" · ", style="dim")
            info.append_text(literal(self._base_url or "sandbox starting..."))
        self.query_one("#header-info", Static).update(info)
