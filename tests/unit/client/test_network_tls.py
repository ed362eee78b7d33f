"""TLS as users have it: a company CA, a self-made certificate, an expired one, the wrong host.

A local HTTPS server on 127.0.0.1 (``https_server``, tests/conftest.py) serves certificates made in
the test with ``trustme``; the CLI must say which check failed and name ``--ca-cert``, and succeed
once the CA is given (flag, profile ``ca_bundle``, ``SSL_CERT_FILE`` / ``REQUESTS_CA_BUNDLE``) or
``--insecure`` is (with a warning).
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

trustme = pytest.importorskip("trustme")


def ca_file(ca: Any, tmp_path: Path) -> str:
    path = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(path))
    return str(path)


def cli(*args: str, env: dict[str, str] | None = None) -> Any:
    from labs_tui.cli import main

    base = {"NO_COLOR": "1", "COLUMNS": "120", "SSL_CERT_FILE": "", "REQUESTS_CA_BUNDLE": ""}
    return CliRunner().invoke(main, list(args), env={**base, **(env or {})})


def error_line(result: Any) -> str:
    assert "Traceback" not in result.output
    lines = [line for line in (result.stdout + result.stderr).splitlines() if "TLS" in line]
    assert lines, result.stdout + result.stderr
    return str(lines[0])


def test_unknown_ca_is_named_and_points_at_ca_cert(https_server: Any) -> None:
    url = https_server(trustme.CA())
    result = cli("call", "GET", "/x", "--base-url", url)
    assert result.exit_code == 3, result.output
    line = error_line(result)
    assert "not trusted" in line and "--ca-cert" in line


def test_self_signed_certificate_is_named(https_server: Any) -> None:
    url = https_server(trustme.CA(), self_signed=True)
    result = cli("call", "GET", "/x", "--base-url", url)
    assert result.exit_code == 3, result.output
    line = error_line(result)
    assert "self-signed" in line and "--ca-cert" in line


def test_hostname_mismatch_is_named(https_server: Any, tmp_path: Path) -> None:
    ca = trustme.CA()
    url = https_server(ca, "other.example")
    result = cli("call", "GET", "/x", "--base-url", url, "--ca-cert", ca_file(ca, tmp_path))
    assert result.exit_code == 3, result.output
    assert "hostname mismatch" in error_line(result)


def test_expired_certificate_is_named(https_server: Any, tmp_path: Path) -> None:
    ca = trustme.CA()
    now = datetime.datetime.now(datetime.UTC)
    url = https_server(
        ca,
        "127.0.0.1",
        not_before=now - datetime.timedelta(days=30),
        not_after=now - datetime.timedelta(days=1),
    )
    result = cli("call", "GET", "/x", "--base-url", url, "--ca-cert", ca_file(ca, tmp_path))
    assert result.exit_code == 3, result.output
    assert "expired" in error_line(result)


def test_ca_cert_flag_env_vars_and_profile_ca_bundle_are_trusted(https_server: Any, tmp_path: Path) -> None:
    ca = trustme.CA()
    url = https_server(ca)
    pem = ca_file(ca, tmp_path)
    assert cli("call", "GET", "/x", "--base-url", url, "--ca-cert", pem).exit_code == 0
    assert cli("--ca-cert", pem, "call", "GET", "/x", "--base-url", url).exit_code == 0
    assert cli("call", "GET", "/x", "--base-url", url, env={"SSL_CERT_FILE": pem}).exit_code == 0
    assert cli("call", "GET", "/x", "--base-url", url, env={"REQUESTS_CA_BUNDLE": pem}).exit_code == 0
    config_home = tmp_path / "cfg"
    (config_home / "labs-tui").mkdir(parents=True)
    (config_home / "labs-tui" / "config.yaml").write_text(
        f"profiles:\n  corp:\n    base_url: {url}\n    ca_bundle: {pem}\n"
    )
    result = cli("call", "GET", "/x", "--profile", "corp", env={"XDG_CONFIG_HOME": str(config_home)})
    assert result.exit_code == 0, result.output
    compared = cli("compare", "GET", "/x", "--versions", "1.0,latest", "--base-url", url, "--ca-cert", pem)
    assert compared.exit_code in (0, 1), compared.output


def test_insecure_works_and_warns_on_every_use(https_server: Any) -> None:
    url = https_server(trustme.CA())
    for _ in range(2):
        result = cli("call", "GET", "/x", "--base-url", url, "--insecure")
        assert result.exit_code == 0, result.output
        assert "warning: --insecure" in result.stderr


def test_a_missing_or_garbage_ca_file_is_one_line_exit_2(tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.pem"
    garbage.write_text("not a certificate\n")
    for path in (str(tmp_path / "missing.pem"), str(garbage)):
        result = cli("call", "GET", "/x", "--base-url", "https://127.0.0.1:9", "--ca-cert", path)
        assert result.exit_code == 2, result.output
        errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
        assert len(errors) == 1 and "--ca-cert" in errors[0]
        assert "no such file" in errors[0] or "not a usable CA bundle" in errors[0]


def test_the_app_entry_takes_ca_cert_for_its_profiles(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    import labs_tui.cli.tui_cmd

    seen: dict[str, Any] = {}

    def fake_run_tui(**options: Any) -> None:
        from labs_tui.client import resolve_profile

        seen["profile"] = resolve_profile("live", env=dict(os.environ))

    monkeypatch.setattr(labs_tui.cli.tui_cmd, "run_tui", fake_run_tui)
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    pem = ca_file(trustme.CA(), tmp_path)
    result = CliRunner().invoke(__import__("labs_tui.cli").cli.main, ["--ca-cert", pem])
    assert result.exit_code == 0, result.output
    assert seen["profile"].ca_bundle == pem


def test_insecure_before_the_command_reaches_call_and_compare(https_server: Any) -> None:
    url = https_server(trustme.CA(), self_signed=True)
    result = cli("--insecure", "call", "GET", "/x", "--base-url", url)
    assert result.exit_code == 0, result.output
    assert "warning: --insecure" in result.stderr
    compared = cli("--insecure", "compare", "GET", "/x", "--versions", "1.0,latest", "--base-url", url)
    assert compared.exit_code in (0, 1), compared.output
    assert "warning: --insecure" in compared.stderr
