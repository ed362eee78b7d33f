"""Where spec bytes come from: a file, an http(s) URL with a revalidated cache, or the bundled spec.

A URL's body is kept in the platform cache dir (``user_cache_dir("labs-tui")/specs``) with its
``ETag`` and ``Last-Modified``; the next load asks the server with ``If-None-Match`` /
``If-Modified-Since`` and reuses the body on 304. When the server cannot be reached (or answers
with an error) and a cached copy exists, that copy is used and the returned notice says how old
it is: a stale spec is never used silently. Also here: the cache of parsed documents keyed by the
content hash, so a large YAML spec is parsed once.

Cache writes are atomic and best-effort: a read-only cache dir costs speed, never a failed load.
Nothing here prints; progress goes to the caller's callback.
"""

from __future__ import annotations

import hashlib
import json
import marshal
import os
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import platformdirs

from labs_tui.spec.model import SpecError

if TYPE_CHECKING:  # httpx is imported when a URL is fetched: it is not on the way to a first screen
    import httpx

MAX_BYTES = 256 * 1024 * 1024
FETCH_TIMEOUT_S = 30.0
PARSED_FORMAT = 1

Progress = Callable[[str], None]


@dataclass(frozen=True, slots=True)
class Fetched:
    data: bytes
    notice: str | None = None
    changed: bool = False  # the body differs from the cached copy (kept: ``previous_copy``)


def cache_root() -> Path:
    return Path(platformdirs.user_cache_dir("labs-tui"))


def _atomic_write(path: Path, data: bytes) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise
    except OSError:
        pass


def read_path(path: str, source: str | None = None) -> bytes:
    """A file's bytes; a missing, unreadable or oversized file is a one-line ``SpecError``."""
    label = source or path
    try:
        size = os.path.getsize(path)
        if size > MAX_BYTES:
            raise SpecError(f"the file is too large ({size // (1024 * 1024)} MiB)", source=label)
        with open(path, "rb") as handle:
            return handle.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise SpecError("no such file", source=label) from None
    except IsADirectoryError:
        raise SpecError("is a directory, not a spec file", source=label) from None
    except OSError as error:
        raise SpecError(f"cannot read: {error.strerror or error}", source=label) from None


def age_text(seconds: float) -> str:
    seconds = max(0.0, seconds)
    if seconds < 90:
        return f"{int(seconds)} s"
    if seconds < 90 * 60:
        return f"{round(seconds / 60)} min"
    if seconds < 36 * 3600:
        return f"{round(seconds / 3600)} h"
    return f"{round(seconds / 86400)} days"


def _url_paths(url: str) -> tuple[Path, Path]:
    key = hashlib.sha256(url.encode("utf-8")).hexdigest()[:32]
    folder = cache_root() / "specs"
    return folder / f"{key}.body", folder / f"{key}.json"


def previous_copy(url: str) -> Path | None:
    """The copy of ``url``'s spec cached before its last change, when a revalidation found one."""
    path = _url_paths(url)[0].with_suffix(".previous")
    return path if path.is_file() else None


def _read_cached(url: str) -> tuple[bytes, dict[str, Any]] | None:
    body_path, meta_path = _url_paths(url)
    try:
        meta = json.loads(meta_path.read_text("utf-8"))
        if not isinstance(meta, dict) or meta.get("url") != url:
            return None
        return body_path.read_bytes(), meta
    except (OSError, ValueError):
        return None


def fetch_url(
    url: str,
    *,
    progress: Progress | None = None,
    use_cache: bool = True,
    transport: httpx.BaseTransport | None = None,
) -> Fetched:
    """The body at ``url`` (following redirects), revalidating and falling back on the cache."""
    import httpx

    cached = _read_cached(url) if use_cache else None
    headers = {"Accept": "application/json, application/yaml, text/yaml, */*;q=0.5"}
    if cached is not None:
        if cached[1].get("etag"):
            headers["If-None-Match"] = str(cached[1]["etag"])
        if cached[1].get("last_modified"):
            headers["If-Modified-Since"] = str(cached[1]["last_modified"])

    def fallback(reason: str) -> Fetched:
        if cached is None:
            raise SpecError(f"cannot fetch the spec: {reason}", source=url)
        age = age_text(time.time() - float(cached[1].get("fetched_at", 0)))
        return Fetched(cached[0], notice=f"{reason}: using the cached copy from {age} ago")

    if progress is not None:
        progress(f"fetching {url}")
    try:
        with (
            httpx.Client(
                follow_redirects=True, timeout=FETCH_TIMEOUT_S, transport=transport, max_redirects=10
            ) as client,
            client.stream("GET", url, headers=headers) as response,
        ):
            if response.status_code == 304 and cached is not None:
                meta = dict(cached[1], fetched_at=time.time())
                _atomic_write(_url_paths(url)[1], json.dumps(meta).encode("utf-8"))
                return Fetched(cached[0])
            if response.status_code >= 400:
                return fallback(f"the server answered HTTP {response.status_code}")
            chunks: list[bytes] = []
            received = 0
            last_report = 0
            for chunk in response.iter_bytes():
                chunks.append(chunk)
                received += len(chunk)
                if received > MAX_BYTES:
                    raise SpecError("the spec is too large (over 256 MiB)", source=url)
                if progress is not None and received - last_report >= 1 << 20:
                    last_report = received
                    progress(f"fetching {url}: {received // 1024} KiB")
            data = b"".join(chunks)
            etag = response.headers.get("etag")
            modified = response.headers.get("last-modified")
    except httpx.HTTPError as error:
        reason = " ".join(str(error).split()) or type(error).__name__
        return fallback(f"offline ({reason})")
    changed = cached is not None and cached[0] != data
    notice = None
    if use_cache:
        body_path, meta_path = _url_paths(url)
        if changed and cached is not None:
            _atomic_write(body_path.with_suffix(".previous"), cached[0])
            age = age_text(time.time() - float(cached[1].get("fetched_at", 0)))
            notice = (
                f"the spec changed since the cached copy from {age} ago; that copy is kept"
                " (Spec changes since you last looked)"
            )
        _atomic_write(body_path, data)
        meta = {"url": url, "etag": etag, "last_modified": modified, "fetched_at": time.time()}
        _atomic_write(meta_path, json.dumps(meta).encode("utf-8"))
    return Fetched(data, notice=notice, changed=changed)


def _parsed_path(digest: str) -> Path:
    return cache_root() / "parsed" / f"{digest}.marshal"


def content_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def load_parsed(digest: str) -> Any | None:
    """The parsed document cached for this content hash, or None (missing or unreadable)."""
    try:
        raw = _parsed_path(digest).read_bytes()
        stored = marshal.loads(raw)
    except (OSError, EOFError, ValueError, TypeError):
        return None
    if isinstance(stored, tuple) and len(stored) == 3 and stored[0] == PARSED_FORMAT and stored[1] == digest:
        return stored[2]
    return None


def store_parsed(digest: str, document: Any) -> None:
    """Remember a parsed document (only plain JSON-like values, which marshal keeps exactly)."""
    try:
        data = marshal.dumps((PARSED_FORMAT, digest, document))
    except ValueError:
        return
    _atomic_write(_parsed_path(digest), data)
