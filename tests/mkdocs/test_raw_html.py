"""Large HTML blocks carried past Python-Markdown in a comment and put back by the MkDocs hook
(generator/mkdocs/raw_html.py): the page's HTML is what it would be without the carrying."""

from __future__ import annotations

import markdown

from generator.mkdocs import raw_html
from generator.mkdocs.build import can_share
from generator.render.text import RAW_OPEN, carry_raw

TABLE = (
    '<div class="pp-table" data-search-exclude>\n<table><tr><td>1 &gt; 0</td></tr></table>\n</div>'
)


def test_a_carried_block_comes_back_as_written():
    page = "# Title\n\n" + carry_raw(TABLE) + "\n## After\n\nText.\n"
    html = raw_html.on_post_page(markdown.markdown(page))
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
