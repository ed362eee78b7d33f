"""The Prefer line: the sandbox's way to choose an answer, shown only while requests go there.

Built once, after the first frame, on the blank line under the request line; ``prefer`` is the
header to send, or None.
"""

from __future__ import annotations

from textual.containers import Horizontal
from textual.widgets import Input, Label

from labs_tui.tui.widgets.request.pane.state import PaneState


class PreferPart(PaneState):
    """The Prefer line part of ``RequestPane``."""

    def set_sandbox(self, sandbox: bool) -> None:
        """Requests go to the sandbox: show the Prefer field (it is sent only there)."""
        self._sandbox = sandbox
        if self._prefer_input is None:
            if sandbox:  # built after the first frame (a start-up budget), on the blank line
                self.call_after_refresh(self._build_prefer_row)
            return
        self._show_prefer_row(sandbox)

    def _build_prefer_row(self) -> None:
        """The Prefer line, built once: on the blank line under the request line."""
        if self._prefer_input is not None or not self.is_attached:
            return
        placeholder = "code=404, example=NAME, dynamic=true"
        self._prefer_input = Input(placeholder=placeholder, id="prefer", compact=True)
        self._prefer_row = Horizontal(Label("Prefer", id="prefer-label"), self._prefer_input, id="prefer-row")
        self.mount(self._prefer_row, after="#url-row")
        self._show_prefer_row(self._sandbox)

    def _show_prefer_row(self, sandbox: bool) -> None:
        if self._prefer_row is not None:
            self._prefer_row.display = sandbox
        url_row = self.query_one("#url-row")
        if sandbox:
            url_row.styles.margin = (0, 0, 0, 0)  # the Prefer row takes the blank line beneath
        else:
            url_row.styles.clear_rule("margin")

    @property
    def prefer(self) -> str | None:
        """The ``Prefer`` header to send (sandbox targets only), or None."""
        if self._prefer_input is None:
            return None
        value = " ".join(self._prefer_input.value.split())
        return value if self._sandbox and value else None
