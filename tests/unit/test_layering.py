"""The core never imports Textual: checked in a fresh interpreter, where nothing else could have."""

from __future__ import annotations

import subprocess
import sys

CORE = ["labs_tui.spec", "labs_tui.client", "labs_tui.compare", "labs_tui.sandbox", "labs_tui.store"]


def test_core_packages_do_not_import_textual() -> None:
    # Every exported name is touched: the packages export lazily, so importing them alone
    # would load (and check) almost nothing.
    code = (
        "import importlib, pkgutil, sys\n"
        f"for name in {CORE!r}:\n"
        "    package = importlib.import_module(name)\n"
        "    for exported in getattr(package, '__all__', ()):\n"
        "        getattr(package, exported)\n"
        "    for info in pkgutil.iter_modules(package.__path__):\n"
        "        importlib.import_module(f'{name}.{info.name}')\n"
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_cli_help_does_not_import_textual() -> None:
    code = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from labs_tui.cli import main\n"
        "r = CliRunner().invoke(main, ['--help'])\n"
        "assert r.exit_code == 0, r.output\n"
        "print('textual' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
