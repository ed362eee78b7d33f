"""The top line: app name, spec title and version, the target (where a send goes), and a coloured badge.

Only shows what it is given; the screen decides when the sandbox answered or the target changed.
One exception: the TLS NOT VERIFIED marker (``--insecure`` with an https target) follows the app's
``profile`` itself, so no screen that shows a header can forget it; it sits beside the badge and is
never cut, however narrow the terminal.
A click on the line asks for the target picker (``TargetClicked``; the app opens it, as ``f4`` does).
One widget drawing one line (the badge right-aligned in its theme colour), not a row of widgets: it is
on every first screen. Every value in it (spec title, profile, URL) is shown literally.
"""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual.events import Click
from textual.message import Message
from textual.widget import Widget

from labs_tui.tui.text import literal

BADGE_CLASSES = {"sandbox": "header-bar--sandbox", "live": "header-bar--live"}
TLS_MARKER = "TLS NOT VERIFIED"  # also on the compare view's title, which covers the header


class HeaderBar(Widget):
    DEFAULT_CSS = """
    HeaderBar { height: 1; background: $panel; padding: 0 1; }
    HeaderBar > .header-bar--sandbox { background: $success; color: $text; text-style: bold; }
    HeaderBar > .header-bar--live { background: $error; color: $text; text-style: bold; }
    HeaderBar > .header-bar--other { background: $warning; color: $text; text-style: bold; }
    HeaderBar > .header-bar--insecure { background: $error; color: $text; text-style: bold; }
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "header-bar--sandbox",
        "header-bar--live",
        "header-bar--other",
        "header-bar--insecure",
    }

    class TargetClicked(Message):
        """The header was clicked: pick where requests go."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._spec = "loading spec..."
        self._profile = ""
        self._base_url: str | None = None
        self._badge: str | None = None
        self._state = ""  # e.g. "stateful sandbox"
        self._pending = "sandbox starting..."  # shown while there is no URL yet
        self._tls_unverified = False
        self.tooltip = "where requests go: click (or f4) to choose"

    @property
    def badge(self) -> str | None:
        """The badge shown at the right (``sandbox``, ``live``, a profile name), or None."""
        return self._badge

    @property
    def tls_unverified(self) -> bool:
        """The TLS NOT VERIFIED marker is shown."""
        return self._tls_unverified

    def on_mount(self) -> None:
        if hasattr(self.app, "profile"):  # the Labs app; another host sets it with set_tls_unverified
            self.watch(self.app, "profile", self._follow_profile)

    def _follow_profile(self, profile: Any) -> None:
        from labs_tui.client import tls_unverified

        self.set_tls_unverified(profile is not None and tls_unverified(profile))

    def set_tls_unverified(self, on: bool) -> None:
        """Show (or drop) the TLS NOT VERIFIED marker: sends go to https with certificate checks off."""
        self._tls_unverified = on
        self.refresh()

    def set_spec(self, title: str, version: str) -> None:
        self._spec = f"{title} {version}".strip()
        self.refresh()

    def set_profile(self, name: str, base_url: str | None) -> None:
        self.set_target(f"profile {name}", base_url)

    def set_target(self, label: str, base_url: str | None) -> None:
        """``label`` names the target (``profile live``, ``server``, ``custom URL``); ``base_url`` None:
        the sandbox is starting."""
        self._profile = label
        self._base_url = base_url
        self.refresh()

    def set_spec_failed(self) -> None:
        """The spec did not load (the endpoint list says why)."""
        self._spec = "spec not loaded"
        self.refresh()

    def set_pending(self, text: str) -> None:
        """What stands for the URL while there is none: "sandbox starting...", or why it never came."""
        self._pending = text
        self.refresh()

    def set_state(self, state: str) -> None:
        """A note after the URL (``stateful sandbox``), or "" for none."""
        self._state = state
        self.refresh()

    def on_click(self, event: Click) -> None:
        event.stop()
        self.post_message(self.TargetClicked())

    def set_badge(self, kind: str | None) -> None:
        """``sandbox``, ``live``, another profile name, or None for no badge."""
        self._badge = kind
        self.refresh()

    def info(self) -> Text:
        """The left part: name, spec, profile and where requests go."""
        info = Text.assemble(("labs-tui", "bold"), "  ")
        info.append_text(literal(self._spec))
        if self._profile:
            info.append(" · ", style="dim")
            info.append_text(literal(self._profile))
            info.append(" · ", style="dim")
            info.append_text(literal(self._base_url or self._pending))
        if self._state:
            info.append(" · ", style="dim")
            info.append_text(literal(self._state))
        return info

    def marks(self) -> Text:
        """The right part, never cut: the TLS marker, then the badge."""
        marks = Text()
        if self._tls_unverified:
            marks.append(f" {TLS_MARKER} ", style=self.get_component_rich_style("header-bar--insecure"))
        if self._badge is not None:
            component = BADGE_CLASSES.get(self._badge, "header-bar--other")
            badge = literal(f" {self._badge.upper()} ")
            badge.stylize(self.get_component_rich_style(component))
            marks.append(" " if marks else "")
            marks.append_text(badge)
        return marks

    def render(self) -> Text:
        line = self.info()
        width = self.content_size.width
        marks = self.marks()
        if not marks or width <= 0:
            return line
        room = width - marks.cell_len - 1
        line.truncate(max(0, room), overflow="ellipsis")
        line.pad_right(max(0, width - line.cell_len - marks.cell_len))
        line.append_text(marks)
        return line
