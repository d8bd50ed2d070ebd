"""What the app remembers between runs (the theme), in a small JSON file of its own.

Kept apart from feeds.yaml, which is the person's file and is only ever appended to; a missing or
unreadable preferences file means the defaults, never an error.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

from monitor.errors import MonitorError
from monitor.files import write_atomically


@dataclass(frozen=True)
class Prefs:
    theme: str | None = None


def default_prefs_path() -> Path:
    import platformdirs

    return Path(platformdirs.user_state_dir("situation-room")) / "app.json"


def load_prefs(path: Path | None) -> Prefs:
    if path is None:
        return Prefs()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return Prefs()
    theme = data.get("theme") if isinstance(data, dict) else None
    return Prefs(theme=theme if isinstance(theme, str) else None)


def save_prefs(path: Path | None, prefs: Prefs) -> str | None:
    """Write ``prefs``; the reason in words when that failed (the app goes on either way)."""
    if path is None:
        return None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(path, json.dumps(asdict(prefs)) + "\n")
    except (OSError, MonitorError) as exc:
        return str(exc)
    return None
