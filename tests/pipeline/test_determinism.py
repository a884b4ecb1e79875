"""The same input builds byte-identical output, wherever and whenever it is built.

Two builds of the example site: the one the tests share (built in a test process), and one in a
separate process started later, from a folder at a different depth, with the output elsewhere,
another time zone, locale and hash seed. Every file of both site folders is compared byte for
byte. The dates MkDocs writes (sitemap, gzip header) are pinned to the end of the reporting
period, so they are checked too."""

from __future__ import annotations

import gzip
import os
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from tests.conftest import MINIMAL_CONFIG, REPO, copy_example, run_cli

URL = "https://performance.example.org/"


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def differences(a: dict[str, bytes], b: dict[str, bytes]) -> list[str]:
    out = [f"only in first: {p}" for p in sorted(a.keys() - b.keys())]
    out += [f"only in second: {p}" for p in sorted(b.keys() - a.keys())]
    out += [f"differs: {p}" for p in sorted(a.keys() & b.keys()) if a[p] != b[p]]
    return out


def test_two_builds_are_byte_identical(tmp_path: Path, example_built: Path) -> None:
    first = tree(example_built)  # built in a test process, with --strict

    # At least a second after the first build: anything that reads the clock would differ.
    made = max(p.stat().st_mtime for p in example_built.rglob("*") if p.is_file())
    time.sleep(max(0.0, made + 1.1 - time.time()))
    second_src = copy_example(tmp_path / "two" / "deeper" / "folder")
    output = tmp_path / "elsewhere" / "public"
    env = {
        **os.environ,
        "TZ": "Pacific/Kiritimati",
        "LC_ALL": "C.UTF-8",
        "LANG": "de_DE.UTF-8",
        "PYTHONHASHSEED": "4242",
        "SOURCE_DATE_EPOCH": "1",
    }
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "generator",
            "build",
            "--strict",
            str(second_src),
            "-o",
            str(output),
        ],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=env,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr
    second = tree(output)

    assert len(first) > 100
    assert differences(first, second) == []


def test_rebuild_in_place_equals_a_fresh_build(tmp_path: Path, example_built: Path) -> None:
    """The work folder kept between builds (as under serve) changes nothing in the output: a
    second build in place, over a stray file, equals the fresh build the tests share (made in
    another folder, which the test above shows changes nothing)."""
    source = copy_example(tmp_path / "site-src")
    assert run_cli("build", "--strict", source).exit_code == 0
    (source / "site" / "stray.html").write_text("left over")
    assert run_cli("build", "--strict", source).exit_code == 0
    assert differences(tree(example_built), tree(source / "site")) == []


def test_dates_in_the_output_are_the_reporting_period_end(make_site: Any) -> None:
    """MkDocs' sitemap dates and the gzip header come from SOURCE_DATE_EPOCH, set by the build
    to the end of the reporting period (2019/20 Q2 ends on 30 September 2019); nothing carries
    the day of the build."""
    config = {**MINIMAL_CONFIG, "site": {**MINIMAL_CONFIG["site"], "url": URL}}
    site = make_site(config=config, folder="a-very-distinctive-folder-name")
    assert run_cli("build", "--strict", site.root).exit_code == 0
    built = site.root / "site"
    sitemap = ET.fromstring((built / "sitemap.xml").read_bytes())
    locations = [el.text for el in sitemap.iter() if el.tag.endswith("}loc")]
    assert f"{URL}indicators/test-measure/" in locations
    lastmods = {el.text for el in sitemap.iter() if el.tag.endswith("}lastmod")}
    assert lastmods == {"2019-09-30"}
    packed = (built / "sitemap.xml.gz").read_bytes()
    assert int.from_bytes(packed[4:8], "little") == 1569801600  # 2019-09-30T00:00:00Z
    assert gzip.decompress(packed) == (built / "sitemap.xml").read_bytes()
    today = time.strftime("%Y-%m-%d").encode()
    for rel, data in tree(built).items():
        assert b"a-very-distinctive-folder-name" not in data, rel
        assert today not in data, rel
