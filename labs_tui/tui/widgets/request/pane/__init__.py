"""The request pane: the URL line, the pin select, Send, and the Params/Headers/Body/Docs tabs.

The URL line's path and query are an input (``ctrl+l``): what is typed there is sent as typed, and
the params form follows what it can match (path params, known query params; other query params
become added rows). Editing the form rewrites the line, serialised by each parameter's style.

The pin select shows only for a spec that declares a version header; the ``Prefer`` field (the
sandbox's way to choose an answer) only while requests go to the sandbox.

It shapes a request and says what it would send; it never sends. The screen reads ``collect()``
(a ``Draft``, or the reasons it cannot be sent) and handles ``SendButton.Pressed`` from ``#send``.

The Body and Docs tabs are hidden on the first screen and mean nothing before an endpoint is open,
so their widgets (and Textual's TextArea module) are built when an endpoint is opened or the tab is
first shown, not before the first paint.

The pane is one class assembled from parts by job, the way ``screens/main/`` assembles
``MainScreen``: this module keeps the layout (``compose``), the tabs' first show, and what is set
from above (an operation opened, the token, the base URL); ``pin.py`` the pin picker and a new
spec's choices; ``prefer.py`` the Prefer line; ``url.py`` the URL line both ways; ``collect.py``
the ``Draft`` and ``collect()``; ``fill.py`` a stored request filled back in and the server's
field errors. Each part derives from ``state.PaneState``, which declares the shared attributes and
builds the lazy tabs' widgets. Mixins rather than helper objects: Textual finds ``@on`` handlers
on the widget itself, and the screen and tests read the pane's methods there.
"""

from __future__ import annotations

__all__ = ["CUSTOM", "LATEST", "Draft", "RequestPane"]

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Input, Label, Select, Static

from labs_tui.client import token_place
from labs_tui.spec import Operation
from labs_tui.tui.text import literal
from labs_tui.tui.widgets.request.headers import HeadersEditor
from labs_tui.tui.widgets.request.pane.collect import CollectPart, Draft
from labs_tui.tui.widgets.request.pane.fill import FillPart
from labs_tui.tui.widgets.request.pane.pin import PinPart
from labs_tui.tui.widgets.request.pane.prefer import PreferPart
from labs_tui.tui.widgets.request.pane.state import CUSTOM, LATEST
from labs_tui.tui.widgets.request.pane.url import UrlPart
from labs_tui.tui.widgets.request.params import ParamsForm
from labs_tui.tui.widgets.request.send import SendButton
from labs_tui.tui.widgets.tabs import Tabbed, TabPanel


class RequestPane(PinPart, PreferPart, UrlPart, CollectPart, FillPart):
    """Set with ``set_spec``, ``open``, ``set_token``, ``set_base_url``; read with ``collect`` and ``pin``."""

    DEFAULT_CSS = """
    RequestPane #url-line { height: 1; }
    RequestPane #url-prefix { width: auto; max-width: 50%; text-wrap: nowrap; text-overflow: ellipsis; }
    RequestPane #url { width: 1fr; min-width: 16; padding: 0; }
    RequestPane #prefer-row { height: 1; }
    RequestPane #prefer { width: 1fr; max-width: 60; }
    RequestPane #prefer-label { padding: 0 1; color: $text-muted; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.border_title = "Request"
        self.spec = None  # the attributes are declared, and said what they hold, in state.py
        self.operation = None
        self.base_url = None
        self._initial_pin = None
        self._body_editor = None
        self._docs_view = None
        self._headers_editor = HeadersEditor(id="headers")
        self._custom_pin = None
        self._params = []
        self._form_target = ""
        self._line_typed = False
        self._pins = True
        self._sandbox = False
        self._prefer_input = None
        self._prefer_row = None

    def compose(self) -> ComposeResult:
        with Horizontal(id="url-line"):
            yield Static(Text("Pick an endpoint on the left and press Enter.", style="dim"), id="url-prefix")
            url = Input(id="url", compact=True, placeholder="/path?query", tooltip="ctrl+l: edit the URL")
            url.display = False
            yield url
        with Horizontal(id="url-row"):
            yield Label("pin", id="pin-label")
            latest = (Text(f"{LATEST} (no header)"), LATEST)
            yield Select[str]([latest], allow_blank=False, id="pin", compact=True)
            yield Static("", id="pin-note")
            yield SendButton("Send", id="send")
        with Tabbed(id="request-tabs"):
            with TabPanel("Params", id="tab-params"):
                yield ParamsForm(id="params")
            yield TabPanel("Headers", id="tab-headers")
            yield TabPanel("Body", id="tab-body")
            yield TabPanel("Docs", id="tab-docs")

    @on(Tabbed.Activated, "#request-tabs")
    def _tab_activated(self, event: Tabbed.Activated) -> None:
        if event.panel.id == "tab-headers":
            if not self._headers_editor.is_attached:
                event.panel.mount(self._headers_editor)
                self.call_after_refresh(self._pin_row_display)
        elif event.panel.id == "tab-body":
            self.body_editor  # noqa: B018 - the property builds the tab's content when first shown
        elif event.panel.id == "tab-docs":
            self.docs_view  # noqa: B018 - as above

    # -- attributes down -------------------------------------------------------------------------

    def set_token(self, token: str | None) -> None:
        self._headers_editor.set_token(token)

    def set_base_url(self, base_url: str | None) -> None:
        self.base_url = base_url
        self.refresh_url()

    def open(self, operation: Operation) -> None:
        assert self.spec is not None
        self.operation = operation
        self._headers_editor.set_token_place(token_place(operation))
        version_header = self.spec.version_header.lower()
        params = [
            (p, self.spec.resolve(p.schema) if p.schema else {})
            for p in operation.parameters
            if p.location in ("path", "query", "header", "cookie")
            and not (p.location == "header" and p.name.lower() == version_header)
        ]
        self.query_one(ParamsForm).set_params(params)
        self._params = params
        self.body_editor.set_operation(self.spec, operation)
        self.docs_view.show(self.spec, operation)
        name = operation.summary.strip() or operation.operation_id or f"{operation.method} {operation.path}"
        self.border_title = Text.assemble("Request  ", literal(name))
        self.call_after_refresh(self.refresh_url)

    @property
    def send_auth(self) -> bool:
        return self._headers_editor.send_auth

    @send_auth.setter
    def send_auth(self, value: bool) -> None:
        self._headers_editor.send_auth = value
