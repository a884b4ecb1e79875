"""Where a build may write: only its own build folder and its output.

A build replaces everything in its output, so the output must be a folder perfpages made (it
holds the ``MARKER`` file every build writes) or a new or empty one, and never the project, a
folder that holds it, or a folder the build reads. Both folders are refused when they are
symbolic links leading elsewhere. These checks run before anything is read or written, and
refuse with ``WrongUsage`` (exit status 2), naming the path and the fix.
"""

from __future__ import annotations

import os
from pathlib import Path

from generator.site.inputs import inside
from generator.site.layout import INPUT_DIRS, PREVIEW_DIR, SITE_DIR, WORK_DIR
from generator.site.problems import WrongUsage

# Written into every site a build publishes; MkDocs never sees it, so it is neither linked nor
# indexed. An output folder without it is not replaced unless it is empty.
MARKER = ".perfpages-site"
MARKER_TEXT = (
    b"This folder is a site built by perfpages (https://pypi.org/project/perfpages/).\n"
    b"Each build replaces everything in it; keep nothing else here.\n"
)
# Written instead of ``MARKER`` into a preview (``perfpages build --preview``): a copy for review,
# opened from the disk, never to be published. A preview build never replaces a folder holding
# a site built for publishing, and a preview folder is never taken for one.
PREVIEW_MARKER = ".perfpages-preview"
PREVIEW_MARKER_TEXT = (
    b"This folder is a preview built by perfpages build --preview, for review: open index.html.\n"
    b"It is not the site to publish (every page says noindex); build that with perfpages build.\n"
    b"Each build replaces everything in it; keep nothing else here.\n"
)
# What sites published before the marker existed always hold.
_EARLIER_SITE = ("index.html", "feed.xml", "data/datapackage.json")
# Folders of the project a build never writes into (besides the input folders).
_NEVER = (WORK_DIR, ".git")


def check_work(root: Path) -> Path:
    """The project's build folder, refused when it is a symbolic link leading out of the
    project (the build deletes and overwrites files there) or is not a folder."""
    work = root / WORK_DIR
    if os.path.islink(work):
        real = Path(os.path.realpath(work))
        protected = [root / name for name in INPUT_DIRS]
        if not inside(real, root) or real == root or any(inside(real, p) for p in protected):
            raise WrongUsage(
                f"{work} is a symbolic link to {real}, outside the project's own build folder; "
                f"a build deletes and rewrites what it holds. Delete the link (perfpages makes "
                f"{WORK_DIR}/ itself)"
            )
    elif os.path.lexists(work) and not work.is_dir():
        raise WrongUsage(
            f"{work} is not a folder; perfpages writes its work files there: rename or delete it"
        )
    return work


def check_output(root: Path, output: Path, preview: bool = False) -> Path:
    """``output`` as it will be written (an absolute path), or ``WrongUsage`` saying why a
    build must not replace it: a symbolic link, the project or a folder holding it, a folder
    inside the project's input or build folders, a mount point, something that is not a
    folder, a non-empty folder perfpages did not make, a site built for publishing when
    this is a ``preview``, or a place that cannot be written. ``root`` is resolved."""
    output = Path(os.path.abspath(output))
    default = root / (PREVIEW_DIR if preview else SITE_DIR)
    if os.path.islink(output):
        raise WrongUsage(
            f"The output folder {output} is a symbolic link; a build replaces the folder it names. "
            f"Give the folder itself ({os.path.realpath(output)}) or a new one"
        )
    real = Path(os.path.realpath(output))
    if real == root or inside(root, real):
        what = "is the project folder" if real == root else "holds the project folder"
        raise WrongUsage(
            f"The output folder {output} {what}; a build replaces everything in its output. "
            f"Give a folder of its own, e.g. {default}"
        )
    for name in (*INPUT_DIRS, *_NEVER):
        folder = Path(os.path.realpath(root / name))
        if inside(real, folder):
            raise WrongUsage(
                f"The output folder {output} is inside {name}/ of the project, which a build "
                f"{'reads' if name in INPUT_DIRS else 'keeps for itself'}; give a folder "
                f"outside it, e.g. {default}"
            )
    if os.path.lexists(real):
        _check_existing(real, output)
        if preview and made_by_perfpages(real) and not is_preview(real):
            raise WrongUsage(
                f"The output folder {output} holds a site built for publishing, and a preview "
                f"must never be taken for it. Give another folder, e.g. {default}"
            )
    _check_writable(real, output)
    return output


def _check_existing(real: Path, output: Path) -> None:
    if not real.is_dir():
        raise WrongUsage(f"The output folder {output} exists and is not a folder; give a folder")
    if os.path.ismount(real):
        raise WrongUsage(
            f"The output folder {output} is a mount point, which a build cannot replace in "
            f"one step; give a folder inside it, e.g. {output / 'site'}"
        )
    try:
        entries = os.listdir(real)
    except OSError as e:
        raise WrongUsage(f"The output folder {output} cannot be read ({e.strerror})") from None
    if entries and not made_by_perfpages(real):
        raise WrongUsage(
            f"The output folder {output} was not made by perfpages (it has no {MARKER} file) "
            "and is not empty, and a build replaces everything in it. Give a new or empty "
            "folder, or delete this one first"
        )


def _check_writable(real: Path, output: Path) -> None:
    """The nearest existing folder above the output must be writable: the new site is
    swapped in beside the old one there."""
    parent = real.parent
    while not os.path.lexists(parent) and parent != parent.parent:
        parent = parent.parent
    if not parent.is_dir() or not os.access(parent, os.W_OK | os.X_OK):
        raise WrongUsage(
            f"The output folder {output} cannot be written: {parent} is read-only or not a folder; "
            "give a folder you can write to"
        )


def made_by_perfpages(folder: Path) -> bool:
    """Whether ``folder`` is a site a build published (its marker, or, for sites published
    before the marker, the files every one of them holds)."""
    if (folder / MARKER).is_file() and not (folder / MARKER).is_symlink():
        return True
    if is_preview(folder):
        return True
    return all((folder / name).is_file() for name in _EARLIER_SITE)


def is_preview(folder: Path) -> bool:
    """Whether ``folder`` is a preview a build made (``perfpages build --preview``)."""
    marker = folder / PREVIEW_MARKER
    return marker.is_file() and not marker.is_symlink()


def write_marker(site: Path, preview: bool = False) -> None:
    """The file that says what made ``site``: a site to publish, or a preview."""
    if preview:
        (site / PREVIEW_MARKER).write_bytes(PREVIEW_MARKER_TEXT)
    else:
        (site / MARKER).write_bytes(MARKER_TEXT)
