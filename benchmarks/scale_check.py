"""Scale check: the library's derivations on synthetic event lists up to 1,000 times the real one.

Each state of the real data is copied k times under new codes (same dates, regions, UN years), so
the event list grows k-fold with the real mix of event kinds and precisions. Each size runs in its
own process so that its peak memory (max RSS) is its own.

    python benchmarks/scale_check.py [--factors 1 10 100 1000]
"""
from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from datetime import date


def synthetic(factor: int):
    from dprk_relations.core import paths
    from dprk_relations.data import ingest

    import pandas as pd

    data = ingest.load(paths.DATA_RAW)

    def copies(frame, columns):
        parts = []
        for k in range(factor):
            part = frame.copy()
            if k:
                for col in columns:
                    part[col] = part[col].where(part[col] == "", part[col] + f"#{k}")
            parts.append(part)
        return pd.concat(parts, ignore_index=True)

    return (copies(data.events, ["iso3"]), copies(data.states, ["iso3"]),
            copies(data.successions, ["predecessor", "successor"]), copies(data.groups, ["iso3"]), data)


def measure(factor: int) -> dict:
    from dprk_relations.rules import relations
    from dprk_relations.analysis import claims, counts, waves

    as_of = date(2023, 10, 1)
    events, states, successions, groups, data = synthetic(factor)
    timings = {}
    t0 = time.perf_counter()
    spells = relations.build_spells(events, states, successions, as_of)
    timings["spells"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    yearly = counts.yearly_counts(events, spells, states, as_of, 1948)
    timings["yearly_counts"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    waves.flows_by(events, as_of, "m49_region")
    waves.establishments_by_decade(events, as_of)
    waves.periods_table(yearly, waves.detect_waves(yearly))
    timings["waves"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    ctx = claims.Context(events, spells, states, groups, data.memberships, as_of,
                         data.acts, data.mission_snapshots, data.missions)
    claims.evaluate(data.claims, ctx)
    timings["claims"] = time.perf_counter() - t0
    return {"factor": factor, "events": len(events), "states": len(states),
            "seconds": {k: round(v, 3) for k, v in timings.items()}, "total_seconds": round(sum(timings.values()), 3),
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--factors", type=int, nargs="+", default=[1, 10, 100, 1000])
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(args.one)))
        return 0
    rows = []
    for factor in args.factors:
        print(f"scale x{factor}: measuring in a fresh process ...", flush=True)
        out = subprocess.run([sys.executable, __file__, "--one", str(factor)], capture_output=True, text=True, check=True)
        rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
    print(f"\n{'factor':>7} {'events':>9} {'spells s':>9} {'yearly s':>9} {'waves s':>8} {'claims s':>9} {'total s':>8} {'peak MB':>8} {'s per 1k events':>16}")
    for r in rows:
        s = r["seconds"]
        print(f"{r['factor']:>7} {r['events']:>9} {s['spells']:>9.3f} {s['yearly_counts']:>9.3f} {s['waves']:>8.3f} "
              f"{s['claims']:>9.3f} {r['total_seconds']:>8.3f} {r['peak_rss_mb']:>8.1f} {1000 * r['total_seconds'] / r['events']:>16.4f}")
    if len(rows) > 1:
        a, b = rows[-2], rows[-1]
        growth = (b["total_seconds"] / a["total_seconds"]) / (b["events"] / a["events"])
        print(f"\ntime growth from x{a['factor']} to x{b['factor']}, relative to data growth: {growth:.2f} (1.00 = linear)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
