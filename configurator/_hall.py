"""Arrange the open areas of the hall with the block-layout engine, pulled by the persona paths."""

from __future__ import annotations

import itertools
import math
from collections import defaultdict
from typing import TYPE_CHECKING

from shapely.geometry import Polygon

from configurator._geometry import EPS, Rect
from configurator.catalog import Case

if TYPE_CHECKING:
    from configurator.layout import Unit

__all__ = ["arrange", "path_flows"]

_SOLVER_MOVES = 150_000
"""Annealing moves the block solver gets per hall (about 0.15 s): a fixed count, not a time,
so the same seed gives the same plan however busy the machine is."""
_SOLVER_SECONDS = 10.0
"""The block solver's clock safety net per hall; it only fires on a machine far slower
than the reference one."""


def path_flows(units: list[Unit], case: Case) -> dict[tuple[str, str], float]:
    """Return visitor flows between units: consecutive moments of the persona paths.

    A flow is the share of visitors who go from one space straight to the next (persona share ×
    path share × both moments' probabilities), split evenly over a space type's units.
    """
    by_type: dict[str, list[str]] = defaultdict(list)
    for u in units:
        by_type[u.space_type.id].append(u.id)
    mix = case.scenario.persona_mix or {p.id: p.share for p in case.catalog.personas}
    flows: dict[tuple[str, str], float] = defaultdict(float)
    for persona in case.catalog.personas:
        share = mix.get(persona.id, 0.0)
        for path in persona.paths:
            moments = [m for m in path.moments if m.space_type in by_type]
            for a, b in itertools.pairwise(moments):
                if a.space_type == b.space_type:
                    continue
                w = share * path.share * a.probability * b.probability
                ua, ub = by_type[a.space_type], by_type[b.space_type]
                for i in ua:
                    for j in ub:
                        flows[i, j] += w / (len(ua) * len(ub))
    return dict(flows)


def arrange(
    units: list[Unit],
    *,
    hall: Polygon,
    entrance: tuple[float, float],
    exit_point: tuple[float, float],
    case: Case,
    seed: int,
) -> list[tuple[Unit, Rect]]:
    """Place the open areas inside the hall; the rest of the hall is walking space.

    The block solver places them in the hall's largest rectangle with the entrance and the
    way on (the corridor passage) as anchors; if it is unavailable or fails, a simple
    deterministic column packing from the entrance outwards is used instead.
    """
    if not units:
        return []
    x0, y0, x1, y1 = _largest_rectangle(hall)
    rect = Rect(x0, y0, x1, y1)
    placed = _solve(units, rect, entrance=entrance, exit_point=exit_point, case=case, seed=seed)
    if placed is None:
        placed = _shelves(units, rect, entrance=entrance)
    if placed is None:
        placed = _treemap(units, rect, entrance=entrance)
    return placed


def _shelves(
    units: list[Unit], rect: Rect, *, entrance: tuple[float, float]
) -> list[tuple[Unit, Rect]] | None:
    """Pack the open areas in one to three shelves across the hall, arrival first (a fallback).

    A shallow hall is best used as one row of open areas side by side; each area takes the
    shelf's depth or its own proportions, whichever its limits allow.
    """
    from configurator.layout import _shape_for_depth

    order = sorted(units, key=lambda u: (u.zone_order, -u.area))
    for shelves in (1, 2, 3):
        depth = rect.height / shelves
        cursor = [rect.x0] * shelves
        out: list[tuple[Unit, Rect]] = []
        for unit in order:
            shape = _shape_for_depth(unit, depth)
            if shape is None:
                break
            w, e = shape
            shelf = next((i for i in range(shelves) if cursor[i] + w <= rect.x1 + EPS), None)
            if shelf is None:
                break
            y0 = rect.y0 + shelf * depth
            out.append((unit, Rect(cursor[shelf], y0, cursor[shelf] + w, y0 + e)))
            cursor[shelf] += w
        else:
            width = max(cursor) - rect.x0
            # Centre the shelves on the entrance where the hall allows: arrival meets the door.
            shift = min(max(entrance[0] - (rect.x0 + width / 2), 0.0), rect.x1 - rect.x0 - width)
            return [(u, Rect(r.x0 + shift, r.y0, r.x1 + shift, r.y1)) for u, r in out]
    return None


