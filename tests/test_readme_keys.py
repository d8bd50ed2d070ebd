"""The README's key table is the one the bindings make (monitor.app.keys.readme_table)."""

from __future__ import annotations

from pathlib import Path

from monitor.app.keys import APP_KEYS, DETAIL_KEYS, INCIDENT_KEYS, MAIN_KEYS, key_names, readme_table

README = Path(__file__).resolve().parent.parent / "README.md"


def test_readme_key_table_is_generated_from_the_bindings() -> None:
    text = README.read_text(encoding="utf-8")
    table = readme_table()
    assert table in text, "README key table differs: paste monitor.app.keys.readme_table() into it"
    start = text.index("| key | where | does |")
    lines = text[start:].splitlines()
    rows = lines[: next(i for i, line in enumerate(lines) if not line.startswith("|"))]
    assert "\n".join(rows) == table  # and nothing but it: no hand-made row left over


def test_every_binding_is_in_the_readme_table() -> None:
    table = readme_table()
    for binding in [*APP_KEYS, *MAIN_KEYS, *DETAIL_KEYS, *INCIDENT_KEYS]:
        assert f"| {key_names(binding)} |" in table and binding.tooltip in table, binding
