"""Where ``call``'s request can come from besides its flags: a saved request (``--from``), a curl
command (``--from-curl``), and ``${NAME}`` variables (the environment over the collection's .env).

The core does the work (``store.load_request``, ``client.parse_curl``, ``client.expand``); this module
merges the results into the plan's ``RequestDraft``, the command line winning over the file.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from typing import Any

import click

from labs_tui.cli.common import fail
from labs_tui.cli.request_plan import Plan, form_body, note, pairs, parent_option, split_positionals


def source_request(ctx: click.Context, from_file: str | None, from_curl: str | None) -> tuple[Any, Any]:
    """(the SavedRequest --from/--from-curl gives or None, the folder whose .env fills variables)."""
    from pathlib import Path

    from labs_tui.store import CollectionError, default_collection_dir, load_request

    if from_file is not None and from_curl is not None:
        fail("give --from FILE or --from-curl, not both")
    if from_file is not None:
        path = Path(from_file).expanduser()
        try:
            return load_request(path), path.resolve().parent
        except CollectionError as error:
            fail(str(error))
    collection = parent_option(ctx, "collection", None)
    folder = Path(collection).expanduser() if collection else default_collection_dir()
    if from_curl is None:
        return None, folder
    return _curl_request(from_curl), folder


def _curl_request(command: str) -> Any:
    from labs_tui.client import CurlError, parse_curl
    from labs_tui.store import from_curl

    try:
        parsed = parse_curl(command)
    except CurlError as error:
        fail(f"--from-curl: {error}")
    for remark in parsed.notices:
        note(remark)
    return from_curl(parsed, keep_credentials=True)  # dropped by drop_source_keys, with a notice


def source_target(first: str | None, second: str | None, source: Any) -> tuple[str | None, str]:
    """(METHOD or None, target) from the positionals, over --from / --from-curl's.

    One positional is the target (an operationId brings its method), unless it is an HTTP method name
    and a source gives the target. METHOD left None is chosen by ``plan_request`` from the spec.
    """
    method, target = split_positionals(first, second)
    if source is not None:
        return method or source.method, target or source.path
    if target is None:
        after = f" after {method}" if method is not None else ""
        fail(
            f"Missing argument: PATH|OPERATION_ID{after} (a PATH takes a METHOD before it; "
            "or --from FILE, or --from-curl 'curl ...')"
        )
    return method, target


def drop_source_keys(plan: Plan, source: Any, *, from_curl: bool, target_from_source: bool) -> Any:
    """``source`` without the values it gives for the matched operation's apiKey parameters (the
    profile's token goes there instead, with a note naming the place, never the value) and without
    credential headers; the draft's path loses those query parameters too when it came from the source."""
    from labs_tui.store import api_key_places, drop_api_keys, without_query

    operation = plan.draft.operation
    whose = "the command's" if from_curl else "the saved request's"
    dropped = drop_api_keys(source, operation, whose=whose)
    for remark in dropped.notices:
        note(remark)
    path = plan.draft.path
    if target_from_source and path is not None:
        names = [place.name for place in api_key_places(operation) if place.kind == "query"]
        plan.draft = dataclasses.replace(plan.draft, path=without_query(path, names)[0])
    return dropped.saved.without_secrets()


def merge_source(plan: Plan, source: Any, options: dict[str, Any]) -> None:
    """The saved request under the command line's flags (same names: the command line wins)."""
    draft = plan.draft
    cli_params = dict(pairs(options["path_params"], "=", "-p"))
    cli_query = {name for name, _ in draft.query}
    cli_headers = {name.lower() for name, _ in draft.headers}
    body = draft.body
    headers = [(n, v) for n, v in source.headers if n.lower() not in cli_headers] + list(draft.headers)
    if options["data"] is None and not options["form"]:
        if source.form:  # a saved multipart form: its files are read now
            headers = [(n, v) for n, v in headers if n.lower() != "content-type" or n.lower() in cli_headers]
            body = form_body(tuple(f"{name}={value}" for name, value in source.form), headers)
        elif source.body is not None:
            body = source.body.encode("utf-8")
    plan.draft = dataclasses.replace(
        draft,
        path_params={**draft.path_params, **dict(source.path_params), **cli_params},
        query=tuple((n, v) for n, v in source.query if n not in cli_query) + draft.query,
        headers=tuple(headers),
        body=body,
        pin=draft.pin if draft.pin is not None else source.pin,
    )


def variable_values(folder: Any) -> dict[str, str]:
    from labs_tui.store import dotenv_values

    return {**dotenv_values(folder), **os.environ}


def fill_all(texts: list[str], values: Mapping[str, str], secrets: set[str]) -> list[str]:
    """``texts`` with ``${NAME}`` filled; exit 2 naming every variable with no value (or the token's)."""
    from labs_tui.client import expand

    missing: dict[str, None] = {}
    refused: dict[str, None] = {}
    out = []
    for text in texts:
        if "${" not in text:
            out.append(text)
            continue
        done = expand(text, values, secret_names=secrets)
        missing.update(dict.fromkeys(done.missing))
        refused.update(dict.fromkeys(done.refused))
        out.append(done.text)
    if refused:
        fail(f"variable(s) {', '.join(refused)} name the token; a variable never takes its value")
    if missing:
        fail(f"unresolved variable(s): {', '.join(missing)}")
    return out


def expand_variables(plan: Plan, values: Mapping[str, str]) -> None:
    """Fill ``${NAME}`` in params, headers and body from the environment over the collection's .env."""
    from labs_tui.client import fill_draft, token_names

    plan.draft, problem = fill_draft(plan.draft, values, secret_names=token_names(plan.profile))
    if problem is not None:
        fail(problem)
