"""The network as users have it: proxies from the environment, and TLS trust, decided in one place.

``proxy_settings(env)`` reads ``HTTP(S)_PROXY`` / ``ALL_PROXY`` / ``NO_PROXY`` (either case) and
refuses what httpx cannot use with one line (``NetworkConfigError``); ``proxy_for`` picks the proxy
for one URL, and never one for a loopback host, so the embedded sandbox is always reached
directly. ``ssl_verify`` turns a profile's ``ca_bundle`` / ``insecure`` into what httpx takes, and
``certificate_problem`` says which certificate check failed; ``keep_early_answers`` lets a server's
early answer (a 413 sent before the body was read) be read after the body's write failed.
"""

from __future__ import annotations

import asyncio
import importlib.util
import os
import socket
import ssl
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpcore

from labs_tui.client.model import Profile
from labs_tui.client.profiles import is_loopback_host

PROXY_SCHEMES = ("http", "https", "socks5", "socks5h")


class NetworkConfigError(ValueError):
    """A proxy or TLS setting that cannot be used; ``str()`` is one line."""


@dataclass(frozen=True, slots=True)
class ProxySettings:
    http: str | None = None
    https: str | None = None
    no_proxy: tuple[str, ...] = ()
    source: Mapping[str, str] | None = None  # scheme -> the variable it came from

    @property
    def any(self) -> bool:
        return bool(self.http or self.https)


def shown_proxy(url: str) -> str:
    """The proxy URL without any user name or password in it."""
    parts = urlsplit(url)
    return parts._replace(netloc=parts.netloc.rpartition("@")[2]).geturl()


def _read(env: Mapping[str, str], name: str) -> tuple[str | None, str]:
    for key in (name.lower(), name.upper()):
        value = env.get(key, "").strip()
        if value:
            return value, key
    return None, name.upper()


def _check_proxy(value: str, var: str) -> str:
    url = value if "://" in value else f"http://{value}"
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in PROXY_SCHEMES:
        raise NetworkConfigError(
            f"{var} has an unsupported proxy scheme {scheme + '://'!r}; use http://, https:// or socks5://"
        )
    try:
        parts.port  # noqa: B018 - validates the port
    except ValueError:
        raise NetworkConfigError(f"{var} has an invalid port: {shown_proxy(url)!r}") from None
    if not parts.hostname:
        raise NetworkConfigError(f"{var} names no proxy host: {shown_proxy(url)!r}")
    if scheme.startswith("socks") and importlib.util.find_spec("socksio") is None:
        raise NetworkConfigError(
            f"{var} is a SOCKS proxy, which needs the socksio package (pip install 'httpx[socks]')"
        )
    return url


def proxy_settings(env: Mapping[str, str] = os.environ) -> ProxySettings:
    """The proxies the environment asks for; ``NetworkConfigError`` for one httpx cannot use."""
    every, every_var = _read(env, "all_proxy")
    http, http_var = _read(env, "http_proxy")
    https, https_var = _read(env, "https_proxy")
    no_proxy, _ = _read(env, "no_proxy")
    http_url = _check_proxy(http, http_var) if http else None
    https_url = _check_proxy(https, https_var) if https else None
    every_url = _check_proxy(every, every_var) if every else None
    hosts = tuple(h.strip().lower() for h in (no_proxy or "").split(",") if h.strip())
    if "*" in hosts:
        return ProxySettings()
    return ProxySettings(
        http=http_url or every_url,
        https=https_url or every_url,
        no_proxy=hosts,
        source={"http": http_var if http_url else every_var, "https": https_var if https_url else every_var},
    )


def _bypassed(host: str, port: int | None, no_proxy: tuple[str, ...]) -> bool:
    for entry in no_proxy:
        name, _, entry_port = entry.partition(":") if entry.count(":") == 1 else (entry, "", "")
        name = name.strip("[]").lstrip("*")
        if entry_port and port is not None and entry_port != str(port):
            continue
        if name.startswith("."):
            if host.endswith(name) or host == name[1:]:
                return True
        elif host == name or host.endswith("." + name):
            return True
    return False


