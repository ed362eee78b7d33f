"""A body dense with control bytes is binary whatever its content type; real text stays text."""

from __future__ import annotations

import codecs

import pytest

from labs_tui.client.classify import classify


@pytest.mark.parametrize(
    "content_type",
    ["application/json", "application/json; charset=utf-8", "text/plain", "text/html", "text/csv", ""],
)
def test_a_body_full_of_nuls_is_binary_whatever_it_claims(content_type: str) -> None:
    assert classify(b"\x00" * 100_000, content_type).kind == "binary"


def test_controls_dense_in_the_middle_of_a_text_body_make_it_binary() -> None:
    body = b"hello\n" * 2000 + bytes(range(32)) * 2000 + b"bye\n" * 2000
    assert classify(body, "text/plain").kind == "binary"


def test_json_with_a_few_controls_escaped_or_not_is_still_json() -> None:
    body = b'{"a": "\\u0000 and \\u001b", "b": [1, 2, 3]}'
    result = classify(body, "application/json")
    assert result.kind == "json" and result.json["b"] == [1, 2, 3]


def test_text_with_an_escape_sequence_here_and_there_stays_text() -> None:
    body = ("line \x1b[31mred\x1b[0m and a tab\tthen more words\r\n" * 200).encode()
    assert classify(body, "text/plain").kind == "text"


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-32"])
def test_utf16_and_utf32_text_is_not_binary_for_its_nul_bytes(codec: str) -> None:
    body = ("plain words, nothing odd\n" * 400).encode(codec)
    charset = "utf-16" if codec == "utf-16-le" else codec
    result = classify(body, f"text/plain; charset={charset}")
    assert result.kind == "text"
    assert "plain words" in (result.text or "")


def test_a_bom_marks_utf16_too() -> None:
    body = codecs.BOM_UTF16_LE + ("{}" * 3000).encode("utf-16-le")
    assert classify(body, "text/plain").kind == "text"
    assert classify(b"\x00\x01" * 3000, "").kind == "binary"


def test_hexdump_lines_are_bounded_and_printable() -> None:
    from labs_tui.client.classify import hexdump_lines

    lines = hexdump_lines(bytes(range(256)) * 1000, 64)
    assert len(lines) == 4
    assert lines[0].startswith("00000000  00 01 02 03 04 05 06 07  08 09")
    assert all(0x20 <= ord(c) < 0x7F for line in lines for c in line)
