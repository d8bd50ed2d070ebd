"""Hostile bodies served over loopback, fetched and parsed: clear reasons, safe Items, nothing expanded."""

from __future__ import annotations

import os
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from feedserver import FeedServer

from monitor.config import Limits
from monitor.ingest.fetch import Fetcher
from monitor.ingest.parse import ParseResult, content_hash, defuse, parse_feed, safe_link
from monitor.models import Item
from monitor.text import is_clean

FETCHED = datetime(2026, 1, 10, 12, 0, tzinfo=UTC)


def rss(*items: str, head: str = '<?xml version="1.0" encoding="utf-8"?>', doctype: str = "") -> str:
    return f'{head}{doctype}<rss version="2.0"><channel><title>Wire</title>{"".join(items)}</channel></rss>'


def item(title: str = "A title", guid: str | None = "g1", link: str | None = None, date: str = "") -> str:
    parts = [f"<title>{title}</title>"]
    if guid is not None:
        parts.append(f'<guid isPermaLink="false">{guid}</guid>')
    if link is not None:
        parts.append(f"<link>{link}</link>")
    if date:
        parts.append(f"<pubDate>{date}</pubDate>")
    return f"<item>{''.join(parts)}</item>"


async def through(
    server: FeedServer, body: bytes, *, headers: Iterable[tuple[str, str]] = (), max_items: int = 500
) -> ParseResult:
    """Serve ``body`` on loopback, fetch it, parse it: the real path, minus the poller."""
    url = server.feed("/feed", body, headers=[("Content-Type", "application/rss+xml"), *headers])
    async with Fetcher(Limits(timeout_s=10)) as fetcher:
        fetched = await fetcher.fetch(url)
    return parse_feed(
        fetched.body, feed="wire", fetched_at=FETCHED, max_items=max_items, content_type=fetched.content_type
    )


def assert_clean(items: Iterable[Item]) -> None:
    for it in items:
        for name in ("id", "title", "summary", "link", "published_raw"):
            value = getattr(it, name)
            assert value is None or is_clean(value), f"{name}={value!r}"


# --- not a feed -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"", "empty response"),
        (b" \r\n\t ", "empty response"),
        (
            b"<!DOCTYPE html>\n<html><head><title>Sign in</title></head><body><form>"
            b'<input name="password"></form></body></html>',
            "not a feed: an HTML page",
        ),
        (b"<html><body>Please log in</body></html>", "not a feed: an HTML page"),
        (rss(item("cut")).encode()[:60], "truncated XML: "),
        (b'{"status": "error"}', "not a feed: a JSON document"),
        (b"just some text", "not a feed: "),
    ],
    ids=["empty", "whitespace", "login-page", "bare-html", "truncated", "json", "text"],
)
async def test_not_a_feed_gives_a_clear_reason(server: FeedServer, body: bytes, reason: str) -> None:
    result = await through(server, body)
    assert result.error is not None and result.error.startswith(reason), result.error
    assert result.items == ()
    assert is_clean(result.error)


async def test_truncated_feed_keeps_complete_entries(server: FeedServer) -> None:
    body = rss(item("first", "g1"), item("second", "g2")).encode()
    cut = body[: body.index(b"<item>", body.index(b"g1")) + 30]
    result = await through(server, cut)
    assert result.ok and [i.title for i in result.items][:1] == ["first"]
    assert any(n.startswith("truncated XML") for n in result.notes)


async def test_valid_feed_with_no_entries_is_fine(server: FeedServer) -> None:
    result = await through(server, rss().encode())
    assert result.ok and result.items == () and result.title == "Wire"


# --- entity attacks ---------------------------------------------------------------------------


