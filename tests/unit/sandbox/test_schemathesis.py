"""The sandbox judged by Schemathesis: ``st run`` with every check against the sandbox on loopback.

Each spec is served ``stateful`` (so the stateful phase's use-after-free and created-resource
checks can pass) and fuzzed over all phases (examples, coverage, fuzzing, stateful) with a fixed
seed and a bounded number of examples, so a run is repeatable and takes seconds. To rerun one by
hand, with more examples: start ``labs-tui sandbox --spec FILE --stateful --rate-limit off --port 0``
and run the command this test builds (``st run FILE --url BASE --checks all ...``).

The third-party specs and why one of them needs a Schemathesis config are described in
tests/data/specs/third_party/README.md.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from labs_tui.spec import BUNDLED_SPEC

THIRD_PARTY = Path(__file__).resolve().parents[2] / "data" / "specs" / "third_party"
ST = shutil.which("st", path=str(Path(sys.executable).parent)) or shutil.which("st")

CASES = [
    pytest.param(Path(BUNDLED_SPEC), 10, id="labs"),
    pytest.param(THIRD_PARTY / "petstore-3.0.json", 5, id="petstore-3.0"),
    pytest.param(THIRD_PARTY / "uspto-3.0.json", 10, id="uspto-3.0"),
    pytest.param(THIRD_PARTY / "train-travel-3.1.json", 5, id="train-travel-3.1"),
]


@pytest.mark.skipif(ST is None, reason="schemathesis (the test extra) is not installed")
@pytest.mark.parametrize(("spec", "examples"), CASES)
def test_schemathesis_finds_no_failure(
    make_sandbox: Callable[..., Any], tmp_path: Path, spec: Path, examples: int
) -> None:
    handle = make_sandbox(spec=spec, rate_limit=None, stateful=True)
    config = spec.with_name(spec.stem + ".schemathesis.toml")
    command: list[str] = [str(ST)]
    if config.exists():
        command += ["--config-file", str(config)]  # its carve-outs; every other check stays on
    command += ["run", str(spec), "--url", handle.base_url]
    if not config.exists():
        command += ["--checks", "all"]  # on the command line it would override the config's carve-outs
    command += [
        "--max-examples",
        str(examples),
        "--seed",
        "1",
        "--generation-database",
        "none",
        "--request-timeout",
        "5",
        "--no-color",
        "-H",
        "Authorization: Bearer sandbox-token",
        "-H",
        "api_key: sandbox-token",
    ]
    env = {**os.environ, "SCHEMATHESIS_HOOKS": "", "NO_COLOR": "1"}
    result = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=120, env=env)
    summary = result.stdout[-4000:]
    assert result.returncode == 0, summary + result.stderr[-2000:]
    assert "generated" in summary  # it did run cases
