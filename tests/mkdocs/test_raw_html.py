"""Large HTML blocks carried past Python-Markdown in a comment and put back by the MkDocs hook
(generator/mkdocs/raw_html.py): the page's HTML is what it would be without the carrying."""

from __future__ import annotations

import os
import re

import markdown
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.mkdocs import raw_html
from generator.mkdocs.build import can_share
from generator.render.text import RAW_OPEN, carry_raw

TABLE = (
    '<div class="pp-table" data-search-exclude>\n<table><tr><td>1 &gt; 0</td></tr></table>\n</div>'
)


def test_a_carried_block_comes_back_as_written():
    page = "# Title\n\n" + carry_raw(TABLE) + "\n## After\n\nText.\n"
    html = raw_html.restore(markdown.markdown(page))
    plain = markdown.markdown("# Title\n\n" + TABLE + "\n\n## After\n\nText.\n")
    assert html == plain
    assert RAW_OPEN not in html


def test_a_block_that_would_end_the_comment_is_not_carried():
    odd = "<p>a --> b</p>"
    assert str(carry_raw(odd)) == odd


def test_a_page_without_blocks_is_left_alone():
    html = "<p>nothing carried</p>"
    assert raw_html.restore(html) is html


def test_the_generated_configuration_is_still_shared_out(tmp_path):
    from mkdocs.config import load_config

    (tmp_path / "docs").mkdir()
    (tmp_path / "mkdocs.yml").write_text(
        f"site_name: x\nplugins: [search]\nhooks: ['{raw_html.HOOK}']\n", encoding="utf-8"
    )
    config = load_config(str(tmp_path / "mkdocs.yml"))
    assert can_share(config)
    (tmp_path / "mkdocs.yml").write_text(f"site_name: x\nplugins: []\nhooks: ['{raw_html.HOOK}']\n")
    assert not can_share(load_config(str(tmp_path / "mkdocs.yml"))), "no search plugin"


# ---- White space taken out of the theme's HTML -----------------------------------------------

KEPT = ("pre", "textarea", "script", "style")
SPACE = st.sampled_from([" ", "\t", "\n", "\r\n", "\f", "\xa0", "\u2003"])
WORD = st.sampled_from(["a", "Green", "1,234", "&amp;", "<b>", "</b>", '<p class="x">', "</p>"])
TEXT = st.lists(st.one_of(SPACE, WORD), max_size=12).map("".join)


@st.composite
def kept_element(draw: st.DrawFn) -> str:
    tag = draw(st.sampled_from(KEPT))
    opening = draw(st.sampled_from([f"<{tag}>", f'<{tag.upper()} class="c">', f"<{tag}\n id=x>"]))
    return f"{opening}{draw(TEXT)}</{tag}>"


SEGMENT = st.one_of(TEXT.map(lambda t: (False, t)), kept_element().map(lambda e: (True, e)))


@given(st.lists(SEGMENT, max_size=10))
@settings(max_examples=int(os.environ.get("PERFPAGES_FUZZ_EXAMPLES", "300")), deadline=None)
def test_collapsing_changes_nothing_a_browser_shows(segments):
    """Each segment is text around tags, or an element whose white space counts; the page
    collapsed must keep those elements byte for byte, in order, and elsewhere the same text once
    HTML's white space runs are read as one space (what a browser does), with no line break
    followed by more white space."""
    kept = [s for is_kept, s in segments if is_kept]
    texts, element_run = [], []
    for is_kept, segment in segments:
        if is_kept:
            texts.append("".join(element_run))
            element_run = []
        else:
            element_run.append(segment)
    texts.append("".join(element_run))
    page = "".join(segment for _, segment in segments)
    out = raw_html.collapse(page)
    # Find each kept element in the output, in order, and the text between them.
    position, out_texts = 0, []
    for element in kept:
        found = out.index(element, position)
        out_texts.append(out[position:found])
        position = found + len(element)
    out_texts.append(out[position:])

    def shown(text: str) -> str:
        return re.sub(r"[ \t\r\f\n]+", " ", text)

    assert [shown(t) for t in out_texts] == [shown(t) for t in texts]
    for text in out_texts:
        assert not re.search(r"\n[ \t\r\f\n]", text)
        assert not re.search(r"[ \t\r\f]\n", text)


def test_collapsing_keeps_a_real_page_the_same_to_read(example_built):
    """The example site's pages were collapsed by the build; collapsing again changes nothing
    (the build applied it), and the theme's indentation is gone."""
    pages = sorted(example_built.rglob("*.html"))
    assert len(pages) > 20
    for path in pages:
        html = path.read_text("utf-8")
        assert raw_html.collapse(html) == html, path
    home = (example_built / "index.html").read_text("utf-8")
    assert "\n    <" not in home.split("<script", 1)[0]
