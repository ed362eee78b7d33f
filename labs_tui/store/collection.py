"""Saved requests: one YAML file per request in a collection folder, to share a failing call and re-run it.

The format is stable and documented in the README ("Saved requests"); a file written by this version is read
by every later one. A file holds what is needed to send the request again and nothing secret:

```yaml
labs-tui-request: 1          # the format version
name: demo pinned to 1.0
method: GET
path: /examples/demo         # a spec path template, a concrete path, or an absolute URL
operation: getExampleDemo    # optional: the spec operation (operationId or "METHOD PATH")
path_params: {}              # {name: value}
query: []                    # [{name, value}], order and repeats kept
headers:                     # [{name, value}]; Authorization is never written
  - {name: X-Labs-API-Version, value: "1.0"}
body: null                   # text, or null
form: []                     # optional: multipart fields [{name, value}]; value "@path" uploads a file
pin: "1.0"                   # the X-Labs-API-Version sent; null = latest
profile: sandbox             # the profile's name, never its token
```

Values may hold ``${NAME}`` variables (``labs_tui.client.variables``), filled at send time from the
environment and the ``.env`` file beside the collection. Writes are atomic; nothing here prints.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from labs_tui.spec import DEFAULT_VERSION_HEADER
from labs_tui.store.paths import atomic_write, data_dir

__all__ = [
    "FORMAT_VERSION",
    "CollectionError",
    "SavedRequest",
    "default_collection_dir",
    "dotenv_values",
    "from_curl",
    "list_requests",
    "load_request",
    "save_request",
]

FORMAT_VERSION = 1
_FORMAT_KEY = "labs-tui-request"
_MAX_FILE = 8 * 1024 * 1024
_SECRET_HEADERS = {"authorization", "proxy-authorization", "cookie", "x-api-key"}
_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")

Pairs = tuple[tuple[str, str], ...]


class CollectionError(ValueError):
    """A saved request that cannot be read or written; ``str()`` is one line naming the file."""


@dataclass(frozen=True)
class SavedRequest:
    name: str
    method: str
    path: str
    operation: str | None = None
    path_params: Mapping[str, str] = field(default_factory=dict)
    query: Pairs = ()
    headers: Pairs = ()
    body: str | None = None
    pin: str | None = None
    profile: str | None = None
    form: Pairs = ()  # multipart/form-data fields as curl -F has them: "text", or "@path" for a file

    def without_secrets(self) -> SavedRequest:
        """The same request with every credential-carrying header left out."""
        kept = tuple((n, v) for n, v in self.headers if n.lower() not in _SECRET_HEADERS)
        return self if kept == self.headers else _replace(self, headers=kept)


def _replace(saved: SavedRequest, **changes: Any) -> SavedRequest:
    from dataclasses import replace

    return replace(saved, **changes)


def from_curl(
    parsed: Any,
    version_header: str = DEFAULT_VERSION_HEADER,
    name: str = "curl import",
    *,
    keep_credentials: bool = False,
) -> SavedRequest:
    """A parsed curl command (``client.curl.CurlRequest``) as a request; its version header is the pin.

    ``keep_credentials`` leaves the credential headers in, for ``store.imported.open_request`` to drop
    with a notice once the operation is known (it drops the rest)."""
    header = version_header.lower()
    pin = next((value for n, value in parsed.headers if n.lower() == header), None)
    saved = SavedRequest(
        name=name,
        method=parsed.method,
        path=parsed.url,
        headers=tuple((n, v) for n, v in parsed.headers if n.lower() != header),
        body=parsed.body,
        pin=pin,
        form=tuple(parsed.form),
    )
    return saved if keep_credentials else saved.without_secrets()


def default_collection_dir() -> Path:
    """``<data dir>/collection``: where requests are saved unless ``--collection DIR`` says otherwise."""
    return data_dir() / "collection"


def file_name(name: str) -> str:
    """A safe file name for a request called ``name`` (``demo 401`` -> ``demo-401.yaml``)."""
    stem = _UNSAFE_NAME.sub("-", name.strip()).strip("-.")[:80] or "request"
    return f"{stem}.yaml"


def _pairs_out(pairs: Iterable[tuple[str, str]]) -> list[dict[str, str]]:
    return [{"name": str(name), "value": str(value)} for name, value in pairs]


def to_document(saved: SavedRequest) -> dict[str, Any]:
    clean = saved.without_secrets()
    return {
        _FORMAT_KEY: FORMAT_VERSION,
        "name": clean.name,
        "method": clean.method.upper(),
        "path": clean.path,
        "operation": clean.operation,
        "path_params": {str(k): str(v) for k, v in clean.path_params.items()},
        "query": _pairs_out(clean.query),
        "headers": _pairs_out(clean.headers),
        "body": clean.body,
        "pin": clean.pin,
        "profile": clean.profile,
        **({"form": _pairs_out(clean.form)} if clean.form else {}),
    }


def save_request(saved: SavedRequest, directory: Path, *, file: Path | None = None) -> Path:
    """Write ``saved`` (without secrets) into ``directory`` atomically; returns the file written."""
    target = file if file is not None else directory / file_name(saved.name)
    text = yaml.safe_dump(to_document(saved), sort_keys=False, allow_unicode=True, default_flow_style=False)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(target, text.encode("utf-8"), mode=0o644)
    except OSError as error:
        raise CollectionError(f"cannot save {target}: {error.strerror or error}") from None
    return target


def _pairs_in(value: Any, key: str, where: Path) -> Pairs:
    if value is None:
        return ()
    if isinstance(value, Mapping):
        return tuple((str(k), "" if v is None else str(v)) for k, v in value.items())
    if not isinstance(value, list):
        raise CollectionError(f"{where}: '{key}' must be a list of {{name, value}}")
    pairs: list[tuple[str, str]] = []
    for item in value:
        if not isinstance(item, Mapping) or "name" not in item:
            raise CollectionError(f"{where}: each '{key}' entry needs a name and a value")
        pairs.append((str(item["name"]), "" if item.get("value") is None else str(item["value"])))
    return tuple(pairs)


def _text(document: Mapping[str, Any], key: str, where: Path, *, required: bool = False) -> str | None:
    value = document.get(key)
    if value is None:
        if required:
            raise CollectionError(f"{where}: '{key}' is missing")
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise CollectionError(f"{where}: '{key}' must be text")
    return str(value)


def from_document(document: Any, where: Path) -> SavedRequest:
    if not isinstance(document, Mapping) or _FORMAT_KEY not in document:
        raise CollectionError(f"{where} is not a labs-tui saved request (no '{_FORMAT_KEY}: 1' line)")
    version = document[_FORMAT_KEY]
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise CollectionError(f"{where}: '{_FORMAT_KEY}' must be a format number")
    if version > FORMAT_VERSION:
        raise CollectionError(f"{where} uses format {version}; this labs-tui reads up to {FORMAT_VERSION}")
    params = document.get("path_params") or {}
    if not isinstance(params, Mapping):
        raise CollectionError(f"{where}: 'path_params' must be a mapping")
    method = _text(document, "method", where, required=True) or "GET"
    return SavedRequest(
        name=_text(document, "name", where) or where.stem,
        method=method.upper(),
        path=_text(document, "path", where, required=True) or "",
        operation=_text(document, "operation", where),
        path_params={str(k): "" if v is None else str(v) for k, v in params.items()},
        query=_pairs_in(document.get("query"), "query", where),
        headers=_pairs_in(document.get("headers"), "headers", where),
        body=_text(document, "body", where),
        pin=_text(document, "pin", where),
        profile=_text(document, "profile", where),
        form=_pairs_in(document.get("form"), "form", where),
    ).without_secrets()


def load_request(path: Path) -> SavedRequest:
    """Read one saved request; ``CollectionError`` (one line) for a missing, huge or malformed file."""
    try:
        if path.stat().st_size > _MAX_FILE:
            raise CollectionError(
                f"{path} is larger than {_MAX_FILE // (1024 * 1024)} MiB: not a saved request"
            )
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise CollectionError(f"cannot read {path}: {error.strerror or error}") from None
    except UnicodeDecodeError:
        raise CollectionError(f"{path} is not UTF-8 text") from None
    try:
        document = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        at = f" (line {mark.line + 1})" if mark is not None else ""
        raise CollectionError(f"{path} is not valid YAML{at}") from None
    return from_document(document, path)


def list_requests(directory: Path) -> list[tuple[Path, SavedRequest | CollectionError]]:
    """Every ``*.yaml``/``*.yml`` file in ``directory`` (sorted), read or with the reason it could not be."""
    if not directory.is_dir():
        return []
    found: list[tuple[Path, SavedRequest | CollectionError]] = []
    for path in sorted([*directory.glob("*.yaml"), *directory.glob("*.yml")]):
        try:
            found.append((path, load_request(path)))
        except CollectionError as error:
            found.append((path, error))
    return found


def dotenv_values(directory: Path) -> dict[str, str]:
    """The ``.env`` file beside a collection as ``{NAME: value}`` ({} when it is absent or unreadable)."""
    from labs_tui.client.variables import parse_dotenv

    try:
        return parse_dotenv((directory / ".env").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        return {}
