"""Parsing and refusing input: every unusable file is one SpecError line, fast and bounded."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from labs_tui.spec import SpecError, load_spec
from labs_tui.spec.parse import parse_bytes

BAD = sorted((Path(__file__).resolve().parents[2] / "data" / "specs" / "bad").iterdir())

EXPECTED = {
    "alias_bomb.yaml": "alias bomb",
    "binary.bin": "binary data",
    "cyclic_alias.yaml": "cycle",
    "deep.json": "nesting too deep",
    "deep.yaml": "nesting too deep",
    "empty.yaml": "empty",
    "latin1.yaml": "not UTF-8",
    "malformed.json": "malformed JSON",
    "malformed.yaml": "malformed YAML",
    "not_openapi.yaml": "not an OpenAPI document",
    "paths_list.yaml": "'paths' is a list",
    "top_list.json": "top level is a list",
    "unsupported.yaml": "unsupported OpenAPI version '4.0.0'",
    "whitespace.yaml": "empty",
}


def test_the_bad_corpus_is_fully_covered() -> None:
    assert {p.name for p in BAD} == set(EXPECTED)


@pytest.mark.parametrize("path", BAD, ids=lambda p: p.name)
def test_bad_input_is_one_line_naming_the_file(path: Path) -> None:
    started = time.monotonic()
    with pytest.raises(SpecError) as caught:
        load_spec(str(path))
    message = str(caught.value)
    assert EXPECTED[path.name] in message
    assert message.startswith(str(path))
    assert "\n" not in message
    assert time.monotonic() - started < 5  # a bound against hangs, not a speed check


@pytest.mark.parametrize(
    ("name", "line"),
    [("malformed.yaml", 4), ("malformed.json", 5), ("paths_list.yaml", 3), ("unsupported.yaml", 1)],
)
def test_errors_say_the_line_when_known(corpus: Path, name: str, line: int) -> None:
    with pytest.raises(SpecError) as caught:
        load_spec(str(corpus / "bad" / name))
    assert caught.value.line == line
    assert f"{name}:{line}: " in str(caught.value)


def test_integer_and_boolean_like_keys_stay_as_written(corpus: Path) -> None:
    spec = load_spec(str(corpus / "int_keys.yaml"))
    assert [r.status for r in spec.find("getStatus").responses] == ["200", "404", "default"]  # type: ignore[union-attr]
    schema = spec.resolve({"$ref": "#/components/schemas/a~1b"})
    assert list(schema["properties"]) == ["on", "yes", "when"]
    assert schema["properties"]["when"]["example"] == "2024-05-01"  # a date scalar stays text
    assert spec.version == "1.0"


def test_a_utf8_bom_is_tolerated(corpus: Path) -> None:
    assert (corpus / "bom.yaml").read_bytes().startswith(b"\xef\xbb\xbf")
    spec = load_spec(str(corpus / "bom.yaml"))
    assert spec.title == "BOM"
    assert [op.key for op in spec.operations] == ["GET /bom"]


def test_utf16_with_a_bom_is_read() -> None:
    text = '{"openapi": "3.0.3", "info": {"title": "wide", "version": "1"}, "paths": {}}'
    document, syntax = parse_bytes(b"\xff\xfe" + text.encode("utf-16-le"), "wide.json")
    assert syntax == "json"
    assert document["info"]["title"] == "wide"


def test_json_is_parsed_as_json_and_yaml_as_yaml() -> None:
    assert parse_bytes(b'{"a": 1}', "x")[1] == "json"
    assert parse_bytes(b"a: 1\n", "x")[1] == "yaml"
    # YAML-only syntax inside braces still loads when the file does not claim to be JSON.
    assert parse_bytes(b"{a: 1, b: [1, 2,]}", "x.yaml") == ({"a": 1, "b": [1, 2]}, "yaml")


def test_merge_keys_work_and_cannot_explode(corpus: Path) -> None:
    started = time.monotonic()
    spec = load_spec(str(corpus / "merge_keys.yaml"))
    assert time.monotonic() - started < 5
    last = spec.document["m39"]
    assert set(last) == {f"k{i}" for i in range(40)}


def test_yaml_merge_keeps_explicit_keys_and_earlier_sources_first() -> None:
    text = b"a: &a {x: 1, y: 1}\nb: &b {x: 2, z: 2}\nc: {<<: [*a, *b], y: 3}\n"
    document, _ = parse_bytes(text, "m.yaml")
    assert document["c"] == {"x": 1, "y": 3, "z": 2}


def test_non_scalar_mapping_keys_are_refused() -> None:
    with pytest.raises(SpecError, match="mapping key must be a plain value"):
        parse_bytes(b"? [a, b]\n: 1\n", "k.yaml")


def test_several_yaml_documents_are_refused() -> None:
    with pytest.raises(SpecError, match="malformed YAML"):
        load_spec_text("openapi: 3.0.3\n---\nopenapi: 3.0.3\n")


def load_spec_text(text: str) -> object:
    return parse_bytes(text.encode(), "multi.yaml")
