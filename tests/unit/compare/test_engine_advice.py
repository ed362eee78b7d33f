"""Each compared answer is diagnosed with the spec: 401 advice names its scheme, not the Labs JWT."""

from __future__ import annotations

import asyncio
from pathlib import Path

from labs_tui.client import Client, RequestDraft, build_request, resolve_profile
from labs_tui.compare import compare_versions
from labs_tui.sandbox import start
from labs_tui.spec import load_spec

PETSTORE = Path(__file__).resolve().parents[2] / "data" / "specs" / "third_party" / "petstore-3.0.json"


def test_a_compared_401_gets_the_specs_scheme_in_its_advice() -> None:
    spec = load_spec(str(PETSTORE))
    operation = spec.find("getPetById")
    assert operation is not None
    handle = start(port=0, spec=spec)
    try:
        profile = resolve_profile("sandbox", base_url=handle.base_url, env={})
        draft = RequestDraft(
            method="GET", operation=operation, path_params={"petId": "1"}, headers=(("api_key", "wrong"),)
        )
        request = build_request(profile, draft)

        async def run() -> object:
            async with Client(profile) as client:
                return await compare_versions(
                    client, request, ["1.0", "latest"], spec=spec, operation=operation
                )

        comparison = asyncio.run(run())
    finally:
        handle.stop()
    hints = [response.diagnosis.hint or "" for response in comparison.responses]  # type: ignore[attr-defined]
    assert all(response.result.status == 401 for response in comparison.responses)  # type: ignore[attr-defined]
    assert all("api_key" in hint and "JWT" not in hint for hint in hints), hints
