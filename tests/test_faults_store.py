"""Store faults as a user meets them: the disk fills up during a commit, the data dir is read-only.

Real `watch --once` processes on a real store. The disk is a tiny tmpfs mounted for the test when
the machine allows it (root with mount rights); everywhere else the same runs go through
RLIMIT_FSIZE, which makes a write past the limit fail with EFBIG as a full disk fails with ENOSPC.
In every case: no traceback, a clear message, exit code 3, the store stays readable, nothing that was
committed is lost, and the next run (with room again) saves what the failed one could not.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import pytest

MONITOR = [sys.executable, "-m", "monitor"]


def feed_xml(count: int) -> str:
    now = datetime.now(UTC)
    items = "".join(
        f"<item><title>Israeli airstrike kills {k % 7 + 2} in Khan Younis, report {k}</title>"
        f"<link>https://local.example/{k}</link><guid>g{k}</guid>"
        f"<description>{'rubble ' * 150}</description>"
        f"<pubDate>{format_datetime(now - timedelta(minutes=k), usegmt=True)}</pubDate></item>"
        for k in range(count)
    )
    return f"<?xml version='1.0'?><rss version='2.0'><channel><title>Local</title>{items}</channel></rss>"


class Desk:
    """A feeds.yaml with one local-file feed, and the data dir the runs use."""

    def __init__(self, root: Path, data: Path) -> None:
        self.feed = root / "feed.xml"
        self.config = root / "feeds.yaml"
        self.config.write_text(f"feeds:\n  - name: Local\n    url: {self.feed}\n", encoding="utf-8")
        self.data = data

    def publish(self, count: int) -> None:
        self.feed.write_text(feed_xml(count), encoding="utf-8")

    def run(self, *args: str, preexec: Callable[[], None] | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*MONITOR, "--config", str(self.config), "--data-dir", str(self.data), *args],
            capture_output=True,
            text=True,
            timeout=120,
            preexec_fn=preexec,
            check=False,
        )

    def stored(self) -> tuple[int, list[dict[str, object]]]:
        """(items in the store, export records), read the way a user would, in a separate process."""
        count = subprocess.run(
            [
                sys.executable,
                "-c",
                "import sys\nfrom monitor.store import StoreReader\n"
                "print(len(StoreReader.open(sys.argv[1]).items()))",
                str(self.data),
            ],
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        export = self.run("export", "--format", "jsonl")
        assert export.returncode == 0, export.stderr
        return int(count.stdout), [json.loads(line) for line in export.stdout.splitlines()]


def assert_clean_failure(proc: subprocess.CompletedProcess[str], words: str) -> None:
    assert proc.returncode == 3, (proc.returncode, proc.stderr)
    assert "Traceback" not in proc.stderr
    assert words in proc.stderr, proc.stderr
    assert proc.stderr.startswith("situation-room: ")


def _mount(target: Path, options: str) -> bool:
    if os.geteuid() != 0 or shutil.which("mount") is None:
        return False
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(target)], capture_output=True, check=False
    )
    return done.returncode == 0


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A 4 MiB tmpfs of the test's own, or a skip (the RLIMIT_FSIZE tests cover the same faults)."""
    mnt = tmp_path / "disk"
    mnt.mkdir()
    if not _mount(mnt, "size=4m,mode=0755"):
        pytest.skip("cannot mount a tmpfs here; see the RLIMIT_FSIZE variants")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], check=False)


def fill(disk: Path, leave: int) -> Path:
    """Fill the file system of ``disk`` until about ``leave`` bytes are free."""
    free = shutil.disk_usage(disk).free
    filler = disk / "filler"
    with filler.open("wb") as out:
        out.write(b"\0" * max(0, free - leave))
    return filler


