"""Geometry the layout and the review share: the building's own frame, clear widths.

The frame is the turn that puts the building's walls on the axes, entrance at the bottom. A
footprint drawn turned on the site grid is laid out, measured and sampled in this frame, so a
building turned by any angle gives the same plan and the same figures as the unturned one.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import shapely
from shapely.geometry import Polygon
from shapely.geometry.base import BaseGeometry
from shapely.geometry.polygon import orient

__all__ = ["ON_WALL", "BuildingFrame", "clear_width", "dominant_angle", "measured_width"]

Point = tuple[float, float]

ON_WALL = 1e-3
"""How far (m) a door's opening may lie from the wall it sits in."""
_LOCAL_DIGITS = 6
"""Local coordinates are rounded to the micrometre: a turned copy of a footprint then maps to
exactly the same local floor as the original, so every later decision is the same."""
_SNAP_M = 1e-7
"""Grid of the snap-rounded overlay :func:`clear_width` falls back on (m)."""
_ANGLE_TOLERANCE = 1e-4
"""Edges whose directions differ by less than this (radians, modulo a quarter turn) are parallel."""


def dominant_angle(outline: list[Point]) -> float:
    """Return the direction (radians in [0, π/2)) that most of the outline's length runs along.

    Edge directions are taken modulo a quarter turn and summed by length; the direction with the
    largest total wins (ties: the longest single edge). A rectangle turned by 12° gives 12°.

    >>> round(math.degrees(dominant_angle([(0, 0), (4, 0), (4, 2), (0, 2)])), 6)
    0.0
    """
    groups: list[tuple[float, float, float]] = []  # (angle of the longest edge, total, longest)
    ring = list(outline)
    for (ax, ay), (bx, by) in zip(ring, ring[1:] + ring[:1], strict=True):
        length = math.hypot(bx - ax, by - ay)
        if length <= 1e-9:
            continue
        phi = math.atan2(by - ay, bx - ax) % (math.pi / 2)
        for i, (angle, total, longest) in enumerate(groups):
            gap = abs(phi - angle)
            if min(gap, math.pi / 2 - gap) < _ANGLE_TOLERANCE:
                groups[i] = (
                    phi if length > longest else angle,
                    total + length,
                    max(length, longest),
                )
                break
        else:
            groups.append((phi, length, length))
    if not groups:
        return 0.0
    angle, _, _ = max(groups, key=lambda g: (round(g[1], 6), round(g[2], 6), -g[0]))
    return 0.0 if abs(angle - math.pi / 2) < _ANGLE_TOLERANCE or angle < _ANGLE_TOLERANCE else angle


@dataclass(frozen=True)
class BuildingFrame:
    """A rotation plus a shift from the drawing's coordinates to the building's local frame.

    In the local frame the walls that carry most of the outline run along the axes, the main
    entrance's façade faces down (−y) and the floor starts at x = 0, y = 0.
    """

    angle: float
    """Rotation (radians) from local to world: world = R(angle) · local + origin."""
    ox: float
    oy: float

    @staticmethod
    def for_footprint(outline: list[Point], entrance: Point | None = None) -> BuildingFrame:
        """Return the frame of an outline, turned so the façade through ``entrance`` faces down."""
        base = dominant_angle(outline)
        turns = 0
        if entrance is not None:
            nx, ny = _outward_normal(outline, entrance)
            # Rotate the normal into the dominant frame, then count quarter turns to (0, -1).
            c, s = math.cos(-base), math.sin(-base)
            lx, ly = c * nx - s * ny, s * nx + c * ny
            turns = min(range(4), key=lambda k: _turned_gap(lx, ly, k))
        angle = base + turns * math.pi / 2
        c, s = math.cos(-angle), math.sin(-angle)
        rotated = [(c * x - s * y, s * x + c * y) for x, y in outline]
        minx = min(p[0] for p in rotated)
        miny = min(p[1] for p in rotated)
        # World origin of the local (0, 0): rotate (minx, miny) back.
        c2, s2 = math.cos(angle), math.sin(angle)
        return BuildingFrame(angle, c2 * minx - s2 * miny, s2 * minx + c2 * miny)

    @property
    def is_identity_rotation(self) -> bool:
        """Tell whether the frame only shifts (the building is drawn on the axes)."""
        return abs(math.sin(self.angle)) < 1e-12 and math.cos(self.angle) > 0

    def to_local(self, p: Point) -> Point:
        """Map a drawing point into the local frame (rounded to the micrometre)."""
        x, y = p[0] - self.ox, p[1] - self.oy
        c, s = math.cos(-self.angle), math.sin(-self.angle)
        return (
            round(c * x - s * y, _LOCAL_DIGITS) + 0.0,
            round(s * x + c * y, _LOCAL_DIGITS) + 0.0,
        )

    def to_world(self, p: Point, digits: int = 4) -> Point:
        """Map a local point back into the drawing's coordinates (rounded to 0.1 mm)."""
        c, s = math.cos(self.angle), math.sin(self.angle)
        x, y = p
        return (
            round(c * x - s * y + self.ox, digits) + 0.0,
            round(s * x + c * y + self.oy, digits) + 0.0,
        )

    def polygon_to_local(self, polygon: Polygon) -> Polygon:
        """Map a shapely polygon (with holes) into the local frame."""
        return Polygon(
            [self.to_local(p) for p in polygon.exterior.coords],
            [[self.to_local(p) for p in ring.coords] for ring in polygon.interiors],
        )

    def ring_to_world(self, points: list[Point]) -> list[Point]:
        """Map a local ring back, counter-clockwise, without repeating the first corner."""
        mapped = [self.to_world(p) for p in points]
        ring = orient(Polygon(mapped), sign=1.0)
        return [(x, y) for x, y in list(ring.exterior.coords)[:-1]]


