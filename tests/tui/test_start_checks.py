"""Deterministic start checks CI can hold (the benchmarks only inform): what exists at the first paint.

A fresh interpreter starts the app (headless, temporary XDG dirs) and, at the first frame the app
draws outside Textual's start-up batch, records the widgets on the screen and the modules imported.
Two budgets follow: a ceiling on the first screen's widgets, and modules that must wait until they are
used (the response's table and editor, syntax highlighting, the HTTP client, the history database,
the sandbox server, the screens opened on demand). Timings vary with the machine; these do not.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]

MAX_FIRST_SCREEN_WIDGETS = {"": 36, "GET /examples/demo": 45}
"""Widgets on the first screen (the screen's descendants), by ``--endpoint``. Measured with Textual 8.2.8
and its Select as the pin picker: 33 with no endpoint, 41 with one open (its Body editor and Docs view
are built when it opens). Every widget costs style matching and layout before the first paint: raise
these only with a reason."""

NOT_BEFORE_FIRST_PAINT = (
    "textual.widgets._data_table",  # the response's Headers table: built when that tab is shown
    "textual.widgets._markdown",
    "tree_sitter",
    "pygments",  # syntax colours for a response body: none to colour yet
    "httpx",  # the client: imported by the first send
    "httpcore",
    "sqlite3",  # the history: opened in a worker after the first refresh
    "labs_tui.store.history",
    "jsonschema",
    "http.server",  # the embedded sandbox: started in a worker after the first refresh
    "labs_tui.sandbox",
    "labs_tui.compare",
    "labs_tui.tui.screens.compare",
    "labs_tui.tui.screens.history",
    "labs_tui.tui.screens.help",
    "labs_tui.tui.widgets.response.error_panel",
)

NOT_BEFORE_FIRST_PAINT_WITHOUT_ENDPOINT = ("textual.widgets._text_area",)
"""With no endpoint open. Opening one (``--endpoint``) builds its Body tab's editor (a TextArea) today."""

CHILD = textwrap.dedent(
    """
    import json, sys

    from labs_tui.tui.app import LabsApp, make_app
    from labs_tui.tui.settings import Settings

    found = {}
    display = LabsApp._display

    def first_frame(self, screen, renderable):
        if renderable is not None and not self._batch_count and not found:
            found["modules"] = sorted(sys.modules)
            found["widgets"] = sorted(type(node).__name__ for node in screen.query("*"))
            found["screen"] = type(screen).__name__
            self.exit()
        display(self, screen, renderable)

    LabsApp._display = first_frame
    endpoint = sys.argv[1] or None
    make_app(Settings(endpoint=endpoint, env={})).run(headless=True, size=(140, 45))
    print(json.dumps(found))
    """
)


@pytest.fixture(scope="module", params=["", "GET /examples/demo"], ids=["no-endpoint", "endpoint"])
def first_paint(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    home = tmp_path_factory.mktemp("start")
    script = home / "first_paint.py"
    script.write_text(CHILD)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LABS_TUI", "XDG_", "PYTEST"))}
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        env[name] = str(home / name.lower())
    env["PYTHONPATH"] = str(ROOT)
    done = subprocess.run(
        [sys.executable, str(script), request.param],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    assert done.returncode == 0 and lines, done.stderr[-2000:]
    found: dict[str, Any] = json.loads(lines[-1])
    assert found.get("screen") == "MainScreen", found.get("screen")
    found["endpoint"] = request.param
    return found


def test_first_screen_widget_budget(first_paint: dict[str, Any]) -> None:
    widgets: list[str] = first_paint["widgets"]
    budget = MAX_FIRST_SCREEN_WIDGETS[first_paint["endpoint"]]
    assert len(widgets) <= budget, (
        f"the first screen has {len(widgets)} widgets, over the budget of {budget}"
        f" (tests/tui/test_start_checks.py): build what is not seen at first sight when it is first"
        f" shown, or raise the budget with a reason. Widgets: {widgets}"
    )


@pytest.mark.parametrize("module", NOT_BEFORE_FIRST_PAINT + NOT_BEFORE_FIRST_PAINT_WITHOUT_ENDPOINT)
def test_module_not_imported_before_the_first_paint(first_paint: dict[str, Any], module: str) -> None:
    if first_paint["endpoint"] and module in NOT_BEFORE_FIRST_PAINT_WITHOUT_ENDPOINT:
        pytest.skip("an endpoint open at start builds its Body editor")
    loaded = [name for name in first_paint["modules"] if name == module or name.startswith(module + ".")]
    assert not loaded, (
        f"{module} is imported before the first paint ({loaded[:5]}): import it where it is first"
        f" used, so the first screen does not wait for it (tests/tui/test_start_checks.py)"
    )
