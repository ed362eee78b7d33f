"""What every part of the main screen shares: the attributes ``MainScreen.__init__`` sets, the panes.

The screen is one class assembled from parts by job (``sending``, ``answers``, ``clipboard``,
``history``); each part derives from this so it sees (and type-checks against) the shared state.
The few methods one part calls in another are declared here for the type checker only, each with the
module that defines it, so a part's reach into another stays visible. Nothing here does anything.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from labs_tui.tui.screens.base import LabsScreen
from labs_tui.tui.widgets.endpoints.pane import EndpointsPane
from labs_tui.tui.widgets.request.pane import RequestPane
from labs_tui.tui.widgets.response import ResponsePane

if TYPE_CHECKING:
    from labs_tui.client import CallRequest, CallResult, Diagnosis
    from labs_tui.spec import Operation
    from labs_tui.tui.widgets.request.pane import Draft


class MainState(LabsScreen[None]):
    """The shared state of ``MainScreen``, declared once for all its parts."""

    _seq: int  # sends started (``sends_started``)
    _in_flight: bool  # a send runs
    _waiting: str | None  # "send" or "compare", asked for before the sandbox was up
    _last: tuple[CallResult, Diagnosis] | None  # the answer on screen: a send's or a reopened entry's
    _last_operation: str | None  # the operation key of the last send
    _sent_at: float  # when the last send started, by the settings' clock
    # Each endpoint's last answer, shown again when it is reopened; the pane shows only the open one's.
    _answers: dict[str, tuple[CallResult, Diagnosis]]
    _shown: str | None  # the operation whose answer (or "no response yet") is on screen
    _opened_initial: bool  # --endpoint or --open was opened (once)
    _profile_name: str | None  # the target last shown; another one clears the answers

    @property
    def endpoints(self) -> EndpointsPane:
        return self.query_one(EndpointsPane)

    @property
    def request(self) -> RequestPane:
        return self.query_one(RequestPane)

    @property
    def response(self) -> ResponsePane:
        return self.query_one(ResponsePane)

    if TYPE_CHECKING:
        # main/__init__.py
        def _update_badge(self, answered: bool = False) -> None: ...
        def _typing(self) -> bool: ...

        # main/answers.py
        def open_operation(self, operation: Operation) -> None: ...
        def _restore_response(self) -> None: ...

        # main/sending.py
        def action_send(self) -> None: ...
        def action_compare(self) -> None: ...
        def action_cancel(self) -> None: ...
        def _build(self, draft: Draft) -> CallRequest | str: ...

        # main/clipboard.py
        def action_copy(self, kind: str) -> None: ...
