"""Convert and build the UK's Open SDG data, and print how long each step takes.

    python scripts/bench_open_sdg.py [ARCHIVE_OR_FOLDER]

The default is the copy in tests/fixtures/open_sdg/ons-sdg-data.tar.xz (the dataset the slow
test converts). Figures are for the machine it runs on; nothing is asserted.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT = REPO / "tests/fixtures/open_sdg/ons-sdg-data.tar.xz"


def run(*args: str | Path) -> str:
    """Wall-clock and CPU time of one command (CPU time is steadier on a busy machine)."""
    cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "generator", *map(str, args)],
        check=True,
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wall = time.perf_counter() - start
    cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (cpu_after.ru_utime - cpu_before.ru_utime) + (cpu_after.ru_stime - cpu_before.ru_stime)
    return f"{wall:.1f} s wall, {cpu:.1f} s CPU"


def main() -> None:
    source = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    with tempfile.TemporaryDirectory() as tmp:
        if source.is_file():
            with tarfile.open(source) as tar:
                tar.extractall(tmp, filter="data")
            source = Path(tmp) / "ons-sdg-data"
        site = Path(tmp) / "site-src"
        convert = run("import", "--from", "open-sdg", source, site)
        first = run("build", site)
        again = run("build", site)
        size = sum(f.stat().st_size for f in (site / "site").rglob("*") if f.is_file())
        files = sum(1 for f in (site / "site").rglob("*") if f.is_file())
    print(f"cores: {os.cpu_count()}")
    print(f"convert (import --from open-sdg): {convert}")
    print(f"build, first: {first}")
    print(f"build, again (nothing changed): {again}")
    print(f"site: {files} files, {size / 1_000_000:.1f} MB")


if __name__ == "__main__":
    main()