@pytest.mark.timeout(30)
async def test_xxe_never_reads_the_canary(server: FeedServer, tmp_path: Path) -> None:
    canary = tmp_path / "canary.txt"
    canary.write_text("CANARY-SECRET-7731")
    fifo = tmp_path / "canary.fifo"
    os.mkfifo(fifo)  # opening it for reading would block: a read would hang the test, not pass it
    remote = server.feed("/canary", b"CANARY-SECRET-7731")
    doctype = (
        f'<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file://{canary}"><!ENTITY pipe SYSTEM "{fifo}">'
        f'<!ENTITY remote SYSTEM "{remote}"><!ENTITY % param SYSTEM "{remote}"> %param;]>'
    )
    body = rss(item("x &xxe; y &remote; z &pipe;"), doctype=doctype).encode()
    result = await through(server, body)
    assert server.hits("/canary") == []
    text = repr(result)
    assert "CANARY" not in text
    assert result.ok and len(result.items) == 1
    assert_clean(result.items)


@pytest.mark.timeout(30)
async def test_billion_laughs_is_not_expanded(server: FeedServer) -> None:
    decls = ['<!ENTITY lol "lol">'] + [
        f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i > 1 else "&lol;" * 10}">'
        for i in range(1, 10)
    ]
    body = rss(item("&lol9;"), doctype=f"<!DOCTYPE rss [{''.join(decls)}]>").encode()
    result = await through(server, body)
    assert result.ok
    assert all(len(i.title) < 100 for i in result.items)


@pytest.mark.timeout(60)
@pytest.mark.parametrize("size_kb", [40, 160])
async def test_quadratic_blowup_is_not_expanded(server: FeedServer, size_kb: int) -> None:
    n = size_kb * 1024 // 8
    doctype = f'<!DOCTYPE rss [<!ENTITY a "{"a" * (n * 4)}">]>'
    body = rss(item("&a;" * n), doctype=doctype).encode()
    assert abs(len(body) - size_kb * 1024) < size_kb * 1024 * 0.3
    result = await through(server, body)
    assert result.ok
    assert all(len(i.title) <= 500 and "aaaa" not in i.title for i in result.items)


@pytest.mark.parametrize(
    "prolog",
    [
        '<?xml version="1.0"?>\n<!-- a comment -->\n<?pi x?>\n<!DOCTYPE rss [<!ENTITY a "boom">]>\n',
        "<!DOCTYPE rss SYSTEM \"http://x.example/rss.dtd\" [<!ENTITY a 'b]>oom'>]>",
        '<!DOCTYPE rss [<!ENTITY a "boom"> <!ENTITY b "unterminated ]>\n',  # too broken to match
        '<!DOCTYPE a><!DOCTYPE b [<!ENTITY a "boom">]>',
        '<!ENTITY a "boom">',  # outside any DOCTYPE: feedparser would still pick it up
    ],
)
def test_defuse_strips_prolog_declarations(prolog: str) -> None:
    body = (prolog + '<rss version="2.0"><channel><item><title>&a;</title></item></channel></rss>').encode()
    defused, reencoded = defuse(body)
    assert not reencoded
    assert b"ENTITY" not in defused and b"DOCTYPE" not in defused
    assert defused.endswith(b'<rss version="2.0"><channel><item><title>&a;</title></item></channel></rss>')
    result = parse_feed(body, feed="f", fetched_at=FETCHED)
    assert "boom" not in repr(result)


def test_doctype_inside_cdata_is_text() -> None:
    body = rss("<item><description><![CDATA[ <!DOCTYPE ]]></description></item>", head="").encode()
    assert defuse(body)[0] == body
    result = parse_feed(body, feed="f", fetched_at=FETCHED)
    assert result.ok and result.items[0].summary == "<!DOCTYPE"


def test_defuse_strips_declarations_in_utf16_too() -> None:
    body = rss(item("&a;"), doctype='<!DOCTYPE rss [<!ENTITY a "boom">]>').encode("utf-16")
    defused, reencoded = defuse(body)
    assert reencoded and b"ENTITY" not in defused and b"DOCTYPE" not in defused
    assert b"encoding=" not in defused[:60]


# --- encodings --------------------------------------------------------------------------------


