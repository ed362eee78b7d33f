"""Multipart forms from a script: ``call -F``, a curl command's ``-F``, and a saved request's ``form``.

The embedded sandbox serves a spec with a file upload, so each body reaches a server that checks it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from labs_tui.cli import main
from labs_tui.client import FormError, FormPart, form_arg, parse_curl, parse_form_arg
from labs_tui.sandbox import start
from labs_tui.store.collection import SavedRequest, from_curl, load_request, save_request

SPEC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Uploads", "version": "1"},
    "paths": {
        "/pictures": {
            "post": {
                "operationId": "uploadPicture",
                "requestBody": {
                    "required": True,
                    "content": {
                        "multipart/form-data": {
                            "schema": {
                                "type": "object",
                                "required": ["image"],
                                "properties": {
                                    "title": {"type": "string"},
                                    "image": {"type": "string", "format": "binary"},
                                },
                            }
                        }
                    },
                },
                "responses": {"201": {"description": "stored"}, "400": {"description": "bad"}},
            }
        }
    },
}


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, Path, Path]]:
    """(sandbox URL, spec file, a picture file)."""
    spec_file = tmp_path / "uploads.json"
    spec_file.write_text(json.dumps(SPEC))
    picture = tmp_path / "cat.png"
    picture.write_bytes(b"\x89PNG\r\n\x1a\nbinary\x00\xff")
    handle = start(port=0, spec=str(spec_file))
    try:
        yield handle.base_url, spec_file, picture
    finally:
        handle.stop()


def call(*args: str) -> Any:
    return CliRunner().invoke(main, ["call", *args], catch_exceptions=False)


def test_call_F_uploads_a_file_and_a_missing_one_is_exit_2(served: tuple[str, Path, Path]) -> None:
    url, spec_file, picture = served
    common = ["POST", "/pictures", "--spec", str(spec_file), "--base-url", url]
    result = call(*common, "-F", "title=Tom", "-F", f"image=@{picture};type=image/png", "--json")
    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout)
    assert answer["status"] == 201
    assert answer["request"]["headers"]["content-type"].startswith("multipart/form-data; boundary=labs-tui-")
    missing = call(*common, "-F", f"image=@{picture.parent / 'nope.png'}")
    assert missing.exit_code == 2
    assert missing.stderr.startswith("error: image: cannot read") and missing.stderr.count("\n") == 1
    both = call(*common, "-F", "title=x", "-d", "{}")
    assert both.exit_code == 2 and "-d and -F cannot be combined" in both.stderr
    without = call(*common, "-F", "title=only text")  # the required file is missing: the server says so
    assert without.exit_code == 1


def test_curl_F_is_read_as_fields_not_as_the_url() -> None:
    parsed = parse_curl(
        "curl -F title=Tom -F 'image=@cat.png;type=image/png' --form-string 'note=plain' "
        "-H 'Content-Type: multipart/form-data' https://api.example.com/pictures"
    )
    assert parsed.url == "https://api.example.com/pictures"
    assert parsed.method == "POST"
    assert parsed.form == (("title", "Tom"), ("image", "@cat.png;type=image/png"), ("note", "plain"))
    assert parsed.headers == ()  # the form's own Content-Type, with its boundary, is made when sent
    with pytest.raises(ValueError, match="cannot be combined"):
        parse_curl("curl -F a=1 -d b=2 https://h/x")


def test_a_saved_form_round_trips_and_call_from_sends_it(
    served: tuple[str, Path, Path], tmp_path: Path
) -> None:
    url, spec_file, picture = served
    saved = from_curl(parse_curl(f"curl -F title=Tom -F image=@{picture} {url}/pictures"))
    written = save_request(SavedRequest(**{**saved.__dict__, "name": "upload"}), tmp_path)
    assert "form:" in written.read_text() and "binary" not in written.read_text()
    assert load_request(written).form == (("title", "Tom"), ("image", f"@{picture}"))
    result = call("--from", str(written), "--spec", str(spec_file), "--base-url", url, "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["status"] == 201


def test_form_args_both_ways() -> None:
    assert parse_form_arg("a=b=c") == FormPart("a", "b=c")
    assert parse_form_arg("f=@x.png;type=image/png") == FormPart("f", file="x.png", content_type="image/png")
    assert parse_form_arg("f=@x.png") == FormPart("f", file="x.png")
    for part in (FormPart("a", "1"), FormPart("f", file="~/x"), FormPart("f", file="x", content_type="a/b")):
        assert parse_form_arg(f"{part.name}={form_arg(part)}") == part
    for bad in ("novalue", "=x", "f=@"):
        with pytest.raises(FormError):
            parse_form_arg(bad)
