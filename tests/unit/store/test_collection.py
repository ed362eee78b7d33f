"""Saved requests: the documented YAML format round-trips, never holds a credential, and bad files say why."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from labs_tui.client.variables import expand, names_in, parse_dotenv
from labs_tui.store.collection import (
    CollectionError,
    SavedRequest,
    dotenv_values,
    list_requests,
    load_request,
    save_request,
)

SAVED = SavedRequest(
    name="demo pinned/1.0",
    method="get",
    path="/things/{id}",
    operation="getThing",
    path_params={"id": "${THING_ID}"},
    query=(("tags", "x"), ("tags", "y")),
    headers=(("X-Labs-API-Version", "1.0"), ("Authorization", "Bearer fake-secret-value"), ("Cookie", "s=1")),
    body='{"a": 1}',
    pin="1.0",
    profile="sandbox",
)


def test_round_trip_keeps_everything_but_credentials(tmp_path: Path) -> None:
    written = save_request(SAVED, tmp_path)
    assert written.name == "demo-pinned-1.0.yaml"
    text = written.read_text(encoding="utf-8")
    assert "fake-secret-value" not in text and "Cookie" not in text
    document = yaml.safe_load(text)
    assert document["labs-tui-request"] == 1
    assert document["query"] == [{"name": "tags", "value": "x"}, {"name": "tags", "value": "y"}]
    loaded = load_request(written)
    assert loaded == SavedRequest(
        **{**SAVED.__dict__, "method": "GET", "headers": (("X-Labs-API-Version", "1.0"),)}
    )


def test_a_hand_written_file_with_a_token_header_drops_it_on_read(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_text(
        "labs-tui-request: 1\nmethod: GET\npath: /a\nheaders:\n  - {name: authorization, value: Bearer t}\n",
        encoding="utf-8",
    )
    assert load_request(path).headers == ()


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("just: yaml\n", "not a labs-tui saved request"),
        ("labs-tui-request: 99\nmethod: GET\npath: /a\n", "format 99"),
        ("labs-tui-request: 1\npath: /a\n", "'method' is missing"),
        ("labs-tui-request: 1\nmethod: GET\npath: /a\nquery: 3\n", "'query' must be a list"),
        ("labs-tui-request: 1\nmethod: [GET]\npath: /a\n", "'method' must be text"),
        ("labs-tui-request: 1\n  method: : :\n", "not valid YAML"),
    ],
)
def test_bad_files_give_one_line_naming_the_file(tmp_path: Path, content: str, problem: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CollectionError) as raised:
        load_request(path)
    assert problem in str(raised.value) and str(path) in str(raised.value)
    assert "\n" not in str(raised.value)


def test_binary_and_missing_files(tmp_path: Path) -> None:
    binary = tmp_path / "b.yaml"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(CollectionError, match="not UTF-8"):
        load_request(binary)
    with pytest.raises(CollectionError, match="cannot read"):
        load_request(tmp_path / "none.yaml")


def test_listing_reads_good_files_and_names_bad_ones(tmp_path: Path) -> None:
    save_request(SAVED, tmp_path)
    (tmp_path / "broken.yml").write_text("nope\n", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("ignored\n", encoding="utf-8")
    listed = list_requests(tmp_path)
    assert [path.name for path, _ in listed] == ["broken.yml", "demo-pinned-1.0.yaml"]
    assert isinstance(listed[0][1], CollectionError) and isinstance(listed[1][1], SavedRequest)
    assert list_requests(tmp_path / "absent") == []


def test_variables_fill_from_values_name_the_missing_and_refuse_the_token() -> None:
    text = "/w/${WS}/d/${DEP}?t=${ASTRO_API_TOKEN}&lit=$${WS}"
    assert names_in(text) == ["WS", "DEP", "ASTRO_API_TOKEN"]
    done = expand(
        text, {"WS": "w1", "ASTRO_API_TOKEN": "fake-secret-value"}, secret_names=["ASTRO_API_TOKEN"]
    )
    assert done.text == "/w/w1/d/${DEP}?t=${ASTRO_API_TOKEN}&lit=${WS}"
    assert done.missing == ("DEP",) and done.refused == ("ASTRO_API_TOKEN",)
    assert "fake-secret-value" not in done.text


def test_dotenv_beside_the_collection(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text(
        "# ids\nexport WS=w1\nDEP='d 2'\nNOTE=plain # a comment\nbroken line\n", encoding="utf-8"
    )
    assert dotenv_values(tmp_path) == {"WS": "w1", "DEP": "d 2", "NOTE": "plain"}
    assert dotenv_values(tmp_path / "none") == {}
    assert parse_dotenv('Q="a=b"') == {"Q": "a=b"}


def test_a_draft_is_filled_in_one_place_for_the_cli_and_the_tui() -> None:
    from labs_tui.client import RequestDraft, fill_draft

    draft = RequestDraft(
        method="GET",
        path="/w/${WS}?q=%24%7BQ%7D",
        query=(("a", "${WS}"),),
        headers=(("X-Id", "${ID}"),),
        body=b'{"t": "${ASTRO_API_TOKEN}"}',
    )
    values = {"WS": "a b", "Q": "x/y", "ASTRO_API_TOKEN": "fake-secret-value"}
    filled, problem = fill_draft(draft, values, secret_names={"ASTRO_API_TOKEN"}, fill_path=True)
    assert filled.path == "/w/a%20b?q=x%2Fy" and filled.query == (("a", "a b"),)
    assert problem == "variable(s) ASTRO_API_TOKEN name the token; a variable never takes its value"
    _, problem = fill_draft(RequestDraft(method="GET", headers=(("X", "${ID}"),)), values)
    assert problem == "unresolved variable(s): ID"
