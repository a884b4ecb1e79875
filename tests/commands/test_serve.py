"""`perfpages serve`: an edited value shows in the served page; a broken edit keeps the last good one."""

from __future__ import annotations

import logging
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from generator.commands import serve as serve_module
from generator.commands.serve import PROBLEMS_FILE
from generator.site.problems import WrongUsage
from tests.conftest import MINIMAL_MEASURE, REPO, ForkedProcess


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_serve(
    root: Path, quiet: bool = False, fresh: bool = False
) -> tuple[subprocess.Popen[str] | ForkedProcess, str]:
    """``perfpages serve`` on ``root`` in a process of its own, on a free port: the process
    (its output, errors included, read by ``communicate``, or dropped when ``quiet``) and the
    preview's base URL. The process is a forked copy of the test's, or with ``fresh`` a new
    Python (test_serve_stops.py's tests start theirs so too)."""
    port = free_port()
    if not fresh:
        return ForkedProcess(
            "serve", root, "--port", str(port), cwd=REPO, quiet=quiet
        ), f"http://127.0.0.1:{port}/"
    process = subprocess.Popen(
        [sys.executable, "-m", "generator", "serve", str(root), "--port", str(port)],
        cwd=REPO,
        stdout=subprocess.DEVNULL if quiet else subprocess.PIPE,
        stderr=subprocess.DEVNULL if quiet else subprocess.STDOUT,
        text=True,
    )
    return process, f"http://127.0.0.1:{port}/"


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.read().decode("utf-8")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def wait_for(predicate, timeout: float = 60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(0.05)
    return None


@pytest.mark.slow
def test_serve_regenerates_on_edit(make_site):
    site = make_site()
    process, base = start_serve(site.root)
    url = base + "indicators/test-measure/"
    try:
        first = wait_for(lambda: fetch(url))
        assert first is not None, "the preview did not start"
        assert "91%" in first

        measure = site.root / "indicators" / "test-measure.yml"
        measure.write_text(MINIMAL_MEASURE.replace("value: 91", "value: 93.5"))
        updated = wait_for(lambda: (page := fetch(url)) and "93.5%" in page and page)
        assert updated, "the edited value never reached the served page"

        measure.write_text(MINIMAL_MEASURE.replace("value: 91", 'value: "93%"'))
        # Waits for the failed regeneration to be reported (a loaded machine is slow to it).
        reported = wait_for(lambda: (text := fetch(base + PROBLEMS_FILE)) and "93%" in text)
        assert reported, "the broken edit was never reported"
        still = fetch(url)
        assert still is not None and "93.5%" in still, "a broken edit must keep the last good page"
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=20)
    assert (
        'indicators/test-measure.yml:10: values[1].value: "93%" is not a number; write 93' in output
    )
    assert "the preview keeps the last good version" in output


def test_serve_on_a_port_in_use_says_so_in_one_line_and_exits_2(make_site):
    from tests.conftest import run_cli

    site = make_site()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        started = time.monotonic()
        result = run_cli("serve", site.root, "--port", str(port))
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert lines == [
        f"Error: port {port} on 127.0.0.1 is already in use (another preview, or another "
        f"program); stop it, or choose another port with --port, e.g. --port {port + 1}."
    ]
    assert "Traceback" not in result.output
    assert time.monotonic() - started < 10  # refused before the first build
    assert not (site.root / "build").exists()


def test_serve_on_an_address_not_of_this_computer_exits_2(make_site):
    from tests.conftest import run_cli

    result = run_cli("serve", make_site().root, "--host", "192.0.2.1", "--port", "8000")
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        "Error: cannot listen on 192.0.2.1: it is not an address of this computer; choose "
        "one with --host (the default, 127.0.0.1, is this computer only)."
    ]


