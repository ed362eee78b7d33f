"""History: opened in a thread after the first paint; each call stored in a thread, never with its token.

Calls made before the file is open wait in a short queue; an open or an add publishes
``history_changed_signal``. Problems with the file are one notice each, shown once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on, work

from labs_tui.tui.app.state import AppState
from labs_tui.tui.messages import (
    HistoryNotice,
    HistoryOpened,
)

if TYPE_CHECKING:
    from labs_tui.client import CallResult, Diagnosis, Profile
    from labs_tui.store import History


PENDING_HISTORY_LIMIT = 100


class HistoryPart(AppState):
    """The history half of ``LabsApp``."""

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
