"""Kill rate of `mutmut run` per module, and the mutants that survived (run by `make mutation`).

Reads `mutmut results --all true` (one line per mutant: "module.x_function__mutmut_N: status") and
prints, per module, the mutants killed (the tests failed), survived, and not run (no test covers the
function, or a timeout), with the survivors listed for review. Exits 1 when a module's kill rate is
below the threshold, so the target stays visible.
"""
from __future__ import annotations

import argparse
import collections
import re
import subprocess
import sys
from pathlib import Path

# The target for the domain and validation modules.
THRESHOLD = 0.85
LINE = re.compile(r"^\s*(dprk_relations\.(\w+\.\w+)\.\S+): (\w[\w ]*)$")  # module named by layer: "core.dates"
KILLED = {"killed", "timeout"}  # a mutant that hangs the tests is caught too


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threshold", type=float, default=THRESHOLD)
    args = parser.parse_args(argv)
    mutmut = Path(sys.executable).parent / "mutmut"
    out = subprocess.run([str(mutmut), "results", "--all", "true"], capture_output=True, text=True, check=True).stdout
    status: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    survivors: dict[str, list[str]] = collections.defaultdict(list)
    for line in out.splitlines():
        match = LINE.match(line)
        if not match:
            continue
        mutant, module, state = match.groups()
        status[module][state] += 1
        if state == "survived":
            survivors[module].append(mutant)
    if not status:
        print("no mutation results: run `make mutation` (mutmut run) first", file=sys.stderr)
        return 2
    below = []
    print(f"{'module':<14} {'mutants':>7} {'killed':>7} {'survived':>8} {'other':>6} {'kill rate':>9}")
    for module in sorted(status):
        counts = status[module]
        total = sum(counts.values())
        killed = sum(counts[s] for s in KILLED)
        rate = killed / total
        other = total - killed - counts["survived"]
        print(f"{module:<14} {total:>7} {killed:>7} {counts['survived']:>8} {other:>6} {rate:>9.1%}")
        if rate < args.threshold:
            below.append(module)
    total = sum(sum(c.values()) for c in status.values())
    killed = sum(sum(c[s] for s in KILLED) for c in status.values())
    print(f"{'all':<14} {total:>7} {killed:>7} {'':>8} {'':>6} {killed / total:>9.1%}")
    print("\nsurvivors (review each: `mutmut show NAME`):")
    for module in sorted(survivors):
        for mutant in survivors[module]:
            print(f"  {mutant}")
    if below:
        print(f"\nbelow {args.threshold:.0%}: {', '.join(below)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
