"""load_spec and the cyclic collector: what it parsed is handed to the oldest generation (so the
caller's next young collection does not walk millions of live objects), the collector's switch and
anyone's frozen objects are left as they were, and no stray cycle keeps a dropped spec's document.
"""

from __future__ import annotations

import gc
import types
from collections.abc import Iterator
from pathlib import Path

import pytest

from labs_tui.spec import load_spec


@pytest.fixture
def collector() -> Iterator[None]:
    enabled = gc.isenabled()
    try:
        yield
    finally:
        (gc.enable if enabled else gc.disable)()


def _write_yaml(tmp_path: Path, operations: int = 300) -> Path:
    lines = ["openapi: 3.0.3", "info: {title: T, version: '1'}", "paths:"]
    for index in range(operations):
        lines += [
            f"  /items{index}/{{id}}:",
            "    get:",
            f"      operationId: getItem{index}",
            "      responses: {'200': {description: ok}}",
        ]
    path = tmp_path / "spec.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_the_parsed_document_goes_to_the_oldest_generation(tmp_path: Path, collector: None) -> None:
    path = _write_yaml(tmp_path)
    gc.enable()
    spec = load_spec(str(path), use_cache=False)
    assert gc.isenabled()
    oldest = gc.get_objects(generation=2)
    assert any(o is spec.document for o in oldest)
    assert any(o is spec.document["paths"] for o in oldest)
    assert len(spec.operations) == 300


def test_a_collector_switched_off_by_the_caller_stays_off(tmp_path: Path, collector: None) -> None:
    gc.disable()
    load_spec(str(_write_yaml(tmp_path)), use_cache=False)
    assert not gc.isenabled()


def test_objects_someone_froze_stay_frozen(tmp_path: Path, collector: None) -> None:
    gc.enable()
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        load_spec(str(_write_yaml(tmp_path)), use_cache=False)
        assert gc.get_freeze_count() == frozen
    finally:
        gc.unfreeze()


def test_a_dropped_yaml_spec_leaves_no_frame_holding_its_document(tmp_path: Path) -> None:
    spec = load_spec(str(_write_yaml(tmp_path)), use_cache=False)
    document = spec.document
    del spec
    holders = [
        r
        for r in gc.get_referrers(document)
        if isinstance(r, types.FrameType) and "labs_tui" in r.f_code.co_filename
    ]
    assert holders == []
