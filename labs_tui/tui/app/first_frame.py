"""The app's first frame: what Textual drops inside its start-up batch is kept and written whole.

The one place labs-tui leans on Textual's private API (``App._display``); Textual is pinned exactly and
``tests/tui/test_start_canary.py`` fails loudly when a name it reads moves. Nothing else belongs here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.app import App

if TYPE_CHECKING:
    from rich.console import RenderableType
    from textual.screen import Screen


class FirstFrameApp(App[None]):
    """The ``_display`` override, start-up only; ``LabsApp`` derives from it."""

    _held_frames: list[tuple[Screen[Any], RenderableType]]  # set in LabsApp.__init__
    _first_frame_written: bool = False

    def _display(self, screen: Screen[Any], renderable: RenderableType | None) -> None:
        """Make the first frame a terminal receives the whole screen, without drawing it twice.

        Textual drops the frames drawn inside its start-up batch (the first full frame among them),
        and the next ones carry only the regions changed since: the terminal would first show a
        patchwork (no endpoint list) and the complete screen some 30 ms later. The dropped frames are
        kept instead and written, in order, just before the first frame after the batch: together
        they are exactly the screen. If the screen changed in between, it is drawn in full instead.

        Start-up only: once a first frame has been written, every later frame goes straight to
        Textual, whose rules apply unchanged. This overrides a private method (``App._display``) and
        reads private state (``_batch_count``, ``_background_screens``, ``Screen._compositor``):
        Textual is pinned exactly in pyproject.toml and ``tests/tui/test_start_canary.py`` fails
        loudly if any of those names or signatures change.
        """
        if self._first_frame_written or renderable is None or self.is_headless:
            super()._display(screen, renderable)
            return
        if self._batch_count:
            self._held_frames.append((screen, renderable))
            return
        self._first_frame_written = True
        held, self._held_frames = self._held_frames, []
        if held and all(frame_screen is screen for frame_screen, _ in held):
            for _, frame in held:
                super()._display(screen, frame)
        elif held:
            compositor = getattr(screen, "_compositor", None)
            if compositor is not None:
                renderable = compositor.render_update(full=True, screen_stack=self._background_screens)
        super()._display(screen, renderable)
