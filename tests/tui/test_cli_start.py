"""``labs-tui`` with no subcommand: flags are checked before the screen is taken over."""

from __future__ import annotations

from typing import Any

from click.testing import CliRunner

from labs_tui.cli import main


def test_unknown_profile_is_a_one_line_usage_error() -> None:
    result = CliRunner().invoke(main, ["--profile", "bogus"])
    assert result.exit_code == 2
    assert result.output.strip() == "error: unknown profile 'bogus'; known: live, sandbox"


def test_bad_base_url_is_a_one_line_usage_error() -> None:
    result = CliRunner().invoke(main, ["--base-url", "notaurl"])
    assert result.exit_code == 2
    assert result.output.startswith("error: base URL must be") and result.output.count("\n") == 1


def test_insecure_is_offered_with_the_words_call_and_compare_use() -> None:
    from labs_tui.cli.options import INSECURE_HELP

    result = CliRunner().invoke(main, ["--insecure", "--help"])
    assert result.exit_code == 0, result.output
    words = " ".join(result.output.split())  # --help wraps the text at the terminal's width
    assert f"--insecure {INSECURE_HELP}" in words


def test_insecure_reaches_the_app_settings_with_a_warning(monkeypatch: Any) -> None:
    import labs_tui.tui.app

    seen: list[Any] = []

    class NoRun:
        def run(self) -> None:
            pass

    def fake_make_app(settings: Any) -> NoRun:
        seen.append(settings)
        return NoRun()

    monkeypatch.setattr(labs_tui.tui.app, "make_app", fake_make_app)
    url = "https://staging.example/labs/v1"
    result = CliRunner().invoke(main, ["--insecure", "--base-url", url])
    assert result.exit_code == 0, result.output
    assert seen[-1].insecure is True and seen[-1].base_url == url
    assert result.stderr.startswith("warning: --insecure: TLS certificates are not checked")
    result = CliRunner().invoke(main, ["--base-url", url])
    assert result.exit_code == 0, result.output
    assert seen[-1].insecure is False and "--insecure" not in result.stderr
