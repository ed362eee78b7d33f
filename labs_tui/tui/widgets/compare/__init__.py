"""The compare region: a marked body view per side, and the matrix for three or more versions.

The aligned, marked lines they show come from the core (``labs_tui.compare.align``). Other packages
import from here only; the modules beside this file are private to the region.
"""

from labs_tui.tui.widgets.compare.matrix import MatrixTable
from labs_tui.tui.widgets.compare.side import CompareSide, MarkedLineView

__all__ = ["CompareSide", "MarkedLineView", "MatrixTable"]
