"""What the plugin costs over plain MkDocs, and how soon an edit shows: `make bench`.

For each size N it writes N synthetic partnerships (synthetic.py), builds
variant B (the plugin, from YAML) and variant A (the same pages written out
as Markdown, plain MkDocs) and proves they publish the same pages
(variants.py). Then it times `mkdocs build --strict` of A and B in
alternation, each in its own process (wall time, and peak memory from the
process's rusage), and reports medians. It also times `msp-handbook
validate`, and, at the largest N, how long a saved log entry takes to show
on its page while `mkdocs serve` runs.

Timing lives here and nowhere else: the tests only check that the generator
and the equivalence proof still work. The last line printed is one JSON
object with every figure (null where a figure needs a size not run).
"""

from __future__ import annotations

import argparse
import compileall
import importlib.util
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from importlib.metadata import version
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests"))

from serving import mkdocs_serve  # noqa: E402

BIN = Path(sys.executable).parent
SIZES = (10, 100, 500)
# How long the slowest step may take before the benchmark gives up on it.
SERVE_START_LIMIT_S = 1800
EDIT_LIMIT_S = 600
PARTNERS_ONLY = re.compile(r"^visibility:\s*partners\s*$", re.M)


def prepare(workdir: Path, size: int) -> tuple[Path, Path]:
    """Both variants for `size` partnerships, proven equivalent (variants.py), in a process of its own."""
    subprocess.run([sys.executable, str(Path(__file__).with_name("variants.py")), str(REPO), str(workdir), str(size)],
                   check=True)
    return workdir / f"a{size}", workdir / f"b{size}"


def run_timed(command: list[str], cwd: Path) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds and peak resident memory (MB) of one command in its own process.

    CPU time (user + system) is what the build itself costs; on a shared
    machine wall time also counts the time spent waiting for a core.
    """
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    with tempfile.TemporaryFile() as output:
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, stdout=output, stderr=output, env=env)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            output.seek(0)
            raise RuntimeError(f"{' '.join(command)} failed in {cwd}:\n{output.read().decode()[-3000:]}")
    # ru_maxrss is in KiB on Linux; this process is kept small (see prepare),
    # since a child's figure is at least its parent's size at fork.
    return seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def mkdocs_build(project: Path) -> list[str]:
    return [str(BIN / "mkdocs"), "build", "--strict", "--quiet", "--site-dir", str(project / "site")]


def time_builds(project_a: Path, project_b: Path, runs: int) -> dict[str, dict]:
    """Median wall and CPU seconds and peak MB of each variant, built in alternation."""
    samples: dict[str, list[tuple[float, float, float]]] = {"A": [], "B": []}
    for _ in range(runs):
        for name, project in (("A", project_a), ("B", project_b)):
            samples[name].append(run_timed(mkdocs_build(project), project))
    return {name: {"seconds": statistics.median(s[0] for s in taken),
                   "cpu": statistics.median(s[1] for s in taken),
                   "peak_mb": statistics.median(s[2] for s in taken),
                   "all": [round(s[0], 2) for s in taken]}
            for name, taken in samples.items()}


def time_validate(project: Path, runs: int) -> tuple[float, float]:
    """Median wall and CPU seconds of `msp-handbook validate --strict`."""
    command = [str(BIN / "msp-handbook"), "validate", "--strict"]
    taken = [run_timed(command, project) for _ in range(runs)]
    return statistics.median(t[0] for t in taken), statistics.median(t[1] for t in taken)


def cpu_seconds(pid: int) -> float | None:
    """CPU time a running process has used so far (Linux), to tell its work from waiting for a core."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def public_entry(project: Path, slug: str) -> Path:
    """The newest log entry of `slug` that its public log page shows (partners-only entries are left out)."""
    entries = sorted((project / "partnerships" / slug / "log").glob("*.md"))
    return [entry for entry in entries if not PARTNERS_ONLY.search(entry.read_text(encoding="utf-8"))][-1]


def edit_to_page(project: Path, slug: str, preview: bool, edits: int = 3) -> tuple[float, float | None, bool]:
    """Median seconds from saving a log entry to its page showing the new text, under `mkdocs serve`.

    With `preview`, as `make serve PARTNERSHIP=slug` serves: that partnership
    with the guide and practices. Also whether the served search index held
    every edit (it must). The middle figure is the CPU time serve spent on
    an edit (median), None where it cannot be read.
    """
    page = f"partnerships/{slug}/log/"
    entry = public_entry(project, slug)
    with mkdocs_serve(project, partnership=slug if preview else None, start_limit_s=SERVE_START_LIMIT_S) as served:
        times, cpu, indexed = [], [], True
        for number in range(edits):
            marker = f"Benchmark edit {number} {time.time_ns()}"
            cpu_before = cpu_seconds(served.process.pid)
            start = time.perf_counter()
            with entry.open("a", encoding="utf-8") as text:
                text.write(f"\n{marker}\n")
            served.page_showing(page, marker, EDIT_LIMIT_S)
            times.append(time.perf_counter() - start)
            cpu_after = cpu_seconds(served.process.pid)
            if cpu_before is not None and cpu_after is not None:
                cpu.append(cpu_after - cpu_before)
            indexed &= marker in (served.get("search/search_index.json") or "")
            if times[-1] > 10:
                break  # one slow edit says enough; the rest would take minutes
    return statistics.median(times), statistics.median(cpu) if cpu else None, indexed


