"""``call`` / ``compare`` with ``[METHOD] PATH|OPERATION_ID``: one positional is the target."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from labs_tui.cli import main

PETSTORE = str(Path(__file__).resolve().parents[2] / "data/specs/third_party/petstore-3.0.json")


def run(*args: str) -> Any:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_an_operation_id_alone_brings_its_method(sandbox: Any) -> None:
    result = run("call", "getExampleDemo", "--base-url", sandbox.base_url, "--json")
    assert result.exit_code == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer["status"] == 200 and answer["request"]["method"] == "GET"


def test_a_third_party_operation_id_alone() -> None:
    result = run("call", "--spec", PETSTORE, "getPetById", "-p", "petId=1", "--curl")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("curl ") and "/pet/1 " in result.stdout
    assert "-X" not in result.stdout  # GET


def test_method_and_path_as_one_argument() -> None:
    result = run("call", "--spec", PETSTORE, "DELETE /pet/{petId}", "-p", "petId=3", "--curl")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("curl -X DELETE ") and "/pet/3 " in result.stdout


def test_a_path_with_one_listed_method_uses_it_with_a_note() -> None:
    result = run("call", "/examples/demo", "--curl")
    assert result.exit_code == 0, result.stderr
    assert "note: /examples/demo: the spec lists only GET for this path; sending GET" in result.stderr
    assert "/examples/demo " in result.stdout and "-X" not in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["call", "--spec", PETSTORE, "/pet/1"], "error: a METHOD is needed before /pet/1: the spec lists"),
        (["call", "/not/listed"], "error: a METHOD is needed before /not/listed"),
        (["call", "https://example.test/x"], "error: a METHOD is needed before a URL"),
        (["call", "GET"], "error: Missing argument: PATH|OPERATION_ID after GET"),
        (["call", "POST", "getExampleDemo"], "error: getExampleDemo is GET /examples/demo, not POST"),
        (["compare", "--spec", PETSTORE, "/pet/1", "--versions", "1.0,latest"], "error: a METHOD is needed"),
        (["compare", "--spec", PETSTORE, "addPet", "--versions", "1.0,latest"], "error: refusing to send"),
    ],
)  # fmt: skip
def test_a_target_without_its_method_is_one_line_exit_2(args: list[str], message: str) -> None:
    result = run(*args)
    assert result.exit_code == 2
    assert result.stderr.startswith(message), result.stderr
    assert result.stderr.count("\n") == 1


def test_compare_takes_an_operation_id_alone(sandbox: Any) -> None:
    result = run("compare", "getExampleDemo", "--versions", "1.0,latest", "--base-url", sandbox.base_url)
    assert result.exit_code == 1, result.stderr  # the versions differ
    assert "1 renamed: name -> proofOfConcept" in result.stdout


def test_help_and_usage_agree() -> None:
    for command in ("call", "compare"):
        usage = run(command, "--help").stdout
        assert f"{command} [OPTIONS] [METHOD] PATH|OPERATION_ID" in usage


def test_with_from_one_positional_overrides_the_path_or_the_method(tmp_path: Path) -> None:
    saved = tmp_path / "x.yaml"
    saved.write_text("labs-tui-request: 1\nname: x\nmethod: GET\npath: /examples/demo\n")
    other = run("call", "--from", str(saved), "/examples/other", "--curl")
    assert other.exit_code == 0, other.stderr
    assert "/labs/v1/examples/other " in other.stdout and "-X" not in other.stdout
    post = run("call", "--from", str(saved), "POST", "--curl")
    assert post.exit_code == 0, post.stderr
    assert post.stdout.startswith("curl -X POST ") and "/examples/demo " in post.stdout
