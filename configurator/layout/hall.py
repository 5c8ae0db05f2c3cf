"""Arrange the open areas of the hall with the block-layout engine, pulled by the persona paths."""

from __future__ import annotations

import itertools
import math
from collections import defaultdict

from shapely.geometry import Point, Polygon
from shapely.geometry.base import BaseGeometry

from configurator.inputs.catalog import Case
from configurator.layout.rect import EPS, Rect
from configurator.layout.shapes import box
from configurator.layout.stack import free_runs
from configurator.layout.units import Unit, depth_range
from configurator.model.errors import LayoutError

__all__ = ["arrange", "fits", "largest_rectangle", "path_flows"]

_SOLVER_MOVES = 25_000
"""Annealing moves the block solver gets per hall (about 0.03 s): a fixed count, not a time,
so the same seed gives the same plan however busy the machine is."""
_SOLVER_LPS = 1
"""Linear programs of the solver's relation search per hall (about 20 ms each)."""
_SOLVER_ELITES = 1
"""Layouts the solver polishes per hall: the best one (a hall needs a good arrangement, not
the last percent of walking distance)."""
_LOBBY_PULL = 100.0
"""Flow from the entrance to the lobby in the block problem (the others' are 15): at 60 the lobby
ended up to 4 m from the door in four of ten large-city candidates; at 100 it meets the door in
all, and more than that pushes areas against rooms they must not touch."""
_GUARD_PULL = 60.0
"""Flow to the guard post, when it is arranged with the open areas, from a spot a few steps
aside of the main door (_GUARD_ASIDE_M): it stands beside the door, the lobby (100) at it."""
_GUARD_ASIDE_M = 3.0
"""How far aside of the main door the guard post is pulled (its 2–3 m side beside the lobby)."""
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
    hall: BaseGeometry,
    entrance: tuple[float, float],
    exit_point: tuple[float, float],
    case: Case,
    seed: int,
    columns: list[Polygon] | None = None,
) -> list[tuple[Unit, Rect]]:
    """Place the open areas inside the hall; the rest of the hall is walking space.

    The block solver places them in the hall's largest rectangle with the entrance and the
    way on (the corridor passage) as anchors; if it is unavailable or fails, shelves or a
    squarified treemap do. When the largest rectangle cannot hold them all (an L-shaped hall),
    the areas that belong nearest the entrance go there and the rest into the next rectangle.
    Open areas under 20 m² are moved off columns. Raises :class:`LayoutError` if they do not fit.
    """
    if not units:
        return []
    shares, pending = _rectangles(units, hall, entrance)
    if pending:
        need = sum(u.area for u in pending)
        raise LayoutError(
            f"{len(pending)} open areas ({need:.0f} m²) find no rectangle in the hall: "
            + ", ".join(u.id for u in pending[:4])
        )
    out: list[tuple[Unit, Rect]] = []
    for rect, take in shares:
        placed = _solve(take, rect, entrance=entrance, exit_point=exit_point, case=case, seed=seed)
        if placed is None:
            placed = _shelves(take, rect, entrance=entrance)
        if placed is None:
            placed = _treemap(take, rect, entrance=entrance)
        out += placed
    return _off_columns(out, hall, columns or [])


def fits(units: list[Unit], *, hall: BaseGeometry, entrance: tuple[float, float]) -> bool:
    """Tell, without solving, whether the hall's rectangles can take every open area.

    What :func:`arrange` checks first, for a caller trying several halls (one per size of a
    spare area) that would otherwise pay a block solve for each that fails.
    """
    return not _rectangles(units, hall, entrance)[1]


def _rectangles(
    units: list[Unit], hall: BaseGeometry, entrance: tuple[float, float]
) -> tuple[list[tuple[Rect, list[Unit]]], list[Unit]]:
    """Share the open areas over up to three of the hall's largest rectangles, nearest the
    entrance first; return each rectangle with its areas, and the areas left over."""
    shares: list[tuple[Rect, list[Unit]]] = []
    pending = sorted(units, key=_share_order)
    free = hall
    for _ in range(3):
        x0, y0, x1, y1 = largest_rectangle(free, near=entrance)
        rect = Rect(x0, y0, x1, y1)
        take = _share(pending, rect)
        if not take:
            break
        shares.append((rect, take))
        pending = [u for u in pending if u not in take]
        if not pending:
            break
        free = free.difference(box(x0, y0, x1, y1))
    return shares, pending


def _share_order(unit: Unit) -> tuple[int, int, float]:
    """Order the open areas for the rectangles, which are nearest the entrance first: the
    arrival zone and the guard post (it stands beside the door), then the areas that need
    daylight and the work places (the first rectangle lies along the entrance façade), then
    the rest by zone."""
    first = unit.zone_order == 1 or unit.serves_lobby
    light = unit.space_type.daylight == "required" or unit.space_type.unit == "workplace"
    return (0 if first else 1 if light else 2, unit.zone_order, -unit.area)


