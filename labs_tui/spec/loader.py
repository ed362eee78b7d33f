"""``load_spec``: a source (bundled, path, URL) to a ``Spec``, or one ``SpecError``.

The steps: read the bytes (``sources``), parse them (``parse``; YAML through the content-hash
cache), check that it is an OpenAPI 3.0/3.1/3.2 or Swagger 2.0 document, convert 2.0, census the
``$ref``s written in the text so broken ones are reported at once, and build the model
(``build``). Referenced files are read relative to the spec's own location, file or URL, when a
reference is first followed. Nothing here prints.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from labs_tui.gcpause import gc_paused
from labs_tui.spec.build import build_spec, text
from labs_tui.spec.convert import convert_swagger2, original_ref, rewrite_ref
from labs_tui.spec.engine import Engine
from labs_tui.spec.model import Spec, SpecError
from labs_tui.spec.parse import decode, first_char, parse_bytes, parse_text
from labs_tui.spec.refs import is_url, refs_in_text
from labs_tui.spec.sources import content_digest, fetch_url, load_parsed, read_path, store_parsed

BUNDLED_SPEC = Path(__file__).resolve().parent.parent / "specs" / "astro-labs-v1.yaml"
_SUPPORTED = re.compile(r"^3\.[012](?:\.\d+)?(?:-[\w.]+)?$")


def _line_of(text_: str, key: str) -> int | None:
    found = re.search(rf"""^\s*["']?{re.escape(key)}["']?\s*:""", text_, re.MULTILINE)
    return text_.count("\n", 0, found.start()) + 1 if found else None


def _describe(value: Any) -> str:
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "a string"
    if value is None:
        return "empty"
    return f"a {type(value).__name__}"


def parse_document(data: bytes, label: str, *, use_cache: bool) -> tuple[Any, str]:
    """Bytes to (document, text): JSON directly, YAML through the parsed-document cache."""
    text_ = decode(data, label)
    first = first_char(text_)
    if use_cache and first not in ("{", "[", ""):
        digest = content_digest(data)
        cached = load_parsed(digest)
        if cached is not None:
            return cached, text_
        document, syntax = parse_text(text_, label)
        if syntax == "yaml" and isinstance(document, dict):
            store_parsed(digest, document)
        return document, text_
    return parse_text(text_, label)[0], text_


def validate(document: Any, label: str, text_: str) -> str:
    """The OpenAPI version string, or a ``SpecError`` saying why this is not a usable document."""
    if document is None:
        raise SpecError("the file is empty", source=label)
    if not isinstance(document, Mapping):
        raise SpecError(f"not an OpenAPI document: the top level is {_describe(document)}", source=label)
    if "openapi" in document:
        version = text(document["openapi"])
        if not _SUPPORTED.match(version):
            raise SpecError(
                f"unsupported OpenAPI version '{version}' (3.0, 3.1, 3.2 and Swagger 2.0 are read)",
                source=label,
                line=_line_of(text_, "openapi"),
            )
    elif "swagger" in document:
        version = text(document["swagger"])
        if version not in ("2.0", "2"):
            raise SpecError(
                f"unsupported Swagger version '{version}'", source=label, line=_line_of(text_, "swagger")
            )
        version = "2.0"
    else:
        raise SpecError(
            "not an OpenAPI document: no 'openapi' or 'swagger' key at the top level", source=label
        )
    for key in ("paths", "webhooks"):
        if key in document and document[key] is not None and not isinstance(document[key], Mapping):
            raise SpecError(
                f"'{key}' is {_describe(document[key])}, not a mapping",
                source=label,
                line=_line_of(text_, key),
            )
    if (
        "components" in document
        and document["components"] is not None
        and not isinstance(document["components"], Mapping)
    ):
        raise SpecError("'components' is not a mapping", source=label, line=_line_of(text_, "components"))
    return version


def _fetcher(use_cache: bool) -> Callable[[str], Any]:
    def fetch(location: str) -> Any:
        data = fetch_url(location, use_cache=use_cache).data if is_url(location) else read_path(location)
        return parse_bytes(data, location)[0]

    return fetch


def load_spec(
    source: str | Path | None = None,
    *,
    progress: Callable[[str], None] | None = None,
    use_cache: bool = True,
) -> Spec:
    """Load and index a spec. ``None``/``"bundled"``: the bundled Labs spec; a path; an http(s) URL.

    ``progress`` receives short status lines while a URL downloads. ``use_cache=False`` neither
    reads nor writes the URL and parsed-document caches. Raises ``SpecError`` (one line).
    """
    notice: str | None = None
    if source is None or (isinstance(source, str) and source.strip().lower() in ("", "bundled")):
        label, location = "bundled", str(BUNDLED_SPEC)
        data = read_path(location, source="bundled")
    else:
        raw = str(source).strip()
        if is_url(raw):
            label = location = raw
            fetched = fetch_url(raw, progress=progress, use_cache=use_cache)
            data, notice = fetched.data, fetched.notice
        elif re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]+://", raw) and not raw.lower().startswith("file://"):
            raise SpecError("only http(s) URLs and file paths can be loaded", source=raw)
        else:
            if raw.lower().startswith("file://"):
                from urllib.parse import unquote, urlsplit

                raw = unquote(urlsplit(raw).path)
            label = raw
            location = str(Path(raw).expanduser().resolve())
            data = read_path(location, source=label)
    if progress is not None:
        progress(f"parsing {label}")
    # Parsing allocates millions of small objects that all stay alive; the cyclic collector would
    # walk them again and again for nothing (it doubled JSON load times), so it waits until the end
    # (``labs_tui.gcpause``). The indexes are built in the same window.
    with gc_paused():
        spec = _load_parsed(data, label, location, use_cache)
        spec._lookups().warm()
    spec.notice = notice
    return spec


def _load_parsed(data: bytes, label: str, location: str, use_cache: bool) -> Spec:
    document, text_ = parse_document(data, label, use_cache=use_cache)
    version = validate(document, label, text_)
    refs = refs_in_text(text_) if "$ref" in text_ else set()
    if version == "2.0":
        document = convert_swagger2(document, location)
        refs = {rewrite_ref(ref) for ref in refs}
    engine = Engine(document, location, _fetcher(use_cache))
    if version == "2.0":
        engine.resolver.shown = original_ref
    return build_spec(document, source=label, engine=engine, openapi_version=version, known_refs=refs)
