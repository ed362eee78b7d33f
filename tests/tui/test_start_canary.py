"""Canary for the one place labs-tui leans on Textual's private API: ``LabsApp._display`` (the first frame).

If Textual renames or reshapes any name used there, these fail with a message saying what to re-check,
instead of the first frame quietly going wrong. Textual is pinned exactly in pyproject.toml; a bump
of that pin must pass this file first.
"""

from __future__ import annotations

import inspect
from importlib.metadata import version
from pathlib import Path

from textual._compositor import Compositor
from textual.app import App
from textual.screen import Screen

from labs_tui.tui.app import LabsApp

REVIEW = (
    "LabsApp._display (labs_tui/tui/app.py) relies on it: re-read Textual's App._display and "
    "batch handling before changing the pin"
)


def pinned_textual() -> str:
    pyproject = (Path(__file__).resolve().parents[2] / "pyproject.toml").read_text()
    pins = [line.strip(' ",') for line in pyproject.splitlines() if line.strip().startswith('"textual')]
    assert len(pins) == 1, f"expected one textual requirement in pyproject.toml, found {pins}"
    assert pins[0].startswith("textual=="), f"Textual must be pinned exactly (textual==X.Y.Z): {pins[0]}"
    return pins[0].removeprefix("textual==")


def test_textual_is_the_pinned_version() -> None:
    assert version("textual") == pinned_textual(), f"installed Textual is not the pinned one; {REVIEW}"


def test_app_display_keeps_its_name_and_signature() -> None:
    assert "_display" in vars(App), f"textual.app.App._display is gone; {REVIEW}"
    parameters = list(inspect.signature(App._display).parameters)
    assert parameters == ["self", "screen", "renderable"], f"App._display{parameters}; {REVIEW}"
    ours = list(inspect.signature(LabsApp._display).parameters)
    assert ours == parameters, "LabsApp._display must take what App._display takes"


def test_app_display_still_drops_frames_inside_a_batch() -> None:
    """The override exists because Textual drops frames drawn in a batch; if that changes, re-think it."""
    source = inspect.getsource(App._display)
    assert "self._batch_count" in source, f"App._display no longer checks _batch_count; {REVIEW}"


def test_private_state_the_override_reads_still_exists() -> None:
    app = App[None]()
    assert isinstance(getattr(app, "_batch_count", None), int), f"App._batch_count is gone; {REVIEW}"
    assert hasattr(App, "_background_screens"), f"App._background_screens is gone; {REVIEW}"
    assert isinstance(inspect.getattr_static(App, "_background_screens"), property), REVIEW
    assert "self._compositor = Compositor()" in inspect.getsource(Screen.__init__), (
        f"Screen._compositor is gone; {REVIEW}"
    )


def test_compositor_render_update_signature() -> None:
    assert hasattr(Compositor, "render_update"), f"Compositor.render_update is gone; {REVIEW}"
    parameters = inspect.signature(Compositor.render_update).parameters
    assert {"full", "screen_stack"} <= set(parameters), f"render_update{list(parameters)}; {REVIEW}"
