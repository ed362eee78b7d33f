"""The Body tab: a JSON editor prefilled from the spec's example, checked before sending.

What the user typed is never thrown away: switching endpoints keeps a draft per operation for the
session, and a failed check leaves the text as it was with the reason beside it.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static, TextArea

from labs_tui.spec.model import Operation, Spec
from labs_tui.tui.text import inert, literal
from labs_tui.tui.widgets.request.draft import check_json, example_text


class BodyEditor(Vertical):
    DEFAULT_CSS = """
    BodyEditor { height: 1fr; }
    BodyEditor #body-note { color: $text-muted; height: auto; padding: 0 1; }
    BodyEditor #body-note.-error { color: $error; }
    BodyEditor TextArea { height: 1fr; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._drafts: dict[str, str] = {}
        self._key: str | None = None
        self.media_type: str | None = None
        # Held by reference, not queried: the request pane builds this editor when an endpoint is
        # opened and reads or fills it in the same call, before its children are mounted.
        self._note = Static("This endpoint takes no request body.", id="body-note")
        self._editor = TextArea("", id="body-editor", tab_behavior="indent", show_line_numbers=True)
        self._editor.display = False

    def compose(self) -> ComposeResult:
        yield self._note
        yield self._editor

    @property
    def editor(self) -> TextArea:
        return self._editor

    def set_operation(self, spec: Spec, operation: Operation) -> None:
        if self._key is not None and self.media_type is not None:
            self._drafts[self._key] = self.editor.text
        self._key = operation.key
        body = operation.request_body
        media = body.preferred() if body else None
        self.media_type = media.media_type if media else None
        note = self._note
        note.remove_class("-error")
        if media is None:
            note.update("This endpoint takes no request body.")
            self.editor.display = False
            return
        if operation.key in self._drafts:
            text = self._drafts[operation.key]
        else:
            # The editor draws its text as given: the spec's example goes in inert (controls shown).
            text = inert(example_text(media.example if media.has_example else spec.example(media.schema)))
        note.update(literal(f"{media.media_type}{' (required)' if body and body.required else ''}"))
        self.editor.load_text(text)
        self.editor.display = True

    def check(self) -> str | None:
        """Why the body cannot be sent as it is, or None; the reason is also shown above the editor."""
        if self.media_type is None:
            return None
        problem = check_json(self.editor.text) if self.media_type.split(";")[0].endswith("json") else None
        note = self._note
        note.set_class(problem is not None, "-error")
        note.update(literal(problem or self.media_type))
        return problem

    @property
    def body(self) -> bytes | None:
        if self.media_type is None or not self.editor.text.strip():
            return None
        return self.editor.text.encode("utf-8")
