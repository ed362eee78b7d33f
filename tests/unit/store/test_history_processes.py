"""Two processes writing one history file: the caps hold and nobody sees "database is locked"."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

from labs_tui.store.config import HistoryCaps
from labs_tui.store.history import History

WRITER = """
import json, sys, time
from pathlib import Path
from labs_tui.store.config import HistoryCaps
from labs_tui.store.history import open_history

path, name, count, max_entries, go = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
history, notice = open_history(Path(path), caps=HistoryCaps(max_entries=max_entries))
Path(go + "." + name).touch()  # opened: the test says go once both are
deadline = time.monotonic() + 20
while not Path(go).exists() and time.monotonic() < deadline:  # both start adding together
    time.sleep(0.005)
ids, notices = [], [notice] if notice else []
for n in range(count):
    ids.append(history.add(profile=name, method="GET", url=f"http://127.0.0.1/x?n={n}", status=200,
                           response_body=b"x" * 200))
    if (problem := history.take_notice()) is not None:
        notices.append(problem)
print(json.dumps({"ids": ids, "notices": notices, "len": len(history), "persistent": history.persistent}))
"""


def test_max_entries_holds_with_two_processes_writing(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    go = tmp_path / "go"
    max_entries, per_process = 20, 150
    History(path, caps=HistoryCaps(max_entries=max_entries)).close()  # the file exists, as after a first run
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(path), name, str(per_process), str(max_entries), str(go)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("one", "two")
    ]
    try:
        deadline = time.monotonic() + 30
        while not all((tmp_path / f"go.{name}").exists() for name in ("one", "two")):
            assert time.monotonic() < deadline and all(w.poll() is None for w in writers)
            time.sleep(0.01)
        go.touch()
        outputs = [writer.communicate(timeout=60) for writer in writers]
    finally:
        for writer in writers:
            if writer.poll() is None:
                writer.kill()
                writer.wait(5)
    reports = []
    for (out, err), writer in zip(outputs, writers, strict=True):
        assert writer.returncode == 0, err
        assert "Traceback" not in err
        reports.append(json.loads(out))
    for report in reports:
        assert report["persistent"], report["notices"]
        assert report["notices"] == []  # no "database is locked" reached the user
        assert None not in report["ids"]  # every call was saved
        assert report["len"] <= max_entries
    with closing(sqlite3.connect(path)) as db:
        (rows,) = db.execute("SELECT count(*) FROM entries").fetchone()
        profiles = {p for (p,) in db.execute("SELECT DISTINCT profile FROM entries")}
    assert rows == max_entries  # at the cap, not above it
    assert profiles <= {"one", "two"}
    reopened = History(path, caps=HistoryCaps(max_entries=max_entries))
    try:
        assert len(reopened) == max_entries
    finally:
        reopened.close()


def test_a_history_sees_the_rows_another_writer_added(tmp_path: Path) -> None:
    # Two handles in one process stand in for two processes: each add must count the other's rows.
    path = tmp_path / "history.sqlite3"
    caps = HistoryCaps(max_entries=5)
    first, second = History(path, caps=caps), History(path, caps=caps)
    try:
        for n in range(8):
            first.add(profile="one", method="GET", url=f"http://127.0.0.1/a?n={n}")
            second.add(profile="two", method="GET", url=f"http://127.0.0.1/b?n={n}")
        with closing(sqlite3.connect(path)) as db:
            (rows,) = db.execute("SELECT count(*) FROM entries").fetchone()
        assert rows == 5
        assert len(first) == len(second) == 5
        assert [row.url for row in first.query(limit=2)] == [
            "http://127.0.0.1/b?n=7",
            "http://127.0.0.1/a?n=7",
        ]
    finally:
        first.close()
        second.close()
