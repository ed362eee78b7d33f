"""Sending: the send and compare flow, from the builder's draft to the answer on screen.

``ctrl+j`` (or the Send button) collects the draft, builds the request against the current profile
and runs the send worker, which calls the core (``Client.send``, ``diagnose``), records the call in
the history and posts one ``SendFinished``; a stale or cancelled send's result is dropped. A send or
compare asked for while the embedded sandbox is still starting waits for it (esc drops it). ``ctrl+t``
builds the same request and opens the compare screens. ``esc`` cancels what runs, or leaves a text
field. Where the answer is shown (or kept for its endpoint) is ``answers``'s job.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on, work
from textual.worker import Worker, WorkerState

from labs_tui.tui.messages import SendFinished
from labs_tui.tui.screens.main.state import MainState

if TYPE_CHECKING:
    from labs_tui.client import CallRequest, Profile
    from labs_tui.spec import Operation
    from labs_tui.tui.widgets.request.pane import Draft


class SendingPart(MainState):
    """The send, compare and cancel part of ``MainScreen``."""

    @property
    def sends_started(self) -> int:
        """How many sends this screen has started (tests and scripts wait on it)."""
        return self._seq

    @property
    def sending(self) -> bool:
        """A send is in flight or waiting for the sandbox."""
        return self._in_flight or self._waiting is not None

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

    def _sandbox_up(self, kind: str) -> None:
        self._restore_response()  # the send's own spinner replaces it; a refused send leaves no spinner
        if kind == "send":
            self.action_send()
        else:
            self.action_compare()

    def _sandbox_error_changed(self, error: str | None) -> None:
        if error:
            from labs_tui.tui.widgets.header.bar import HeaderBar

            self.query_one(HeaderBar).set_pending("sandbox not started")
        if error and self._waiting is not None:
            kind, self._waiting = self._waiting, None
            self._restore_response()
            title = "not sent" if kind == "send" else "not compared"
            self.notify("the sandbox did not start", title=title, severity="warning")

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
        diagnosis = diagnose(
            result, operation, now=settings.clock(), token=profile.token, spec=self.labs.spec
        )
        self.labs.record_history(result, diagnosis, profile)
        self.post_message(SendFinished(seq, result, diagnosis))

    @on(SendFinished)
    def _finished(self, message: SendFinished) -> None:
        if message.seq != self._seq or not self._in_flight:
            return
        self._in_flight = False
        if self._last_operation is not None:
            self._answers[self._last_operation] = (message.result, message.diagnosis)
        # The SANDBOX badge for an answer only when a sandbox gave it (its Server header says so): the
        # sandbox profile can point anywhere (--base-url https://staging...).
        if message.result.status is not None:
            server = message.result.header("server") or ""
            self._update_badge(answered=server.startswith("labs-tui-sandbox"))
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
