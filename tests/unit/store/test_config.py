"""The config file: defaults, one-line warnings for each bad part, and edits that keep the user's text."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
import yaml

from labs_tui.client.profiles import resolve_profile
from labs_tui.store.config import (
    Config,
    ConfigError,
    HistoryCaps,
    ProfileConfig,
    Timeouts,
    load_config,
    parse_size,
    set_value,
)
from labs_tui.store.paths import config_file


def write(text: str) -> Path:
    path = config_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_no_file_is_the_defaults_without_warnings() -> None:
    cfg, warnings = load_config()
    assert warnings == []
    assert cfg == Config(path=config_file())
    assert cfg.theme == "astro-dark"
    assert cfg.history == HistoryCaps(max_entries=2000, max_bytes=64 * 1024 * 1024, capture_bytes=64 * 1024)
    assert cfg.timeouts == Timeouts(request=30.0)


def test_a_full_file_is_read() -> None:
    write(
        """
default_profile: staging
theme: light
profiles:
  staging:
    base_url: https://staging.example.com/labs/v1
    token_env: STAGING_TOKEN
    version_header: X-Labs-API-Version
    allowed_hosts: [files.example.com]
  live:
    token_env: MY_ASTRO_TOKEN
keymap:
  send: ctrl+r
  compare: [ctrl+t, f6]
timeouts:
  request: 12.5
history:
  max_entries: 50
  max_bytes: 10 MiB
  capture_bytes: 4096
body_cap: 1GiB
"""
    )
    cfg, warnings = load_config()
    assert warnings == []
    assert cfg.default_profile == "staging"
    assert cfg.theme == "light"
    assert cfg.profiles["staging"] == ProfileConfig(
        name="staging",
        base_url="https://staging.example.com/labs/v1",
        token_env="STAGING_TOKEN",
        version_header="X-Labs-API-Version",
        allowed_hosts=("files.example.com",),
    )
    assert cfg.keymap == {"send": "ctrl+r", "compare": "ctrl+t,f6"}
    assert cfg.timeouts.request == 12.5
    assert cfg.history == HistoryCaps(max_entries=50, max_bytes=10 * 1024 * 1024, capture_bytes=4096)
    assert cfg.body_cap == 1024**3


def test_profiles_mapping_feeds_the_clients_resolve_profile() -> None:
    write(
        "default_profile: staging\nprofiles:\n  staging:\n"
        "    base_url: https://staging.example.com/labs/v1\n    token_env: STAGING_TOKEN\n"
    )
    cfg, _ = load_config()
    profile = resolve_profile(config=cfg.profiles_mapping(), env={"STAGING_TOKEN": "s3cret"})
    assert profile.name == "staging"
    assert profile.base_url == "https://staging.example.com/labs/v1"
    assert profile.token == "s3cret"


@pytest.mark.parametrize(
    "text",
    [
        "theme: [unclosed\n",
        "profiles:\n  a: 1\n b: 2\n",
        "\tkey: tab-indented\n",
        "- a\n- list\n",
        "just a string\n",
    ],
)
def test_a_malformed_file_is_one_warning_and_the_defaults(text: str) -> None:
    path = write(text)
    cfg, warnings = load_config()
    assert cfg == Config(path=path)
    assert len(warnings) == 1
    assert "\n" not in warnings[0]
    assert str(path) in warnings[0] and "using the defaults" in warnings[0]


def test_invalid_yaml_warning_names_the_line() -> None:
    write("theme: light\nprofiles: {\n")
    _, warnings = load_config()
    assert "line 3" in warnings[0] or "line 2" in warnings[0]


def test_unreadable_shapes_are_warnings(tmp_path: Path) -> None:
    not_utf8 = tmp_path / "latin1.yaml"
    not_utf8.write_bytes(b"theme: caf\xe9\n")
    _, warnings = load_config(not_utf8)
    assert warnings and "UTF-8" in warnings[0]

    directory = tmp_path / "adir"
    directory.mkdir()
    _, warnings = load_config(directory)
    assert warnings and "directory" in warnings[0]

    huge = tmp_path / "huge.yaml"
    huge.write_bytes(b"# " + b"x" * (1024 * 1024 + 10))
    _, warnings = load_config(huge)
    assert warnings and "larger than" in warnings[0]


def test_each_bad_part_defaults_alone_and_the_good_parts_stay() -> None:
    write(
        """
