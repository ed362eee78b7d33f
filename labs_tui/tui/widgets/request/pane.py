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
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, Select, Static

from labs_tui.client import FieldError, token_place
from labs_tui.spec import DEFAULT_VERSION_HEADER, Operation, Parameter, Spec
from labs_tui.tui.text import literal
from labs_tui.tui.widgets.endpoints.pane import method_badge
from labs_tui.tui.widgets.request.draft import cookie_header, parse_target, target_text, wire_params
from labs_tui.tui.widgets.request.headers import HeadersEditor
from labs_tui.tui.widgets.request.params import ParamsForm
from labs_tui.tui.widgets.request.send import SendButton
from labs_tui.tui.widgets.tabs import Tabbed, TabPanel

if TYPE_CHECKING:
    from labs_tui.client import FormPart, RequestDraft
    from labs_tui.tui.widgets.request.body import BodyEditor
    from labs_tui.tui.widgets.request.docs import DocsView

LATEST = "latest"
CUSTOM = "custom"


@dataclass(frozen=True)
class Draft:
    """A request as the builder holds it; ``request_draft()`` is what ``client.build_request`` takes."""

    operation: Operation
    path_params: dict[str, str] = field(default_factory=dict)
    query: dict[str, str] = field(default_factory=dict)
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes | None = None
    pin: str | None = None  # None: no pin header (latest)
    target: str | None = None  # the URL line: path and query as sent (path params already in it)
    form: tuple[tuple[str, str], ...] = ()  # a multipart body's fields as -F values (files as "@path")

    def request_draft(self) -> RequestDraft:
        """The core's draft: the URL line as typed when there is one, else the template and the form."""
        from labs_tui.client import RequestDraft  # the request module is not needed before a send

        return RequestDraft(
            method=self.operation.method,
            path=self.target or self.operation.path,
            operation=self.operation,
            path_params={} if self.target else dict(self.path_params),
            query=() if self.target else tuple(self.query.items()),
            headers=tuple(self.headers),
            body=self.body,
            pin=self.pin,
            form=_form_parts(self.form),
        )


def _form_parts(pairs: Iterable[tuple[str, str]]) -> tuple[FormPart, ...]:
    """The core's parts for the form's -F values; a text value that is only ``@`` stays text."""
    from labs_tui.client import FormError, FormPart, form_part

    parts: list[FormPart] = []
    for name, value in pairs:
        try:
            parts.append(form_part(name, value))
        except FormError:
            parts.append(FormPart(name, value))
    return tuple(parts)


