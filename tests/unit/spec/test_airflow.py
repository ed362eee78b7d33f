"""A real spec no one here wrote: Airflow 3's REST API, from the apache-airflow-core wheel on PyPI.

The wheel is fetched once with ``pip download`` and the YAML cached in pytest's cache dir; the test
is skipped when the registry cannot be reached. The expected operations are counted from the YAML
independently of the engine.
"""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml

from labs_tui.spec import load_spec

VERSION = "3.3.2"
MEMBER = "airflow/api_fastapi/core_api/openapi/v2-rest-api-generated.yaml"
METHODS = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}


@pytest.fixture
def airflow_spec(pytestconfig: pytest.Config) -> Path:
    assert pytestconfig.cache is not None
    folder = pytestconfig.cache.mkdir(f"airflow-core-{VERSION}")
    target = folder / "v2-rest-api-generated.yaml"
    if target.is_file() and target.stat().st_size > 0:
        return target
    wheels = folder / "wheels"
    try:
        done = subprocess.run(
            [sys.executable, "-m", "pip", "download", f"apache-airflow-core=={VERSION}", "--no-deps",
             "--only-binary=:all:", "-d", str(wheels), "--quiet", "--disable-pip-version-check"],
            capture_output=True, text=True, timeout=300,
        )  # fmt: skip
    except (OSError, subprocess.TimeoutExpired) as error:
        pytest.skip(f"cannot run pip download: {error}")
    found = sorted(wheels.glob("apache_airflow_core-*.whl")) if wheels.is_dir() else []
    if done.returncode != 0 or not found:
        pytest.skip(f"the package registry is not reachable: {done.stderr.strip()[-200:]}")
    with zipfile.ZipFile(found[0]) as wheel:
        target.write_bytes(wheel.read(MEMBER))
    return target


@pytest.mark.network
def test_airflow_rest_api_lists_every_operation(airflow_spec: Path) -> None:
    document = yaml.safe_load(airflow_spec.read_text(encoding="utf-8"))
    expected = {
        f"{method.upper()} {path}"
        for path, item in document["paths"].items()
        for method in item
        if method in METHODS
    }
    assert len(expected) == 128
    spec = load_spec(str(airflow_spec))
    assert {op.key for op in spec.operations} == expected
    assert len(spec.operations) == 128
    assert spec.problems == ()
    for op in spec.operations:
        assert op.problems == (), op.key
        for response in op.responses:
            for media in response.content:
                spec.example(media.schema)
    assert spec.match("GET", "/api/v2/dags/example_dag") is not None
