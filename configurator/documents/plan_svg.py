"""Draw a plan as a small vector thumbnail (SVG) with some rooms highlighted, for printed pages.

Metres in, an SVG with a viewBox in metres out (north up), so it scales crisply in HTML and PDF.
Rooms of the highlighted space types are filled in their zone colour with a dark outline, the
rest pale; corridors light grey, spare lettable areas pale blue with a dashed outline, obstacles
hatched grey, entrances as small triangles.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from configurator.documents.annotation import (
    SPARE_COLOUR,
    SPARE_DOOR_COLOUR,
    area_text,
    labels as words,
)
from configurator.model.plan import Plan, Point
from configurator.model.schema import Catalog

__all__ = ["plan_svg"]


def _path(points: Iterable[Point], maxy: float) -> str:
    coords = " ".join(f"{x:.2f},{maxy - y:.2f}" for x, y in points)
    return f"M {coords} Z"


def plan_svg(
    plan: Plan,
    *,
    catalog: Catalog,
    highlight: Iterable[str] = (),
    width_mm: float = 170.0,
    labels: bool = False,
    lang: str = "fi",
) -> str:
    """Return the plan as SVG text; rooms whose space type is in ``highlight`` stand out."""
    marked = set(highlight)
    colours = {z.id: z.colour for z in catalog.zones}
    minx, miny, maxx, maxy = plan.footprint_shape.bounds
    pad = 1.0
    w, h = maxx - minx + 2 * pad, maxy - miny + 2 * pad
    top = maxy + pad
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{minx - pad:.3f} 0 {w:.3f} {h:.3f}" '
        f'width="{width_mm:.1f}mm" height="{width_mm * h / w:.1f}mm" class="plan">',
        f'<path d="{_path(plan.footprint, top)}" fill="#ffffff" stroke="#333333" '
        'stroke-width="0.25"/>',
    ]
    # one path per zone and emphasis, each room a subpath: a tenth of the elements to draw
    if plan.corridors:
        d = " ".join(_path(c.polygon, top) for c in plan.corridors)
        parts.append(f'<path d="{d}" fill="#eeeeee" stroke="none"/>')
    groups: dict[tuple[bool, str], list[str]] = {}
    for room in sorted(plan.rooms, key=lambda r: (r.space_type in marked, r.zone, r.id)):
        on = room.space_type in marked
        groups.setdefault((on, room.zone), []).append(_path(room.polygon, top))
    for (on, zone), paths in groups.items():
        # with nothing to highlight every room is drawn in full colour (the plan page)
        faded = bool(marked) and not on
        parts.append(
            f'<path d="{" ".join(paths)}" fill="{colours.get(zone, "#dddddd")}" '
            f'fill-opacity="{0.25 if faded else 1.0}" stroke="{"#000000" if on else "#777777"}" '
            f'stroke-width="{0.18 if on else 0.05}"/>'
        )
    for room in sorted(plan.rooms, key=lambda r: r.id) if labels else ():
        if room.area_m2 >= 5.0:
            c = room.shape.representative_point()
            minx_r, _, maxx_r, _ = room.shape.bounds
            name = str(getattr(room.names, lang))
            size = min(0.55, (maxx_r - minx_r) * 0.9 / max(1, len(name)) / 0.6)
            if size >= 0.22:
                parts.append(
                    f'<text x="{c.x:.2f}" y="{top - c.y:.2f}" font-size="{size:.2f}" '
                    f'font-family="Body, DejaVu Sans, sans-serif" text-anchor="middle">'
                    f"{escape(name, quote=False)}</text>"
                )
    if plan.spares:
        d = " ".join(_path(s.polygon, top) for s in plan.spares)
        parts.append(
            f'<path d="{d}" fill="{SPARE_COLOUR}" stroke="#44546a" stroke-width="0.12" '
            'stroke-dasharray="0.5 0.3" class="spare"/>'
        )
    for spare in plan.spares if labels else ():
        c = spare.shape.representative_point()
        parts.append(
            f'<text x="{c.x:.2f}" y="{top - c.y:.2f}" font-size="0.55" '
            f'font-family="Body, DejaVu Sans, sans-serif" text-anchor="middle">'
            f"{escape(words(lang)['spare'], quote=False)}"
            f'<tspan x="{c.x:.2f}" dy="0.75">{area_text(spare.area_m2, lang=lang)}</tspan></text>'
        )
    if plan.obstacles:
        d = " ".join(_path(o.polygon, top) for o in plan.obstacles)
        parts.append(f'<path d="{d}" fill="#9e9e9e" stroke="#555555" stroke-width="0.05"/>')
    for entrance in plan.entrances:
        x, y = entrance.at
        fill = {"staff": "#555555", "spare": SPARE_DOOR_COLOUR}.get(entrance.kind, "#c62828")
        parts.append(f'<circle cx="{x:.3f}" cy="{top - y:.3f}" r="0.6" fill="{fill}"/>')
    parts.append("</svg>")
    return "".join(parts)
