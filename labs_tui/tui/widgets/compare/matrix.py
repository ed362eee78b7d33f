"""Three or more versions at once: a table with one row per key path and one column per version.

Rows come from ``labs_tui.compare.matrix``; a row whose values differ is drawn in the theme's
"changed" colour, a key renamed between versions (one row, ``name -> proofOfConcept``) in its
"renamed" colour, as the two-version view marks it; both are where ``n`` / ``p`` stop. Every cell is
server data, shown literally.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widgets import DataTable

from labs_tui.compare import MatrixRow
from labs_tui.tui.text import literal
from labs_tui.tui.themes import DiffColours

CELL_LIMIT = 60


def _cell(value: str | None) -> Text:
    if value is None:
        return Text("—", style="dim")
    shown = value if len(value) <= CELL_LIMIT else value[: CELL_LIMIT - 1] + "…"
    return literal(shown)


class MatrixTable(DataTable[Text]):
    """``show(versions, rows)``; ``differing`` lists the row indexes whose values are not all equal."""

    DEFAULT_CSS = """
    MatrixTable { height: 1fr; border: round $primary-muted; }
    MatrixTable:focus { border: round $accent; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self.differing: list[int] = []

    def show(self, versions: Sequence[str], rows: Sequence[MatrixRow], diff: DiffColours) -> None:
        self.clear(columns=True)
        self.add_column("path", key="path")
        for index, version in enumerate(versions):
            self.add_column(literal(version), key=f"v{index}")
        self.add_column("", key="mark")
        self.differing = []
        for index, row in enumerate(rows):
            changed = row.mark != "="
            if changed:
                self.differing.append(index)
            colour = diff.renamed if row.mark == ">" else diff.changed
            path = literal(row.path, f"bold {colour}" if changed else "")
            label = "> renamed" if row.mark == ">" else "~ differs"
            mark = Text(label, style=f"bold {colour}") if changed else Text("")
            self.add_row(path, *(_cell(v) for v in row.values), mark)
