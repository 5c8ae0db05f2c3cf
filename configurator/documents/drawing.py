"""Draw a plan on a paper sheet at a standard scale, as SVG, PNG or PDF, for people to read.

Uses matplotlib's object API (a :class:`~matplotlib.figure.Figure` per sheet, no pyplot
state). The sheet holds the plan, a title block, the zone legend, a scale bar and a north
arrow (north is +y). When the plan does not fit the paper at the chosen scale, the next
standard scale is used and the title block says so; the plan is never cropped.
"""

from __future__ import annotations

import datetime
import io
import math
from pathlib import Path
from typing import Any, NamedTuple

import matplotlib as mpl
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Arc, FancyArrow, Polygon as PolygonPatch, Rectangle

from configurator._io import atomic_path
from configurator.documents.annotation import (
    SPARE_COLOUR,
    SPARE_DOOR_COLOUR,
    door_swing,
    entrance_axis,
    labels,
    room_tag,
    title_lines,
)
from configurator.model.plan import Plan, PlanRoom, SpareArea
from configurator.model.schema import Catalog

__all__ = [
    "PAPERS",
    "SCALES",
    "Sheet",
    "plan_figure",
    "plan_png_bytes",
    "plan_to_pdf",
    "plan_to_png",
    "plan_to_svg",
]

PAPERS: dict[str, tuple[float, float]] = {"A3": (420.0, 297.0), "A4": (297.0, 210.0)}
"""Landscape paper sizes, width and height in mm."""

SCALES = (50, 100, 200, 250, 500, 1000, 2000)
"""Standard plan scales 1:N, in order of preference when a plan does not fit."""

_MARGIN = 10.0
_PANEL = {"A3": 100.0, "A4": 82.0}
"""Width (mm) of the side panel holding the title block, legend, scale bar and north arrow."""
_MM_PER_PT = 25.4 / 72.0
_CAP = 0.72
"""Cap height over font size for DejaVu Sans: a tag's height in m is a cap height."""
_INK = "#222222"


class Sheet(NamedTuple):
    """A drawn sheet: the figure, the scale used (1:N) and a note if it differs from the asked."""

    figure: Figure
    scale: int
    note: str


def plan_figure(
    plan: Plan,
    *,
    catalog: Catalog,
    lang: str = "fi",
    paper: str = "A3",
    scale: int = 100,
    date: datetime.date | None = None,
) -> Sheet:
    """Draw a plan on a landscape sheet; take the next standard scale if it does not fit."""
    words = labels(lang)
    if paper not in PAPERS:
        raise ValueError(f"paper must be one of {', '.join(PAPERS)}, got {paper!r}")
    width, height = PAPERS[paper]
    panel = _PANEL[paper]
    area = (_MARGIN + 4, _MARGIN + 4, width - _MARGIN - panel - 8, height - 2 * _MARGIN - 8)
    minx, miny, maxx, maxy = plan.footprint_shape.bounds
    span = (maxx - minx + 4.0, maxy - miny + 4.0)  # entrance arrows stand outside the outline
    used = _fitting_scale(span, area, scale)
    note = ""
    if used != scale:
        note = (
            f"1:{scale} ei mahdu {paper}-arkille"
            if lang == "fi"
            else f"1:{scale} does not fit {paper}"
        )
    figure = Figure(figsize=(width / 25.4, height / 25.4))
    FigureCanvasAgg(figure)
    sheet = figure.add_axes((0.0, 0.0, 1.0, 1.0))
    sheet.set_xlim(0, width)
    sheet.set_ylim(0, height)
    sheet.set_axis_off()
    sheet.add_patch(
        Rectangle(
            (_MARGIN, _MARGIN),
            width - 2 * _MARGIN,
            height - 2 * _MARGIN,
            fill=False,
            lw=0.8,
            ec=_INK,
        )
    )
    left, bottom, aw, ah = area
    axes = figure.add_axes((left / width, bottom / height, aw / width, ah / height))
    axes.set_axis_off()
    cx, cy = (minx + maxx) / 2, (miny + maxy) / 2
    half_w, half_h = aw * used / 2000, ah * used / 2000
    axes.set_xlim(cx - half_w, cx + half_w)
    axes.set_ylim(cy - half_h, cy + half_h)
    axes.set_aspect("equal", adjustable="box")
    _draw_plan(axes, plan, catalog=catalog, lang=lang, scale=used)
    panel_left = width - _MARGIN - panel
    sheet.plot([panel_left, panel_left], [_MARGIN, height - _MARGIN], color=_INK, lw=0.8)
    rows = title_lines(plan, lang=lang, scale=used, scale_note=note, date=date)
    top = _title_block(sheet, plan, rows, left=panel_left, width=panel, words=words)
    top = _legend(sheet, plan, catalog, lang=lang, left=panel_left + 5, bottom=top + 8)
    _scale_bar(sheet, used, left=panel_left + 5, y=top + 10)
    _north_arrow(sheet, x=width - _MARGIN - 14, y=top + 6)
    return Sheet(figure, used, note)


