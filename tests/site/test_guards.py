"""Every text is checked at load (issue 15): control characters, size, and brackets that would
make Python-Markdown work for minutes; content pages' addresses and the resources they load."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.site.guards import (
    MAX_BRACKET_WORK,
    MAX_TEXT_CHARS,
    markdown_work,
    page_address,
    remote_loads,
)
from generator.site.problems import Problems
from generator.site.yaml_reader import parse_yaml


def _problems(yaml_text: str) -> list[str]:
    problems = Problems()
    parse_yaml(yaml_text.encode("utf-8"), Path("a.yml"), "indicators/a.yml", problems)
    return [p.format() for p in problems]


@pytest.mark.parametrize(
    ("escape", "name"),
    [
        ("\\0", "U+0000 NULL"),
        ("\\e", "U+001B ESCAPE"),
        ("\\v", "U+000B VERTICAL TAB"),
        ("\\N", "U+0085 NEXT LINE"),
        ("\\x9b", "U+009B"),
        ("\\uffff", "U+FFFF"),
        ("\\ud800", "U+D800"),
    ],
)
def test_a_control_character_written_as_an_escape_is_refused(escape: str, name: str) -> None:
    [message] = _problems(f'title: ok\ncommentary: "Better{escape} than before"\n')
    assert message.startswith(
        f"indicators/a.yml:2: commentary: has an invisible control character ({name}"
    )
    assert "at character 7" in message


def test_tab_newline_and_carriage_return_are_text() -> None:
    assert _problems('commentary: "a\\tb\\nc\\rd"\n') == []


def test_a_text_over_the_limit_is_refused() -> None:
    long = "a" * (MAX_TEXT_CHARS + 1)
    assert _problems(f"title: ok\ncommentary: {long}\n") == [
        f"indicators/a.yml:2: commentary: is {MAX_TEXT_CHARS + 1:,} characters long, over the "
        f"limit of {MAX_TEXT_CHARS:,} for one text; shorten it, or put long text in a page "
        "under content/"
    ]
    assert _problems(f"commentary: {'a' * MAX_TEXT_CHARS}\n") == []


def test_unclosed_brackets_are_refused_before_markdown_reads_them() -> None:
    assert markdown_work("[" * 20_000) > MAX_BRACKET_WORK
    assert markdown_work("[a](" * 5_000) > MAX_BRACKET_WORK
    ordinary = "See [the plan](https://example.com/plan) (page 4) and [notes][n]. " * 1_000
    assert markdown_work(ordinary) < MAX_BRACKET_WORK / 10
    [message] = _problems(f'commentary: "{"[" * 20_000}"\n')
    assert "has too many [ or ( that are never closed" in message


def test_nesting_is_limited_before_the_yaml_is_composed() -> None:
    [message] = _problems("title: " + "[" * 900_000 + "\n")  # crashed libyaml's composer
    assert message.startswith("indicators/a.yml:1: nests lists or mappings more than 32 levels")


@pytest.mark.parametrize(
    ("inner", "address"),
    [
        ("about.md", "/about/"),
        ("about/index.md", "/about/"),
        ("about/README.md", "/about/"),
        ("README.md", "/"),
        ("indicators.md", "/indicators/"),
        ("a/b.md", "/a/b/"),
    ],
)
def test_page_address(inner: str, address: str) -> None:
    assert page_address(inner) == address


def test_every_way_to_load_a_resource_is_found() -> None:
    text = "\n".join(
        [
            "![a](https://h.example/1.png)",
            "![b][ref] ![Ref] ![c][]",
            "<img alt='' srcset='x.png 1x, //h.example/2.png 2x'>",
            '<video poster="https://h.example/3.png"></video>',
            "<p style=\"background:url('https://h.example/4.png')\">x</p>",
            "<style>@import 'https://h.example/5.css'; p { background: url(//h.example/6.png) }",
            "</style>",
            "```",
            "![in code](https://h.example/not.png)",
            "```",
            "[a link](https://h.example/fine.html) is clicked, not loaded",
            "[ref]: https://h.example/7.png",
            "[c]: https://h.example/8.png",
        ]
    )
    found = sorted((line, url) for line, _, url in remote_loads(text))
    assert found == [
        (1, "https://h.example/1.png"),
        (2, "https://h.example/7.png"),
        (2, "https://h.example/7.png"),
        (2, "https://h.example/8.png"),
        (3, "//h.example/2.png"),
        (4, "https://h.example/3.png"),
        (5, "https://h.example/4.png"),
        (6, "//h.example/6.png"),
        (6, "https://h.example/5.css"),
    ]
