"""Benchmark: size a synthetic scenario of 50 agencies and 200 space types (target < 0.2 s)."""

from __future__ import annotations

import argparse
import statistics
import time

from configurator.inputs.catalog import load_catalog
from configurator.model.schema import Catalog, Scenario, SpaceType
from configurator.sizing.counts import sizing_from_demand
from configurator.sizing.demand import demand_from_scenario
from configurator.sizing.program import program_from_sizing
from tests.common import agency_data, scenario


def big_catalog(space_types: int = 200) -> Catalog:
    """Return the built-in catalog grown to ``space_types`` by copies of its fixed-count rooms."""
    base = load_catalog()
    extra: list[SpaceType] = []
    fixed = [s for s in base.space_types if s.driver.kind in ("fixed", "per_staff", "visitor_load")]
    i = 0
    while len(base.space_types) + len(extra) < space_types:
        template = fixed[i % len(fixed)]
        extra.append(template.model_copy(update={"id": f"{template.id}_copy{i}"}))
        i += 1
    return base.model_copy(update={"space_types": [*base.space_types, *extra]})


def big_scenario(agencies: int = 50) -> Scenario:
    """Return a scenario of ``agencies`` agencies with varied visits, half sharing counters."""
    data = scenario(
        agencies=[
            agency_data(f"a{i}", annual_visits=2_000 + 997 * i, shares_counters=i % 2 == 0)
            for i in range(agencies)
        ]
    )
    data.pop("catalog")
    return Scenario.model_validate(data)


def run(repeats: int) -> list[float]:
    """Time demand → sizing → programme ``repeats`` times; return seconds per run."""
    catalog, sc = big_catalog(), big_scenario()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        demand = demand_from_scenario(sc, catalog=catalog)
        sizing = sizing_from_demand(demand, catalog=catalog, scenario=sc)
        program_from_sizing(sizing, demand=demand, catalog=catalog, scenario=sc)
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    """Print the median and worst time of sizing the synthetic scenario."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=20)
    args = parser.parse_args()
    times = run(args.repeats)
    print(
        f"sizing 50 agencies × 200 space types: median {statistics.median(times) * 1000:.1f} ms, "
        f"worst {max(times) * 1000:.1f} ms over {len(times)} runs (target < 200 ms)"
    )


if __name__ == "__main__":
    main()