@pytest.fixture
def in_process_logging():
    """perfpages serve run in this process sets MkDocs' logging up for a terminal (a handler
    writing to the stream of the moment, the levels): put it back for the tests that follow."""
    loggers = [logging.getLogger(name) for name in ("mkdocs", "mkdocs.structure.nav")]
    saved = [(logger, logger.level, list(logger.handlers)) for logger in loggers]
    yield
    for logger, level, handlers in saved:
        logger.setLevel(level)
        logger.handlers[:] = handlers


@pytest.mark.usefixtures("in_process_logging")
def test_serve_open_opens_the_preview_in_the_browser(make_site, monkeypatch):
    """--open: once the preview listens, the browser is sent to its address (here a stand-in
    for the web browser, which then stops the preview as Ctrl-C would)."""
    import webbrowser

    from tests.conftest import run_cli

    opened: list[str] = []

    def browser(url: str, *args, **kwargs) -> bool:
        page = fetch(url)  # the preview is up when the browser is sent there
        opened.append(url)
        assert page is not None and "Test measure" in page
        raise KeyboardInterrupt

    monkeypatch.setattr(webbrowser, "open", browser)
    port = free_port()
    result = run_cli("serve", make_site().root, "--port", str(port), "--open")
    assert result.exit_code == 130, result.output  # stopped as by Ctrl-C
    assert opened == [f"http://127.0.0.1:{port}/"]
    assert "Stopped." in result.stderr
    # Without --open, no browser.
    opened.clear()
    monkeypatch.setattr(serve_module, "_preview_server", stop_at_once(serve_module._preview_server))
    result = run_cli("serve", make_site(folder="other").root, "--port", str(free_port()))
    assert result.exit_code == 130, result.output  # stopped as by Ctrl-C
    assert opened == []


def stop_at_once(make_server):
    """The preview server, stopped (as by Ctrl-C) as soon as it would serve."""

    def made(*args, **kwargs):
        server = make_server(*args, **kwargs)

        def serve(open_in_browser: bool = False) -> None:
            assert open_in_browser is False
            raise KeyboardInterrupt

        server.serve = serve
        return server

    return made


def busy_ports(count: int) -> tuple[int, list[socket.socket]]:
    """``count`` consecutive ports, each with a program listening on it."""
    while True:
        first = free_port()
        held: list[socket.socket] = []
        try:
            for port in range(first, first + count + 1):
                s = socket.socket()
                held.append(s)
                s.bind(("127.0.0.1", port))
                s.listen()
        except OSError:
            for s in held:
                s.close()
            continue
        held.pop().close()  # the port after them is free
        return first, held


def test_serve_without_a_port_takes_the_next_free_one(monkeypatch):
    first, held = busy_ports(2)
    try:
        monkeypatch.setattr(serve_module, "DEFAULT_PORT", first)
        assert serve_module.choose_port("127.0.0.1", None) == first + 2
        # A port given is that port, or an error.
        with pytest.raises(WrongUsage, match=f"port {first} on 127.0.0.1 is already in use"):
            serve_module.choose_port("127.0.0.1", first)
        assert serve_module.choose_port("127.0.0.1", first + 2) == first + 2
        monkeypatch.setattr(serve_module, "PORTS_TRIED", 2)
        with pytest.raises(WrongUsage, match=f"ports {first} to {first + 1} on 127.0.0.1 are all"):
            serve_module.choose_port("127.0.0.1", None)
    finally:
        for s in held:
            s.close()


@pytest.mark.usefixtures("in_process_logging")
def test_serve_says_which_port_it_took(make_site, monkeypatch):
    from tests.conftest import run_cli

    first, held = busy_ports(1)
    try:
        monkeypatch.setattr(serve_module, "DEFAULT_PORT", first)
        monkeypatch.setattr(
            serve_module, "_preview_server", stop_at_once(serve_module._preview_server)
        )
        result = run_cli("serve", make_site().root)
    finally:
        for s in held:
            s.close()
    assert result.exit_code == 130, result.output  # stopped as by Ctrl-C
    message = f"Port {first} on 127.0.0.1 is in use; the preview uses port {first + 1}"
    assert message in result.stderr.splitlines()