def _outward_normal(outline: list[Point], at: Point) -> tuple[float, float]:
    """Return the outward unit normal of the outline edge nearest a point."""
    ring = list(orient(Polygon(outline), sign=1.0).exterior.coords)[:-1]
    best, normal = math.inf, (0.0, -1.0)
    for (ax, ay), (bx, by) in zip(ring, ring[1:] + ring[:1], strict=True):
        d = _distance_to_segment(at, (ax, ay), (bx, by))
        length = math.hypot(bx - ax, by - ay)
        if length > 0 and d < best - 1e-9:
            best, normal = d, ((by - ay) / length, -(bx - ax) / length)
    return normal


def _turned_gap(x: float, y: float, turns: int) -> float:
    """Return how far a direction turned by ``turns`` quarter turns clockwise is from (0, -1)."""
    for _ in range(turns):
        x, y = y, -x
    return math.hypot(x, y + 1.0)


def _distance_to_segment(p: Point, a: Point, b: Point) -> float:
    (px, py), (ax, ay), (bx, by) = p, a, b
    dx, dy = bx - ax, by - ay
    length2 = dx * dx + dy * dy
    t = 0.0 if length2 == 0 else max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / length2))
    return math.hypot(px - (ax + t * dx), py - (ay + t * dy))


def clear_width(shape: BaseGeometry, width: float) -> bool:
    """Tell whether a polygon is at least ``width`` wide everywhere (to the millimetre).

    A disc of that width must sweep the whole polygon: opening it (shrink, then grow, with mitred
    corners so rectangles come back exact) may lose at most 1 % of the area.

    >>> from shapely.geometry import box
    >>> clear_width(box(0, 0, 10, 1.5), 1.5), clear_width(box(0, 0, 10, 1.4), 1.5)
    (True, False)
    """
    if shape.is_empty or shape.area <= 0:
        return False
    r = max(width / 2 - ON_WALL, 0.0)
    opened = shape.buffer(-r, join_style="mitre").buffer(r, join_style="mitre")
    if opened.intersection(shape).area >= 0.99 * shape.area:
        return True
    # GEOS's floating overlay can lose the intersection of two nearly equal polygons (a turned
    # rectangle and its opening came out empty); snap-rounded to 0.1 µm it does not
    kept = shapely.intersection(opened, shape, grid_size=_SNAP_M)
    return bool(kept.area >= 0.99 * shape.area)


def wide_around(shape: BaseGeometry, part: BaseGeometry, width: float) -> bool:
    """Tell whether ``part`` (a column) stands where ``shape`` is at least ``width`` wide.

    The part, and the shape within half that width of it, must lie within the floor a disc of
    that width sweeps inside the shape (its opening, as in :func:`clear_width`, to 1 % of the
    area): a column in the middle of a corridor's 3 m wide alcove leaves the passage beside it
    clear; one in its 1.3 m stretch, or at the alcove's edge beside that stretch, does not.
    """
    if shape.is_empty or part.is_empty or part.area <= 0:
        return False
    r = max(width / 2 - ON_WALL, 0.0)
    opened = shape.buffer(-r, join_style="mitre").buffer(r, join_style="mitre")
    near = shapely.intersection(
        part.buffer(width / 2, join_style="mitre"), shape.union(part), grid_size=_SNAP_M
    )
    # snapping can leave lines beside the area, which set operations refuse: keep the area
    near = shapely.union_all(
        [g for g in shapely.get_parts(near) if g.geom_type in ("Polygon", "MultiPolygon")]
    )
    if near.is_empty:
        return False
    outside = shapely.difference(near, opened, grid_size=_SNAP_M)
    return bool(outside.area <= 0.01 * near.area)


def measured_width(shape: BaseGeometry) -> float:
    """Return the clear width of a polygon to the centimetre (for messages)."""
    low, high = 0.0, 50.0
    for _ in range(13):
        mid = (low + high) / 2
        if clear_width(shape, mid):
            low = mid
        else:
            high = mid
    return low
