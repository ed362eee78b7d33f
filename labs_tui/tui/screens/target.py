"""The target picker: where a send goes. The embedded sandbox, the spec's servers (their variables
filled with their defaults), the config's profiles, or a URL typed by hand.

Opened from the palette, with ``f4`` or by a click on the header. It only offers and returns a
choice, ``(kind, value)``; the app switches the target through its profile rules (so which token a
target gets is decided by the core, never here). Server URLs and profile names come from the spec
and the config file, so they are shown literally.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from labs_tui.tui.text import literal

if TYPE_CHECKING:
    from labs_tui.spec import Spec
    from labs_tui.tui.app import LabsApp

BUILTIN_PROFILES = ("sandbox", "live")


@dataclass(frozen=True)
class Target:
    """One place a send can go: ``kind`` is ``sandbox``, ``server``, ``profile`` or ``custom``."""

    kind: str
    value: str | None
    label: str
    url: str = ""  # what the picker shows beside the label
    current: bool = False


def spec_servers(spec: Spec | None) -> list[str]:
    """The spec's absolute server URLs, variables filled with their defaults, without duplicates."""
    from labs_tui.client import ProfileError, check_base_url

    urls: list[str] = []
    for server in spec.servers if spec is not None else ():
        try:
            url = check_base_url(server.expanded())
        except ProfileError:
            continue  # a relative server ("/v1") names no host to send to
        if url not in urls:
            urls.append(url)
    return urls


def target_label(profile: Any, spec: Spec | None) -> str:
    """How the header names a profile's target: ``profile NAME``, ``server`` or ``custom URL``."""
    if profile.name != "custom":
        return f"profile {profile.name}"
    return "server" if profile.base_url in spec_servers(spec) else "custom URL"


def list_targets(app: LabsApp) -> list[Target]:
    """Every target the picker offers, the current one marked."""
    from labs_tui.client import LIVE_BASE_URL

    profile = app.profile
    current_url = profile.base_url if profile is not None else None
    name = profile.name if profile is not None else None
    sandbox_url = app.sandbox_url or ("starting..." if app.sandbox_starting else "")
    targets = [Target("sandbox", None, "embedded sandbox", sandbox_url, name == "sandbox")]
    for url in spec_servers(app.spec):
        targets.append(Target("server", url, "server", url, name == "custom" and current_url == url))
    config = app.config.profiles_mapping() if app.config is not None else {}
    entries = config.get("profiles") or {}
    # The built-in live profile is the Astro Labs API: offered for a spec that pins Labs versions (or
    # when the config sets it), not for any other API, where its URL could only answer 404.
    labs = app.spec is None or app.spec.declares_version_header() or "live" in entries or name == "live"
    named = sorted(str(k) for k in entries if k not in BUILTIN_PROFILES)
    for profile_name in ["live", *named] if labs else named:
        entry = entries.get(profile_name) or {}
        url = str(entry.get("base_url") or (LIVE_BASE_URL if profile_name == "live" else ""))
        targets.append(Target("profile", profile_name, f"profile {profile_name}", url, name == profile_name))
    servers = {t.url for t in targets if t.kind == "server"}
    custom_current = name == "custom" and current_url not in servers
    shown = (current_url or "") if custom_current else ""
    targets.append(Target("custom", None, "custom URL...", shown, custom_current))
    return targets


class TargetScreen(ModalScreen[tuple[str, str | None] | None]):
    """Pick a target with the arrows and Enter (or a click); Escape leaves the target as it is."""

    DEFAULT_CSS = """
    TargetScreen { align: center middle; }
    TargetScreen > Vertical {
        width: 80%; max-width: 100; height: auto; max-height: 80%;
        border: thick $accent; background: $surface; padding: 1 2;
    }
    TargetScreen .dialog-title { text-style: bold; margin: 0 0 1 0; }
    TargetScreen OptionList { height: auto; max-height: 20; }
    """
    BINDINGS = [Binding("escape", "cancel", "cancel")]

    def __init__(self, targets: list[Target]) -> None:
        super().__init__()
        self.targets = targets

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Where requests go", classes="dialog-title")
            yield OptionList(*(self._option(i, t) for i, t in enumerate(self.targets)), id="targets")
            yield Static(Text("enter: send requests there · escape: keep ● the current one", style="dim"))

    @staticmethod
    def _option(index: int, target: Target) -> Option:
        prompt = Text("● " if target.current else "  ", style="bold")
        prompt.append_text(literal(target.label))
        if target.url:
            prompt.append("  ")
            prompt.append_text(literal(target.url, style="dim"))
        return Option(prompt, id=str(index))

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        current = next((i for i, t in enumerate(self.targets) if t.current), 0)
        options.highlighted = current
        options.focus()

    @on(OptionList.OptionSelected, "#targets")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        target = self.targets[int(event.option.id or 0)]
        self.dismiss((target.kind, target.value))

    def action_cancel(self) -> None:
        self.dismiss(None)
