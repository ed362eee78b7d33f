"""The Body tab: a JSON editor prefilled from the spec's example, checked against the request schema,
or a field form for ``application/x-www-form-urlencoded`` and ``multipart/form-data`` bodies.

What the user typed is never thrown away: switching endpoints keeps a draft per operation for the
session, and a failed check leaves the text as it was with the reason beside it. Schema problems are
listed under the editor (a JSON pointer and a message each, from the core's ``SchemaChecker`` in the
spec's own dialect) a moment after typing stops; they are marked, not enforced: the server decides.
Each ``oneOf``/``anyOf`` in the request schema, at any depth, gets a picker (``ChoicePicker``); picking a
variant puts that variant's example at its place in the body and keeps what was typed elsewhere (the
whole template is regenerated only when the text is not JSON); ctrl+z brings the text before back.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import parse_qsl

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Input, Label, Static, TextArea

from labs_tui.client import (
    FormError,
    FormPart,
    encode_form,
    is_file_schema,
    is_form_media,
    parse_form_arg,
)
from labs_tui.spec import Choices, Operation, Spec, body_choices, picks_for, replace_at
from labs_tui.tui.text import inert, inert_line, literal
from labs_tui.tui.widgets.request.choices import ChoicePicker
from labs_tui.tui.widgets.request.draft import (
    BLANK,
    check_json,
    example_text,
    param_hint,
    parse_json,
    value_problems,
)
from labs_tui.tui.widgets.request.editor import BodyTextArea

DEBOUNCE_S = 0.25


class FormField(Horizontal):
    """One property of a form body: its name and an input (for a file property: the file's path)."""

    DEFAULT_CSS = """
    FormField { height: 1; margin: 0 0 1 0; }
    FormField Label { width: 28; }
    FormField Input { width: 1fr; }
    """

    def __init__(
        self, name: str, schema: Mapping[str, Any], required: bool, value: str, *, is_file: bool = False
    ) -> None:
        super().__init__()
        self.field_name = name
        self.is_file = is_file
        self._label = Text.assemble(
            literal(name), ("*" if required else "", "bold red"), (" file" if is_file else "", "italic")
        )
        hint = "path to the file to upload (~ for home)" if is_file else inert_line(param_hint(schema))
        self._input = Input(value, placeholder=hint, compact=True, classes="form-value")

    def compose(self) -> ComposeResult:
        yield Label(self._label)
        yield self._input

    @property
    def value(self) -> str:
        return self._input.value

    def set_value(self, value: str) -> None:
        self._input.value = value

    @property
    def part(self) -> FormPart:
        """What this field sends: its text, or the file its path names (read when the body is built)."""
        if self.is_file and self.value.strip():
            return FormPart(self.field_name, file=self.value.strip())
        return FormPart(self.field_name, "" if self.is_file else self.value)


class BodyEditor(Vertical):
    DEFAULT_CSS = """
    BodyEditor { height: 1fr; }
    BodyEditor #body-note { color: $text-muted; height: auto; padding: 0 1; }
    BodyEditor #body-note.-error { color: $error; }
    BodyEditor TextArea { height: 1fr; min-height: 3; }
    BodyEditor #body-form { height: 1fr; padding: 0 1; }
    BodyEditor #body-problems { color: $success; height: auto; max-height: 6; padding: 0 1; }
    BodyEditor #body-problems.-problems { color: $warning; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._drafts: dict[str, str] = {}
        self._key: str | None = None
        self.media_type: str | None = None
        self.schema: Mapping[str, Any] = {}
        self._spec: Spec | None = None
        self._checker: Any = None
        self._timer: Timer | None = None
        self._boundary = "labs-tui-" + secrets.token_hex(8)
        self._form_body: bytes | None = None  # a form body as check() last built it
        self._media_note = ""  # what the note above the editor says when nothing is wrong
        # Held by reference, not queried: the request pane builds this editor when an endpoint is
        # opened and reads or fills it in the same call, before its children are mounted.
        self._note = Static("This endpoint takes no request body.", id="body-note")
        self._editor = BodyTextArea("", id="body-editor", tab_behavior="indent", show_line_numbers=True)
        self._editor.display = False
        # Built when first needed (most endpoints need none of them): the variant pickers above the
        # editor, the field form for form bodies, the problems line under the editor.
        self._variant: ChoicePicker | None = None
        self._form: VerticalScroll | None = None
        self._problems: Static | None = None
        self._composed = False
        self._fields: list[FormField] = []
        self._raw_schema: Any = None  # the media type's schema as the spec has it ($ref kept)
        self._choices: Choices | None = None  # its oneOf/anyOf places, pinned by the picks
        self._picks: dict[str, dict[str, int]] = {}  # per operation: place -> variant picked

    def compose(self) -> ComposeResult:
        self._composed = True
        yield self._note
        if self._variant is not None:
            yield self._variant
        yield self._editor
        if self._form is not None:
            yield self._form
        if self._problems is not None:
            yield self._problems

    def _place(self, widget: Widget, *, before: Widget | None = None, after: Widget | None = None) -> None:
        """Mount a child built late; before compose, compose yields it."""
        if self._composed:
            self.mount(widget, before=before, after=after)

    @property
    def problems_line(self) -> Static:
        if self._problems is None:
            self._problems = Static("", id="body-problems")
            self._place(self._problems)
        return self._problems

    @property
    def form(self) -> VerticalScroll:
        if self._form is None:
            self._form = VerticalScroll(id="body-form", can_focus=False)
            self._place(self._form, after=self._editor)
        return self._form

    @property
    def editor(self) -> TextArea:
        return self._editor

    @property
    def is_form(self) -> bool:
        return is_form_media(self.media_type)

    def set_operation(self, spec: Spec, operation: Operation) -> None:
        if self._key is not None and self.media_type is not None and not self.is_form:
            self._drafts[self._key] = self.editor.text
        if spec is not self._spec:
            from labs_tui.spec import SchemaChecker

            self._spec = spec
            self._checker = SchemaChecker(spec)
        self._key = operation.key
        body = operation.request_body
        media = body.preferred() if body else None
        if media is not None and body is not None and not media.media_type.split(";")[0].endswith("json"):
            media = next((m for m in body.content if is_form_media(m.media_type)), media)
        self.media_type = media.media_type if media else None
        self.schema = spec.resolve(media.schema) if media and media.schema else {}
        note = self._note
        note.remove_class("-error")
        if self._problems is not None:
            self._set_problems([])
            self._problems.display = False
        if self._variant is not None:
            self._variant.display = False
        self._raw_schema, self._choices = None, None
        if self._form is not None:
            self._form.display = False
        if media is None:
            note.update("This endpoint takes no request body.")
            self.editor.display = False
            return
        self._media_note = f"{media.media_type}{' (required)' if body and body.required else ''}"
        note.update(literal(self._media_note))
        if self.is_form:
            self.editor.display = False
            self._show_form(spec, media.example if media.has_example else None)
            return
        self._raw_schema = media.schema
        self._choices = self._find_choices()
        if operation.key in self._drafts:
            text = self._drafts[operation.key]
        else:
            # The editor draws its text as given: the spec's example goes in inert (controls shown).
            pinned = self._choices.pinned if self._choices is not None else media.schema
            value = media.example if media.has_example else spec.example(pinned, direction="request")
            text = inert(example_text(value))
        self.editor.load_text(text)
        self.editor.display = True
        self.problems_line.display = True
        self.validate_now()

    def load(self, body: bytes) -> None:
        """Put a stored body back: into the fields of an urlencoded form, else into the editor."""
        text = body.decode("utf-8", errors="replace")
        if self.is_form and (self.media_type or "").startswith("application/x-www-form-urlencoded"):
            values = dict(parse_qsl(text, keep_blank_values=True))
            for form_field in self._fields:
                form_field.set_value(values.get(form_field.field_name, ""))
        elif not self.is_form:
            self.editor.load_text(text)

    def _find_choices(self, changed: str | None = None) -> Choices | None:
        """The schema's choices under this operation's picks, shown in the pickers; None without any."""
        if self._spec is None or self._raw_schema is None or self._key is None:
            return None
        choices = body_choices(self._spec.resolve, self._raw_schema, self._picks.get(self._key))
        picker = self._variant
        if picker is None:
            if not choices.found:
                return None
            picker = self._variant = ChoicePicker(id="body-variants")
            self._place(picker, before=self._editor)
            self._fit_pickers(self.size.height)
        picker.show(choices.found, keep_focus_on=changed)
        return choices if choices.found else None

    def _show_form(self, spec: Spec, example: Any) -> None:
        props = self.schema.get("properties")
        props = props if isinstance(props, Mapping) else {}
        required = self.schema.get("required")
        required = required if isinstance(required, list) else []
        sample = example if isinstance(example, Mapping) else {}
        self._fields = []
        # Only a multipart form carries files; in an urlencoded one a binary property is text.
        files = (self.media_type or "").lower().startswith("multipart/")
        for name, raw in props.items():
            schema = spec.resolve(raw)
            is_file = files and is_file_schema(schema, spec.resolve)
            value = None if is_file else sample.get(name)
            text = "" if value is None or isinstance(value, dict | list) else str(value)
            self._fields.append(
                FormField(str(name), schema, name in required, inert_line(text), is_file=is_file)
            )
        form = self.form
        form.display = True
        if form.is_attached:
            self._mount_fields()

    def _mount_fields(self) -> None:
        form = self.form
        form.remove_children()
        if self._fields:
            form.mount_all(self._fields)
        else:
            form.mount(Static("The schema lists no fields."))

    def on_mount(self) -> None:
        if self.is_form:
            self.call_after_refresh(self._mount_fields)  # once the form itself is mounted

    def on_resize(self, event: events.Resize) -> None:
        self._fit_pickers(event.size.height)

    def _fit_pickers(self, height: int) -> None:
        """In a short pane (80x24) the pickers scroll in one row, so the editor keeps lines to type in."""
        if self._variant is not None:
            self._variant.styles.max_height = 1 if height < 12 else 3

    @on(ChoicePicker.Picked)
    def _variant_picked(self, event: ChoicePicker.Picked) -> None:
        event.stop()
        if self._spec is None or self._key is None:
            return
        self._picks.setdefault(self._key, {})[event.pointer] = event.index
        self._choices = self._find_choices(changed=event.pointer)
        if self._choices is None:
            return
        choice = next((c for c in self._choices.found if c.pointer == event.pointer), None)
        text = None
        if choice is not None and event.pointer and check_json(self.editor.text) is None:
            value = self._spec.example(choice.schema, direction="request")
            document, placed = replace_at(json.loads(self.editor.text), event.pointer, value)
            text = example_text(document) if placed else None
        if text is None:  # the body itself, or text that is not JSON: the whole template again
            text = example_text(self._spec.example(self._choices.pinned, direction="request"))
        editor = self.editor
        editor.replace(inert(text), (0, 0), editor.document.end)  # one edit: ctrl+z undoes it
        self.validate_now()

    @on(TextArea.Changed, "#body-editor")
    def _typed(self, event: TextArea.Changed) -> None:
        event.stop()
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(DEBOUNCE_S, self.validate_now)

    def validate_now(self) -> list[str]:
        """Check the text against the request schema now and show the problems under the editor."""
        if self.media_type is None or self.is_form or self._checker is None:
            return []
        if not self.media_type.split(";")[0].endswith("json"):
            return []
        value, problem = parse_json(self.editor.text)  # once: the pickers and the check share it
        if problem is not None:
            found = [problem]
        elif value is BLANK:
            found = []
        else:
            self._follow_body(value)
            # Checked against the picked variants: pointers into them, not "not valid under any of".
            schema: Any = self._choices.pinned if self._choices is not None else self.schema
            found = value_problems(self._checker, schema, value)
        self._set_problems(found)
        return found

    def _follow_body(self, document: Any) -> None:
        """The pickers follow the text: after an undo, a paste or an import, a place whose value fits
        another variant (and not the picked one) shows that variant; the text is left as it is."""
        if self._choices is None or self._spec is None or self._key is None:
            return
        checker = self._checker

        def fits(variant: Any, value: Any) -> bool:
            return not checker.problems(variant, value, "request", limit=1)

        picks = self._picks.get(self._key, {})
        moved = picks_for(self._spec.resolve, self._raw_schema, picks, document, fits)
        if moved != picks:
            self._picks[self._key] = moved
            self._choices = self._find_choices()

    def _set_problems(self, found: list[str]) -> None:
        widget = self.problems_line
        widget.set_class(bool(found), "-problems")
        if not found:
            widget.update("no problems found against the schema" if self.schema else "")
            return
        head = f"{len(found)} problem{'s' if len(found) != 1 else ''}: "
        widget.update(literal(head + "; ".join(found)))

    def check(self) -> str | None:
        """Why the body cannot be sent as it is, or None; the reason is also shown above the editor.

        A form body is built here (its files read), so a file that cannot be read stops the send with
        its reason and the fields as typed; ``body`` is then what this built.
        """
        if self.media_type is None:
            return None
        if self.is_form:
            return self._build_form()
        problem = check_json(self.editor.text) if self.media_type.split(";")[0].endswith("json") else None
        note = self._note
        note.set_class(problem is not None, "-error")
        note.update(literal(problem or self._media_note))
        self.validate_now()
        return problem

    @property
    def form_parts(self) -> tuple[FormPart, ...]:
        """A multipart body's filled fields (a file as its path), for exports and saving; else ()."""
        if not (self.media_type or "").lower().startswith("multipart/"):
            return ()
        parts = [form_field.part for form_field in self._fields]
        return tuple(p for p in parts if p.file is not None or p.value)

    def fill_form(self, pairs: Iterable[tuple[str, str]], *, only: bool = False) -> list[str]:
        """Saved -F values into the form's fields by name (``@path[;type=...]`` into a file field as its
        path); returns the names given more than once (a field holds one value: the first is kept).
        ``only``: the fields not named are emptied (the stored request did not send them)."""
        values: dict[str, str] = {}
        repeated: list[str] = []
        for name, value in pairs:
            if name in values:
                repeated += [] if name in repeated else [name]
                continue
            values[name] = value
        for form_field in self._fields:
            if form_field.field_name in values:
                value = values[form_field.field_name]
                if form_field.is_file and value.startswith("@"):
                    try:
                        value = parse_form_arg(f"{form_field.field_name}={value}").file or ""
                    except FormError:
                        value = value[1:]
                form_field.set_value(value)
            elif only:
                form_field.set_value("")
        return repeated

    def _build_form(self) -> str | None:
        assert self.media_type is not None
        parts = [form_field.part for form_field in self._fields]
        note = self._note
        self._form_body = None
        try:
            if any(part.file is not None or part.value for part in parts):
                self._form_body = encode_form(self.media_type, parts, self._boundary)[0]
        except FormError as error:
            note.add_class("-error")
            note.update(literal(str(error)))
            return str(error)
        note.remove_class("-error")
        note.update(literal(self._media_note))
        return None

    @property
    def content_type(self) -> str | None:
        """The Content-Type the body goes with (a multipart body names its boundary)."""
        if self.media_type is not None and self.is_form:
            return encode_form(self.media_type, [], self._boundary)[1]
        return self.media_type

    @property
    def body(self) -> bytes | None:
        """The body to send: the editor's text, or the form ``check()`` last built (None when empty)."""
        if self.media_type is None:
            return None
        if self.is_form:
            return self._form_body
        if not self.editor.text.strip():
            return None
        return self.editor.text.encode("utf-8")
