"""Derive building outlines from wall linework: gaps closed, double walls resolved, in shapely.

Pure geometry, in metres, no DXF: :mod:`configurator.dxf.footprint` reads the drawing and
hands the wall lines here. A building is a region the walls enclose once gaps up to
``gap_m`` (doors, glazing left out) are bridged by a morphological closing; its usable floor is
that region less the wall mass, with the rooms joined across interior walls, so a double outer
wall gives its inner face and a single line gives itself.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry import LineString, MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

__all__ = [
    "Building",
    "DoorSwing",
    "buildings_from_walls",
    "clean_polygon",
    "door_swings",
    "joined_strokes",
    "merge_collinear",
    "polygons_of",
]

_EPS = 0.0002
"""Half-width given to wall lines, m: thin enough that a single line gives itself back."""
_THICK = 0.05
"""Half-width of the lines whose closing gives the outer face."""
_WALL_M = 0.35
"""Double wall lines up to twice this far apart are one wall."""
_MIN_BUILDING_M2 = 15.0
_MITRE = {"join_style": "mitre", "mitre_limit": 1.5}
"""Square corners (ratio 1.41) kept, sharper ones bevelled: else the spike at a door leaf's
acute angle to its wall reaches metres out and cuts through the next wall."""


@dataclass(frozen=True)
class Building:
    """One enclosed building: its outer face and its usable floor (inner face), with holes."""

    outer: Polygon
    floor: Polygon

    @property
    def wall_m(self) -> float:
        """Mean thickness of the outer wall: the band between the faces over its length."""
        ring = self.outer.exterior.length
        return (self.outer.area - Polygon(self.floor.exterior).area) / ring if ring else 0.0


@dataclass(frozen=True)
class DoorSwing:
    """A door drawn as a swing arc: hinge, leaf length and the opening's two ends on the wall."""

    hinge: tuple[float, float]
    radius: float
    closed_end: tuple[float, float]
    open_end: tuple[float, float]

    @property
    def opening(self) -> LineString:
        """The door opening along the wall: from the hinge to the leaf's closed position."""
        return LineString([self.hinge, self.closed_end])


def polygons_of(geometry: BaseGeometry) -> list[Polygon]:
    """Return the polygons of any geometry (a polygon, a multipolygon, a collection)."""
    if isinstance(geometry, Polygon):
        return [] if geometry.is_empty else [geometry]
    if isinstance(geometry, MultiPolygon) or hasattr(geometry, "geoms"):
        return [p for g in geometry.geoms for p in polygons_of(g)]
    return []


_SAME_ANGLE = 1e-6
"""Straight strokes whose directions differ by less than this (radians) ..."""
_SAME_LINE_M = 1e-4
"""... and whose lines pass within this of each other are one line where they touch."""


_SIMPLIFY_M = 0.005
"""Chains of strokes are simplified to this before the closing (a curved wall drawn as
thousands of 1 mm chords keeps its shape to 5 mm, far below the 2 cm the outline keeps)."""


_SHORT_M = 0.1
"""Strokes shorter than this are tessellation (a wall or a curve exported stroke by stroke) and
are joined; longer ones are drawn walls and are left as drawn. (Joining a drawn wall with the
short sides of its piers moved the closing of a 1.6 m gap in the campus drawing: the closing of
gaps near its 2.5 m limit hangs on such details.)"""


def joined_strokes(lines: Sequence[LineString]) -> list[LineString]:
    """Return the lines with their short strokes (under :data:`_SHORT_M`) joined: collinear ones
    (:func:`merge_collinear`), then those meeting end to end chained and simplified to
    :data:`_SIMPLIFY_M`. A storey whose walls are tessellated into 200 000 short lines, straight
    or curved, becomes its few wall runs; walls drawn as walls pass unchanged."""
    short = [line for line in lines if line.length < _SHORT_M]
    if len(short) < 2:
        return list(lines)
    straight = merge_collinear(short)
    chains = shapely.line_merge(shapely.multilinestrings(straight))
    parts = [g for g in getattr(chains, "geoms", [chains]) if isinstance(g, LineString)]
    simple = shapely.simplify(np.array(parts, dtype=object), _SIMPLIFY_M, preserve_topology=True)
    joined = [g for g in simple if isinstance(g, LineString) and not g.is_empty]
    return [line for line in lines if line.length >= _SHORT_M] + joined


