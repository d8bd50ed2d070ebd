"""The core never imports Textual or Rich: the app is one sink among others."""

import json
import os
import pkgutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

import monitor
from tests.service_support import MultiFeedServer, write_feeds
from tests.watch_support import plain_item

STRIKE = "Israeli airstrike kills 5 in Khan Younis despite ceasefire"
SECOND = "Israeli strike on Khan Younis kills five, breaching truce"
THIRD = "Khan Younis strike: five killed as Israeli jets hit homes despite truce"

CORE = sorted(
    m.name
    for m in pkgutil.walk_packages(monitor.__path__, "monitor.")
    if not m.name.startswith("monitor.app") and m.name != "monitor.__main__"
)


def test_core_modules_found() -> None:
    assert "monitor.cli" in CORE
    assert "monitor.models" in CORE


def test_core_imports_no_ui() -> None:
    # httpx imports its optional command-line client (built on rich) whenever click is installed, and
    # click comes with apprise (the notify extra): that import is httpx's, not the core's, so click is
    # hidden here and httpx falls back as it does without it.
    code = (
        "import importlib, sys\n"
        "sys.modules['click'] = None\n"
        f"for name in {CORE!r}: importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich'))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"core pulled in: {out.stdout.strip()}"


# --- what a warm `watch --once` imports -------------------------------------------------------

MODULES_AT_EXIT = (
    "import atexit, runpy, sys\n"
    "out = sys.argv.pop(1)\n"
    "def dump():\n"
    "    with open(out, 'w', encoding='utf-8') as fh:\n"
    "        fh.write('\\n'.join(sorted(sys.modules)))\n"
    "atexit.register(dump)\n"
    "sys.argv = ['situation-room', *sys.argv[1:]]\n"
    "runpy.run_module('monitor', run_name='__main__')\n"
)
"""``situation-room`` as ``python -m monitor`` runs it, writing the modules it imported at exit."""
NOT_NEEDED_WARM = (
    "textual",
    "rich",
    "monitor.app",
    "monitor.picture",
    "monitor.rules",
    "monitor.sinks.exec_hook",
    "monitor.sinks.notify",
    "apprise",
)
"""What a cycle that brings nothing new, with no held update and no --exec/--notify, never needs."""


def once(config: Path, data: Path, out: Path, *args: str) -> tuple[str, set[str]]:
    """Run ``watch --once``; its stdout and the modules it imported."""
    argv = ["--config", str(config), "--data-dir", str(data), "watch", "--once", "--interval", "1", *args]
    env = {k: v for k, v in os.environ.items() if k != "SITUATION_ROOM_DATA"}
    done = subprocess.run(
        [sys.executable, "-c", MODULES_AT_EXIT, str(out), *argv],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        cwd=data.parent,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout, set(out.read_text(encoding="utf-8").split())


def loaded(modules: set[str], names: tuple[str, ...]) -> list[str]:
    return sorted(m for m in modules if any(m == n or m.startswith(n + ".") for n in names))


@pytest.mark.slow
def test_a_warm_once_run_with_nothing_new_imports_no_picture_rules_or_lazy_sinks(tmp_path: Path) -> None:
    with MultiFeedServer() as server:
        server.add("a", plain_item("a1", STRIKE))
        server.add("b")
        config = write_feeds(
            tmp_path / "feeds.yaml", [("A", server.url("a"), None), ("B", server.url("b"), None)]
        )
        data = tmp_path / "data"
        cold, cold_modules = once(config, data, tmp_path / "cold.txt")
        assert [json.loads(line)["kind"] for line in cold.splitlines()] == ["new"]
        # the same record of imports sees the picture and the rules when a cycle needs them
        assert loaded(cold_modules, ("monitor.picture", "monitor.rules"))
        polls = dict(server.polls)
        time.sleep(1.1)  # both feeds due again (--interval 1)
        warm, warm_modules = once(config, data, tmp_path / "warm.txt")
        assert server.polls == {name: n + 1 for name, n in polls.items()}  # both polled, unchanged
    assert warm == ""
    assert loaded(warm_modules, NOT_NEEDED_WARM) == []


@pytest.mark.slow
def test_a_held_update_goes_out_on_a_run_with_nothing_new(tmp_path: Path) -> None:
    with MultiFeedServer() as server:
        names = ("a", "b", "c")
        for name in names:
            server.add(name)  # each feed up (empty) from the first run on
        feeds = [(f"Outlet {n.upper()}", server.url(n), None) for n in names]
        config = write_feeds(tmp_path / "feeds.yaml", feeds, extra="update_gap_s: 3\n")
        data = tmp_path / "data"
        runs = []
        for name, title in zip(names, (STRIKE, SECOND, THIRD), strict=True):
            server.add(name, plain_item(f"{name}1", title))
            time.sleep(1.1)  # every feed due again
            out, _ = once(config, data, tmp_path / f"{name}.txt")
            runs.append([(r["kind"], r["status"]) for r in map(json.loads, out.splitlines())])
        # the third outlet's update is held: within the gap of the corroboration
        assert runs == [[("new", "reported")], [("update", "corroborated")], []]
        assert held_in_store(data)
        time.sleep(3.2)
        late, late_modules = once(config, data, tmp_path / "late.txt")
    (update,) = [json.loads(line) for line in late.splitlines()]
    assert update["kind"] == "update" and update["sources"] == 3
    # nothing new was classified (the engine was never loaded); the held update restored the picture
    assert loaded(late_modules, ("monitor.rules.engine", "monitor.rules.loader")) == []
    assert loaded(late_modules, ("monitor.picture",))
    assert not held_in_store(data)


def held_in_store(data: Path) -> dict[str, object]:
    state = json.loads((data / "state.json").read_text(encoding="utf-8"))
    return dict(state.get("held", {}))


@pytest.mark.slow
def test_a_profiled_once_run_keeps_the_usual_exit_and_writes_its_profile(tmp_path: Path) -> None:
    # watch --once ends without the interpreter's teardown; under a profiler it must not, since
    # ``python -m cProfile -o FILE`` writes FILE after the program returns, in no exit handler
    import pstats

    with MultiFeedServer() as server:
        server.add("a", plain_item("a1", STRIKE))
        config = write_feeds(tmp_path / "feeds.yaml", [("A", server.url("a"), None)])
        data = tmp_path / "data"
        profile = tmp_path / "once.prof"
        env = {k: v for k, v in os.environ.items() if k != "SITUATION_ROOM_DATA"}
        argv = ["--config", str(config), "--data-dir", str(data), "watch", "--once"]
        done = subprocess.run(
            [sys.executable, "-m", "cProfile", "-o", str(profile), "-m", "monitor", *argv],
            capture_output=True,
            text=True,
            encoding="utf-8",
            env=env,
            cwd=tmp_path,
            timeout=60,
            check=False,
        )
    assert done.returncode == 0, done.stderr
    assert [json.loads(line)["kind"] for line in done.stdout.splitlines()] == ["new"]
    stats = pstats.Stats(str(profile))
    assert any(func[2] == "main" and func[0].endswith("cli.py") for func in stats.stats)  # type: ignore[attr-defined]
