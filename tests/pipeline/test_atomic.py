"""A build killed at any moment leaves the previous site intact and nothing stray beside it.

The build writes the new site into a staging folder inside the work folder and swaps it for the
old one in a single rename (``generator/output/files.py``). These tests kill real builds with SIGKILL
after increasing delays, from the first file read to after the swap, and check after each kill
that the output folder is byte for byte the previous site or the complete new one, never a mix,
and that nothing was left next to it. The next build must clean up and succeed.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from generator.output import files as write
from tests.conftest import REPO, copy_example, run_cli

pytestmark = [pytest.mark.slow, pytest.mark.kill]

COPIES = 8  # the example's indicators eight times over: a build of a few seconds
KILL_FRACTIONS = [0.0, 0.03, 0.08, 0.15, 0.25, 0.35, 0.45, 0.55, 0.65, 0.75, 0.85, 0.92, 1.0, 1.1]


def digest(folder: Path) -> str:
    """One hash of every file's path and bytes under ``folder`` ("" when it does not exist)."""
    if not folder.exists():
        return ""
    h = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        h.update(path.relative_to(folder).as_posix().encode() + b"\0")
        if path.is_file():
            h.update(path.read_bytes())
    return h.hexdigest()


def large_site(root: Path) -> Path:
    copy_example(root)
    originals = sorted((root / "indicators").rglob("*.yml"))
    for copy in range(1, COPIES):
        for path in originals:
            shutil.copy2(path, path.with_name(f"{path.stem}-{copy}.yml"))
    return root


def change_input(root: Path) -> None:
    """A new quarter's edit: the next build differs from the previous one."""
    config = root / "site_config.yml"
    text = config.read_text("utf-8")
    config.write_text(text.replace("title: ", "title: Updated ", 1), "utf-8")


def build_process(root: Path, *extra: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "generator", "build", str(root), *extra],
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def timed_build(root: Path, *extra: str) -> float:
    start = time.monotonic()
    process = build_process(root, *extra)
    assert process.wait(timeout=600) == 0
    return time.monotonic() - start


def kill_after(root: Path, delay: float, *extra: str) -> bool:
    """Start a build, SIGKILL it after ``delay`` seconds; True when it was still running."""
    process = build_process(root, *extra)
    time.sleep(delay)
    running = process.poll() is None
    if running:
        os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=600)
    return running


def reference_build(tmp_path: Path) -> str:
    """The new site built once, cleanly, in another folder (the build is deterministic)."""
    root = large_site(tmp_path / "reference")
    change_input(root)
    assert run_cli("build", root).exit_code == 0
    return digest(root / "site")


def test_killed_builds_leave_the_previous_site_intact(tmp_path: Path) -> None:
    root = large_site(tmp_path / "site-src")
    assert run_cli("build", root).exit_code == 0
    duration = timed_build(root)  # a second build, as fast as the ones that will be killed
    previous = digest(root / "site")
    entries = sorted(p.name for p in root.iterdir())  # the site, its work folder, the input
    assert entries == ["build", "content", "indicators", "site", "site_config.yml"]
    change_input(root)
    expected_new = reference_build(tmp_path)

    outcomes: list[tuple[float, bool, str]] = []
    for fraction in KILL_FRACTIONS:
        delay = duration * fraction
        killed = kill_after(root, delay)
        now = digest(root / "site")
        outcomes.append((delay, killed, now))
        assert sorted(p.name for p in root.iterdir()) == entries, f"stray file at {delay:.2f}s"

    # The next build cleans up what the kills left and publishes the new site, exactly.
    assert run_cli("build", root).exit_code == 0
    new = digest(root / "site")
    assert new == expected_new
    assert new != previous
    assert not list((root / "build").glob("staging*"))
    assert sorted(p.name for p in root.iterdir()) == entries
    for delay, _killed, seen in outcomes:
        assert seen in (previous, new), f"a mixed site after a kill at {delay:.2f}s"
    killed_points = [delay for delay, killed, _ in outcomes if killed]
    kept = [delay for delay, killed, seen in outcomes if killed and seen == previous]
    print(
        f"build {duration:.2f}s; killed at {', '.join(f'{d:.2f}s' for d in killed_points)}; "
        f"previous site kept after {len(kept)} kills"
    )
    assert len(killed_points) >= 10
    assert len(kept) >= 8


def test_killed_builds_to_another_output_folder(tmp_path: Path) -> None:
    """--output elsewhere: the same guarantee, and no staging folder left beside the output."""
    root = large_site(tmp_path / "site-src")
    output = tmp_path / "public" / "performance"
    duration = timed_build(root, "--output", str(output))
    previous = digest(output)
    change_input(root)
    seen = []
    for fraction in (0.1, 0.4, 0.7, 0.95):
        kill_after(root, duration * fraction, "--output", str(output))
        seen.append(digest(output))
        assert sorted(p.name for p in output.parent.iterdir()) == ["performance"]
    assert run_cli("build", root, "--output", output).exit_code == 0
    assert sorted(p.name for p in output.parent.iterdir()) == ["performance"]
    new = digest(output)
    assert new != previous
    assert set(seen) <= {previous, new}
    assert not (root / "site").exists()


