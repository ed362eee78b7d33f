"""Escaping is one pass in C: no Python call per unsafe character, however dense the controls are."""

from __future__ import annotations

import sys
from array import array
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from labs_tui.text import UNSAFE, inert, inert_line


def _python_calls(func: Any, *args: Any) -> int:
    calls = 0

    def profile(_frame: Any, event: str, _arg: Any) -> None:
        nonlocal calls
        if event == "call":
            calls += 1

    sys.setprofile(profile)
    try:
        func(*args)
    finally:
        sys.setprofile(None)
    return calls


DENSE = ("".join(map(chr, range(32))) + "\x7f\x9b\u202e") * 2_000  # 70,000 unsafe characters


def test_inert_makes_no_python_call_per_character() -> None:
    inert("warm up \x00")  # the translation table is built once, on first use
    assert _python_calls(inert, DENSE) < 50


def test_inert_line_makes_no_python_call_per_character() -> None:
    inert_line("warm up \x00")
    assert _python_calls(inert_line, DENSE) < 50


def test_the_one_pass_table_covers_every_unsafe_character() -> None:
    codes = array("I", [*range(0xD800), *range(0xE000, 0x110000)])  # every code point but surrogates
    every = codes.tobytes().decode("utf-32-le" if sys.byteorder == "little" else "utf-32-be")
    out = inert(every)
    assert UNSAFE.search(out) is None
    assert out.count("\u2400") >= 1 and "\\u202e" in out and "\\x9b" in out


def _oracle(text: str) -> str:
    """The per-character definition: each unsafe character replaced by its stand-in, one at a time."""
    from labs_tui.text import _stand_in

    return UNSAFE.sub(lambda found: _stand_in(found.group()), text)


@given(st.text(alphabet=st.sampled_from("ab \t\n\x00\x07\x1b\r\x7f\x85\x9b\u202e\u2066é✓"), max_size=200))
def test_inert_equals_the_per_character_definition(text: str) -> None:
    assert inert(text) == _oracle(text)
