"""A failed exchange named as one redacted line: timeout, DNS, refused, reset, TLS, proxy, header.

``network_error`` walks the exception's chain (causes and contexts) to tell the failures apart; a
request that went through a proxy and never got past it is named as the proxy's failure, and a
header httpx or h11 refused is named without its value. Every message passes through ``safe``
(the client's redaction of its token) before it leaves.
"""

from __future__ import annotations

import socket
import ssl
from collections.abc import Callable
from urllib.parse import urlsplit

import httpx

from labs_tui.client.model import NetworkError, NetworkErrorKind
from labs_tui.client.network import ProxySettings, certificate_problem, proxy_for, shown_proxy
from labs_tui.client.profiles import origin_of
from labs_tui.client.request import header_value_problem
from labs_tui.client.send_result import Progress


def timeout_message(progress: Progress, timeout: float) -> str:
    """Which part of the exchange the deadline cut: the wait for an answer, or its body."""
    host = urlsplit(progress.url).hostname or progress.url
    if progress.status is not None:
        return (
            f"the body from {host} was not complete within {timeout:g} s "
            f"({len(progress.body)} bytes received); --timeout waits longer"
        )
    return f"no answer from {host} within {timeout:g} s; --timeout waits longer"


def network_error(
    exc: BaseException,
    progress: Progress,
    *,
    timeout: float,
    proxies: ProxySettings,
    safe: Callable[[str], str],
) -> NetworkError:
    """``exc`` (met while sending to ``progress.url``) as a ``NetworkError`` whose message is ``safe``."""
    parts = urlsplit(progress.url)
    host = parts.hostname or progress.url
    where = origin_of(progress.url).split("://", 1)[-1] if parts.hostname else host
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and len(chain) < 10:
        chain.append(current)
        current = current.__cause__ or current.__context__
    text = " | ".join(str(e) for e in chain).lower()
    kind: NetworkErrorKind
    header_error = _header_error(exc, chain, progress)
    if header_error is not None:
        return NetworkError("invalid_url", header_error)
    proxy_error = _proxy_error(exc, chain, text, progress, proxies, timeout)
    if proxy_error is not None:
        return NetworkError("proxy", safe(proxy_error))
    if isinstance(exc, httpx.TimeoutException):
        return NetworkError("timeout", timeout_message(progress, timeout))
    if isinstance(exc, httpx.InvalidURL | httpx.UnsupportedProtocol) or (
        isinstance(exc, ValueError) and not isinstance(exc, OSError)
    ):
        return NetworkError("invalid_url", f"invalid URL {safe(progress.url)!r}: {one_line(exc)}")
    if any(isinstance(e, ssl.SSLError) for e in chain) or "ssl" in text or "certificate" in text:
        problem = certificate_problem(chain)
        if problem is not None:
            advice = "if you trust it, give its CA with --ca-cert FILE (or ca_bundle in the profile)"
            kind, message = "tls", f"TLS with {host} failed: {problem}; {advice}"
        else:
            kind, message = "tls", f"TLS with {host} failed: {one_line(chain[-1])}"
    elif any(isinstance(e, socket.gaierror) for e in chain) or any(
        s in text for s in ("name or service not known", "nodename nor servname", "name resolution")
    ):
        kind, message = "dns", f"could not resolve host {host}: check the base URL and the network"
    elif any(isinstance(e, ConnectionRefusedError) for e in chain) or "refused" in text:
        kind, message = "refused", f"connection refused by {where}: is the server running at this URL?"
    elif isinstance(exc, httpx.RemoteProtocolError | httpx.ReadError) or any(
        isinstance(e, ConnectionResetError | BrokenPipeError) for e in chain
    ):
        kind = "reset"
        if progress.status is not None:
            message = (
                f"the connection to {where} closed mid-body, after {len(progress.body)} bytes; "
                "the answer is incomplete"
            )
        else:
            message = f"the connection to {where} closed before an answer came"
    else:
        kind, message = "other", f"request to {where} failed: {one_line(exc) or type(exc).__name__}"
    return NetworkError(kind, safe(message))


def _header_error(exc: BaseException, chain: list[BaseException], progress: Progress) -> str | None:
    """A header httpx/h11 refused, named without its value (the message would repeat it)."""
    protocol = isinstance(exc, httpx.LocalProtocolError) or any(
        type(e).__name__ == "LocalProtocolError" for e in chain
    )
    encoding = any(isinstance(e, UnicodeEncodeError) for e in chain)
    if not (protocol or encoding):
        return None
    for name, value in progress.sent_headers:
        if header_value_problem(value) or header_value_problem(name) or not name.strip():
            return f"header {' '.join(name.split())[:80]} has an invalid character; nothing was sent"
    if protocol and "header" in str(exc).lower():
        return "a header has an invalid character; nothing was sent"
    if encoding:
        return "the request has a character HTTP cannot carry (non-ASCII in a header?); nothing was sent"
    return "the request could not be sent: HTTP refused it locally (a header or the URL is malformed)"


def _proxy_error(
    exc: BaseException,
    chain: list[BaseException],
    text: str,
    progress: Progress,
    proxies: ProxySettings,
    timeout: float,
) -> str | None:
    """The failure named as the proxy's when the request went through one and never got past it."""
    proxy = proxy_for(proxies, progress.url)
    if proxy is None or progress.status is not None:
        return None
    shown = shown_proxy(proxy)
    if isinstance(exc, httpx.ProxyError):
        return f"proxy {shown} would not connect to {urlsplit(progress.url).hostname}: {one_line(exc)}"
    if not isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout):
        return None
    if any(isinstance(e, ssl.SSLError) for e in chain):
        return None  # the tunnel worked; TLS with the target failed
    if any(isinstance(e, ConnectionRefusedError) for e in chain) or "refused" in text:
        return f"proxy {shown} refused the connection (check HTTPS_PROXY/HTTP_PROXY, or NO_PROXY)"
    if any(isinstance(e, socket.gaierror) for e in chain) or "name resolution" in text:
        return f"proxy host of {shown} could not be resolved (check HTTPS_PROXY/HTTP_PROXY)"
    if isinstance(exc, httpx.ConnectTimeout):
        return f"proxy {shown} did not answer within {timeout:g} s"
    return f"could not connect through proxy {shown}: {one_line(exc)}"


def one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:200]
