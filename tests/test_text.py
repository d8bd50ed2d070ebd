"""sanitize and html_to_text: hostile feed text becomes one safe plain line."""

from __future__ import annotations

import pytest

from monitor.text import SUMMARY_MAX, TITLE_MAX, html_to_text, is_clean, plain, sanitize

ESC = "\x1b"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("plain title", "plain title"),
        (f"clip{ESC}]52;c;ZXZpbA==\x07board", "clipboard"),  # OSC 52 ended by BEL
        (f"clip{ESC}]52;c;ZXZpbA=={ESC}\\board", "clipboard"),  # OSC 52 ended by ST
        (f"x{ESC}]52;c;never ended", "x"),  # OSC never ended: the rest is swallowed
        (f"{ESC}]8;;https://evil.example/\x07click{ESC}]8;;\x07 here", "click here"),  # OSC 8 link
        (f"before{ESC}[2Jafter", "beforeafter"),  # clear screen
        (f"ask{ESC}[6n", "ask"),  # device status report
        (f"red{ESC}[1;31mtext{ESC}[0m", "redtext"),
        ("eight\x9b31mbit", "eightbit"),  # 8-bit CSI
        ("osc\x9d0;title\x9cend", "oscend"),  # 8-bit OSC ended by 8-bit ST
        (f"dcs{ESC}P1$r0m{ESC}\\end", "dcsend"),  # DCS
        ("dcs8\x90payload\x9cend", "dcs8end"),
        (f"reset{ESC}c!", "reset!"),
        ("a\u202egnp.exe", "agnp.exe"),  # right-to-left override
        ("\u2066iso\u2069late \u202aemb\u202c", "isolate emb"),
        ("nul\x00bell\x07del\x7fc1\x85", "nulbelldelc1"),
        ("  many \t\n spaces\r\n here  ", "many spaces here"),
        (f"{ESC}{ESC}[31m[2J", "[2J"),  # what remains is shown as text, never as a sequence
        ("", ""),
        (None, ""),
        ("Gaza: عودة النازحين", "Gaza: عودة النازحين"),  # right-to-left script itself is kept
    ],
)
def test_sanitize(raw: str | None, expected: str) -> None:
    out = sanitize(raw)
    assert out == expected
    assert is_clean(out)


def test_sanitize_caps_length_with_ellipsis() -> None:
    out = sanitize("word " * 200, max_len=TITLE_MAX)
    assert len(out) <= TITLE_MAX
    assert out.endswith("…")
    assert len(sanitize("x" * 10_000, SUMMARY_MAX)) == SUMMARY_MAX


def test_is_clean_flags_what_sanitize_removes() -> None:
    for bad in (ESC, "\x9b", "\n", "\t", "\u202e", "\x0c"):
        assert not is_clean(f"a{bad}b")
    assert is_clean("a b")


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ("<p>One</p><p>Two</p>", "One Two"),
        ("a <b>bold</b> move", "a bold move"),
        ("<script>alert(1)</script>kept<style>p{}</style>", "kept"),
        ("Tom &amp; Jerry &#8212; &eacute;t&eacute;", "Tom & Jerry — été"),
        ("fish &lt;b&gt; text", "fish <b> text"),  # escaped markup in HTML is text...
        ('<img src="x" alt="a map"> of Rafah', "a map of Rafah"),
        ("no markup at all, 3 < 4", "no markup at all, 3 < 4"),
        ("<!-- hidden -->shown", "shown"),
        ("line<br>break", "line break"),
        ("<![CDATA[<script></script>]]&gt;", ""),  # unterminated CDATA leaves no markup behind
        ("x &lt;script src=y&gt; z", "x z"),  # nor does an escaped script tag in an HTML field
    ],
)
def test_html_to_text(html: str, expected: str) -> None:
    assert sanitize(html_to_text(html)) == expected


def test_escape_inside_markup_is_removed() -> None:
    # feedparser decodes &#27; into a real ESC before we see the text; plain() removes the sequence
    assert plain(f"<b>{ESC}[2Jcleared</b>") == "cleared"
    assert plain(f"<i>{ESC}]52;c;aGk=\x07x</i>") == "x"
    assert plain("&#27;[2J") == "[2J"  # html.unescape drops the control reference itself


def test_plain_text_is_not_treated_as_html() -> None:
    assert plain("a <b> c", is_html=False) == "a <b> c"
