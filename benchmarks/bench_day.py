"""Benchmark: the examples' option 1 walked through its design day (``configurator simulate
day``, #25); and the single-counter reference over many days.

For each example: the design day's seeded arrivals (opening hours, visits as sized), every
visitor walking their persona's path on the drawn plan by JuPedSim (0.05 s steps while anyone
walks), PedPy's densities. Prints a Markdown table: visitors, who left, stuck walks, the
spaces over capacity, the longest counter wait, and the seconds the run took (one core; the
target for Pori is 60 s). ``--erlang N`` also runs N 20-hour days of one counter at ρ = 0.5
and prints the mean wait with its 95 % interval against M/M/1's 300 s.

    python -m benchmarks.bench_day [--examples pori small_town large_city] [--erlang 40]
"""

from __future__ import annotations

import argparse
import math
import time
from pathlib import Path

import numpy as np

from configurator.inputs.catalog import load_case
from configurator.review.options import options_from_case
from configurator.simulation import walkable_floor
from configurator.simulation.day import simulate_day
from configurator.simulation.day_model import plan_day

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def examples(names: list[str], visits: float) -> None:
    """Walk each example's best option through its design day and print the table."""
    print("| example | visitors | left | stuck | over capacity | longest counter wait | run |")
    print("|---|---|---|---|---|---|---|")
    for name in names:
        case = load_case(EXAMPLES / f"{name}.yaml")
        plan = options_from_case(case, options=case.scenario.layout.options)[0].plan
        start = time.perf_counter()
        floor = walkable_floor(plan, catalog=case.catalog, rules=case.scenario.rules,
                               footprint=case.scenario.footprint)  # fmt: skip
        result = simulate_day(floor, plan_day(case, plan, floor, seed=0, visits_scale=visits),
                              seed=0)  # fmt: skip
        seconds = time.perf_counter() - start
        over = ", ".join(f"{s.space} {s.peak}/{s.capacity}" for s in result.over()) or "none"
        wait = max((s.max_wait_s for s in result.services if s.kind == "counter"), default=0.0)
        print(f"| {name} | {result.visitors} | {result.left} | {result.stuck} | {over} | "
              f"{wait:.0f} s | **{seconds:.0f} s** |")  # fmt: skip


def erlang(days: int) -> None:
    """Run ``days`` 20-hour single-counter days and compare the mean wait with M/M/1."""
    from tests.simulation.test_day import one_counter_day, open_floor

    waits = []
    for seed in range(days):
        result = simulate_day(open_floor(), one_counter_day(6.0, 5.0, 20.0, seed), seed=seed)
        waits.append(result.services[0].mean_wait_s)
    mean = float(np.mean(waits))
    half = 1.96 * float(np.std(waits, ddof=1)) / math.sqrt(days)
    print(f"one counter, {days} days: mean wait {mean:.0f} ± {half:.0f} s (M/M/1: 300 s)")


def main() -> None:
    """Parse the arguments and run."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--examples", nargs="*", default=["small_town", "pori", "large_city"])
    parser.add_argument("--visits", type=float, default=1.0)
    parser.add_argument("--erlang", type=int, default=0)
    args = parser.parse_args()
    if args.examples:
        examples(args.examples, args.visits)
    if args.erlang:
        erlang(args.erlang)


if __name__ == "__main__":
    main()
