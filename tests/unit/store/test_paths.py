"""User dirs follow XDG and the LABS_TUI_CONFIG override; atomic_write never leaves a half file."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from labs_tui.store import paths
from labs_tui.store.paths import atomic_write


def test_dirs_live_under_the_isolated_xdg_dirs(isolated_user_dirs: Path) -> None:
    assert paths.config_dir() == isolated_user_dirs / "config" / "labs-tui"
    assert paths.data_dir() == isolated_user_dirs / "data" / "labs-tui"
    assert paths.cache_dir() == isolated_user_dirs / "cache" / "labs-tui"
    assert paths.config_file() == isolated_user_dirs / "config" / "labs-tui" / "config.yaml"


def test_config_env_overrides_the_config_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LABS_TUI_CONFIG", str(tmp_path / "elsewhere.yaml"))
    assert paths.config_file() == tmp_path / "elsewhere.yaml"
    monkeypatch.setenv("LABS_TUI_CONFIG", "   ")
    assert paths.config_file() == paths.config_dir() / "config.yaml"
    assert paths.config_file({"LABS_TUI_CONFIG": "~/x.yaml"}) == Path.home() / "x.yaml"


def test_atomic_write_creates_dirs_writes_and_sets_mode(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "file.bin"
    atomic_write(target, b"one")
    assert target.read_bytes() == b"one"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    atomic_write(target, b"two" * 1_000_000, mode=0o640)
    assert target.read_bytes() == b"two" * 1_000_000
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert sorted(p.name for p in target.parent.iterdir()) == ["file.bin"]


def test_atomic_write_through_a_symlink_keeps_the_link(tmp_path: Path) -> None:
    real = tmp_path / "dotfiles" / "config.yaml"
    real.parent.mkdir()
    real.write_bytes(b"old")
    link = tmp_path / "config.yaml"
    link.symlink_to(real)
    atomic_write(link, b"new")
    assert link.is_symlink()
    assert real.read_bytes() == b"new"


def test_a_failed_write_leaves_the_old_file_and_no_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "file.txt"
    target.write_bytes(b"precious")
    calls = 0
    real_write = os.write

    def failing_write(fd: int, data: bytes | memoryview) -> int:
        nonlocal calls
        calls += 1
        if calls > 1:
            raise OSError(28, "No space left on device")
        return real_write(fd, data)

    monkeypatch.setattr(os, "write", failing_write)
    with pytest.raises(OSError, match="No space"):
        atomic_write(target, b"x" * (3 * 1024 * 1024))
    assert target.read_bytes() == b"precious"
    assert [p.name for p in tmp_path.iterdir()] == ["file.txt"]


_SLOW_WRITER = """
import os, sys, time
from pathlib import Path
from labs_tui.store.paths import atomic_write
target, marker = Path(sys.argv[1]), Path(sys.argv[2])
real_write = os.write
def slow_write(fd, data):
    n = real_write(fd, data[:4096])
    marker.touch()
    time.sleep(0.01)
    return n
os.write = slow_write
atomic_write(target, b"N" * (4 * 1024 * 1024))
"""


def test_a_writer_killed_mid_write_leaves_the_previous_file_intact(tmp_path: Path) -> None:
    target = tmp_path / "config.yaml"
    old = b"theme: light\n" * 1000
    target.write_bytes(old)
    marker = tmp_path / "started"
    process = subprocess.Popen([sys.executable, "-c", _SLOW_WRITER, str(target), str(marker)])
    try:
        deadline = time.monotonic() + 30
        while not marker.exists():
            assert process.poll() is None, "the writer finished or died before writing"
            assert time.monotonic() < deadline, "the writer never started writing"
            time.sleep(0.01)
        time.sleep(0.05)
        temps = [p for p in tmp_path.iterdir() if p.name.startswith(".config.yaml.")]
        assert temps and temps[0].stat().st_size > 0, "the new content was being written beside the file"
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == -signal.SIGKILL
    assert target.read_bytes() == old
