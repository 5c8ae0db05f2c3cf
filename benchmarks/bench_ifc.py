"""Benchmark: IFC both ways. Each example's best option written as an IFC4 space model (best of
5), and the footprint read from each real model in ``../shared/data/ifc_real`` (best of 3;
skipped with a line saying so when the folder is absent, as in a fresh clone).

Prints two Markdown tables. Targets (#23): Pori's option ≤ 1 s; the largest shared model ≤ 20 s.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import ifcopenshell

from configurator.ifc import plan_to_ifc
from configurator.ifc.footprint import import_model_footprint
from configurator.inputs.catalog import load_case
from configurator.review.options import plans_from_case
from configurator.sizing.program import program_from_case

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
REAL = Path(__file__).resolve().parents[2] / "shared" / "data" / "ifc_real"
NAMES = ("pori", "small_town", "large_city")


def main() -> None:
    """Time the export of every example's option 1, then the real models' import."""
    export()
    read_models()


def read_models() -> None:
    """Time the footprint import of every real model and print the table."""
    if not REAL.is_dir():
        print(f"\n{REAL} is absent: no model import to time")
        return
    print("\n| model | size | storey | outline from | floor | import (best of 3) |")
    print("|---|---:|---|---|---:|---:|")
    for path in sorted(REAL.glob("*.ifc")):
        times = []
        for _ in range(3):
            start = time.perf_counter()
            result = import_model_footprint(path)
            times.append(time.perf_counter() - start)
        floor = result.buildings[0].floor.area
        print(
            f"| {path.name} | {path.stat().st_size / 1e6:.1f} MB | {result.storey} | "
            f"{', '.join(result.layers)} | {floor:.0f} m² | {min(times):.2f} s |"
        )


def export() -> None:
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
