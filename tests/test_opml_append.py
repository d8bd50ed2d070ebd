"""`feeds import` reads feeds.yaml once, with the C loader, and appends to it as text.

It used to parse the file three times (to load it, once more with PyYAML's pure-Python composer to
find where the list ends, and the result again to validate it); a 10 MB feeds.yaml made that slow.
The checks every load makes stay: keys given twice, alias bombs, duplicate feeds.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

import monitor.opml
from monitor.config import load_settings
from monitor.errors import ConfigError
from monitor.opml import import_opml
from monitor.yamlnodes import Document, parse_document

OPML = """<?xml version="1.0"?><opml version="2.0"><body>
<outline text="New wire" xmlUrl="https://new.example/rss"/>
<outline text="Other" xmlUrl="https://other.example/rss"/>
</body></opml>"""


@pytest.fixture
def opml(tmp_path: Path) -> Path:
    path = tmp_path / "subs.opml"
    path.write_text(OPML, encoding="utf-8")
    return path


def test_feeds_yaml_is_parsed_once_and_never_by_the_pure_python_composer(
    tmp_path: Path, opml: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "feeds.yaml"
    text = "# my feeds\nfeeds:\n  - name: Old\n    url: https://old.example/rss  # keep\n    tier: wire\n"
    config.write_text(text, encoding="utf-8")
    parsed: list[str] = []

    def counting(source: str, name: str) -> Document:
        parsed.append(source)
        return parse_document(source, name)

    def pure(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("PyYAML's pure-Python composer was used")

    monkeypatch.setattr(monitor.opml, "parse_document", counting)
    monkeypatch.setattr(yaml, "compose", pure)
    counts = import_opml(opml, config, warn=lambda _m: None)
    assert counts.added == 2
    assert parsed.count(text) == 1  # the file itself, once
    assert all(len(p) < len(text) + 200 for p in parsed)  # anything else parsed is the appended lines
    after = config.read_text(encoding="utf-8")
    assert after.startswith(text)  # comments and every line of the user's kept
    assert [f.name for f in load_settings(config).feeds] == ["Old", "New wire", "Other"]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        (
            "feeds:\n  - name: Old\n    url: https://old.example/rss\n    url: https://x.example/\n",
            "given twice",
        ),
        (
            "a: &a [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\n"
            + "".join(
                f"{c}: &{c} [{', '.join(['*' + p] * 10)}]\n"
                for p, c in zip("abcdefg", "bcdefgh", strict=True)
            )
            + "feeds: []\n",
            "alias",
        ),
        (
            "feeds:\n  - name: Old\n    url: https://a.example/\n  - name: Old\n    url: https://b.example/\n",
            "duplicate",
        ),
    ],
    ids=["key-twice", "alias-bomb", "duplicate-feed"],
)
def test_the_checks_of_every_load_still_refuse_a_bad_feeds_yaml(
    tmp_path: Path, opml: Path, text: str, words: str
) -> None:
    config = tmp_path / "feeds.yaml"
    config.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        import_opml(opml, config, warn=lambda _m: None)
    assert words in str(caught.value)
    assert config.read_text(encoding="utf-8") == text  # untouched


@pytest.mark.parametrize(
    "text",
    [
        # the last feed's tier is an alias: its node is the anchor's, further up the file
        "feeds:\n  - name: a\n    url: https://a.example/\n    tier: &t wire\n"
        "  - name: b\n    url: https://b.example/\n    tier: *t\nlimits:\n  timeout_s: 20\n",
        # a block scalar ends at the start of the line after it
        "feeds:\n  - name: a\n    url: https://a.example/\n  - url: https://b.example/\n"
        "    name: |\n      b\nlimits:\n  timeout_s: 20\n",
        # no newline at the end
        "feeds:\n  - name: a\n    url: https://a.example/\n  - name: b\n    url: https://b.example/",
    ],
    ids=["alias-last", "block-scalar-last", "no-final-newline"],
)
def test_odd_last_values_still_get_the_feeds_appended_after_them(
    tmp_path: Path, opml: Path, text: str
) -> None:
    config = tmp_path / "feeds.yaml"
    config.write_text(text, encoding="utf-8")
    assert import_opml(opml, config, warn=lambda _m: None).added == 2
    feeds = load_settings(config).feeds
    assert [f.url for f in feeds] == [
        "https://a.example/",
        "https://b.example/",
        "https://new.example/rss",
        "https://other.example/rss",
    ]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("{limits: {timeout_s: 20}}\n", "flow-style"),
        ("limits:\n  timeout_s: 20\n...\n", "end of the YAML document"),
    ],
    ids=["flow-mapping", "document-end"],
)
def test_where_lines_cannot_be_appended_the_file_is_left_alone(
    tmp_path: Path, opml: Path, text: str, words: str
) -> None:
    """The result is validated from its data, not parsed again, so these are refused up front."""
    config = tmp_path / "feeds.yaml"
    config.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        import_opml(opml, config, warn=lambda _m: None)
    assert words in str(caught.value)
    assert config.read_text(encoding="utf-8") == text
