"""The plan as a walkable floor: one polygon people walk on, walls between spaces, openings at
the doors, a porch outside each exit.

Rooms, spare areas, open areas, corridors and the hall are joined into one floor; every room's
and spare area's outline becomes a wall :data:`WALL_M` thick, cut where a door stands (a gap the
door's clear width in the shared wall); cores, shafts and columns are holes. Outside each exit
a porch the door's width and :data:`PORCH_M` deep is added, its outer half the exit people leave
by (so they pass the real opening). Slots narrower than a person (:data:`BODY_M` a side) are
taken out (the simulator's router ignores bodies and would send people into them). The result is
snapped to a 1 mm grid and checked before a simulator sees it: one connected polygon (a space
its doors do not join is E571, one only a slot narrower than a person joins is E572).
Furniture is not drawn: rooms are empty floor (the cards' typical furniture is not yet holes).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry import LineString, Point, Polygon, box
from shapely.geometry.base import BaseGeometry
from shapely.ops import unary_union

from configurator.model.errors import ConfigError, Problem
from configurator.model.plan import Plan
from configurator.model.schema import BuildingRules, Catalog, Footprint
from configurator.review.egress import egress_from_analysis, persons_in
from configurator.review.geometry import PlanAnalysis, analysis_from_plan

__all__ = [
    "BODY_M",
    "PORCH_M",
    "SPEED_LIMITS_M_S",
    "WALL_M",
    "ExitArea",
    "WalkableFloor",
    "walkable_floor",
    "walking_speed",
]

WALL_M = 0.1
"""Thickness of the walls drawn between spaces, m (a partition; the doors' widths are clear)."""
PORCH_M = 1.2
"""Depth of the floor added outside an exit, m: its outer half is where people have left."""
BODY_M = 0.25
"""Half the narrowest passage a person walks through, m: a shoulder width of 0.5 m (JuPedSim's
agents are 0.2 m in radius; a gap under 0.5 m traps them)."""
_SNAP_M = 0.001
SPEED_LIMITS_M_S = (0.6, 1.8)
"""Desired walking speeds are drawn within these, m/s: no one crawls or runs indoors."""


@dataclass(frozen=True)
class ExitArea:
    """An exit as the simulation uses it: the door, the porch outside it, where people leave."""

    id: str
    kind: str
    width_m: float
    at: tuple[float, float]
    porch: Polygon
    """The floor outside the door: whoever stands on it is out of the building."""
    leave: Polygon
    """The outer half of the porch: an agent who reaches it is taken out of the simulation."""
    line: LineString
    """Across the porch a step (0.3 m) outside the door: people crossing it are counted out by
    this exit (at the door itself a person pressed to the jamb can stand on the line)."""
    everyone: bool
    """False for a staff door only staff space may use (the building rules' setting)."""


@dataclass(frozen=True)
class WalkableFloor:
    """The floor the simulation walks: one polygon, each space's part of it, the exits."""

    area: Polygon
    spaces: dict[str, Polygon]
    """Each space's walkable part (a room less its walls), where its people stand."""
    staff_only: dict[str, bool]
    exits: list[ExitArea]
    persons: dict[str, int]
    """The people each room and open area holds (the building rules' occupant load)."""
    longest_route_m: float
    """The longest escape route's walk (the building rules' grid walk, not counted twice)."""


def walking_speed(rng: np.random.Generator, mean: float, sd: float) -> float:
    """Draw a person's desired walking speed, normal about ``mean`` within
    :data:`SPEED_LIMITS_M_S` (the evacuation's and the day's, one judgement)."""
    low, high = SPEED_LIMITS_M_S
    return float(np.clip(rng.normal(mean, sd), low, high))


def walkable_floor(
    plan: Plan,
    *,
    catalog: Catalog,
    rules: BuildingRules,
    footprint: Footprint | None = None,
) -> WalkableFloor:
    """Return the plan's walkable floor (see the module docstring), checked; raise
    :class:`ConfigError` (E570-E572) where a simulator could not use it."""
    analysis = analysis_from_plan(plan, footprint=footprint)
    egress = egress_from_analysis(analysis, catalog=catalog, rules=rules)
    if not egress.exits:
        raise ConfigError([Problem("E570", "the plan has no exit to leave by", None)])
    tenants = analysis.own_doors()  # spare areas with façade doors of their own: another
    # tenant's evacuation area (the building rules leave them out too)
    ours = {sid: s for sid, s in analysis.spaces.items() if sid not in tenants}
    holes = unary_union([analysis.solids, *analysis.columns])
    floor = unary_union([s.shape for s in ours.values()])
    floor = floor.intersection(analysis.building).difference(holes)
    walls = _walls(analysis)
    exits = [_exit(analysis.building, e.id, e.kind, e.at, e.width_m, e.everyone)
             for e in egress.exits]  # fmt: skip
    porches = [_porch(analysis.building, e.at, e.width_m) for e in egress.exits]
    area = unary_union([floor.difference(walls), *porches])
    # an opening by half a shoulder: slots narrower than a person (a gap between a room and
    # the façade) go, since the simulator's router ignores bodies and would send people in
    area = shapely.set_precision(area, _SNAP_M)  # first: it closes sub-millimetre slivers of
    # wall a turned door's opening leaves
    joined = _largest(area)
    # an opening by half a shoulder: slots narrower than a person (a gap between a room and
    # the façade, a door too narrow) go, since the simulator's router ignores bodies
    opened = joined.buffer(-BODY_M, join_style="mitre").buffer(BODY_M, join_style="mitre")
    main = _largest(shapely.set_precision(opened.intersection(joined), _SNAP_M))
    spaces = {}
    problems = []
    for sid, space in sorted(ours.items()):
        usable = max(space.shape.difference(holes).area - 1.0, 0.0) * 0.5
        part = space.shape.intersection(main)
        if part.area >= usable - 1e-6 and not part.is_empty:
            spaces[sid] = _largest(part)
        elif space.shape.intersection(joined).area < usable - 1e-6:
            problems.append(
                Problem("E571", f"{sid} is not joined to the rest of the floor by a door", None)
            )
        else:
            where = space.shape.representative_point()
            problems.append(
                Problem("E572", f"from {sid} (near {where.x:.1f}, {where.y:.1f}) no passage "
                        f"at least {2 * BODY_M:.1f} m wide leads to the exits", None)
            )  # fmt: skip
    if problems:
        raise ConfigError(problems)
    area = shapely.remove_repeated_points(shapely.orient_polygons(main), _SNAP_M)
    persons = persons_in(analysis, catalog=catalog, rules=rules)
    return WalkableFloor(
        area=area,
        spaces=spaces,
        staff_only={sid: s.staff_only for sid, s in analysis.spaces.items()},
        exits=exits,
        persons={k: v for k, v in persons.items() if k in spaces},
        longest_route_m=max((r.walked_m for r in egress.routes.values()), default=0.0),
    )


def _walls(analysis: PlanAnalysis) -> BaseGeometry:
    """Return the walls round every room and spare area, cut at their doors."""
    rings = [s.shape.exterior for s in analysis.spaces.values() if s.enclosed]  # tenants too
    walls = unary_union([r.buffer(WALL_M / 2, cap_style="flat", join_style="mitre")
                         for r in rings])  # fmt: skip
    gaps = [_door_gap(d.at, d.wall, d.width_m) for d in analysis.plan.doors]
    return walls.difference(unary_union(gaps)) if gaps else walls


def _door_gap(
    at: tuple[float, float], wall: tuple[tuple[float, float], tuple[float, float]], width: float
) -> Polygon:
    """Return the opening a door cuts through a wall: its clear width along the wall, through
    the wall's thickness with room to spare."""
    (x0, y0), (x1, y1) = wall
    length = math.hypot(x1 - x0, y1 - y0) or 1.0
    ux, uy = (x1 - x0) / length, (y1 - y0) / length
    nx, ny = -uy, ux
    half, deep = width / 2, WALL_M * 3
    cx, cy = at
    return Polygon([
        (cx - ux * half - nx * deep, cy - uy * half - ny * deep),
        (cx + ux * half - nx * deep, cy + uy * half - ny * deep),
        (cx + ux * half + nx * deep, cy + uy * half + ny * deep),
        (cx - ux * half + nx * deep, cy - uy * half + ny * deep),
    ])  # fmt: skip


def _outward(building: Polygon, at: tuple[float, float]) -> tuple[float, float, float, float]:
    """Return the façade's direction at a door and the outward normal (ux, uy, nx, ny)."""
    ring = building.exterior
    here = Point(at)
    d = ring.project(here)
    a, b = ring.interpolate(max(d - 0.5, 0.0)), ring.interpolate(min(d + 0.5, ring.length))
    length = math.hypot(b.x - a.x, b.y - a.y) or 1.0
    ux, uy = (b.x - a.x) / length, (b.y - a.y) / length
    nx, ny = uy, -ux
    if building.contains(Point(at[0] + nx * 0.05, at[1] + ny * 0.05)):
        nx, ny = -nx, -ny
    return ux, uy, nx, ny


def _porch(building: Polygon, at: tuple[float, float], width: float) -> Polygon:
    """Return the floor outside an exit: the door's width, :data:`PORCH_M` deep (and a
    millimetre into the building, so it joins the floor)."""
    ux, uy, nx, ny = _outward(building, at)
    return _band(at, ux, uy, nx, ny, width, -0.01, PORCH_M)


def _exit(building: Polygon, ident: str, kind: str, at: tuple[float, float], width: float,
          everyone: bool) -> ExitArea:  # fmt: skip
    """Return an exit: the porch's outer half to leave by, the door line to count at."""
    ux, uy, nx, ny = _outward(building, at)
    half, out = width / 2, PORCH_M / 4  # counted a step outside: nobody stands on that line
    line = LineString([(at[0] - ux * half + nx * out, at[1] - uy * half + ny * out),
                       (at[0] + ux * half + nx * out, at[1] + uy * half + ny * out)])  # fmt: skip
    porch = _band(at, ux, uy, nx, ny, width, 0.0, PORCH_M)
    leave = _band(at, ux, uy, nx, ny, width, PORCH_M / 2, PORCH_M)
    middle = (float(at[0]), float(at[1]))
    return ExitArea(ident, kind, width, middle, porch, leave, line, everyone)


def _band(at: tuple[float, float], ux: float, uy: float, nx: float, ny: float, width: float,
          near: float, far: float) -> Polygon:  # fmt: skip
    """Return the rectangle ``width`` along the façade, from ``near`` to ``far`` outward."""
    half = width / 2
    x, y = at
    return Polygon([
        (x - ux * half + nx * near, y - uy * half + ny * near),
        (x + ux * half + nx * near, y + uy * half + ny * near),
        (x + ux * half + nx * far, y + uy * half + ny * far),
        (x - ux * half + nx * far, y - uy * half + ny * far),
    ])  # fmt: skip


def _polygons(geometry: BaseGeometry) -> list[Polygon]:
    """Return the polygons of a geometry (a polygon, a multipolygon or a collection)."""
    return [g for g in getattr(geometry, "geoms", [geometry]) if isinstance(g, Polygon)
            and not g.is_empty]  # fmt: skip


def _largest(geometry: BaseGeometry) -> Polygon:
    """Return a geometry's largest polygon (a room's floor, less what its walls cut off)."""
    pieces = _polygons(geometry)
    return max(pieces, key=lambda p: p.area) if pieces else box(0, 0, 0, 0)