def _share(units: list[Unit], rect: Rect) -> list[Unit]:
    """Return the leading units (entrance side first) that a rectangle can hold with walkways."""
    take: list[Unit] = []
    total = 0.0
    for u in units:
        low, _ = depth_range(u)
        if low > min(rect.width, rect.height) + EPS or total + u.area > 0.85 * rect.area:
            continue  # it goes to the next rectangle; smaller ones may still fit here
        take.append(u)
        total += u.area
    return take


def _off_columns(
    placed: list[tuple[Unit, Rect]], hall: BaseGeometry, columns: list[Polygon]
) -> list[tuple[Unit, Rect]]:
    """Move small open areas off columns, within the hall and clear of the other areas."""
    if not columns:
        return placed
    out = list(placed)
    room = hall.buffer(1e-6)
    for i, (unit, rect) in enumerate(out):
        if unit.area >= 20.0 or not any(c.intersects(rect.shape()) for c in columns):
            continue
        others = [r.shape() for j, (_, r) in enumerate(out) if j != i]
        for dx, dy in _offsets():
            moved = Rect(rect.x0 + dx, rect.y0 + dy, rect.x1 + dx, rect.y1 + dy)
            shape = moved.shape()
            if (
                room.contains(shape)
                and not any(c.intersects(shape) for c in columns)
                and not any(o.intersection(shape).area > 1e-6 for o in others)
            ):
                out[i] = (unit, moved)
                break
        else:
            raise LayoutError(f"the open area {unit.id} cannot stand clear of the columns")
    return out


def _offsets() -> list[tuple[float, float]]:
    steps = [k * 0.25 for k in range(1, 25)]
    out = []
    for s in steps:
        out += [(s, 0.0), (-s, 0.0), (0.0, s), (0.0, -s), (s, s), (-s, s), (s, -s), (-s, -s)]
    return out


def _shelves(
    units: list[Unit], rect: Rect, *, entrance: tuple[float, float]
) -> list[tuple[Unit, Rect]] | None:
    """Pack the open areas in one to three shelves across the hall, arrival first (a fallback).

    A shallow hall is best used as one row of open areas side by side; each area takes the
    shelf's depth or its own proportions, whichever its limits allow. Shelves run along the
    hall's longer side.
    """
    if rect.height > rect.width:
        flipped = _shelves(
            units, Rect(rect.y0, rect.x0, rect.y1, rect.x1), entrance=(entrance[1], entrance[0])
        )
        if flipped is None:
            return None
        return [(u, Rect(r.y0, r.x0, r.y1, r.x1)) for u, r in flipped]
    order = sorted(units, key=lambda u: (u.zone_order, -u.area))
    for shelves in (1, 2, 3):
        depth = rect.height / shelves
        sized: list[tuple[Unit, float, float]] = []
        for unit in order:
            low, high = depth_range(unit)
            e = min(depth, high)
            if e < low - EPS:
                break
            sized.append((unit, unit.area / e, e))
        else:
            rows: list[list[tuple[Unit, float, float]]] = [[] for _ in range(shelves)]
            used = [0.0] * shelves
            for item in sized:
                shelf = next(
                    (i for i in range(shelves) if used[i] + item[1] <= rect.width + EPS), None
                )
                if shelf is None:
                    break
                rows[shelf].append(item)
                used[shelf] += item[1]
            else:
                out: list[tuple[Unit, Rect]] = []
                for k, row in enumerate(rows):
                    out += _around(row, rect, rect.y0 + k * depth, entrance[0])
                return out
    return None


