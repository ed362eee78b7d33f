"""``labs-tui endpoints`` and ``describe``: output shapes, one-line errors with exit 2, safe text."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from labs_tui.cli import main

ROOT = Path(__file__).resolve().parents[3]
BAD = sorted((ROOT / "tests" / "data" / "specs" / "bad").iterdir())


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def test_endpoints_json_lists_the_bundled_demo() -> None:
    code, out, err = run("endpoints", "--json")
    assert code == 0 and err == ""
    assert json.loads(out) == [
        {
            "method": "GET",
            "path": "/examples/demo",
            "operationId": "GetExampleDemo",
            "summary": "Demonstrate minor-version pinning",
            "tags": ["Examples"],
            "deprecated": False,
        }
    ]


def test_endpoints_groups_by_first_tag_and_filters(corpus: Path) -> None:
    code, out, _ = run("endpoints", "--spec", str(corpus / "params.yaml"))
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "Users"
    assert [line for line in lines if line and not line.startswith(" ")] == ["Users", "Admin", "Files"]
    assert any("DELETE" in line and "(deprecated)" in line for line in lines)
    code, out, _ = run("endpoints", "admin", "--spec", str(corpus / "params.yaml"), "--json")
    assert [row["operationId"] for row in json.loads(out)] == ["getUser", "deleteUser"]
    code, out, _ = run("endpoints", "nothing-matches", "--spec", str(corpus / "params.yaml"))
    assert code == 0 and "no operations match" in out


def test_the_group_spec_option_is_honoured(corpus: Path) -> None:
    code, out, _ = run("--spec", str(corpus / "openapi32.yaml"), "endpoints", "--json")
    assert code == 0 and [r["method"] for r in json.loads(out)] == ["QUERY", "LINK"]


@pytest.mark.parametrize("path", BAD, ids=lambda p: p.name)
def test_every_malformed_input_exits_2_with_one_line(path: Path) -> None:
    code, out, err = run("endpoints", "--spec", str(path))
    assert code == 2 and out == ""
    assert err.startswith("error: ") and err.count("\n") == 1
    assert "Traceback" not in err


def test_usage_errors_are_one_line_with_exit_2() -> None:
    code, _, err = run("endpoints", "--bogus")
    assert code == 2 and err.startswith("error: ") and err.count("\n") == 1
    code, _, err = run("describe")
    assert code == 2 and err.startswith("error: ") and err.count("\n") == 1
    code, _, err = run("describe", "a", "b", "c")
    assert code == 2 and err.startswith("error: ")


def test_describe_by_id_or_method_and_path() -> None:
    code, by_id, _ = run("describe", "GetExampleDemo")
    assert code == 0
    assert run("describe", "GET", "/examples/demo")[1] == by_id
    assert run("describe", "get /examples/demo")[1] == by_id
    assert by_id.startswith("GET /examples/demo\n")
    assert "X-Labs-API-Version (header, optional) string" in by_id
    assert "Request body: none" in by_id
    assert "  429  The endpoint's rate limit was exceeded." in by_id
    assert "header Retry-After: integer" in by_id
    assert "schema: Error object" in by_id


def test_describe_unknown_operation_suggests_close_names() -> None:
    code, _, err = run("describe", "GetExampleDem")
    assert code == 2
    assert err.startswith("error: no operation 'GetExampleDem' in bundled; did you mean 'GetExampleDemo'")


def test_describe_marks_cycles_and_shows_an_example(corpus: Path) -> None:
    code, out, _ = run("describe", "createNode", "--spec", str(corpus / "cycles.yaml"))
    assert code == 0
    assert "parent: Node (cycle: refers back to itself, not expanded)" in out
    assert '"name": "string"' in out
    code, out, _ = run("describe", "createNode", "--spec", str(corpus / "cycles.yaml"), "--json")
    described = json.loads(out)
    body = described["requestBody"]["content"]["application/json"]
    assert body["example"] == {"name": "string", "parent": {}, "children": []}
    assert body["schema"]["properties"]["parent"] == {"$ref": "#/components/schemas/Node", "x-cycle": True}
    assert described["responses"]["201"]["content"]["application/json"]["schema"]["x-ref"].endswith("/Node")


def test_describe_json_carries_parameters_and_problems(corpus: Path) -> None:
    code, out, err = run("describe", "getBrokenParam", "--spec", str(corpus / "broken_ref.yaml"), "--json")
    assert code == 0 and err.startswith("warning: ")
    described = json.loads(out)
    assert [p["name"] for p in described["parameters"]] == ["q"]
    assert len(described["problems"]) == 1


def test_spec_text_never_reaches_the_terminal_raw(corpus: Path) -> None:
    spec = str(corpus / "control_chars.json")
    for args in (("endpoints", "--spec", spec), ("describe", "evil\x1b[31mRed", "--spec", spec)):
        code, out, _ = run(*args)
        assert code == 0
        assert "\x1b" not in out and "\x07" not in out and "\x9b" not in out and "\u202e" not in out
        assert "␛" in out
    code, out, _ = run("endpoints", "--spec", spec, "--json")
    assert "\x9b" not in out and "\u202e" not in out
    assert json.loads(out)[0]["summary"] == "clears \x1b[2J the \x9b31m screen \u202e reversed"


def test_help_documents_every_flag() -> None:
    for command in ("endpoints", "describe"):
        code, out, _ = run(command, "--help")
        assert code == 0
        for flag in ("--spec", "--json", "--help"):
            assert flag in out


def test_installed_script_prints_json() -> None:
    script = Path(sys.executable).parent / "labs-tui"
    assert script.exists()
    done = subprocess.run([str(script), "endpoints", "--json"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert {"method": "GET", "path": "/examples/demo"}.items() <= json.loads(done.stdout)[0].items()


def test_describe_keeps_the_examples_json_indentation() -> None:
    petstore = Path(__file__).resolve().parents[2] / "data" / "specs" / "third_party" / "petstore-3.0.json"
    result = CliRunner().invoke(main, ["describe", "--spec", str(petstore), "addPet"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    start = lines.index("    example:")
    assert lines[start + 1 : start + 4] == ["      {", '        "category": {', '          "id": 0,']
