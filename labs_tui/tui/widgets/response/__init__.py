"""The response region: ``ResponsePane`` (status line, Body / Headers / Error tabs) and the reusable
``BodyView``.

Other packages import from here only; the modules beside this file are private to the region.
"""

from labs_tui.tui.widgets.response.body_view import BodyView, LineView
from labs_tui.tui.widgets.response.highlight import SyntaxColours
from labs_tui.tui.widgets.response.pane import COPY_KINDS, ResponsePane

__all__ = ["BodyView", "COPY_KINDS", "LineView", "ResponsePane", "SyntaxColours"]
