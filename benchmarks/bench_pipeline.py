"""Benchmark the pipeline, side by side in one run, on this machine.

(a) cold run of the whole pipeline (empty output folders), kernels forked (the fast launch);
(a') the same with the stock kernel launch (`--stock-kernels`);
(b) rerun with nothing changed;
(c) rerun after one raw date changes;
(d) the plain baseline: `jupyter nbconvert --to notebook --execute` on every notebook, in order;
(e) the floor: start and stop one bare kernel per notebook, with nothing to run;
(f) cold run for the other focal state (`--focal KOR`: the ROK's list, from the same pipeline);
plus the steps' own work: each notebook's code run in one plain Python process, no kernel.

Every scenario writes to temporary folders (the notebooks get their output folders through their
parameters), so the project's own outputs are left alone. Prints medians over --repeat runs and
the ratios between them.

    python benchmarks/bench_pipeline.py [--repeat 5]
"""
from __future__ import annotations

import argparse
import csv
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from dprk_relations.core import paths
from dprk_relations.runner.pipeline import STEPS

PY = sys.executable
BIN = Path(PY).parent


def timed(cmd: list[str], **kw) -> float:
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kw)
    return time.perf_counter() - t0


def pipeline_cmd(raw: Path, out: Path, *extra: str) -> list[str]:
    return [PY, "-m", "dprk_relations.runner.pipeline", "--raw-dir", str(raw),
            "--processed-dir", str(out / "processed"), "--reports-dir", str(out / "reports"), *extra]


def _rewrite(path: Path, edit) -> None:
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    for row in rows:
        edit(row)
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, list(rows[0].keys()), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def toggle_cuba_date(raw: Path) -> None:
    """Move Cuba's establishment by a day, with the sources that date it to the day (the date rule holds)."""
    swap = {"1960-08-29": "1960-08-30", "1960-08-30": "1960-08-29"}

    def event(row):
        if row["event_id"] == "CUB-established-1":
            row["date"] = swap.get(row["date"], row["date"])

    def source(row):
        if row["event_id"] == "CUB-established-1" and row["reading"] in ("chosen", "agrees") and row["precision_given"] == "day":
            row["date_given"] = swap.get(row["date_given"], row["date_given"])

    _rewrite(raw / "events.csv", event)
    _rewrite(raw / "sources.csv", source)


def parameterised_copies(raw: Path, out: Path, folder: Path) -> list[Path]:
    """The notebooks with their parameters cell pointing at temporary folders (nbconvert takes no parameters)."""
    folder.mkdir(parents=True, exist_ok=True)
    copies = []
    for step in STEPS_IN_ORDER:
        nb = json.loads((paths.NOTEBOOKS / step.notebook).read_text(encoding="utf-8"))
        for cell in nb["cells"]:
            if "parameters" in cell.get("metadata", {}).get("tags", []):
                src = "".join(cell["source"])
                src = src.replace('raw_dir = "data/raw"', f'raw_dir = "{raw}"')
                src = src.replace('processed_dir = "auto"', f'processed_dir = "{out / "processed"}"')
                src = src.replace('reports_dir = "auto"', f'reports_dir = "{out / "reports"}"')
                cell["source"] = src
            if cell["cell_type"] == "code":
                cell["outputs"], cell["execution_count"] = [], None
        path = folder / step.notebook
        path.write_text(json.dumps(nb), encoding="utf-8")
        copies.append(path)
    return copies


STEPS_IN_ORDER = sorted((s for s in STEPS if s.notebook), key=lambda s: s.name)  # the report step runs no notebook

FLOOR = """
import sys
from jupyter_client.manager import start_new_kernel
for _ in range(int(sys.argv[1])):
    km, kc = start_new_kernel(kernel_name="python3")
    kc.stop_channels()
    km.shutdown_kernel(now=False)
"""

