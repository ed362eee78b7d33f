"""Sending a ``CallRequest`` with one shared ``httpx.AsyncClient`` and reading the answer safely.

What this module guarantees: redirects are followed by hand (bounded) so credential headers are
dropped whenever a hop leaves the origins the profile's token is bound to; the body is read as a
stream and decompressed here with bounded output per step, so a gzip bomb stops at the cap with
memory bounded; the whole exchange has one deadline; every network failure becomes a
``NetworkError`` in the result, never an exception; the result's request, headers and body are
redacted of the token. It never prints.

This module holds the ``Client`` and its exchange (redirects, where the token may go); its parts:
``transport`` (proxy or direct, per URL), ``send_body`` (the streamed, capped, decompressed body),
``send_errors`` (a failure named as one line), ``send_result`` (the redacted ``CallResult``).
"""

from __future__ import annotations

import asyncio
import os
import ssl
import time
from collections.abc import Mapping
from types import TracebackType
from urllib.parse import urlsplit

import httpx

from labs_tui.client.model import (
    DEFAULT_BODY_CAP,
    DEFAULT_TIMEOUT_S,
    CallRequest,
    CallResult,
    NetworkError,
    Profile,
)
from labs_tui.client.network import NetworkConfigError, ProxySettings, proxy_settings, ssl_verify
from labs_tui.client.profiles import SANDBOX_TOKEN, token_allowed
from labs_tui.client.redact import is_credential_header, redact
from labs_tui.client.send_body import Undecodable, read_body
from labs_tui.client.send_errors import network_error, timeout_message
from labs_tui.client.send_result import Progress, result_of
from labs_tui.client.transport import Routing

MAX_REDIRECTS = 10
_REDIRECTS = (301, 302, 303, 307, 308)
_HTTPX_DEFAULTS = ("accept", "user-agent")


class _TooManyRedirects(Exception):
    pass


class _BadRedirect(Exception):
    pass


