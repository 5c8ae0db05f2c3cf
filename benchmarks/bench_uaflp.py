"""Benchmark the block solver on the twelve classic UA-FLP instances.

Runs each instance at a fixed time limit, checks every result with the independent checker
and prints (and optionally writes) a Markdown table against the best verified value of the
shared data README: per instance, the smaller of the flexible-bay and slicing values for the
main constraint (AB20 at aspect <= 3 on the file's flows).

Usage::

    python -m benchmarks.bench_uaflp [--time-limit 60] [--only NAME ...] [--seed 0]
                                      [--data ../shared/data/uaflp] [--out table.md]

Exits 0 (after saying so) when the data folder is absent.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import sys
import time
from pathlib import Path

from configurator.blocks import check_solution, load_problem, solve_blocks

#: Best verified objective per instance (min of FBS and STS for the main constraint),
#: taken from the shared data README.
BEST_VERIFIED: dict[str, float] = {
    "O7": 134.190,
    "O8": 245.506,
    "O9": 241.062,
    "MB12": 123.667,
    "vC10Ra": 18522.790,
    "vC10Rs": 19973.665,
    "Ba12": 8067.000,
    "Ba14": 4576.716,
    "AB20": 5189.310,
    "SC30": 3431.078,
    "SC35": 3587.094,
    "Du62": 3605513.672,
}

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "uaflp"


def run(names: list[str], data: Path, time_limit: float, seed: int) -> list[str]:
    """Solve and check each instance; return the Markdown table lines."""
    lines = [
        "| instance | n | objective | best verified | ratio | time (s) | feasible |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for name in names:
        problem = load_problem(data / f"{name}.json")
        t0 = time.monotonic()
        solution = solve_blocks(problem, time_limit=time_limit, seed=seed)
        elapsed = time.monotonic() - t0
        report = check_solution(problem, solution)
        ok = report.feasible and report.objective_matches
        best = BEST_VERIFIED[name]
        line = (
            f"| {name} | {problem.n} | {report.objective:.3f} | {best:.3f} | "
            f"{report.objective / best:.4f} | {elapsed:.1f} | {'yes' if ok else 'NO'} |"
        )
        if not ok:
            line += " " + "; ".join(report.violations[:3])
        lines.append(line)
        print(line, flush=True)
    return lines


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, run the benchmark and print the table; return the exit code."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--time-limit", type=float, default=60.0, help="seconds per instance")
    ap.add_argument("--only", nargs="+", metavar="NAME", help="run only these instances")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help="instance folder")
    ap.add_argument("--out", type=Path, help="also write the Markdown table here")
    args = ap.parse_args(argv)
    if not args.data.is_dir():
        print(f"skipped: UA-FLP data folder {args.data} not found")
        return 0
    names = list(BEST_VERIFIED)
    if args.only:
        unknown = [n for n in args.only if n not in BEST_VERIFIED]
        if unknown:
            print(f"unknown instance(s): {', '.join(unknown)}", file=sys.stderr)
            return 2
        names = [n for n in names if n in args.only]
    header = (
        f"UA-FLP benchmark, {datetime.date.today().isoformat()}, time limit "
        f"{args.time_limit:g} s, seed {args.seed}, {os.cpu_count()} cores, "
        f"{platform.python_implementation()} {platform.python_version()}"
    )
    print(header, flush=True)
    lines = run(names, args.data, args.time_limit, args.seed)
    if args.out:
        args.out.write_text(header + "\n\n" + "\n".join(lines) + "\n", encoding="utf-8")
    failed = sum(1 for line in lines[2:] if "| NO |" in line)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