def merge_collinear(lines: Sequence[LineString]) -> list[LineString]:
    """Return the lines with touching or overlapping collinear straight strokes joined.

    A wall tessellated into 200 000 short lines becomes its few straight runs, which the
    buffering and closing below handle in milliseconds instead of minutes. Strokes of more than
    two points pass unchanged; a joined stroke keeps the outermost of its strokes' own ends.
    """
    every = np.array(lines, dtype=object)
    if len(lines) < 2:
        return list(lines)
    straight = np.flatnonzero(shapely.get_num_coordinates(every) == 2)
    if len(straight) < 2:
        return list(lines)
    ends = shapely.get_coordinates(every[straight]).reshape(-1, 2, 2)  # n × 2 ends × (x, y)
    d = ends[:, 1] - ends[:, 0]
    theta = np.mod(np.arctan2(d[:, 1], d[:, 0]), math.pi)
    theta[theta > math.pi - _SAME_ANGLE / 2] = 0.0  # a stroke pointing back along the axis
    # Directions grouped greedily (a group spans at most _SAME_ANGLE, so a curve's chords do
    # not chain into one), each stroke then measured in its group's direction: rounding to
    # fixed buckets split strokes 500 km from the origin whose offsets straddled a bucket edge.
    by_angle = np.argsort(theta, kind="stable")
    group = np.empty(len(theta), dtype=np.int64)
    start = -math.inf
    count = -1
    for k, angle in zip(by_angle.tolist(), theta[by_angle].tolist(), strict=True):
        if angle - start > _SAME_ANGLE:
            start, count = angle, count + 1
            heading = angle
        group[k] = count
        theta[k] = heading
    ux, uy = np.cos(theta), np.sin(theta)
    rho = ends[:, 0, 1] * ux - ends[:, 0, 0] * uy  # signed distance of the line from the origin
    t = ends[:, :, 0] * ux[:, None] + ends[:, :, 1] * uy[:, None]  # ends along the line
    low = np.argmin(t, axis=1)
    t0, t1 = t.min(axis=1), t.max(axis=1)
    by_offset = np.lexsort((rho, group))
    line = np.empty(len(theta), dtype=np.int64)
    last_group, start, count = -1, -math.inf, -1
    for k in by_offset.tolist():
        if group[k] != last_group or rho[k] - start > _SAME_LINE_M:
            last_group, start, count = int(group[k]), float(rho[k]), count + 1
        line[k] = count
    order = np.lexsort((t0, line)).tolist()
    merged: list[LineString] = []
    k = 0
    while k < len(order):
        first = order[k]  # the line's stroke reaching furthest back (sorted by t0)
        stop, stop_at = t1[first], first
        k += 1
        while (
            k < len(order) and line[order[k]] == line[first] and t0[order[k]] <= stop + _SAME_LINE_M
        ):
            if t1[order[k]] > stop:
                stop, stop_at = t1[order[k]], order[k]
            k += 1
        a = ends[first, low[first]]
        b = ends[stop_at, 1 - low[stop_at]]
        merged.append(LineString([tuple(a), tuple(b)]))
    single = set(straight.tolist())
    return merged + [line for k, line in enumerate(lines) if k not in single]


def _closing(geometry: BaseGeometry, radius: float) -> BaseGeometry:
    return geometry.buffer(radius, **_MITRE).buffer(-radius, **_MITRE)


def _opening(geometry: BaseGeometry, radius: float) -> BaseGeometry:
    return geometry.buffer(-radius, **_MITRE).buffer(radius, **_MITRE)


def clean_polygon(polygon: Polygon, *, tolerance: float = 0.02) -> Polygon:
    """Return the polygon simplified (points within ``tolerance``), to the mm, counter-clockwise
    from its lowest (then leftmost) corner, so the same shape always gives the same list."""
    simple = polygon.simplify(tolerance, preserve_topology=True)
    rounded = shapely.set_precision(simple, 0.001)
    parts = sorted(polygons_of(rounded), key=lambda p: -p.area)
    if not parts:
        return Polygon()
    oriented = shapely.orient_polygons(parts[0])
    ring = list(oriented.exterior.coords)[:-1]
    first = min(range(len(ring)), key=lambda i: (ring[i][1], ring[i][0]))
    return Polygon(ring[first:] + ring[:first], [list(h.coords) for h in oriented.interiors])


