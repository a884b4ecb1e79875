"""A site as it was at a git revision, written out to a temporary folder for comparison.

Only the files the generator reads are taken (``site_config.yml``, ``indicators/``,
``content/``), read straight from git's object store: the working tree, the index and any
export rules in ``.gitattributes`` play no part, so a revision always means what was committed.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from generator.site.layout import CONFIG_FILE, CONTENT_DIR, INDICATORS_DIR

SITE_PARTS = (CONFIG_FILE, INDICATORS_DIR, CONTENT_DIR)


class RevisionError(Exception):
    """The argument is neither a folder nor a revision; the message says what to give instead."""


@dataclass(frozen=True)
class Side:
    """One side of a comparison: the folder to read and how to name it in the comparison."""

    root: Path
    label: str  # as the user gave it: "main", "HEAD~1", "site-copy/"
    revision: str | None = None  # the full commit id, for a git revision


def _git(
    args: list[str], cwd: Path, stdin: bytes | None = None
) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(["git", *args], cwd=cwd, input=stdin, capture_output=True, check=False)


def resolve(spec: str, workdir: Path, cwd: Path) -> Side:
    """A folder as it is, or a revision of the repository at ``cwd`` written into ``workdir``.

    The site's place in the repository is the current folder's: running in ``site/`` of a
    repository compares ``site/`` at each revision.
    """
    folder = cwd / spec
    if folder.is_dir():
        return Side(folder, spec)
    if spec.startswith("-"):
        raise RevisionError(f'"{spec}" is neither a folder nor a git revision')
    try:
        top = _git(["rev-parse", "--show-toplevel"], cwd)
    except FileNotFoundError:
        raise RevisionError(
            f'"{spec}" is not a folder, and git is not installed to read it as a revision'
        ) from None
    if top.returncode != 0:
        raise RevisionError(
            f'"{spec}" is not a folder, and {cwd} is not in a git repository, so it cannot '
            "be a revision either; give two folders, or run this inside the site's repository"
        )
    found = _git(["rev-parse", "--verify", "--quiet", f"{spec}^{{commit}}"], cwd)
    if found.returncode != 0:
        raise RevisionError(
            f'"{spec}" is neither a folder nor a git revision of the repository at '
            f"{top.stdout.decode().strip()}; give a folder, a branch, a tag or a commit "
            "(e.g. main, HEAD~1, origin/main)"
        )
    commit = found.stdout.decode().strip()
    prefix = _git(["rev-parse", "--show-prefix"], cwd).stdout.decode().strip()
    root = workdir / "site"
    root.mkdir(parents=True, exist_ok=True)
    _export(commit, prefix, cwd, root)
    return Side(root, spec, commit)


def _export(commit: str, prefix: str, cwd: Path, target: Path) -> None:
    """Write the site's files at ``commit`` under ``target``, all read in one ``cat-file``."""
    paths = [prefix + part for part in SITE_PARTS]
    listing = _git(["ls-tree", "-r", "-z", "--full-tree", commit, "--", *paths], cwd)
    if listing.returncode != 0:
        raise RevisionError(listing.stderr.decode().strip() or f"cannot list {commit}")
    blobs: list[tuple[str, str]] = []
    for entry in listing.stdout.split(b"\0"):
        if not entry:
            continue
        meta, path = entry.decode("utf-8", "surrogateescape").split("\t", 1)
        mode, kind, sha = meta.split()
        # Links and submodules are left out: the site reads regular files only.
        if kind == "blob" and mode in ("100644", "100755"):
            blobs.append((sha, path))
    if not blobs:
        return
    batch = _git(["cat-file", "--batch"], cwd, "".join(f"{sha}\n" for sha, _ in blobs).encode())
    if batch.returncode != 0:
        raise RevisionError(batch.stderr.decode().strip() or f"cannot read {commit}")
    data, offset = batch.stdout, 0
    base = target.resolve()
    for _sha, path in blobs:
        header_end = data.index(b"\n", offset)
        size = int(data[offset:header_end].split()[2])
        content = data[header_end + 1 : header_end + 1 + size]
        offset = header_end + 1 + size + 1
        inner = PurePosixPath(path).relative_to(prefix) if prefix else PurePosixPath(path)
        out = (target / inner).resolve()
        if not out.is_relative_to(base):  # git never stores such paths; be certain anyway
            continue
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(content)
