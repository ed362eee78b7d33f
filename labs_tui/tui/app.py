"""The app shell: settings in, spec and sandbox loaded in workers, profile and target switching, help.

The embedded sandbox serves the loaded spec (the Labs emulator for the bundled one, the generic
spec engine for any other), so it starts once the spec is in; the target picker (``f4``, a click
on the header, the palette) switches where sends go through ``switch_profile``, whose profile
rules (the core's) decide which token a target gets.

Kept small on purpose: the main screen orchestrates the panes and sending; this holds the state
several screens share (spec, profile, sandbox, history, theme, config) and exposes it as reactives
and small methods the screens use. Nothing here blocks the first paint that can wait: the sandbox,
the history and any spec but the bundled one open in thread workers (the bundled spec, small and
cached, is read before the first screen, which shows it). Themes are registered from the store's
validated specs; a theme switch restyles the body views and persists through
``store.config.set_value`` (which keeps the user's comments). Keymap overrides from the config are
applied by binding id.
"""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import App
from textual.binding import Binding
from textual.notifications import SeverityLevel
from textual.reactive import var
from textual.signal import Signal
from textual.theme import Theme
from textual.timer import Timer
from textual.worker import Worker, WorkerState

from labs_tui.tui.commands import LabsCommands
from labs_tui.tui.messages import (
    HistoryNotice,
    HistoryOpened,
    SandboxFailed,
    SandboxStarted,
    SpecFailed,
    SpecLoaded,
    SpecProgress,
)
from labs_tui.tui.screens.main import MainScreen
from labs_tui.tui.settings import Settings
from labs_tui.tui.text import inert, inert_line
from labs_tui.tui.themes import DiffColours, diff_colours, method_colours, syntax_colours
from labs_tui.tui.widgets.header.bar import HeaderBar
from labs_tui.tui.widgets.response import BodyView, SyntaxColours

if TYPE_CHECKING:
    from rich.console import RenderableType
    from textual.screen import Screen

    from labs_tui.client import CallResult, Client, Diagnosis, Profile
    from labs_tui.sandbox import SandboxHandle
    from labs_tui.spec import Spec
    from labs_tui.store import Config, History, ThemeSpec

PERSIST_THEME_AFTER_S = 0.4
PENDING_HISTORY_LIMIT = 100


def loaded_class(module: str, name: str) -> type[Any] | None:
    """``module.name`` if that module is imported already, else None (no instance of it can exist).

    Screens opened on demand (compare, history) are imported when first opened, not at start; code
    that only needs to find their instances asks here instead of importing them.
    """
    found = getattr(sys.modules.get(module), name, None)
    return found if isinstance(found, type) else None


def is_bundled(source: str | None) -> bool:
    """Whether ``source`` names the bundled spec, as ``load_spec`` reads it."""
    return source is None or source.strip().lower() in ("", "bundled")


def one_line(error: BaseException | str) -> str:
    text = " ".join(str(error).split())
    return text or type(error).__name__


