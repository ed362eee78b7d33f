"""Form bodies in the core: urlencoded and multipart (RFC 7578), file parts read when the body is built."""

from __future__ import annotations

from email.parser import BytesParser
from email.policy import HTTP
from pathlib import Path
from typing import Any

import pytest

from labs_tui.client import FormError, FormPart, encode_form, form_kind, is_file_schema


def parts_of(body: bytes, content_type: str) -> list[tuple[Any, ...]]:
    """(name, filename, content type, payload) of each part, read back by the standard library."""
    message = BytesParser(policy=HTTP).parsebytes(
        b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + body
    )
    return [
        (
            part.get_param("name", header="content-disposition"),
            part.get_filename(),
            part.get_content_type(),
            part.get_payload(decode=True),
        )
        for part in message.iter_parts()
    ]


def test_text_forms() -> None:
    body, content_type = encode_form(
        "application/x-www-form-urlencoded", [FormPart("a", "1 2"), FormPart("b")], "B"
    )
    assert (body, content_type) == (b"a=1+2", "application/x-www-form-urlencoded")
    body, content_type = encode_form("multipart/form-data", [FormPart("t", "hé"), FormPart('q"x', "2")], "B")
    assert content_type == "multipart/form-data; boundary=B"
    assert body == (
        b'--B\r\nContent-Disposition: form-data; name="t"\r\n\r\nh\xc3\xa9\r\n'
        b'--B\r\nContent-Disposition: form-data; name="q\\"x"\r\n\r\n2\r\n--B--\r\n'
    )


def test_a_file_part_carries_its_bytes_name_and_type(tmp_path: Path) -> None:
    picture = tmp_path / "cat photo.png"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n\x00\xff binary")
    notes = tmp_path / "notes"
    notes.write_bytes(b"no suffix")
    parts = [
        FormPart("title", "Tom"),
        FormPart("image", file=str(picture)),
        FormPart("notes", file=str(notes)),
        FormPart("typed", file=str(notes), content_type="text/markdown"),
    ]
    body, content_type = encode_form("multipart/form-data", parts, "labs-b")
    assert parts_of(body, content_type) == [
        ("title", None, "text/plain", b"Tom"),
        ("image", "cat photo.png", "image/png", b"\x89PNG\r\n\x1a\n\x00\xff binary"),
        ("notes", "notes", "application/octet-stream", b"no suffix"),
        ("typed", "notes", "text/markdown", b"no suffix"),
    ]


def test_a_home_relative_path_is_expanded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    (tmp_path / "a.txt").write_text("hi")
    body, content_type = encode_form("multipart/form-data", [FormPart("f", file="~/a.txt")], "B")
    assert parts_of(body, content_type) == [("f", "a.txt", "text/plain", b"hi")]


def test_files_that_cannot_be_sent_are_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(FormError, match=r"^image: cannot read '.*nope.png': No such file or directory$"):
        encode_form("multipart/form-data", [FormPart("image", file=str(tmp_path / "nope.png"))], "B")
    with pytest.raises(FormError, match="is a folder"):
        encode_form("multipart/form-data", [FormPart("image", file=str(tmp_path))], "B")
    with pytest.raises(FormError, match="cannot carry a file"):
        encode_form("application/x-www-form-urlencoded", [FormPart("f", file=str(tmp_path))], "B")
    big = tmp_path / "big"
    big.write_bytes(b"x" * 11)
    monkeypatch.setattr("labs_tui.client.forms.MAX_FILE_BYTES", 20)
    with pytest.raises(FormError, match="larger than"):
        encode_form("multipart/form-data", [FormPart("a", file=str(big)), FormPart("b", file=str(big))], "B")


def test_which_properties_are_files() -> None:
    assert is_file_schema({"type": "string", "format": "binary"})
    assert is_file_schema({"contentMediaType": "image/png"})
    assert is_file_schema({"type": "string", "contentEncoding": "base64"})
    assert is_file_schema({"type": "array", "items": {"type": "string", "format": "binary"}})
    assert not is_file_schema({"type": "string"})
    assert not is_file_schema({"type": "array", "items": {"type": "string"}})
    assert form_kind("multipart/form-data; charset=utf-8") == "multipart"
    assert form_kind("application/json") is None
