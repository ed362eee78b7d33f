"""The compare engine: one request under N versions, a structural JSON diff, aligned rows to show it,
and what changed between two versions of a spec (``diff_specs``, rules in ``breaking.RULES``).

Other packages import from here only. No Textual, no printing: the CLI and the TUI render the
``Comparison``, ``Change`` and ``Row`` data returned here.

The engine and the view are exported lazily (PEP 562 ``__getattr__``), so a screen that only needs
the diff's data types does not import the client; ``diff`` (also a submodule's name) stays eager.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from labs_tui.compare.diff import MISSING, Change, ChangeKind, IdStep, diff, json_type, render_path
from labs_tui.lazy import lazy_exports

if TYPE_CHECKING:
    from labs_tui.compare.aligned import Aligned, align, plain_lines
    from labs_tui.compare.breaking import RULES, Rule, is_breaking
    from labs_tui.compare.engine import (
        UNSAFE_METHODS,
        VOLATILE_HEADERS,
        CompareError,
        Comparison,
        VersionResponse,
        bodies_compared,
        body_value,
        check_versions,
        compare_versions,
        diff_results,
        is_volatile_header,
        json_bodies_compared,
        version_request,
    )
    from labs_tui.compare.spec_diff import Endpoint, EndpointChanges, SpecChange, SpecDiff, diff_specs
    from labs_tui.compare.view import (
        MatrixRow,
        Row,
        aligned_sides,
        flatten,
        matrix,
        side_by_side,
        summary_line,
    )

_HOMES = {
    "labs_tui.compare.aligned": ("Aligned", "align", "plain_lines"),
    "labs_tui.compare.engine": (
        "UNSAFE_METHODS",
        "VOLATILE_HEADERS",
        "CompareError",
        "Comparison",
        "VersionResponse",
        "bodies_compared",
        "body_value",
        "check_versions",
        "compare_versions",
        "diff_results",
        "is_volatile_header",
        "json_bodies_compared",
        "version_request",
    ),
    "labs_tui.compare.breaking": ("RULES", "Rule", "is_breaking"),
    "labs_tui.compare.spec_diff": ("Endpoint", "EndpointChanges", "SpecChange", "SpecDiff", "diff_specs"),
    "labs_tui.compare.view": (
        "MatrixRow",
        "Row",
        "aligned_sides",
        "flatten",
        "matrix",
        "side_by_side",
        "summary_line",
    ),
}

__all__ = [
    "MISSING",
    "RULES",
    "Endpoint",
    "EndpointChanges",
    "Rule",
    "SpecChange",
    "SpecDiff",
    "diff_specs",
    "is_breaking",
    "Aligned",
    "align",
    "aligned_sides",
    "plain_lines",
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
    "bodies_compared",
    "body_value",
    "check_versions",
    "compare_versions",
    "diff",
    "diff_results",
    "flatten",
    "is_volatile_header",
    "json_bodies_compared",
    "json_type",
    "matrix",
    "render_path",
    "side_by_side",
    "summary_line",
    "version_request",
]


if not TYPE_CHECKING:  # mypy sees the imports above, so a misspelt name is still an error
    __getattr__, __dir__ = lazy_exports(__name__, _HOMES)
