"""Shared test helpers: small sites written on the fly, the example site, and the CLI."""

from __future__ import annotations

import contextlib
import fcntl
import io
import logging
import os
import selectors
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

import pytest
import yaml
from click.testing import CliRunner, Result

from generator.commands.cli import main

REPO = Path(__file__).resolve().parents[1]
EXAMPLE_PARTS = ("site_config.yml", "indicators", "content")
# A site with every hard case the pages must survive (see its site_config.yml).
BILINGUAL = REPO / "tests" / "fixtures" / "bilingual"
STRESS = REPO / "tests" / "fixtures" / "stress"

MINIMAL_CONFIG: dict[str, Any] = {
    "site": {
        "title": "Test council performance",
        "organisation": "Test Council",
        "url": "https://performance.test.example/",
    },
    "reporting_period": "2019/20 Q2",
    "priorities": [
        {"id": "health", "title": "Health"},
        {"id": "economy", "title": "Economy"},
    ],
}

MINIMAL_MEASURE = """\
title: Test measure
priority: health
unit: percent
polarity: higher_is_better
target: 90
values:
  - period: 2019/20 Q1
    value: 85
  - period: 2019/20 Q2
    value: 91
"""


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


@dataclass
class SiteDir:
    root: Path

    def indicator(self, name: str, text: str | bytes) -> Path:
        """Write indicators/<name> (name may include folders and must include the suffix)."""
        return write(self.root / "indicators" / name, text)

    def content(self, name: str, text: str) -> Path:
        return write(self.root / "content" / name, text)

    def config(self, data: dict[str, Any] | str) -> Path:
        text = data if isinstance(data, str) else yaml.safe_dump(data, sort_keys=False)
        return write(self.root / "site_config.yml", text)


@pytest.fixture
def make_site(tmp_path: Path) -> Callable[..., SiteDir]:
    """A site folder with the minimal config and, unless told otherwise, one valid measure."""

    def make(
        config: dict[str, Any] | str | None = None,
        indicators: dict[str, str | bytes] | None = None,
        content: dict[str, str] | None = None,
        folder: str = "site-src",
    ) -> SiteDir:
        site = SiteDir(tmp_path / folder)
        site.root.mkdir(parents=True, exist_ok=True)
        site.config(config if config is not None else MINIMAL_CONFIG)
        for name, text in (
            indicators if indicators is not None else {"test-measure.yml": MINIMAL_MEASURE}
        ).items():
            site.indicator(name, text)
        for name, text in (content or {}).items():
            site.content(name, text)
        return site

    return make


def copy_example(target: Path, root: Path = REPO) -> Path:
    """A copy of the repository's example site (its data and pages; the theme is built in), or
    of the site at ``root``."""
    target.mkdir(parents=True, exist_ok=True)
    for part in EXAMPLE_PARTS:
        source = root / part
        if source.is_dir():
            shutil.copytree(source, target / part)
        elif source.is_file():
            shutil.copy2(source, target / part)
    return target


def build_strict(root: Path) -> Path:
    """Build the site in ``root`` with --strict; returns its site folder."""
    result = CliRunner().invoke(main, ["build", "--strict", str(root)])
    assert result.exit_code == 0, result.output + (result.stderr or "")
    return root / "site"


