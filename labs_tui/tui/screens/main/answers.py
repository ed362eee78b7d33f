"""Answers per endpoint: the response pane shows the open endpoint's last answer, never another's.

Each send's answer is kept by operation key (``sending`` stores it, ``history`` stores a reopened
one); opening an endpoint shows its own answer again, its send's spinner if that send still runs, or
"no response yet". Nothing here sends or decides what an answer means.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from labs_tui.tui.screens.main.state import MainState

if TYPE_CHECKING:
    from labs_tui.client import CallResult, Diagnosis
    from labs_tui.spec import Operation


class AnswersPart(MainState):
    """The answers-per-endpoint part of ``MainScreen``."""

    @property
    def last_answer(self) -> tuple[CallResult, Diagnosis] | None:
        """The result shown last (a send's or a reopened history entry's), or None."""
        return self._last

    def _restore_response(self) -> None:
        if self._last is not None:
            self.response.show_result(*self._last)
        else:
            self.response.clear()

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
