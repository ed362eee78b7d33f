"""Which CA bundle a profile trusts: ``--ca-cert``, else the profile's ``ca_bundle``, else
``SSL_CERT_FILE``, else ``REQUESTS_CA_BUNDLE``; the first one set is the one checked."""

from __future__ import annotations

import certifi
import pytest

from labs_tui.client.profiles import ProfileError, resolve_profile

PEM = certifi.where()
MISSING = "/nonexistent/ca.pem"
CONFIG = {"profiles": {"corp": {"base_url": "https://api.example.com", "ca_bundle": PEM}}}


def test_ca_cert_flag_wins_over_the_profile_and_the_environment() -> None:
    env = {"SSL_CERT_FILE": MISSING, "REQUESTS_CA_BUNDLE": MISSING}
    assert resolve_profile("corp", config=CONFIG, env=env, ca_cert=PEM).ca_bundle == PEM
    with pytest.raises(ProfileError, match="^--ca-cert: no such file"):
        resolve_profile("corp", config=CONFIG, env=env, ca_cert=MISSING)


def test_profile_bundle_wins_over_the_environment() -> None:
    env = {"SSL_CERT_FILE": MISSING, "REQUESTS_CA_BUNDLE": MISSING}
    assert resolve_profile("corp", config=CONFIG, env=env).ca_bundle == PEM


def test_ssl_cert_file_wins_over_requests_ca_bundle() -> None:
    assert (
        resolve_profile("sandbox", env={"SSL_CERT_FILE": PEM, "REQUESTS_CA_BUNDLE": MISSING}).ca_bundle == PEM
    )
    with pytest.raises(ProfileError, match="^REQUESTS_CA_BUNDLE: no such file"):
        resolve_profile("sandbox", env={"SSL_CERT_FILE": " ", "REQUESTS_CA_BUNDLE": MISSING})
    assert resolve_profile("sandbox", env={}).ca_bundle is None
