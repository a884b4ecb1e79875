"""How long ``perfpages serve`` takes to show an edited value.

    python benchmarks/serve_latency.py --size 1000 --edits 5 [--browser]

Writes the synthetic site of --size indicators (benchmarks/synthetic.py) into
benchmarks/out/serve-SIZE, starts ``python -m generator serve`` on it, and then, --edits times:
changes the latest value of one measure in its YAML file (written in place, as an editor saves)
and measures the time until the new value is on the served page. Without --browser the page is
fetched over HTTP every 50 ms; with --browser it is open in Chromium (Playwright), which must be
reloaded by the server's own live-reload script, as a user sees it.

With --reports, one more edit is made at the end and followed until the reports by period have
caught up (they are rebuilt after the edited pages are shown): the time until the newest
period's printed report shows the value, and until the server says every report is updated.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(HERE))

import synthetic  # noqa: E402
import yaml  # noqa: E402

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return str(response.read().decode("utf-8"))
    except OSError:
        return None


def pick_measure(root: Path) -> tuple[Path, str]:
    """A measure counted in whole numbers, so the new value's text is known exactly."""
    for path in sorted((root / "indicators").rglob("measure-*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if data["unit"] == "number" and data.get("decimals") == 0 and "unit_label" not in data:
            return path, path.stem
    raise SystemExit("no suitable measure in the synthetic site")


def set_latest_value(path: Path, value: int) -> None:
    """Change the value of the latest period (the one shown as the position) in place."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    latest = max(data["values"], key=lambda v: _period_end(str(v["period"])))
    latest["value"] = value
    latest.pop("missing", None)
    latest.pop("rating", None)
    latest.pop("rating_reason", None)
    with open(path, "w", encoding="utf-8") as f:  # in place, as an editor saves
        f.write(yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100))


def _period_end(text: str) -> tuple[int, int]:
    if m := re.fullmatch(r"(\d{4})-(\d{2})", text):
        return int(m[1]), int(m[2])
    m = re.fullmatch(r"(\d{4})/\d{2} Q(\d)", text)
    assert m, text
    quarter = int(m[2])  # of a financial year starting in April: Q4 ends in March
    return int(m[1]) + quarter // 4, (quarter * 3 + 2) % 12 + 1


def follow_reports(path: Path, base: str, log: Path) -> None:
    """Edit once more, then time the newest printed report and the end of the reports."""
    found = re.search(
        r'href="(?:\./)?([0-9]{4}-[0-9]{2}-[a-z0-9-]+)/"', fetch(f"{base}/reports/") or ""
    )
    if not found:
        raise SystemExit("no report by period found at /reports/")
    printed = f"{base}/reports/{found[1]}/print/"
    if 'class="pp-print-parts"' in (fetch(printed) or ""):
        # a printable report in parts: the edited indicator is in its priority's part
        priority = yaml.safe_load(path.read_text(encoding="utf-8"))["priority"]
        printed += f"{priority}/"
    value = 987_654
    expected = f"{value:,}"
    before = log.read_text(encoding="utf-8").count("Reports updated")
    set_latest_value(path, value)
    edited = time.perf_counter()
    shown: float | None = None
    while time.perf_counter() - edited < 900:
        if shown is None and expected in (fetch(printed) or ""):
            shown = time.perf_counter() - edited
            where = printed.removeprefix(base)
            print(f"the printed report {where} shows {expected} after {shown:.2f} s")
        if log.read_text(encoding="utf-8").count("Reports updated") > before:
            done = time.perf_counter() - edited
            print(f"every report updated after {done:.2f} s", flush=True)
            return
        time.sleep(0.25)
    raise SystemExit(f"the reports were not updated after 900 s; see {log}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=1000)
    parser.add_argument("--edits", type=int, default=5)
    parser.add_argument("--browser", action="store_true", help="watch the page in Chromium")
    parser.add_argument("--reports", action="store_true", help="then follow the reports")
    parser.add_argument(
        "--pause",
        type=float,
        default=1.0,
        help="seconds between an edit shown and the next (1: while the reports are rebuilt)",
    )
    parser.add_argument("--out", type=Path, default=HERE / "out")
    args = parser.parse_args()

    root = args.out.resolve() / f"serve-{args.size}"
    shutil.rmtree(root / "build", ignore_errors=True)
    synthetic.write_site(args.size, root)
    path, indicator = pick_measure(root)
    port = free_port()
    url = f"http://127.0.0.1:{port}/indicators/{indicator}/"
    env = dict(os.environ, PYTHONPATH=str(REPO), NO_MKDOCS_2_WARNING="1")
    log = open(root.parent / f"serve-{args.size}.log", "w")  # noqa: SIM115
    started = time.perf_counter()
    server = subprocess.Popen(
        [sys.executable, "-m", "generator", "serve", str(root), "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env,
        cwd=REPO,
    )
    latencies: list[float] = []
    try:
        while fetch(url) is None:
            if server.poll() is not None:
                raise SystemExit(f"perfpages serve stopped; see {log.name}")
            time.sleep(0.25)
        print(f"serve ready in {time.perf_counter() - started:.1f} s ({args.size} indicators)")
        page = None
        if args.browser:
            from playwright.sync_api import sync_playwright

            playwright = sync_playwright().start()
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
            )
            page = browser.new_page()
            page.goto(url)
        for edit in range(args.edits):
            value = 900_001 + edit * 1_111
            expected = f"{value:,}"
            set_latest_value(path, value)
            edited = time.perf_counter()
            while True:
                if page is not None:
                    try:
                        text = page.content()
                    except Exception:  # the page is being reloaded
                        text = ""
                else:
                    text = fetch(url) or ""
                if expected in text:
                    break
                if time.perf_counter() - edited > 120:
                    raise SystemExit(f"{expected} not shown after 120 s; see {log.name}")
                time.sleep(0.05)
            latency = time.perf_counter() - edited
            latencies.append(latency)
            print(f"edit {edit + 1}: {expected} shown after {latency:.2f} s", flush=True)
            time.sleep(args.pause)  # as between a user's edits
        if page is not None:
            browser.close()
            playwright.stop()
        if args.reports:
            follow_reports(path, f"http://127.0.0.1:{port}", Path(log.name))
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
    how = "in Chromium" if args.browser else "over HTTP"
    print(
        f"\n{args.size} indicators, {args.edits} edits, seen {how}: median "
        f"{statistics.median(latencies):.2f} s, max {max(latencies):.2f} s, "
        f"{args.pause:g} s apart "
        f"(load average {os.getloadavg()[0]:.1f})"
    )


if __name__ == "__main__":
    main()
