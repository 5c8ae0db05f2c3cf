"""Axis-aligned rectangles, the frame that puts the main entrance at the bottom, and free strips."""

from __future__ import annotations

import math
from dataclasses import dataclass

from shapely.geometry import Polygon, box
from shapely.geometry.polygon import orient

__all__ = ["EPS", "Frame", "Rect", "free_intervals"]

EPS = 1e-6
Point = tuple[float, float]


@dataclass(frozen=True)
class Rect:
    """An axis-aligned rectangle, (x0, y0) lower left, (x1, y1) upper right."""

    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def width(self) -> float:
        """Return the extent along x."""
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        """Return the extent along y."""
        return self.y1 - self.y0

    @property
    def area(self) -> float:
        """Return the area."""
        return self.width * self.height

    @property
    def centre(self) -> Point:
        """Return the centre point."""
        return ((self.x0 + self.x1) / 2, (self.y0 + self.y1) / 2)

    def corners(self) -> list[Point]:
        """Return the corners counter-clockwise from the lower left."""
        return [(self.x0, self.y0), (self.x1, self.y0), (self.x1, self.y1), (self.x0, self.y1)]

    def shape(self) -> Polygon:
        """Return the rectangle as a shapely polygon."""
        return box(self.x0, self.y0, self.x1, self.y1)


def free_intervals(
    floor: Polygon, y0: float, y1: float, *, blocked: list[Rect] | None = None
) -> list[tuple[float, float]]:
    """Return the x-intervals where the whole strip y0..y1 lies inside the floor.

    The strip is cut wherever the floor's complement (outside the outline, cores, shafts) or a
    blocked rectangle reaches into it, so a room placed in an interval never overlaps either.
    """
    if y1 - y0 <= EPS:
        return []
    key = (id(floor), round(y0, 6), round(y1, 6))
    hit = _CACHE.get(key)
    if hit is None or hit[0] is not floor:
        hit = (floor, _strip_cuts(floor, y0, y1))
        if len(_CACHE) > 20000:
            _CACHE.clear()
        _CACHE[key] = hit
    cuts = list(hit[1])
    minx, _, maxx, _ = floor.bounds
    for rect in blocked or []:
        if rect.y0 < y1 - EPS and rect.y1 > y0 + EPS:
            cuts.append((rect.x0, rect.x1))
    cuts.sort()
    intervals: list[tuple[float, float]] = []
    start = minx
    for a, b in cuts:
        if a > start + EPS:
            intervals.append((start, a))
        start = max(start, b)
    if maxx > start + EPS:
        intervals.append((start, maxx))
    return intervals


_CACHE: dict[tuple[int, float, float], tuple[Polygon, list[tuple[float, float]]]] = {}
"""Strip cuts per floor polygon and strip: the layout asks for the same strips many times."""


def _strip_cuts(floor: Polygon, y0: float, y1: float) -> list[tuple[float, float]]:
    """Return the x-ranges where the floor's complement reaches into the strip y0..y1."""
    minx, _, maxx, _ = floor.bounds
    strip = box(minx, y0, maxx, y1)
    missing = strip.difference(floor)
    cuts: list[tuple[float, float]] = []
    for part in getattr(missing, "geoms", [missing]):
        if part.is_empty or part.area <= EPS:
            continue
        bx0, _, bx1, _ = part.bounds
        cuts.append((bx0, bx1))
    return cuts


@dataclass(frozen=True)
class Frame:
    """A rotation by quarter turns plus a shift that puts the main entrance on the bottom edge.

    The layout works in this local frame (depth grows with y away from the entrance) and maps
    the result back, so one algorithm serves an entrance on any façade.
    """

    quarter_turns: int
    dx: float
    dy: float

    @staticmethod
    def for_entrance(outline: list[Point], entrance: Point) -> Frame:
        """Return the frame in which the outline edge through ``entrance`` faces down (−y)."""
        polygon = orient(Polygon(outline), sign=1.0)
        coords = list(polygon.exterior.coords)[:-1]
        best, normal = math.inf, (0.0, -1.0)
        for (ax, ay), (bx, by) in zip(coords, coords[1:] + coords[:1], strict=True):
            d = _distance_to_segment(entrance, (ax, ay), (bx, by))
            if d < best:
                length = math.hypot(bx - ax, by - ay) or 1.0
                best, normal = d, ((by - ay) / length, -(bx - ax) / length)
        nx, ny = normal
        # Snap the outward normal to the nearest axis, then count quarter turns to (0, -1).
        turns = (3 if nx > 0 else 1) if abs(nx) >= abs(ny) else 0 if ny < 0 else 2
        rotated = [_rotate(p, turns) for p in coords]
        return Frame(turns, -min(p[0] for p in rotated), -min(p[1] for p in rotated))

    def to_local(self, p: Point) -> Point:
        """Map a point of the footprint frame into the local frame."""
        x, y = _rotate(p, self.quarter_turns)
        return (x + self.dx, y + self.dy)

    def to_world(self, p: Point) -> Point:
        """Map a point of the local frame back into the footprint frame."""
        x, y = p[0] - self.dx, p[1] - self.dy
        return _rotate((x, y), (4 - self.quarter_turns) % 4)

    def polygon_to_world(self, points: list[Point]) -> list[Point]:
        """Map a polygon back, keeping it counter-clockwise and rounded to the millimetre."""
        mapped = [self.to_world(p) for p in points]
        ring = orient(Polygon(mapped), sign=1.0)
        return [(round(x, 3) + 0.0, round(y, 3) + 0.0) for x, y in list(ring.exterior.coords)[:-1]]


def _rotate(p: Point, turns: int) -> Point:
    x, y = p
    for _ in range(turns % 4):
        x, y = -y, x
    return (x, y)


def _distance_to_segment(p: Point, a: Point, b: Point) -> float:
    (px, py), (ax, ay), (bx, by) = p, a, b
    dx, dy = bx - ax, by - ay
    length2 = dx * dx + dy * dy
    t = 0.0 if length2 == 0 else max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / length2))
    return math.hypot(px - (ax + t * dx), py - (ay + t * dy))
