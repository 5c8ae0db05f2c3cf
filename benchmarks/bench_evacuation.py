"""Benchmark: the examples' option 1 evacuated (``configurator simulate evacuation``, #25).

For each example: the walkable floor built from the plan, the building rules' occupant load
placed and walked out through the real exits by JuPedSim (0.01 s steps, pre-movement 30-60 s),
the trajectories read back by PedPy. Prints a Markdown table: people, the times until half,
nine in ten and all are out, the hand calculation, and the seconds the run took (one core).

    python -m benchmarks.bench_evacuation [--examples pori small_town large_city]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from configurator.inputs.catalog import load_case
from configurator.review.options import options_from_case
from configurator.simulation import walkable_floor
from configurator.simulation.evacuation import EvacuationSettings, simulate_evacuation

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def main() -> None:
    """Evacuate each example's best option once and print the table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--examples", nargs="+", default=["small_town", "pori", "large_city"])
    args = parser.parse_args()
    print("| example | people | 50 % | 90 % | all | hand calculation | stuck | run |")
    print("|---|---|---|---|---|---|---|---|")
    for name in args.examples:
        case = load_case(EXAMPLES / f"{name}.yaml")
        plan = options_from_case(case, options=case.scenario.layout.options)[0].plan
        start = time.perf_counter()
        floor = walkable_floor(plan, catalog=case.catalog, rules=case.scenario.rules,
                               footprint=case.scenario.footprint)  # fmt: skip
        result = simulate_evacuation(floor, settings=EvacuationSettings())
        seconds = time.perf_counter() - start
        print(
            f"| {name} | {result.persons} | {result.t50_s} s | {result.t90_s} s | "
            f"{result.t100_s} s | {result.hand.total_s} s | {len(result.stuck)} | "
            f"**{seconds:.0f} s** |"
        )


if __name__ == "__main__":
    main()