def made_once(factory: pytest.TempPathFactory, name: str, make: Callable[[Path], Path]) -> Path:
    """What ``make(folder)`` returns, made once for the whole test run: with pytest-xdist the
    first worker to ask makes it in the run's shared temporary folder while the others wait for
    it, then all of them use it. What it makes must be only read by the tests."""
    base = factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent  # the folder every worker's own temporary folder is in
    folder, done = base / f"shared-{name}", base / f"shared-{name}.made"
    with open(base / f"shared-{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            shutil.rmtree(folder, ignore_errors=True)  # what a failed attempt left
            folder.mkdir()
            made = make(folder)
            done.write_text(made.relative_to(folder).as_posix(), encoding="utf-8")
    return folder / done.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def example_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example site, copied once per test run (never built in place; only read)."""
    return made_once(tmp_path_factory, "example", copy_example)


@pytest.fixture(scope="session")
def example_built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example site built strictly, once per test run; returns the site folder."""
    return made_once(tmp_path_factory, "example-built", lambda to: build_strict(copy_example(to)))


def build_preview(root: Path) -> Path:
    """Build the site in ``root`` with --strict --preview; returns its preview folder."""
    result = CliRunner().invoke(main, ["build", "--strict", "--preview", str(root)])
    assert result.exit_code == 0, result.output + (result.stderr or "")
    return root / "site-preview"


@pytest.fixture(scope="session")
def example_preview(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example site built strictly as a preview (perfpages build --preview), once per test
    run; returns the preview folder."""
    return made_once(
        tmp_path_factory, "example-preview", lambda to: build_preview(copy_example(to))
    )


@pytest.fixture(scope="session")
def stress_built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The stress fixture site (tests/fixtures/stress) built strictly, once per test run."""
    return made_once(
        tmp_path_factory, "stress-built", lambda to: build_strict(copy_example(to, STRESS))
    )


@pytest.fixture(scope="session")
def bilingual_built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bilingual fixture site (tests/fixtures/bilingual: English and Welsh, real figures
    with some texts not published in Welsh) with a content page help.md and the narrative of
    its reporting period in English only,
    built once per test run, without --strict (its missing translations are warnings);
    returns the site folder."""

    def make(root: Path) -> Path:
        copy_example(root, BILINGUAL)
        # A content page with no Welsh version: the Welsh pages show it in English.
        write(root / "content" / "help.md", "# Help\n\nWrite to us.\n")
        # And a narrative of the reporting period in English only.
        write(
            root / "content" / "reports" / "2024-25-q4.md",
            "Recycling stayed **above** two thirds.\n\n- Food waste rose.\n",
        )
        result = CliRunner().invoke(main, ["build", str(root)])
        assert result.exit_code == 0, result.output + (result.stderr or "")
        return root / "site"

    return made_once(tmp_path_factory, "bilingual-built", make)


@pytest.fixture(scope="session")
def injection_built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site of ``tests/injection_site.py`` (hostile text in every field), with a page that
    links to other hosts, built strictly once per test run; returns the site folder."""

    def make(root: Path) -> Path:
        from tests.injection_site import write_site

        write_site(root)
        write(
            root / "content" / "about.md",
            "# About\n\nSee [the council](https://www.example.org/) and "
            "<https://data.example.org/>.\n",
        )
        return build_strict(root)

    return made_once(tmp_path_factory, "injection-built", make)


def tree(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` and its bytes, by its path there (to compare two outputs)."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def run_cli(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def run_forked(
    *args: str | Path,
    timeout: float = 120,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """perfpages' command line as ``python -m generator`` runs it, in a process of its own: a
    forked copy of the test's process. A hang is killed at ``timeout`` and fails the test (as
    ``subprocess.run`` would: TimeoutExpired), nothing it changes in memory reaches the test's
    process; what is saved is starting Python and importing the generator again (half a second
    to two seconds a call). Each command these tests run still has a test that starts a new
    Python: build and validate (test_output_safety.py's ``fresh=True`` case, its SIGINT test,
    test_bad_input.py's real processes, test_determinism.py), import (test_import_source.py's
    ``fresh=True`` case), diff (test_diff_git.py's first test), serve (test_serve_stops.py)."""
    command = [str(a) for a in args]
    out_r, out_w = os.pipe()
    err_r, err_w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(out_r)
        os.close(err_r)
        _command_in_child(command, out_w, err_w, cwd, env)
    os.close(out_w)
    os.close(err_w)
    output = {out_r: b"", err_r: b""}
    deadline = time.monotonic() + timeout
    with selectors.DefaultSelector() as selector:
        for fd in output:
            selector.register(fd, selectors.EVENT_READ)
        while selector.get_map():
            left = deadline - time.monotonic()
            ready = selector.select(left) if left > 0 else []
            if not ready and time.monotonic() >= deadline:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                for fd in output:
                    os.close(fd)
                raise subprocess.TimeoutExpired(["perfpages", *command], timeout)
            for key, _ in ready:
                chunk = os.read(key.fd, 65536)
                if chunk:
                    output[key.fd] += chunk
                else:
                    selector.unregister(key.fd)
    for fd in output:
        os.close(fd)
    _, status = os.waitpid(pid, 0)
    return subprocess.CompletedProcess(
        ["perfpages", *command],
        os.waitstatus_to_exitcode(status),
        output[out_r].decode("utf-8", "replace"),
        output[err_r].decode("utf-8", "replace"),
    )


class ForkedProcess:
    """perfpages' command line in a forked copy of the test's process, as ``run_forked`` runs it,
    for a test that works with it while it runs (``perfpages serve``): what such tests use of
    ``subprocess.Popen``. Its output and errors, together, are read by ``communicate``, unless
    ``quiet``."""

    def __init__(self, *args: str | Path, cwd: Path | None = None, quiet: bool = False) -> None:
        self.args = ["perfpages", *map(str, args)]
        self.returncode: int | None = None
        self._read: int | None = None
        if quiet:
            write = os.open(os.devnull, os.O_WRONLY)
        else:
            self._read, write = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:
            if self._read is not None:
                os.close(self._read)
            _command_in_child(self.args[1:], write, write, cwd, None)
        os.close(write)

    def poll(self) -> int | None:
        if self.returncode is None:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode

    def send_signal(self, signum: int) -> None:
        if self.poll() is None:
            os.kill(self.pid, signum)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def communicate(self, timeout: float | None = None) -> tuple[str | None, None]:
        """Its output until it ends, once it has (TimeoutExpired after ``timeout`` seconds, the
        process left running, as Popen's)."""
        deadline = None if timeout is None else time.monotonic() + timeout

        def left() -> float | None:
            if deadline is None:
                return None
            if time.monotonic() >= deadline:
                raise subprocess.TimeoutExpired(self.args, timeout or 0)
            return deadline - time.monotonic()

        output = b""
        if self._read is not None:
            with selectors.DefaultSelector() as selector:
                selector.register(self._read, selectors.EVENT_READ)
                while True:
                    if not selector.select(left()):
                        continue
                    chunk = os.read(self._read, 65536)
                    if not chunk:
                        break
                    output += chunk
        while self.poll() is None:
            left()
            time.sleep(0.01)
        if self._read is None:
            return None, None
        os.close(self._read)
        self._read = None
        return output.decode("utf-8", "replace"), None


def _command_in_child(
    command: list[str], out: int, err: int, cwd: Path | None, env: dict[str, str] | None
) -> NoReturn:
    """In the forked child: standard streams of its own (no input; output and errors to the
    given pipes), no logging handler of the test process's, the command, and an exit with its
    status that runs none of the test process's clean-up."""
    code = 1
    try:
        os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
        os.dup2(out, 1)
        os.dup2(err, 2)
        sys.stdin = io.TextIOWrapper(io.FileIO(0, "r", closefd=False))
        sys.stdout = io.TextIOWrapper(io.FileIO(1, "w", closefd=False), write_through=True)
        sys.stderr = io.TextIOWrapper(
            io.FileIO(2, "w", closefd=False), errors="backslashreplace", write_through=True
        )
        # As in a new Python: no handler writing to the test process's streams (pytest's on
        # the root logger, one a command run in this process left on MkDocs').
        for logger in [logging.getLogger(), *logging.Logger.manager.loggerDict.values()]:
            if isinstance(logger, logging.Logger):
                for handler in list(logger.handlers):
                    if isinstance(handler, logging.StreamHandler):
                        logger.removeHandler(handler)
        logging.getLogger().setLevel(logging.WARNING)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        if cwd is not None:
            os.chdir(cwd)
        if env is not None:
            os.environ.clear()
            os.environ.update(env)
            time.tzset()
            tempfile.tempdir = None  # found again, from TMPDIR
        main(command, prog_name="perfpages")
        code = 0
    except SystemExit as stop:
        if stop.code is None or isinstance(stop.code, int):
            code = stop.code or 0
        else:
            print(stop.code, file=sys.stderr)
    except BaseException:
        traceback.print_exc()
    finally:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                stream.flush()
        os._exit(code)
