"""Templates are compiled once per process (generator/render/pages.py ``CompiledTemplates``):
the same template read from another folder is not compiled again but names the file it was
read from this time; a changed template is compiled again."""

from __future__ import annotations

import traceback
from pathlib import Path

import jinja2
import pytest

from generator.render.pages import CompiledTemplates


def env_in(folder: Path, cache: CompiledTemplates) -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(folder), bytecode_cache=cache)


def write(folder: Path, text: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "page.html").write_text(text, encoding="utf-8")


def test_a_template_is_compiled_once_and_names_the_file_it_was_read_from(tmp_path, monkeypatch):
    cache = CompiledTemplates()
    text = "{% macro boom() %}{{ 1 // zero }}{% endmacro %}<p>{{ boom() }}</p>"
    write(tmp_path / "a", text)
    write(tmp_path / "b", text)
    compiled: list[str | None] = []
    real = jinja2.Environment.compile

    def counting(self, source, name=None, filename=None, *args, **kwargs):  # type: ignore[no-untyped-def]
        compiled.append(filename)
        return real(self, source, name, filename, *args, **kwargs)

    monkeypatch.setattr(jinja2.Environment, "compile", counting)
    first = env_in(tmp_path / "a", cache).get_template("page.html")
    second = env_in(tmp_path / "b", cache).get_template("page.html")
    assert compiled == [str(tmp_path / "a" / "page.html")]
    assert first.filename == str(tmp_path / "a" / "page.html")
    assert second.filename == str(tmp_path / "b" / "page.html")
    # A traceback through the template (in a macro: a function inside the template's code)
    # names the file of this environment.
    with pytest.raises(ZeroDivisionError) as raised:
        second.render(zero=0)
    files = [frame.filename for frame in traceback.extract_tb(raised.value.__traceback__)]
    assert str(tmp_path / "b" / "page.html") in files
    assert str(tmp_path / "a" / "page.html") not in files


def test_a_changed_template_is_compiled_again(tmp_path):
    cache = CompiledTemplates()
    write(tmp_path / "a", "<p>{{ 'old' }}</p>")
    assert env_in(tmp_path / "a", cache).get_template("page.html").render() == "<p>old</p>"
    write(tmp_path / "b", "<p>{{ 'new' }}</p>")
    assert env_in(tmp_path / "b", cache).get_template("page.html").render() == "<p>new</p>"
    # and the first is still what it was
    assert env_in(tmp_path / "a", cache).get_template("page.html").render() == "<p>old</p>"
