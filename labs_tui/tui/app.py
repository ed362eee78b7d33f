"""The app shell: settings in, spec and sandbox loaded in workers, profile switching, help.

Kept small on purpose: the main screen orchestrates the panes and sending; this holds the state
several screens share (spec, profile, sandbox) and exposes it as reactives the screens watch.
Nothing here blocks the first paint: the spec and the sandbox start in thread workers.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from textual import on, work
from textual.app import App
from textual.binding import Binding
from textual.reactive import var
from textual.worker import Worker, WorkerState

from labs_tui.client.model import Profile
from labs_tui.spec.model import Spec
from labs_tui.tui.commands import LabsCommands
from labs_tui.tui.messages import SandboxFailed, SandboxStarted, SpecFailed, SpecLoaded, SpecProgress
from labs_tui.tui.screens.dialogs import PromptScreen, token_prompt
from labs_tui.tui.screens.help import HelpScreen, binding_rows
from labs_tui.tui.screens.main import MainScreen
from labs_tui.tui.settings import Settings


def one_line(error: BaseException | str) -> str:
    text = " ".join(str(error).split())
    return text or type(error).__name__


class LabsApp(App[None]):
    TITLE = "labs-tui"
    COMMANDS = App.COMMANDS | {LabsCommands}
    MODES = {"main": MainScreen}  # a mode, not get_default_screen, so the screen's CSS_PATH is loaded
    DEFAULT_MODE = "main"
    BINDINGS = [
        Binding("f1", "help", "help"),
        Binding("ctrl+q", "quit", "quit", priority=True),
    ]

    spec: var[Spec | None] = var(None)
    profile: var[Profile | None] = var(None)
    sandbox_url: var[str | None] = var(None)
    spec_error: var[str | None] = var(None)

    def __init__(self, settings: Settings) -> None:
        super().__init__()
        self.settings = settings
        self.config: Any = settings.config  # labs_tui.store.config.Config, read on mount if not given
        self._sandbox: Any = None

    def on_mount(self) -> None:
        warnings = list(self.settings.config_warnings)
        if self.config is None:
            from labs_tui.store.config import load_config

            self.config, warnings = load_config()
        for warning in warnings:
            self.notify(warning, title="config", severity="warning")
        self.load_spec(self.settings.spec_source)
        self.switch_profile(self.settings.profile, self.settings.base_url)

    def on_unmount(self) -> None:
        if self._sandbox is not None:
            self._sandbox.stop()
            self._sandbox = None

    # -- spec ------------------------------------------------------------------------------------

    def load_spec(self, source: str | None) -> None:
        self.spec_error = None
        self._load_spec(source)

    @work(thread=True, exclusive=True, group="spec", exit_on_error=False)
    def _load_spec(self, source: str | None) -> None:
        from labs_tui.spec import SpecError, load_spec

        def progress(*args: Any) -> None:
            self.post_message(SpecProgress(" ".join(str(a) for a in args)))

        try:
            spec = load_spec(source, progress=progress)
        except SpecError as error:
            self.post_message(SpecFailed(one_line(error)))
        except Exception as error:  # a bug in a loader must not take the app down
            self.post_message(SpecFailed(f"could not load the spec: {one_line(error)}"))
        else:
            self.post_message(SpecLoaded(spec))

    @on(SpecLoaded)
    def _spec_loaded(self, message: SpecLoaded) -> None:
        self.spec = message.spec
        if message.spec.notice:
            self.notify(message.spec.notice, title="spec")

    @on(SpecFailed)
    def _spec_failed(self, message: SpecFailed) -> None:
        self.spec_error = message.error
        self.notify(message.error, title="spec not loaded", severity="error", timeout=10)

    # -- profile and sandbox ---------------------------------------------------------------------

    def switch_profile(self, name: str | None, base_url: str | None = None) -> None:
        """Resolve ``name`` (None: the config's default); start the sandbox for it, or ask for a token."""
        from labs_tui.client import resolve_profile

        config: dict[str, Any] = self.config.profiles_mapping() if self.config is not None else {}
        if name == "custom" and base_url:  # a one-off profile for a URL typed in the palette
            config = {**config, "profiles": {**config.get("profiles", {}), name: {"base_url": base_url}}}
        try:
            profile = resolve_profile(name, base_url=base_url, config=config, env=self.settings.env)
        except Exception as error:
            self.notify(one_line(error), title=f"profile {name or 'default'}", severity="error")
            return
        if profile.is_sandbox and profile.base_url is None:
            if self.sandbox_url is not None:
                profile = dataclasses.replace(profile, base_url=self.sandbox_url)
            elif self.settings.start_sandbox:
                self._start_sandbox()
        self.profile = profile
        if not profile.token and profile.token_env and not profile.is_sandbox:

            def got_token(token: str | None) -> None:
                if token and self.profile is not None and self.profile.name == profile.name:
                    self.profile = dataclasses.replace(self.profile, token=token)
                elif not token:
                    self.notify(
                        "no token: requests go without Authorization", title=f"profile {profile.name}"
                    )

            self.push_screen(token_prompt(profile.name, profile.token_env), got_token)

    def prompt_custom_profile(self) -> None:
        def got_url(url: str | None) -> None:
            if url:
                self.switch_profile("custom", url)

        self.push_screen(
            PromptScreen(
                "Custom base URL", "Requests go here, e.g. https://host/labs/v1", placeholder="https://"
            ),
            got_url,
        )

    @work(thread=True, exclusive=True, group="sandbox", exit_on_error=False)
    def _start_sandbox(self) -> None:
        from labs_tui.sandbox import start

        try:
            handle = start(port=0, **dict(self.settings.sandbox_options))
        except Exception as error:
            self.post_message(SandboxFailed(f"the sandbox did not start: {one_line(error)}"))
        else:
            self.post_message(SandboxStarted(handle))

    @on(SandboxStarted)
    def _sandbox_started(self, message: SandboxStarted) -> None:
        if self._sandbox is not None or not self.is_running:
            message.handle.stop()
            return
        self._sandbox = message.handle
        self.sandbox_url = str(message.handle.base_url)
        if self.profile is not None and self.profile.is_sandbox and self.profile.base_url is None:
            self.profile = dataclasses.replace(self.profile, base_url=self.sandbox_url)

    @on(SandboxFailed)
    def _sandbox_failed(self, message: SandboxFailed) -> None:
        self.notify(message.error, title="sandbox", severity="error", timeout=10)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            self.notify(one_line(event.worker.error), title="unexpected error", severity="error")

    # -- help ------------------------------------------------------------------------------------

    def action_help(self) -> None:
        from labs_tui.tui.widgets.endpoints.pane import EndpointsPane

        sections: list[tuple[str, Any]] = [
            ("app", self.BINDINGS),
            ("main", MainScreen.BINDINGS),
            ("endpoints", EndpointsPane.BINDINGS),
        ]
        response = MainScreen.response_pane_class()
        sections.append(("response", getattr(response, "BINDINGS", [])))
        sections.append(
            (
                "anywhere",
                [
                    Binding(
                        "ctrl+p", "command_palette", "palette: jump to an endpoint, switch profile, copy"
                    ),
                    Binding("tab,shift+tab", "focus", "move between fields and tabs"),
                    Binding("enter", "open", "endpoint list: open the endpoint; buttons: press"),
                ],
            )
        )
        self.push_screen(HelpScreen(binding_rows(sections)))


def make_app(settings: Settings | None = None) -> LabsApp:
    """The app configured by ``settings``; tests inject a transport, sandbox options and a clock."""
    return LabsApp(settings or Settings())
