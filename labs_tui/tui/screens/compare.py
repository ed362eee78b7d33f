"""Compare one request across versions: the version picker, then the side-by-side (or matrix) view.

``VersionsScreen`` picks the versions (the current pin and latest are preselected, so ctrl+t then
Enter is a whole comparison). ``CompareScreen`` sends in an async worker through the core's
``compare_versions`` and renders the ``Comparison``: two aligned, marked body views for two
versions, a matrix table for three or more. It decides nothing about what differs (the core
does); a side that was rate-limited or failed is shown as that, never as field differences.
Every leg goes to the history like any other call.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Static

from labs_tui.client import CallRequest, Profile, tls_unverified
from labs_tui.compare import plain_lines
from labs_tui.tui.messages import CompareFinished
from labs_tui.tui.screens.base import LabsScreen
from labs_tui.tui.screens.dialogs import DIALOG_CSS
from labs_tui.tui.text import literal
from labs_tui.tui.themes import DiffColours
from labs_tui.tui.widgets.compare import CompareSide, MatrixTable
from labs_tui.tui.widgets.header.bar import TLS_MARKER
from labs_tui.tui.widgets.keybar import KeyBar

if TYPE_CHECKING:
    from labs_tui.compare import Comparison, VersionResponse
    from labs_tui.spec import Operation, Spec

LATEST = "latest"


def default_versions(pin: str | None, known: Sequence[str]) -> tuple[str, str]:
    """The pair ctrl+t then Enter compares: the current pin and latest; with no pin, 1.0 (or the oldest)."""
    if pin and pin != LATEST:
        return pin, LATEST
    if "1.0" in known:
        return "1.0", LATEST
    return (known[0] if known else "1.0"), LATEST


class VersionsScreen(ModalScreen[tuple[str, ...] | None]):
    """Checkboxes for each known version and latest, plus a custom list; Enter compares."""

    DEFAULT_CSS = (
        DIALOG_CSS.format(name="VersionsScreen")
        + """
    VersionsScreen #versions-boxes { height: auto; }
    VersionsScreen Checkbox { margin: 0 2 0 0; }
    VersionsScreen #versions-error { color: $error; height: auto; }
    """
    )
    BINDINGS = [Binding("escape", "cancel", "cancel")]

    def __init__(self, title: str, known: Sequence[str], chosen: Sequence[str]) -> None:
        super().__init__()
        self._title = title
        self._known = [*dict.fromkeys([*known, *(v for v in chosen if v != LATEST)])]
        self._chosen = set(chosen)
        self._offered = [*self._known, LATEST]

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(literal(self._title), classes="dialog-title")
            yield Static("Versions to compare (two: side by side; three or more: a matrix)")
            with Horizontal(id="versions-boxes"):
                for index, version in enumerate(self._offered):
                    label = "latest (no header)" if version == LATEST else version
                    box = Checkbox(literal(label), value=version in self._chosen, id=f"version-{index}")
                    box.tooltip = literal(version)  # spec text: shown literally, never markup
                    yield box
            yield Input(placeholder="more versions, comma separated, e.g. 1.2", id="versions-custom")
            yield Static("", id="versions-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Compare", id="compare", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#compare", Button).focus()

    def selected(self) -> list[str]:
        versions = [
            self._offered[int(str(box.id).rsplit("-", 1)[1])] for box in self.query(Checkbox) if box.value
        ]
        custom = self.query_one("#versions-custom", Input).value
        versions += [part.strip() for part in custom.split(",") if part.strip()]
        latest = [v for v in versions if v == LATEST]
        return [*(v for v in versions if v != LATEST), *latest]

    @on(Button.Pressed, "#compare")
    @on(Input.Submitted, "#versions-custom")
    def _compare(self) -> None:
        from labs_tui.compare import CompareError, check_versions

        try:
            versions = check_versions(self.selected())
        except CompareError as error:
            self.query_one("#versions-error", Static).update(literal(str(error)))
            return
        self.dismiss(versions)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


def _status(response: VersionResponse) -> str:
    result = response.result
    if result.network_error is not None:
        return "no answer"
    return str(result.status)


def side_title(response: VersionResponse) -> Text:
    """``1.0 · served 1.0 · 200 · schema ok · requestId c0…``; a 429 says so with its retry time."""
    result, diagnosis = response.result, response.diagnosis
    parts = [response.version]
    if result.network_error is not None:
        parts.append(f"no answer: {result.network_error.message}")
    else:
        parts.append(f"served {diagnosis.served_version or '?'}")
        status = str(result.status)
        if result.status == 429:
            wait = diagnosis.retry_after_s
            status += f" · retry in {wait:.0f} s" if wait is not None else " · retry later"
        parts.append(status)
        checked = response.validation
        if checked is not None and checked.skipped is None:
            count = len(checked.errors)
            plural = "s" if count != 1 else ""
            parts.append(f"{count} schema problem{plural}" if count else "schema ok")
        parts.append(f"requestId {diagnosis.request_id or 'none'}")
    return literal(" · ".join(parts), "bold" if result.status != 429 else "bold yellow")


def summary_text(comparison: Comparison) -> str:
    """``1 renamed · 0 added · 0 removed · 0 changed · 200 = 200`` (or why nothing was compared)."""
    responses = comparison.responses
    statuses = [_status(r) for r in responses]
    if len(responses) > 2:
        return " · ".join(statuses)
    status = (
        f"{statuses[0]} = {statuses[1]}" if statuses[0] == statuses[1] else f"{statuses[0]} ≠ {statuses[1]}"
    )
    limited = [r for r in responses if r.result.status == 429]
    failed = [r for r in responses if r.result.network_error is not None]
    if limited or failed:
        why = [f"{r.version} was rate-limited (429)" for r in limited]
        why += [f"{r.version} got no answer" for r in failed]
        return f"not compared: {', '.join(why)} · {status}"
    counts = Counter(change.kind for change in comparison.changes)
    parts = [f"{counts[kind]} {kind}" for kind in ("renamed", "added", "removed", "changed")]
    if counts["type_changed"]:
        parts.append(f"{counts['type_changed']} type changed")
    if counts["header"]:
        parts.append(f"{counts['header']} header{'s' if counts['header'] != 1 else ''}")
    parts.append(status)
    return " · ".join(parts)


class CompareScreen(LabsScreen[None]):
    CSS_PATH = "compare.tcss"
    BINDINGS = [
        Binding("n", "next_difference", "next difference", id="compare-next"),
        Binding("p", "previous_difference", "previous difference", id="compare-previous"),
        Binding("escape", "back", "back", id="compare-back"),
    ]

    def __init__(
        self,
        request: CallRequest,
        versions: Sequence[str],
        *,
        profile: Profile,
        title: str,
        allow_unsafe: bool = False,
        spec: Spec | None = None,
        operation: Operation | None = None,
    ) -> None:
        super().__init__()
        self.request = request
        self.spec = spec
        self.operation = operation
        self.versions = tuple(versions)
        self.profile = profile
        self._title = title
        self._allow_unsafe = allow_unsafe
        self.comparison: Comparison | None = None
        self.error: str | None = None
        self.hunks: list[int] = []
        self.position: int | None = None

    @property
    def matrix_mode(self) -> bool:
        return len(self.versions) > 2

    def compose(self) -> ComposeResult:
        title = literal(self._title)
        if tls_unverified(self.profile):  # this view covers the header and its marker: say it here too
            title.append_text(Text.assemble("  ", (f" {TLS_MARKER} ", "bold reverse")))
        yield Static(title, id="compare-title")
        with Horizontal(id="compare-top"):
            yield Static(Text("comparing…", style="italic"), id="compare-summary")
            yield Static("", id="compare-position")
        if self.matrix_mode:
            yield MatrixTable(id="compare-matrix")
        else:
            with Horizontal(id="compare-sides"):
                yield CompareSide(id="compare-left")
                yield CompareSide(id="compare-right")
        yield Static("", id="compare-details")
        yield KeyBar()

    @property
    def sides(self) -> tuple[CompareSide, CompareSide]:
        return self.query_one("#compare-left", CompareSide), self.query_one("#compare-right", CompareSide)

    @property
    def summary(self) -> str:
        return str(self.query_one("#compare-summary", Static).render())

    def on_mount(self) -> None:
        if not self.matrix_mode:
            left, right = self.sides
            for side, version in ((left, self.versions[0]), (right, self.versions[1])):
                side.colours = self.labs.syntax_colours
                side.border_title = literal(f"{version} · sending…")
                side.show_lines(())
            self.watch(left.line_view, "scroll_y", self._follow_left, init=False)
            self.watch(right.line_view, "scroll_y", self._follow_right, init=False)
            left.line_view.focus()
        else:
            self.query_one(MatrixTable).focus()
        self._run()

    def _follow_left(self, y: float) -> None:
        self.sides[1].line_view.scroll_to(y=y, animate=False, immediate=True)

    def _follow_right(self, y: float) -> None:
        self.sides[0].line_view.scroll_to(y=y, animate=False, immediate=True)

    @work(exclusive=True, group="compare", exit_on_error=False)
    async def _run(self) -> None:
        from labs_tui.compare import CompareError, compare_versions

        settings = self.labs.settings
        try:
            client = await self.labs.shared_client(self.profile)
            comparison = await compare_versions(
                client,
                self.request,
                self.versions,
                allow_unsafe=self._allow_unsafe,
                now=settings.clock(),
                spec=self.spec,
                operation=self.operation,
            )
        except CompareError as error:
            self.post_message(CompareFinished(error=" ".join(str(error).split())))
            return
        hook = settings.result_hook
        if hook is not None:
            responses = tuple(dataclasses.replace(r, result=hook(r.result)) for r in comparison.responses)
            comparison = dataclasses.replace(comparison, responses=responses)
        self.post_message(CompareFinished(comparison=comparison))

    @on(CompareFinished)
    def _finished(self, message: CompareFinished) -> None:
        if message.error is not None or message.comparison is None:
            self.error = message.error or "the comparison did not run"
            self.query_one("#compare-summary", Static).update(
                literal(f"not compared: {self.error}", "bold red")
            )
            return
        comparison: Comparison = message.comparison
        self.comparison = comparison
        self.refresh_bindings()  # n / p become available: the key bar shows them now, not on the next key
        for response in comparison.responses:
            self.labs.record_history(response.result, response.diagnosis, self.profile)
        self.render_comparison()

    def theme_applied(self, name: str) -> None:
        self.render_comparison()

    def render_comparison(self) -> None:
        comparison = self.comparison
        if comparison is None:
            return
        diff = self.labs.diff_colours
        summary = literal(summary_text(comparison), "bold")  # versions are spec or user text
        if self.matrix_mode:
            from labs_tui.compare import matrix

            table = self.query_one(MatrixTable)
            table.show(self.versions, matrix(comparison), diff)
            self.hunks = list(table.differing)
            summary = Text.assemble(
                (
                    f"{len(self.hunks)} of {table.row_count} rows differ"
                    f" across {len(self.versions)} versions",
                    "bold",
                ),
                " · statuses ",
                literal(summary_text(comparison)),
            )
        else:
            self._render_sides(comparison, diff)
        self.query_one("#compare-summary", Static).update(summary)
        self.query_one("#compare-details", Static).update(self._details(comparison, diff))
        self.position = None

    def _render_sides(self, comparison: Comparison, diff: DiffColours) -> None:
        from labs_tui.compare import aligned_sides

        left, right = self.sides
        a, b = comparison.responses[0], comparison.responses[1]
        left.border_title = side_title(a)
        right.border_title = side_title(b)
        aligned = aligned_sides(comparison, 0, 1)
        if aligned is not None:
            left.show_marked(aligned.left, aligned.marks, aligned.labels, diff)
            right.show_marked(aligned.right, aligned.marks, aligned.labels, diff)
            self.hunks = aligned.hunks()
            return
        self.hunks = []
        for side, response in ((left, a), (right, b)):
            side.show_plain(*self._plain(response))

    @staticmethod
    def _plain(response: VersionResponse) -> tuple[list[str], str | None]:
        result = response.result
        if result.network_error is not None:
            return [f"No answer: {result.network_error.message}"], None
        if result.content_kind == "json":
            return plain_lines(result.json), "json"
        return (result.text or f"<{result.content_kind} body, {result.size} bytes>").split("\n")[:5000], None

    def _details(self, comparison: Comparison, diff: DiffColours) -> Text:
        lines: list[Text] = []
        if not self.matrix_mode:
            from labs_tui.compare import side_by_side

            for row in side_by_side(comparison, 0, 1):
                if row.section not in ("status", "header") or row.mark == "=":
                    continue
                label = "status" if row.section == "status" else f"header {row.path}"
                line = Text.assemble((f"~ {label}: ", f"bold {diff.changed}"))
                line.append_text(literal(f"{row.left or '(none)'}  ->  {row.right or '(none)'}"))
                lines.append(line)
        for note in comparison.notes:
            lines.append(literal(f"note: {note}", "italic"))
        if not lines:
            same = "statuses are in the first row" if self.matrix_mode else "status and headers are the same"
            lines.append(Text(same, style="dim"))
        return Text("\n").join(lines)

    # -- navigation ------------------------------------------------------------------------------

    def action_next_difference(self) -> None:
        self._jump(1)

    def action_previous_difference(self) -> None:
        self._jump(-1)

    def _jump(self, step: int) -> None:
        if not self.hunks:
            self.notify("no differences to jump to", severity="information")
            return
        if self.position is None:
            self.position = 0 if step > 0 else len(self.hunks) - 1
        else:
            self.position = (self.position + step) % len(self.hunks)
        line = self.hunks[self.position]
        if self.matrix_mode:
            self.query_one(MatrixTable).move_cursor(row=line)
        else:
            for side in self.sides:
                side.line_view.move_cursor(line)
        position = f"difference {self.position + 1}/{len(self.hunks)}"
        self.query_one("#compare-position", Static).update(Text(position, style="dim"))

    @property
    def current_line(self) -> int | None:
        """The line (or matrix row) of the difference last jumped to."""
        return self.hunks[self.position] if self.position is not None and self.hunks else None

    def action_back(self) -> None:
        self.dismiss(None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("next_difference", "previous_difference"):
            return self.comparison is not None
        return True


def versions_title(method: str, path: str) -> str:
    return f"Compare {method} {path}"


def unsafe_question(method: str, count: int) -> str:
    return (
        f"{method} may change data, and comparing sends it {count} times (once per version). Send it anyway?"
    )


__all__ = [
    "CompareScreen",
    "VersionsScreen",
    "default_versions",
    "side_title",
    "summary_text",
    "unsafe_question",
    "versions_title",
]
