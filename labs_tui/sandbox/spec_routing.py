"""Spec mode's routing: which operation serves a request, else its 404, 405 or OPTIONS reply.

A request's path is taken relative to the spec's base path (``base_path_of`` in ``generic.py``) and
matched against the spec's path templates; concrete paths match before templated ones, whatever the
method (OpenAPI). A path no template serves gets a 404 in the sandbox's own error shape; a path served
for other methods a 405 with ``Allow`` from its path item, or for OPTIONS a 204 with ``Allow``.
A part of ``SpecApp`` (``generic.py``); never prints.
"""

from __future__ import annotations

from collections.abc import Mapping

from labs_tui.sandbox.app import REQUEST_ID_HEADER, Reply, SandboxRequest, clip, error_reply
from labs_tui.sandbox.spec_answers import Headers, with_implied
from labs_tui.spec.model import Operation, Spec


class RoutingPart:
    """The routing part of ``SpecApp``, over the spec and base path ``SpecApp.__init__`` sets."""

    spec: Spec
    base_path: str

    def _route(
        self, request: SandboxRequest, rid: str, served: Headers
    ) -> tuple[Operation, Mapping[str, str]] | Reply:
        """The operation and path parameters serving the request; else its 404, 405 or OPTIONS reply."""
        relative = self._relative(request.path)
        if relative is None:
            return error_reply(404, f"No endpoint at {clip(request.path)}.", request_id=rid, headers=served)
        method = request.method
        # Spec.match is the one router: a concrete path wins over templated ones for every method.
        matched = self.spec.match(method, relative)
        if matched is None and method == "HEAD":
            matched = self.spec.match("GET", relative)
        if matched is not None:
            return matched
        allowed = self._allowed(relative)
        if not allowed:
            return error_reply(404, f"No endpoint at {clip(request.path)}.", request_id=rid, headers=served)
        allow = ", ".join(with_implied(allowed))
        if method == "OPTIONS":
            return Reply(
                status=204, headers=[(REQUEST_ID_HEADER, rid), *served, ("Allow", allow)], request_id=rid
            )
        message = f"Method {clip(method, 20)} is not allowed on {clip(relative)}; allowed: {allow}."
        return error_reply(405, message, request_id=rid, headers=[*served, ("Allow", allow)])

    def _relative(self, path: str) -> str | None:
        if not self.base_path:
            return path or "/"
        if path == self.base_path:
            return "/"
        if path.startswith(self.base_path + "/"):
            return path[len(self.base_path) :]
        return None

    def _allowed(self, relative: str) -> tuple[str, ...]:
        """The methods of the path item that serves ``relative``: the ``Allow`` of a 405."""
        return tuple(self.spec.allowed_methods(relative))
