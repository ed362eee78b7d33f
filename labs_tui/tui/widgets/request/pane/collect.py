"""What the pane would send: ``collect()`` reads the builder into a ``Draft``, or the reasons it cannot.

A ``Draft`` is the request as the builder holds it; ``Draft.request_draft()`` is what the core's
``client.build_request`` takes. Collecting switches to the tab that shows a problem.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from textual.widgets import Input, Select

from labs_tui.spec import Operation
from labs_tui.tui.widgets.request.draft import cookie_header, target_text, wire_params
from labs_tui.tui.widgets.request.pane.state import CUSTOM, PaneState
from labs_tui.tui.widgets.request.params import ParamsForm
from labs_tui.tui.widgets.tabs import Tabbed

if TYPE_CHECKING:
    from labs_tui.client import FormPart, RequestDraft


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
    form: tuple[FormPart, ...] = ()  # a multipart body's filled fields (files by path)

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
            form=self.form,
        )


class CollectPart(PaneState):
    """The ``collect`` part of ``RequestPane``."""

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
            body_editor.form_parts,
        )
