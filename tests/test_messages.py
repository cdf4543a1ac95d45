"""Messages redact secrets, show outside text literally and cut it short."""

from __future__ import annotations

import pytest
from rich.console import Console

from ctgraph.messages import literal, redact_url, shorten


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("http://alice:pw@host/sparql?apikey=K", "http://host/sparql?apikey=REDACTED"),
        ("https://h:8443/q?token=abc&x=1#frag", "https://h:8443/q?token=REDACTED&x=1"),
        ("http://h/q?Access_Key=1&default-graph-uri=g", None),
        ("http://[::1]:7878/query", "http://[::1]:7878/query"),
    ],
)
def test_redact_url_hides_userinfo_and_secret_parameters(url: str, shown: str | None):
    out = redact_url(url)
    assert "pw" not in out and "alice" not in out and "abc" not in out
    if shown is not None:
        assert out == shown
    else:
        assert "Access_Key=REDACTED" in out and "default-graph-uri=g" in out


def test_redact_url_survives_an_unreadable_port():
    assert redact_url("http://h:99999999/x") == "<unreadable URL>"


def test_shorten_cuts_and_says_how_much():
    assert shorten("x" * 10, 20) == "x" * 10
    cut = shorten("y" * 130_000)
    assert len(cut) < 300 and "129800 more characters" in cut


@pytest.mark.parametrize("text", ["[/x]", "[bold]b[/bold]", "[link=http://e]t[/link]"])
def test_literal_text_prints_exactly_through_rich(text: str):
    console = Console(record=True, width=200, color_system=None)
    console.print(literal(text))
    assert console.export_text().strip() == text


def test_literal_shows_escape_codes_instead_of_sending_them():
    console = Console(record=True, width=200, color_system=None)
    console.print(literal("a\x1b[31mred\x07"))
    printed = console.export_text().strip()
    assert "\x1b" not in printed and "\x07" not in printed
    assert printed == "a\\x1b[31mred\\x07"
