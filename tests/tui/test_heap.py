"""A large spec is frozen out of the collector's full passes once it is on screen (``tui/app/heap.py``).

Speed is measured in ``benchmarks/palette.py``; here: what is frozen, when, and that it is given back.
"""

from __future__ import annotations

import gc
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from labs_tui.tui import commands
from labs_tui.tui.app import heap, make_app

from .conftest import settings_for, wait_until


@pytest.fixture(autouse=True)
def unfrozen() -> Iterator[None]:
    gc.unfreeze()
    yield
    gc.unfreeze()


def spec_file(folder: Path, count: int) -> Path:
    paths = {
        f"/items{n}": {"get": {"operationId": f"GetItem{n}", "responses": {"200": {"description": "ok"}}}}
        for n in range(count)
    }
    path = folder / f"spec-{count}.json"
    path.write_text(json.dumps({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": paths}))
    return path


def test_only_a_large_spec_is_frozen_and_release_gives_it_back() -> None:
    assert heap.settle(10) is False
    assert gc.get_freeze_count() == 0
    assert heap.settle(heap.LARGE_SPEC_OPERATIONS) is True
    assert gc.get_freeze_count() > 0
    heap.release()
    assert gc.get_freeze_count() == 0


async def test_a_large_spec_gets_its_palette_hits_built_then_frozen_until_the_app_exits(
    tmp_path: Path,
) -> None:
    big = spec_file(tmp_path, heap.LARGE_SPEC_OPERATIONS)
    app = make_app(settings_for("http://127.0.0.1:9", spec_source=str(big)))
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: gc.get_freeze_count() > 0)
        assert app.spec is not None and len(app.spec.operations) == heap.LARGE_SPEC_OPERATIONS
        cached = commands._cached
        assert cached is not None and cached[0] is app.spec, "the palette's hits were built before the freeze"
    assert gc.get_freeze_count() == 0


async def test_loading_a_small_spec_after_a_large_one_unfreezes(tmp_path: Path) -> None:
    big, small = spec_file(tmp_path, heap.LARGE_SPEC_OPERATIONS), spec_file(tmp_path, 3)
    app = make_app(settings_for("http://127.0.0.1:9", spec_source=str(big)))
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: gc.get_freeze_count() > 0)
        app.load_spec(str(small))
        await wait_until(pilot, lambda: app.spec is not None and len(app.spec.operations) == 3)
        await wait_until(pilot, lambda: gc.get_freeze_count() == 0)
        await app.workers.wait_for_complete()
        assert gc.get_freeze_count() == 0


async def test_the_bundled_spec_is_not_frozen() -> None:
    app = make_app(settings_for("http://127.0.0.1:9"))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        assert gc.get_freeze_count() == 0
