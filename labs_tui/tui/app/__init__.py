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

__all__ = ["LabsApp", "binding_ids", "help_sections", "is_bundled", "loaded_class", "make_app", "one_line"]

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import App
from textual.binding import Binding
from textual.notifications import SeverityLevel
from textual.signal import Signal
from textual.worker import Worker, WorkerState

from labs_tui.tui.app import heap
from labs_tui.tui.app.first_frame import FirstFrameApp
from labs_tui.tui.app.history import HistoryPart
from labs_tui.tui.app.support import is_bundled, loaded_class, one_line
from labs_tui.tui.app.targets import TargetsPart
from labs_tui.tui.app.themes import ThemesPart
from labs_tui.tui.commands import LabsCommands
from labs_tui.tui.messages import SpecFailed, SpecLoaded, SpecProgress
from labs_tui.tui.screens.main import MainScreen
from labs_tui.tui.settings import Settings
from labs_tui.tui.text import inert, inert_line
from labs_tui.tui.themes import DiffColours
from labs_tui.tui.widgets.response import BodyView, SyntaxColours

if TYPE_CHECKING:
    from labs_tui.client import Client, Profile
    from labs_tui.spec import Spec


class LabsApp(ThemesPart, HistoryPart, TargetsPart, FirstFrameApp):
    TITLE = "labs-tui"
    COMMANDS = App.COMMANDS | {LabsCommands}
    CSS_PATH = "../screens/main.tcss"  # the main screen's layout, loaded with the app (see the file)
    MODES = {"main": MainScreen}
    DEFAULT_MODE = "main"
    BINDINGS = [
        Binding("f1", "help", "help", id="help"),
        Binding("ctrl+q", "quit", "quit", priority=True, id="quit"),
        Binding("f4", "pick_target", "choose where requests go", show=False, id="target"),
    ]

    def __init__(self, settings: Settings) -> None:
        super().__init__()
        self.settings = settings
        self.config = settings.config
        self._sandbox = None
        self._sandbox_wanted = False
        self._stateful_asked = False
        self._client = None
        self._client_key = None
        self.history = None
        self.theme_applied_signal = Signal(self, "theme-applied")
        self.history_changed_signal = Signal(self, "history-changed")
        self._pending_history = []
        self._notices_shown = set()
        self.theme_specs = {}
        self.syntax_colours = SyntaxColours()
        self.diff_colours = DiffColours()
        self.method_colours = {}
        self._saved_theme = None
        self._persist_timer = None
        self._applied_theme = None
        self._startup_warnings = []
        self._held_frames = []
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

    def on_mount(self) -> None:
        for title, warning in self._startup_warnings:
            self.notify(warning, title=title, severity="warning")
        self._startup_warnings = []
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        self._apply_keymap()
        self.call_after_refresh(self._open_history)
        self.switch_profile(self.settings.profile, self.settings.base_url)

    async def on_unmount(self) -> None:
        heap.release()
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
        self.call_after_refresh(self._settle_heap, message.spec)
        if message.spec.notice:
            self.notify(message.spec.notice, title="spec")
        if self._sandbox_wanted:
            self._sandbox_wanted = False
            self._start_sandbox(message.spec, self._stateful_asked)

    @work(thread=True, exclusive=True, group="heap", exit_on_error=False)
    def _settle_heap(self, spec: Spec) -> None:
        """A large spec: the palette's endpoint hits built now, then all of it frozen (``app/heap.py``)."""
        if heap.is_large(len(spec.operations)):
            from labs_tui.tui.commands import endpoint_hits

            endpoint_hits(spec)
        heap.settle(len(spec.operations))

    @on(SpecFailed)
    def _spec_failed(self, message: SpecFailed) -> None:
        self.spec_error = message.error
        self.notify(message.error, title="spec not loaded", severity="error", timeout=10)
        if self._sandbox_wanted:
            self._sandbox_wanted = False
            self.sandbox_error = "the sandbox has no spec to serve"

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