async def test_cp1252_declared_as_utf8(server: FeedServer) -> None:
    body = rss(item("café “quoted”")).encode("cp1252")
    result = await through(server, body)
    assert result.ok and result.items[0].title == "café “quoted”"


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be"])
async def test_utf16(server: FeedServer, codec: str) -> None:
    head = f'<?xml version="1.0" encoding="{codec}"?>'
    body = rss(item("Gaza — هدنة"), head=head).encode(codec)
    result = await through(server, body, headers=[("Content-Type", "application/xml")])
    assert result.ok, result.error
    assert result.items[0].title == "Gaza — هدنة"


async def test_invalid_utf8(server: FeedServer) -> None:
    body = rss(item("bad \xc3\x28 bytes \xff here")).encode("latin-1")
    result = await through(server, body)
    assert result.ok and len(result.items) == 1
    assert "bad" in result.items[0].title
    assert_clean(result.items)


# --- ids and dates ----------------------------------------------------------------------------


async def test_no_guids_fall_back_to_link_then_hash(server: FeedServer) -> None:
    body = rss(
        item("with link", guid=None, link="https://news.example/a"),
        item("bare one", guid=None),
        item("bare two", guid=None),
    ).encode()
    first = await through(server, body)
    ids = [i.id for i in first.items]
    assert ids[0] == "https://news.example/a"
    assert ids[1].startswith("hash:") and ids[2].startswith("hash:") and ids[1] != ids[2]
    again = parse_feed(body, feed="wire", fetched_at=datetime(2027, 1, 1, tzinfo=UTC))
    assert [i.id for i in again.items] == ids  # stable across fetches


async def test_duplicate_guids_keep_the_first(server: FeedServer) -> None:
    body = rss(item("one", "same"), item("two", "same"), item("three", "other")).encode()
    result = await through(server, body)
    assert [i.title for i in result.items] == ["one", "three"]
    assert any("duplicate id" in n for n in result.notes)


@pytest.mark.parametrize(
    "date", ["Fri, 01 Jan 2100 00:00:00 GMT", "Mon, 01 Jan 1900 00:00:00 GMT", "the day after tomorrow"]
)
async def test_bogus_dates_become_the_fetch_time_with_raw_kept(server: FeedServer, date: str) -> None:
    result = await through(server, rss(item("dated", date=date)).encode())
    (it,) = result.items
    assert it.published == FETCHED and it.published_raw == date


async def test_good_date_is_utc(server: FeedServer) -> None:
    result = await through(server, rss(item("dated", date="Sat, 10 Jan 2026 13:30:00 +0200")).encode())
    assert result.items[0].published == datetime(2026, 1, 10, 11, 30, tzinfo=UTC)


# --- hostile text -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("copy&#27;]52;c;ZXZpbA==&#7;me", "copyme"),
        ("&#27;]8;;https://evil.example/&#27;\\click&#27;]8;;&#27;\\ here", "click here"),
        ("wipe&#27;[2Jscreen", "wipescreen"),
        ("report&#27;[6nback", "reportback"),
        # feedparser maps a C1 character to its cp1252 glyph ('›' for 0x9B); either way no CSI survives
        ("eight\u009b31mbit", {"eightbit", "eight›31mbit"}),
        ("file&#x202E;gpj.exe", "filegpj.exe"),
        ("raw\x1b[2Jescape", "rawescape"),
    ],
    ids=["osc52", "osc8", "clear", "dsr", "csi8", "rlo", "raw-esc"],
)
async def test_hostile_titles_are_sanitised(server: FeedServer, title: str, expected: str | set[str]) -> None:
    result = await through(server, rss(item(title)).encode())
    assert result.ok, result.error
    got = result.items[0].title
    assert got in expected if isinstance(expected, set) else got == expected
    assert_clean(result.items)


