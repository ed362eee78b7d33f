"""The explorer screen: endpoints on the left, the request above the response on the right.

It orchestrates and nothing else: it passes state down to the panes (spec, profile, operation),
turns their messages into actions, runs the send worker and routes copy requests. Decisions about
what a response means belong to the core (``diagnose``); rendering it belongs to the response pane.
It also opens the compare and history screens for the current request, records every answer in
the history, and reopens a stored call into the builder (``reopen``).

The screen is one class assembled from parts by job, the way ``tui/app/`` assembles ``LabsApp``:
this module keeps the layout (``compose``), the bindings, the app's state passed down to the panes,
the panes' messages turned into actions, and the focus keys; ``sending.py`` the send, compare and
wait-for-the-sandbox flow; ``answers.py`` which answer each endpoint shows; ``clipboard.py`` the
copy and export actions; ``history.py`` the history screen and reopening an entry. Each part derives
from ``state.MainState``, which declares the shared attributes and the panes once. Mixins rather
than helper objects: Textual finds bindings' ``action_*`` methods, ``@on`` handlers and workers on
the screen itself, and tests and the palette read them there. The bindings stay in this one list,
whichever part holds their action; a part never declares its own ``BINDINGS``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Input

from labs_tui.spec import declared_tags
from labs_tui.tui.messages import SpecProgress
from labs_tui.tui.screens.main.answers import AnswersPart
from labs_tui.tui.screens.main.clipboard import ClipboardPart
from labs_tui.tui.screens.main.history import HistoryPart
from labs_tui.tui.screens.main.sending import SendingPart
from labs_tui.tui.themes import method_colours
from labs_tui.tui.widgets.endpoints.pane import EndpointsPane
from labs_tui.tui.widgets.header.bar import HeaderBar
from labs_tui.tui.widgets.keybar import KeyBar
from labs_tui.tui.widgets.request.pane import RequestPane
from labs_tui.tui.widgets.request.send import SendButton
from labs_tui.tui.widgets.response import ResponsePane

if TYPE_CHECKING:
    from labs_tui.client import Profile
    from labs_tui.spec import Spec

__all__ = ["MainScreen"]


class MainScreen(SendingPart, AnswersPart, ClipboardPart, HistoryPart):
    BINDINGS = [
        Binding("ctrl+j", "send", "send", priority=True, key_display="^j", id="send"),
        Binding("ctrl+t", "compare", "compare", key_display="^t", id="compare"),
        Binding("f2", "history", "history", id="history"),
        Binding("slash", "filter", "filter", key_display="/", id="filter"),
        Binding("ctrl+y", "copy('request_id')", "copy requestId", key_display="^y", id="copy-request-id"),
        Binding("escape", "cancel", "cancel send", show=False, id="cancel"),
        Binding(
            "ctrl+r", "copy('support_report')", "copy support report", show=False, id="copy-support-report"
        ),
        # priority: Textual's Input binds ctrl+e to "cursor to end"; this key is documented as anywhere.
        Binding(
            "ctrl+e", "focus_endpoints", "focus endpoints", show=False, priority=True, id="focus-endpoints"
        ),
        Binding("ctrl+l", "focus_url", "edit the URL", show=False, id="focus-url"),
        Binding("ctrl+b", "toggle_endpoints", "hide/show endpoints", show=False, id="toggle-endpoints"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._seq = 0  # the attributes are declared, and said what they hold, in state.py
        self._in_flight = False
        self._waiting = None
        self._last = None
        self._last_operation = None
        self._sent_at = 0.0
        self._answers = {}
        self._shown = None
        self._opened_initial = False
        self._profile_name = None

    @staticmethod
    def response_pane_class() -> type[ResponsePane]:
        return ResponsePane

    def compose(self) -> ComposeResult:
        yield HeaderBar(id="header")
        with Horizontal(id="body"):
            yield EndpointsPane(id="endpoints")
            with Vertical(id="work"):
                yield RequestPane(id="request")
                yield ResponsePane(id="response", now=self.labs.settings.clock)
        yield KeyBar()

    def on_mount(self) -> None:
        if self.labs.spec is None and self.labs.spec_error is None:
            self.endpoints.show_loading()
        self.watch(self.app, "spec", self._spec_changed)
        self.watch(self.app, "spec_error", self._spec_error_changed)
        self.watch(self.app, "profile", self._profile_changed)
        self.watch(self.app, "sandbox_url", self._sandbox_changed)
        self.watch(self.app, "sandbox_error", self._sandbox_error_changed, init=False)
        self.watch(self.app, "sandbox_stateful", self._stateful_changed)
        self.response.body_view.colours = self.labs.syntax_colours
        self.apply_method_colours(method_colours(self.labs.theme_spec))  # the theme is set before mount
        self.endpoints.endpoint_tree.focus()

    def on_resize(self, event: events.Resize) -> None:
        """The request pane's floor: 16 rows from a 30-row terminal up, else the stylesheet's 12."""
        self.request.styles.min_height = 16 if event.size.height >= 30 else None

    def theme_applied(self, name: str) -> None:
        self.apply_method_colours(self.labs.method_colours)

    def apply_method_colours(self, colours: Mapping[str, str]) -> None:
        """The theme's method badge colours, for an endpoint list that can take them."""
        if not colours:
            return
        pane = self.endpoints
        if isinstance(getattr(type(pane), "method_colors", None), property):
            pane.method_colors = dict(colours)

    # -- attributes down -------------------------------------------------------------------------

    def _spec_changed(self, spec: Spec | None) -> None:
        if spec is None:
            return
        self.query_one(HeaderBar).set_spec(spec.title, spec.version)
        profile = self.labs.profile
        if profile is not None:  # a server of this spec is named "server", not "custom URL"
            from labs_tui.tui.screens.target import target_label

            self.query_one(HeaderBar).set_target(target_label(profile, spec), profile.base_url)
        self.request.set_spec(spec, self.labs.settings.pin)
        self.endpoints.show_operations(spec.operations, declared_tags(spec.document))
        if not spec.operations:
            self.endpoints.show_error("the spec declares no operations")
        wanted = self.labs.settings.endpoint
        if wanted and not self._opened_initial:
            self._opened_initial = True
            operation = spec.find(wanted)
            if operation is None:
                self.notify(f"no endpoint {wanted!r} in the spec", severity="warning")
            else:
                self.open_operation(operation)
        saved = self.labs.settings.open_request
        if saved is not None and not self._opened_initial:
            self._opened_initial = True  # labs-tui --open FILE
            from labs_tui.tui.screens.collection import open_saved

            open_saved(self, saved)

    def _spec_error_changed(self, error: str | None) -> None:
        if error:
            self.endpoints.show_error(error)
            self.query_one(HeaderBar).set_spec_failed()
            self.request.show_no_spec()

    @on(SpecProgress)
    def _spec_progress(self, message: SpecProgress) -> None:
        self.endpoints.show_loading(message.note)

    def _profile_changed(self, profile: Profile | None) -> None:
        if profile is None:
            return
        # One-off profiles share the name "custom": their URL tells two targets apart.
        name = f"custom {profile.base_url}" if profile.name == "custom" else profile.name
        if self._profile_name is not None and name != self._profile_name:
            # Another server: the last answer (and any 429 hold) no longer describes where requests go.
            self._last = None
            self._last_operation = None
            self._answers.clear()
            self._waiting = None  # a send held for the sandbox does not go to another server
            self.response.clear()
        self._profile_name = name
        from labs_tui.tui.screens.target import target_label

        self.query_one(HeaderBar).set_target(target_label(profile, self.labs.spec), profile.base_url)
        self._update_badge()
        self.request.set_sandbox(profile.is_sandbox)
        self.request.set_token(profile.token)
        self.request.set_base_url(profile.base_url)
        if self._waiting is not None and profile.base_url is not None:
            self.call_later(self._sandbox_up, self._waiting)
            self._waiting = None

    def _sandbox_changed(self, url: str | None) -> None:
        self._update_badge()

    def _stateful_changed(self, stateful: bool) -> None:
        self._update_badge()

    def _update_badge(self, answered: bool = False) -> None:
        profile = self.labs.profile
        header = self.query_one(HeaderBar)
        stateful = profile is not None and profile.is_sandbox and self.labs.sandbox_stateful
        header.set_state("stateful sandbox" if stateful else "")
        if profile is None:
            header.set_badge(None)
        elif profile.is_sandbox:
            up = answered or (self.labs.sandbox_url is not None and profile.base_url == self.labs.sandbox_url)
            header.set_badge("sandbox" if up else None)
        else:
            header.set_badge(profile.name)

    # -- messages up -----------------------------------------------------------------------------

    @on(EndpointsPane.Opened)
    def _opened(self, event: EndpointsPane.Opened) -> None:
        self.request.open(event.operation)
        self._show_answer_of(event.operation)
        self.request.query_one("#send").focus()

    @on(SendButton.Pressed, "#send")
    def _send_pressed(self) -> None:
        if self._in_flight or self._waiting is not None:
            return  # a second click while the first send runs (a double click) starts nothing
        self.action_send()

    @on(ResponsePane.CopyRequested)
    def _copy_requested(self, event: Any) -> None:
        event.stop()
        self.action_copy(event.kind)

    # -- focus -----------------------------------------------------------------------------------

    def action_filter(self) -> None:
        self.endpoints.display = True
        self.endpoints.focus_filter()

    def action_focus_endpoints(self) -> None:
        self.endpoints.display = True
        self.endpoints.endpoint_tree.focus()

    def action_focus_url(self) -> None:
        self.request.focus_url()

    def action_toggle_endpoints(self) -> None:
        """Collapse the endpoint list (focus goes to the request) or bring it back focused."""
        pane = self.endpoints
        if pane.display:
            had_focus = self.focused is not None and pane in self.focused.ancestors_with_self
            pane.display = False
            target = next((w for w in self.request.query("*") if w.focusable), None)
            if had_focus and target is not None:
                target.focus()
        else:
            pane.display = True
            pane.endpoint_tree.focus()

    def _typing(self) -> bool:
        """Focus is in a text field (Escape leaves it); TextArea counts only once its module is loaded."""
        from labs_tui.tui.app import loaded_class

        text_area = loaded_class("textual.widgets._text_area", "TextArea")
        focused = self.focused
        return isinstance(focused, Input) or (text_area is not None and isinstance(focused, text_area))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "cancel" and not self._in_flight and self._waiting is None and not self._typing():
            return False
        return True
