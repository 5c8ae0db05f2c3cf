"""Benchmark: derive the footprint of each real drawing in ``../shared/data/dxf_real`` (best of 3).

Prints a Markdown table: file, entities read, buildings found, the usable floor taken, seconds.
Skips (with a line saying so) when the folder is absent, as in a fresh clone. Target: an
architect's drawing of one building in under 1 s, a campus sheet in under 10 s.
"""

from __future__ import annotations

import time
from pathlib import Path

from shapely.geometry import Polygon

from configurator.dxf.footprint import import_footprint

REAL = Path(__file__).resolve().parents[2] / "shared" / "data" / "dxf_real"


def main() -> None:
    """Time the import of every drawing and print the table."""
    if not REAL.is_dir():
        print(f"{REAL} is absent: nothing to time")
        return
    print("| drawing | units | buildings | usable floor taken | seconds (best of 3) |")
    print("|---|---|---:|---:|---:|")
    for path in sorted(REAL.glob("*.dxf")):
        times = []
        for _ in range(3):
            start = time.perf_counter()
            result = import_footprint(path)
            times.append(time.perf_counter() - start)
        area = Polygon(result.footprint.outline()).area
        print(
            f"| {path.name} | {result.units} | {len(result.buildings)} | {area:.0f} m² | "
            f"{min(times):.2f} |"
        )


if __name__ == "__main__":
    main()
