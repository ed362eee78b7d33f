"""Options every request command shares about the network: checked at parse time, said in one line.

``network_options`` declares ``--ca-cert`` and ``--insecure``; the ``check_*`` helpers refuse,
before anything is sent or started, a header, pin or base URL HTTP cannot carry (exit 2) and a
proxy setting httpx cannot use (exit 3); ``warn_network`` prints the warnings every use deserves
(``--insecure``, a token over plain http). Values that may be credentials are never echoed.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

import click

from labs_tui.cli.common import EXIT_NETWORK, EXIT_USAGE, fail
from labs_tui.text import inert_line

if TYPE_CHECKING:
    from labs_tui.client import Profile

CA_CERT_HELP = "PEM file of CA certificates to trust (a company or self-signed CA)."
INSECURE_HELP = "Do not check TLS certificates (warned on every use; prefer --ca-cert)."


def ca_cert_option() -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    return click.option("--ca-cert", "ca_cert", metavar="FILE", help=CA_CERT_HELP)


def network_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """``--ca-cert FILE`` and ``--insecure`` for a command that sends requests."""
    func = click.option("--insecure", is_flag=True, help=INSECURE_HELP)(func)
    return ca_cert_option()(func)


def _warn(message: str) -> None:
    click.echo(f"warning: {inert_line(message)}", err=True)


def check_headers(headers: Iterable[tuple[str, str]]) -> None:
    """Exit 2 for a ``-H`` header HTTP cannot carry (CR/LF, control or non-ASCII characters)."""
    from labs_tui.client import RequestError, check_header

    for name, value in headers:
        try:
            check_header(name, value)
        except RequestError as error:
            fail(f"-H: {error}", EXIT_USAGE)


def check_pin(pin: str | None) -> None:
    """Exit 2 for a ``--pin`` HTTP cannot carry in a header."""
    from labs_tui.client import RequestError
    from labs_tui.client import check_pin as check

    try:
        check(pin)
    except RequestError as error:
        fail(f"--pin: {error}", EXIT_USAGE)


def check_base_url(url: str | None) -> None:
    """Exit 2 for a ``--base-url`` that is not a plain http(s) URL (userinfo, CR/LF, no host)."""
    from labs_tui.client import ProfileError
    from labs_tui.client import check_base_url as check

    if url is None:
        return
    try:
        check(url)
    except ProfileError as error:
        fail(str(error), EXIT_USAGE)


def check_target(target: str) -> None:
    """Exit 2 for an absolute URL target with a user name or password in it (never echoed)."""
    from urllib.parse import urlsplit

    if target.startswith(("http://", "https://")) and "@" in urlsplit(target).netloc:
        fail("the URL must not contain a user name or password (user:pass@host)", EXIT_USAGE)


def check_ca_cert(path: str | None) -> str | None:
    """The CA file's path, or exit 2 when it is missing or not PEM certificates."""
    from labs_tui.client import ProfileError, check_ca_bundle

    if path is None:
        return None
    try:
        return check_ca_bundle(path)
    except ProfileError as error:
        fail(str(error), EXIT_USAGE)


def check_proxies(env: Mapping[str, str] = os.environ) -> None:
    """Exit 3 with one line when the environment names a proxy httpx cannot use."""
    from labs_tui.client import NetworkConfigError, proxy_settings

    try:
        proxy_settings(env)
    except NetworkConfigError as error:
        fail(str(error), EXIT_NETWORK)


def warn_insecure(profile: Profile) -> None:
    """The warning every use of ``--insecure`` gets (``call``, ``compare`` and the app)."""
    from labs_tui.client import insecure_warning

    warning = insecure_warning(profile)
    if warning:
        _warn(warning)


def warn_network(profile: Profile) -> None:
    """The warnings due on every use: certificates not checked, a token crossing the network in clear."""
    from labs_tui.client import plain_http_warning

    warn_insecure(profile)
    warning = plain_http_warning(profile)
    if warning:
        _warn(warning)
