"""The pin: the version picker on the request line, its custom field and note, a new spec's choices.

The picker shows only for a spec that declares a version header (``set_spec``, ``show_no_spec``);
its choices are the spec's known minors, latest (no header) and a custom value. The Headers tab's
pin row follows it both ways (``HeadersEditor.PinToggled``).
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.widgets import Input, Select, Static

from labs_tui.spec import DEFAULT_VERSION_HEADER, Spec
from labs_tui.tui.text import literal
from labs_tui.tui.widgets.request.headers import HeadersEditor
from labs_tui.tui.widgets.request.pane.state import CUSTOM, LATEST, PaneState


class PinPart(PaneState):
    """The pin picker part of ``RequestPane``."""

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
