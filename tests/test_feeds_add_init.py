"""`feeds add URL` (a real fetch from 127.0.0.1, comments kept) and `init` (the shipped feeds.yaml),
run as the command line runs them: in a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from monitor.config import load_settings, parse_settings, sample_config

RSS = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Gaza \x1b[31mMonitor\x1b[0m Desk</title>
<link>http://127.0.0.1/</link><description>d</description>
<item><title>Strike reported</title><link>http://127.0.0.1/1</link><guid>1</guid></item>
</channel></rss>"""

CONFIG = """# my own header comment
concurrency: 4

feeds:
  # the first feed, commented
  - name: First
    url: https://first.example/rss   # trailing comment
    tier: wire
# a comment after the list
retention_days: 10
"""


@pytest.fixture
def server() -> Iterator[HTTPServer]:
    srv = HTTPServer(host="127.0.0.1", port=0)
    srv.start()
    try:
        yield srv
    finally:
        srv.clear()
        srv.stop()


def run(*args: str, home: Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config")}
    return subprocess.run(
        [sys.executable, "-m", "monitor", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        cwd=cwd or home,
        check=False,
    )


def test_feeds_add_names_the_feed_after_its_title_and_keeps_comments(
    tmp_path: Path, server: HTTPServer
) -> None:
    server.expect_request("/rss").respond_with_data(RSS, content_type="application/rss+xml")
    config = tmp_path / "feeds.yaml"
    config.write_text(CONFIG, encoding="utf-8")
    url = server.url_for("/rss")
    done = run("feeds", "add", url, "--config", str(config), home=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "added 'Gaza Monitor Desk'" in done.stderr
    text = config.read_text(encoding="utf-8")
    kept = CONFIG.split("# a comment after the list", maxsplit=1)[0]
    assert text.startswith(kept)  # every line kept as it was
    for comment in ("# my own header comment", "# trailing comment", "# a comment after the list"):
        assert comment in text
    settings = load_settings(config)
    assert [f.name for f in settings.feeds] == ["First", "Gaza Monitor Desk"]
    assert settings.feeds[1].url == url and settings.retention_days == 10

    again = run("feeds", "add", url, "--config", str(config), home=tmp_path)
    assert again.returncode == 2 and "already listed" in again.stderr


def test_feeds_add_with_a_name_and_into_a_missing_file(tmp_path: Path, server: HTTPServer) -> None:
    server.expect_request("/rss").respond_with_data(RSS, content_type="application/rss+xml")
    config = tmp_path / "new" / "feeds.yaml"
    done = run(
        "feeds", "add", server.url_for("/rss"), "--name", "Desk", "--config", str(config), home=tmp_path
    )
    assert done.returncode == 0, done.stderr
    assert [f.name for f in load_settings(config).feeds] == ["Desk"]


@pytest.mark.parametrize(
    ("body", "status", "words"),
    [(b"<html><body>hello</body></html>", 200, "not a feed"), (b"no", 403, "403")],
)
def test_feeds_add_refuses_what_is_no_feed_and_writes_nothing(
    tmp_path: Path, server: HTTPServer, body: bytes, status: int, words: str
) -> None:
    server.expect_request("/x").respond_with_data(body, status=status, content_type="text/html")
    config = tmp_path / "feeds.yaml"
    config.write_text(CONFIG, encoding="utf-8")
    done = run("feeds", "add", server.url_for("/x"), "--config", str(config), home=tmp_path)
    assert done.returncode == 1
    assert words in done.stderr.lower() or words in done.stderr
    assert config.read_text(encoding="utf-8") == CONFIG


def test_shipped_sample_is_the_repository_feeds_yaml_and_loads() -> None:
    repo = Path(__file__).resolve().parent.parent / "feeds.yaml"
    assert sample_config() == repo.read_text(encoding="utf-8")
    settings = parse_settings(sample_config())
    assert settings.feeds and settings.app.bell is False
    assert "app:" in sample_config() and "bell:" in sample_config()  # the header documents it


def test_the_wheel_ships_the_sample() -> None:
    import tomllib

    pyproject = tomllib.loads((Path(__file__).resolve().parent.parent / "pyproject.toml").read_text())
    included = pyproject["tool"]["hatch"]["build"]["targets"]["wheel"]["force-include"]
    assert included["feeds.yaml"] == "monitor/_data/feeds.yaml"


def test_init_writes_the_sample_where_the_config_is_looked_for(tmp_path: Path) -> None:
    home = tmp_path / "home"
    work = tmp_path / "work"
    work.mkdir()
    done = run("init", home=home, cwd=work)
    assert done.returncode == 0, done.stderr
    written = home / ".config" / "situation-room" / "feeds.yaml"
    assert f"wrote {written}" in done.stderr
    assert written.read_text(encoding="utf-8") == sample_config()
    check = run("feeds", "check", home=home, cwd=work)  # found there with no --config
    assert check.returncode == 0, check.stderr

    again = run("init", home=home, cwd=work)
    assert again.returncode == 2 and "already exists" in again.stderr


def test_first_run_hint_points_at_init(tmp_path: Path) -> None:
    work = tmp_path / "work"
    work.mkdir()
    done = run("--data-dir", str(tmp_path / "data"), home=tmp_path / "home", cwd=work)
    assert done.returncode == 2
    assert "situation-room init" in done.stderr


def test_app_options_are_validated_strictly_with_their_line() -> None:
    from monitor.errors import ConfigError

    assert parse_settings("app:\n  bell: true\n").app.bell is True
    with pytest.raises(ConfigError) as caught:
        parse_settings("feeds:\napp:\n  bel: true\n  bell: loud\n", "f.yaml")
    text = str(caught.value)
    assert "f.yaml:3: app.bel: unknown key" in text
    assert "f.yaml:4: app.bell:" in text