class Client:
    """Sends requests for one profile; use ``async with Client(profile) as client``.

    ``timeout`` bounds each connect/read and the whole exchange; ``body_cap`` bounds decoded body
    bytes kept; ``transport`` is an injected ``httpx.AsyncBaseTransport`` (tests). Without one,
    proxies come from ``env`` (``network.proxy_settings``; loopback is always direct) and TLS trust
    from the profile (``ca_bundle``, ``insecure``); httpx's own environment handling (and .netrc)
    is off. A proxy or TLS setting that cannot be used comes back as the result's network error.
    """

    def __init__(
        self,
        profile: Profile,
        *,
        timeout: float = DEFAULT_TIMEOUT_S,
        body_cap: int = DEFAULT_BODY_CAP,
        transport: httpx.AsyncBaseTransport | None = None,
        max_redirects: int = MAX_REDIRECTS,
        env: Mapping[str, str] | None = None,
    ) -> None:
        self.profile = profile
        self.timeout = timeout
        self.body_cap = body_cap
        self.max_redirects = max_redirects
        self._transport = transport
        self._http: httpx.AsyncClient | None = None
        self._env = env
        self._proxies = ProxySettings()

    async def __aenter__(self) -> Client:
        try:
            self._open()
        except NetworkConfigError:
            pass  # said by send(), as the result's network error
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()

    def _open(self) -> httpx.AsyncClient:
        if self._http is None:
            transport = self._transport
            if transport is None:
                self._proxies = proxy_settings(self._env if self._env is not None else os.environ)
                transport = Routing(self._proxies, ssl_verify(self.profile))
            self._http = httpx.AsyncClient(
                transport=transport,
                trust_env=False,
                timeout=httpx.Timeout(self.timeout),
                follow_redirects=False,
                headers={"Accept-Encoding": "gzip, deflate"},
            )
        return self._http

    async def aclose(self) -> None:
        if self._http is not None:
            await self._http.aclose()
            self._http = None

    async def send(self, request: CallRequest) -> CallResult:
        """Send and read the answer; network failures come back as ``result.network_error``."""
        started_at = time.time()
        t0 = time.perf_counter()
        progress = Progress(url=request.url)
        error: NetworkError | None = None
        try:
            async with asyncio.timeout(self.timeout):
                await self._exchange(request, progress)
        except TimeoutError:
            error = NetworkError("timeout", timeout_message(progress, self.timeout))
        except _TooManyRedirects:
            error = NetworkError(
                "too_many_redirects",
                f"more than {self.max_redirects} redirects, last to {self._safe(progress.url)}",
            )
        except _BadRedirect as bad:
            error = NetworkError("invalid_url", str(bad))
        except Undecodable as bad:
            error = NetworkError("other", str(bad))
        except NetworkConfigError as bad:
            error = NetworkError("proxy" if "proxy" in str(bad).lower() else "tls", self._safe(str(bad)))
        except (httpx.HTTPError, httpx.InvalidURL, OSError, ssl.SSLError, ValueError) as exc:
            error = network_error(exc, progress, timeout=self.timeout, proxies=self._proxies, safe=self._safe)
        elapsed = (time.perf_counter() - t0) * 1000
        return result_of(request, progress, error, elapsed, started_at, self._secrets())

    async def _exchange(self, request: CallRequest, progress: Progress) -> None:
        http = self._open()
        method, url, body = request.method, request.url, request.body
        headers = list(request.headers)
        sent_names = {name.lower() for name, _ in headers}
        was_https = False
        for hop in range(self.max_redirects + 1):
            progress.url = url
            is_https = urlsplit(url).scheme.lower() == "https"
            if was_https and not is_https:  # never downgrade: no credentials over http after https
                why = "an https -> http redirect"
                headers = self._without_token(headers, max(hop, 1), url, progress, why=why)
            elif not token_allowed(self.profile, url):
                headers = self._without_token(headers, hop, url, progress)
            was_https = was_https or is_https
            progress.sent_headers = list(headers)
            outgoing = http.build_request(method, url, headers=headers, content=body)
            for name in _HTTPX_DEFAULTS:
                if name not in sent_names and name in outgoing.headers:
                    del outgoing.headers[name]
            response = await http.send(outgoing, stream=True)
            try:
                location = response.headers.get("location")
                if response.status_code in _REDIRECTS and location:
                    if hop == self.max_redirects:
                        raise _TooManyRedirects()
                    url = self._next_url(response, location)
                    progress.redirects.append(url)
                    code = response.status_code
                    if code == 303 or (code in (301, 302) and method == "POST"):
                        method = "GET" if method != "HEAD" else method
                        body = None
                        headers = [(n, v) for n, v in headers if n.lower() not in ("content-type",)]
                    continue
                progress.status = response.status_code
                progress.reason = response.reason_phrase
                progress.http_version = response.http_version
                progress.headers = [
                    (k.decode("latin-1"), v.decode("latin-1")) for k, v in response.headers.raw
                ]
                await read_body(response, progress, self.body_cap)
                return
            finally:
                await response.aclose()

    def _without_token(
        self,
        headers: list[tuple[str, str]],
        hop: int,
        url: str,
        progress: Progress,
        why: str = "not the profile's host",
    ) -> list[tuple[str, str]]:
        token = self.profile.token
        kept: list[tuple[str, str]] = []
        for name, value in headers:
            carries_token = bool(token) and token in value  # type: ignore[operator]
            if carries_token or (hop > 0 and is_credential_header(name)):
                progress.notes.append(f"{name} not sent to {urlsplit(url).hostname}: {why}")
                continue
            kept.append((name, value))
        return kept

    @staticmethod
    def _next_url(response: httpx.Response, location: str) -> str:
        try:
            target = response.url.join(location)
        except (httpx.InvalidURL, ValueError) as exc:
            raise _BadRedirect(f"the server redirected to an invalid URL: {exc}") from None
        if target.scheme not in ("http", "https"):
            raise _BadRedirect(f"the server redirected to a non-HTTP URL ({target.scheme}:)")
        if target.userinfo:
            raise _BadRedirect("the server redirected to a URL with a user name or password; not followed")
        return str(target)

    def _secrets(self) -> list[str | None]:
        # The sandbox's demo token is public (its 401 message names it); every other token is secret.
        if self.profile.is_sandbox and self.profile.token == SANDBOX_TOKEN:
            return []
        return [self.profile.token]

    def _safe(self, text: str) -> str:
        return redact(text, self._secrets())