def _without_reveals(floor: Polygon, outer: Polygon) -> Polygon:
    """Cut the door reveals (floor reaching into the wall's depth at a gap) back to the face.

    The wall's thickness is the median distance from the floor's edge to the outer face; floor
    nearer the outer face than that is a reveal. Single-line walls have none.
    """
    ring = floor.exterior
    samples = [ring.interpolate(d) for d in range(0, int(ring.length), 1)] or [ring.centroid]
    depths = sorted(float(outer.exterior.distance(p)) for p in samples)
    thickness = depths[len(depths) // 2]
    if thickness < 0.05:
        return floor
    inner = outer.buffer(-0.95 * thickness, **_MITRE)
    parts = sorted(polygons_of(floor.intersection(inner)), key=lambda p: -p.area)
    return parts[0] if parts else floor


def buildings_from_walls(
    walls: Sequence[LineString], *, gap_m: float = 2.5, min_area_m2: float = _MIN_BUILDING_M2
) -> list[Building]:
    """Return the buildings the wall lines enclose, largest usable floor first.

    Gaps up to ``gap_m`` are closed (the outer face across a door runs straight from jamb to
    jamb); shapes smaller than ``min_area_m2`` (furniture, a column) and shapes inside another
    building are dropped. The floor is the enclosed region less the wall mass, closed across
    walls up to 0.7 m thick; what stays enclosed and is not floor (a thick core) is a hole.
    """
    lines = [w for w in walls if w.length > 1e-6]
    if not lines:
        return []
    mass = shapely.unary_union([w.buffer(_EPS, cap_style="square", **_MITRE) for w in lines])
    # Closing hairlines would leave walls of no width that break; close lines made 10 cm wide
    # and take the 5 cm back from the outer face afterwards.
    thick = shapely.unary_union([w.buffer(_THICK, cap_style="square", **_MITRE) for w in lines])
    closed = _closing(thick, gap_m / 2)
    regions = [
        _opening(Polygon(p.exterior).buffer(-_THICK, **_MITRE), 0.15) for p in polygons_of(closed)
    ]
    outers = sorted(
        (p for r in regions for p in polygons_of(r) if p.area >= min_area_m2),
        key=lambda p: -p.area,
    )
    kept: list[Polygon] = []
    for outer in outers:
        if not any(k.buffer(0.01).contains(outer) for k in kept):
            kept.append(outer)
    solid = _closing(mass, _WALL_M)
    buildings = []
    for outer in kept:
        inside = outer.difference(solid)
        floor = _opening(_closing(inside, _WALL_M), 0.05)
        parts = sorted(polygons_of(floor.intersection(outer)), key=lambda p: -p.area)
        if not parts or parts[0].area < min_area_m2 * 0.5:
            continue
        main = _without_reveals(parts[0], outer)
        holes = [h for h in main.interiors if Polygon(h).area >= 0.5]
        floor_polygon = Polygon(main.exterior, holes)
        buildings.append(Building(outer=outer, floor=floor_polygon))
    return sorted(buildings, key=lambda b: -b.floor.area)


def door_swings(
    arcs: Sequence[tuple[tuple[float, float], float, float, float]],
    lines: Sequence[LineString],
) -> tuple[list[DoorSwing], set[int]]:
    """Find door swings among arcs and the leaves among lines; return them and the leaf indices.

    An arc is a swing when its radius is that of a door leaf (0.35-1.6 m) and it sweeps 10-120
    degrees (a swing may be drawn part open); ``arcs`` are (centre, radius, start, end angle in
    degrees, anticlockwise). The leaf is a line from the hinge (the centre) towards one end of
    the arc (within 4 degrees, at least half the radius long); the other end is where the leaf
    closes, on the wall. Without a leaf, the end along a wall line through the hinge is closed.
    """
    swings: list[DoorSwing] = []
    leaves: set[int] = set()
    # the lines at a hinge, from a spatial index: a storey may have 200 000 strokes
    tree = shapely.STRtree(lines) if arcs and lines else None
    for (cx, cy), radius, start, end in arcs:
        sweep = (end - start) % 360.0
        if not (0.35 <= radius <= 1.6 and 10.0 <= sweep <= 120.0):
            continue
        tips = [
            (cx + radius * math.cos(math.radians(a)), cy + radius * math.sin(math.radians(a)))
            for a in (start, end)
        ]
        hinge = shapely.Point(cx, cy)
        at_hinge = (
            sorted(int(i) for i in tree.query(hinge, predicate="dwithin", distance=0.06))
            if tree is not None
            else []
        )
        ends = {i: (tuple(lines[i].coords[0]), tuple(lines[i].coords[-1])) for i in at_hinge}
        open_index, leaf = 0, None
        for i, (p, q) in ends.items():
            for near, far in ((p, q), (q, p)):
                length = math.dist(near, far)
                if math.dist(near, (cx, cy)) > 0.06 or length < 0.5 * radius:
                    continue
                heading = math.atan2(far[1] - near[1], far[0] - near[0])
                for k, tip in enumerate(tips):
                    toward = math.atan2(tip[1] - cy, tip[0] - cx)
                    if abs(math.remainder(heading - toward, math.tau)) <= math.radians(4.0):
                        open_index, leaf = k, i
        if leaf is not None:
            leaves.add(leaf)
        else:  # no leaf: the leaf closes along the wall the hinge stands on
            walls = [
                math.atan2(q[1] - p[1], q[0] - p[0])
                for p, q in ends.values()
                if math.dist(p, q) > 0.3
            ]
            if walls:
                slants = [
                    min(abs(math.remainder(math.atan2(y - cy, x - cx) - w, math.pi)) for w in walls)
                    for x, y in tips
                ]
                open_index = 0 if slants[0] > slants[1] else 1
        swings.append(DoorSwing((cx, cy), radius, tips[1 - open_index], tips[open_index]))
    return swings, leaves
