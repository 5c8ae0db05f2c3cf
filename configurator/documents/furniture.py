"""Sketch a space type's typical room with its furniture and check that it fits.

The typical room is a rectangle of the type's area, as wide as its minimum width allows and
no longer than 1.5 × its width; the catalog's furniture (sizes in plan, counts per unit) is
packed bottom-left along the walls, and where the type asks for a wheelchair turning space a
free 1.5 m circle must remain. What does not fit is said with a code, so a card can show it in
red and a test can sweep the whole catalog.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from html import escape

from shapely.geometry import box
from shapely.ops import unary_union

from configurator.model.schema import FurnitureItem, SpaceType

__all__ = ["FIT_CODES", "PlacedItem", "RoomSketch", "free_area", "sketch_room", "sketch_svg"]

TURNING_DIAMETER_M = 1.5
"""A wheelchair turning circle (SFS / Ympäristöministeriön asetus esteettömyydestä)."""

FIT_CODES: dict[str, str] = {
    "F101": "the furniture (and the turning circle) need more floor than the room has",
    "F102": "an item is wider than the room whichever way it is turned",
    "F103": "not all the furniture finds a place on the floor",
    "F104": "no free 1.5 m turning circle is left between the furniture",
}
"""Stable codes of the furniture-fit check."""


@dataclass(frozen=True)
class PlacedItem:
    """One piece of furniture on the sketch: its catalog item and its rectangle, m."""

    item: FurnitureItem
    x: float
    y: float
    width: float
    depth: float


@dataclass(frozen=True)
class RoomSketch:
    """The typical room, its furniture as placed, the turning circle, and what does not fit."""

    space_type: str
    width: float
    depth: float
    placed: list[PlacedItem]
    unplaced: list[FurnitureItem]
    turning_centre: tuple[float, float] | None
    needs_turning: bool
    furniture_m2: float
    problems: list[str] = field(default_factory=list)

    @property
    def fits(self) -> bool:
        """Whether everything fits (no problem codes)."""
        return not self.problems

    @property
    def area_m2(self) -> float:
        """The room's floor area, m²."""
        return self.width * self.depth


def _room_size(area: float, min_width: float) -> tuple[float, float]:
    """Width and depth of the typical room: at least the minimum width, aspect up to 1.5."""
    width = max(min_width, math.sqrt(area / 1.5))
    return width, area / width


def _expanded(st: SpaceType, units: int) -> list[FurnitureItem]:
    """Every piece that takes floor, one entry per piece, largest first (stable order)."""
    pieces = [
        item for item in st.furniture if item.size_m is not None for _ in range(item.count * units)
    ]
    return sorted(pieces, key=lambda i: -(i.size_m[0] * i.size_m[1]) if i.size_m else 0.0)


def sketch_room(st: SpaceType, *, units: int = 1) -> RoomSketch:
    """Pack the furniture of ``units`` units into the typical room of that many units.

    For a separate room ``units`` is 1 (one room); for a shared room it is the count the
    programme gives (the room holds all of them).
    """
    area = st.unit_area_m2 * (units if st.grouping == "single_room" else 1)
    units = units if st.grouping == "single_room" else 1
    width, depth = _room_size(area, st.min_width_m)
    room = box(0.0, 0.0, width, depth)
    items = _expanded(st, units)
    needs_turning = "turning_space" in st.accessibility
    furniture_m2 = math.fsum(i.size_m[0] * i.size_m[1] for i in items if i.size_m)
    problems: list[str] = []
    circle = math.pi * (TURNING_DIAMETER_M / 2) ** 2 if needs_turning else 0.0
    if furniture_m2 + circle > area + 1e-9:
        problems.append("F101")
    if any(i.size_m and min(i.size_m) > min(width, depth) + 1e-9 for i in items) or any(
        i.size_m and max(i.size_m) > max(width, depth) + 1e-9 for i in items
    ):
        problems.append("F102")
    placed: list[PlacedItem] = []
    unplaced: list[FurnitureItem] = []
    for item in items:
        spot = _find_spot(item, placed, width, depth)
        if spot is None:
            unplaced.append(item)
        else:
            placed.append(spot)
    if unplaced:
        problems.append("F103")
    centre = None
    if needs_turning:
        taken = unary_union([box(p.x, p.y, p.x + p.width, p.y + p.depth) for p in placed])
        free = room.difference(taken).buffer(-TURNING_DIAMETER_M / 2 + 1e-6)
        if free.is_empty:
            problems.append("F104")
        else:
            spot_point = free.representative_point()
            centre = (float(spot_point.x), float(spot_point.y))
    return RoomSketch(
        space_type=st.id,
        width=width,
        depth=depth,
        placed=placed,
        unplaced=unplaced,
        turning_centre=centre,
        needs_turning=needs_turning,
        furniture_m2=round(furniture_m2, 3),
        problems=sorted(set(problems)),
    )


