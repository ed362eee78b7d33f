"""``labs-tui`` with no subcommand: flags are checked before the screen is taken over."""

from __future__ import annotations

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
