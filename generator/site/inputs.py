"""What a build may read from the project: one rule for every input folder.

indicators/, content/, theme/, disaggregations/ and the folders of an imported repository are
all listed by ``input_files``, which never opens anything. It returns the plain files a folder
holds and reports, as a problem of the file, every entry a build must not read:

- a symbolic link whose target lies outside the project (or outside the folder, for
  indicators/): the site would publish a file from elsewhere on the machine;
- a link that leads round in a loop, or to nothing;
- a special file (a named pipe, a device, a socket): reading a named pipe blocks for ever;
- a folder where a file is expected (``content/notes.md/``).

Links that stay inside the project are followed, so a site can share a file between folders.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from generator.site.problems import Problems
from generator.site.yaml_reader import WHOLE_FILE

_SPECIAL = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
)


def inside(path: str | Path, folder: str | Path) -> bool:
    """Whether ``path`` is ``folder`` or lies under it (both already resolved)."""
    path, folder = os.fspath(path), os.fspath(folder)
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def input_files(
    root: Path,
    folder: str,
    problems: Problems | None = None,
    *,
    suffixes: tuple[str, ...] | None = None,
    within: str | None = None,
) -> list[Path]:
    """The plain files under ``root/folder`` that a build may read, by their path from there.

    ``suffixes`` names the files wanted (``(".md",)``); None wants every file whose name does
    not start with a dot. Every entry a build must not read (see the module's docstring) is
    reported in ``problems`` as ``folder/name: message`` and left out; entries that are not
    wanted are skipped without being looked at beyond ``os.lstat``. ``within`` (a folder of the
    project, e.g. ``indicators``) is where links must lead; by default, anywhere in the project.
    Nothing is opened: a named pipe is never read, a link never followed out of the project,
    and a folder that contains itself through a link is listed once.
    """
    problems = problems if problems is not None else Problems()
    project = os.path.realpath(root)
    top = root / folder
    try:
        info = os.lstat(top)
    except OSError:
        return []
    if stat.S_ISLNK(info.st_mode) and not _link_ok(root, top, project, problems):
        return []
    if not top.is_dir():
        return []
    boundary = os.path.realpath(root / within) if within else project
    label = f"{within}/" if within else "the project"

    def wanted(name: str) -> bool:
        return name.endswith(suffixes) if suffixes else not name.startswith(".")

    found: list[Path] = []
    stack = [(top, frozenset({os.path.realpath(top)}))]
    while stack:
        directory, seen = stack.pop()
        try:
            names = os.listdir(directory)
        except OSError as e:
            _add(problems, root, directory, f"cannot be read: {e.strerror}", "file.unreadable")
            continue
        for name in names:
            path = directory / name
            kind = _kind(root, path, boundary, label, wanted(name), problems)
            if kind == "file":
                found.append(path)
            elif kind == "folder":
                if suffixes and name.endswith(suffixes):
                    _add(
                        problems,
                        root,
                        path,
                        f"is a folder, but a name ending in {name[name.rfind('.') :]} is for a "
                        "file; rename the folder",
                        "file.folder",
                    )
                    continue
                real = os.path.realpath(path)
                if real in seen:
                    _add(problems, root, path, _LOOP, "file.loop")
                    continue
                stack.append((path, seen | {real}))
    return sorted(found, key=lambda p: p.relative_to(top).as_posix())


_LOOP = (
    "is a symbolic link that leads round in a loop; replace it by the file or folder it "
    "should name"
)


def _kind(
    root: Path, path: Path, boundary: str, label: str, wanted: bool, problems: Problems
) -> str:
    """"file" (a wanted plain file), "folder" (to list), or "" (skipped or reported)."""
    try:
        info = os.lstat(path)
    except OSError:
        return ""  # gone since the folder was listed
    if stat.S_ISLNK(info.st_mode):
        try:
            info = os.stat(path)
        except OSError as e:
            if wanted or e.errno == errno.ELOOP:
                _add(problems, root, path, _broken(path, e), "file.link")
            return ""
        if not inside(os.path.realpath(path), boundary):
            if wanted or stat.S_ISDIR(info.st_mode):
                what = "folder" if stat.S_ISDIR(info.st_mode) else "file"
                _add(
                    problems,
                    root,
                    path,
                    f"is a link to a {what} outside {label}; copy the {what} in instead",
                    "file.outside",
                )
            return ""
    if stat.S_ISDIR(info.st_mode):
        return "folder"
    if not wanted:
        return ""
    if not stat.S_ISREG(info.st_mode):
        what = next((name for test, name in _SPECIAL if test(info.st_mode)), "not a plain file")
        _add(
            problems,
            root,
            path,
            f"is {what}, not a file: perfpages reads only plain files; delete it, or put "
            "the file itself there",
            "file.special",
        )
        return ""
    return "file"


def _link_ok(root: Path, path: Path, project: str, problems: Problems) -> bool:
    """Whether the link ``path`` (an input folder itself) leads somewhere in the project."""
    try:
        os.stat(path)
    except OSError as e:
        _add(problems, root, path, _broken(path, e), "file.link")
        return False
    if inside(os.path.realpath(path), project):
        return True
    _add(
        problems,
        root,
        path,
        "is a link to a folder outside the project; copy the folder in instead",
        "file.outside",
    )
    return False


def _broken(path: Path, error: OSError) -> str:
    if error.errno == errno.ELOOP:
        return _LOOP
    return (
        f"is a symbolic link to {os.readlink(path)}, which does not exist; correct the link "
        "or delete it"
    )


def _add(problems: Problems, root: Path, path: Path, message: str, code: str) -> None:
    try:
        rel = path.relative_to(root).as_posix()
    except ValueError:
        rel = path.as_posix()
    problems.add(rel, WHOLE_FILE, "", message, code=code)