def test_interrupted_after_the_swap_next_build_cleans_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Killed between the swap and removing the old site: the new site is live, the old one
    waits in the work folder, and the next build removes it."""
    root = copy_example(tmp_path / "site-src")
    assert run_cli("build", root).exit_code == 0
    change_input(root)
    calls: list[Any] = []

    def interrupted_rmtree(path: Any, *args: Any, **kwargs: Any) -> None:
        calls.append(path)
        raise KeyboardInterrupt  # stands for the kill: nothing after this line runs

    monkeypatch.setattr(write.shutil, "rmtree", interrupted_rmtree)
    with pytest.raises(KeyboardInterrupt):
        from generator.pipeline import build_site

        build_site(root)
    monkeypatch.undo()
    # the swap's own removal, then the clean-up of a failed build: both "killed"
    assert calls and all(Path(c).parent == root / "build" for c in calls)
    assert all(Path(c).name.startswith(f"staging-{os.getpid()}-") for c in calls)
    live = (root / "site" / "index.html").read_text("utf-8")
    assert "Updated " in live
    assert (Path(calls[0]) / "index.html").is_file()  # the previous site
    assert run_cli("build", root).exit_code == 0
    assert not list((root / "build").glob("staging*"))
    assert (root / "site" / "index.html").read_text("utf-8") == live


def test_failure_inside_mkdocs_keeps_the_previous_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """MkDocs stopping halfway (here: after writing some pages) publishes nothing."""
    root = copy_example(tmp_path / "site-src")
    assert run_cli("build", root).exit_code == 0
    previous = digest(root / "site")
    change_input(root)
    import mkdocs.commands.build as mkdocs_build

    real_build_page = mkdocs_build._build_page
    pages: list[Any] = []

    def failing_build_page(*args: Any, **kwargs: Any) -> Any:
        pages.append(1)
        if len(pages) > 5:
            raise OSError("disk full")
        return real_build_page(*args, **kwargs)

    monkeypatch.setattr(mkdocs_build, "_build_page", failing_build_page)
    from generator.pipeline import build_site

    with pytest.raises(OSError):
        build_site(root)
    monkeypatch.undo()
    assert len(pages) == 6
    assert digest(root / "site") == previous
    assert run_cli("build", root).exit_code == 0
    assert digest(root / "site") != previous


def _other_device_folder(tmp_path: Path) -> Path | None:
    shm = Path("/dev/shm")
    if not shm.is_dir() or not os.access(shm, os.W_OK):
        return None
    if os.stat(shm).st_dev == os.stat(tmp_path).st_dev:
        return None
    return shm


def test_killed_builds_to_another_disk(tmp_path: Path) -> None:
    """Output on another file system: the staging folder must sit beside the output (a rename
    cannot cross disks), so a kill may leave that hidden folder; the next build removes it."""
    disk = _other_device_folder(tmp_path)
    if disk is None:
        pytest.skip("no second, writable file system (/dev/shm) to publish to")
    parent = disk / f"perfpages-test-{os.getpid()}"
    output = parent / "performance"
    try:
        root = large_site(tmp_path / "site-src")
        duration = timed_build(root, "--output", str(output))
        previous = digest(output)
        change_input(root)
        seen = []
        for fraction in (0.1, 0.5, 0.9):
            kill_after(root, duration * fraction, "--output", str(output))
            seen.append(digest(output))
            assert all(
                p.name == "performance" or p.name.startswith(".performance.perfpages-staging-")
                for p in parent.iterdir()
            )
        assert run_cli("build", root, "--output", output).exit_code == 0
        assert sorted(p.name for p in parent.iterdir()) == ["performance"]
        assert set(seen) <= {previous, digest(output)}
    finally:
        shutil.rmtree(parent, ignore_errors=True)


def test_a_second_build_of_the_same_folder_waits(tmp_path: Path) -> None:
    """Two builds of one folder at once (a developer and a CI job, say): the second waits for
    the first instead of deleting its half-built site, and both publish complete sites."""
    root = large_site(tmp_path / "site-src")
    first = subprocess.Popen(
        [sys.executable, "-m", "generator", "build", str(root)],
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 120
    while not (root / "build" / "docs").exists() and time.monotonic() < deadline:
        time.sleep(0.05)  # the first build has passed its checks and is writing
    second = run_cli("build", root)
    assert first.wait(timeout=600) == 0, first.stderr.read() if first.stderr else ""
    assert second.exit_code == 0, second.stderr
    assert "Waiting for another build of this folder to finish..." in second.stderr
    reference = large_site(tmp_path / "reference")
    assert run_cli("build", reference).exit_code == 0
    assert digest(root / "site") == digest(reference / "site")