theme: 42
default_profile: nowhere
profiles:
  good:
    base_url: https://good.example.com
  "bad name!": {base_url: https://x.example.com}
  notamapping: 7
  badurl:
    base_url: ftp://files.example.com
    token_env: "NOT VALID"
    version_header: "bad header"
    allowed_hosts: nope
keymap:
  send: ctrl+r
  broken: "ctrl + r"
  empty: []
timeouts:
  request: -1
history:
  max_entries: lots
  max_bytes: 12 parsecs
  capture_bytes: 4096
body_cap: true
"""
    )
    cfg, warnings = load_config()
    assert all("\n" not in w for w in warnings)
    joined = "\n".join(warnings)
    for fragment in (
        "theme must be",
        "default_profile 'nowhere'",
        "profile name 'bad name!'",
        "profile 'notamapping' must be a mapping",
        "profile 'badurl': base_url",
        "profile 'badurl': token_env",
        "profile 'badurl': version_header",
        "profile 'badurl': allowed_hosts",
        "keymap: 'broken'",
        "keymap: 'empty'",
        "timeouts.request",
        "history.max_entries",
        "history.max_bytes",
        "body_cap",
    ):
        assert fragment in joined, fragment
    assert cfg.theme == "astro-dark"
    assert cfg.default_profile is None
    assert set(cfg.profiles) == {"good", "badurl"}
    assert cfg.profiles["badurl"] == ProfileConfig(name="badurl")
    assert cfg.keymap == {"send": "ctrl+r"}
    assert cfg.timeouts == Timeouts()
    assert cfg.history == HistoryCaps(capture_bytes=4096)
    assert cfg.body_cap == Config().body_cap


def test_a_token_in_a_profile_is_ignored_with_a_warning() -> None:
    write("profiles:\n  staging:\n    base_url: https://s.example.com\n    token: hunter2-token\n")
    cfg, warnings = load_config()
    assert len(warnings) == 1 and "token_env" in warnings[0] and "ignored" in warnings[0]
    assert "hunter2-token" not in warnings[0]
    assert "hunter2-token" not in repr(cfg) and "hunter2-token" not in repr(cfg.profiles_mapping())


def test_parse_size() -> None:
    assert parse_size(10) == 10
    assert parse_size("64 MiB") == 64 * 1024 * 1024
    assert parse_size("512k") == 512 * 1024
    assert parse_size("2GB") == 2 * 1024**3
    assert parse_size("1.5 KiB") == 1536
    for bad in ("ten", "-5", "5 TB", True, None, 1.5, "9" * 40):
        assert parse_size(bad) is None, bad


USER_FILE = """\
# My labs-tui settings.
# Keep this comment.
theme: light   # switched in the app
profiles:
  # a comment inside a block
  staging:
    base_url: https://staging.example.com/labs/v1   # the staging stack
    token_env: STAGING_TOKEN
my_future_setting:
  nested: [1, 2, 3]  # the app does not know this key
'quoted': "kept as is"
"""


def test_set_value_replaces_only_the_line_and_keeps_everything_else() -> None:
    path = write(USER_FILE)
    set_value("theme", "high-contrast")
    text = path.read_text(encoding="utf-8")
    assert text == USER_FILE.replace("theme: light   #", "theme: high-contrast   #")
    cfg, warnings = load_config()
    assert warnings == [] and cfg.theme == "high-contrast"


def test_set_value_appends_a_missing_key_and_keeps_unknown_keys() -> None:
    path = write(USER_FILE.rstrip("\n"))  # no final newline either
    set_value("default_profile", "staging")
    text = path.read_text(encoding="utf-8")
    assert text.startswith(USER_FILE)
    assert text.endswith("\ndefault_profile: staging\n")
    data = yaml.safe_load(text)
    assert data["my_future_setting"] == {"nested": [1, 2, 3]}
    assert data["quoted"] == "kept as is"


def test_set_value_creates_a_missing_file_private_with_a_header() -> None:
    path = set_value("theme", "light")
    assert path == config_file()
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# labs-tui configuration")
    assert yaml.safe_load(text) == {"theme": "light"}
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_set_value_keeps_the_files_permissions_and_crlf(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_bytes(b"# windows\r\ntheme: light\r\nother: 1\r\n")
    os.chmod(path, 0o644)
    set_value("theme", "astro-dark", path=path)
    assert path.read_bytes() == b"# windows\r\ntheme: astro-dark\r\nother: 1\r\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o644


@pytest.mark.parametrize(
    ("value", "line"),
    [
        ("my theme: dark", 'theme: "my theme: dark"'),
        ("yes", 'theme: "yes"'),
        ("# not a comment", 'theme: "# not a comment"'),
        (True, "theme: true"),
        (3, "theme: 3"),
        (None, "theme: null"),
    ],
)
def test_set_value_quotes_what_yaml_would_misread(value: object, line: str, tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text("theme: 'old # value'  # trailing\n", encoding="utf-8")
    set_value("theme", value, path=path)  # type: ignore[arg-type]
    assert path.read_text(encoding="utf-8") == f"{line}  # trailing\n"
    assert yaml.safe_load(path.read_text(encoding="utf-8"))["theme"] == value


def test_set_value_replaces_a_block_value_but_keeps_comments_in_it(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text("theme:\n  # why: testing\n  name: odd\nafter: 1\n", encoding="utf-8")
    set_value("theme", "light", path=path)
    assert path.read_text(encoding="utf-8") == "theme: light\n  # why: testing\nafter: 1\n"


def test_set_value_refuses_a_broken_file_and_leaves_it_alone(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    broken = "theme: light\nprofiles: {\n"
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid YAML"):
        set_value("theme", "astro-dark", path=path)
    assert path.read_text(encoding="utf-8") == broken


def test_set_value_refuses_an_edit_it_cannot_make_safely(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    flow = "{theme: light, other: 1}\n"
    path.write_text(flow, encoding="utf-8")
    with pytest.raises(ConfigError, match="edit it by hand"):
        set_value("theme", "astro-dark", path=path)
    assert path.read_text(encoding="utf-8") == flow


def test_set_value_refuses_tokens_nested_keys_and_odd_values(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    with pytest.raises(ConfigError, match="tokens are never stored"):
        set_value("token", "abc", path=path)
    with pytest.raises(ConfigError, match="top-level"):
        set_value("history.max_entries", 5, path=path)
    with pytest.raises(ConfigError, match="only text"):
        set_value("theme", ["a"], path=path)  # type: ignore[arg-type]
    assert not path.exists()
