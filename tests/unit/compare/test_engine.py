"""compare_versions against the sandbox and an injected transport; rows for the side-by-side view."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import httpx
import pytest

from labs_tui.client import Client, Profile, build_request, resolve_profile
from labs_tui.compare import CompareError, compare_versions, matrix, side_by_side, summary_line


def _profile(handle: Any) -> Profile:
    return dataclasses.replace(resolve_profile("sandbox", env={}), base_url=handle.base_url)


async def test_demo_rename_between_1_0_and_latest(sandbox: Any) -> None:
    profile = _profile(sandbox)
    async with Client(profile) as client:
        request = build_request(profile, method="GET", path="/examples/demo")
        comparison = await compare_versions(client, request, ["1.0", "latest"])
    assert summary_line(comparison.changes) == "1 renamed: name -> proofOfConcept"
    assert not comparison.identical
    assert [(r.version, r.served_version) for r in comparison.responses] == [
        ("1.0", "1.0"),
        ("latest", "1.1"),
    ]
    assert all(r.request_id for r in comparison.responses)
    rows = side_by_side(comparison)
    assert [(r.section, r.path, r.right_path, r.mark) for r in rows] == [
        ("status", "status", None, "="),
        ("body", "name", "proofOfConcept", ">"),
    ]


async def test_same_version_twice_under_two_names_is_identical(sandbox: Any) -> None:
    profile = _profile(sandbox)
    async with Client(profile) as client:
        request = build_request(profile, method="GET", path="/examples/demo")
        comparison = await compare_versions(client, request, ["1.1", "latest"])
    assert comparison.identical and comparison.changes == ()


async def test_unsafe_methods_are_refused_unless_allowed(sandbox: Any) -> None:
    profile = _profile(sandbox)
    async with Client(profile) as client:
        request = build_request(profile, method="POST", path="/examples/demo", body="{}")
        with pytest.raises(CompareError, match="refusing to send POST"):
            await compare_versions(client, request, ["1.0", "latest"])
        allowed = await compare_versions(client, request, ["1.0", "latest"], allow_unsafe=True)
    assert [r.result.status for r in allowed.responses] == [405, 405]


async def test_duplicate_or_single_versions_are_refused(sandbox: Any) -> None:
    profile = _profile(sandbox)
    async with Client(profile) as client:
        request = build_request(profile, method="GET", path="/examples/demo")
        for versions in (["1.0"], ["latest", "LATEST"], ["1.0", " 1.0"]):
            with pytest.raises(CompareError):
                await compare_versions(client, request, versions)


def _transport(per_version: dict[str | None, tuple[int, dict[str, str], Any]]) -> httpx.MockTransport:
    def handler(request: httpx.Request) -> httpx.Response:
        status, headers, body = per_version[request.headers.get("X-Labs-API-Version")]
        return httpx.Response(status, headers=headers, content=json.dumps(body).encode())

    return httpx.MockTransport(handler)


async def test_429_on_one_side_is_reported_as_such() -> None:
    profile = Profile("p", "http://api.test/labs/v1", token="t")
    transport = _transport(
        {
            "1.0": (200, {"Content-Type": "application/json"}, {"name": "x", "more": 1}),
            None: (429, {"Content-Type": "application/json", "Retry-After": "5"}, {"message": "slow"}),
        }
    )
    async with Client(profile, transport=transport) as client:
        comparison = await compare_versions(
            client, build_request(profile, method="GET", path="/d"), ["1.0", "latest"], now=0.0
        )
    assert [c.to_json() for c in comparison.changes] == [{"kind": "status", "path": "", "a": 200, "b": 429}]
    assert any("rate-limited (429); retry after 5 s" in note for note in comparison.notes)


async def test_volatile_headers_ignored_others_reported() -> None:
    profile = Profile("p", "http://api.test/labs/v1", token="t")
    common = {"Content-Type": "application/json"}
    transport = _transport(
        {
            "1.0": (
                200,
                {**common, "Date": "a", "X-Request-Id": "1", "X-Thing": "old"},
                {"requestId": "1", "v": 1},
            ),
            "1.1": (
                200,
                {**common, "Date": "b", "X-Request-Id": "2", "X-Thing": "new"},
                {"requestId": "2", "v": 1},
            ),
            "1.2": (200, {**common, "X-Thing": "new"}, {"v": [1]}),
        }
    )
    async with Client(profile, transport=transport) as client:
        comparison = await compare_versions(
            client, build_request(profile, method="GET", path="/d"), ["1.0", "1.1", "1.2"]
        )
    first, second = comparison.pairs
    assert [c.to_json() for c in first[2]] == [{"kind": "header", "path": "x-thing", "a": "old", "b": "new"}]
    assert [c.kind for c in second[2]] == ["type_changed"]
    rows = matrix(comparison)
    assert [(r.path, r.values, r.mark) for r in rows] == [
        ("status", ("200 OK", "200 OK", "200 OK"), "="),
        ("v", ("1", "1", None), "~"),
        ("v[0]", (None, None, "1"), "~"),
    ]


async def test_side_by_side_aligns_added_rows_after_their_neighbour() -> None:
    profile = Profile("p", "http://api.test", token="t")
    transport = _transport(
        {
            "1.0": (200, {"Content-Type": "application/json"}, {"a": 1, "c": 3}),
            "1.1": (200, {"Content-Type": "application/json"}, {"a": 2, "b": True, "c": 3}),
        }
    )
    async with Client(profile, transport=transport) as client:
        comparison = await compare_versions(
            client, build_request(profile, method="GET", path="/"), ["1.0", "1.1"]
        )
    rows = [(r.path, r.left, r.right, r.mark) for r in side_by_side(comparison) if r.section == "body"]
    assert rows == [("a", "1", "2", "~"), ("b", None, "true", "+"), ("c", "3", "3", "=")]


async def test_200_against_201_compares_the_bodies_and_the_sides_show_what_the_summary_counts() -> None:
    from labs_tui.compare import aligned_sides, bodies_compared

    profile = Profile("p", "http://api.test/labs/v1", token="t")
    json_type = {"Content-Type": "application/json"}
    transport = _transport(
        {
            "1.0": (200, json_type, {"name": "Labs example"}),
            None: (201, json_type, {"proofOfConcept": "Labs example"}),
        }
    )
    async with Client(profile, transport=transport) as client:
        comparison = await compare_versions(
            client, build_request(profile, method="GET", path="/d"), ["1.0", "latest"]
        )
    a, b = (r.result for r in comparison.responses)
    assert (a.status, b.status) == (200, 201) and bodies_compared(a, b)
    assert [c.kind for c in comparison.changes] == ["status", "renamed"]
    aligned = aligned_sides(comparison)
    assert aligned is not None
    marked = [(mark, line) for mark, line in zip(aligned.marks, aligned.right, strict=True) if mark != "="]
    assert len(marked) == 1 and marked[0][0] == ">" and marked[0][1].endswith("// name -> proofOfConcept")
    rows = side_by_side(comparison)
    assert [(r.section, r.mark) for r in rows] == [("status", "~"), ("body", ">")]


async def test_200_against_404_is_not_compared_field_by_field_anywhere() -> None:
    from labs_tui.compare import aligned_sides, bodies_compared

    profile = Profile("p", "http://api.test/labs/v1", token="t")
    json_type = {"Content-Type": "application/json"}
    transport = _transport(
        {"1.0": (200, json_type, {"name": "x"}), None: (404, json_type, {"message": "no such thing"})}
    )
    async with Client(profile, transport=transport) as client:
        comparison = await compare_versions(
            client, build_request(profile, method="GET", path="/d"), ["1.0", "latest"]
        )
    a, b = (r.result for r in comparison.responses)
    assert not bodies_compared(a, b)
    assert [c.kind for c in comparison.changes] == ["status"]
    assert aligned_sides(comparison) is None
    assert [r.section for r in side_by_side(comparison)] == ["status"]
