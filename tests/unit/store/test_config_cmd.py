"""``labs-tui config path`` and ``config show``: where the file is, what is in effect, never a token."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from labs_tui.cli import main
from labs_tui.store.paths import config_file


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), env=env)
    return result.exit_code, result.stdout, result.stderr


def test_config_path_prints_the_platform_file(isolated_user_dirs: Path) -> None:
    code, out, err = run("config", "path")
    assert (code, err) == (0, "")
    assert out == f"{isolated_user_dirs / 'config' / 'labs-tui' / 'config.yaml'}\n"


def test_config_path_honours_the_override(tmp_path: Path) -> None:
    code, out, _ = run("config", "path", env={"LABS_TUI_CONFIG": str(tmp_path / "mine.yaml")})
    assert code == 0 and out == f"{tmp_path / 'mine.yaml'}\n"


def test_config_show_without_a_file_shows_the_defaults() -> None:
    code, out, err = run("config", "show")
    assert (code, err) == (0, "")
    assert "(not created yet: these are the defaults)" in out
    data = yaml.safe_load(out)
    assert data["theme"] == "astro-dark"
    assert data["default_profile"] == "sandbox"
    assert data["history"] == {"max_entries": 2000, "max_bytes": 64 * 1024 * 1024, "capture_bytes": 65536}


def test_config_show_never_shows_a_token(monkeypatch: pytest.MonkeyPatch) -> None:
    path = config_file()
    path.parent.mkdir(parents=True)
    path.write_text(
        "theme: light\nprofiles:\n  staging:\n    base_url: https://s.example.com/labs/v1\n"
        "    token_env: STAGING_TOKEN\n    token: written-by-mistake-123\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("STAGING_TOKEN", "from-the-env-456")
    code, out, err = run("config", "show")
    assert code == 0
    assert "written-by-mistake-123" not in out + err and "from-the-env-456" not in out + err
    assert "# profile staging: token from $STAGING_TOKEN (set)" in out
    assert yaml.safe_load(out)["profiles"] == {
        "staging": {"base_url": "https://s.example.com/labs/v1", "token_env": "STAGING_TOKEN"}
    }
    assert err.startswith("warning: ") and "token_env" in err and len(err.splitlines()) == 1


def test_config_show_with_a_broken_file_warns_once_and_shows_defaults() -> None:
    path = config_file()
    path.parent.mkdir(parents=True)
    path.write_text("theme: [\n", encoding="utf-8")
    code, out, err = run("config", "show")
    assert code == 0
    assert len(err.splitlines()) == 1 and err.startswith("warning: ") and "not valid YAML" in err
    assert yaml.safe_load(out)["theme"] == "astro-dark"


def test_config_help_lists_its_commands() -> None:
    code, out, _ = run("config", "--help")
    assert code == 0 and "path" in out and "show" in out
