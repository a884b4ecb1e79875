"""Write the build folder (only bytes that changed) and publish the site atomically.

Writing only changed files keeps ``perfpages serve`` fast (MkDocs rebuilds on changes it sees)
and keeps modification times meaningful. Publishing swaps the new site for the old one in a
single rename, so a build that fails or is killed never leaves a half-written site.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import secrets
import shutil
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class WriteStats:
    written: int = 0
    unchanged: int = 0
    removed: int = 0
    changed: list[str] = field(default_factory=list)  # written, whether new or not
    created: list[str] = field(default_factory=list)  # written where there was no file
    deleted: list[str] = field(default_factory=list)

    def add(self, other: WriteStats) -> None:
        self.written += other.written
        self.unchanged += other.unchanged
        self.removed += other.removed
        self.changed += other.changed
        self.created += other.created
        self.deleted += other.deleted


def sync_tree(root: Path, files: Iterable[tuple[str, bytes]]) -> WriteStats:
    """Make ``root`` hold exactly ``files``: write what changed, delete what is no longer made."""
    stats = WriteStats()
    wanted = write_files(root, files, stats)
    remove_others(root, wanted, stats)
    return stats


def write_files(root: Path, files: Iterable[tuple[str, bytes]], stats: WriteStats) -> set[str]:
    """Write each file whose bytes changed; the paths given (several processes may each write
    their own files into the same ``root``)."""
    wanted: set[str] = set()
    folders: set[Path] = set()
    root.mkdir(parents=True, exist_ok=True)
    for rel, data in files:
        wanted.add(rel)
        path = root / rel
        try:
            if path.stat().st_size == len(data) and path.read_bytes() == data:
                stats.unchanged += 1
                continue
        except FileNotFoundError:
            stats.created.append(rel)
        if path.parent not in folders:
            path.parent.mkdir(parents=True, exist_ok=True)
            folders.add(path.parent)
        write_whole(path, data)
        stats.written += 1
        stats.changed.append(rel)
    return wanted


def write_whole(path: Path, data: bytes) -> None:
    """Write ``path`` through a temporary file beside it, renamed over it once written: readers
    (MkDocs' watcher, the preview's server) never see a half-written file, and a write that
    fails (a full disk, Ctrl-C) leaves the file as it was and removes the temporary one."""
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except BaseException as error:
        with contextlib.suppress(OSError):
            tmp.unlink()
        if isinstance(error, OSError) and error.filename == str(tmp):
            # said of the file being written, not of its temporary name
            raise OSError(error.errno, error.strerror, str(path)) from None
        raise


def remove_others(root: Path, wanted: set[str], stats: WriteStats) -> None:
    """Delete every file under ``root`` not in ``wanted``, and folders left empty."""
    for folder, _dirs, names in os.walk(root, topdown=False):
        base = Path(folder)
        prefix = base.relative_to(root).as_posix()
        for name in names:
            rel = name if prefix == "." else f"{prefix}/{name}"
            if rel not in wanted:
                (base / name).unlink()
                stats.removed += 1
                stats.deleted.append(rel)
        if base != root and not any(base.iterdir()):
            base.rmdir()


def read_tree(root: Path, prefix: str = "") -> list[tuple[str, bytes]]:
    """Every file under ``root`` as (path, bytes), in a stable order."""
    if not root.is_dir():
        return []
    out = []
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.name.startswith("."):
            out.append((prefix + path.relative_to(root).as_posix(), path.read_bytes()))
    return out


def read_files(root: Path, paths: Iterable[Path]) -> list[tuple[str, bytes]]:
    """The files ``paths`` (under ``root``) as (path from ``root``, bytes), in a stable order."""
    out = [(p.relative_to(root).as_posix(), p.read_bytes()) for p in paths]
    return sorted(out)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux renameat2); False where the system cannot."""
    libc_name = ctypes.util.find_library("c")
    if not libc_name:
        return False
    try:
        libc = ctypes.CDLL(libc_name, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return bool(result == 0)


def staging_dir(work: Path, output: Path) -> Path:
    """Where this build makes the new site: a name of its own (process id and a random part),
    inside the work folder when it is on the output's disk, else beside the output (a rename
    cannot cross disks). The folders must exist."""
    unique = f"{os.getpid()}-{secrets.token_hex(4)}"
    if os.stat(work).st_dev == os.stat(output.parent).st_dev:
        return work / f"{STAGING}-{unique}"
    return output.parent / f".{output.name}.perfpages-{STAGING}-{unique}"


STAGING = "staging"


def clean_staging(staging: Path) -> None:
    """Remove a staging folder (a build's own that failed, or one a killed build left)."""
    if os.path.lexists(staging):
        if staging.is_dir() and not staging.is_symlink():
            shutil.rmtree(staging)
        else:
            staging.unlink()


def clean_stale(work: Path, output: Path) -> None:
    """Remove what earlier, killed builds of this output left: staging folders in the work
    folder and beside the output. Called with the locks held, so none is in use."""
    beside = f".{output.name}.perfpages-{STAGING}"
    for folder, prefix in ((work, STAGING), (output.parent, beside)):
        try:
            names = os.listdir(folder)
        except OSError:
            continue
        for name in names:
            if name == prefix or name.startswith(prefix + "-"):
                clean_staging(folder / name)


def publish(staging: Path, output: Path) -> None:
    """Replace ``output`` by ``staging`` atomically; the old site is then deleted."""
    if output.exists() and not output.is_dir():
        raise FileExistsError(f"{output} exists and is not a folder")
    if not output.exists():
        os.rename(staging, output)
        return
    if _exchange(staging, output):
        shutil.rmtree(staging)  # now the previous site
        return
    # No atomic exchange on this system: two renames, with the old site kept until the end.
    old = staging.with_name(staging.name + "-old")
    clean_staging(old)
    os.rename(output, old)
    os.rename(staging, output)
    shutil.rmtree(old)


@contextlib.contextmanager
def folder_lock(folder: Path, on_wait: Callable[[], None]) -> Iterator[None]:
    """Hold an exclusive lock on ``folder`` for the length of a build.

    Two builds of one project share its work folder: without the lock the second deletes the
    first's half-built site under it; the build also locks the output's parent folder, so that
    two projects built into one output never swap their sites in and out of it under each
    other. A second build waits instead; so does a build started while processes forked by a
    killed build still run, since they inherit the lock. The lock is taken on a folder that
    exists, so nothing is written for it: a build that stops at a mistake in the user's files
    has written nothing at all.
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not a Unix system: no lock
        yield
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            on_wait()
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the lock (once forked children have closed their copy too)
