"""The httpx transport a ``Client`` sends through when none is injected: proxy or direct, per URL.

Each request goes through the proxy the environment names for its URL (``network.proxy_for``;
loopback is always direct), with the profile's TLS trust on every connection; httpx's own
environment handling stays off.
"""

from __future__ import annotations

import ssl

import httpx

from labs_tui.client.network import ProxySettings, keep_early_answers, proxy_for


class Routing(httpx.AsyncBaseTransport):
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
