"""OPML import and export, through the real command on real files.

tests/data/newsboat-export.opml was written by `newsboat -e` (2.21) from tests/data/newsboat-urls
before any reload, so its titles are empty except where the urls file set one with "~";
tests/data/newsboat-export-reloaded.opml was written after a reload against a loopback server, so it
carries the feeds' own titles.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from monitor.config import load_settings
from monitor.errors import ConfigError
from monitor.opml import import_opml, read_opml

DATA = Path(__file__).parent / "data"
REPO = Path(__file__).resolve().parents[1]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "monitor", *args], capture_output=True, text=True, timeout=60, check=False
    )


def feed_tuples(path: Path) -> list[tuple[object, ...]]:
    return [
        (f.name, f.url, f.tier, f.party, f.interval, f.language, f.enabled, f.tags)
        for f in load_settings(path).feeds
    ]


def test_round_trip_export_then_import_gives_the_same_feeds(tmp_path: Path) -> None:
    exported = run("--config", str(REPO / "feeds.yaml"), "feeds", "export")
    assert exported.returncode == 0, exported.stderr
    opml = tmp_path / "feeds.opml"
    opml.write_text(exported.stdout)
    target = tmp_path / "new" / "feeds.yaml"
    imported = run("--config", str(target), "feeds", "import", str(opml))
    assert imported.returncode == 0, imported.stderr
    assert feed_tuples(target) == feed_tuples(REPO / "feeds.yaml")


def test_export_is_opml_2_with_one_outline_per_http_feed(tmp_path: Path) -> None:
    config = tmp_path / "feeds.yaml"
    config.write_text(
        "feeds:\n"
        "  - name: A & B <news>\n    url: https://example.org/a?x=1&y=2\n"
        "  - name: Saved\n    url: saved.xml\n"
    )
    proc = run("--config", str(config), "feeds", "export")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<opml version="2.0">')
    feeds = read_opml(proc.stdout.encode())
    assert [(f.name, f.url) for f in feeds] == [("A & B <news>", "https://example.org/a?x=1&y=2")]


def test_newsboat_export_imports(tmp_path: Path) -> None:
    target = tmp_path / "feeds.yaml"
    proc = run("--config", str(target), "feeds", "import", str(DATA / "newsboat-export.opml"))
    assert proc.returncode == 0, proc.stderr
    assert "added 6" in proc.stderr
    feeds = load_settings(target).feeds
    urls = [line.split()[0] for line in (DATA / "newsboat-urls").read_text().splitlines()]
    assert [f.url for f in feeds] == urls
    names = [f.name for f in feeds]
    assert names[2] == "UN News: Middle East"
    assert names[4] == "+972 Magazine & Local Call"
    assert names[0] == "feeds.bbci.co.uk"  # no title in the file: named after the host
    assert len(set(names)) == len(names)
    assert all(f.tier == "outlet" for f in feeds)


def test_newsboat_reloaded_export_keeps_titles_and_tier_flag(tmp_path: Path) -> None:
    target = tmp_path / "feeds.yaml"
    proc = run(
        "--config",
        str(target),
        "feeds",
        "import",
        "--tier",
        "wire",
        str(DATA / "newsboat-export-reloaded.opml"),
    )
    assert proc.returncode == 0, proc.stderr
    feeds = load_settings(target).feeds
    assert [f.name for f in feeds] == ["Demo wire desk & co", "My outlet"]
    assert {f.tier for f in feeds} == {"wire"}


def test_import_appends_text_keeping_comments_and_skips_known_urls(tmp_path: Path) -> None:
    config = tmp_path / "feeds.yaml"
    original = (
        "# my feeds, hand-kept\n"
        "concurrency: 8   # be gentle\n"
        "feeds:\n"
        "    # wires first\n"
        "    - name: BBC Middle East\n"
        "      url: https://feeds.bbci.co.uk/news/world/middle_east/rss.xml/\n"
        "      tier: outlet\n"
        "\n"
        "# limits below were tuned by hand\n"
        "limits:\n"
        "  timeout_s: 20\n"
    )
    config.write_text(original)
    added, skipped, _ = import_opml(DATA / "newsboat-export.opml", config)
    assert (added, skipped) == (5, 1)
    text = config.read_text()
    lines = text.splitlines()
    # Every original line is still there, in order, and the new feeds sit inside the feeds list.
    rest = iter(lines)
    assert all(any(line == kept for line in rest) for kept in original.splitlines())
    assert text.index("# imported from newsboat-export.opml") < text.index("# limits below")
    assert '    - name: "aljazeera.com"' in lines
    settings = load_settings(config)
    assert len(settings.feeds) == 6
    assert settings.limits.timeout_s == 20
    assert settings.concurrency == 8
    # Running the import again adds nothing.
    assert import_opml(DATA / "newsboat-export.opml", config) == (0, 6, 0)
    assert config.read_text() == text


def test_names_made_unique(tmp_path: Path) -> None:
    config = tmp_path / "feeds.yaml"
    config.write_text("feeds:\n  - name: Gaza desk\n    url: https://one.example/feed\n")
    opml = tmp_path / "in.opml"
    opml.write_text(
        '<opml version="2.0"><body>'
        '<outline text="Gaza desk" xmlUrl="https://two.example/feed"/>'
        '<outline text="gaza DESK" xmlUrl="https://three.example/feed"/>'
        "</body></opml>"
    )
    assert import_opml(opml, config) == (2, 0, 0)
    assert [f.name for f in load_settings(config).feeds] == ["Gaza desk", "Gaza desk (2)", "gaza DESK (3)"]


def test_folders_become_tags_and_bad_urls_are_rejected(tmp_path: Path) -> None:
    opml = tmp_path / "in.opml"
    opml.write_text(
        '<?xml version="1.0"?><opml version="2.0"><head/><body>'
        '<outline text="Humanitarian"><outline text="UN" xmlUrl="https://un.example/rss"'
        ' category="un,/situation-room/tier/official,/situation-room/party/Nobody"/></outline>'
        '<outline text="Mail" xmlUrl="mailto:someone@example.org"/>'
        '<outline text="Gopher" xmlUrl="gopher://old.example/feed"/>'
        "</body></opml>"
    )
    warnings: list[str] = []
    config = tmp_path / "feeds.yaml"
    assert import_opml(opml, config, warn=warnings.append) == (1, 0, 2)
    assert len(warnings) == 2
    assert "rejected 'mailto:someone@example.org'" in warnings[0]
    assert "rejected 'gopher://old.example/feed'" in warnings[1]
    (feed,) = load_settings(config).feeds
    assert (feed.name, feed.tier, feed.party, feed.tags) == (
        "UN",
        "official",
        "Nobody",
        ("Humanitarian", "un"),
    )


@pytest.mark.parametrize(
    "start",
    [
        "",
        "# only a comment\n",
        "feeds:\n",
        "feeds: []\n",
        "feeds: []  # none yet\nretention_days: 7\n",
        "per_host: 1\n",
    ],
)
def test_import_into_empty_lists(tmp_path: Path, start: str) -> None:
    config = tmp_path / "feeds.yaml"
    config.write_text(start)
    assert import_opml(DATA / "newsboat-export-reloaded.opml", config) == (2, 0, 0)
    assert len(load_settings(config).feeds) == 2
    assert config.read_text().startswith(start.split("feeds", maxsplit=1)[0])


def test_control_characters_in_titles_are_stripped(tmp_path: Path) -> None:
    opml = tmp_path / "in.opml"
    opml.write_text(
        '<opml version="2.0"><body>'
        '<outline text="Evil&#x9b;2J&#x85;&#x202e; feed" xmlUrl="https://e.example/rss"/>'
        "</body></opml>"
    )
    config = tmp_path / "feeds.yaml"
    import_opml(opml, config)
    (feed,) = load_settings(config).feeds
    assert feed.name.isprintable()
    assert "\x1b" not in config.read_text()
    assert feed.name == "Evil feed"  # a sequence goes whole, parameters too (as everywhere else)


ENTITY_BOMB = (
    '<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY a "aaaaaaaaaa">'
    '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
    '<opml version="2.0"><body><outline text="&c;" xmlUrl="https://x.example/"/></body></opml>'
)


def test_entity_declarations_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="refused"):
        read_opml(ENTITY_BOMB.encode())


def test_external_entities_are_never_read(tmp_path: Path) -> None:
    canary = tmp_path / "canary.txt"
    canary.write_text("SECRET-CANARY")
    xxe = (
        f'<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY x SYSTEM "file://{canary}">]>'
        '<opml version="2.0"><body><outline text="&x;" xmlUrl="https://x.example/"/></body></opml>'
    )
    opml = tmp_path / "xxe.opml"
    opml.write_text(xxe)
    config = tmp_path / "feeds.yaml"
    proc = run("--config", str(config), "feeds", "import", str(opml))
    assert proc.returncode == 2
    assert "SECRET-CANARY" not in proc.stdout + proc.stderr
    assert not config.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("<opml><body><outline", "not well-formed"),
        ("<rss version='2.0'><channel/></rss>", "not an OPML file"),
        ("<opml version='2.0'><head/></opml>", "no <body>"),
    ],
)
def test_unusable_files_exit_2_without_touching_the_config(
    tmp_path: Path, content: str, message: str
) -> None:
    opml = tmp_path / "bad.opml"
    opml.write_text(content)
    config = tmp_path / "feeds.yaml"
    config.write_text("feeds: []\n")
    proc = run("--config", str(config), "feeds", "import", str(opml))
    assert proc.returncode == 2
    assert message in proc.stderr
    assert config.read_text() == "feeds: []\n"


def test_import_refuses_to_append_to_an_invalid_config(tmp_path: Path) -> None:
    config = tmp_path / "feeds.yaml"
    config.write_text("feeds:\n  - name: x\n    url: https://a.example/\n    interval: 1\n")
    before = config.read_text()
    proc = run("--config", str(config), "feeds", "import", str(DATA / "newsboat-export.opml"))
    assert proc.returncode == 2
    assert "feeds[0].interval" in proc.stderr
    assert config.read_text() == before


@pytest.mark.parametrize(
    ("config", "code", "message"),
    [
        ("", 2, "cannot read"),  # --config names a directory
        ("blocker/feeds.yaml", 1, "cannot write"),  # a file stands where its directory should be
    ],
)
def test_import_into_a_config_that_cannot_be_read_or_written_is_said_in_words(
    tmp_path: Path, config: str, code: int, message: str
) -> None:
    (tmp_path / "blocker").write_text("not a directory\n")
    proc = run("--config", str(tmp_path / config), "feeds", "import", str(DATA / "newsboat-export.opml"))
    assert proc.returncode == code
    assert message in proc.stderr
    assert "Traceback" not in proc.stderr


@pytest.mark.skipif(shutil.which("newsboat") is None, reason="newsboat is not installed")
def test_newsboat_imports_our_export(tmp_path: Path) -> None:
    exported = run("--config", str(REPO / "feeds.yaml"), "feeds", "export")
    (tmp_path / "feeds.opml").write_text(exported.stdout)
    (tmp_path / "urls").write_text("")
    subprocess.run(
        ["newsboat", "-u", "urls", "-c", "cache.db", "-C", "/dev/null", "-i", "feeds.opml"],
        cwd=tmp_path,
        env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        timeout=60,
        check=True,
    )
    imported = (tmp_path / "urls").read_text().split()
    assert imported == [f.url for f in load_settings(REPO / "feeds.yaml").feeds]
