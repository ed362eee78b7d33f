"""The compare region: aligned marked lines (``layout``), a marked body view per side, the matrix.

Other packages import from here only; the modules beside this file are private to the region.
"""

from labs_tui.tui.widgets.compare.layout import Aligned, align, plain_lines
from labs_tui.tui.widgets.compare.matrix import MatrixTable
from labs_tui.tui.widgets.compare.side import CompareSide, MarkedLineView

__all__ = ["Aligned", "CompareSide", "MarkedLineView", "MatrixTable", "align", "plain_lines"]
