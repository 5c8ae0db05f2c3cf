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

_SOLVER_SECONDS = 0.6
"""Time the block solver gets per hall: the whole option must stay under two seconds."""


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
        placed = _columns(units, rect, entrance=entrance)
    return placed


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
        solution = solve_blocks(problem, time_limit=_SOLVER_SECONDS, seed=seed, workers=1)
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


def _columns(
    units: list[Unit], rect: Rect, *, entrance: tuple[float, float]
) -> list[tuple[Unit, Rect]]:
    """Pack open areas in columns from the entrance outwards, arrival first (a fallback)."""
    order = sorted(units, key=lambda u: (u.zone_order, -u.area))
    columns: list[list[tuple[Unit, float, float]]] = []
    widths: list[float] = []
    height = rect.height
    for unit in order:
        for col, w in zip(columns, widths, strict=True):
            used = sum(e for _, _, e in col)
            e = unit.area / w
            if used + e <= height + EPS and max(w, e) / min(w, e) <= unit.max_aspect + 1e-6:
                col.append((unit, w, e))
                break
        else:
            e = min(height, math.sqrt(unit.area * min(unit.max_aspect, 2.0)))
            w = unit.area / e
            columns.append([(unit, w, e)])
            widths.append(w)
    total = sum(widths)
    gap = max(0.0, (rect.width - total) / (len(columns) + 1))
    # Columns alternate right and left of the entrance, the first centred on it.
    slots: list[float] = []
    left_edge = right_edge = min(max(entrance[0] - widths[0] / 2, rect.x0), rect.x1 - widths[0])
    for i, w in enumerate(widths):
        if i == 0:
            slots.append(left_edge)
            right_edge = left_edge + w
            continue
        if (
            i % 2 == 1 and right_edge + gap + w <= rect.x1 + EPS
        ) or left_edge - gap - w < rect.x0 - EPS:
            slots.append(right_edge + gap)
            right_edge += gap + w
        else:
            left_edge -= gap + w
            slots.append(left_edge)
    out: list[tuple[Unit, Rect]] = []
    for col, x in zip(columns, slots, strict=True):
        y = rect.y0
        for unit, w, e in col:
            out.append((unit, Rect(x, y, x + w, y + e)))
            y += e
    if any(r.x0 < rect.x0 - EPS or r.x1 > rect.x1 + EPS for _, r in out):
        from configurator.layout import LayoutError

        raise LayoutError("the open areas do not fit in the hall")
    return out


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
