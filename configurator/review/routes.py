"""The persona paths drawn on a plan: the walk each visitor group makes, as a line.

Each persona's most common service path is walked as the KPIs walk it (:mod:`kpis`): from the
main entrance to the nearest room of each moment's type in turn and back out, over the floor
visitors may use. The line is traced back through the same walking grid, so its length is the
walk the KPI counts.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
from pydantic import BaseModel, ConfigDict

from configurator.inputs.catalog import Case
from configurator.model.plan import Plan
from configurator.model.schema import Footprint, Names, Point
from configurator.review.geometry import analysis_from_plan
from configurator.review.kpis import reach_points
from configurator.review.walk import GRID_M, WalkGrid

__all__ = ["Route", "persona_routes"]

_STEPS = [(1, 0), (-1, 0), (0, 1), (0, -1), (1, 1), (1, -1), (-1, 1), (-1, -1)]


class Route(BaseModel):
    """One persona's usual walk through a plan, in drawing coordinates (m)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    persona: str
    names: Names
    path: str
    path_names: Names
    share: float
    points: list[Point]
    stops: list[str]
    length_m: float


def persona_routes(plan: Plan, *, case: Case, footprint: Footprint | None = None) -> list[Route]:
    """Return each persona's most common path through the plan, in catalog order.

    A moment whose space type has no reachable room is skipped, as the walk KPI skips it.
    """
    analysis = analysis_from_plan(plan, footprint=footprint or case.scenario.footprint)
    grid = WalkGrid(analysis.visitor_floor(), analysis.frame)
    reach = reach_points(analysis)
    by_type: dict[str, list[str]] = {}
    for room in plan.rooms:
        if room.id in reach:
            by_type.setdefault(room.space_type, []).append(room.id)
    main = next((e.at for e in plan.entrances if e.kind == "main"), plan.entrances[0].at)
    routes = []
    for persona in case.catalog.personas:
        path = max(persona.paths, key=lambda p: p.share)
        here, field = main, grid.distances_from(main)
        points: list[Point] = [main]
        stops: list[str] = []
        for moment in path.moments:
            if moment.kind in ("arrive", "leave"):
                continue
            reachable = [
                (grid.distance_to(field, reach[i]), i) for i in by_type.get(moment.space_type, [])
            ]
            reachable = [r for r in reachable if math.isfinite(r[0])]
            if not reachable:
                continue
            _, room_id = min(reachable)
            if stops and stops[-1] == room_id:
                continue
            points += _trace(grid, field, here, reach[room_id])
            here, field = reach[room_id], grid.distances_from(reach[room_id])
            stops.append(room_id)
        points += _trace(grid, field, here, main)
        routes.append(
            Route(
                persona=persona.id,
                names=persona.names,
                path=path.id,
                path_names=path.names,
                share=path.share,
                points=_straightened(points),
                stops=stops,
                length_m=_length(points),
            )
        )
    return routes


def _trace(grid: WalkGrid, field: np.ndarray, start: Point, end: Point) -> list[Point]:
    """Return the grid walk from ``start`` (where ``field`` is zero) to ``end``, ``end`` last.

    It steps back from the end's cell to the neighbour the shortest walk came from, as the
    search moved: eight neighbours, no corner cut.
    """
    cell = grid.cell(end)
    if cell is None or not math.isfinite(field[cell]):
        return []
    ny, nx = field.shape
    cells = [cell]
    j, i = cell
    while field[j, i] > 1e-9:
        best: tuple[float, int, int] | None = None
        for dj, di in _STEPS:
            a, b = j + dj, i + di
            if not (0 <= a < ny and 0 <= b < nx) or not grid.free[a, b]:
                continue
            if dj and di and not (grid.free[j + dj, i] and grid.free[j, i + di]):
                continue
            via = float(field[a, b]) + math.hypot(dj, di) * GRID_M
            if best is None or via < best[0]:
                best = (via, a, b)
        if best is None or best[0] > field[j, i] + 1e-6:
            break  # not on a shortest walk (cannot happen on a field the search made)
        j, i = best[1], best[2]
        cells.append((j, i))
    centres = [_centre(grid, c) for c in reversed(cells)]
    return [*centres, end]


def _centre(grid: WalkGrid, cell: tuple[int, int]) -> Point:
    """Return a grid cell's centre in drawing coordinates."""
    j, i = cell
    x, y = grid.grid.world(
        np.array(grid.x0 + (i + 0.5) * GRID_M), np.array(grid.y0 + (j + 0.5) * GRID_M)
    )
    return (round(float(x), 4), round(float(y), 4))


def _straightened(points: list[Point]) -> list[Point]:
    """Drop repeated points and the middle points of straight runs (the line stays the same)."""
    out: list[Point] = []
    for p in points:
        if out and math.dist(out[-1], p) < 1e-6:
            continue
        if len(out) >= 2:
            (ax, ay), (bx, by) = out[-2], out[-1]
            cross = (bx - ax) * (p[1] - ay) - (by - ay) * (p[0] - ax)
            ahead = (bx - ax) * (p[0] - bx) + (by - ay) * (p[1] - by)
            if abs(cross) < 1e-6 and ahead > 0:
                out[-1] = p
                continue
        out.append(p)
    return out


def _length(points: list[Point]) -> float:
    """Return the length of a polyline, m."""
    return math.fsum(math.dist(a, b) for a, b in itertools.pairwise(points))
