"""`perfpages serve` stops cleanly (issue 15): Ctrl-C exits 130 (SIGTERM 143) with one line,
no traceback, and its temporary folders gone; a full disk during a regeneration or a rebuild is
one line, the staging folder is removed, and the server goes on serving the last good site.

The signals are sent to a real ``perfpages serve`` in a process of its own, with a temporary
folder of the test's own (``TMPDIR``) to see what it leaves. A full disk is simulated in this
process: the write that fails raises ENOSPC, as the system's would, after writing half its
bytes (what a full disk leaves behind)."""

from __future__ import annotations

import errno
import functools
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from generator.commands import serve
from generator.commands.serve import Regenerator, _rebuilding
from generator.mkdocs.preview import Preview
from generator.output import files
from tests.commands.test_serve import fetch, free_port, wait_for
from tests.conftest import MINIMAL_MEASURE, REPO
from tests.pipeline.test_output_safety import make_project, snapshot

URL = "http://127.0.0.1:8000/"
FULL = os.strerror(errno.ENOSPC)


# ---- Ctrl-C and SIGTERM -----------------------------------------------------------------------


def start(root: Path, tmp: Path) -> tuple[subprocess.Popen[str], str]:
    """``perfpages serve`` on a free port, its temporary folders in ``tmp``."""
    tmp.mkdir(exist_ok=True)
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "generator", "serve", str(root), "--port", str(port)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "TMPDIR": str(tmp)},
    )
    return process, f"http://127.0.0.1:{port}/"


def stop(process: subprocess.Popen[str], signum: int) -> tuple[int, str]:
    process.send_signal(signum)
    output, _ = process.communicate(timeout=60)
    return process.returncode, output


def left_behind(tmp: Path, root: Path) -> list[str]:
    """The preview's folders and staging folders still there once it stopped."""
    staged = [p.name for p in (root / "build").glob("*staging*")]
    return sorted(os.listdir(tmp)) + staged


