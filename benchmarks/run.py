"""Benchmark perfpages against a bare Material site of the same indicators.

    python benchmarks/run.py --sizes 100,1000 --runs 1          # a quick run
    python benchmarks/run.py --sizes 100,1000,5000,10000 --runs 3

For each size N: write a synthetic site of N indicators (benchmarks/synthetic.py) into
benchmarks/out/site-N and, from the same indicator files, the bare MkDocs project of
benchmarks/bare.py into benchmarks/out/bare-N (one Markdown page per indicator: title,
commentary, a values table; Material with navigation.prune and font: false; no perfpages at
all): the baseline. Then, for each run, build both from clean, perfpages first and the baseline
right after, so both see the same load. Every build runs in a process of its own, so times
include Python's start-up and imports; CPU time is the process's and its workers' (os.wait4),
peak memory that of the process and its workers together. Figures are medians over the runs.
The tables give both ratios (wall time and output bytes, perfpages / bare), perfpages' output
by kind of file and what a page's bytes are. The generator stage alone
(``generator.pipeline.generate``) runs on the sizes given by --generate-only (default none).

The results are printed as Markdown tables and saved in benchmarks/out/results-DATE.json.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(HERE))

import bare  # noqa: E402
import synthetic  # noqa: E402

MIB = 1024 * 1024


@dataclass
class Process:
    """One measured child process."""

    wall: float
    cpu: float  # user + system time of the process and its workers
    rss: int  # peak resident memory of the process, bytes
    load: float = 0.0  # the machine's load average (1 minute) when the process started
    pss: int = 0  # the largest memory of the process and its workers together (sampled PSS)
    workers_rss: int = 0  # peak of the largest worker it started (0: none)
    stages: dict[str, float] = field(default_factory=dict)
    peaks: dict[str, int] = field(default_factory=dict)  # peak memory at the end of each stage


def _descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    out, todo = [], [pid]
    while todo:
        current = todo.pop()
        out.append(current)
        todo += children.get(current, [])
    return out


def _pss(pid: int) -> int:
    """A process's proportional set size: its memory, pages shared with others counted by
    share, so the sum over a process and its forked workers is the memory they take together."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


class _MemorySampler(threading.Thread):
    """The largest total PSS of a process and its descendants, sampled every 0.2 s."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak, self.done = pid, 0, threading.Event()

    def run(self) -> None:
        while not self.done.wait(0.2):
            self.peak = max(self.peak, sum(_pss(p) for p in _descendants(self.pid)))


def run_measured(cmd: list[str], env: dict[str, str], log: Path) -> tuple[Process, str]:
    """Run ``cmd``; its wall time and peak memory (os.wait4 gives this child's own rusage)."""
    load = os.getloadavg()[0]
    with open(log, "w") as err, open(log.with_suffix(".out"), "w+") as out:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, env=env, cwd=REPO)
        sampler = _MemorySampler(proc.pid)
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
        sampler.done.set()
        sampler.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        stdout = out.read()
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}); see {log}")
    cpu = usage.ru_utime + usage.ru_stime
    return Process(wall, cpu, usage.ru_maxrss * 1024, load=load, pss=sampler.peak), stdout


def child_env(site: Path) -> dict[str, str]:
    from generator.mkdocs.run import build_timestamp
    from generator.site.loader import load_site
    from generator.site.problems import Problems

    env = dict(os.environ, PYTHONPATH=str(REPO), NO_MKDOCS_2_WARNING="1")
    loaded = load_site(site, Problems())
    assert loaded is not None, f"{site} does not load"
    env["SOURCE_DATE_EPOCH"] = str(build_timestamp(loaded))
    return env


def perfpages(mode: str, site: Path, env: dict[str, str]) -> Process:
    for name in ("build", "site"):
        shutil.rmtree(site / name, ignore_errors=True)  # every run is a clean build
    cmd = [sys.executable, str(HERE / "child.py"), mode, str(site)]
    proc, stdout = run_measured(cmd, env, site.parent / f"{site.name}-{mode}.log")
    report = json.loads(stdout.strip().splitlines()[-1])
    proc.stages = report["stages"]
    proc.peaks = report["peaks"]
    proc.workers_rss = report["workers_rss"]
    return proc


