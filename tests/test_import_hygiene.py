"""The core never imports Textual or Rich: the app is one sink among others."""

import pkgutil
import subprocess
import sys

import monitor

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