class LabsApp(App[None]):
    TITLE = "labs-tui"
    COMMANDS = App.COMMANDS | {LabsCommands}
    CSS_PATH = "screens/main.tcss"  # the main screen's layout, loaded with the app (see the file)
    MODES = {"main": MainScreen}
    DEFAULT_MODE = "main"
    BINDINGS = [
        Binding("f1", "help", "help", id="help"),
        Binding("ctrl+q", "quit", "quit", priority=True, id="quit"),
        Binding("f4", "pick_target", "choose where requests go", show=False, id="target"),
    ]

    spec: var[Spec | None] = var(None)
    profile: var[Profile | None] = var(None)
    sandbox_url: var[str | None] = var(None)
    sandbox_error: var[str | None] = var(None)
    spec_error: var[str | None] = var(None)
    sandbox_stateful: var[bool] = var(False)  # the embedded sandbox keeps what POST creates

    def __init__(self, settings: Settings) -> None:
        super().__init__()
        self.settings = settings
        self.config: Config | None = settings.config  # read on mount if not given
        self._sandbox: SandboxHandle | None = None
        self._sandbox_wanted = False  # asked for before the spec it serves was loaded
        self._stateful_asked = False  # the next embedded sandbox starts stateful
        self._client: Client | None = None
        self._client_key: tuple[Any, ...] | None = None
        self.history: History | None = None  # once open
        self.theme_applied_signal: Signal[str] = Signal(self, "theme-applied")
        """Published with the theme's name once its colours are applied (``LabsScreen.theme_applied``)."""
        self.history_changed_signal: Signal[None] = Signal(self, "history-changed")
        """Published when the history opens or gets an entry (``LabsScreen.history_changed``)."""
        self._pending_history: list[tuple[CallResult, Diagnosis, Profile]] = []
        self._notices_shown: set[str] = set()
        self.theme_specs: dict[str, ThemeSpec] = {}
        self.syntax_colours = SyntaxColours()
        self.diff_colours = DiffColours()
        self.method_colours: dict[str, str] = {}
        self._saved_theme: str | None = None
        self._persist_timer: Timer | None = None
        self._applied_theme: str | None = None
        self._startup_warnings: list[tuple[str, str]] = []
        self._held_frames: list[tuple[Screen[Any], RenderableType]] = []
        self._first_frame_written = False
        self._setup_themes()

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Show a notification literally, whatever the caller asked.

        Notices carry file names, URLs, spec text and server values (a requestId, an error
        message), so no notification here is ever parsed as markup or allowed control characters.
        One place for it, rather than a flag at every call site that a new call could forget.
        """
        super().notify(
            inert(message), title=inert_line(title), severity=severity, timeout=timeout, markup=False
        )

    def on_load(self) -> None:
        """Read the spec before the first screen is built: it waits for the spec.

        The bundled spec is one small file whose parsed form is cached by content hash, so it is read
        here, on the main thread, in a millisecond or two: the screen's first paint already lists its
        endpoints. A thread would cost more than that, since it competes with the main thread for the
        GIL all through the start. Every other source (a file, a URL: possibly huge) goes to the worker.
        """
        source = self.settings.spec_source
        if is_bundled(source):
            self._load_bundled()
        else:
            self.load_spec(source)

    def _display(self, screen: Screen[Any], renderable: RenderableType | None) -> None:
        """Make the first frame a terminal receives the whole screen, without drawing it twice.

        Textual drops the frames drawn inside its start-up batch (the first full frame among them),
        and the next ones carry only the regions changed since: the terminal would first show a
        patchwork (no endpoint list) and the complete screen some 30 ms later. The dropped frames are
        kept instead and written, in order, just before the first frame after the batch: together
        they are exactly the screen. If the screen changed in between, it is drawn in full instead.

        Start-up only: once a first frame has been written, every later frame goes straight to
        Textual, whose rules apply unchanged. This overrides a private method (``App._display``) and
        reads private state (``_batch_count``, ``_background_screens``, ``Screen._compositor``):
        Textual is pinned exactly in pyproject.toml and ``tests/tui/test_start_canary.py`` fails
        loudly if any of those names or signatures change.
        """
        if self._first_frame_written or renderable is None or self.is_headless:
            super()._display(screen, renderable)
            return
        if self._batch_count:
            self._held_frames.append((screen, renderable))
            return
        self._first_frame_written = True
        held, self._held_frames = self._held_frames, []
        if held and all(frame_screen is screen for frame_screen, _ in held):
            for _, frame in held:
                super()._display(screen, frame)
        elif held:
            compositor = getattr(screen, "_compositor", None)
            if compositor is not None:
                renderable = compositor.render_update(full=True, screen_stack=self._background_screens)
        super()._display(screen, renderable)

    def on_mount(self) -> None:
        for title, warning in self._startup_warnings:
            self.notify(warning, title=title, severity="warning")
        self._startup_warnings = []
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        self._apply_keymap()
        self.call_after_refresh(self._open_history)
        self.switch_profile(self.settings.profile, self.settings.base_url)

    async def on_unmount(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None
        if self._sandbox is not None:
            self._sandbox.stop()
            self._sandbox = None
        if self._persist_timer is not None:
            self._persist_timer.stop()
            self._persist_theme()
        if self.history is not None:
            self.history.close()

    # -- config: keymap, client limits ------------------------------------------------------------

    def _apply_keymap(self) -> None:
        keymap = dict(self.config.keymap) if self.config is not None else {}
        if not keymap:
            return
        known = set(binding_ids())
        unknown = sorted(k for k in keymap if k not in known)
        if unknown:
            self.notify(
                f"keymap: no binding with id {', '.join(unknown)} (F1 lists the ids); ignored",
                title="config",
                severity="warning",
            )
        self.set_keymap({k: v for k, v in keymap.items() if k in known})

    def client_limits(self) -> dict[str, Any]:
        """``Client`` keyword arguments from the config: the request timeout and the body cap."""
        config = self.config
        if config is None:
            return {}
        return {"timeout": config.timeouts.request, "body_cap": config.body_cap}

    async def shared_client(self, profile: Profile) -> Client:
        """The ``Client`` for ``profile``, kept across sends so connections and TLS sessions are reused.

        Replaced (the old one closed) when the profile, its token or base URL, or the limits change.
        """
        from labs_tui.client import Client

        limits = self.client_limits()
        key = (profile, tuple(sorted(limits.items())))
        if self._client is None or self._client_key != key:
            if self._client is not None:
                await self._client.aclose()
            self._client = Client(profile, transport=self.settings.transport, **limits)
            self._client_key = key
        return self._client

    # -- themes ----------------------------------------------------------------------------------

    def _setup_themes(self) -> None:
        """Read the config and the themes and set the theme, all before the first screen is built.

        Done in ``__init__`` rather than on mount: a theme set after the screen is composed makes
        Textual reparse every stylesheet and restyle every widget, the largest cost of a start.
        Warnings wait for ``on_mount``, where they can be shown.
        """
        from labs_tui.store import load_themes, select_theme
        from labs_tui.tui.themes import textual_theme

        notes = self._startup_warnings
        if self.config is None:
            from labs_tui.store import load_config

            self.config, config_warnings = load_config()
            notes += [("config", warning) for warning in config_warnings]
        else:
            notes += [("config", warning) for warning in self.settings.config_warnings]
        specs, warnings = load_themes(self.settings.user_themes_dir)
        notes += [("themes", warning) for warning in warnings]
        for spec in specs:
            try:
                self.register_theme(textual_theme(spec))
            except Exception as error:  # a colour Textual rejects: skip that theme, keep the others
                notes.append(("themes", f"theme {spec.name}: {one_line(error)}; skipped"))
                continue
            self.theme_specs[spec.name] = spec
        wanted: str | None = self.config.theme if self.config is not None else None
        name: str
        if wanted and wanted not in self.theme_specs and wanted in self.available_themes:
            name = wanted  # one of Textual's own themes, picked earlier from its theme picker
        else:
            chosen, problem = select_theme(list(self.theme_specs.values()), wanted)
            if problem:
                notes.append(("themes", problem))
            name = chosen.name
        self._saved_theme = name  # what is in effect is never written back unless the user switches
        self.theme = name
        self._apply_theme_colours(name)

    @property
    def theme_spec(self) -> ThemeSpec | None:
        return self.theme_specs.get(self.theme)

    def _theme_changed(self, theme: Theme) -> None:
        if theme.name == self._applied_theme:
            return  # the theme set at start, published once the app runs: already applied
        self._apply_theme_colours(theme.name)
        if theme.name != self._saved_theme:
            if self._persist_timer is not None:
                self._persist_timer.stop()
            self._persist_timer = self.set_timer(PERSIST_THEME_AFTER_S, self._persist_theme)

    def _apply_theme_colours(self, name: str) -> None:
        self._applied_theme = name
        spec = self.theme_specs.get(name)
        theme = self.get_theme(name)
        self.syntax_colours = syntax_colours(spec)
        self.diff_colours = diff_colours(spec, theme)
        self.method_colours = method_colours(spec)
        for screen in self.screen_stack:
            for view in screen.query(BodyView):
                view.colours = self.syntax_colours
        self.theme_applied_signal.publish(name)

    def set_theme_by_name(self, name: str) -> None:
        """Switch to ``name`` (the palette's "Theme: ..."); the choice is saved to the config file."""
        self.theme = name
        if self._persist_timer is not None:
            self._persist_timer.stop()
        self._persist_theme()

    def _persist_theme(self) -> None:
        from labs_tui.store import ConfigError, set_value

        self._persist_timer = None
        name = self.theme
        if name == self._saved_theme:
            return
        path = getattr(self.config, "path", None)
        try:
            set_value("theme", name, path=path)
        except ConfigError as error:
            self.notify(one_line(error), title="theme not saved", severity="warning")
            return
        self._saved_theme = name
        if self.config is not None:
            self.config = dataclasses.replace(self.config, theme=name)

    # -- history ---------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="history-open", exit_on_error=False)
    def _open_history(self) -> None:
        from labs_tui.store import open_history

        caps = self.config.history if self.config is not None else None
        history, notice = open_history(self.settings.history_path, caps=caps)
        self.post_message(HistoryOpened(history, notice))

    @on(HistoryOpened)
    def _history_opened(self, message: HistoryOpened) -> None:
        if not self.is_running:
            message.history.close()
            return
        self.history = message.history
        if message.notice:
            self._history_notice(message.notice)
        pending, self._pending_history = self._pending_history, []
        for result, diagnosis, profile in pending:
            self.record_history(result, diagnosis, profile)
        self.history_changed_signal.publish(None)

    def _history_notice(self, notice: str) -> None:
        if notice not in self._notices_shown:
            self._notices_shown.add(notice)
            self.notify(notice, title="history", severity="warning", timeout=10)

    @on(HistoryNotice)
    def _history_problem(self, message: HistoryNotice) -> None:
        self._history_notice(message.notice)

    def record_history(self, result: CallResult, diagnosis: Diagnosis, profile: Profile) -> None:
        """Store one call (in a thread); the token is passed as a secret so it can never be written."""
        if self.history is None:
            if len(self._pending_history) < PENDING_HISTORY_LIMIT:
                self._pending_history.append((result, diagnosis, profile))
            return
        self._add_history(self.history, result, diagnosis, profile)

    @work(thread=True, group="history-add", exit_on_error=False)
    def _add_history(
        self, history: History, result: CallResult, diagnosis: Diagnosis, profile: Profile
    ) -> None:
        error = diagnosis.error.message if diagnosis.error is not None else None
        if error is None and not result.ok:
            error = diagnosis.summary or diagnosis.title
        secrets = [profile.token] if profile.token else []
        history.add_result(
            result,
            profile=profile.name,
            request_id=diagnosis.request_id,
            error_message=error,
            secrets=secrets,
        )
        self.call_from_thread(self.history_changed_signal.publish, None)
        notice = history.take_notice()
        if notice:
            self.post_message(HistoryNotice(notice))

    # -- spec ------------------------------------------------------------------------------------

    def load_spec(self, source: str | None) -> None:
        self.spec_error = None
        self._load_spec(source)

    def _load_bundled(self) -> None:
        """The bundled spec, read synchronously; a failure goes the same way as the worker's."""
        from labs_tui.spec import SpecError, load_spec

        self.spec_error = None
        try:
            spec = load_spec(None)
        except SpecError as error:
            self.post_message(SpecFailed(one_line(error)))
        except Exception as error:  # a bug in a loader must not take the app down
            self.post_message(SpecFailed(f"could not load the spec: {one_line(error)}"))
        else:
            self.spec = spec

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
        if self._sandbox_wanted:
            self._sandbox_wanted = False
            self._start_sandbox(message.spec, self._stateful_asked)

    @on(SpecFailed)
    def _spec_failed(self, message: SpecFailed) -> None:
        self.spec_error = message.error
        self.notify(message.error, title="spec not loaded", severity="error", timeout=10)
        if self._sandbox_wanted:
            self._sandbox_wanted = False
            self.sandbox_error = "the sandbox has no spec to serve"

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
                self.sandbox_error = None
                self.call_after_refresh(self._request_sandbox)  # the first screen does not wait for it
        self.profile = profile
        self._warn_plain_http(profile)
        asks = profile.token_env or name == "custom"  # a typed URL gets a token only if one is typed
        if not profile.token and asks and not profile.is_sandbox:

            def got_token(token: str | None) -> None:
                if token and self.profile is not None and self.profile.name == profile.name:
                    self.profile = dataclasses.replace(self.profile, token=token)
                    self._warn_plain_http(self.profile)
                elif not token:
                    self.notify(
                        "no token: requests go without Authorization", title=f"profile {profile.name}"
                    )

            from labs_tui.tui.screens.dialogs import token_prompt

            self.push_screen(token_prompt(profile.name, profile.token_env), got_token)

    def _warn_plain_http(self, profile: Any) -> None:
        from labs_tui.client import plain_http_warning

        warning = plain_http_warning(profile)
        if warning:
            self.notify(warning, title="token over plain http", severity="warning", timeout=10)

    def prompt_custom_profile(self) -> None:
        from labs_tui.tui.screens.dialogs import PromptScreen

        def got_url(url: str | None) -> None:
            if url:
                self.switch_profile("custom", url)

        self.push_screen(
            PromptScreen(
                "Custom base URL", "Requests go here, e.g. https://host/labs/v1", placeholder="https://"
            ),
            got_url,
        )

    def _request_sandbox(self) -> None:
        """Start the embedded sandbox for the loaded spec; one not loaded yet starts it when it is."""
        if self._sandbox is not None or self.sandbox_url is not None:
            return
        if self.spec is None:
            if self.spec_error is not None:
                self.sandbox_error = "the sandbox has no spec to serve"
            else:
                self._sandbox_wanted = True
            return
        self._start_sandbox(self.spec, self._stateful_asked)

    @work(thread=True, exclusive=True, group="sandbox", exit_on_error=False)
    def _start_sandbox(self, spec: Spec, stateful: bool = False) -> None:
        from labs_tui.sandbox import start

        options: dict[str, Any] = {"spec": spec, "stateful": stateful}
        options.update(self.settings.sandbox_options)
        try:
            handle = start(port=0, **options)
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
        self.sandbox_stateful = message.handle.mode == "spec" and self._stateful_asked
        if self.sandbox_stateful:
            self.notify("the sandbox keeps what POST creates, in memory", title="stateful sandbox")
        self.sandbox_url = str(message.handle.base_url)
        if self.profile is not None and self.profile.is_sandbox and self.profile.base_url is None:
            self.profile = dataclasses.replace(self.profile, base_url=self.sandbox_url)

    @property
    def stateful_available(self) -> bool:
        """The embedded sandbox serves a spec other than Labs' (only that mode keeps state)."""
        return self._sandbox is not None and self._sandbox.mode == "spec"

    def set_stateful(self, on: bool) -> None:
        """Restart the embedded sandbox with (or without) state; sends wait for the new one."""
        if not self.stateful_available or self.spec is None:
            self.notify("only the sandbox serving a spec of its own keeps state", title="sandbox")
            return
        old, self._sandbox = self._sandbox, None
        old_url, self.sandbox_url = self.sandbox_url, None
        self._stateful_asked = on
        self.sandbox_stateful = False
        self.sandbox_error = None
        profile = self.profile
        if profile is not None and profile.is_sandbox and profile.base_url == old_url:
            self.profile = dataclasses.replace(profile, base_url=None)
        self._stop_sandbox(old)
        self._start_sandbox(self.spec, on)

    @work(thread=True, group="sandbox-stop", exit_on_error=False)
    def _stop_sandbox(self, handle: Any) -> None:
        handle.stop()

    # -- targets: where a send goes ----------------------------------------------------------------

    def switch_target(self, kind: str, value: str | None = None) -> None:
        """``sandbox``, ``profile`` NAME, ``server`` URL (from the spec) or ``custom`` (asks for a URL).

        Every kind goes through ``switch_profile``: the core's profile rules decide which token, if
        any, a target gets (a server or a typed URL is a one-off profile, never the live token).
        """
        if kind == "sandbox":
            self.switch_profile("sandbox")
        elif kind == "profile" and value:
            self.switch_profile(value)
        elif kind == "server" and value:
            self.switch_profile("custom", value)
        elif kind == "custom":
            self.prompt_custom_profile()

    def action_pick_target(self) -> None:
        from labs_tui.tui.screens.target import TargetScreen, list_targets

        def picked(choice: tuple[str, str | None] | None) -> None:
            if choice is not None:
                self.switch_target(*choice)

        self.push_screen(TargetScreen(list_targets(self)), picked)

    @on(HeaderBar.TargetClicked)
    def _header_clicked(self) -> None:
        self.action_pick_target()

    @property
    def sandbox_starting(self) -> bool:
        """The embedded sandbox was asked for and has neither answered nor failed yet."""
        return self.settings.start_sandbox and self.sandbox_url is None and self.sandbox_error is None

    @on(SandboxFailed)
    def _sandbox_failed(self, message: SandboxFailed) -> None:
        self.sandbox_error = message.error
        self.notify(message.error, title="sandbox", severity="error", timeout=10)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            self.notify(one_line(event.worker.error), title="unexpected error", severity="error")

    # -- help ------------------------------------------------------------------------------------

    @on(BodyView.CopyRequested)
    def _copy_body(self, event: BodyView.CopyRequested) -> None:
        """c in a body view (the response, a compare side): the body as shown, on the clipboard and in the
        "Copied" dialog, inert like every other copy."""
        from labs_tui.tui.screens.dialogs import TextScreen

        event.stop()
        text = inert(event.text)
        self.copy_to_clipboard(text)
        self.push_screen(
            TextScreen(f"Copied: {event.title}", text, "Also on the clipboard if your terminal allows it.")
        )

    def action_help(self) -> None:
        from labs_tui.tui.screens.help import HelpScreen, binding_rows

        sections = list(help_sections())
        sections.insert(0, ("app", self.BINDINGS))
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
        keymap = dict(self.config.keymap) if self.config is not None else {}
        self.push_screen(HelpScreen(binding_rows(sections, keymap)))


def help_sections() -> Iterable[tuple[str, Any]]:
    """The screens' and widgets' bindings, grouped as F1 shows them (the app's own come first)."""
    from labs_tui.tui.screens.compare import CompareScreen
    from labs_tui.tui.screens.history import HistoryScreen
    from labs_tui.tui.widgets.endpoints.pane import EndpointsPane
    from labs_tui.tui.widgets.tabs import TabStrip

    yield ("main", MainScreen.BINDINGS)
    yield ("endpoints", EndpointsPane.BINDINGS)
    # The pin picker is Textual's Select: its own keys, described for the pin.
    pin_keys = [Binding("enter,space,down,up", "show_overlay", "open the pin list; custom... to type one")]
    yield ("pin picker", pin_keys)
    yield ("tab rows", TabStrip.BINDINGS)
    yield ("response", getattr(MainScreen.response_pane_class(), "BINDINGS", []))
    yield ("response body", [b for b in BodyView.BINDINGS if isinstance(b, Binding) and b.id])
    yield ("compare", CompareScreen.BINDINGS)
    yield ("history", HistoryScreen.BINDINGS)


def binding_ids() -> list[str]:
    """Every binding id a config ``keymap:`` may name."""
    ids = [b.id for b in LabsApp.BINDINGS if isinstance(b, Binding) and b.id]
    for _, bindings in help_sections():
        ids += [b.id for b in bindings if isinstance(b, Binding) and b.id]
    return ids


def make_app(settings: Settings | None = None) -> LabsApp:
    """The app configured by ``settings``; tests inject a transport, sandbox options and a clock."""
    return LabsApp(settings or Settings())
