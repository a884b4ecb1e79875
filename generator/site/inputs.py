"""What a build may read from the project: one rule for every input folder.

indicators/, content/, theme/, disaggregations/ and the folders of an imported repository are
all listed by ``input_files``, which never opens anything. It returns the plain files a folder
holds and reports, as a problem of the file, every entry a build must not read:

- a symbolic link whose target lies outside the project (or outside the folder, for
  indicators/): the site would publish a file from elsewhere on the machine;
- a link that leads round in a loop, or to nothing;
- a special file (a named pipe, a device, a socket): reading a named pipe blocks for ever;
- a folder where a file is expected (``content/notes.md/``);
- a hard link whose file also has a name outside the project: it is that file, which the site
  would publish. (A file with several names, ``st_nlink`` above 1, is looked for under the
  project; when every one of its names is there, it is read. Git never makes hard links, so
  none arrives in a pull request; this is for a folder others can write into.)

Links that stay inside the project are followed, so a site can share a file between folders.
The single files of the project (site_config.yml, import.yml) follow the same rule
(``input_file``); a file named on the command line (``perfpages import FILE``) is checked by
``named_file``.
"""

from __future__ import annotations

import collections
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
    shared: list[tuple[Path, os.stat_result]] = []  # files with more than one name
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
            kind, info = _kind(root, path, boundary, label, wanted(name), problems)
            if kind == "file":
                found.append(path)
                if info.st_nlink > 1:
                    shared.append((path, info))
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
    for path in _named_outside(project, shared):
        _add(problems, root, path, _HARD_LINK, "file.hard-link")
        found.remove(path)
    return sorted(found, key=lambda p: p.relative_to(top).as_posix())


def input_file(root: Path, name: str, problems: Problems) -> Path | None:
    """The project's own file ``name`` (``site_config.yml``, ``import.yml``) when a build may
    read it; None when there is none, or when the rule refuses it (reported as a problem of
    ``name``, as ``input_files`` reports the files of a folder)."""
    path = root / name
    if not os.path.lexists(path):
        return None
    kind, info = _kind(root, path, os.path.realpath(root), "the project", True, problems)
    if kind == "folder":
        _add(
            problems,
            root,
            path,
            "is a folder, but it should be a file; rename the folder",
            "file.folder",
        )
        return None
    if kind != "file":
        return None
    if info.st_nlink > 1 and _named_outside(os.path.realpath(root), [(path, info)]):
        _add(problems, root, path, _HARD_LINK, "file.hard-link")
        return None
    return path


def named_file(path: Path, project: Path | None, what: str) -> str | None:
    """Why perfpages must not read ``path``, a file named on the command line (the spreadsheet
    of ``perfpages import``), as one line naming it and the fix; None when it may.

    Wherever it is, it must lead to a plain file that exists: not a folder, a named pipe
    (reading one blocks for ever) or a device (``/dev/zero`` never ends), nor a link to nothing
    or round in a loop. A file named from inside the site's folder ``project`` follows the rule
    of the site's own files: no link, hard or symbolic, to a file outside it (a spreadsheet
    committed to the site, replaced in a pull request by a link to a secret, would have its
    lines quoted in messages). A file outside the site is the user's to name."""
    if not os.path.lexists(path):
        return f"{path} does not exist"
    try:
        info = os.stat(path)
    except OSError as e:
        if e.errno == errno.ELOOP:
            return f"{path} is a symbolic link that leads round in a loop; give the {what} itself"
        if os.path.islink(path):
            return (
                f"{path} is a symbolic link to {os.readlink(path)}, which does not exist; give "
                f"the {what} itself"
            )
        return f"{path} cannot be read ({e.strerror})"
    if stat.S_ISDIR(info.st_mode):
        return f"{path} is a folder; give a {what}"
    if not stat.S_ISREG(info.st_mode):
        kind = next((name for test, name in _SPECIAL if test(info.st_mode)), "not a plain file")
        return f"{path} is {kind}, not a file: perfpages reads only plain files; give a {what}"
    if project is None:
        return None
    site = os.path.realpath(project)
    where = os.path.join(os.path.realpath(path.parent), path.name)  # the name, not its target
    if not inside(where, site):
        return None
    real = os.path.realpath(path)
    if not inside(real, site):
        return (
            f"{path} is a symbolic link to {real}, outside the project, which perfpages reads "
            f"nothing from through a link; name the file itself ({real}), or copy it in"
        )
    if info.st_nlink > 1 and _named_outside(site, [(path, info)]):
        return f"{path} {_HARD_LINK}"
    return None


_HARD_LINK = (
    "is a hard link: the same file also has a name outside the project, and perfpages reads "
    "nothing from outside it; copy the file in instead (a copy has one name)"
)


def _named_outside(project: str, files: list[tuple[Path, os.stat_result]]) -> list[Path]:
    """Those of ``files`` (each with its ``os.stat``) that have a name outside ``project``:
    hard links whose names are not all under it. Only looked for when a file has more than
    one name, which a site's files seldom have; the project is then listed once, without
    following links."""
    wanted = {(info.st_dev, info.st_ino): info.st_nlink for _path, info in files}
    if not wanted:
        return []
    names: collections.Counter[tuple[int, int]] = collections.Counter()
    for folder, _dirs, entries in os.walk(project):
        for entry in entries:
            try:
                info = os.lstat(os.path.join(folder, entry))
            except OSError:
                continue
            key = (info.st_dev, info.st_ino)
            if key in wanted:
                names[key] += 1
    return [path for path, info in files if names[(info.st_dev, info.st_ino)] < info.st_nlink]


_LOOP = (
    "is a symbolic link that leads round in a loop; replace it by the file or folder it should name"
)


_Kind = tuple[str, os.stat_result]
_NONE = os.stat_result((0,) * 10)


def _kind(
    root: Path, path: Path, boundary: str, label: str, wanted: bool, problems: Problems
) -> _Kind:
    """ "file" (a wanted plain file), "folder" (to list), or "" (skipped or reported); and what
    ``os.stat`` says of it (a link followed)."""
    try:
        info = os.lstat(path)
    except OSError:
        return "", _NONE  # gone since the folder was listed
    if stat.S_ISLNK(info.st_mode):
        try:
            info = os.stat(path)
        except OSError as e:
            if wanted or e.errno == errno.ELOOP:
                _add(problems, root, path, _broken(path, e), "file.link")
            return "", _NONE
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
            return "", _NONE
    if stat.S_ISDIR(info.st_mode):
        return "folder", info
    if not wanted:
        return "", _NONE
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
        return "", _NONE
    return "file", info


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