class RequestPane(Vertical):
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
        self.spec: Spec | None = None
        self.operation: Operation | None = None
        self.base_url: str | None = None
        self._initial_pin: str | None = None
        self._body_editor: BodyEditor | None = None
        self._docs_view: DocsView | None = None
        self._headers_editor = HeadersEditor(id="headers")
        self._custom_pin: Input | None = None
        self._params: list[tuple[Parameter, Mapping[str, Any]]] = []
        self._form_target = ""  # the form's URL when the line was last written from (or read into) it
        self._line_typed = False  # the URL line was last edited by hand (not written from the form)
        self._pins = True  # the spec declares a version header: the pin picker is shown
        self._sandbox = False  # requests go to the sandbox: the Prefer field is shown
        self._prefer_input: Input | None = None  # built when first shown
        self._prefer_row: Horizontal | None = None

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

    @property
    def custom_pin_input(self) -> Input:
        """The custom pin field beside the picker, built (and mounted) when first needed."""
        if self._custom_pin is None:
            self._custom_pin = Input(
                placeholder="e.g. 1.2",
                id="pin-custom",
                restrict=r"[0-9A-Za-z.\-]*",
                max_length=20,
                compact=True,
            )
            self.query_one("#url-row").mount(self._custom_pin, after="#pin")
        return self._custom_pin

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

    def set_spec(self, spec: Spec, pin: str | None) -> None:
        """New spec: pin choices are its known minors, latest, and a custom value."""
        self.spec = spec
        options: list[tuple[Text, str]] = [(literal(v), v) for v in spec.known_versions]
        options += [(Text(f"{LATEST} (no header)"), LATEST), (Text("custom..."), CUSTOM)]
        picker: Select[str] = self.query_one("#pin", Select)
        picker.set_options(options)
        self._headers_editor.set_version_header(spec.version_header)
        self._pins = spec.declares_version_header()
        for selector in ("#pin-label", "#pin", "#pin-note"):
            self.query_one(selector).display = self._pins
        if self._custom_pin is not None and not self._pins:
            self._custom_pin.display = False
        self.set_pin(pin if self._pins else None)
        self._pin_row_display()
        if pin and pin != LATEST and not self._pins:
            self.notify(f"this spec declares no {spec.version_header} header: no pin is sent", title="pin")

    def show_no_spec(self) -> None:
        """No spec loaded: nothing to pin (the picker shows before a spec is known, for the bundled one)."""
        self._pins = False
        for selector in ("#pin-label", "#pin", "#pin-note"):
            self.query_one(selector).display = False
        if self._custom_pin is not None:
            self._custom_pin.display = False
        self._pin_row_display()

    def _pin_row_display(self) -> None:
        """The Headers tab's pin row, like the picker, only for a spec that pins versions."""
        for box in self._headers_editor.query("#pin-enabled"):
            if box.parent is not None:
                box.parent.display = self._pins

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

    def set_pin(self, pin: str | None) -> None:
        picker: Select[str] = self.query_one("#pin", Select)
        known = self.spec.known_versions if self.spec else ()
        with picker.prevent(Select.Changed):
            if not pin or pin == LATEST:
                picker.value = LATEST
            elif pin in known:
                picker.value = pin
            else:
                picker.value = CUSTOM
                custom = self.custom_pin_input
                with custom.prevent(Input.Changed):
                    custom.value = pin
        self._pin_changed()

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

    def fill(
        self,
        path_params: Mapping[str, str],
        query: Mapping[str, str],
        headers: list[tuple[str, str]],
        body: bytes | None,
        form: Iterable[tuple[str, str]] = (),
        *,
        whole_form: bool = False,
    ) -> None:
        """Fill the open operation's builder with a stored request (a history entry reopened): params
        into their rows, the other headers as the user's rows, the body into the editor, a saved
        multipart form into its fields (``whole_form``: the fields it does not name are emptied)."""
        owned = self.query_one(ParamsForm).fill(
            {"path": dict(path_params), "query": dict(query), "header": dict(headers)}
        )
        self._headers_editor.set_rows([(n, v) for n, v in headers if n.lower() not in owned])
        if body is not None:
            self.body_editor.load(body)
        if form or whole_form:
            for name in self.body_editor.fill_form(form, only=whole_form):
                self.notify(f"{name}: given more than once; the form keeps the first", title="form")
        self.refresh_url()

    # -- reads -----------------------------------------------------------------------------------

    @property
    def pin(self) -> str | None:
        """The pin that will be sent, or None for no header (latest, or a spec without pins)."""
        if not self._pins:
            return None
        value = self.query_one("#pin", Select).value
        if value == CUSTOM:
            return self.custom_pin_input.value.strip() or None
        if value == LATEST or not isinstance(value, str):
            return None
        return str(value)

    @property
    def send_auth(self) -> bool:
        return self._headers_editor.send_auth

    @send_auth.setter
    def send_auth(self, value: bool) -> None:
        self._headers_editor.send_auth = value

    def collect(self) -> Draft | list[str]:
        """The request to send, or the reasons it cannot be sent (and the tab that shows them)."""
        if self.operation is None:
            return ["pick an endpoint first"]
        params = self.query_one(ParamsForm)
        path_texts, query, param_headers, cookies = wire_params(params.row_values())
        form_target = target_text(self.operation.path, path_texts, query + params.extras())
        url = self.query_one("#url", Input)
        # The line is the truth unless the form changed after it was last written (not yet redrawn).
        # A URL line typed by hand goes as typed: its path and query values are not judged here (to
        # probe a server's 400); header and cookie parameters still are.
        problems = params.validate(skip=("path", "query") if self._line_typed else ())
        tabs = self.query_one(Tabbed)
        if problems:
            tabs.active = "tab-params"
            return problems
        body_problem = self.body_editor.check()
        if body_problem:
            tabs.active = "tab-body"
            return [body_problem]
        if self._pins and self.query_one("#pin", Select).value == CUSTOM and self.pin is None:
            return ["type a custom pin, or choose one from the list"]
        values = params.values()
        target = form_target if form_target != self._form_target else url.value.strip() or form_target
        headers_editor = self._headers_editor
        headers = param_headers + headers_editor.custom_headers()
        if cookies and not any(name.lower() == "cookie" for name, _ in headers):
            headers.append(("Cookie", cookie_header(cookies)))
        body_editor = self.body_editor
        body = body_editor.body
        content_type = body_editor.content_type
        typed = any(name.lower() == "content-type" for name, _ in headers)
        if body is not None and content_type and not typed:
            headers.append(("Content-Type", content_type))
        if not headers_editor.send_auth and not any(name.lower() == "authorization" for name, _ in headers):
            headers.append(("Authorization", ""))
        prefer = self.prefer
        if prefer and not any(name.lower() == "prefer" for name, _ in headers):
            headers.append(("Prefer", prefer))
        return Draft(
            self.operation,
            values["path"],
            values["query"],
            headers,
            body,
            self.pin,
            target,
            body_editor.form_values,
        )

    def mark_field_errors(self, errors: Iterable[FieldError]) -> list[FieldError]:
        """The server's fieldErrors beside the params (or the pin) they name; returns those naming neither."""
        header = (self.spec.version_header if self.spec else DEFAULT_VERSION_HEADER).lower()
        unplaced: list[FieldError] = []
        for error in self.query_one(ParamsForm).mark_field_errors(errors):
            if error.field.lower() == header:
                note = self.query_one("#pin-note", Static)
                note.update(literal(f"server: {error.message}"))
                note.add_class("-error")
            else:
                unplaced.append(error)
        return unplaced

    # -- the URL line ----------------------------------------------------------------------------

    def refresh_url(self) -> None:
        """Rewrite the URL line from the form (method and base URL, then the editable path and query)."""
        operation = self.operation
        if operation is None:
            return
        prefix = Text.assemble(method_badge(operation.method))
        prefix.append_text(literal(self.base_url.rstrip("/") if self.base_url else "(sandbox starting...)"))
        self.query_one("#url-prefix", Static).update(prefix)
        params = self.query_one(ParamsForm)
        path_texts, query, _, _ = wire_params(params.row_values())
        target = target_text(operation.path, path_texts, query + params.extras())
        self._form_target = target
        self._line_typed = False
        url = self.query_one("#url", Input)
        url.display = True
        if url.value != target:
            with self.prevent(Input.Changed):
                url.value = target

    def focus_url(self) -> None:
        url = self.query_one("#url", Input)
        if url.display:
            url.focus()

    @on(Input.Changed, "#url")
    def _url_typed(self, event: Input.Changed) -> None:
        """The form follows the typed line: path params and known query params into their rows,
        other query params into added rows. Rows the line cannot fill are left as they are."""
        event.stop()
        if self.operation is None:
            return
        self._line_typed = True
        form = self.query_one(ParamsForm)
        path_values, query_texts, extras = parse_target(self.operation.path, self._params, event.value)
        values: dict[str, dict[str, str]] = {"query": {}}
        if path_values is not None:
            values["path"] = path_values
        for param, _ in self._params:
            if param.location == "query":
                values["query"][param.name] = query_texts.get(param.name, "")
        with self.prevent(Input.Changed, Select.Changed, ParamsForm.ExtrasChanged):
            form.fill(values)
            form.set_extras(extras)
        path_texts, query, _, _ = wire_params(form.row_values())
        self._form_target = target_text(self.operation.path, path_texts, query + extras)

    def _pin_changed(self) -> None:
        if self._pins and self.query_one("#pin", Select).value == CUSTOM:
            self.custom_pin_input.display = True
        elif self._custom_pin is not None:
            self._custom_pin.display = False
        self._pin_note()

    def _pin_note(self) -> None:
        pin = self.pin
        header = self.spec.version_header if self.spec else DEFAULT_VERSION_HEADER
        self._headers_editor.set_pin(pin)
        note = literal(f"sends {header}: {pin}") if pin else Text("server picks its latest")
        widget = self.query_one("#pin-note", Static)
        widget.update(note)
        widget.remove_class("-error")

    @on(Select.Changed, "#pin")
    def _on_pin(self, event: Select.Changed) -> None:
        event.stop()
        self._pin_changed()
        if event.value == CUSTOM:
            self.custom_pin_input.focus()

    @on(Input.Changed, "#pin-custom")
    def _on_custom_pin(self, event: Input.Changed) -> None:
        event.stop()
        self._pin_note()

    @on(HeadersEditor.PinToggled)
    def _on_pin_toggled(self, event: HeadersEditor.PinToggled) -> None:
        event.stop()
        known = self.spec.known_versions if self.spec else ()
        if not event.enabled:
            self.set_pin(None)
        elif self.pin is None and known:
            self.set_pin(known[-1])

    @on(Input.Changed, "#params Input")
    @on(Select.Changed, "#params Select")
    @on(ParamsForm.ExtrasChanged)
    def _on_param_edit(self) -> None:
        self.refresh_url()