def bare_mkdocs(site: Path, env: dict[str, str]) -> Process:
    """The baseline: ``python -m mkdocs build`` of the bare Material site of the same
    indicators (``bare.py``), from clean."""
    project = site.parent / site.name.replace("site-", "bare-")
    config = bare.write_bare(site, project)
    shutil.rmtree(project / "site", ignore_errors=True)
    cmd = [sys.executable, "-m", "mkdocs", "build", "--quiet", "--config-file", str(config)]
    proc, _ = run_measured(cmd, env, site.parent / f"{project.name}.log")
    return proc


def tree_size(root: Path) -> tuple[int, int]:
    total = files = 0
    for path in root.rglob("*"):
        if path.is_file():
            total += path.stat().st_size
            files += 1
    return total, files


def page_sizes(site: Path) -> list[int]:
    pages = (site / "site" / "indicators").glob("*/index.html")
    return sorted(p.stat().st_size for p in pages)


# What each file of perfpages' output is, by its path in the site (the first that matches).
KINDS = (
    ("indicator pages", re.compile(r"indicators/[^/]+/index\.html")),
    ("reports by period", re.compile(r"reports/[^/]+/index\.html")),
    ("printed reports", re.compile(r"reports/[^/]+/print/(?:[^/]+/)?index\.html")),
    ("other pages", re.compile(r".*\.html")),
    ("open data", re.compile(r"data/.*")),
    ("search index", re.compile(r"search/.*")),
    ("theme assets", re.compile(r"assets/.*")),
    ("other files", re.compile(r".*")),
)


def breakdown(root: Path) -> dict[str, dict[str, int]]:
    """Bytes, files and the largest file of each kind of file in a built site."""
    out = {kind: {"bytes": 0, "files": 0, "largest": 0} for kind, _ in KINDS}
    for path in root.rglob("*"):
        if not path.is_file():
            continue
        rel = path.relative_to(root).as_posix()
        kind = next(k for k, pattern in KINDS if pattern.fullmatch(rel))
        size = path.stat().st_size
        entry = out[kind]
        entry["bytes"] += size
        entry["files"] += 1
        entry["largest"] = max(entry["largest"], size)
    return {k: v for k, v in out.items() if v["files"]}


_ARTICLE = re.compile(r"<article class=\"md-content__inner.*?</article>", re.S)
_PARTS = {
    "tables": re.compile(r"<table.*?</table>", re.S),
    "inline SVG": re.compile(r"<svg.*?</svg>", re.S),
    "scripts": re.compile(r"<script.*?</script>", re.S),
}


def page_parts(path: Path) -> dict[str, int]:
    """What one page's bytes are: the theme around the content (header, navigation, footer),
    the content, and the tables, inline SVG and scripts anywhere in it."""
    text = path.read_text(encoding="utf-8")
    total = len(text.encode())
    article = _ARTICLE.search(text)
    content = len(article.group(0).encode()) if article else 0
    parts = {"total": total, "theme around the content": total - content, "content": content}
    for name, pattern in _PARTS.items():
        parts[name] = sum(len(m.group(0).encode()) for m in pattern.finditer(text))
    return parts