def proxy_for(settings: ProxySettings, url: str) -> str | None:
    """The proxy URL to send ``url`` through, or None: direct for loopback and ``NO_PROXY`` hosts."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if not host or is_loopback_host(host):
        return None
    proxy = settings.https if parts.scheme.lower() == "https" else settings.http
    if proxy is None:
        return None
    try:
        port = parts.port
    except ValueError:
        port = None
    return None if _bypassed(host, port, settings.no_proxy) else proxy


def ssl_verify(profile: Profile) -> ssl.SSLContext | bool:
    """What httpx's ``verify`` takes for this profile: False (--insecure), a context, or True."""
    if profile.insecure:
        return False
    if profile.ca_bundle:
        try:
            return ssl.create_default_context(cafile=profile.ca_bundle)
        except (ssl.SSLError, OSError) as error:
            raise NetworkConfigError(
                f"the CA bundle {profile.ca_bundle!r} could not be loaded: {error}"
            ) from None
    return True


# OpenSSL verify codes (X509_V_ERR_*) people meet, in words.
_VERIFY_CODES = {
    9: "the server's certificate is not valid yet (check this machine's clock)",
    10: "the server's certificate has expired",
    18: "the server's certificate is self-signed",
    19: "the server's certificate chain ends in a self-signed CA that is not trusted",
    20: "the server's certificate was issued by a CA that is not trusted (unknown CA)",
    21: "the server's certificate was issued by a CA that is not trusted (unknown CA)",
    62: "the server's certificate is for another host name (hostname mismatch)",
    64: "the server's certificate is for another IP address (hostname mismatch)",
}


def certificate_problem(chain: list[BaseException]) -> str | None:
    """Which certificate check failed, in words, when ``chain`` holds a verification error."""
    for error in chain:
        if isinstance(error, ssl.SSLCertVerificationError):
            code = getattr(error, "verify_code", None)
            if code in _VERIFY_CODES:
                return _VERIFY_CODES[code]
            message = getattr(error, "verify_message", None) or "verification failed"
            return f"the server's certificate was not accepted ({message})"
    return None


class _KeepAnswerStream(httpcore.AsyncNetworkStream):
    """A plain TCP stream that can still read the answer after a failed write.

    A server may answer early (413, 401) and close without reading the whole request body; its
    unread data makes the close a reset, our next write fails, and asyncio closes the socket,
    losing the answer that already arrived. A duplicate of the socket is kept so that, after a
    write error, httpcore's read of the response comes from the kernel's buffer instead.
    """

    def __init__(self, inner: httpcore.AsyncNetworkStream) -> None:
        self._inner = inner
        self._spare: socket.socket | None = None
        self._broken = False
        raw = inner.get_extra_info("socket")
        if raw is not None and hasattr(raw, "fileno"):  # asyncio hands out a TransportSocket
            try:
                self._spare = socket.socket(fileno=os.dup(raw.fileno()))
                self._spare.setblocking(False)
            except OSError:
                self._spare = None

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        if not self._broken or self._spare is None:
            return await self._inner.read(max_bytes, timeout)
        loop = asyncio.get_running_loop()
        try:
            return await asyncio.wait_for(loop.sock_recv(self._spare, max_bytes), timeout)
        except TimeoutError:
            raise httpcore.ReadTimeout("no answer after the server stopped reading the request") from None
        except OSError as error:
            raise httpcore.ReadError(str(error)) from error

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        try:
            await self._inner.write(buffer, timeout)
        except httpcore.WriteError:
            self._broken = True
            raise

    async def aclose(self) -> None:
        if self._spare is not None:
            self._spare.close()
            self._spare = None
        await self._inner.aclose()

    async def start_tls(
        self, ssl_context: ssl.SSLContext, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.AsyncNetworkStream:
        if self._spare is not None:  # TLS state lives in the inner stream: no fallback there
            self._spare.close()
            self._spare = None
        return await self._inner.start_tls(ssl_context, server_hostname, timeout)

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class KeepAnswerBackend(httpcore.AsyncNetworkBackend):
    """httpcore's default backend, with streams that keep an early answer (see ``_KeepAnswerStream``)."""

    def __init__(self) -> None:
        self._inner = httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        stream = await self._inner.connect_tcp(host, port, timeout, local_address, socket_options)
        return _KeepAnswerStream(stream)

    async def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.AsyncNetworkStream:
        return await self._inner.connect_unix_socket(path, timeout, socket_options)

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


def keep_early_answers(transport: Any) -> None:
    """Give an ``httpx.AsyncHTTPTransport``'s pool the backend above (a no-op if httpx changes)."""
    pool = getattr(transport, "_pool", None)
    if pool is not None and hasattr(pool, "_network_backend"):
        pool._network_backend = KeepAnswerBackend()