async def test_8bit_csi_in_a_latin1_feed(server: FeedServer) -> None:
    head = '<?xml version="1.0" encoding="iso-8859-1"?>'
    body = rss(item("eight\x9b2Jbit \x9d52;c;eA==\x9c!"), head=head).encode("latin-1")
    result = await through(server, body, headers=[("Content-Type", "text/xml; charset=iso-8859-1")])
    assert result.ok
    assert "\x9b" not in result.items[0].title and "\x9d" not in result.items[0].title
    assert_clean(result.items)


async def test_links_must_be_http(server: FeedServer) -> None:
    body = rss(
        item("js", "1", link="javascript:alert(1)"),
        item("rel", "2", link="/relative/path"),
        item("ok", "3", link="https://news.example/x?a=1&amp;b=2"),
    ).encode()
    links = [i.link for i in (await through(server, body)).items]
    assert links == [None, None, "https://news.example/x?a=1&b=2"]


def test_summary_html_becomes_text_and_content_is_a_fallback() -> None:
    body = (
        b'<feed xmlns="http://www.w3.org/2005/Atom"><title>A</title>'
        b"<entry><id>tag:a,2026:1</id><title>t1</title>"
        b'<summary type="html">&lt;p&gt;Shelling &lt;b&gt;near&lt;/b&gt; Rafah&lt;/p&gt;</summary></entry>'
        b'<entry><id>tag:a,2026:2</id><title>t2</title><content type="xhtml">'
        b'<div xmlns="http://www.w3.org/1999/xhtml"><p>Body <em>text</em></p></div></content></entry>'
        b"</feed>"
    )
    result = parse_feed(body, feed="a", fetched_at=FETCHED)
    assert [i.summary for i in result.items] == ["Shelling near Rafah", "Body text"]
    assert result.items[0].id == "tag:a,2026:1"


def test_max_items_caps_a_fetch() -> None:
    body = rss(*(item(f"n{i}", f"g{i}") for i in range(30))).encode()
    result = parse_feed(body, feed="wire", fetched_at=FETCHED, max_items=10)
    assert len(result.items) == 10
    assert "20 entries beyond the limit of 10 skipped" in result.notes


def test_entry_without_title_or_summary_is_skipped_with_a_reason() -> None:
    body = rss("<item><guid>g0</guid></item>", item("kept", "g1")).encode()
    result = parse_feed(body, feed="wire", fetched_at=FETCHED)
    assert [i.title for i in result.items] == ["kept"]
    assert result.notes == ("entry 1 skipped: it has neither a title nor a summary",)


def test_content_hash_ignores_case_and_spacing() -> None:
    assert content_hash("Truce  holds", "x") == content_hash("truce holds", "X")
    assert content_hash("Truce holds", "x") != content_hash("Truce broken", "x")


def test_safe_link() -> None:
    assert safe_link("http://a.example/") == "http://a.example/"
    for bad in ("file:///etc/passwd", "http://", "https://a.example/\x1b[2J", "http://a b/", 42, None):
        assert safe_link(bad) is None


def test_json_feed_is_named_as_unsupported() -> None:
    body = b'{"version": "https://jsonfeed.org/version/1.1", "title": "J", "items": []}'
    result = parse_feed(body, feed="j", fetched_at=FETCHED, content_type="application/feed+json")
    assert result.error is not None and result.error.startswith("not supported: a JSON Feed")


def test_malformed_and_misdeclared_feeds_keep_their_entries_with_a_note() -> None:
    broken = rss(item("<b>unclosed bold", "g1"), item("fine", "g2")).encode()
    result = parse_feed(broken, feed="f", fetched_at=FETCHED)
    assert result.ok and len(result.items) >= 1
    assert result.notes[0].startswith("malformed XML: mismatched tag")
    misdeclared = parse_feed(rss(item("café")).encode("cp1252"), feed="f", fetched_at=FETCHED)
    assert misdeclared.items[0].title == "café"
    assert misdeclared.notes == ("document declared as utf-8, but parsed as windows-1252",)