def sample_pages(site_dir: Path, bare_dir: Path) -> dict[str, dict[str, int]]:
    """The composition of the median indicator page, the largest report of a period, the
    largest printed report and the bare site's median indicator page."""
    samples: dict[str, dict[str, int]] = {}

    def pick(label: str, paths: list[Path], median: bool) -> None:
        if not paths:
            return
        paths = sorted(paths, key=lambda p: p.stat().st_size)
        samples[label] = page_parts(paths[len(paths) // 2] if median else paths[-1])

    indicators = [p for p in site_dir.glob("indicators/*/index.html")]
    pick("indicator page (median)", indicators, True)
    pick("report of a period (largest)", list(site_dir.glob("reports/*/index.html")), False)
    printed = [*site_dir.glob("reports/*/print/index.html")]
    printed += site_dir.glob("reports/*/print/*/index.html")  # the parts of a report in parts
    pick("printed report page (largest)", printed, False)
    pick("bare MkDocs page (median)", list(bare_dir.glob("priority-*/*/index.html")), True)
    return samples


def search_figures(site: Path, indicators: int) -> dict[str, Any]:
    path = site / "site" / "search" / "search_index.json"
    raw = path.read_bytes()
    docs = json.loads(raw)["docs"]
    per_page: dict[str, int] = {}
    for doc in docs:
        location = doc["location"].split("#")[0]
        if location.startswith("indicators/") and location != "indicators/":
            size = len(json.dumps(doc, separators=(",", ":"), ensure_ascii=False).encode())
            per_page[location] = per_page.get(location, 0) + size
    text = raw.decode("utf-8")
    return {
        "bytes": len(raw),
        "per_indicator_median": statistics.median(per_page.values()) if per_page else 0,
        "per_indicator_mean": len(raw) / indicators,
        # Chart data and the values tables must not be indexed (data-search-exclude).
        "chart_json_indexed": "hovertemplate" in text or "connectgaps" in text,
        "value_tables_indexed": "Every value" in text and _table_rows_indexed(docs),
    }


def _table_rows_indexed(docs: list[dict[str, Any]]) -> bool:
    """True if a values table's cells reached the index (the section has text)."""
    return any(
        d["location"].endswith("#every-value") and d["text"].strip()
        for d in docs
        if d["location"].startswith("indicators/")
    )


@dataclass
class SizeResult:
    size: int
    runs: int
    generator: float
    mkdocs_stage: float
    publish: float
    total: float
    baseline: float
    ratio: float  # wall time, perfpages / bare
    cpu: float
    baseline_cpu: float
    load: float
    rss: int
    workers_rss: int
    pss: int
    baseline_rss: int
    baseline_pss: int
    output_bytes: int
    output_files: int
    baseline_bytes: int
    baseline_files: int
    bytes_ratio: float  # output bytes, perfpages / bare
    page_median: float
    page_max: int
    search: dict[str, Any]
    kinds: dict[str, dict[str, int]]
    pages: dict[str, dict[str, int]]
    raw: dict[str, Any]


def measure_size(size: int, runs: int, out: Path) -> SizeResult:
    """Build the synthetic site of ``size`` indicators ``runs`` times with perfpages and with
    bare MkDocs, one after the other in each run, so both see the same load."""
    site = out / f"site-{size}"
    started = time.perf_counter()
    synthetic.write_site(size, site)
    print(f"[{size}] synthetic site written in {time.perf_counter() - started:.1f} s", flush=True)
    env = child_env(site)
    builds: list[Process] = []
    bases: list[Process] = []
    for run in range(1, runs + 1):
        build = perfpages("build", site, env)
        builds.append(build)
        base = bare_mkdocs(site, env)
        bases.append(base)
        print(
            f"[{size}] run {run}: perfpages {build.wall:.1f} s "
            f"(generator {generator_time(build):.1f} s, CPU {build.cpu:.1f} s), "
            f"bare MkDocs {base.wall:.1f} s (CPU {base.cpu:.1f} s), load {build.load:.1f}",
            flush=True,
        )
    med = statistics.median
    output_bytes, output_files = tree_size(site / "site")
    bare_site = out / f"bare-{size}" / "site"
    baseline_bytes, baseline_files = tree_size(bare_site)
    pages = page_sizes(site)
    total = med(b.wall for b in builds)
    baseline = med(b.wall for b in bases)
    return SizeResult(
        size=size,
        runs=runs,
        generator=med(generator_time(b) for b in builds),
        mkdocs_stage=med(b.stages.get("Building the site with MkDocs", 0.0) for b in builds),
        publish=med(b.stages.get("Publishing", 0.0) for b in builds),
        total=total,
        baseline=baseline,
        ratio=total / baseline,
        cpu=med(b.cpu for b in builds),
        baseline_cpu=med(b.cpu for b in bases),
        load=med(p.load for p in builds + bases),
        rss=max(b.rss for b in builds),
        workers_rss=max(b.workers_rss for b in builds),
        pss=max(b.pss for b in builds),
        baseline_rss=max(b.rss for b in bases),
        baseline_pss=max(b.pss for b in bases),
        output_bytes=output_bytes,
        output_files=output_files,
        baseline_bytes=baseline_bytes,
        baseline_files=baseline_files,
        bytes_ratio=output_bytes / baseline_bytes,
        page_median=med(pages),
        page_max=max(pages),
        search=search_figures(site, size),
        kinds=breakdown(site / "site"),
        pages=sample_pages(site / "site", bare_site),
        raw={"perfpages": [asdict(b) for b in builds], "baseline": [asdict(b) for b in bases]},
    )


def generator_time(proc: Process) -> float:
    return proc.stages.get("Checking files", 0.0) + proc.stages.get("Writing pages", 0.0)


def measure_generate(size: int, runs: int, out: Path) -> dict[str, Any]:
    site = out / f"site-{size}"
    synthetic.write_site(size, site)
    env = child_env(site)
    procs = []
    for run in range(1, runs + 1):
        proc = perfpages("generate", site, env)
        procs.append(proc)
        print(
            f"[{size}] generator stage alone, run {run}: {generator_time(proc):.1f} s", flush=True
        )
    return {
        "size": size,
        "runs": runs,
        "generator": statistics.median(generator_time(p) for p in procs),
        "check": statistics.median(p.stages.get("Checking files", 0.0) for p in procs),
        "write": statistics.median(p.stages.get("Writing pages", 0.0) for p in procs),
        "wall": statistics.median(p.wall for p in procs),
        "cpu": statistics.median(p.cpu for p in procs),
        "load": statistics.median(p.load for p in procs),
        "rss": max(p.rss for p in procs),
        "workers_rss": max(p.workers_rss for p in procs),
        "pss": max(p.pss for p in procs),
    }


def mib(n: float) -> str:
    return f"{n / MIB:,.0f}"


def table(results: list[SizeResult]) -> str:
    """The main table: perfpages against the bare site, and the two ratios."""
    head = (
        "| indicators | perfpages wall s (generator + MkDocs) | bare wall s | time ratio "
        "| CPU s perfpages / bare (ratio) | output MB perfpages / bare | files perfpages / bare "
        "| bytes ratio | peak MiB perfpages / bare | load |\n"
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n"
    )
    rows = [
        f"| {r.size:,} | {r.total:.1f} ({r.generator:.1f} + {r.mkdocs_stage:.1f}) "
        f"| {r.baseline:.1f} | **{r.ratio:.2f}** "
        f"| {r.cpu:.1f} / {r.baseline_cpu:.1f} ({r.cpu / r.baseline_cpu:.2f}) "
        f"| {r.output_bytes / 1e6:,.1f} / {r.baseline_bytes / 1e6:,.1f} "
        f"| {r.output_files:,} / {r.baseline_files:,} | **{r.bytes_ratio:.2f}** "
        f"| {mib(r.pss)} / {mib(r.baseline_pss)} | {r.load:.1f} |"
        for r in results
    ]
    return head + "\n".join(rows) + "\n"


def growth_table(results: list[SizeResult]) -> str:
    """Time and bytes per indicator at each size, and each as a share of the first size's
    (linear growth keeps them near 100%)."""
    head = (
        "| indicators | perfpages ms per indicator | vs first | perfpages KB per indicator "
        "| vs first | bare ms per indicator | bare KB per indicator |\n"
        "|---:|---:|---:|---:|---:|---:|---:|\n"
    )
    ms = [r.total / r.size * 1e3 for r in results]
    kb = [r.output_bytes / r.size / 1e3 for r in results]
    rows = [
        f"| {r.size:,} | {ms[i]:.1f} | {ms[i] / ms[0]:.0%} | {kb[i]:.1f} | {kb[i] / kb[0]:.0%} "
        f"| {r.baseline / r.size * 1e3:.1f} | {r.baseline_bytes / r.size / 1e3:.1f} |"
        for i, r in enumerate(results)
    ]
    return head + "\n".join(rows) + "\n"


def kinds_table(results: list[SizeResult]) -> str:
    """perfpages' output by kind of file: MB (files, largest file) at each size."""
    kinds = [k for k, _ in KINDS if any(k in r.kinds for r in results)]
    head = "| kind of file | " + " | ".join(f"{r.size:,} indicators" for r in results) + " |\n"
    head += "|---|" + "---:|" * len(results) + "\n"
    rows = []
    for kind in kinds:
        cells = []
        for r in results:
            e = r.kinds.get(kind)
            share = e["bytes"] / r.output_bytes * 100 if e else 0
            cells.append(
                f"{e['bytes'] / 1e6:,.1f} MB, {share:.0f}% ({e['files']:,}; largest "
                f"{e['largest'] / 1e3:,.0f} KB)"
                if e
                else "-"
            )
        rows.append(f"| {kind} | " + " | ".join(cells) + " |")
    return head + "\n".join(rows) + "\n"


def pages_table(result: SizeResult) -> str:
    """What one page's bytes are, for the sample pages of one size."""
    columns = ["total", "theme around the content", "content", "tables", "inline SVG", "scripts"]
    head = "| page | " + " | ".join(f"{c} KB" for c in columns) + " |\n"
    head += "|---|" + "---:|" * len(columns) + "\n"
    rows = [
        f"| {label} | " + " | ".join(f"{parts[c] / 1e3:,.1f}" for c in columns) + " |"
        for label, parts in result.pages.items()
    ]
    return head + "\n".join(rows) + "\n"


def generate_table(results: list[dict[str, Any]]) -> str:
    head = (
        "| indicators | generator stage s (check + write) | process wall s | CPU s | load "
        "| peak MiB: together (main, worker) |\n|---:|---:|---:|---:|---:|---:|\n"
    )
    rows = [
        f"| {r['size']:,} | {r['generator']:.2f} ({r['check']:.2f} + {r['write']:.2f}) "
        f"| {r['wall']:.2f} | {r['cpu']:.1f} | {r['load']:.1f} "
        f"| {mib(r['pss'])} ({mib(r['rss'])}, {mib(r['workers_rss'])}) |"
        for r in results
    ]
    return head + "\n".join(rows) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100,1000", help="comma-separated indicator counts")
    parser.add_argument("--runs", type=int, default=3, help="runs per size (medians reported)")
    parser.add_argument(
        "--generate-only",
        default="",
        help="sizes for the generator stage alone, comma-separated (default: none)",
    )
    parser.add_argument("--out", type=Path, default=HERE / "out", help="work folder")
    parser.add_argument(
        "--report",
        nargs="+",
        type=Path,
        help="print the tables of earlier runs' results-*.json together (each size from the "
        "last file that has it) instead of measuring",
    )
    args = parser.parse_args()
    out = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    if args.report:
        earlier = {}
        for path in args.report:
            for r in json.loads(path.read_text(encoding="utf-8"))["sizes"]:
                earlier[r["size"]] = SizeResult(**r)
        print_tables([earlier[size] for size in sorted(earlier)], [], "the runs in each file")
        return
    sizes = [int(s) for s in args.sizes.split(",") if s]
    generate_sizes = [int(s) for s in args.generate_only.split(",") if s]
    results = [measure_size(size, args.runs, out) for size in sizes]
    generated = [measure_generate(size, args.runs, out) for size in generate_sizes]
    print_tables(results, generated, f"{args.runs} runs")
    record = {
        "when": time.strftime("%Y-%m-%d %H:%M:%S"),
        "command": " ".join(sys.argv),
        "cpus": os.cpu_count(),
        "sizes": [asdict(r) for r in results],
        "generate_only": generated,
    }
    (out / f"results-{time.strftime('%Y%m%d-%H%M%S')}.json").write_text(
        json.dumps(record, indent=1), encoding="utf-8"
    )


def print_tables(results: list[SizeResult], generated: list[dict[str, Any]], runs: str) -> None:
    """Every table, for ``results`` measured as medians of ``runs``."""
    print()
    print(
        f"perfpages build vs a bare Material site of the same indicators, medians of "
        f"{runs}, {os.cpu_count()} CPUs\n"
    )
    print(table(results))
    print("Growth: per indicator\n")
    print(growth_table(results))
    print("perfpages' output by kind of file\n")
    print(kinds_table(results))
    for r in results:
        print(f"What a page's bytes are, {r.size:,} indicators\n")
        print(pages_table(r))
    for r in results:
        s = r.search
        print(
            f"{r.size:,}: indicator page median {r.page_median / 1e3:.1f} KB, largest "
            f"{r.page_max / 1e3:.1f} KB; search index {s['bytes']:,} B "
            f"({s['per_indicator_median'] / 1e3:.2f} KB per indicator); chart JSON indexed: "
            f"{'yes' if s['chart_json_indexed'] else 'no'}; values tables indexed: "
            f"{'yes' if s['value_tables_indexed'] else 'no'}"
        )
    if generated:
        print("\nThe generator stage alone (generator.pipeline.generate)\n")
        print(generate_table(generated))


if __name__ == "__main__":
    main()
