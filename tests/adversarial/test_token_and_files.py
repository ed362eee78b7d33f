"""The token on disk and on the wire, and files that survive a writer killed mid-write.

After the app has done real work with a distinctive token (calls that echo it back, a history entry,
a config change, a spec fetched from a URL with a ``$ref`` to another host), every file under the
isolated XDG dirs is scanned for the token. A history or config writer killed with SIGKILL in the
middle of its writes must leave a file that opens and reads back.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

from labs_tui.client import Client, build_request, resolve_profile
from labs_tui.store.config import load_config, set_value
from labs_tui.store.history import History

from .conftest import TOKEN, assert_one_line_error, assert_token_absent, cli_env, files_under, run_cli
from .hostile_server import HostileServer


async def _send(base_url: str, path: str, **options: object) -> object:
    profile = resolve_profile("live", base_url=base_url, env={"ASTRO_API_TOKEN": TOKEN})
    request = build_request(profile, method="GET", path=path, **options)  # type: ignore[arg-type]
    async with Client(profile, timeout=2.0) as client:
        return await client.send(request)


def test_history_db_and_wal_never_hold_the_token(hostile: HostileServer, user_dirs: Path) -> None:
    """Echoed in body and header, typed into a header and the query: the DB (and its -wal) stay clean."""
    results = [
        asyncio.run(_send(hostile.url, "/echo-auth")),
        asyncio.run(
            _send(hostile.url, "/echo-auth-error", headers={"X-Api-Key": TOKEN}, query={"token": TOKEN})
        ),
    ]
    assert f"Bearer {TOKEN}" in hostile.authorizations()  # it did reach its own host
    db = user_dirs / "data" / "labs-tui" / "history.db"
    db.parent.mkdir(parents=True, exist_ok=True)
    history = History(db)
    try:
        for result in results:
            history.add_result(result, profile="hostile", secrets=[TOKEN])  # type: ignore[arg-type]
        history.add_result(results[0], profile="hostile")  # type: ignore[arg-type]
        written = assert_token_absent(user_dirs)
        assert any(p.name == "history.db-wal" for p in written) or db.exists()
        rows = history.query()
        assert len(rows) == 3
        entry = history.get(rows[0].id)
        assert entry is not None
    finally:
        history.close()
    assert_token_absent(user_dirs)


def test_cli_runs_leave_no_token_in_any_file(
    config_path: Path, spec_path: Path, hostile: HostileServer, user_dirs: Path
) -> None:
    for args in (
        ("call", "GET", "/echo-auth", "--profile", "hostile", "--spec", str(spec_path)),
        ("call", "GET", "/echo-auth-error", "--profile", "hostile", "--json", "-H", f"X-Api-Key: {TOKEN}"),
        ("call", "GET", "/echo-auth", "--profile", "hostile", "--curl"),
        ("config", "show"),
        ("config", "path"),
    ):
        result = run_cli(*args)
        assert_one_line_error(result)
        assert TOKEN not in result.stdout + result.stderr, args
    set_value("theme", "astro-light", path=config_path)
    assert TOKEN not in config_path.read_text()
    assert_token_absent(user_dirs)


def test_a_spec_from_a_url_is_fetched_without_the_token_and_cached_without_it(
    servers: tuple[HostileServer, HostileServer], config_path: Path, user_dirs: Path
) -> None:
    hostile, other = servers
    result = run_cli("endpoints", "--spec", f"{hostile.url}/spec.json", env=cli_env())
    assert_one_line_error(result)
    assert result.exit_code == 0, result.output
    result = run_cli("describe", "GET", "/catch", "--spec", f"{hostile.url}/spec.json", env=cli_env())
    assert result.exit_code == 0, result.output
    assert hostile.authorizations() == [] and other.authorizations() == []
    assert {s.path for s in other.seen} == {"/schema.json"}  # the $ref was fetched, without credentials
    cached = files_under(user_dirs / "cache")
    assert cached, "the spec was not cached (the scan below would prove nothing)"
    assert_token_absent(user_dirs)


# -- killed writers ------------------------------------------------------------------------------

HISTORY_WRITER = """
import sys
from labs_tui.store.config import HistoryCaps
from labs_tui.store.history import History
history = History(sys.argv[1], caps=HistoryCaps(max_entries=10**9, max_bytes=2**40))
print("ready", flush=True)
i = 0
while True:
    i += 1
    history.add(profile="p", method="GET", url=f"http://h/{i}", status=200,
                response_body=b"x" * 4_000, request_headers=[("X-N", str(i))])
"""

CONFIG_WRITER = """
import sys
from labs_tui.store.config import set_value
print("ready", flush=True)
i = 0
while True:
    i += 1
    set_value("theme", f"theme-{i}", path=sys.argv[1])
"""


def _kill_mid_write(script: str, target: Path, run_for: float) -> None:
    with subprocess.Popen(
        [sys.executable, "-c", script, str(target)], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
    ) as process:
        try:
            assert process.stdout is not None and process.stdout.readline().strip() == b"ready"
            time.sleep(run_for)
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=10)
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
    assert process.returncode == -signal.SIGKILL


def test_history_survives_a_writer_killed_mid_add(tmp_path: Path) -> None:
    db = tmp_path / "history.db"
    seed = History(db)
    seed.add(profile="p", method="GET", url="http://h/seed", status=201)
    seed.close()
    for run_for in (0.15, 0.4, 0.7):
        _kill_mid_write(HISTORY_WRITER, db, run_for)
        with closing(sqlite3.connect(db)) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        history = History(db)
        try:
            rows = history.query(limit=10_000)
            assert history.query(text="h/seed")
            assert len(rows) > 1, "the writer was killed before writing anything; the test proves nothing"
            newest = history.get(rows[0].id)
            assert newest is not None and newest.status == 200
        finally:
            history.close()
        assert not any(p.name.startswith("history.db.corrupt") for p in tmp_path.iterdir())


def test_config_survives_a_writer_killed_mid_set_value(tmp_path: Path) -> None:
    where = tmp_path / "config.yaml"
    where.write_text("# mine\nprofiles:\n  hostile:\n    base_url: http://127.0.0.1:9\ntheme: start\n")
    for run_for in (0.1, 0.3, 0.6):
        _kill_mid_write(CONFIG_WRITER, where, run_for)
        config, warnings = load_config(where)
        assert warnings == [], warnings
        assert config.theme.startswith("theme-") or config.theme == "start"
        text = where.read_text()
        assert text.startswith("# mine\n") and "base_url: http://127.0.0.1:9" in text
        leftovers = [p for p in tmp_path.iterdir() if p.name != "config.yaml"]
        assert len(leftovers) <= 1, leftovers  # at most the temp file of the killed write
        for stray in leftovers:
            os.unlink(stray)
