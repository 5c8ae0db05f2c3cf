"""Benchmark: derive the footprint of each real drawing in ``../shared/data/dxf_real`` (best of 3),
then of two drawings made here whose walls are 200 000 short strokes (straight walls chopped
into 1.5 mm pieces; round corners drawn as chords), best of 2.

Prints Markdown tables: file, entities read, buildings found, the usable floor taken, seconds.
The real drawings are skipped (with a line saying so) when the folder is absent, as in a fresh
clone. Targets: an architect's drawing of one building under 1 s, a campus sheet under 10 s,
200 000 wall strokes ≤ 10 s (#23).
"""

from __future__ import annotations

import itertools
import tempfile
import time
from pathlib import Path

from ezdxf.filemanagement import new as new_dxf
from shapely.geometry import LineString, Polygon, box

from configurator._gc import relax_gc
from configurator.dxf.footprint import FootprintImport, import_footprint

REAL = Path(__file__).resolve().parents[2] / "shared" / "data" / "dxf_real"


def main() -> None:
    """Time the import of every drawing and print the tables, with the garbage collector set
    as the command line and the app set it (:mod:`configurator._gc`)."""
    relax_gc()
    real()
    tessellated()


def _strokes(path: Path, rings: list[LineString], strokes: int) -> Path:
    """Write rings as ``strokes`` short LINEs in all, on A-WALL, in metres."""
    doc = new_dxf("R2010")
    doc.header["$INSUNITS"] = 6
    msp = doc.modelspace()
    for ring in rings:
        pieces = ring.segmentize(ring.length / (strokes / len(rings)))
        for a, b in itertools.pairwise(pieces.coords):
            msp.add_line(a, b, dxfattribs={"layer": "A-WALL"})
    doc.saveas(path)
    return path


def tessellated() -> None:
    """Time two drawings whose walls are 200 000 strokes."""
    print(
        "\n| drawing | strokes | usable floor taken | seconds (best of 2) |\n|---|---:|---:|---:|"
    )
    with tempfile.TemporaryDirectory() as folder:
        straight = [box(0, 0, 60, 30).exterior, box(0.25, 0.25, 59.75, 29.75).exterior]
        round_ = [
            LineString(box(5, 5, 55, 25).buffer(r, quad_segs=256).exterior.coords)
            for r in (5.0, 4.75)
        ]
        for name, rings in (
            ("straight walls, 1.5 mm strokes", straight),
            ("round corners, chords", round_),
        ):
            path = _strokes(Path(folder) / "walls.dxf", rings, 200_000)
            result, best = _best_of(path, 2)
            area = Polygon(result.footprint.outline()).area
            print(f"| {name} | 200 000 | {area:.0f} m² | {best:.2f} |")


def _best_of(path: Path, runs: int) -> tuple[FootprintImport, float]:
    """Import a drawing ``runs`` times; return the import and the best time, s."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        result = import_footprint(path)
        times.append(time.perf_counter() - start)
    return result, min(times)


def real() -> None:
    """Time the import of every real drawing and print the table."""
    if not REAL.is_dir():
        print(f"{REAL} is absent: no real drawing to time")
        return
    print("| drawing | units | buildings | usable floor taken | seconds (best of 3) |")
    print("|---|---|---:|---:|---:|")
    for path in sorted(REAL.glob("*.dxf")):
        result, best = _best_of(path, 3)
        area = Polygon(result.footprint.outline()).area
        print(
            f"| {path.name} | {result.units} | {len(result.buildings)} | {area:.0f} m² | "
            f"{best:.2f} |"
        )


if __name__ == "__main__":
    main()
