"""Sending a ``CallRequest`` with one shared ``httpx.AsyncClient`` and reading the answer safely.

What this module guarantees: redirects are followed by hand (bounded) so credential headers are
dropped whenever a hop leaves the origins the profile's token is bound to; the body is read as a
stream and decompressed here with bounded output per step, so a gzip bomb stops at the cap with
memory bounded; the whole exchange has one deadline; every network failure becomes a
``NetworkError`` in the result, never an exception; the result's request, headers and body are
redacted of the token. It never prints.
"""

from __future__ import annotations

import asyncio
import os
import socket
import ssl
import time
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import TracebackType
from urllib.parse import urlsplit

import httpx

from labs_tui.client.classify import classify
from labs_tui.client.model import (
    DEFAULT_BODY_CAP,
    DEFAULT_TIMEOUT_S,
    CallRequest,
    CallResult,
    NetworkError,
    NetworkErrorKind,
    Profile,
)
from labs_tui.client.network import (
    NetworkConfigError,
    ProxySettings,
    certificate_problem,
    keep_early_answers,
    proxy_for,
    proxy_settings,
    shown_proxy,
    ssl_verify,
)
from labs_tui.client.profiles import SANDBOX_TOKEN, origin_of, token_allowed
from labs_tui.client.redact import is_credential_header, mask_query, redact, redact_bytes, redact_headers
from labs_tui.client.request import header_value_problem

MAX_REDIRECTS = 10
_REDIRECTS = (301, 302, 303, 307, 308)
_STEP = 64 * 1024
_HTTPX_DEFAULTS = ("accept", "user-agent")


class _TooManyRedirects(Exception):
    pass


class _BadRedirect(Exception):
    pass


class _Undecodable(Exception):
    pass


