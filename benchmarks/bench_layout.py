"""Benchmark: lay out the examples' ranked options (targets: Pori ≤ 0.5 s, large city ≤ 1.0 s
per option).

The machine's speed wanders by a third from minute to minute, so each figure is the best of
several runs (the run least disturbed by anything else); the median is printed beside it.
Every option reported passes the geometric audit (the layout drops any that does not).
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from configurator.inputs.catalog import load_case
from configurator.layout import STRATEGIES, plan_from_program
from configurator.model.errors import LayoutError
from configurator.review import options_from_case
from configurator.sizing.program import program_from_case

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
NAMES = ("pori", "small_town", "large_city")


def time_strategies(name: str, repeats: int) -> list[str]:
    """Return one Markdown row per strategy: best and median seconds for one plan, or why not."""
    case = load_case(EXAMPLES / f"{name}.yaml")
    program = program_from_case(case)
    rows = []
    for strategy in STRATEGIES:
        times: list[float] = []
        outcome = "ok"
        for _ in range(repeats):
            start = time.perf_counter()
            try:
                plan_from_program(program, case=case, strategy=strategy, seed=case.scenario.seed)
            except LayoutError as exc:
                outcome = f"does not fit: {exc}"[:80]
            times.append(time.perf_counter() - start)
        rows.append(
            f"| {name} | {strategy} | {min(times):.2f} s | {statistics.median(times):.2f} s "
            f"| {outcome} |"
        )
    return rows


def time_options(name: str, repeats: int) -> str:
    """Return a Markdown row: the whole audited, ranked option set and the time per option."""
    case = load_case(EXAMPLES / f"{name}.yaml")
    program = program_from_case(case)
    totals: list[float] = []
    strategies = ""
    count = 0
    for _ in range(repeats):
        start = time.perf_counter()
        options = options_from_case(case, program=program)
        totals.append(time.perf_counter() - start)
        count = len(options)
        strategies = ", ".join(o.plan.strategy for o in options)
    best = min(totals)
    return (
        f"| {name} | {count} of {case.scenario.layout.options} ({strategies}) | {best:.2f} s "
        f"| **{best / count:.2f} s** | {statistics.median(totals) / count:.2f} s |"
    )


def main() -> None:
    """Print both tables."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    options_from_case(load_case(EXAMPLES / "pori.yaml"), options=1)  # load compiled kernels
    print("| example | strategy | one plan (best) | (median) | outcome |\n|---|---|---|---|---|")
    for name in NAMES:
        print("\n".join(time_strategies(name, args.repeats)))
    print(
        "\n| example | options | all options (best) | per option (best) | per option (median) |"
        "\n|---|---|---|---|---|"
    )
    for name in NAMES:
        print(time_options(name, args.repeats))


if __name__ == "__main__":
    main()