def _fitting_scale(
    span: tuple[float, float], area: tuple[float, float, float, float], scale: int
) -> int:
    """Return the asked scale if the plan fits, else the next standard one that does."""
    candidates = [scale] + [s for s in SCALES if s > scale]
    for candidate in candidates:
        if span[0] * 1000 / candidate <= area[2] and span[1] * 1000 / candidate <= area[3]:
            return candidate
    return candidates[-1]


def _draw_plan(axes: Any, plan: Plan, *, catalog: Catalog, lang: str, scale: int) -> None:
    colours = {z.zone: z.colour for z in plan.zones} | {z.id: z.colour for z in catalog.zones}
    for corridor in plan.corridors:
        axes.add_patch(
            PolygonPatch(corridor.polygon, closed=True, fc="#EEEEEE", ec="#9A9A9A", lw=0.5)
        )
    for room in plan.rooms:
        axes.add_patch(
            PolygonPatch(
                room.polygon,
                closed=True,
                fc=colours.get(room.zone, "#DDDDDD"),
                ec="#444444",
                lw=0.7,
                zorder=2,
            )
        )
    for spare in plan.spares:
        axes.add_patch(
            PolygonPatch(
                spare.polygon,
                closed=True,
                fc=SPARE_COLOUR,
                ec="#44546A",
                hatch="..",
                lw=0.9,
                zorder=2,
            )
        )
    for obstacle in plan.obstacles:
        axes.add_patch(
            PolygonPatch(
                obstacle.polygon, closed=True, fc="white", ec="#555555", hatch="////", lw=0.7
            )
        )
    axes.add_patch(PolygonPatch(plan.footprint, closed=True, fill=False, ec="black", lw=2.0))
    for a, b in plan.windows:
        axes.plot([a[0], b[0]], [a[1], b[1]], color="#4A90C8", lw=3.0, solid_capstyle="butt")
    for door in plan.doors:
        hinge, angle = door_swing(door, plan)
        w = door.width_m
        rad = math.radians(angle)
        leaf = (hinge[0] - math.sin(rad) * w, hinge[1] + math.cos(rad) * w)
        opening = (hinge[0] + math.cos(rad) * w, hinge[1] + math.sin(rad) * w)
        axes.plot([opening[0], hinge[0]], [opening[1], hinge[1]], color="white", lw=1.6, zorder=3)
        axes.plot([hinge[0], leaf[0]], [hinge[1], leaf[1]], color="#B22222", lw=0.9, zorder=4)
        axes.add_patch(
            Arc(
                hinge, 2 * w, 2 * w, theta1=angle, theta2=angle + 90, ec="#B22222", lw=0.5, zorder=4
            )
        )
    outline = plan.footprint_shape
    for entrance in plan.entrances:
        rad = math.radians(entrance_axis(entrance, outline))
        nx, ny = -math.sin(rad), math.cos(rad)  # into the building
        x0, y0 = entrance.at[0] - nx * 1.6, entrance.at[1] - ny * 1.6
        colour = {"staff": "#555555", "spare": SPARE_DOOR_COLOUR}.get(entrance.kind, "#C0392B")
        axes.add_patch(
            FancyArrow(
                x0,
                y0,
                nx * 1.2,
                ny * 1.2,
                width=0.15,
                head_width=0.6,
                head_length=0.4,
                length_includes_head=True,
                color=colour,
                zorder=5,
            )
        )
    metres_per_pt = _MM_PER_PT * scale / 1000
    tagged: list[PlanRoom | SpareArea] = [*plan.rooms, *plan.spares]
    for item in tagged:
        tag = room_tag(
            item,
            lang=lang,
            with_id=False,
            max_height=2.2 * scale / 1000,
            min_height=1.1 * scale / 1000,
            line_spacing=1.2 / _CAP,
        )
        axes.text(
            *tag.at,
            "\n".join(tag.lines),
            ha="center",
            va="center",
            ma="center",
            fontsize=tag.height / _CAP / metres_per_pt,
            color=_INK,
            linespacing=1.2,
            zorder=6,
        )


def _title_block(
    sheet: Any,
    plan: Plan,
    rows: list[tuple[str, str]],
    *,
    left: float,
    width: float,
    words: dict[str, str],
) -> float:
    """Draw the title block at the bottom of the panel; return its top, mm."""
    row = 6.0
    bottom = _MARGIN
    top = bottom + row * len(rows) + 12
    sheet.plot([left, left + width], [top, top], color=_INK, lw=0.8)
    title = f"{plan.scenario}\n{words['option']} {plan.option}"
    sheet.text(left + 3, top - 6, title, fontsize=9, weight="bold", va="center", color=_INK)
    y = top - 12
    for label, value in rows:
        sheet.plot([left, left + width], [y, y], color="#999999", lw=0.4)
        sheet.text(left + 3, y - row / 2, label, fontsize=6.5, va="center", color="#555555")
        sheet.text(left + 38, y - row / 2, value, fontsize=6.5, va="center", color=_INK)
        y -= row
    return top


