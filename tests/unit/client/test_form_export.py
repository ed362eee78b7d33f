"""A multipart request exported as curl / HTTPie: its fields as -F / --multipart items, files by path.

The body it was sent with (boundary, file bytes, a NUL in a binary file) never appears in the command.
"""

from __future__ import annotations

import dataclasses
import json
import os
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from labs_tui.cli import main
from labs_tui.client import (
    FormPart,
    RequestDraft,
    build_request,
    encode_form,
    resolve_profile,
    to_curl,
    to_httpie,
)

from .test_forms_cli import SPEC

BINARY = b"\x00\x01binary\xff\xfe\r\n--labs-tui-x\x00"


def form_request(tmp_path: Path, *parts: FormPart, token: str = "secret-token-123") -> tuple[object, object]:
    profile = resolve_profile("live", base_url="https://api.example.com", env={"ASTRO_API_TOKEN": token})
    body, content_type = encode_form("multipart/form-data", parts, "labs-tui-0123")
    draft = RequestDraft(
        method="POST",
        path="/pictures",
        headers=(("Content-Type", content_type),),
        body=body,
        form=parts,
    )
    return build_request(profile, draft), profile


def test_curl_and_httpie_name_the_fields_and_the_file_never_its_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "bin.dat").write_bytes(BINARY)
    parts = (FormPart("title", "T"), FormPart("doc", file="bin.dat"), FormPart("empty", ""))
    request, profile = form_request(tmp_path, *parts)
    absolute = str(tmp_path / "bin.dat")

    curl = to_curl(request, profile)  # type: ignore[arg-type]
    words = shlex.split(curl)
    assert words[words.index("-F") :] == [
        "-F",
        "title=T",
        "-F",
        f"doc=@{absolute};type=application/octet-stream",
    ]
    assert "--data-raw" not in words and "Content-Type" not in curl and "labs-tui-0123" not in curl
    assert "\x00" not in curl and "binary" not in curl
    assert "Authorization: Bearer $ASTRO_API_TOKEN" in words and "secret-token-123" not in curl

    httpie = to_httpie(request, profile)  # type: ignore[arg-type]
    words = shlex.split(httpie)
    assert words[:2] == ["http", "--multipart"]
    assert words[-2:] == ["title=T", f"doc@{absolute};type=application/octet-stream"]
    assert "--raw" not in httpie and "Content-Type" not in httpie and "\x00" not in httpie
    assert "Authorization:Bearer $ASTRO_API_TOKEN" in words


def test_values_curl_or_httpie_would_read_as_syntax_stay_literal(tmp_path: Path) -> None:
    odd = tmp_path / "a;b.png"
    parts = (
        FormPart("note", "@/etc/passwd"),
        FormPart("semi", "x;type=text/html"),
        FormPart("eq", "=x"),
        FormPart("pic", file=str(odd), content_type="image/png"),
    )
    request, profile = form_request(tmp_path, *[p for p in parts if p.file is None])
    request = dataclasses.replace(request, form=parts)  # type: ignore[type-var]
    words = shlex.split(to_curl(request, profile))  # type: ignore[arg-type]
    assert ["--form-string", "note=@/etc/passwd"] == words[words.index("--form-string") :][:2]
    assert (
        "semi=x;type=text/html" in words
        and words[words.index("semi=x;type=text/html") - 1] == "--form-string"
    )
    assert f'pic=@"{odd}";type=image/png' in words
    httpie = shlex.split(to_httpie(request, profile))  # type: ignore[arg-type]
    assert "note=\\@/etc/passwd" in httpie and "eq=\\=x" in httpie


def test_a_json_body_is_still_data_raw(tmp_path: Path) -> None:
    profile = resolve_profile("live", base_url="https://api.example.com", env={})
    request = build_request(profile, RequestDraft(method="POST", path="/x", body=b'{"a": 1}'))
    assert "--data-raw '{\"a\": 1}'" in to_curl(request, profile)
    assert to_httpie(request, profile).startswith("http --raw=")


@pytest.mark.parametrize("kind", ["--curl", "--httpie"])
def test_call_F_export_names_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str) -> None:
    monkeypatch.chdir(tmp_path)
    spec_file = tmp_path / "uploads.json"
    spec_file.write_text(json.dumps(SPEC))
    (tmp_path / "bin.dat").write_bytes(BINARY)
    result = CliRunner().invoke(
        main,
        ["call", "uploadPicture", "--spec", str(spec_file), "-F", "title=T", "-F", "image=@bin.dat", kind],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "\x00" not in out and "binary" not in out and "boundary" not in out
    absolute = os.path.join(str(tmp_path), "bin.dat")
    words = shlex.split(out)
    if kind == "--curl":
        assert words[-4:] == ["-F", "title=T", "-F", f"image=@{absolute};type=application/octet-stream"]
    else:
        assert "--multipart" in words
        assert words[-2:] == ["title=T", f"image@{absolute};type=application/octet-stream"]


def test_call_from_a_saved_form_exports_its_fields(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from labs_tui.store.collection import SavedRequest, save_request

    monkeypatch.chdir(tmp_path)
    spec_file = tmp_path / "uploads.json"
    spec_file.write_text(json.dumps(SPEC))
    (tmp_path / "bin.dat").write_bytes(BINARY)
    form = (("title", "T"), ("image", "@bin.dat"))
    saved = save_request(SavedRequest(name="up", method="POST", path="/pictures", form=form), tmp_path)
    result = CliRunner().invoke(
        main, ["call", "--from", str(saved), "--spec", str(spec_file), "--curl"], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    words = shlex.split(result.stdout)
    image = f"image=@{tmp_path / 'bin.dat'};type=application/octet-stream"
    assert words[-4:] == ["-F", "title=T", "-F", image]
    assert "boundary" not in result.stdout and "\x00" not in result.stdout