def _solve(
    units: list[Unit],
    rect: Rect,
    *,
    entrance: tuple[float, float],
    exit_point: tuple[float, float],
    case: Case,
    seed: int,
) -> list[tuple[Unit, Rect]] | None:
    try:
        from configurator.blocks import BlockProblem, BlockProblemError, solve_blocks
    except ImportError:
        return None
    flows = path_flows(units, case)
    ids = [u.id for u in units]
    matrix = [[flows.get((a, b), 0.0) * 100 for b in ids] for a in ids]
    arrival = [u.id for u in units if u.zone_order == 1]
    lobby = [u.id for u in units if u.space_type.id == "entrance_lobby"] or arrival[:1]
    late = [u.id for u in units if u.privacy == "semi_open"]
    anchors = [
        {
            "id": "entrance",
            "x": entrance[0] - rect.x0,
            "y": max(0.0, entrance[1] - rect.y0),
            "flows": {i: (60.0 if i in lobby else 15.0 if i in arrival else 0.0) for i in ids},
        },
        {
            "id": "corridor",
            "x": min(max(exit_point[0] - rect.x0, 0.0), rect.width),
            "y": rect.height,
            "flows": dict.fromkeys(late, 8.0),
        },
    ]
    try:
        problem = BlockProblem.model_validate(
            {
                "facility": {"width": rect.width, "height": rect.height},
                "departments": [
                    {
                        "id": u.id,
                        "area": u.area,
                        "max_aspect": min(u.max_aspect, 4.0),
                        "min_side": min(u.min_width, math.sqrt(u.area)),
                    }
                    for u in units
                ],
                "flows": matrix,
                "anchors": anchors,
            }
        )
        solution = solve_blocks(
            problem, time_limit=_SOLVER_SECONDS, seed=seed, workers=1, iterations=_SOLVER_MOVES
        )
    except (BlockProblemError, ValueError):
        return None
    by_id = {u.id: u for u in units}
    return [
        (
            by_id[b.id],
            Rect(rect.x0 + b.x, rect.y0 + b.y, rect.x0 + b.x + b.width, rect.y0 + b.y + b.height),
        )
        for b in solution.blocks
    ]


def _treemap(
    units: list[Unit], rect: Rect, *, entrance: tuple[float, float]
) -> list[tuple[Unit, Rect]]:
    """Pack the open areas as a squarified treemap, lobby first at the entrance (a fallback).

    The hall's spare area is one more, empty, cell at the far end, so the areas keep their
    programme sizes; squarifying keeps every cell close to square (Bruls, Huizing & van Wijk).
    """
    from configurator.layout import LayoutError

    order = sorted(units, key=lambda u: -u.area)  # squarifying needs largest first
    spare = rect.area - sum(u.area for u in units)
    if spare < -EPS:
        raise LayoutError("the open areas do not fit in the hall")
    base: list[tuple[Unit | None, float]] = [(u, u.area) for u in order]
    orders = [base]
    if spare > EPS:
        ranked = sorted([*base, (None, spare)], key=lambda item: -item[1])
        orders = [ranked, [(None, spare), *base], [*base, (None, spare)]]
    # Start from the hall's side nearest the entrance.
    flip = abs(entrance[0] - rect.x1) < abs(entrance[0] - rect.x0)
    problem = "the open areas do not fit in the hall"
    for items in orders:
        cells = _squarify(items, Rect(0.0, 0.0, rect.width, rect.height))
        out: list[tuple[Unit, Rect]] = []
        for unit, cell in cells:
            if unit is None:
                continue
            x0, x1 = (rect.width - cell.x1, rect.width - cell.x0) if flip else (cell.x0, cell.x1)
            placed = Rect(rect.x0 + x0, rect.y0 + cell.y0, rect.x0 + x1, rect.y0 + cell.y1)
            short, long_ = sorted((placed.width, placed.height))
            if short < unit.min_width - 1e-6 or long_ / short > unit.max_aspect + 1e-6:
                problem = f"the open area {unit.id} gets no usable shape in the hall"
                break
            out.append((unit, placed))
        else:
            return out
    raise LayoutError(problem)


def _squarify(items: list[tuple[Unit | None, float]], rect: Rect) -> list[tuple[Unit | None, Rect]]:
    """Lay items out in rows along the rectangle's shorter side, keeping cells near square."""
    out: list[tuple[Unit | None, Rect]] = []
    pending = list(items)
    free = rect
    while pending:
        side = min(free.width, free.height)
        row: list[tuple[Unit | None, float]] = [pending.pop(0)]
        while pending and _worst([*row, pending[0]], side) <= _worst(row, side):
            row.append(pending.pop(0))
        total = sum(a for _, a in row)
        thickness = total / side
        offset = 0.0
        for unit, area in row:
            length = area / thickness
            if free.width >= free.height:  # a column at the left of what is free
                cell = Rect(
                    free.x0, free.y0 + offset, free.x0 + thickness, free.y0 + offset + length
                )
            else:  # a row at the bottom
                cell = Rect(
                    free.x0 + offset, free.y0, free.x0 + offset + length, free.y0 + thickness
                )
            out.append((unit, cell))
            offset += length
        if free.width >= free.height:
            free = Rect(free.x0 + thickness, free.y0, free.x1, free.y1)
        else:
            free = Rect(free.x0, free.y0 + thickness, free.x1, free.y1)
    return out


def _worst(row: list[tuple[Unit | None, float]], side: float) -> float:
    """Return the worst aspect ratio of a row of cells laid along a side."""
    total = sum(a for _, a in row)
    thickness = total / side
    return max(max(thickness / (a / thickness), (a / thickness) / thickness) for _, a in row)


def _largest_rectangle(hall: Polygon) -> tuple[float, float, float, float]:
    """Return the hall's bounding box if it is a rectangle, else its widest full-depth strip."""
    x0, y0, x1, y1 = hall.bounds
    if abs(hall.area - (x1 - x0) * (y1 - y0)) < 1e-3:
        return x0, y0, x1, y1
    from configurator._geometry import free_intervals

    best = (x0, y0, x0, y1)
    for cut in sorted({y for _, y in hall.exterior.coords}):
        if cut <= y0 + EPS:
            continue
        for a, b in free_intervals(hall, y0, cut):
            if (b - a) * (cut - y0) > (best[2] - best[0]) * (best[3] - best[1]):
                best = (a, y0, b, cut)
    return best
