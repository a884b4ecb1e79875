"""Benchmark perfpages against a bare MkDocs build of the same pages.

    python benchmarks/run.py --sizes 100,1000,5000,10000 --runs 3

For each size N: write a synthetic site of N indicators (benchmarks/synthetic.py) into
benchmarks/out/site-N; then, for each run, build it from clean with perfpages, and build the
Markdown perfpages wrote (build/docs) with a bare ``python -m mkdocs build`` using the same
generated mkdocs.yml (Material, the same custom_dir, features, navigation and plugins): the
baseline. Every build runs in a process of its own, so times include Python's start-up and
imports, and peak memory is that process's own (plus its workers'). Figures are medians over
the runs. Finally the generator stage alone (``generator.pipeline.generate``) runs on the sizes
given by --generate-only (default 10000).

The results are printed as Markdown tables and saved in benchmarks/out/results.json.
"""

from __future__ import annotations

import argparse
import json
import os
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

import synthetic  # noqa: E402
import yaml  # noqa: E402

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


def baseline_config(site: Path) -> Path:
    """The mkdocs.yml perfpages generated, with absolute folders and its own output."""
    work = site / "build"
    config = yaml.safe_load((work / "mkdocs.yml").read_text(encoding="utf-8"))
    config["docs_dir"] = str(work / "docs")
    config["theme"]["custom_dir"] = str(work / "theme")
    config["site_dir"] = str(site.parent / f"{site.name}-baseline")
    path = site.parent / f"{site.name}-baseline.yml"
    path.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def bare_mkdocs(site: Path, env: dict[str, str]) -> Process:
    config = baseline_config(site)
    shutil.rmtree(site.parent / f"{site.name}-baseline", ignore_errors=True)
    cmd = [sys.executable, "-m", "mkdocs", "build", "--quiet", "--config-file", str(config)]
    proc, _ = run_measured(cmd, env, site.parent / f"{site.name}-baseline.log")
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
    ratio: float
    cpu: float
    baseline_cpu: float
    load: float
    rss: int
    workers_rss: int
    pss: int
    baseline_rss: int
    output_bytes: int
    output_files: int
    baseline_bytes: int
    page_median: float
    page_max: int
    search: dict[str, Any]
    raw: dict[str, Any]


def measure_size(size: int, runs: int, out: Path) -> SizeResult:
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
    baseline_bytes, _ = tree_size(out / f"site-{size}-baseline")
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
        output_bytes=output_bytes,
        output_files=output_files,
        baseline_bytes=baseline_bytes,
        page_median=med(pages),
        page_max=max(pages),
        search=search_figures(site, size),
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
    head = (
        "| indicators | generator s | MkDocs stage s | perfpages total s | bare MkDocs s "
        "| ratio | CPU s perfpages / bare | load | peak MiB perfpages: together (main, worker) "
        "| peak MiB bare MkDocs | output MB (files) "
        "| indicator page KB (median / max) | search index MB | search KB per indicator |\n"
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n"
    )
    rows = [
        f"| {r.size:,} | {r.generator:.2f} | {r.mkdocs_stage:.2f} | {r.total:.2f} "
        f"| {r.baseline:.2f} | {r.ratio:.2f} | {r.cpu:.1f} / {r.baseline_cpu:.1f} | {r.load:.1f} "
        f"| {mib(r.pss)} ({mib(r.rss)}, {mib(r.workers_rss)}) "
        f"| {mib(r.baseline_rss)} | {r.output_bytes / 1e6:,.1f} ({r.output_files:,}) "
        f"| {r.page_median / 1000:.1f} / {r.page_max / 1000:.1f} "
        f"| {r.search['bytes'] / 1e6:.2f} | {r.search['per_indicator_median'] / 1000:.2f} |"
        for r in results
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
        default="10000",
        help="sizes for the generator stage alone, comma-separated ('' for none)",
    )
    parser.add_argument("--out", type=Path, default=HERE / "out", help="work folder")
    args = parser.parse_args()
    out = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    sizes = [int(s) for s in args.sizes.split(",") if s]
    generate_sizes = [int(s) for s in args.generate_only.split(",") if s]
    results = [measure_size(size, args.runs, out) for size in sizes]
    generated = [measure_generate(size, args.runs, out) for size in generate_sizes]
    print()
    print(f"perfpages build vs bare MkDocs, medians of {args.runs} runs, {os.cpu_count()} CPUs\n")
    print(table(results))
    for r in results:
        s = r.search
        print(
            f"{r.size:,}: search index {s['bytes']:,} B; chart JSON indexed: "
            f"{'yes' if s['chart_json_indexed'] else 'no'}; values tables indexed: "
            f"{'yes' if s['value_tables_indexed'] else 'no'}; bare MkDocs output "
            f"{r.baseline_bytes / 1e6:,.1f} MB"
        )
    if generated:
        print("\nThe generator stage alone (generator.pipeline.generate)\n")
        print(generate_table(generated))
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


if __name__ == "__main__":
    main()