def _find_spot(
    item: FurnitureItem, placed: list[PlacedItem], width: float, depth: float
) -> PlacedItem | None:
    """Bottom-left placement: the lowest, then leftmost free corner where the item fits."""
    assert item.size_m is not None, "only items with a plan size are placed"
    xs = sorted({0.0, *(p.x + p.width for p in placed)})
    ys = sorted({0.0, *(p.y + p.depth for p in placed)})
    for y in ys:
        for x in xs:
            for w, d in (item.size_m, item.size_m[::-1]):
                if x + w > width + 1e-9 or y + d > depth + 1e-9:
                    continue
                if not any(_overlap(x, y, w, d, p) for p in placed):
                    return PlacedItem(item, x, y, w, d)
    return None


def _overlap(x: float, y: float, w: float, d: float, p: PlacedItem) -> bool:
    """Whether two axis-aligned rectangles share area (touching edges do not count)."""
    eps = 1e-9
    return (
        x < p.x + p.width - eps
        and p.x < x + w - eps
        and y < p.y + p.depth - eps
        and (p.y < y + d - eps)
    )


def sketch_svg(sketch: RoomSketch, *, lang: str, scale_px: float = 40.0) -> str:
    """Draw the sketch as SVG to scale (``scale_px`` per metre): walls, items, turning circle."""
    pad = 0.3
    w, d = sketch.width, sketch.depth
    view_w, view_h = (w + 2 * pad) * scale_px, (d + 2 * pad) * scale_px

    def sx(x: float) -> float:
        return round((x + pad) * scale_px, 2)

    def sy(y: float) -> float:
        return round((d - y + pad) * scale_px, 2)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {view_w:.1f} {view_h:.1f}" '
        f'width="{view_w:.1f}" height="{view_h:.1f}" class="sketch">',
        f'<rect x="{sx(0)}" y="{sy(d)}" width="{w * scale_px:.2f}" height="{d * scale_px:.2f}" '
        'fill="#ffffff" stroke="#222222" stroke-width="4"/>',
    ]
    for p in sketch.placed:
        name = getattr(p.item.names, lang)
        parts.append(
            f'<rect x="{sx(p.x)}" y="{sy(p.y + p.depth)}" width="{p.width * scale_px:.2f}" '
            f'height="{p.depth * scale_px:.2f}" fill="#d9e6f2" stroke="#4a6a8a" '
            f'stroke-width="1"><title>{escape(name, quote=False)}</title></rect>'
        )
    if sketch.turning_centre is not None:
        cx, cy = sketch.turning_centre
        parts.append(
            f'<circle cx="{sx(cx)}" cy="{sy(cy)}" r="{TURNING_DIAMETER_M / 2 * scale_px:.2f}" '
            'fill="none" stroke="#2e7d32" stroke-width="1.5" stroke-dasharray="4 3"/>'
        )
    bar = 1.0 * scale_px
    parts.append(
        f'<line x1="{sx(0)}" y1="{view_h - 4:.1f}" x2="{sx(0) + bar:.2f}" y2="{view_h - 4:.1f}" '
        'stroke="#222222" stroke-width="2"/>'
    )
    parts.append("</svg>")
    return "".join(parts)


def free_area(sketch: RoomSketch) -> float:
    """Floor left between the furniture, m² (for the card's figures)."""
    room = box(0.0, 0.0, sketch.width, sketch.depth)
    taken = unary_union([box(p.x, p.y, p.x + p.width, p.y + p.depth) for p in sketch.placed])
    return float(room.difference(taken).area)