def _legend(
    sheet: Any, plan: Plan, catalog: Catalog, *, lang: str, left: float, bottom: float
) -> float:
    """Draw the zone colours above the title block; return the legend's top, mm."""
    used = {r.zone for r in plan.rooms}
    zones = [z for z in sorted(catalog.zones, key=lambda z: z.order) if z.id in used]
    y = bottom
    for zone in reversed(zones):
        sheet.add_patch(Rectangle((left, y), 8, 4.5, fc=zone.colour, ec="#444444", lw=0.5))
        sheet.text(left + 11, y + 2.25, getattr(zone.names, lang), fontsize=7, va="center")
        y += 7
    sheet.text(left, y + 1, labels(lang)["legend"], fontsize=8, weight="bold", va="bottom")
    return y + 6


def _scale_bar(sheet: Any, scale: int, *, left: float, y: float) -> None:
    """Draw a bar of whole metres, alternately filled, with its length and the scale."""
    metres = max(m for m in (1, 2, 5, 10, 20, 50, 100) if m * 1000 / scale <= 60 or m == 1)
    step = metres / 5
    mm_per_step = step * 1000 / scale
    for i in range(5):
        sheet.add_patch(
            Rectangle(
                (left + i * mm_per_step, y),
                mm_per_step,
                1.8,
                fc=_INK if i % 2 == 0 else "white",
                ec=_INK,
                lw=0.5,
            )
        )
    sheet.text(left, y + 3, "0", fontsize=6, ha="center")
    sheet.text(left + 5 * mm_per_step, y + 3, f"{metres:g} m", fontsize=6, ha="center")
    sheet.text(left, y - 3.5, f"1:{scale}", fontsize=7, va="center")


def _north_arrow(sheet: Any, *, x: float, y: float) -> None:
    sheet.add_patch(PolygonPatch([(x - 3, y), (x, y + 10), (x + 3, y), (x, y + 2.5)], fc=_INK))
    sheet.text(x, y + 12, "N", fontsize=9, ha="center", weight="bold")


def _save(sheet: Sheet, path: Path, *, fmt: str, dpi: int, rc: dict[Any, Any]) -> int:
    # a fixed salt keeps the SVG's clip-path ids the same from run to run (same input, same bytes)
    stable = {"svg.hashsalt": "service-point configurator", **rc}
    with mpl.rc_context(stable), atomic_path(Path(path)) as temporary:
        sheet.figure.savefig(temporary, format=fmt, dpi=dpi, metadata=_metadata(fmt))
    return sheet.scale


def _metadata(fmt: str) -> dict[str, Any]:
    """Name the tool and leave the clock out: the sheet is dated by its scenario, in its title."""
    if fmt == "png":
        return {"Software": "service-point configurator"}
    if fmt == "svg":
        return {"Creator": "service-point configurator", "Date": None}
    return {"Creator": "service-point configurator", "CreationDate": None}


def plan_to_svg(
    plan: Plan,
    path: Path,
    *,
    catalog: Catalog,
    lang: str = "fi",
    paper: str = "A3",
    scale: int = 100,
    date: datetime.date | None = None,
) -> int:
    """Write the plan sheet as SVG with real text; return the scale used (1:N)."""
    sheet = plan_figure(plan, catalog=catalog, lang=lang, paper=paper, scale=scale, date=date)
    return _save(sheet, path, fmt="svg", dpi=72, rc={"svg.fonttype": "none"})


def plan_to_png(
    plan: Plan,
    path: Path,
    *,
    catalog: Catalog,
    lang: str = "fi",
    paper: str = "A3",
    scale: int = 100,
    dpi: int = 150,
    date: datetime.date | None = None,
) -> int:
    """Write the plan sheet as PNG; return the scale used (1:N)."""
    sheet = plan_figure(plan, catalog=catalog, lang=lang, paper=paper, scale=scale, date=date)
    return _save(sheet, path, fmt="png", dpi=dpi, rc={})


def plan_to_pdf(
    plan: Plan,
    path: Path,
    *,
    catalog: Catalog,
    lang: str = "fi",
    paper: str = "A3",
    scale: int = 100,
    date: datetime.date | None = None,
) -> int:
    """Write the plan sheet as a one-page PDF with embedded TrueType text; return the scale."""
    sheet = plan_figure(plan, catalog=catalog, lang=lang, paper=paper, scale=scale, date=date)
    return _save(sheet, path, fmt="pdf", dpi=72, rc={"pdf.fonttype": 42})


def plan_png_bytes(
    plan: Plan,
    *,
    catalog: Catalog,
    lang: str = "fi",
    dpi: int = 100,
    paper: str = "A3",
    scale: int = 100,
    date: datetime.date | None = None,
) -> bytes:
    """Return the plan sheet as PNG bytes (for the UI)."""
    sheet = plan_figure(plan, catalog=catalog, lang=lang, paper=paper, scale=scale, date=date)
    buffer = io.BytesIO()
    sheet.figure.savefig(buffer, format="png", dpi=dpi, metadata=_metadata("png"))
    return buffer.getvalue()
