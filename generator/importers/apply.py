"""Check the site an import would leave behind, then write every file, or none.

The new files are laid over a copy of the site's sources in a temporary folder and the whole
site is loaded and validated there (``generator.site.loader.load_site``), exactly as ``perfpages
validate`` would. Only when that finds no error are the files written: each to a temporary
file beside it first, then all moved into place with ``os.replace``, so that no file is ever
half-written and a failure before the moves leaves every file as it was.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from generator.assess.assessment import assess_site
from generator.site.layout import CONFIG_FILE, CONTENT_DIR, INDICATORS_DIR, Site
from generator.site.loader import load_site
from generator.site.problems import Problems

SOURCE_PARTS = (CONFIG_FILE, INDICATORS_DIR, CONTENT_DIR)


class ChangedOnDisk(Exception):
    """A file changed between reading and writing (an editor saved it meanwhile)."""


@contextlib.contextmanager
def overlay(
    root: Path, files: dict[str, bytes], parts: tuple[str, ...] = SOURCE_PARTS
) -> Iterator[Path]:
    """A temporary copy of the site's sources with ``files`` (site-relative paths) laid over."""
    with tempfile.TemporaryDirectory(prefix="perfpages-import-") as tmp:
        copy = Path(tmp) / "site"
        copy.mkdir()
        for part in parts:
            source = root / part
            if source.is_dir():
                shutil.copytree(source, copy / part, symlinks=True)
            elif source.is_file():
                shutil.copy2(source, copy / part)
        for rel, data in files.items():
            path = copy / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        yield copy


def check_site(root: Path, problems: Problems) -> Site | None:
    """Load, validate and assess the site at ``root``; warnings are kept in ``problems``."""
    site = load_site(root, problems)
    if site is None:
        return None
    assess_site(site, problems)
    return None if problems.errors else site


def write_files(root: Path, files: dict[str, bytes], originals: dict[str, bytes | None]) -> None:
    """Write ``files`` under ``root``: all temporary files first, then every move.

    ``originals`` holds each file's bytes as read (None for a new file); a file that no longer
    has them was changed by someone else meanwhile, and nothing is written.
    """
    for rel in files:
        path = root / rel
        before = originals.get(rel)
        now = path.read_bytes() if path.exists() else None
        if now != before:
            raise ChangedOnDisk(rel)
    temporary: list[tuple[Path, Path]] = []
    try:
        for rel, data in files.items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f".{path.name}.perfpages-import.tmp")
            tmp.write_bytes(data)
            if path.exists():
                shutil.copymode(path, tmp)
            temporary.append((tmp, path))
    except OSError:
        for tmp, _path in temporary:
            tmp.unlink(missing_ok=True)
        raise
    for tmp, path in temporary:
        os.replace(tmp, path)