WORK = """
import json, sys
for path in sys.argv[1:]:
    nb = json.load(open(path))
    ns = {"get_ipython": lambda: None, "display": lambda *objects: None}  # what IPython provides a notebook
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            exec(compile("".join(cell["source"]), path, "exec"), ns)
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs per scenario (medians are reported)")
    args = parser.parse_args()
    n = len(STEPS_IN_ORDER)
    results: dict[str, list[float]] = {k: [] for k in ("a_cold", "a_stock", "b_noop", "c_one_date", "d_nbconvert", "e_floor", "work",
                                                       "f_rok")}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        raw = tmp / "raw"
        shutil.copytree(paths.DATA_RAW, raw)
        for i in range(args.repeat):
            print(f"round {i + 1}/{args.repeat} ...", flush=True)
            out = tmp / f"cold{i}"
            results["a_cold"].append(timed(pipeline_cmd(raw, out)))
            results["a_stock"].append(timed(pipeline_cmd(raw, tmp / f"stock{i}", "--stock-kernels")))
            results["f_rok"].append(timed(pipeline_cmd(raw, tmp / f"rok{i}", "--focal", "KOR")))
            results["b_noop"].append(timed(pipeline_cmd(raw, out)))
            toggle_cuba_date(raw)
            results["c_one_date"].append(timed(pipeline_cmd(raw, out)))
            base_out = tmp / f"base{i}"
            copies = parameterised_copies(raw, base_out, tmp / f"nb{i}")
            t0 = time.perf_counter()
            for nb in copies:
                subprocess.run([str(BIN / "jupyter"), "nbconvert", "--to", "notebook", "--execute", str(nb),
                                "--output-dir", str(base_out / "executed")], check=True,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=paths.ROOT)
            results["d_nbconvert"].append(time.perf_counter() - t0)
            results["e_floor"].append(timed([PY, "-c", FLOOR, str(n)]))
            work_out = tmp / f"work{i}"
            results["work"].append(timed([PY, "-c", WORK] + [str(p) for p in parameterised_copies(raw, work_out, tmp / f"w{i}")],
                                         cwd=paths.ROOT))
    med = {k: statistics.median(v) for k, v in results.items()}
    print(f"\nmedians over {args.repeat} runs, {n} notebooks, on {subprocess.check_output(['nproc']).decode().strip()} cores")
    labels = {"a_cold": "(a) cold run, whole pipeline (fast launch)", "a_stock": "(a') cold run, stock kernel launch", "b_noop": "(b) rerun, nothing changed",
              "c_one_date": "(c) rerun after one raw date changes", "d_nbconvert": "(d) baseline: nbconvert --execute, in order",
              "e_floor": "(e) floor: one bare kernel per notebook", "work": "    steps' own work, no kernel (one process)",
              "f_rok": "(f) cold run, focal KOR (the ROK's list)"}
    for key, label in labels.items():
        print(f"  {label:<48} {med[key]:7.2f} s   (runs: {', '.join(f'{x:.2f}' for x in results[key])})")
    print("\nratios")
    print(f"  baseline / no-op rerun          {med['d_nbconvert'] / med['b_noop']:7.1f}x   (target: at least 20x)")
    print(f"  baseline / cold run             {med['d_nbconvert'] / med['a_cold']:7.2f}x")
    print(f"  cold run / baseline             {med['a_cold'] / med['d_nbconvert']:7.2f}    (target: at most 0.5)")
    print(f"  stock cold run / baseline       {med['a_stock'] / med['d_nbconvert']:7.2f}    (target: at most 0.65)")
    print(f"  no-op rerun                     {med['b_noop']:7.2f} s  (target: under 0.3 s)")
    print(f"  baseline / one-date rerun       {med['d_nbconvert'] / med['c_one_date']:7.2f}x")
    print(f"  cold / (floor + work)           {med['a_cold'] / (med['e_floor'] + med['work']):7.2f}    (target: at most 1.5)")
    print(f"  ROK cold run / DPRK cold run    {med['f_rok'] / med['a_cold']:7.2f}    (target: at most 1)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
