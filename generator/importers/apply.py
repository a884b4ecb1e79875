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
from generator.site.inputs import input_file, input_files
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
    """A temporary copy of the site's sources with ``files`` (site-relative paths) laid over.

    The files copied are those the input rule lets a build read (``generator.site.inputs``),
    as they read: a link to another file of the site is copied as that file, since the copy
    does not hold every folder a link may lead to."""
    with tempfile.TemporaryDirectory(prefix="perfpages-import-") as tmp:
        copy = Path(tmp) / "site"
        copy.mkdir()
        for part in parts:
            if (root / part).is_dir():
                paths = input_files(root, part)
            else:
                single = input_file(root, part, Problems())
                paths = [single] if single else []
            for path in paths:
                target = copy / path.relative_to(root)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(path, target)
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
            temporary.append((tmp, path))
            tmp.write_bytes(data)
            if path.exists():
                shutil.copymode(path, tmp)
    except BaseException:  # a full disk, Ctrl-C: no temporary file left among the user's
        for tmp, _path in temporary:
            tmp.unlink(missing_ok=True)
        raise
    for tmp, path in temporary:
        os.replace(tmp, path)
