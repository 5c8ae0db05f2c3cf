"""Draw what the footprint import derived over the drawing it read, as a PNG to check by eye.

The source lines in grey, the chosen building's usable floor filled and its outer face dashed,
other buildings outlined with their numbers, cores hatched, columns black, doors (D, green)
and bare gaps (G, grey) in the outer wall as arrows with their widths; the title says file,
units and areas. Matplotlib's object API (no pyplot state), so several users can draw at once.
"""

from __future__ import annotations

from pathlib import Path

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.patches import Polygon as PolygonPatch
from shapely.geometry import Polygon

from configurator._io import atomic_path, figure_png
from configurator.dxf.footprint import FootprintImport

__all__ = ["preview_png_bytes", "write_preview"]

_FLOOR = "#9ecae1"
_EDGE = "#08519c"
_OTHER = "#fdae6b"
_CORE = "#cb181d"
_DOOR = "#238b45"
_GAP = "#969696"


def _patch(ring: list[tuple[float, float]], **style: object) -> PolygonPatch:
    return PolygonPatch(ring, closed=True, **style)


def preview_png_bytes(result: FootprintImport, *, dpi: int = 110) -> bytes:
    """Return the preview as PNG bytes (deterministic for the same result)."""
    figure = Figure(figsize=(12, 8.5), dpi=dpi)
    FigureCanvasAgg(figure)
    ax = figure.add_axes((0.03, 0.03, 0.94, 0.86))
    ax.set_aspect("equal")
    ax.axis("off")
    segments = [list(line.coords) for line in result.source_lines]
    ax.add_collection(LineCollection(segments, colors="#b0b0b0", linewidths=0.4, zorder=1))
    for n, building in enumerate(result.buildings, start=1):
        if n == result.chosen:
            continue
        ax.add_patch(
            _patch(list(building.outer.exterior.coords), fill=False, ec=_OTHER, lw=1.2, zorder=2)
        )
        c = building.outer.representative_point()
        ax.text(c.x, c.y, f"{n}: {building.floor.area:.0f} m²", color="#a63603", fontsize=8,
                ha="center", va="center", zorder=6)  # fmt: skip
    chosen = result.buildings[result.chosen - 1]
    floor = Polygon(result.footprint.outline())
    ax.add_patch(_patch(list(floor.exterior.coords), fc=_FLOOR, ec=_EDGE, lw=1.4, alpha=0.55,
                        zorder=3))  # fmt: skip
    ax.add_patch(
        _patch(list(chosen.outer.exterior.coords), fill=False, ec=_EDGE, lw=0.8, ls="--", zorder=3)
    )
    for obstacle in result.footprint.obstacles:
        column = obstacle.kind == "column"
        ax.add_patch(
            _patch(
                list(obstacle.polygon),
                fc="black" if column else "none",
                ec="black" if column else _CORE,
                hatch=None if column else "////",
                lw=0.8,
                zorder=4,
            )
        )
    span = max(floor.bounds[2] - floor.bounds[0], floor.bounds[3] - floor.bounds[1])
    for n, candidate in enumerate(result.candidates, start=1):
        (x, y), (nx, ny) = candidate.at, candidate.inward
        size = span * 0.04
        colour = _DOOR if candidate.leaves else _GAP
        label = f"{'D' if candidate.leaves else 'G'}{n} {candidate.width_m:.1f} m"
        ax.annotate("", xy=(x, y), xytext=(x - nx * size, y - ny * size), zorder=5,
                    arrowprops={"arrowstyle": "-|>", "color": colour, "lw": 1.6})  # fmt: skip
        ax.text(x - nx * size * 1.5, y - ny * size * 1.5, label, color=colour, fontsize=7,
                ha="center", va="center", zorder=6)  # fmt: skip
    for entrance in result.footprint.entrances:
        ax.plot(*entrance.at, marker="o", ms=7, mfc="white", mec=_DOOR, mew=2, zorder=6)
    minx, miny, maxx, maxy = result.extent
    pad = max(maxx - minx, maxy - miny) * 0.03
    ax.set_xlim(minx - pad, maxx + pad)
    ax.set_ylim(miny - pad, maxy + pad)
    which = (
        f"storey {result.storey!r} of {len(result.storeys)}, outline from the "
        f"{', '.join(result.layers)}"
        if result.storey is not None
        else f"building {result.chosen} of {len(result.buildings)}"
    )
    lines = [
        f"{result.path.name}: {which}, units {result.units}",
        f"usable floor (inner face) {floor.area:.1f} m², outer face {chosen.outer.area:.1f} m², "
        f"{len(result.footprint.obstacles)} obstacles, {len(result.candidates)} entrance "
        "candidates",
    ]
    figure.text(0.03, 0.97, lines[0], fontsize=11, va="top", weight="bold")
    figure.text(0.03, 0.935, lines[1], fontsize=9, va="top")
    return figure_png(figure)


def write_preview(result: FootprintImport, path: Path) -> None:
    """Write the preview PNG atomically."""
    with atomic_path(Path(path)) as temporary:
        temporary.write_bytes(preview_png_bytes(result))
