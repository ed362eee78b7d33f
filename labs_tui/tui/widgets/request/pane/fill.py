"""What comes back into the builder: a stored request (``fill``), the server's field errors.

``fill`` puts a reopened history entry's params, headers, body and form into the open operation's
builder; ``mark_field_errors`` shows a response's ``fieldErrors`` beside the params (or the pin)
they name.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from textual.widgets import Static

from labs_tui.client import FieldError
from labs_tui.spec import DEFAULT_VERSION_HEADER
from labs_tui.tui.text import literal
from labs_tui.tui.widgets.request.pane.state import PaneState
from labs_tui.tui.widgets.request.params import ParamsForm


class FillPart(PaneState):
    """The ``fill`` and field-error part of ``RequestPane``."""

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
