"""The history region: the table of stored calls. Other packages import from here only."""

from labs_tui.tui.widgets.history.table import HistoryTable, row_path, row_time

__all__ = ["HistoryTable", "row_path", "row_time"]
