"""Benchmark: how often random ordinary footprints get an option, and that every option holds up.

Footprints of the kinds in ``tests/footprints.py`` (rectangle, L, U, T, chamfered corner,
trapezoid; with a core, a courtyard, a column grid or a side entrance; half of them turned by a
random angle), sized to 1.6-2.6 × a programme's gross area, with the Pori and small-town
programmes in turn. For each: one option is asked for; it must pass the geometric audit
(checked again here, against the generated footprint); the rate of footprints that get one is
reported overall and by kind. Run by hand: ``python -m benchmarks.bench_layout_rate --cases
10000`` (two processes, about an hour on the reference machine).
"""

from __future__ import annotations

import argparse
import random
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from functools import cache
from pathlib import Path

from configurator.inputs.catalog import Case, load_case
from configurator.model.errors import LayoutError
from configurator.model.schema import Footprint
from configurator.review import options_from_case
from configurator.review.audit import audit_plan
from configurator.sizing.program import Program, program_from_case
from tests.footprints import footprint_case

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


@cache
def _programmes() -> list[tuple[Case, Program]]:
    cases = [load_case(EXAMPLES / f"{name}.yaml") for name in ("pori", "small_town")]
    return [(case, program_from_case(case)) for case in cases]


def run_case(index: int) -> tuple[str, str, str, bool, int, float]:
    """Lay out case ``index``; return (kind, extra, turned, got an option, audit problems, s)."""
    rng = random.Random(f"rate-{index}")
    case, program = _programmes()[index % 2]
    made = footprint_case(rng, gross_m2=program.totals.gross_m2)
    footprint = Footprint.model_validate(made.footprint)
    sized = case.model_copy(
        update={"scenario": case.scenario.model_copy(update={"footprint": footprint})}
    )
    start = time.perf_counter()
    try:
        options = options_from_case(sized, options=1, program=program)
    except LayoutError:
        return made.kind, made.extra, str(made.angle != 0.0), False, 0, time.perf_counter() - start
    seconds = time.perf_counter() - start
    problems = len(audit_plan(options[0].plan, footprint=footprint, layout=sized.scenario.layout))
    return made.kind, made.extra, str(made.angle != 0.0), True, problems, seconds


def main() -> None:
    """Run the cases on two processes and print the rates as Markdown."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    start = time.perf_counter()
    with ProcessPoolExecutor(max_workers=args.workers) as pool:
        results = list(pool.map(run_case, range(args.cases), chunksize=20))
    wall = time.perf_counter() - start
    ok = sum(1 for r in results if r[3])
    bad = sum(r[4] for r in results)
    times = sorted(r[5] for r in results)
    print(
        f"{args.cases} footprints: {ok} got an option ({ok / args.cases:.1%}); audit problems in "
        f"the options returned: {bad}; median {times[len(times) // 2]:.2f} s, "
        f"95th percentile {times[int(len(times) * 0.95)]:.2f} s; {wall / 60:.0f} min in all"
    )
    for label, position in (("kind", 0), ("extra", 1), ("turned", 2)):
        tried: Counter[str] = Counter(str(r[position]) for r in results)
        got: Counter[str] = Counter(str(r[position]) for r in results if r[3])
        print(f"\n| {label} | footprints | got an option |\n|---|---:|---:|")
        for key in sorted(tried):
            print(f"| {key} | {tried[key]} | {got[key] / tried[key]:.1%} |")


if __name__ == "__main__":
    main()
