"""Golden files of the example site: the generated Markdown, data files and chart JSON.

After an intended change to the output, refresh them and review the diff:

    python -m tests.golden update

The test (tests/test_golden.py) fails when the generated files differ from these.
"""

from __future__ import annotations

import json
import re
import shutil
import sys
import tempfile
from pathlib import Path

from generator.pipeline import generate
from tests.conftest import REPO, copy_example

GOLDEN = REPO / "tests" / "golden" / "example"
CHART = re.compile(r'<script type="application/json" id="chart-data">(.*?)</script>', re.S)


def generated_files(workdir: Path) -> dict[str, bytes]:
    """Generate the example site in ``workdir`` and return the files to compare."""
    site = copy_example(workdir / "example")
    generate(site, site / "site")
    docs = site / "build" / "docs"
    files: dict[str, bytes] = {}
    for path in sorted(docs.rglob("*")):
        if path.is_file():
            rel = path.relative_to(docs).as_posix()
            files[f"docs/{rel}"] = path.read_bytes()
            if rel.endswith(".md"):
                match = CHART.search(path.read_text(encoding="utf-8"))
                if match:
                    chart = json.loads(match.group(1))
                    pretty = json.dumps(chart, indent=1, ensure_ascii=False, sort_keys=True) + "\n"
                    files[f"charts/{rel[:-3]}.json"] = pretty.encode("utf-8")
    return files


def golden_files() -> dict[str, bytes]:
    return {
        p.relative_to(GOLDEN).as_posix(): p.read_bytes()
        for p in sorted(GOLDEN.rglob("*"))
        if p.is_file()
    }


def update() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        files = generated_files(Path(tmp))
    if GOLDEN.exists():
        shutil.rmtree(GOLDEN)
    for rel, data in files.items():
        target = GOLDEN / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    print(f"wrote {len(files)} golden files to {GOLDEN.relative_to(REPO)}")


if __name__ == "__main__":
    if sys.argv[1:] != ["update"]:
        sys.exit("usage: python -m tests.golden update")
    update()
