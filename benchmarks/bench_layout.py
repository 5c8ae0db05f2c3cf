"""Benchmark: lay out the examples' floor-plan options (target: Pori under 2 s per option)."""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from configurator.catalog import load_case
from configurator.layout import STRATEGIES, LayoutError, plan_from_program, plans_from_case
from configurator.program import program_from_case

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def time_strategies(name: str, repeats: int) -> list[str]:
    """Return one Markdown row per strategy: median seconds for one option, or why it fails."""
    case = load_case(EXAMPLES / f"{name}.yaml")
    program = program_from_case(case)
    rows = []
    for strategy in STRATEGIES:
        times: list[float] = []
        outcome = "ok"
        for seed in range(repeats):
            start = time.perf_counter()
            try:
                plan_from_program(
                    program, case=case, strategy=strategy, seed=case.scenario.seed + seed
                )
            except LayoutError as exc:
                outcome = f"does not fit: {exc}"[:70]
            times.append(time.perf_counter() - start)
        rows.append(f"| {name} | {strategy} | {statistics.median(times):.2f} s | {outcome} |")
    return rows


def time_options(name: str) -> str:
    """Return a Markdown row: the whole ranked option set and the time per option."""
    case = load_case(EXAMPLES / f"{name}.yaml")
    start = time.perf_counter()
    plans = plans_from_case(case)
    total = time.perf_counter() - start
    strategies = ", ".join(p.strategy for p in plans)
    return f"| {name} | {len(plans)} ({strategies}) | {total:.1f} s | {total / len(plans):.1f} s |"


def main() -> None:
    """Print both tables."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    names = ["pori", "small_town", "large_city"]
    print("| example | strategy | one option (median) | outcome |\n|---|---|---|---|")
    for name in names:
        print("\n".join(time_strategies(name, args.repeats)))
    print("\n| example | options | all options, ranked | per option |\n|---|---|---|---|")
    for name in names:
        print(time_options(name))


if __name__ == "__main__":
    main()
