"""libyaml's composer (the fast path) must read every file exactly as the pure-Python one does:
the same values with the same types, the same lines, and the same problems."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.site import yaml_reader as load
from generator.site.problems import Problems

REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(not yaml.__with_libyaml__, reason="PyYAML built without libyaml")

SNIPPETS = {
    "scalars": """\
a: 1
b: 1.50
c: "2019"
d: '85.1'
e: yes
f: on
g: 2019-09-30
h: 0123
i: 0x1F
j: .inf
k: -.inf
l: .nan
m: ~
n: null
o:
p: true
q: FALSE
r: 1_000
s: +12.5e3
t: 2019/20 Q2
""",
    "tags": """\
a: !!str 2019
b: !!int "42"
c: ! 3
d: ! "3"
e: !!float 1
f: !!null ""
""",
    "bad tag": "a: !!python/object:os.system x\n",
    "custom tag": "a: !custom x\n",
    "merge key": "base: &b {x: 1}\nother:\n  <<: *b\n",
    "quoted merge key": 'a:\n  "<<": 1\n',
    "tagged merge key": "a:\n  !!str <<: 1\n",
    "duplicate": "a: 1\nb: 2\na: 3\n",
    "nested duplicate": "values:\n  - period: 2019\n    value: 1\n    value: 2\n",
    "aliases": "a: &x [1, 2, 3]\nb: *x\nc: {k: *x}\n",
    "recursive": "a: &x\n  - *x\n",
    "alias bomb": "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
    + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]\n" for i in range(6)
    ),
    "undefined alias": "a: *nothing\n",
    "two documents": "a: 1\n---\nb: 2\n",
    "bad indent": "a:\n  b: 1\n c: 2\n",
    "colon in value": "title: Outcome: fewer delays\n",
    "unclosed quote": 'title: "never closed\n',
    "tab": "a:\n\tb: 1\n",
    "list key": "? [a, b]\n: 1\n",
    "block text": "commentary: |\n  Line one.\n\n  Line **two**.\nactions: >\n  folded\n  text\n",
    "empty": "",
    "comment only": "# nothing here\n",
    "list root": "- 1\n- 2\n",
    "unicode": 'title: Café – “quoted” ✓\nnote: "\\u00e9\\t"\n',
    "control character": "a: b\x07c\n",
    "bad int": "a: !!int x\n",
    "flow": "target: [{from: 2019/20 Q1, value: 53}, {from: 2019/20 Q3, value: 60}]\n",
}


def read(text: str, fast: bool, monkeypatch: pytest.MonkeyPatch) -> tuple[Any, Any, list[str]]:
    problems = Problems()
    with monkeypatch.context() as m:
        m.setattr(load.yaml, "__with_libyaml__", fast)
        doc = load.parse_yaml(text.encode("utf-8"), Path("x.yml"), "x.yml", problems)
    found = [p.format() for p in problems]
    if doc is None:
        return None, None, found
    return typed(doc.data), dict(doc.lines), found


def typed(value: Any) -> Any:
    """The value with every scalar's exact type and spelling, so 1 and 1.0 differ."""
    if isinstance(value, dict):
        return {k: typed(v) for k, v in value.items()}
    if isinstance(value, list):
        return [typed(v) for v in value]
    return (type(value).__name__, repr(value), getattr(value, "raw", None))


@pytest.mark.parametrize("name", sorted(SNIPPETS))
def test_fast_path_reads_snippets_as_the_python_parser_does(name, monkeypatch):
    text = SNIPPETS[name]
    assert read(text, True, monkeypatch) == read(text, False, monkeypatch)


def test_fast_path_reads_every_example_file_as_the_python_parser_does(monkeypatch):
    files = [*sorted(REPO.glob("indicators/**/*.yml")), REPO / "site_config.yml"]
    assert len(files) > 30
    for path in files:
        text = path.read_text(encoding="utf-8")
        fast = read(text, True, monkeypatch)
        assert fast[0] is not None, path
        assert fast == read(text, False, monkeypatch), path


def test_fast_path_is_used(monkeypatch):
    """The fast path must really run (a broken one would silently fall back)."""
    calls: list[str] = []
    original = load._FastLoader.resolve

    def spy(self: Any, kind: Any, value: Any, implicit: Any) -> str:
        calls.append(value)
        return original(self, kind, value, implicit)

    monkeypatch.setattr(load._FastLoader, "resolve", spy)
    problems = Problems()
    doc = load.parse_yaml(b"a: 1\nb: x\n", Path("x.yml"), "x.yml", problems)
    assert doc is not None and doc.data == {"a": 1, "b": "x"}
    assert "1" in calls
