"""The URL line, both ways: the form rewrites it, and what is typed there fills the form.

The line's path and query are an input (``ctrl+l``, ``focus_url``): what is typed there is sent as
typed, and the params form follows what it can match (path params, known query params; other query
params become added rows). Editing the form rewrites the line (``refresh_url``), serialised by each
parameter's style.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.widgets import Input, Select, Static

from labs_tui.tui.text import literal
from labs_tui.tui.widgets.endpoints.pane import method_badge
from labs_tui.tui.widgets.request.draft import parse_target, target_text, wire_params
from labs_tui.tui.widgets.request.pane.state import PaneState
from labs_tui.tui.widgets.request.params import ParamsForm


class UrlPart(PaneState):
    """The URL line part of ``RequestPane``."""

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

    @on(Input.Changed, "#params Input")
    @on(Select.Changed, "#params Select")
    @on(ParamsForm.ExtrasChanged)
    def _on_param_edit(self) -> None:
        self.refresh_url()
