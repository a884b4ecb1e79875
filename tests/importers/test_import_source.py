"""The file ``perfpages import`` reads is one it may read (issue 15): a named pipe or a device
(which would block, or never end), a folder, a link to nothing or round in a loop, and, from
inside the site's folder, a link (symbolic or hard) to a file outside it are each one line and
exit status 2, before the file is opened; the site's own import.yml follows the rule of the
site's files (exit status 1). A file outside the site, or a link to one from outside it, is
the user's to name.

Each runs the real command in a process of its own (a forked copy of the test's; one case a new
Python), so that a hang fails the test instead of blocking it."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.pipeline.test_output_safety import cli, make_project
from tests.pipeline.test_output_safety import snapshot as tree

ROWS = "indicator,period,value\ntest-measure,2019/20 Q2,92\n"
IMPORTED = "indicators/test-measure.yml: 2019/20 Q2: 91 -> 92"


def site(tmp_path: Path) -> tuple[Path, Path]:
    """A site, and a spreadsheet outside it."""
    root = make_project(tmp_path / "S")
    outside = tmp_path / "q3.csv"
    outside.write_text(ROWS)
    return root, outside


def shape(root: Path, outside: Path, kind: str) -> Path:
    """The SOURCE of the given kind."""
    path = root / "q3.csv"
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "device":
        return Path("/dev/zero")
    elif kind == "folder":
        path.mkdir()
    elif kind == "link-outside":
        path.symlink_to(outside)
    elif kind == "link-secret":
        path.symlink_to("/etc/passwd")
    elif kind == "hard-link-outside":
        os.link(outside, path)
    elif kind == "loop":
        path.symlink_to(path.name)
    elif kind == "broken":
        path.symlink_to("nothing.csv")
    elif kind == "missing":
        pass
    return path


REFUSED = [
    ("fifo", "{path} is a named pipe (FIFO), not a file: perfpages reads only plain files; "
     "give a CSV or XLSX file"),
    ("device", "{path} is a device, not a file: perfpages reads only plain files; give a CSV "
     "or XLSX file"),
    ("folder", "{path} is a folder; give a CSV or XLSX file"),
    ("link-outside", "{path} is a symbolic link to {outside}, outside the project, which "
     "perfpages reads nothing from through a link; name the file itself ({outside}), or copy "
     "it in"),
    ("link-secret", "{path} is a symbolic link to /etc/passwd, outside the project"),
    ("hard-link-outside", "{path} is a hard link: the same file also has a name outside the "
     "project, and perfpages reads nothing from outside it; copy the file in instead"),
    ("loop", "{path} is a symbolic link that leads round in a loop; give the CSV or XLSX file "
     "itself"),
    ("broken", "{path} is a symbolic link to nothing.csv, which does not exist; give the CSV or "
     "XLSX file itself"),
    ("missing", "Invalid value for 'SOURCE': Path '{path}' does not exist."),
]  # fmt: skip


@pytest.mark.parametrize(("kind", "says"), REFUSED, ids=[k for k, _ in REFUSED])
def test_a_source_that_must_not_be_read_is_one_line_and_exit_2(
    tmp_path: Path, kind: str, says: str
) -> None:
    root, outside = site(tmp_path)
    source = shape(root, outside, kind)
    before = tree(root)
    # One case in a new Python: the import as a user starts it.
    result = cli("import", source, root, timeout=60, fresh=kind == "fifo")
    assert result.returncode == 2, result.stderr
    assert f"Error: {says.format(path=source, outside=outside)}" in result.stderr
    assert "Traceback" not in result.stderr
    assert tree(root) == before


@pytest.mark.parametrize("kind", ["outside", "link-from-outside", "link-inside", "hard-inside"])
def test_a_file_the_user_may_name_is_imported(tmp_path: Path, kind: str) -> None:
    root, outside = site(tmp_path)
    source = outside
    if kind == "link-from-outside":  # a link outside the site, wherever it leads
        source = tmp_path / "latest.csv"
        source.symlink_to(outside)
    elif kind == "link-inside":
        shutil.copy(outside, root / "imports.csv")
        source = root / "q3.csv"
        source.symlink_to("imports.csv")
    elif kind == "hard-inside":  # both names in the site
        shutil.copy(outside, root / "imports.csv")
        source = root / "q3.csv"
        os.link(root / "imports.csv", source)
    result = cli("import", source, root, "--dry-run", timeout=60)
    assert result.returncode == 0, result.stderr
    assert "Dry run: nothing was written." in result.stderr


@pytest.mark.parametrize("kind", ["fifo", "device", "folder", "loop"])
def test_a_mapping_file_that_must_not_be_read_is_exit_2(tmp_path: Path, kind: str) -> None:
    root, outside = site(tmp_path)
    mapping = shape(root, outside, kind)
    result = cli("import", outside, root, "--mapping", mapping, timeout=60)
    assert result.returncode == 2, result.stderr
    assert f"Error: {mapping} is " in result.stderr
    assert "give a mapping file" in result.stderr or "give the mapping file" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("kind", "says"),
    [
        ("fifo", "import.yml:1: is a named pipe (FIFO), not a file"),
        ("link-secret", "import.yml:1: is a link to a file outside the project"),
        ("folder", "import.yml:1: is a folder, but it should be a file"),
    ],
)
def test_the_sites_own_mapping_file_follows_the_input_rule(
    tmp_path: Path, kind: str, says: str
) -> None:
    root, outside = site(tmp_path)
    mapping = root / "import.yml"
    if kind == "fifo":
        os.mkfifo(mapping)
    elif kind == "folder":
        mapping.mkdir()
    else:
        mapping.symlink_to("/etc/passwd")
    result = cli("import", outside, root, timeout=60)
    assert result.returncode == 1, result.stderr
    assert says in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("kind", ["fifo", "device", "file", "loop", "broken"])
def test_an_open_sdg_source_that_is_not_a_folder_is_one_line(tmp_path: Path, kind: str) -> None:
    source = tmp_path / "repo"
    if kind == "fifo":
        os.mkfifo(source)
    elif kind == "device":
        source = Path("/dev/zero")
    elif kind == "file":
        source.write_text(ROWS)
    elif kind == "loop":
        source.symlink_to("repo")
    else:
        source.symlink_to("nothing")
    result = cli("import", "--from", "open-sdg", source, tmp_path / "new", timeout=60)
    assert result.returncode == 1, result.stderr
    assert result.stderr.strip().splitlines() == [
        f"{source}: not an Open SDG data repository (it has no data/ or meta/ folder); give the "
        "folder that holds them"
    ]
    assert not (tmp_path / "new").exists()


def test_an_open_sdg_licence_linked_outside_the_repository_is_refused(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    (repo / "data").mkdir(parents=True)
    (repo / "data" / "indicator_2-1-1.csv").write_text("Year,Value\n2019,1\n")
    (repo / "LICENSE").symlink_to("/etc/passwd")
    result = cli("import", "--from", "open-sdg", repo, tmp_path / "new", timeout=60)
    assert result.returncode == 1, result.stderr
    assert "LICENSE:1: is a link to a file outside the project" in result.stderr
    assert not (tmp_path / "new").exists()


def test_a_site_with_a_link_inside_it_is_imported_into(tmp_path: Path) -> None:
    """The copy the import checks holds the files the site's links lead to (the links' own
    targets were not copied, and the import called a valid site broken)."""
    root, outside = site(tmp_path)
    (root / "notes").mkdir()
    (root / "notes" / "about.md").write_text("# About\n")
    (root / "content").mkdir()
    (root / "content" / "about.md").symlink_to("../notes/about.md")
    result = cli("import", outside, root, "--dry-run", timeout=60)
    assert result.returncode == 0, result.stderr
    assert "Dry run: nothing was written." in result.stderr
