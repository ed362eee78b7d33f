"""``labs-tui config``: where the config file is, and the configuration in effect.

A renderer of ``labs_tui.store.config``: it prints what the store returns and decides nothing.
It never prints a token: the config holds only the names of the environment variables that do,
and ``show`` says whether each is set, never its value. Warnings about the file go to stderr as
``warning: <one line>``; a bad file is still shown (as the defaults that replace its bad parts).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

import click
import yaml

from labs_tui.store import Config, config_file, data_dir, load_config, user_themes_dir


@click.group("config", context_settings={"help_option_names": ["-h", "--help"]})
def config() -> None:
    """Where the config file is, and what it holds."""


@config.command("path")
def path() -> None:
    """Print the config file's path ($LABS_TUI_CONFIG, else the platform config dir).

    The file may not exist yet; the app runs on defaults until it does.
    """
    click.echo(str(config_file()))


@config.command("show")
def show() -> None:
    """Print the configuration in effect, defaults included, as YAML. Tokens are never shown."""
    cfg, warnings = load_config()
    for warning in warnings:
        click.echo(f"warning: {' '.join(warning.split())}", err=True)
    click.echo(render_config(cfg, os.environ))


def render_config(cfg: Config, env: Mapping[str, str]) -> str:
    """The effective config as YAML with a comment header; token variables shown as set or not."""
    where = cfg.path or config_file()
    state = "exists" if where.exists() else "not created yet: these are the defaults"
    header = [
        f"# config file: {where} ({state})",
        f"# user themes: {user_themes_dir()}",
        f"# history: {data_dir() / 'history.sqlite3'}",
    ]
    for name, profile in cfg.profiles.items():
        if profile.token_env:
            is_set = "set" if env.get(profile.token_env, "").strip() else "not set"
            header.append(f"# profile {name}: token from ${profile.token_env} ({is_set})")
    data: dict[str, Any] = {
        "default_profile": cfg.default_profile or "sandbox",
        "theme": cfg.theme,
        "profiles": {
            name: {
                key: value
                for key, value in (
                    ("base_url", p.base_url),
                    ("token_env", p.token_env),
                    ("version_header", p.version_header),
                    ("allowed_hosts", list(p.allowed_hosts) or None),
                )
                if value is not None
            }
            for name, p in cfg.profiles.items()
        },
        "keymap": dict(cfg.keymap),
        "timeouts": {"request": cfg.timeouts.request},
        "history": {
            "max_entries": cfg.history.max_entries,
            "max_bytes": cfg.history.max_bytes,
            "capture_bytes": cfg.history.capture_bytes,
        },
        "body_cap": cfg.body_cap,
    }
    body = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, default_flow_style=False)
    return "\n".join(header) + "\n" + body.rstrip("\n")
