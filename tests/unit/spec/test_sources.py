"""URL loading on loopback: the body cache revalidated with ETag, the offline fallback said out loud,
relative references against a URL, and the parsed-document cache keyed by content."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from labs_tui.spec import SpecError, load_spec, sources

SpecServer = Any  # the conftest's loopback server state

MAIN = b"""openapi: 3.0.3
info: {title: Remote, version: "1"}
paths:
  /things:
    get:
      operationId: listThings
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "schemas/thing.yaml#/Thing"}
"""
THING = b"Thing: {type: object, properties: {id: {type: integer, example: 42}}}\n"


def test_url_is_fetched_cached_and_revalidated(spec_server: SpecServer) -> None:
    spec_server.files = {"/api/spec.yaml": MAIN, "/api/schemas/thing.yaml": THING}
    url = spec_server.base_url + "/api/spec.yaml"
    messages: list[str] = []
    spec = load_spec(url, progress=messages.append)
    assert spec.source == url and spec.notice is None
    assert any(url in m for m in messages)
    listing = spec.find("listThings")
    assert listing is not None
    media = listing.response(200).preferred()  # type: ignore[union-attr]
    assert media is not None and spec.example(media.schema) == {"id": 42}  # relative to the URL
    assert "if-none-match" not in spec_server.requests[0]

    again = load_spec(url)
    assert again.notice is None and again.title == "Remote"
    main_requests = [r for r in spec_server.requests if r.get("if-none-match")]
    assert main_requests and main_requests[-1]["if-none-match"] == '"v1"'  # answered 304 from the cache


def test_offline_uses_the_cache_and_says_how_old(spec_server: SpecServer) -> None:
    spec_server.files = {"/spec.yaml": MAIN}
    url = spec_server.base_url + "/spec.yaml"
    load_spec(url)
    spec_server.status = 503
    spec = load_spec(url)
    assert spec.notice is not None and "HTTP 503" in spec.notice and "cached copy from" in spec.notice


def test_unreachable_without_a_cache_is_a_spec_error(spec_server: SpecServer) -> None:
    url = spec_server.base_url + "/missing.yaml"
    with pytest.raises(SpecError, match="HTTP 404"):
        load_spec(url)
    with pytest.raises(SpecError, match="cannot fetch the spec: offline"):
        load_spec("http://127.0.0.1:9/spec.yaml")  # discard port: nothing listens


def test_connection_refused_falls_back_to_an_aged_cache(
    spec_server: SpecServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec_server.files = {"/spec.yaml": MAIN}
    url = spec_server.base_url + "/spec.yaml"
    load_spec(url)
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() + 3 * 3600)

    def refuse(self: httpx.Client, *args: object, **kwargs: object) -> object:
        raise httpx.ConnectError("connection refused")

    monkeypatch.setattr(httpx.Client, "stream", refuse)
    spec = load_spec(url)
    assert spec.title == "Remote"
    assert spec.notice == "offline (connection refused): using the cached copy from 3 h ago"


def test_yaml_is_parsed_once_per_content(tmp_path: Path, corpus: Path) -> None:
    path = tmp_path / "spec.yaml"
    path.write_bytes((corpus / "params.yaml").read_bytes())
    first = load_spec(str(path))
    cached_files = list((sources.cache_root() / "parsed").iterdir())
    assert len(cached_files) == 1
    second = load_spec(str(path))
    assert second.document == first.document
    assert [o.key for o in second.operations] == [o.key for o in first.operations]
    # A corrupt cache entry is ignored, never trusted.
    cached_files[0].write_bytes(b"garbage")
    assert load_spec(str(path)).document == first.document
    # Changed content gets its own entry.
    path.write_text(path.read_text() + "\nx-extra: 1\n")
    assert load_spec(str(path)).document["x-extra"] == 1
    assert len(list((sources.cache_root() / "parsed").iterdir())) == 2
    assert load_spec(str(path), use_cache=False).document["x-extra"] == 1


def test_cache_is_under_the_platform_cache_dir() -> None:
    assert str(sources.cache_root()).startswith(os.environ["XDG_CACHE_HOME"])