def compile_plugin() -> Path:
    """Byte-compiles the plugin's modules, as a regular install or any first run does; their folder.

    An editable install ships none, and with PYTHONDONTWRITEBYTECODE set (as
    on some shared machines) Python never writes them: every build would
    compile the plugin's seventy-odd modules from source again, about 55 ms
    that no user pays after the first run and that plain MkDocs, installed
    compiled, never pays. Found without importing it: this process stays small.
    """
    spec = importlib.util.find_spec("msp_handbook")
    assert spec is not None and spec.submodule_search_locations
    folder = Path(list(spec.submodule_search_locations)[0])
    compileall.compile_dir(folder, quiet=1)
    return folder


def machine() -> dict[str, object]:
    return {"cores": os.cpu_count(), "python": platform.python_version(), "mkdocs": version("mkdocs"),
            "material": version("mkdocs-material"), "platform": platform.platform(),
            "load_average_at_start": [round(load, 2) for load in os.getloadavg()]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)), help="numbers of partnerships, e.g. 10,100,500")
    parser.add_argument("--runs", type=int, default=3, help="timed builds of each variant per size")
    parser.add_argument("--no-serve", action="store_true", help="skip the edit-during-serve measurements")
    parser.add_argument("--no-full-serve", action="store_true",
                        help="measure edits only in the one-partnership preview, not with every partnership built")
    options = parser.parse_args()
    sizes = sorted(int(size) for size in options.sizes.split(","))
    about = machine()
    print(f"Byte-compiled the plugin in {compile_plugin()}", flush=True)
    results: dict[int, dict] = {}
    with tempfile.TemporaryDirectory(prefix="msp-bench-") as scratch:
        for size in sizes:
            project_a, project_b = prepare(Path(scratch) / f"n{size}", size)
            print(f"N={size}: A and B publish the same pages", flush=True)
            timing = time_builds(project_a, project_b, options.runs)
            validate_s, validate_cpu = time_validate(project_b, options.runs)
            results[size] = {**timing, "validate_s": validate_s, "validate_cpu": validate_cpu}
            a, b = timing["A"], timing["B"]
            print(f"N={size}: wall A {a['seconds']:.2f} s {a['all']}, B {b['seconds']:.2f} s {b['all']}, "
                  f"B/A {b['seconds'] / a['seconds']:.3f}; CPU A {a['cpu']:.2f} s, B {b['cpu']:.2f} s, "
                  f"B/A {b['cpu'] / a['cpu']:.3f}; peak A {a['peak_mb']:.0f} MB, B {b['peak_mb']:.0f} MB; "
                  f"validate {validate_s:.2f} s wall, {validate_cpu:.2f} s CPU "
                  f"({validate_cpu / size * 1000:.1f} ms CPU per partnership)", flush=True)
        largest = sizes[-1]
        edit_s = edit_cpu = indexed = full_edit_s = None
        if not options.no_serve:
            project = Path(scratch) / f"n{largest}" / f"b{largest}"
            slug = sorted(folder.name for folder in (project / "partnerships").iterdir())[-1]
            if "preview_partnership" not in (project / "mkdocs.yml").read_text(encoding="utf-8"):
                raise SystemExit("mkdocs.yml has no preview_partnership option: run with --no-serve")
            edit_s, edit_cpu, indexed = edit_to_page(project, slug, preview=True)
            print(f"N={largest}: a saved log entry showed on its page after {edit_s:.2f} s ({edit_cpu} s CPU) under "
                  f"`make serve PARTNERSHIP={slug}`; search index {'has' if indexed else 'MISSES'} the edit", flush=True)
            if not options.no_full_serve:
                full_edit_s, _, full_indexed = edit_to_page(project, slug, preview=False)
                indexed = indexed and full_indexed
                print(f"N={largest}: ... and after {full_edit_s:.2f} s under `make serve` (every partnership); "
                      f"search index {'has' if full_indexed else 'MISSES'} the edit", flush=True)
    about["load_average_at_end"] = [round(load, 2) for load in os.getloadavg()]
    def ratios(measure: str) -> dict[str, float]:
        return {str(n): round(r["B"][measure] / r["A"][measure], 3) for n, r in results.items()}

    def scaling(measure: str) -> float | None:
        if 500 not in results or 100 not in results:
            return None
        return round(results[500]["B"][measure] / results[100]["B"][measure], 2)

    summary = {
        "ratio_b_over_a": ratios("seconds"),
        "scaling_500_over_100": scaling("seconds"),
        # The same from CPU time, which waiting for a busy machine does not inflate.
        "ratio_b_over_a_cpu": ratios("cpu"),
        "scaling_500_over_100_cpu": scaling("cpu"),
        # At the largest size run (500 in a full run).
        "extra_peak_mb": round(results[largest]["B"]["peak_mb"] - results[largest]["A"]["peak_mb"], 1),
        "validate_ms_per_partnership": round(results[largest]["validate_s"] / largest * 1000, 2),
        "validate_cpu_ms_per_partnership": round(results[largest]["validate_cpu"] / largest * 1000, 2),
        # `make serve PARTNERSHIP=slug`, the preview for editing one partnership.
        "edit_to_page_s": round(edit_s, 2) if edit_s is not None else None,
        "edit_to_page_cpu_s": round(edit_cpu, 2) if edit_cpu is not None else None,
        # `make serve` with every partnership: MkDocs rebuilds every page.
        "edit_to_page_full_serve_s": round(full_edit_s, 2) if full_edit_s is not None else None,
        "search_index_has_edit": indexed,
        "largest_n": largest,
        "machine": about,
    }
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
