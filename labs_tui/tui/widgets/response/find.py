"""Finding text in a body: the search over prepared lines (run in a thread) and the view's find bar.

``find_matches`` is the search itself, case-insensitive, bounded by ``MAX_MATCHES``; ``LineView`` runs it
in a thread worker over the lines prepared so far. ``FindBar`` is the part of ``BodyView`` that owns the
find bar (ctrl+f, enter/F3 next, shift+F3 previous, esc), built the first time search is used, and its
counter ("3/12", "no match", "searching…").
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Input, Static

if TYPE_CHECKING:
    from labs_tui.tui.widgets.response.line_view import LineView

__all__ = ["FindBar", "MAX_MATCHES", "Match", "SEARCH_PLACEHOLDER", "find_matches"]

MAX_MATCHES = 100_000
SEARCH_PLACEHOLDER = "find in body (enter: next, shift+F3: previous, esc: close)"


@dataclass(frozen=True)
class Match:
    line: int
    start: int
    end: int


def find_matches(lines: Sequence[str], query: str, stopped: Callable[[], bool]) -> list[Match] | None:
    """Where ``query`` occurs in ``lines`` (case-insensitive), at most ``MAX_MATCHES``; None if stopped."""
    matches: list[Match] = []
    if not query:
        return matches
    needle = query.lower()
    size = len(query)
    for number, line in enumerate(lines):
        if number & 4095 == 0 and stopped():
            return None
        low = line.lower()
        if len(low) != len(line):
            low, needle_here = line, query
        else:
            needle_here = needle
        start = low.find(needle_here)
        while start != -1 and len(matches) < MAX_MATCHES:
            matches.append(Match(number, start, start + size))
            start = low.find(needle_here, start + max(size, 1))
        if len(matches) >= MAX_MATCHES:
            break
    return matches


class FindBar(Widget):
    """The find bar of ``BodyView`` (a base class of it, not a widget of its own)."""

    _bar: Horizontal | None
    _count_text: str
    _query: str

    if TYPE_CHECKING:

        @property
        def line_view(self) -> LineView: ...

        def close_filter(self) -> None: ...

    async def _search_bar(self) -> Horizontal:
        """The find bar under the lines, built when search is first used (most views never search)."""
        if self._bar is None:
            self._bar = Horizontal(id="search-bar")
            await self.mount(self._bar)
            await self._bar.mount_all(
                [
                    Input(placeholder=SEARCH_PLACEHOLDER, id="search-input"),
                    Static(Text(self._count_text), id="search-count"),
                ]
            )
        return self._bar

    @property
    def search_status(self) -> str:
        """What the find bar's counter says ("3/12", "no match", "searching…"), bar built or not."""
        return self._count_text

    def _set_count(self, text: str) -> None:
        self._count_text = text
        if self._bar is not None:
            for count in self._bar.query("#search-count").results(Static):
                count.update(Text(text))

    async def action_open_search(self) -> None:
        bar = await self._search_bar()
        bar.add_class("-open")
        bar.query_one("#search-input", Input).focus()

    def action_close_search(self) -> None:
        bar = self._bar
        if bar is None or not bar.has_class("-open"):
            self.close_filter()
            return
        bar.remove_class("-open")
        self.line_view.focus()

    def action_next_match(self) -> None:
        self.line_view.goto_match(forward=True)
        self._show_count()

    def action_previous_match(self) -> None:
        self.line_view.goto_match(forward=False)
        self._show_count()

    def search(self, query: str) -> None:
        """Search for ``query`` as if typed in the search bar (empty clears the marks)."""
        self._query = query
        self._set_count("searching…" if query else "")
        self.line_view.search(query)

    def _rerun_search(self) -> None:
        if self._query:
            self.search(self._query)

    @on(Input.Changed, "#search-input")
    def _on_query_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.search(event.value)

    @on(Input.Submitted, "#search-input")
    def _on_query_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_next_match()

    def _show_count(self, partial: bool = False) -> None:
        view = self.line_view
        count = view.match_count
        if not self._query:
            text = ""
        elif count == 0:
            text = "no match"
        elif view.current_match is None:
            text = f"{count} match{'es' if count != 1 else ''}"
        else:
            text = f"{view.current_match + 1}/{count}"
        if partial and self._query:
            text += " (preparing…)"
        self._set_count(text)
