"""A spec URL whose body changed on revalidation: the previous copy is kept and the notice says so."""

from __future__ import annotations

import httpx

from labs_tui.compare import diff_specs
from labs_tui.spec import load_spec, sources

V1 = (
    b'{"openapi": "3.0.3", "info": {"title": "t", "version": "1"},'
    b' "paths": {"/a": {"get": {"responses": {"200": {"description": "ok"}}}}}}'
)
V2 = V1.replace(b'"/a"', b'"/b"')


def serve(bodies: list[bytes]) -> httpx.MockTransport:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=bodies[0], headers={"ETag": f'"{len(bodies)}"'})

    return httpx.MockTransport(handler)


def test_a_changed_body_keeps_the_previous_copy() -> None:
    url = "https://specs.example/api.json"
    bodies = [V1]
    first = sources.fetch_url(url, transport=serve(bodies))
    assert (first.changed, first.notice) == (False, None)
    assert sources.previous_copy(url) is None
    same = sources.fetch_url(url, transport=serve(bodies))
    assert (same.changed, same.notice) == (False, None) and sources.previous_copy(url) is None

    bodies[0] = V2
    changed = sources.fetch_url(url, transport=serve(bodies))
    assert changed.changed and changed.data == V2
    assert changed.notice is not None and "changed since the cached copy" in changed.notice
    kept = sources.previous_copy(url)
    assert kept is not None and kept.read_bytes() == V1

    result = diff_specs(
        load_spec(str(kept), use_cache=False), load_spec(str(kept).replace(".previous", ".body"))
    )
    assert result.to_json() == {
        "added": [{"method": "GET", "path": "/b"}],
        "removed": [{"method": "GET", "path": "/a"}],
        "changed": [],
    }
