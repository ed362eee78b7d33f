"""The compare engine: one request under N versions, a structural JSON diff, aligned rows to show it.

Other packages import from here only. No Textual, no printing: the CLI and the TUI render the
``Comparison``, ``Change`` and ``Row`` data returned here.
"""

from labs_tui.compare.diff import MISSING, Change, ChangeKind, IdStep, diff, json_type, render_path
from labs_tui.compare.engine import (
    UNSAFE_METHODS,
    VOLATILE_HEADERS,
    CompareError,
    Comparison,
    VersionResponse,
    check_versions,
    compare_versions,
    diff_results,
    is_volatile_header,
    version_request,
)
from labs_tui.compare.view import MatrixRow, Row, flatten, matrix, side_by_side, summary_line

__all__ = [
    "MISSING",
    "UNSAFE_METHODS",
    "VOLATILE_HEADERS",
    "Change",
    "ChangeKind",
    "CompareError",
    "Comparison",
    "IdStep",
    "MatrixRow",
    "Row",
    "VersionResponse",
    "check_versions",
    "compare_versions",
    "diff",
    "diff_results",
    "flatten",
    "is_volatile_header",
    "json_type",
    "matrix",
    "render_path",
    "side_by_side",
    "summary_line",
    "version_request",
]