@pytest.mark.slow
@pytest.mark.parametrize(("signum", "status"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_stopping_the_preview_exits_with_the_signal_and_removes_its_folders(
    tmp_path: Path, signum: int, status: int
) -> None:
    root = make_project(tmp_path / "S")
    process, base = start(root, tmp_path / "tmp")
    try:
        assert wait_for(lambda: fetch(base + "indicators/test-measure/")), "it did not start"
    except BaseException:
        process.kill()
        raise
    code, output = stop(process, signum)
    assert code == status, output
    assert output.rstrip().endswith("Stopped.")
    assert "Traceback" not in output
    assert left_behind(tmp_path / "tmp", root) == []


@pytest.mark.slow
def test_ctrl_c_during_a_regeneration(tmp_path: Path) -> None:
    """Ctrl-C just after an edit, while the preview regenerates: the regeneration writes
    nothing into the preview's folder once stopped (it used to, after the folder was removed,
    leaving a new one behind)."""
    root = make_project(tmp_path / "S")
    process, base = start(root, tmp_path / "tmp")
    try:
        assert wait_for(lambda: fetch(base + "indicators/test-measure/")), "it did not start"
        measure = root / "indicators" / "test-measure.yml"
        measure.write_text(MINIMAL_MEASURE.replace("value: 91", "value: 93.5"))
        time.sleep(0.3)  # past the quiet moment the preview waits for
    except BaseException:
        process.kill()
        raise
    code, output = stop(process, signal.SIGINT)
    assert code == 130, output
    assert "Traceback" not in output
    assert left_behind(tmp_path / "tmp", root) == []


@pytest.mark.slow
def test_ctrl_c_during_the_first_build(tmp_path: Path) -> None:
    root = make_project(tmp_path / "S")
    process, _ = start(root, tmp_path / "tmp")
    deadline = time.monotonic() + 60
    while not (root / "build" / "docs").exists() and time.monotonic() < deadline:
        time.sleep(0.01)
    code, output = stop(process, signal.SIGINT)
    assert code == 130, output
    assert output.strip().splitlines()[-1] in ("Interrupted.", "Stopped.")
    assert "Traceback" not in output
    assert left_behind(tmp_path / "tmp", root) == []


# ---- a full disk ------------------------------------------------------------------------------


def half_then_full(monkeypatch: pytest.MonkeyPatch, where: str = "") -> list[str]:
    """Every write of a file's bytes through ``Path.write_bytes`` (whose path contains
    ``where``) writes half of them and then fails as on a full disk; the paths tried."""
    tried: list[str] = []
    real = Path.write_bytes

    def full(self: Path, data: Any) -> int:
        if where not in str(self):
            return real(self, data)
        tried.append(str(self))
        real(self, bytes(data)[: len(data) // 2])
        raise OSError(errno.ENOSPC, FULL, str(self))

    monkeypatch.setattr(Path, "write_bytes", full)
    return tried


def no_temporary_files(folder: Path) -> list[str]:
    return [p.name for p in folder.rglob("*") if p.name.endswith((".tmp", ".part"))]


def test_a_full_disk_during_a_regeneration_keeps_the_last_good_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project(tmp_path / "S")
    shown: list[bool] = []
    regenerator = Regenerator(
        root, lambda generated, later: shown.append(generated.settings_changed)
    )
    assert regenerator.run_once(first=True)
    docs = root / "build" / "docs"
    page = docs / "indicators" / "test-measure.md"
    before = page.read_bytes()
    shown.clear()
    capsys.readouterr()

    measure = root / "indicators" / "test-measure.yml"
    measure.write_text(MINIMAL_MEASURE.replace("value: 91", "value: 93.5"))
    with monkeypatch.context() as patch:
        tried = half_then_full(patch, str(docs))
        assert not regenerator.run_once()
    assert tried
    err = capsys.readouterr().err
    assert err.strip().splitlines() == [
        f"The preview could not be regenerated: {FULL} ({tried[0].replace('/.', '/')[:-4]}); "
        "the preview keeps the "
        "last good version."
    ]
    assert page.read_bytes() == before
    assert no_temporary_files(docs) == []
    assert shown == []  # nothing to show

    # Space again: the next regeneration has every page rebuilt (some files were written).
    assert regenerator.run_once()
    assert shown[0] is True
    assert b"93.5" in page.read_bytes()


def built_preview(tmp_path: Path) -> tuple[Preview, Path]:
    root = make_project(tmp_path / "S")
    assert Regenerator(root).run_once(first=True)
    folder = tmp_path / "served" / "preview"
    folder.parent.mkdir()
    preview = Preview(str(root / "build" / "mkdocs.yml"), str(folder), URL, {"own.js": b"//"})
    preview.build()
    return preview, folder


def test_a_full_disk_during_a_complete_rebuild_keeps_the_last_good_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A complete rebuild (a new page, a setting) builds into a staging folder swapped in at
    the end: when it fails, the staging folder goes and the served folder is as it was."""
    preview, folder = built_preview(tmp_path)
    before = snapshot(folder)
    assert "index.html" in before and "own.js" in before
    import mkdocs.commands.build as mkdocs_build

    real = mkdocs_build._build_page
    pages: list[int] = []

    @functools.wraps(real)  # the same signature: internals' check of MkDocs still passes
    def full(*args: Any, **kwargs: Any) -> Any:
        pages.append(1)
        if len(pages) > 2:
            raise OSError(errno.ENOSPC, FULL, "somewhere/index.html")
        return real(*args, **kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(mkdocs_build, "_build_page", full)
        preview.request([], full=True)
        _rebuilding(preview.build)()  # as the server's build loop calls it: no exception
    err = capsys.readouterr().err
    assert err.strip().splitlines() == [
        f"The preview could not be rebuilt: {FULL} (somewhere/index.html); the preview keeps "
        "the last good version."
    ]
    assert snapshot(folder) == before
    assert sorted(os.listdir(folder.parent)) == ["preview"]  # no staging folder left

    preview.build()  # the failed build was asked for again
    assert sorted(os.listdir(folder.parent)) == ["preview"]
    assert snapshot(folder).keys() == before.keys()


def test_a_full_disk_during_a_page_rebuild_leaves_no_page_cut_short(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """An edit's pages are rebuilt in the served folder: each file is written whole beside
    its place and renamed over it, so a write that fails leaves the page as it was."""
    preview, folder = built_preview(tmp_path)
    before = snapshot(folder)
    with monkeypatch.context() as patch:
        tried = half_then_full(patch, str(folder))
        preview.request(["indicators/test-measure.md", "index.md"])
        _rebuilding(preview.build)()
    assert tried, "MkDocs wrote nothing through perfpages' writes"
    assert "No space left on device" in capsys.readouterr().err
    assert snapshot(folder) == before
    assert no_temporary_files(folder) == []


def test_the_problems_file_on_a_full_disk_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    preview, folder = built_preview(tmp_path)
    shown = serve.ProblemsShown(preview)
    capsys.readouterr()
    with monkeypatch.context() as patch:
        half_then_full(patch, str(folder))
        assert shown.record(None) is False
    [line] = capsys.readouterr().err.strip().splitlines()
    assert line.startswith(f"The preview could not list the problems: {FULL}")
    assert no_temporary_files(folder) == []


def test_write_whole_leaves_the_file_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "page.html"
    path.write_bytes(b"the last good page")
    with monkeypatch.context() as patch:
        half_then_full(patch, str(tmp_path))
        with pytest.raises(OSError, match=FULL):
            files.write_whole(path, b"a new page, longer than the disk has room for")
    assert path.read_bytes() == b"the last good page"
    assert os.listdir(tmp_path) == ["page.html"]
