"""The explorer screen: endpoints on the left, the request above the response on the right.

It orchestrates and nothing else: it passes state down to the panes (spec, profile, operation),
turns their messages into actions, runs the send worker and routes copy requests. Decisions about
what a response means belong to the core (``diagnose``); rendering it belongs to the response pane.
It also opens the compare and history screens for the current request, records every answer in
the history, and reopens a stored call into the builder (``reopen``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Input
from textual.worker import Worker, WorkerState

from labs_tui.spec import DEFAULT_VERSION_HEADER, declared_tags
from labs_tui.tui.messages import HistoryEntryLoaded, SendFinished, SpecProgress
from labs_tui.tui.screens.base import LabsScreen
from labs_tui.tui.themes import method_colours
from labs_tui.tui.widgets.endpoints.pane import EndpointsPane
from labs_tui.tui.widgets.header.bar import HeaderBar
from labs_tui.tui.widgets.keybar import KeyBar
from labs_tui.tui.widgets.request.pane import Draft, RequestPane
from labs_tui.tui.widgets.request.send import SendButton
from labs_tui.tui.widgets.response import ResponsePane

if TYPE_CHECKING:
    from labs_tui.client import CallRequest, CallResult, Diagnosis, Profile
    from labs_tui.spec import Operation, Spec

COPY_TITLES = {
    "request_id": "requestId",
    "support_report": "Support report",
    "curl": "curl command",
    "httpie": "HTTPie command",
}


class MainScreen(LabsScreen[None]):
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
        self._seq = 0
        self._in_flight = False
        self._waiting: str | None = None  # "send" or "compare", asked for before the sandbox was up
        self._last: tuple[CallResult, Diagnosis] | None = None
        self._last_operation: str | None = None
        self._sent_at = 0.0
        # Each endpoint's last answer, shown again when it is reopened; the pane shows only the open one's.
        self._answers: dict[str, tuple[CallResult, Diagnosis]] = {}
        self._shown: str | None = None  # the operation whose answer (or "no response yet") is on screen
        self._opened_initial = False
        self._profile_name: str | None = None

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

    @property
    def endpoints(self) -> EndpointsPane:
        return self.query_one(EndpointsPane)

    @property
    def request(self) -> RequestPane:
        return self.query_one(RequestPane)

    @property
    def response(self) -> ResponsePane:
        return self.query_one(ResponsePane)

    @property
    def sends_started(self) -> int:
        """How many sends this screen has started (tests and scripts wait on it)."""
        return self._seq

    @property
    def sending(self) -> bool:
        """A send is in flight or waiting for the sandbox."""
        return self._in_flight or self._waiting is not None

    @property
    def last_answer(self) -> tuple[CallResult, Diagnosis] | None:
        """The result shown last (a send's or a reopened history entry's), or None."""
        return self._last

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

    # -- a send or compare asked for while the sandbox starts ------------------------------------

    def _sandbox_starting(self) -> bool:
        """The profile is the sandbox's and the sandbox is on its way (started after the first paint)."""
        profile = self.labs.profile
        return (
            profile is not None
            and profile.is_sandbox
            and profile.base_url is None
            and self.labs.sandbox_starting
        )

    def _wait_for_sandbox(self, kind: str) -> None:
        """Hold a send (or compare) until the sandbox answers; the response pane says so; esc drops it."""
        if self._waiting is None:
            self.response.show_pending(self.labs.settings.clock(), "waiting for the sandbox")
        self._waiting = kind

    def _restore_response(self) -> None:
        if self._last is not None:
            self.response.show_result(*self._last)
        else:
            self.response.clear()

    def _sandbox_up(self, kind: str) -> None:
        self._restore_response()  # the send's own spinner replaces it; a refused send leaves no spinner
        if kind == "send":
            self.action_send()
        else:
            self.action_compare()

    def _sandbox_error_changed(self, error: str | None) -> None:
        if error and self._waiting is not None:
            kind, self._waiting = self._waiting, None
            self._restore_response()
            title = "not sent" if kind == "send" else "not compared"
            self.notify("the sandbox did not start", title=title, severity="warning")

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

    def open_operation(self, operation: Operation) -> None:
        """Select ``operation`` in the list and open it in the request pane."""
        self.endpoints.select(operation)
        self.request.open(operation)
        self._show_answer_of(operation)

    def _show_answer_of(self, operation: Operation) -> None:
        """Another endpoint opened: the response pane shows its last answer (or none), never another's."""
        if operation.key == self._shown:
            return
        self._shown = operation.key
        if self._waiting is not None:
            return  # "waiting for the sandbox" holds a send of whatever is open when it is up
        if self._in_flight and self._last_operation == operation.key:
            self.response.show_pending(self._sent_at)
            return
        self._last = self._answers.get(operation.key)
        self._restore_response()

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

    # -- sending ---------------------------------------------------------------------------------

    def action_send(self) -> None:
        draft = self.request.collect()
        if isinstance(draft, list):
            self.notify("; ".join(draft), title="not sent", severity="warning")
            return
        if self._sandbox_starting():
            self._wait_for_sandbox("send")
            return
        blocked = getattr(self.response, "retry_blocked_until", None)
        now = self.labs.settings.clock()
        if blocked is not None and blocked > now and self._last_operation == draft.operation.key:
            wait = max(1, round(blocked - now))

            from labs_tui.tui.screens.dialogs import ConfirmScreen

            def confirmed(yes: bool | None) -> None:
                if yes:
                    self._send_draft(draft)

            self.app.push_screen(
                ConfirmScreen(
                    f"The server asked to wait {wait} s more before retrying. Send anyway?", "Send it"
                ),
                confirmed,
            )
            return
        self._send_draft(draft)

    def _build(self, draft: Draft) -> CallRequest | str:
        from labs_tui.client import build_request

        profile = self.labs.profile
        if profile is None or profile.base_url is None:
            if profile is not None and profile.is_sandbox:
                failed = self.labs.sandbox_error is not None
                return "the sandbox did not start" if failed else "the sandbox is not running"
            return "no base URL yet"
        from labs_tui.client import fill_draft, token_names
        from labs_tui.tui.screens.collection import variable_values

        # ${NAME} from the environment over the collection's .env (the URL line's text as URL text).
        values = variable_values(self.labs.settings)
        request_draft, problem = fill_draft(
            draft.request_draft(), values, secret_names=token_names(profile), fill_path=True
        )
        if problem is not None:
            return problem
        try:
            request: CallRequest = build_request(profile, request_draft)
        except Exception as error:
            return " ".join(str(error).split()) or type(error).__name__
        return request

    def _send_draft(self, draft: Draft) -> None:
        request = self._build(draft)
        if isinstance(request, str):
            self.notify(request, title="not sent", severity="warning")
            return
        profile = self.labs.profile
        assert profile is not None
        self._seq += 1
        self._in_flight = True
        self._last_operation = self._shown = draft.operation.key
        self._sent_at = self.labs.settings.clock()
        self.response.show_pending(self._sent_at)
        self._send(self._seq, request, draft.operation, profile)

    @work(exclusive=True, group="send", exit_on_error=False)
    async def _send(self, seq: int, request: CallRequest, operation: Operation, profile: Profile) -> None:
        from labs_tui.client import diagnose

        settings = self.labs.settings
        client = await self.labs.shared_client(profile)
        result = await client.send(request)
        if settings.result_hook is not None:
            result = settings.result_hook(result)
        diagnosis = diagnose(result, operation, now=settings.clock(), token=profile.token)
        self.labs.record_history(result, diagnosis, profile)
        self.post_message(SendFinished(seq, result, diagnosis))

    @on(SendFinished)
    def _finished(self, message: SendFinished) -> None:
        if message.seq != self._seq or not self._in_flight:
            return
        self._in_flight = False
        if self._last_operation is not None:
            self._answers[self._last_operation] = (message.result, message.diagnosis)
        if message.result.status is not None:
            self._update_badge(answered=True)
        if self._shown != self._last_operation:
            return  # another endpoint is open now: this answer waits until its own is reopened
        self._last = (message.result, message.diagnosis)
        self.response.show_result(message.result, message.diagnosis)
        if message.diagnosis.error is not None and message.diagnosis.error.field_errors:
            self.request.mark_field_errors(message.diagnosis.error.field_errors)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A send that crashed (a bug, not a network failure) must not leave the spinner running."""
        if event.worker.group == "send" and event.state == WorkerState.ERROR and self._in_flight:
            self._in_flight = False
            self.response.show_cancelled()

    def action_cancel(self) -> None:
        if self._waiting is not None:
            self._waiting = None
            self.response.show_cancelled()
        elif self._in_flight:
            self._in_flight = False
            self.workers.cancel_group(self, "send")
            if self._shown == self._last_operation:  # else another endpoint's answer (or none) is shown
                self.response.show_cancelled()
        elif self._typing():
            focused = self.focused
            if focused is not None and self.request in focused.ancestors:
                self.request.query_one("#request-tabs TabStrip").focus()  # out of the editor, to its tabs
            else:
                self.endpoints.endpoint_tree.focus()

    # -- compare ---------------------------------------------------------------------------------

    def action_compare(self) -> None:
        """ctrl+t: pick versions (current pin and latest preselected), then compare them."""
        from labs_tui.compare import UNSAFE_METHODS
        from labs_tui.tui.screens.compare import (
            CompareScreen,
            VersionsScreen,
            default_versions,
            unsafe_question,
            versions_title,
        )
        from labs_tui.tui.screens.dialogs import ConfirmScreen

        draft = self.request.collect()
        if isinstance(draft, list):
            self.notify("; ".join(draft), title="not compared", severity="warning")
            return
        if self._sandbox_starting():
            self._wait_for_sandbox("compare")
            return
        request = self._build(draft)
        if isinstance(request, str):
            self.notify(request, title="not compared", severity="warning")
            return
        profile = self.labs.profile
        assert profile is not None
        spec = self.labs.spec
        known = spec.known_versions if spec is not None else ()
        title = versions_title(request.method, draft.operation.path)

        def open_compare(versions: tuple[str, ...], allow_unsafe: bool) -> None:
            self.app.push_screen(
                CompareScreen(
                    request,
                    versions,
                    profile=profile,
                    title=title,
                    allow_unsafe=allow_unsafe,
                    spec=spec,
                    operation=draft.operation,
                )
            )

        def chosen(versions: tuple[str, ...] | None) -> None:
            if not versions:
                return
            if request.method.upper() not in UNSAFE_METHODS:
                open_compare(versions, False)
                return

            def confirmed(yes: bool | None) -> None:
                if yes:
                    open_compare(versions, True)

            self.app.push_screen(
                ConfirmScreen(unsafe_question(request.method.upper(), len(versions)), "Send them"), confirmed
            )

        self.app.push_screen(VersionsScreen(title, known, default_versions(draft.pin, known)), chosen)

    # -- history ---------------------------------------------------------------------------------

    def action_history(self) -> None:
        from labs_tui.tui.screens.history import HistoryScreen

        def chosen(entry_id: int | None) -> None:
            if entry_id is not None:
                self.reopen(entry_id)

        self.app.push_screen(HistoryScreen(), chosen)

    def reopen(self, entry_id: int) -> None:
        """Read history entry ``entry_id`` (in a thread) and put it back into the builder."""
        history = self.labs.history
        if history is None:
            self.notify("the history is still opening", severity="warning")
            return
        self._load_entry(history, entry_id)

    @work(thread=True, exclusive=True, group="history-entry", exit_on_error=False)
    def _load_entry(self, history: Any, entry_id: int) -> None:
        self.post_message(HistoryEntryLoaded(history.get(entry_id)))

    @on(HistoryEntryLoaded)
    def _entry_loaded(self, message: HistoryEntryLoaded) -> None:
        from labs_tui.client import diagnose
        from labs_tui.store import editable_headers, match_url, stored_result

        entry = message.entry
        if entry is None:
            self.notify("that history entry is gone", severity="warning")
            return
        spec = self.labs.spec
        found = match_url(spec, entry.method, entry.url) if spec is not None else None
        operation: Operation | None = None
        if found is None:
            self.notify(
                f"the spec has no {entry.method} for {entry.url}; showing the stored response only",
                title="history",
                severity="warning",
            )
        else:
            operation, path_params, query = found
            self.open_operation(operation)
            self.request.set_pin(entry.pin)
            version_header = spec.version_header if spec is not None else DEFAULT_VERSION_HEADER
            headers = editable_headers(entry, version_header)
            self.call_after_refresh(self.request.fill, path_params, query, headers, entry.request_body)
        if self._in_flight:
            self.action_cancel()
        result = stored_result(entry)
        diagnosis = diagnose(result, operation, now=entry.time)
        self._last = (result, diagnosis)
        self._last_operation = None
        self._shown = operation.key if operation is not None else None
        if operation is not None:
            self._answers[operation.key] = (result, diagnosis)
        self.response.show_result(result, diagnosis)
        self.response.retry_blocked_until = None
        self.notify(f"{entry.method} {entry.url}", title="reopened from history")

    # -- copy ------------------------------------------------------------------------------------

    def action_copy(self, kind: str) -> None:
        text = self.copy_text(kind)
        if text is None:
            return
        self.app.copy_to_clipboard(text)
        title = COPY_TITLES.get(kind, kind)
        if kind == "request_id":
            self.notify(text, title="copied requestId")
        else:
            from labs_tui.tui.screens.dialogs import TextScreen

            self.app.push_screen(
                TextScreen(f"Copied: {title}", text, "Also on the clipboard if your terminal allows it.")
            )

    def copy_text(self, kind: str) -> str | None:
        """What ``ctrl+y``, ``ctrl+r`` and the exports copy (inert), or None when there is nothing yet."""
        from labs_tui.client import support_report
        from labs_tui.tui.text import inert, inert_line

        last = self._last
        if kind == "request_id":
            if last is None or not last[1].request_id:
                self.notify("no requestId: nothing sent yet, or none in the response", severity="warning")
                return None
            return inert_line(last[1].request_id)  # the clipboard (OSC 52) gets no raw control either
        if kind == "support_report":
            if last is None:
                self.notify("send a request first", severity="warning")
                return None
            profile = self.labs.profile
            secrets = [profile.token] if profile and profile.token else []
            return support_report(last[0], last[1], now=self.labs.settings.clock(), secrets=secrets)
        if kind in ("curl", "httpie"):
            from labs_tui.client import to_curl, to_httpie

            draft = self.request.collect()
            if isinstance(draft, list):
                self.notify("; ".join(draft), title="not exported", severity="warning")
                return None
            request = self._build(draft)
            if isinstance(request, str):
                self.notify(request, title="not exported", severity="warning")
                return None
            profile = self.labs.profile
            assert profile is not None
            export = to_curl if kind == "curl" else to_httpie
            return inert(str(export(request, profile)))
        return None

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