class _Inflater:
    """Incremental gzip/deflate decoding that never produces more than asked for in one step."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self._first = True
        self._obj = self._new()

    def _new(self) -> zlib._Decompress:
        return zlib.decompressobj(16 + zlib.MAX_WBITS if self.kind == "gzip" else zlib.MAX_WBITS)

    def feed(self, data: bytes, room: int) -> bytes:
        """Decoded bytes from ``data``: at most ``room + 1`` (one more than fits shows the cap is hit)."""
        out = bytearray()
        buf = data
        while True:
            limit = min(_STEP, room + 1 - len(out))
            if limit <= 0:
                return bytes(out)
            try:
                chunk = self._obj.decompress(buf, limit)
            except zlib.error as error:
                if self.kind == "deflate" and self._first:
                    self._first = False
                    self._obj = zlib.decompressobj(-zlib.MAX_WBITS)
                    continue
                raise _Undecodable(f"the {self.kind} body could not be decompressed: {error}") from None
            self._first = False
            out += chunk
            if self._obj.eof:
                buf = self._obj.unused_data
                if not buf or self.kind != "gzip":
                    return bytes(out)
                self._obj = self._new()
                continue
            buf = self._obj.unconsumed_tail
            if not buf and len(chunk) < limit:
                return bytes(out)


class _Routing(httpx.AsyncBaseTransport):
    """Each request through the proxy the environment names for its URL, or directly (loopback)."""

    def __init__(self, settings: ProxySettings, verify: ssl.SSLContext | bool) -> None:
        self.settings = settings
        self.direct = httpx.AsyncHTTPTransport(verify=verify, trust_env=False)
        keep_early_answers(self.direct)
        self.proxied: dict[str, httpx.AsyncHTTPTransport] = {}
        for proxy in {settings.http, settings.https} - {None}:
            assert proxy is not None
            self.proxied[proxy] = httpx.AsyncHTTPTransport(verify=verify, trust_env=False, proxy=proxy)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        proxy = proxy_for(self.settings, str(request.url))
        transport = self.direct if proxy is None else self.proxied[proxy]
        return await transport.handle_async_request(request)

    async def aclose(self) -> None:
        for transport in (self.direct, *self.proxied.values()):
            await transport.aclose()


@dataclass(slots=True)
class _Progress:
    url: str
    status: int | None = None
    reason: str = ""
    http_version: str = ""
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytearray = field(default_factory=bytearray)
    truncated: bool = False
    redirects: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    sent_headers: list[tuple[str, str]] = field(default_factory=list)


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
                transport = _Routing(self._proxies, ssl_verify(self.profile))
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
        progress = _Progress(url=request.url)
        error: NetworkError | None = None
        try:
            async with asyncio.timeout(self.timeout):
                await self._exchange(request, progress)
        except TimeoutError:
            error = NetworkError("timeout", self._timeout_message(progress))
        except _TooManyRedirects:
            error = NetworkError(
                "too_many_redirects",
                f"more than {self.max_redirects} redirects, last to {self._safe(progress.url)}",
            )
        except _BadRedirect as bad:
            error = NetworkError("invalid_url", str(bad))
        except _Undecodable as bad:
            error = NetworkError("other", str(bad))
        except NetworkConfigError as bad:
            error = NetworkError("proxy" if "proxy" in str(bad).lower() else "tls", self._safe(str(bad)))
        except (httpx.HTTPError, httpx.InvalidURL, OSError, ssl.SSLError, ValueError) as exc:
            error = self._network_error(exc, progress)
        elapsed = (time.perf_counter() - t0) * 1000
        return self._result(request, progress, error, elapsed, started_at)

    async def _exchange(self, request: CallRequest, progress: _Progress) -> None:
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
                await self._read_body(response, progress)
                return
            finally:
                await response.aclose()

    def _without_token(
        self,
        headers: list[tuple[str, str]],
        hop: int,
        url: str,
        progress: _Progress,
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

    async def _read_body(self, response: httpx.Response, progress: _Progress) -> None:
        if response.is_stream_consumed:
            # An injected transport handed over a response built from bytes: httpx already read
            # (and decoded) it, so only the cap is left to apply.
            content = response.content
            progress.body += content[: self.body_cap]
            progress.truncated = len(content) > self.body_cap
            return
        encodings = [
            e.strip().lower() for e in response.headers.get("content-encoding", "").split(",") if e.strip()
        ]
        encodings = [e for e in encodings if e != "identity"]
        inflater: _Inflater | None = None
        if len(encodings) == 1 and encodings[0] in ("gzip", "x-gzip", "deflate"):
            inflater = _Inflater("deflate" if encodings[0] == "deflate" else "gzip")
        elif encodings:
            progress.notes.append(f"body kept as sent: content-encoding {', '.join(encodings)} not decoded")
        cap = self.body_cap
        # Closed here when the cap stops the read, not whenever the garbage collector finds the
        # abandoned generator: the connection is released at a known point.
        chunks = response.aiter_raw()
        try:
            async for raw in chunks:
                room = cap - len(progress.body)
                data = inflater.feed(raw, room) if inflater is not None else raw[: room + 1]
                if len(data) > room:
                    progress.body += data[:room]
                    progress.truncated = True
                    return
                progress.body += data
        finally:
            await chunks.aclose()  # type: ignore[attr-defined]

    def _timeout_message(self, progress: _Progress) -> str:
        host = urlsplit(progress.url).hostname or progress.url
        if progress.status is not None:
            return (
                f"the body from {host} was not complete within {self.timeout:g} s "
                f"({len(progress.body)} bytes received); --timeout waits longer"
            )
        return f"no answer from {host} within {self.timeout:g} s; --timeout waits longer"

    def _network_error(self, exc: BaseException, progress: _Progress) -> NetworkError:
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
        header_error = self._header_error(exc, chain, progress)
        if header_error is not None:
            return NetworkError("invalid_url", header_error)
        proxy_error = self._proxy_error(exc, chain, text, progress)
        if proxy_error is not None:
            return NetworkError("proxy", self._safe(proxy_error))
        if isinstance(exc, httpx.TimeoutException):
            return NetworkError("timeout", self._timeout_message(progress))
        if isinstance(exc, httpx.InvalidURL | httpx.UnsupportedProtocol) or (
            isinstance(exc, ValueError) and not isinstance(exc, OSError)
        ):
            return NetworkError("invalid_url", f"invalid URL {self._safe(progress.url)!r}: {_one_line(exc)}")
        if any(isinstance(e, ssl.SSLError) for e in chain) or "ssl" in text or "certificate" in text:
            problem = certificate_problem(chain)
            if problem is not None:
                advice = "if you trust it, give its CA with --ca-cert FILE (or ca_bundle in the profile)"
                kind, message = "tls", f"TLS with {host} failed: {problem}; {advice}"
            else:
                kind, message = "tls", f"TLS with {host} failed: {_one_line(chain[-1])}"
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
            kind, message = "other", f"request to {where} failed: {_one_line(exc) or type(exc).__name__}"
        return NetworkError(kind, self._safe(message))

    @staticmethod
    def _header_error(exc: BaseException, chain: list[BaseException], progress: _Progress) -> str | None:
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
        self, exc: BaseException, chain: list[BaseException], text: str, progress: _Progress
    ) -> str | None:
        """The failure named as the proxy's when the request went through one and never got past it."""
        proxy = proxy_for(self._proxies, progress.url)
        if proxy is None or progress.status is not None:
            return None
        shown = shown_proxy(proxy)
        if isinstance(exc, httpx.ProxyError):
            return f"proxy {shown} would not connect to {urlsplit(progress.url).hostname}: {_one_line(exc)}"
        if not isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout):
            return None
        if any(isinstance(e, ssl.SSLError) for e in chain):
            return None  # the tunnel worked; TLS with the target failed
        if any(isinstance(e, ConnectionRefusedError) for e in chain) or "refused" in text:
            return f"proxy {shown} refused the connection (check HTTPS_PROXY/HTTP_PROXY, or NO_PROXY)"
        if any(isinstance(e, socket.gaierror) for e in chain) or "name resolution" in text:
            return f"proxy host of {shown} could not be resolved (check HTTPS_PROXY/HTTP_PROXY)"
        if isinstance(exc, httpx.ConnectTimeout):
            return f"proxy {shown} did not answer within {self.timeout:g} s"
        return f"could not connect through proxy {shown}: {_one_line(exc)}"

    def _secrets(self) -> list[str | None]:
        # The sandbox's demo token is public (its 401 message names it); every other token is secret.
        if self.profile.is_sandbox and self.profile.token == SANDBOX_TOKEN:
            return []
        return [self.profile.token]

    def _safe(self, text: str) -> str:
        return redact(text, self._secrets())

    def _result(
        self,
        request: CallRequest,
        progress: _Progress,
        error: NetworkError | None,
        elapsed_ms: float,
        started_at: float,
    ) -> CallResult:
        secrets = self._secrets()
        body = bytes(progress.body)
        content_type = next((v for k, v in progress.headers if k.lower() == "content-type"), "")
        shown = redact_bytes(body, secrets)
        classified = classify(shown, content_type, truncated=progress.truncated or error is not None)
        token_in = request.token_in

        def hide(url: str) -> str:  # a query token is masked by name, whatever its length
            return mask_query(url, token_in[1]) if token_in is not None and token_in[0] == "query" else url

        safe_request = CallRequest(
            method=request.method,
            url=redact(hide(request.url), secrets),
            headers=redact_headers(
                request.headers, secrets, [token_in[1]] if token_in and token_in[0] == "header" else []
            ),
            body=redact_bytes(request.body, secrets) if request.body is not None else None,
            pin=request.pin,
            operation_key=request.operation_key,
            notes=tuple(redact(n, secrets) for n in request.notes),
            token_in=token_in,
        )
        return CallResult(
            request=safe_request,
            status=progress.status,
            reason=progress.reason,
            http_version=progress.http_version,
            headers=redact_headers(tuple(progress.headers), secrets),
            elapsed_ms=elapsed_ms,
            size=len(body),
            body=shown,
            truncated=progress.truncated,
            content_type=content_type,
            content_kind=classified.kind,
            text=classified.text,
            json=classified.json,
            json_error=classified.json_error,
            network_error=error,
            started_at=started_at,
            final_url=redact(hide(progress.url), secrets) if progress.status is not None else "",
            redirects=tuple(redact(hide(u), secrets) for u in progress.redirects),
            notes=tuple(redact(n, secrets) for n in progress.notes),
        )


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:200]
