"""Benchmark: how often random ordinary footprints get an option, and that every option holds up.

Footprints of the kinds in ``tests/footprints.py`` (rectangle, L, U, T, chamfered corner,
trapezoid; with a core, a courtyard, a column grid or a side entrance; half of them turned by a
random angle), sized to 1.6-2.6 × a programme's gross area, with the Pori and small-town
programmes in turn. For each: one option is asked for; it must pass the geometric audit
(checked again here, against the generated footprint); the rate of footprints that get one is
reported overall and by kind, with the floor the option leaves unassigned (measured here from
its geometry: the usable floor no space, hall or spare area covers). Run by hand:
``python -m benchmarks.bench_layout_rate --cases 10000`` (two processes, about an hour on the
reference machine).
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from functools import cache
from pathlib import Path

from shapely.ops import unary_union

from configurator.inputs.catalog import Case, load_case
from configurator.model.errors import LayoutError
from configurator.model.plan import Plan
from configurator.model.schema import Footprint
from configurator.review import options_from_case
from configurator.review.audit import audit_plan
from configurator.review.geometry import analysis_from_plan
from configurator.sizing.program import Program, program_from_case
from tests.footprints import footprint_case

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


@cache
def _programmes() -> list[tuple[Case, Program]]:
    cases = [load_case(EXAMPLES / f"{name}.yaml") for name in ("pori", "small_town")]
    return [(case, program_from_case(case)) for case in cases]


Result = tuple[str, str, str, bool, int, float, float, float, float, int]
"""(kind, extra, turned, got an option, audit problems, seconds, unassigned share, spare m²,
circulation share, spare areas with their own façade door)."""


def run_case(index: int) -> Result:
    """Lay out case ``index`` and measure its first option (see :data:`Result`)."""
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
        seconds = time.perf_counter() - start
        return made.kind, made.extra, str(made.angle != 0.0), False, 0, seconds, 0.0, 0.0, 0.0, 0
    seconds = time.perf_counter() - start
    plan = options[0].plan
    problems = len(audit_plan(plan, footprint=footprint, layout=sized.scenario.layout))
    unassigned, circulation = _shares(plan, footprint)
    spare = sum(s.area_m2 for s in plan.spares)
    street = sum(1 for e in plan.entrances if e.kind == "spare")
    turned = str(made.angle != 0.0)
    measured = (unassigned, spare, circulation, street)
    return (made.kind, made.extra, turned, True, problems, seconds, *measured)


def _shares(plan: Plan, footprint: Footprint) -> tuple[float, float]:
    """Return the floor no space covers and the circulation's floor, over the usable floor.

    Both from the geometry: the usable floor less every space's polygon; the corridors',
    passages' and hall's polygons (less the rooms and open areas drawn over them) within it.
    """
    analysis = analysis_from_plan(plan, footprint=footprint)
    floor = analysis.floor
    covered = unary_union([s.shape for s in analysis.spaces.values()])
    walked = unary_union(
        [s.shape for s in analysis.spaces.values() if s.kind in ("corridor", "passage", "hall")]
    )
    rooms = unary_union(
        [s.shape for s in analysis.spaces.values() if s.kind in ("room", "open", "spare")]
    )
    circulation = walked.difference(rooms).intersection(floor).area
    return float(floor.difference(covered).area / floor.area), float(circulation / floor.area)


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
    shares = sorted(r[6] for r in results if r[3])
    spares = [r[7] for r in results if r[3]]
    walked = [r[8] for r in results if r[3]]
    if shares:
        print(
            f"unassigned floor of the options: median {statistics.median(shares):.1%}, 95th "
            f"percentile {shares[int(len(shares) * 0.95)]:.1%}, worst {shares[-1]:.1%}; over 8 %: "
            f"{sum(1 for v in shares if v > 0.08)}, over 3 %: "
            f"{sum(1 for v in shares if v > 0.03)}; "
            f"spare areas kept in {sum(1 for v in spares if v > 0)} options, median "
            f"{statistics.median(spares):.0f} m², with their own façade door in "
            f"{sum(1 for r in results if r[3] and r[9])}; circulation (corridors, passages, "
            f"the hall less its open areas) median {statistics.median(walked):.1%} of the floor"
        )
    for label, position in (("kind", 0), ("extra", 1), ("turned", 2)):
        tried: Counter[str] = Counter(str(r[position]) for r in results)
        got: Counter[str] = Counter(str(r[position]) for r in results if r[3])
        print(
            f"\n| {label} | footprints | got an option | median unassigned | worst |\n"
            "|---|---:|---:|---:|---:|"
        )
        for key in sorted(tried):
            mine = [r[6] for r in results if r[3] and str(r[position]) == key]
            median = f"{statistics.median(mine):.1%}" if mine else "-"
            worst = f"{max(mine):.1%}" if mine else "-"
            print(f"| {key} | {tried[key]} | {got[key] / tried[key]:.1%} | {median} | {worst} |")


if __name__ == "__main__":
    main()
