"""A spec that pins no versions: `call --pin` and `compare` still send the header and say so."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from labs_tui.cli import main

TRAIN = Path(__file__).resolve().parents[2] / "data" / "specs" / "third_party"


def train_travel() -> str:
    found = sorted(TRAIN.glob("train-travel*"))
    assert found, "the Train Travel spec is in tests/data"
    return str(found[0])


def test_call_pin_on_a_spec_without_versions_says_so() -> None:
    result = CliRunner().invoke(
        main, ["call", "GET", "/stations", "--spec", train_travel(), "--pin", "1.0", "--json"]
    )
    assert "declares no X-Labs-API-Version header; --pin sends it anyway" in result.stderr
    headers = json.loads(result.stdout)["request"]["headers"]
    assert headers["x-labs-api-version"] == "1.0"


def test_compare_on_a_spec_without_versions_says_so() -> None:
    result = CliRunner().invoke(
        main, ["compare", "GET", "/stations", "--spec", train_travel(), "--versions", "1.0,latest"]
    )
    assert result.exit_code in (0, 1), result.output
    assert "declares no X-Labs-API-Version header; each version is sent in it anyway" in result.stderr


def test_the_labs_spec_still_pins() -> None:
    result = CliRunner().invoke(main, ["call", "GET", "/examples/demo", "--pin", "1.0", "--json"])
    assert result.exit_code == 0, result.output
    assert "declares no" not in result.stderr
    assert json.loads(result.stdout)["request"]["headers"]["x-labs-api-version"] == "1.0"