def _around(
    row: list[tuple[Unit, float, float]], rect: Rect, y0: float, at: float
) -> list[tuple[Unit, Rect]]:
    """Lay one shelf out from a point outwards: the first area centred on it (the lobby on the
    entrance), each next one on the side with more room left."""
    if not row:
        return []
    first_w = row[0][1]
    start = min(max(at - first_w / 2, rect.x0), rect.x1 - first_w)
    left_room, right_room = start - rect.x0, rect.x1 - (start + first_w)
    left: list[tuple[Unit, float, float]] = []
    right: list[tuple[Unit, float, float]] = []
    for item in row[1:]:
        if (right_room >= left_room or left_room < item[1]) and right_room >= item[1] - EPS:
            right.append(item)
            right_room -= item[1]
        else:
            left.append(item)
            left_room -= item[1]
    if left_room < -EPS or right_room < -EPS:  # the shelf is full: pack it from the left
        start = rect.x0 + sum(w for _, w, _ in left)
    out = [(row[0][0], Rect(start, y0, start + first_w, y0 + row[0][2]))]
    x = start + first_w
    for unit, w, e in right:
        out.append((unit, Rect(x, y0, x + w, y0 + e)))
        x += w
    x = start
    for unit, w, e in left:
        out.append((unit, Rect(x - w, y0, x, y0 + e)))
        x -= w
    return out


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
    guards = {u.id for u in units if u.serves_lobby}
    anchors = [
        {
            "id": "entrance",
            "x": entrance[0] - rect.x0,
            "y": max(0.0, entrance[1] - rect.y0),
            "flows": {
                i: (
                    _LOBBY_PULL if i in lobby else 15.0 if i in arrival and i not in guards else 0.0
                )
                for i in ids
            },
        },
        # the guard post is pulled to a spot a few steps aside of the door (pulled to the
        # door itself it would stand in the opening), on the side with more of the hall
        {
            "id": "beside_the_door",
            "x": _beside(entrance[0] - rect.x0, rect.width),
            "y": max(0.0, entrance[1] - rect.y0),
            "flows": dict.fromkeys(guards, _GUARD_PULL),
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
            problem,
            time_limit=_SOLVER_SECONDS,
            seed=seed,
            workers=1,
            iterations=_SOLVER_MOVES,
            polish_lps=_SOLVER_LPS,
            polish_elites=_SOLVER_ELITES,
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


def _beside(x: float, width: float) -> float:
    """Return the x a few steps (_GUARD_ASIDE_M) aside of a door at x in a rectangle this
    wide, toward its wider side."""
    return min(x + _GUARD_ASIDE_M, width) if width - x >= x else max(x - _GUARD_ASIDE_M, 0.0)


def _treemap(
    units: list[Unit], rect: Rect, *, entrance: tuple[float, float]
) -> list[tuple[Unit, Rect]]:
    """Pack the open areas as a squarified treemap, lobby first at the entrance (a fallback).

    The hall's spare area is one more, empty, cell at the far end, so the areas keep their
    programme sizes; squarifying keeps every cell close to square (Bruls, Huizing & van Wijk).
    """
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


def _meet(
    one: list[tuple[float, float]], other: list[tuple[float, float]]
) -> list[tuple[float, float]]:
    """Return where two sorted lists of x-runs overlap (runs narrower than 1 µm dropped, as
    :func:`free_runs` drops them)."""
    out: list[tuple[float, float]] = []
    i = j = 0
    while i < len(one) and j < len(other):
        a = max(one[i][0], other[j][0])
        b = min(one[i][1], other[j][1])
        if b - a > 1e-6:
            out.append((a, b))
        if one[i][1] < other[j][1]:
            i += 1
        else:
            j += 1
    return out


def largest_rectangle(
    area: BaseGeometry, *, near: tuple[float, float] | None = None
) -> tuple[float, float, float, float]:
    """Return the largest axis-aligned rectangle inside an area (x0, y0, x1, y1).

    Candidate sides run through the area's corners (exact for rectilinear halls; angled
    façades only cost their slivers). Among rectangles within 10 % of the largest, the one
    nearest ``near`` wins, so the hall's open areas start at the entrance.
    """
    x0, y0, x1, y1 = area.bounds
    if area.geom_type == "Polygon" and abs(area.area - (x1 - x0) * (y1 - y0)) < 1e-3:
        return x0, y0, x1, y1
    ys: set[float] = set()
    for part in getattr(area, "geoms", [area]):
        if part.geom_type == "Polygon":
            ys |= {round(y, 6) for _, y in part.exterior.coords}
            for ring in part.interiors:
                ys |= {round(y, 6) for _, y in ring.coords}
    levels = sorted(ys)
    # the floor's runs across a band of several slabs (between consecutive levels) are where
    # every slab has floor: each slab is measured once, the bands by meeting their runs
    slabs = [
        free_runs(area, lo, hi, columns=[], narrow=False) for lo, hi in itertools.pairwise(levels)
    ]
    found: list[tuple[float, tuple[float, float, float, float]]] = []
    for i, lo in enumerate(levels):
        runs: list[tuple[float, float]] | None = None
        for j in range(i + 1, len(levels)):
            hi = levels[j]
            runs = slabs[j - 1] if runs is None else _meet(runs, slabs[j - 1])
            if not runs:
                break
            for a, b in runs:
                found.append(((b - a) * (hi - lo), (a, lo, b, hi)))
    if not found:
        return x0, y0, x0, y0
    top = max(a for a, _ in found)
    good = [r for a, r in found if a >= 0.9 * top]
    if near is None:
        return max(found)[1]
    return min(good, key=lambda r: box(*r).distance(Point(near)))
