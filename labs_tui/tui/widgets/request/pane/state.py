"""What every part of the request pane shares: the attributes ``RequestPane.__init__`` sets, the tabs.

The pane is one class assembled from parts by job (``pin``, ``prefer``, ``url``, ``collect``,
``fill``); each part derives from this so it sees (and type-checks against) the shared state. The
Body and Docs tabs' widgets are built here on first use (their modules are not imported before).
The few methods one part calls in another are declared for the type checker only, each with the
module that defines it, so a part's reach into another stays visible.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from textual.containers import Horizontal, Vertical
from textual.widgets import Input

from labs_tui.tui.widgets.request.headers import HeadersEditor
from labs_tui.tui.widgets.tabs import Tabbed

if TYPE_CHECKING:
    from labs_tui.spec import Operation, Parameter, Spec
    from labs_tui.tui.widgets.request.body import BodyEditor
    from labs_tui.tui.widgets.request.docs import DocsView

LATEST = "latest"
CUSTOM = "custom"


class PaneState(Vertical):
    """The shared state of ``RequestPane``, declared once for all its parts."""

    spec: Spec | None
    operation: Operation | None
    base_url: str | None
    _initial_pin: str | None
    _body_editor: BodyEditor | None  # built on first use (``body_editor``)
    _docs_view: DocsView | None  # built on first use (``docs_view``)
    _headers_editor: HeadersEditor  # built at once, mounted on the Headers tab's first show
    _custom_pin: Input | None  # built when first needed (``pin.custom_pin_input``)
    _params: list[tuple[Parameter, Mapping[str, Any]]]  # the open operation's params and their schemas
    _form_target: str  # the form's URL when the line was last written from (or read into) it
    _line_typed: bool  # the URL line was last edited by hand (not written from the form)
    _pins: bool  # the spec declares a version header: the pin picker is shown
    _sandbox: bool  # requests go to the sandbox: the Prefer field is shown
    _prefer_input: Input | None  # built when first shown
    _prefer_row: Horizontal | None

    @property
    def body_editor(self) -> BodyEditor:
        """The Body tab's editor, built on first use; usable (read, filled) before it is mounted."""
        if self._body_editor is None:
            from labs_tui.tui.widgets.request.body import BodyEditor

            self._body_editor = BodyEditor(id="body")
            self.query_one(Tabbed).panel("tab-body").mount(self._body_editor)
        return self._body_editor

    @property
    def docs_view(self) -> DocsView:
        """The Docs tab's view, built on first use."""
        if self._docs_view is None:
            from labs_tui.tui.widgets.request.docs import DocsView

            self._docs_view = DocsView(id="docs")
            self.query_one(Tabbed).panel("tab-docs").mount(self._docs_view)
        return self._docs_view

    @property
    def headers_editor(self) -> HeadersEditor:
        """The Headers tab's editor: usable (read, set) before it is mounted on the tab's first show."""
        return self._headers_editor

    if TYPE_CHECKING:
        # pane/pin.py
        @property
        def pin(self) -> str | None: ...
        def _pin_row_display(self) -> None: ...

        # pane/prefer.py
        @property
        def prefer(self) -> str | None: ...

        # pane/url.py
        def refresh_url(self) -> None: ...
