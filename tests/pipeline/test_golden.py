"""The generated Markdown, data files and chart JSON of the example site match the golden files.

Refresh after an intended change with: python -m tests.golden update
"""

from __future__ import annotations

import difflib

from tests.golden import generated_files, golden_files


def test_example_site_matches_golden_files(tmp_path):
    expected = golden_files()
    actual = generated_files(tmp_path)
    assert expected, "no golden files: run python -m tests.golden update"
    missing = sorted(set(expected) - set(actual))
    extra = sorted(set(actual) - set(expected))
    assert not missing, f"no longer generated: {missing}"
    assert not extra, f"generated but not in the golden files: {extra}"
    for name in sorted(expected):
        if expected[name] != actual[name]:
            diff = difflib.unified_diff(
                expected[name].decode("utf-8", "replace").splitlines(),
                actual[name].decode("utf-8", "replace").splitlines(),
                f"golden/{name}",
                f"generated/{name}",
                lineterm="",
                n=2,
            )
            raise AssertionError(
                "generated output differs from the golden file "
                "(if intended: python -m tests.golden update)\n" + "\n".join(list(diff)[:60])
            )
