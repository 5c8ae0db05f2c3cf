"""Benchmark: write each example's best option as an IFC4 space model (best of 5).

Prints a Markdown table: example, spaces, doors, file size, seconds to build and write the model
(the plan is laid out once, before the clock starts). Target (#23): Pori's option ≤ 1 s.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import ifcopenshell

from configurator.ifc import plan_to_ifc
from configurator.inputs.catalog import load_case
from configurator.review.options import plans_from_case
from configurator.sizing.program import program_from_case

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
NAMES = ("pori", "small_town", "large_city")


def main() -> None:
    """Time the export of every example's option 1 and print the table."""
    print("| example | spaces | doors | file | export (best of 5) |")
    print("|---|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as folder:
        for name in NAMES:
            case = load_case(EXAMPLES / f"{name}.yaml")
            plan = plans_from_case(case, options=1)[0]
            program = program_from_case(case)
            path = Path(folder) / f"{name}.ifc"
            times = []
            for _ in range(5):
                start = time.perf_counter()
                plan_to_ifc(
                    plan,
                    path,
                    catalog=case.catalog,
                    storey=case.scenario.storey,
                    program=program,
                    date=case.scenario.date,
                )
                times.append(time.perf_counter() - start)
            model = ifcopenshell.open(str(path))
            print(
                f"| {name} | {len(model.by_type('IfcSpace'))} | {len(model.by_type('IfcDoor'))} "
                f"| {path.stat().st_size / 1000:.0f} kB | {min(times):.2f} s |"
            )


if __name__ == "__main__":
    main()
