"""``call --curl/--httpie`` with the sandbox profile names the URL ``labs-tui sandbox`` serves that
spec on: its first server's path (``/v2`` for Petstore, the root for Train Travel), ``/labs/v1`` only
for the bundled Labs spec. ``call`` itself starts an embedded sandbox for the spec, on the same path."""

from __future__ import annotations

import json
import shlex
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from click.testing import CliRunner

from labs_tui.cli import main
from labs_tui.sandbox import served_base_path
from labs_tui.spec import BUNDLED_SPEC

THIRD_PARTY = Path(__file__).resolve().parents[2] / "data" / "specs" / "third_party"
PETSTORE = str(THIRD_PARTY / "petstore-3.0.json")
TRAIN = str(THIRD_PARTY / "train-travel-3.1.json")


def _call(*args: str) -> Any:
    return CliRunner().invoke(main, ["call", *args], catch_exceptions=False)


def _url(command: str) -> str:
    return next(word for word in shlex.split(command) if word.startswith("http://"))


@pytest.mark.parametrize(
    ("args", "url"),
    [
        (["GET", "findPetsByTags", "--spec", PETSTORE, "-q", "tags=a"], "http://127.0.0.1:8765/v2/pet/findByTags?tags=a"),
        (["GET", "get-booking", "--spec", TRAIN, "-p", "bookingId=x"], "http://127.0.0.1:8765/bookings/x"),
        (["GET", "/examples/demo"], "http://127.0.0.1:8765/labs/v1/examples/demo"),
        (["GET", "/examples/demo", "--spec", str(BUNDLED_SPEC)], "http://127.0.0.1:8765/labs/v1/examples/demo"),
    ],
)  # fmt: skip
@pytest.mark.parametrize("export", ["--curl", "--httpie"])
def test_exports_name_the_path_the_sandbox_serves_the_spec_on(args: list[str], url: str, export: str) -> None:
    result = _call(*args, export)
    assert result.exit_code == 0, result.output
    assert _url(result.stdout) == url
    assert "listens by default (http://127.0.0.1:8765" in result.stderr


def test_the_exported_url_answers_from_labs_tui_sandbox_for_that_spec(
    make_sandbox: Callable[..., Any],
) -> None:
    handle = make_sandbox(spec=PETSTORE, rate_limit=None)  # what `labs-tui sandbox --spec` starts
    exported = urlsplit(
        _url(_call("GET", "findPetsByTags", "--spec", PETSTORE, "-q", "tags=a", "--curl").stdout)
    )
    assert urlsplit(handle.base_url).path == served_base_path(PETSTORE) == "/v2"
    origin = handle.base_url[: -len("/v2")]
    answer = httpx.get(
        f"{origin}{exported.path}?{exported.query}", headers={"Authorization": "Bearer sandbox-token"}
    )
    assert answer.status_code == 200 and isinstance(answer.json(), list)


def test_call_without_export_sends_to_an_embedded_sandbox_on_the_specs_path() -> None:
    result = _call(
        "GET", "findPetsByTags", "--spec", PETSTORE, "-q", "tags=a", "-H", "api_key: sandbox-token", "--json"
    )
    assert result.exit_code == 0, result.output
    sent = json.loads(result.stdout)
    assert urlsplit(sent["request"]["url"]).path == "/v2/pet/findByTags" and sent["status"] == 200


def test_served_base_path(tmp_path: Path) -> None:
    assert served_base_path(None) == served_base_path(BUNDLED_SPEC) == "/labs/v1"
    spec = tmp_path / "s.json"
    for servers, path in (([{"url": "https://x.example/a/b/"}], "/a/b"), ([], ""), ([{"url": "/"}], "")):
        spec.write_text(
            json.dumps(
                {"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {}, "servers": servers}
            )
        )
        assert served_base_path(spec) == path
