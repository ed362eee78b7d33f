"""A TextArea whose control keys leave the app's "anywhere" keys alone, and which escape leaves.

Textual's TextArea binds ``ctrl+e`` (line end), ``ctrl+u`` (delete to line start), ``ctrl+y`` (redo)
and more; bound on the focused widget, they would win over the screen's keys, so ``ctrl+e`` in the
body editor moved the cursor instead of focusing the endpoint list. This editor drops the TextArea
bindings on the keys the app documents as working anywhere (``end``, ``home``, ``ctrl+z`` ... stay),
and lets ``escape`` through to the screen, which moves focus out of the editor.

It also keeps ctrl+z from taking the app down: Textual 8.2.8's undo redraws the scrollbars before it
puts the cursor back, so undoing a paste (or any edit) that had grown the text past the editor's
height, with the cursor below the restored end, raised "line index out of bounds" and quit the app.
``undo`` here moves the cursor to the start first; the undo then restores the selection it recorded.
"""

from __future__ import annotations

from textual import events
from textual.binding import Binding
from textual.widgets import TextArea

# Keys the README documents as working anywhere (and ctrl+l, ctrl+u, f-keys the screens bind).
APP_KEYS = frozenset(
    {"ctrl+j", "ctrl+e", "ctrl+p", "ctrl+t", "ctrl+y", "ctrl+r", "ctrl+q", "ctrl+l", "ctrl+u", "f1", "f2"}
)


def _kept_bindings() -> list[Binding | tuple[str, str] | tuple[str, str, str]]:
    kept: list[Binding | tuple[str, str] | tuple[str, str, str]] = []
    merged = TextArea._merged_bindings
    for key, bindings in merged.key_to_bindings.items() if merged else ():
        if key in APP_KEYS:
            continue
        kept += [
            Binding(
                key,
                b.action,
                b.description,
                show=b.show,
                key_display=b.key_display,
                priority=b.priority,
                tooltip=b.tooltip,
                id=b.id,
                system=b.system,
            )
            for b in bindings
        ]
    return kept


class BodyTextArea(TextArea, inherit_bindings=False):
    """The body editor: TextArea editing, minus the keys that belong to the app."""

    BINDINGS = _kept_bindings()

    def undo(self) -> None:
        if self.history.undo_stack:
            self.move_cursor((0, 0))  # a place that exists in the text before the edit, too
        super().undo()

    async def _on_key(self, event: events.Key) -> None:
        # Textual calls TextArea's own handler after this one unless the default is prevented.
        if event.key == "escape" or event.key in APP_KEYS:
            # Not TextArea's "focus next" nor a control character typed in: the key bubbles up to
            # the screen and the app, whose bindings (escape leaves the editor) run.
            event.prevent_default()
