"""``labs-tui diff-spec``: exit codes, the JSON shape, breaking-only, and spec text printed inert."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from labs_tui.cli import main

DATA = Path(__file__).resolve().parents[2] / "data" / "specs"
OLDER = str(DATA / "labs-older.yaml")


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["diff-spec", *args])
    return result.exit_code, result.stdout, result.stderr


def test_human_output_breaking_first_and_exit_1() -> None:
    code, out, err = run(OLDER, "bundled")
    assert code == 1 and err == ""
    assert out.splitlines() == [
        "1 removed, 0 added, 1 changed; 3 breaking",
        "  BREAKING  removed  GET /examples/retired",
        "",
        "GET /examples/demo  (2 breaking)",
        "  BREAKING  parameter-removed  query verbose",
        "  BREAKING  response-property-renamed  200 application/json /oneOf/0/name  name -> proofOfConcept",
    ]


def test_json_and_no_changes_exit_0() -> None:
    code, out, _ = run("bundled", "bundled", "--json")
    assert code == 0 and json.loads(out) == {"added": [], "removed": [], "changed": []}
    code, out, _ = run("bundled", OLDER, "--json")
    document = json.loads(out)
    assert code == 1 and document["added"] == [{"method": "GET", "path": "/examples/retired"}]
    assert document["removed"] == []
    (demo,) = document["changed"]
    assert {"kind": "parameter-added", "where": "query verbose", "breaking": False} in demo["changes"]
    assert {
        "kind": "response-property-renamed",
        "where": "200 application/json /oneOf/0/proofOfConcept",
        "breaking": True,
        "from": "proofOfConcept",
        "to": "name",
    } in demo["changes"]


def test_breaking_only() -> None:
    code, out, _ = run("bundled", OLDER, "--json", "--breaking-only")
    document = json.loads(out)
    assert code == 1 and document["added"] == []
    assert [c["kind"] for c in document["changed"][0]["changes"]] == ["response-property-renamed"]
    older_with_only_additions = run(OLDER, OLDER, "--breaking-only")
    assert older_with_only_additions[0] == 0 and older_with_only_additions[1].strip() == "no changes"


def test_spec_errors_are_one_line_exit_2(tmp_path: Path) -> None:
    code, out, err = run(str(tmp_path / "missing.yaml"), "bundled")
    assert code == 2 and out == "" and err.startswith("error: ") and err.count("\n") == 1
    code, _, err = run("bundled")
    assert code == 2 and err.startswith("error: ") and "NEW" in err


def test_spec_text_is_printed_inert(tmp_path: Path) -> None:
    def spec(name: str) -> str:
        path = tmp_path / f"{len(list(tmp_path.iterdir()))}.json"
        op = {"parameters": [{"name": name, "in": "query", "schema": {"type": "string"}}], "responses": {}}
        path.write_text(
            json.dumps(
                {"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {"/a": {"get": op}}}
            )
        )
        return str(path)

    code, out, _ = run(spec("q"), spec("evil\x1b]0;pwned\x07\u202e"))
    assert code == 1
    assert "\x1b" not in out and "\x07" not in out and "\u202e" not in out
    assert "evil\u241b]0;pwned\u2407\\u202e" in out
    code, out, _ = run(spec("q"), spec("evil\x1b]0;pwned\x07\u202e"), "--json")
    assert "\x1b" not in out and "\u202e" not in out and json.loads(out)["changed"]