@pytest.mark.slow
@pytest.mark.parametrize("leave", [8 * 1024, 120 * 1024, 260 * 1024])
def test_disk_full_during_a_commit_loses_nothing(tiny_disk: Path, tmp_path: Path, leave: int) -> None:
    # The free space left decides where the commit runs out: in the first history chunk, in a later
    # one, or in state.json once the chunks are down.
    desk = Desk(tmp_path, tiny_disk / "data")
    desk.publish(40)
    first = desk.run("watch", "--once")
    assert first.returncode == 0, first.stderr
    assert len(first.stdout.splitlines()) >= 1
    before, _ = desk.stored()
    assert before == 40

    desk.publish(120)
    filler = fill(tiny_disk, leave)
    full = desk.run("watch", "--once")
    assert_clean_failure(full, "No space left on device")
    if "poll cycle" in full.stderr:  # (else the lock file found the disk full first)
        assert "nothing of it was kept, and the next run fetches it again" in full.stderr
    assert full.stdout == ""  # nothing committed, so nothing written
    items, records = desk.stored()  # readable, and what was committed is all there
    assert items == 40
    assert any(r["record"] == "incident" for r in records)

    filler.unlink()
    again = desk.run("watch", "--once")
    assert again.returncode == 0, again.stderr
    items, records = desk.stored()
    assert items == 120  # what the full disk refused is fetched and saved again
    (feed,) = [r for r in records if r["record"] == "feed"]
    assert feed["health"] == "ok"


def _ignore_xfsz_and_cap(limit: int) -> Callable[[], None]:
    def preexec() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return preexec


@pytest.mark.slow
def test_file_size_limit_during_a_commit_loses_nothing(tmp_path: Path) -> None:
    desk = Desk(tmp_path, tmp_path / "data")
    desk.publish(40)
    assert desk.run("watch", "--once").returncode == 0
    largest = max(p.stat().st_size for p in desk.data.rglob("*.json"))

    desk.publish(120)
    capped = desk.run("watch", "--once", preexec=_ignore_xfsz_and_cap(largest + 4096))
    assert_clean_failure(capped, "could not save the poll cycle")
    assert "File too large; nothing of it was kept" in capped.stderr
    assert capped.stdout == ""
    assert desk.stored()[0] == 40

    again = desk.run("watch", "--once")
    assert again.returncode == 0, again.stderr
    assert desk.stored()[0] == 120


@pytest.mark.slow
def test_read_only_data_dir_is_refused_clearly_and_stays_readable(tiny_disk: Path, tmp_path: Path) -> None:
    desk = Desk(tmp_path, tiny_disk / "data")
    desk.publish(30)
    assert desk.run("watch", "--once").returncode == 0
    subprocess.run(["mount", "-o", "remount,ro", str(tiny_disk)], check=True)
    try:
        desk.publish(60)
        refused = desk.run("watch", "--once")
        assert_clean_failure(refused, "Read-only file system")
        assert "choose another with --data-dir" in refused.stderr
        items, _ = desk.stored()  # export and readers need no write
        assert items == 30
        check = desk.run("feeds", "check")
        assert check.returncode == 0, check.stderr
        assert "ok, last success" in check.stdout
    finally:
        subprocess.run(["mount", "-o", "remount,rw", str(tiny_disk)], check=True)
    resumed = desk.run("watch", "--once")
    assert resumed.returncode == 0, resumed.stderr
    assert desk.stored()[0] == 60


@pytest.mark.slow
def test_data_dir_without_write_permission_is_refused_clearly(tmp_path: Path) -> None:
    """Where no read-only mount can be made: a directory its user may not write to."""
    if os.geteuid() == 0:
        pytest.skip("root writes whatever the permission bits say; the read-only mount test covers it")
    desk = Desk(tmp_path, tmp_path / "data")
    desk.publish(30)
    assert desk.run("watch", "--once").returncode == 0
    for path in [tmp_path, *tmp_path.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    desk.data.chmod(0o555)
    try:
        desk.publish(60)
        refused = desk.run("watch", "--once")
        assert_clean_failure(refused, "Permission denied")
    finally:
        desk.data.chmod(0o755)
    assert desk.stored()[0] == 30
    assert desk.run("watch", "--once").returncode == 0
    assert desk.stored()[0] == 60
