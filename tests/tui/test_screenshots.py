"""`make screenshots`: the journeys run, write SVGs, and never show a token."""

from __future__ import annotations

from pathlib import Path

from labs_tui.sandbox import SANDBOX_TOKEN
from tools.screenshots import LIVE_TOKEN, main, shoot_all, shots


def test_every_screenshot_the_issue_asks_for_is_scripted() -> None:
    expected = {"endpoint-list", "response-200", "error-401", "rate-limit-429", "compare", "history"}
    expected |= {"theme-astro-dark", "theme-light", "theme-high-contrast"}
    assert set(shots()) == expected


async def test_screenshots_show_what_they_say_and_never_the_token(tmp_path: Path) -> None:
    paths = await shoot_all(tmp_path, ["error-401", "compare", "history", "rate-limit-429"])
    texts = {path.stem: path.read_text() for path in paths}
    assert set(texts) == {"error-401", "compare", "history", "rate-limit-429"}
    for name, text in texts.items():
        assert LIVE_TOKEN not in text, name
        assert LIVE_TOKEN[-12:] not in text, name
        if name != "error-401":  # that one quotes the sandbox's own hint, which names its public token
            assert SANDBOX_TOKEN not in text, name
    assert "401" in texts["error-401"] and "c0shot" in texts["error-401"]
    assert "proofOfConcept" in texts["compare"] and "renamed" in texts["compare"]
    assert "429" in texts["rate-limit-429"]


def test_an_unknown_screenshot_name_is_a_one_line_error(tmp_path: Path, capsys: object) -> None:
    assert main([str(tmp_path), "nope"]) == 2
    assert not list(tmp_path.iterdir())
