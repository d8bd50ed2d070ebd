"""``watch --notify`` through Apprise to a real loopback webhook (pytest-httpserver), the
``notify:`` block of feeds.yaml, per-target filters, retries; and ``--exec`` argument templates."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from tests.watch_support import FeedServer, plain_item, run_once, write_config

pytestmark = pytest.mark.slow

RAFAH = "Israeli drone strike kills 2 in Rafah despite the ceasefire"
KHAN = "Israeli airstrike kills 5 in Khan Younis despite ceasefire"


@pytest.fixture
def hooks() -> Iterator[HTTPServer]:
    server = HTTPServer(host="127.0.0.1", port=0)
    server.start()
    try:
        yield server
    finally:
        server.clear()
        if server.is_running():
            server.stop()


@pytest.fixture
def feed() -> Iterator[FeedServer]:
    with FeedServer() as srv:
        srv.add(plain_item("g0", RAFAH), plain_item("g1", KHAN))
        yield srv


def posts(server: HTTPServer, path: str) -> list[dict[str, object]]:
    return [json.loads(req.get_data()) for req, _ in server.log if req.path == path and req.method == "POST"]


def hook_url(server: HTTPServer, path: str, query: str = "") -> str:
    return f"json://127.0.0.1:{server.port}{path}" + (f"?{query}" if query else "")


def test_each_alert_reaches_the_webhook_once(hooks: HTTPServer, feed: FeedServer, tmp_path: Path) -> None:
    hooks.expect_request("/all", method="POST").respond_with_data("ok")
    config, data = write_config(tmp_path / "feeds.yaml", feed.url()), tmp_path / "data"
    proc = run_once(config, data, "--interval", "1", "--notify", hook_url(hooks, "/all"))
    assert proc.returncode == 0, proc.stderr
    got = posts(hooks, "/all")
    assert sorted(str(p["title"]) for p in got) == sorted(
        [f"[{r['severity'].upper()}] {r['title']}" for r in map(json.loads, proc.stdout.splitlines())]
    )
    assert all(p["type"] in ("info", "warning", "failure") for p in got)
    assert all("https://news.example/" in str(p["message"]) for p in got)
    again = run_once(config, data, "--interval", "1", "--notify", hook_url(hooks, "/all"))
    assert again.returncode == 0 and len(posts(hooks, "/all")) == 2  # nothing sent twice


def test_per_target_filters_are_ours_and_taken_off_the_url(
    hooks: HTTPServer, feed: FeedServer, tmp_path: Path
) -> None:
    hooks.expect_request("/rafah", method="POST").respond_with_data("ok")
    hooks.expect_request("/everything", method="POST").respond_with_data("ok")
    config = write_config(tmp_path / "feeds.yaml", feed.url())
    proc = run_once(
        config,
        tmp_path / "data",
        "--interval",
        "1",
        "--notify",
        hook_url(hooks, "/rafah", "zone=rafah&min_severity=low"),
        "--notify",
        hook_url(hooks, "/everything"),
    )
    assert proc.returncode == 0, proc.stderr
    everything = [str(p["title"]) for p in posts(hooks, "/everything")]
    assert [p["title"] for p in posts(hooks, "/rafah")] == [t for t in everything if "Rafah" in t]
    assert len(posts(hooks, "/everything")) == 2
    # Apprise never saw our parameters
    assert all(not req.args for req, _ in hooks.log)


def test_a_failing_target_is_reported_and_retried_without_repeating_stdout(
    hooks: HTTPServer, feed: FeedServer, tmp_path: Path
) -> None:
    answers = iter([500, 500])

    def handler(request: Request) -> Response:
        return Response("no", status=next(answers, 200))

    hooks.expect_request("/flaky", method="POST").respond_with_handler(handler)
    config, data = write_config(tmp_path / "feeds.yaml", feed.url()), tmp_path / "data"
    url = hook_url(hooks, "/flaky")
    first = run_once(config, data, "--interval", "1", "--notify", url)
    assert first.returncode == 0
    assert len(first.stdout.splitlines()) == 2  # stdout is not held back by the failing target
    assert "notify json://127.0.0.1:" in first.stderr and "failed" in first.stderr
    assert "left pending; retrying on the next cycle" in first.stderr
    second = run_once(config, data, "--interval", "1", "--notify", url)
    assert second.stdout == ""  # stdout's own pending list is empty
    third = run_once(config, data, "--interval", "1", "--notify", url)
    assert third.returncode == 0 and third.stdout == ""
    delivered = [req for req, resp in hooks.log if resp.status_code == 200]
    assert len(delivered) == 2, [resp.status_code for _, resp in hooks.log]


def test_the_notify_block_of_feeds_yaml(hooks: HTTPServer, feed: FeedServer, tmp_path: Path) -> None:
    hooks.expect_request("/team", method="POST").respond_with_data("ok")
    config = write_config(tmp_path / "feeds.yaml", feed.url())
    config.write_text(
        config.read_text()
        + f"notify:\n  - name: team\n    url: {hook_url(hooks, '/team')}\n    zones: [khan yunis]\n",
        encoding="utf-8",
    )
    proc = run_once(config, tmp_path / "data", "--interval", "1")
    assert proc.returncode == 0, proc.stderr
    (team,) = posts(hooks, "/team")  # only the Khan Younis alert: the target's own zone filter
    assert str(team["title"]).endswith(KHAN)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--notify", "nosuchscheme://x/y"], "not a notification URL Apprise knows"),
        (["--notify", "json://127.0.0.1:9/x?zone=rafa"], "did you mean Rafah"),
        (["--notify", "json://127.0.0.1:9/x?min_severity=hgh"], "'hgh' is not a valid Severity"),
    ],
)
def test_unusable_targets_are_usage_errors(tmp_path: Path, args: list[str], message: str) -> None:
    config = write_config(tmp_path / "feeds.yaml", "http://127.0.0.1:9/feed.xml")
    proc = run_once(config, tmp_path / "data", *args)
    assert proc.returncode == 2
    assert message in proc.stderr
    assert not (tmp_path / "data").exists()


def test_notify_block_errors_name_file_line_and_key(tmp_path: Path) -> None:
    config = tmp_path / "feeds.yaml"
    config.write_text(
        "notify:\n  - name: ops\n    url: json://127.0.0.1/x\n    zones: [rafa]\n", encoding="utf-8"
    )
    proc = run_once(config, tmp_path / "data")
    assert proc.returncode == 2
    assert f"{config}:4: notify[0].zones: unknown zone 'rafa'; did you mean Rafah" in proc.stderr


# --- --exec argument templates ----------------------------------------------------------------


def test_exec_arguments_carry_the_alert_fields(feed: FeedServer, tmp_path: Path) -> None:
    out = tmp_path / "hook.txt"
    script = "import sys; open(sys.argv[1], 'a', encoding='utf-8').write('|'.join(sys.argv[2:]) + '\\n')"
    config = write_config(tmp_path / "feeds.yaml", feed.url())
    proc = run_once(
        config,
        tmp_path / "data",
        "--interval",
        "1",
        "--exec",
        sys.executable,
        "-c",
        script,
        str(out),
        "{title}",
        "{severity} in {zone}",
        "{link}",
        "{{literal}}",
    )
    assert proc.returncode == 0, proc.stderr
    rows = sorted(out.read_text(encoding="utf-8").splitlines())
    assert len(rows) == 2
    khan = next(r for r in rows if r.startswith(KHAN))
    title, where, link, literal = khan.split("|")
    assert title == KHAN and where.endswith(" in Khan Younis") and link.startswith("https://news.example/")
    assert literal == "{literal}"


def test_exec_with_an_unknown_placeholder_is_a_usage_error(tmp_path: Path) -> None:
    config = write_config(tmp_path / "feeds.yaml", "http://127.0.0.1:9/feed.xml")
    proc = run_once(config, tmp_path / "data", "--exec", "echo", "{headline}")
    assert proc.returncode == 2
    assert "unknown placeholder {headline}" in proc.stderr
