"""Lay out the space programme in the footprint: zones, rooms, corridors and doors, several options.

Every strategy builds the plan from rows of rooms along corridors, ordered by privacy from
the main entrance: the open hall (arrival, self-service, waiting and quick service as open
areas) at the entrance, enclosed semi-open rooms on the hall, private rooms along a visitor
corridor, and staff rooms behind a staff corridor with its own door. Reachability and the
privacy gradient therefore hold by construction and are checked again by :mod:`kpis`. The
open areas inside the hall are arranged by the block-layout engine (:mod:`blocks`), pulled
towards the entrance and towards each other by the persona paths.
"""

from __future__ import annotations

import functools
import math
import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal, TypeVar

from shapely.geometry import Polygon
from shapely.ops import unary_union

from configurator._geometry import EPS, Frame, Rect, free_intervals
from configurator.audit import footprint_polygon
from configurator.catalog import Case
from configurator.plan import Corridor, Door, Entrance, Obstacle, Plan, PlanRoom, zone_areas

if TYPE_CHECKING:
    from configurator.kpis import PlanKpis
from configurator.program import Program, program_from_case
from configurator.schema import Footprint, Privacy, SpaceType

__all__ = [
    "STRATEGIES",
    "LayoutError",
    "plan_from_program",
    "plans_from_case",
]

Strategy = Literal["linear", "hub", "split"]
STRATEGIES: tuple[Strategy, ...] = ("linear", "hub", "split")

_DOOR_M = 1.0
"""Clear width of a room door (accessible: at least 0.9 m, 1.0 m with a 1.5 m turning circle)."""
_PASSAGE_M = 1.8
"""Width of the opening from the hall into the visitor corridor."""
_MIN_ROW_M = 2.0
_MAX_ROW_M = 9.0
_STEP_M = 0.1
_HALL_SLACK = 1.1
_SPLIT_FRONT_M = 6.0
"""Length of the split strategy's staff corridor kept free of rooms at the entrance façade."""
_MAX_BAYS = 3
"""Double-loaded bays of private rooms beyond the first, each along its own corridor."""
"""Hall area over its open areas: the rest is the hall's own walking space."""


class LayoutError(ValueError):
    """The programme cannot be laid out in the footprint (the message says why and by how much)."""


@dataclass(frozen=True)
class Unit:
    """One room or open area to place: a programme row's unit, or its shared room."""

    id: str
    space_type: SpaceType
    zone: str
    privacy: Privacy
    zone_order: int
    area: float
    enclosed: bool
    staff_only: bool

    min_width: float = 0.0
    """The smallest side the room may have (its space type's, or the square's if smaller)."""
    max_aspect: float = 1.0
    """The largest long-over-short side ratio."""


@dataclass
class Placed:
    """A unit placed in the local frame, with where its door goes."""

    unit: Unit
    rect: Rect
    door_side: Literal["low", "high", "left", "right", "none"]
    door_to: str
    second_door: tuple[Literal["low", "high", "left", "right"], str] | None = None


@dataclass
class Build:
    """The plan under construction, in the local frame."""

    floor: Polygon
    placed: list[Placed] = field(default_factory=list)
    corridors: list[tuple[str, Rect, float, bool]] = field(default_factory=list)
    links: list[tuple[str, str, Rect, str]] = field(default_factory=list)
    """Corridor-to-corridor doors: (from, to, wall rectangle of the opening, door id)."""
    link_gap: float | None = None
    """Where the staff band left a gap in its inner row for the staff link (x, local frame)."""


# --------------------------------------------------------------------------- entry points


def plans_from_case(
    case: Case,
    *,
    options: int | None = None,
    footprint: Footprint | None = None,
    program: Program | None = None,
) -> list[Plan]:
    """Generate, score and rank floor-plan options for a scenario; return the best first.

    Each strategy of the scenario is tried with a series of seeds; options that cannot be
    built are skipped, and duplicates are dropped. Raises :class:`LayoutError` when the
    programme cannot fit the footprint at all.
    """
    from configurator.kpis import plan_kpis  # the KPIs read plans; imported late (cycle)

    scenario = case.scenario
    if footprint is not None:
        scenario = scenario.model_copy(update={"footprint": footprint})
        case = case.model_copy(update={"scenario": scenario})
    program = program or program_from_case(case)
    wanted = options or scenario.layout.options
    _check_capacity(program, scenario.footprint, case)
    candidates: list[tuple[float, Plan]] = []
    seen: set[tuple[tuple[str, tuple[float, ...]], ...]] = set()
    failures: list[str] = []
    rounds = 3 * wanted + 2
    misses: dict[str, int] = dict.fromkeys(scenario.layout.strategies, 0)
    for round_ in range(rounds):
        if len(candidates) >= wanted + 1:
            break
        for strategy in scenario.layout.strategies:
            if misses[strategy] >= 2:  # a strategy that failed twice in a row will not fit
                continue
            seed = scenario.seed + round_
            try:
                plan = plan_from_program(program, case=case, strategy=strategy, seed=seed)
            except LayoutError as exc:
                failures.append(f"{strategy} (seed {seed}): {exc}")
                misses[strategy] += 1
                continue
            misses[strategy] = 0
            kpis = plan_kpis(plan, case=case)
            broken = _hard_rule_breaks(kpis)
            if broken:
                failures.append(f"{strategy} (seed {seed}): {broken}")
                continue
            key = tuple(
                sorted((r.id, tuple(round(c, 1) for p in r.polygon for c in p)) for r in plan.rooms)
            )
            if key in seen:
                continue
            seen.add(key)
            candidates.append((kpis.score, plan))
    if not candidates:
        raise LayoutError("no strategy could lay out the programme: " + "; ".join(failures[:3]))
    candidates.sort(key=lambda item: -item[0])
    return [
        plan.model_copy(update={"option": rank})
        for rank, (_, plan) in enumerate(candidates[:wanted], start=1)
    ]


def _hard_rule_breaks(kpis: PlanKpis) -> str:
    """Say which hard plan rule a candidate breaks (empty if none): such options are dropped."""
    if kpis.unreachable_rooms:
        return f"unreachable rooms {', '.join(kpis.unreachable_rooms[:3])}"
    if kpis.privacy_violations:
        return kpis.privacy_notes[0]
    if not kpis.secure_room_ok:
        return "the secure room has no second door into staff space"
    if kpis.max_area_deviation > 0.10:
        return f"a room is {kpis.max_area_deviation:.0%} off its programme area"
    return ""


def plan_from_program(program: Program, *, case: Case, strategy: Strategy, seed: int) -> Plan:
    """Lay out one option with one strategy and seed; raise :class:`LayoutError` if it fails."""
    scenario = case.scenario
    footprint = scenario.footprint
    main = next(e for e in footprint.entrances if e.kind in ("main", "side"))
    frame = Frame.for_entrance(footprint.outline(), main.at)
    floor_world = footprint_polygon(footprint)
    floor = Polygon([frame.to_local(p) for p in floor_world.exterior.coords])
    if floor_world.interiors:
        floor = Polygon(
            [frame.to_local(p) for p in floor_world.exterior.coords],
            [[frame.to_local(p) for p in ring.coords] for ring in floor_world.interiors],
        )
    floor = floor.buffer(0)
    units = _units(program, case)
    entrance = frame.to_local(main.at)
    staff_doors = [frame.to_local(e.at) for e in footprint.entrances if e.kind == "staff"]
    rng = random.Random(f"{seed}-{strategy}")
    build = Build(floor=floor)
    if strategy == "linear":
        _linear(build, units, entrance=entrance, staff_doors=staff_doors, case=case, rng=rng)
    elif strategy == "split":
        _split(build, units, entrance=entrance, staff_doors=staff_doors, case=case, rng=rng)
    else:
        _hub(build, units, entrance=entrance, staff_doors=staff_doors, case=case, rng=rng)
    return _to_plan(build, frame=frame, case=case, strategy=strategy, seed=seed)


# --------------------------------------------------------------------------- units


def _units(program: Program, case: Case) -> list[Unit]:
    """Expand programme rows into the rooms and open areas to draw."""
    zones = {z.id: z for z in case.catalog.zones}
    out: list[Unit] = []
    for row in program.rows:
        if row.rooms == 0:
            continue
        st = case.catalog.space_type(row.space_type)
        zone = zones[row.zone]
        for k in range(row.rooms):
            out.append(
                Unit(
                    id=row.space_type if row.rooms == 1 else f"{row.space_type}-{k + 1}",
                    space_type=st,
                    zone=row.zone,
                    privacy=row.privacy,
                    zone_order=zone.order,
                    area=row.room_area_m2,
                    enclosed=st.is_enclosed,
                    staff_only=not zone.visitor_access,
                    min_width=min(st.min_width_m, math.sqrt(row.room_area_m2)),
                    max_aspect=st.max_aspect,
                )
            )
    return out


def _check_capacity(program: Program, footprint: Footprint, case: Case) -> None:
    """Fail early, with the shortfall in m², when the rooms and corridors cannot fit the floor."""
    floor = footprint_polygon(footprint).area
    net = program.totals.net_m2
    corridors = 0.10 * net  # the least circulation a corridor plan of rooms needs
    if net + corridors > floor:
        short = net + corridors - floor
        raise LayoutError(
            f"the programme needs {net:.0f} m² of rooms and at least {corridors:.0f} m² of "
            f"corridors, but the floor has {floor:.0f} m²: {short:.0f} m² short "
            f"(scenario '{case.scenario.name}')"
        )


def _category(unit: Unit) -> str:
    """Sort a unit into the part of the plan it belongs to."""
    if unit.space_type.id == "guard_post" or (
        unit.staff_only and "entrance_lobby" in unit.space_type.preferred_neighbours
    ):
        return "front"
    if unit.staff_only:
        return "staff"
    if not unit.enclosed:
        return "hall"
    if unit.privacy == "private":
        return "private"
    return "front"


# --------------------------------------------------------------------------- rows


def _shape_for_depth(unit: Unit, depth: float) -> tuple[float, float] | None:
    """Return (width along the row, depth used) for a unit in a row of this depth, or None.

    A unit too small for the row's full depth keeps its own proportions against the corridor
    and leaves a niche behind it; one that would be too wide for the row does not fit.
    """
    return _shape(unit.area, unit.max_aspect, unit.min_width, depth)


@functools.lru_cache(maxsize=65536)
def _shape(area: float, r: float, wmin: float, depth: float) -> tuple[float, float] | None:
    e = min(depth, math.sqrt(area * r), area / wmin)
    if e < wmin - EPS:
        return None
    w = area / e
    if max(w, e) / min(w, e) > r + 1e-6 or w < wmin - EPS:
        return None
    return w, e


def _fills(unit: Unit, depth: float) -> bool:
    """Tell whether a unit uses most of a row's depth (else it would leave a deep niche)."""
    shape = _shape_for_depth(unit, depth)
    return shape is not None and shape[1] >= 0.6 * depth


def _pack(
    units: list[Unit],
    intervals: list[tuple[float, float]],
    depth: float,
) -> tuple[list[tuple[Unit, float, float, float]], list[Unit]]:
    """Place units left to right in the intervals; return (unit, x0, width, depth), leftovers."""
    placed: list[tuple[Unit, float, float, float]] = []
    left: list[Unit] = []
    cursor = [a for a, _ in intervals]
    for unit in units:
        shape = _shape_for_depth(unit, depth)
        if shape is None:
            left.append(unit)
            continue
        w, e = shape
        for i, (_, end) in enumerate(intervals):
            if cursor[i] + w <= end + EPS:
                placed.append((unit, cursor[i], w, e))
                cursor[i] += w
                break
        else:
            left.append(unit)
    return placed, left


Side = Literal["low", "high"]
Slot = tuple[Unit, float, float, float, Side]


def _pack_two_sided(
    units: list[Unit],
    intervals: list[tuple[float, float]],
    depth: float,
    sides: dict[str, tuple[Side, ...]],
) -> tuple[list[Slot], list[Unit]]:
    """Pack a row that has circulation on both sides, pairing small rooms back to back.

    A room shallower than the row leaves space behind it; a second room that opens to the
    other side takes that space when it is no wider, so no niche is wasted. ``sides`` gives
    each unit's allowed door sides, preferred first.
    """
    placed: list[Slot] = []
    left: list[Unit] = []
    pending = list(units)
    cursor = [a for a, _ in intervals]
    while pending:
        unit = pending.pop(0)
        shape = _shape_for_depth(unit, depth)
        if shape is None:
            left.append(unit)
            continue
        w, e = shape
        side = sides[unit.id][0]
        partner: tuple[Unit, float, float] | None = None
        if depth - e >= 1.5:
            other: Side = "high" if side == "low" else "low"
            best_fill = 0.0
            for cand in pending:
                if other not in sides[cand.id]:
                    continue
                cshape = _shape_for_depth(cand, depth - e)
                if cshape is None or cshape[0] > w + EPS or cshape[1] > depth - e + EPS:
                    continue
                if cshape[0] > best_fill:
                    best_fill, partner = cshape[0], (cand, cshape[0], cshape[1])
            if partner is None and len(sides[unit.id]) > 1:
                # Try the unit on its other side, pairing with one that prefers this side.
                for cand in pending:
                    if side not in sides[cand.id]:
                        continue
                    cshape = _shape_for_depth(cand, depth - e)
                    if cshape is None or cshape[0] > w + EPS:
                        continue
                    if cshape[0] > best_fill:
                        best_fill, partner = cshape[0], (cand, cshape[0], cshape[1])
                if partner is not None:
                    side = other
        for i, (_, end) in enumerate(intervals):
            if cursor[i] + w <= end + EPS:
                placed.append((unit, cursor[i], w, e, side))
                if partner is not None:
                    cand, cw, ce = partner
                    pending.remove(cand)
                    placed.append((cand, cursor[i], cw, ce, "high" if side == "low" else "low"))
                cursor[i] += w
                break
        else:
            left.append(unit)
    return placed, left


def _two_sided_from_top(
    build: Build,
    units: list[Unit],
    *,
    top: float,
    blocked: list[Rect],
    sides: dict[str, tuple[Side, ...]],
) -> tuple[float, list[Slot], list[Unit]]:
    """Find the shallowest two-sided row ending at ``top`` that holds all units (or most)."""
    if not units:
        return 0.0, [], []

    def attempt(depth: float) -> tuple[float, list[Slot], list[Unit]]:
        intervals = free_intervals(build.floor, top - depth, top, blocked=blocked)
        return (depth, *_pack_two_sided(units, intervals, depth, sides))

    return _shallowest(attempt, max(_MIN_ROW_M, min(u.min_width for u in units)))


T = TypeVar("T")


def _shallowest(
    attempt: Callable[[float], tuple[float, list[T], list[Unit]]],
    start: float,
    max_depth: float = _MAX_ROW_M,
) -> tuple[float, list[T], list[Unit]]:
    """Return the shallowest depth whose attempt leaves nothing over, else the best attempt.

    Depths are scanned in 0.5 m steps, then the last step is refined in 0.1 m steps: the
    fit is not strictly monotone in depth, but close enough for a sketch and ten times faster.
    """
    best: tuple[float, list[T], list[Unit]] | None = None
    depth = start
    while depth <= max_depth + EPS:
        result = attempt(depth)
        if not result[2]:
            fine = depth - 0.4
            while fine < depth - EPS:
                if fine >= start - EPS:
                    finer = attempt(fine)
                    if not finer[2]:
                        return finer
                fine += _STEP_M
            return result
        if best is None or len(result[2]) < len(best[2]):
            best = result
        depth += 0.5
    assert best is not None, "the loop runs at least once"
    return best


def _place_slots(
    build: Build, slots: list[Slot], *, y0: float, y1: float, door_to: dict[Side, str]
) -> None:
    """Record a two-sided row: each unit against its door side."""
    for unit, x0, w, e, side in slots:
        rect = Rect(x0, y0, x0 + w, y0 + e) if side == "low" else Rect(x0, y1 - e, x0 + w, y1)
        build.placed.append(Placed(unit, rect, side, door_to[side]))


def _row_from_top(
    build: Build,
    units: list[Unit],
    *,
    top: float,
    blocked: list[Rect],
    max_depth: float = _MAX_ROW_M,
) -> tuple[float, list[tuple[Unit, float, float, float]], list[Unit]]:
    """Find the shallowest row ending at ``top`` that holds all units (or most, at max depth)."""
    if not units:
        return 0.0, [], []

    def attempt(depth: float) -> tuple[float, list[tuple[Unit, float, float, float]], list[Unit]]:
        intervals = free_intervals(build.floor, top - depth, top, blocked=blocked)
        return (depth, *_pack(units, intervals, depth))

    return _shallowest(attempt, max(_MIN_ROW_M, min(u.min_width for u in units)), max_depth)


def _place_row(
    build: Build,
    placed: list[tuple[Unit, float, float, float]],
    *,
    y0: float,
    y1: float,
    door_side: Literal["low", "high"],
    door_to: str,
) -> None:
    """Record a row's units: each against its door side, leaving any niche behind it."""
    for unit, x0, w, e in placed:
        rect = Rect(x0, y0, x0 + w, y0 + e) if door_side == "low" else Rect(x0, y1 - e, x0 + w, y1)
        build.placed.append(Placed(unit, rect, door_side, door_to))


# --------------------------------------------------------------------------- strategies


def _order(units: list[Unit], rng: random.Random, *, key_first: tuple[str, ...] = ()) -> list[Unit]:
    """Order a row's units: named space types first, then larger first, ties shuffled by seed."""
    jitter = {u.id: rng.random() for u in units}
    return sorted(
        units,
        key=lambda u: (
            0 if u.space_type.id in key_first else 1,
            -round(u.area / 5),
            jitter[u.id],
        ),
    )


def _staff_passage(
    build: Build, staff_doors: list[tuple[float, float]], corridor: Rect, width: float
) -> Rect | None:
    """Return a staff passage from the staff corridor to the nearest staff door on the façade."""
    if not staff_doors:
        return None
    minx, miny, maxx, maxy = build.floor.bounds
    door = min(staff_doors, key=lambda p: abs(p[1] - corridor.centre[1]))
    x, y = door
    if abs(y - maxy) < 0.1:  # on the back façade: straight up from the corridor
        return Rect(x - width / 2, corridor.y1, x + width / 2, maxy)
    if y >= corridor.y0 - EPS:  # on a side façade, beside the staff rows
        x0 = maxx - width if abs(x - maxx) < abs(x - minx) else minx
        # At least as long as it is wide: a stub shorter than that is no passage.
        return Rect(x0, corridor.y1, x0 + width, max(corridor.y1 + width, y + _DOOR_M / 2))
    x0 = maxx - width if abs(x - maxx) < abs(x - minx) else minx
    return Rect(x0, max(miny, min(y - _DOOR_M / 2, corridor.y0 - width)), x0 + width, corridor.y0)


def _groups(units: list[Unit]) -> dict[str, list[Unit]]:
    groups: dict[str, list[Unit]] = defaultdict(list)
    for u in units:
        groups[_category(u)].append(u)
    return groups


def _staff_band(
    build: Build,
    staff: list[Unit],
    *,
    top: float,
    staff_doors: list[tuple[float, float]],
    staff_w: float,
    overflow: bool,
    second_row: bool = False,
    max_depth: float = _MAX_ROW_M,
    depth_choice: int | None = None,
    keep_front: float = 0.0,
    link_gap: float | None = None,
) -> tuple[Rect, list[Unit]]:
    """Place the staff row along the back façade and the staff corridor in front of it.

    Returns the corridor and, when ``overflow`` is allowed, the small staff rooms left for the
    row between the corridors (where they sit back to back with private rooms). With
    ``second_row`` they go to a staff row on the corridor's other side instead, and the
    returned rectangle spans the corridor and that row (the whole staff band's front part).
    """
    minx, _, maxx, _ = build.floor.bounds
    candidates: list[
        tuple[float, list[tuple[Unit, float, float, float]], list[Unit], Rect | None]
    ] = []
    depth = max(_MIN_ROW_M, min((u.min_width for u in staff), default=_MIN_ROW_M))
    while depth <= max_depth + EPS:
        c2 = Rect(minx, top - depth - staff_w, maxx, top - depth)
        passage = _staff_passage(build, staff_doors, c2, staff_w)
        intervals = free_intervals(
            build.floor, top - depth, top, blocked=[passage] if passage else []
        )
        # Rooms that use most of the row's depth go first; small ones fill what is left and,
        # if allowed, overflow to the row between the corridors.
        deep = [u for u in staff if _fills(u, depth)] or staff[:1]
        placed, left = _pack(deep + [u for u in staff if u not in deep], intervals, depth)
        acceptable = not left or (overflow and all(_shape_for_depth(u, 4.5) for u in left))
        if acceptable and placed and _one_piece(build, c2.y0, c2.y1, placed):
            candidates.append((depth, placed, left, passage))
            if not left:
                break
        depth += _STEP_M
    if not candidates:
        raise LayoutError("the staff rooms do not fit along the back façade")
    if depth_choice is None:
        chosen = min(candidates, key=lambda c: (len(c[2]), c[0]))
    else:
        chosen = candidates[min(depth_choice, len(candidates) - 1)]
    depth, placed, staff_over, passage = chosen
    s1 = top - depth
    _place_row(build, placed, y0=s1, y1=top, door_side="low", door_to="staff_corridor")
    c2 = _corridor_rect(build, s1 - staff_w, s1)
    build.corridors.append(("staff_corridor", c2, staff_w, True))
    if passage is not None:
        build.corridors.append(("staff_entrance_passage", passage, staff_w, True))
    if staff_over and second_row:
        # A second staff row on the other side of the corridor: a double-loaded corridor.
        keep = [Rect(-1e9, -1e9, minx + keep_front, 1e9)] if keep_front > 0 else []
        keep += [passage] if passage is not None else []
        if link_gap is not None:
            # The gap must open onto the corridor: keep it within the corridor's length.
            build.link_gap = _clamp(link_gap, c2.x0 + 0.5, c2.x1 - staff_w - 0.5)
            keep.append(Rect(build.link_gap, -1e9, build.link_gap + staff_w, 1e9))
        d0, placed0, left0 = _row_from_top(build, staff_over, top=c2.y0, blocked=keep)
        if left0:
            raise LayoutError(f"{len(left0)} staff rooms do not fit on the floor")
        _place_row(
            build, placed0, y0=c2.y0 - d0, y1=c2.y0, door_side="high", door_to="staff_corridor"
        )
        return Rect(c2.x0, c2.y0 - d0, c2.x1, c2.y1), []
    return c2, staff_over


def _rooms_and_hall(
    build: Build,
    groups: dict[str, list[Unit]],
    *,
    staff_over: list[Unit],
    top: float,
    staff_corridor: Rect | None,
    secure_side: Literal["left", "right"] | None,
    entrance: tuple[float, float],
    case: Case,
    rng: random.Random,
    with_hall: bool = True,
    fixed_link: float | None = None,
) -> float:
    """Lay out, below ``top``: the row of private rooms, the visitor corridor, the row on the
    hall, and the hall.

    With a staff corridor above, the top row is two-sided: private rooms open down to the
    visitor corridor, small staff rooms up to the staff corridor, and a staff link joins the
    corridors with the secure room beside it. Without one (a side staff band), the secure room
    goes to the row's end at ``secure_side``, against the staff band. Both row depths are chosen
    together, shallowest first, and the hall takes what is left.
    """
    layout = case.scenario.layout
    minx, _, maxx, _ = build.floor.bounds
    staff_w, visitor_w = layout.staff_corridor_width_m, layout.corridor_width_m
    private = _order(groups["private"], rng)
    secure_units = [u for u in private if u.space_type.secure]
    private = [u for u in private if not u.space_type.secure]
    front = _order(groups["front"], rng, key_first=("guard_post",))
    passage_x = _clamp(entrance[0] - _PASSAGE_M / 2, minx + 0.5, maxx - _PASSAGE_M - 0.5)
    hall_block = Rect(passage_x, -1e9, passage_x + _PASSAGE_M, 1e9)
    desired_link = entrance[0] + (maxx - minx) * 0.15
    # Corridors already drawn (a passage to the staff door) are kept free in every row.
    kept = [rect for name, rect, *_ in build.corridors if name == "staff_entrance_passage"]
    mid_sides: dict[str, tuple[Side, ...]] = {u.id: ("high",) for u in staff_over}
    mid_sides |= {u.id: ("low",) for u in private}
    front_sides: dict[str, tuple[Side, ...]] = {u.id: ("low", "high") for u in front}
    front_sides |= {u.id: ("high",) for u in private}
    front_sides |= {u.id: ("low",) for u in front if u.staff_only}

    best: (
        tuple[float, float, list[Slot], list[tuple[float, list[Slot]]], float, list[Slot], float]
        | None
    ) = None
    d1 = _MIN_ROW_M
    while d1 <= _MAX_ROW_M + EPS:
        shapes = [_shape_for_depth(u, d1) for u in secure_units]
        if any(shape is None for shape in shapes):
            d1 += _STEP_M
            continue
        widths = [shape[0] for shape in shapes if shape is not None]
        depths = [shape[1] for shape in shapes if shape is not None]
        base = free_intervals(build.floor, top - d1, top, blocked=kept)
        need = sum(widths) + (staff_w if staff_corridor is not None else 0.0)
        fits = [(a, b) for a, b in base if b - a >= need + EPS]
        if staff_corridor is not None:
            fits = [
                (a, b)
                for a, b in fits
                if a < staff_corridor.x1 - need and b > staff_corridor.x0 + need
            ]
        if not fits:
            d1 += _STEP_M
            continue
        if staff_corridor is not None:
            a, b = min(
                fits, key=lambda ab: abs(_clamp(desired_link, ab[0], ab[1] - need) - desired_link)
            )
            lo, hi = max(a, staff_corridor.x0), min(b, staff_corridor.x1)
            link_x = _clamp(desired_link, lo, hi - need)
            if fixed_link is not None:
                # The staff band left a gap in its inner row: the link must run through it.
                if not any(
                    a2 - EPS <= fixed_link and fixed_link + need <= b2 + EPS for a2, b2 in fits
                ):
                    d1 += _STEP_M
                    continue
                link_x = fixed_link
            cursor = link_x + staff_w
            blocked = [*kept, Rect(link_x, -1e9, link_x + staff_w, 1e9)]
        else:
            a, b = fits[-1] if secure_side == "right" else fits[0]
            link_x = b - need if secure_side == "right" else a
            cursor = link_x
            blocked = list(kept)
        secure_placed: list[Slot] = []
        for u, w, e in zip(secure_units, widths, depths, strict=True):
            secure_placed.append((u, cursor, w, e, "low"))
            blocked.append(Rect(cursor, -1e9, cursor + w, 1e9))
            cursor += w
        intervals = free_intervals(build.floor, top - d1, top, blocked=blocked)
        placed_mid, left_mid = _pack_two_sided(staff_over + private, intervals, d1, mid_sides)
        slots = [(u, x0, w, e) for u, x0, w, e, _ in placed_mid]
        if any(u.staff_only for u in left_mid) or not _one_piece(
            build, top - d1 - visitor_w, top - d1, slots
        ):
            d1 += _STEP_M
            continue
        # Private rooms left over fill further double-loaded bays, each along its own visitor
        # corridor; a spine through them (the hall passage, extended) joins every corridor.
        bays: list[tuple[float, list[Slot]]] = []
        row_top = top - d1 - visitor_w
        pending = left_mid
        result: tuple[float, list[Slot]] | None = None
        while True:
            d0, placed_front, left_front = _two_sided_from_top(
                build, front + pending, top=row_top, blocked=[hall_block, *kept], sides=front_sides
            )
            if not left_front:
                result = (d0, placed_front)
                break
            if len(bays) == _MAX_BAYS or not pending:
                break
            de, placed_e, left_e = _two_sided_from_top(
                build,
                pending,
                top=row_top,
                blocked=[hall_block, *kept],
                sides={u.id: ("high", "low") for u in pending},
            )
            if not placed_e:
                break
            bays.append((de, placed_e))
            row_top -= de + visitor_w
            pending = left_e
        if result is not None:
            total = d1 + sum(de + visitor_w for de, _ in bays) + result[0]
            if best is None or total < best[0] - EPS:
                best = (total, d1, placed_mid + secure_placed, bays, result[0], result[1], link_x)
        d1 += _STEP_M * 2
    if best is None:
        raise LayoutError("the private rooms do not fit between the corridors and the hall")
    _, d1, placed_mid, bays, d0, placed_front, link_x = best
    mid_bottom = top - d1
    _place_slots(
        build,
        placed_mid,
        y0=mid_bottom,
        y1=top,
        door_to={"low": "visitor_corridor", "high": "staff_corridor"},
    )
    c1 = _corridor_rect(build, mid_bottom - visitor_w, mid_bottom)
    build.corridors.append(("visitor_corridor", c1, visitor_w, False))
    if staff_corridor is not None:
        staff_link = Rect(link_x, mid_bottom, link_x + staff_w, staff_corridor.y1 - staff_w)
        build.corridors.append(("staff_link", staff_link, staff_w, True))
        build.links.append(
            (
                "staff_link",
                "visitor_corridor",
                Rect(link_x, mid_bottom, link_x + staff_w, mid_bottom),
                "door-staff_link",
            )
        )
        for p in build.placed:
            if p.unit.space_type.secure:
                p.second_door = ("left", "staff_link")
    corridor_above, row_top = "visitor_corridor", c1.y0
    for k, (de, placed_e) in enumerate(bays, start=2):
        name = f"visitor_corridor_{k}"
        _place_slots(
            build,
            placed_e,
            y0=row_top - de,
            y1=row_top,
            door_to={"low": name, "high": corridor_above},
        )
        ck = _corridor_rect(build, row_top - de - visitor_w, row_top - de)
        build.corridors.append((name, ck, visitor_w, False))
        # The spine crosses this bay's row between its two corridors, not the corridors.
        build.corridors.append(
            (
                f"spine_{k}",
                Rect(passage_x, ck.y1, passage_x + _PASSAGE_M, row_top),
                _PASSAGE_M,
                False,
            )
        )
        corridor_above, row_top = name, ck.y0
    front_bottom = row_top - d0
    _place_slots(
        build,
        placed_front,
        y0=front_bottom,
        y1=row_top,
        door_to={"low": "hall", "high": corridor_above},
    )
    build.corridors.append(
        (
            "hall_passage",
            Rect(passage_x, front_bottom, passage_x + _PASSAGE_M, row_top),
            _PASSAGE_M,
            False,
        )
    )

    if with_hall:
        _hall(
            build,
            groups["hall"],
            top=front_bottom,
            entrance=entrance,
            passage_x=passage_x,
            case=case,
            rng=rng,
        )
    return front_bottom


def _linear(
    build: Build,
    units: list[Unit],
    *,
    entrance: tuple[float, float],
    staff_doors: list[tuple[float, float]],
    case: Case,
    rng: random.Random,
) -> None:
    """Stack from the back façade: staff rows, staff corridor, private rooms, corridor, hall.

    The depth of the back staff row is searched: a shallow row sends small staff rooms to the
    row between the corridors, a deep one keeps them; the choice that leaves the largest hall
    wins.
    """
    _, _, _, top = build.floor.bounds
    groups = _groups(units)
    staff = _order(groups["staff"], rng)
    staff_w = case.scenario.layout.staff_corridor_width_m
    state = rng.getstate()

    minx, _, maxx, _ = build.floor.bounds
    gap = _clamp(entrance[0] + (maxx - minx) * 0.15, minx + 1, maxx - staff_w - 6)

    def attempt(target: Build, choice: int | None, second: bool, *, with_hall: bool) -> float:
        rng.setstate(state)
        c2, staff_over = _staff_band(
            target,
            staff,
            top=top,
            staff_doors=staff_doors,
            staff_w=staff_w,
            overflow=True,
            depth_choice=choice,
            second_row=second,
            link_gap=gap if second else None,
        )
        return _rooms_and_hall(
            target,
            groups,
            staff_over=staff_over,
            top=c2.y0,
            staff_corridor=c2,
            secure_side=None,
            entrance=entrance,
            case=case,
            rng=rng,
            with_hall=with_hall,
            fixed_link=target.link_gap if second else None,
        )

    # A second staff row (a double-loaded staff corridor) helps where the back is narrow.
    best: tuple[float, int | None, bool] | None = None
    for choice, second in ((None, False), (0, False), (8, False), (None, True), (0, True)):
        try:
            hall_top = attempt(Build(floor=build.floor), choice, second, with_hall=False)
        except LayoutError:
            continue
        if best is None or hall_top > best[0] + EPS:
            best = (hall_top, choice, second)
    if best is None:
        attempt(build, None, False, with_hall=True)  # raises the specific reason
        return
    attempt(build, best[1], best[2], with_hall=True)


def _split(
    build: Build,
    units: list[Unit],
    *,
    entrance: tuple[float, float],
    staff_doors: list[tuple[float, float]],
    case: Case,
    rng: random.Random,
) -> None:
    """Try the staff band on the staff door's side first, then on the other side."""
    minx, _, maxx, _ = build.floor.bounds
    if staff_doors:
        first = staff_doors[0][0] >= (minx + maxx) / 2
    else:
        first = entrance[0] <= (minx + maxx) / 2
    state = rng.getstate()
    failure: LayoutError | None = None
    for right in (first, not first):
        trial = Build(floor=build.floor)
        rng.setstate(state)
        try:
            _split_on(
                trial,
                units,
                right=right,
                entrance=entrance,
                staff_doors=staff_doors,
                case=case,
                rng=rng,
            )
        except LayoutError as exc:
            failure = failure or exc
            continue
        build.placed, build.corridors, build.links = trial.placed, trial.corridors, trial.links
        return
    assert failure is not None, "a failed attempt left its reason"
    raise failure


def _split_on(
    build: Build,
    units: list[Unit],
    *,
    right: bool,
    entrance: tuple[float, float],
    staff_doors: list[tuple[float, float]],
    case: Case,
    rng: random.Random,
) -> None:
    """Put the staff in a band along a side façade; visitors in the rest.

    The band is a staff corridor with rooms on both sides; its inner row stops short of the
    entrance façade, so the staff corridor meets the hall there through a staff door.
    """
    groups = _groups(units)
    turned = _Transposed(build, right=right)
    inner = Build(floor=turned.floor)
    _, _, _, ttop = inner.floor.bounds
    _c2, _ = _staff_band(
        inner,
        _order(groups["staff"], rng),
        top=ttop,
        staff_doors=[turned.to_inner(p) for p in staff_doors],
        staff_w=case.scenario.layout.staff_corridor_width_m,
        overflow=True,
        second_row=True,
        keep_front=_SPLIT_FRONT_M,
    )
    turned.commit(inner)
    taken = unary_union(
        [p.rect.shape() for p in build.placed] + [r.shape() for _, r, *_ in build.corridors]
    )
    rest = build.floor.difference(taken.buffer(1e-6)).buffer(0)
    if rest.geom_type != "Polygon":
        rest = max(getattr(rest, "geoms", [rest]), key=lambda g: g.area)
    # Keep the visitor side rectangular: cut away what lies beside the staff band's inner row.
    sub = Build(floor=rest)
    _, _, _, rest_top = rest.bounds
    _rooms_and_hall(
        sub,
        groups,
        staff_over=[],
        top=rest_top,
        staff_corridor=None,
        secure_side="right" if right else "left",
        entrance=entrance,
        case=case,
        rng=rng,
    )
    build.placed += sub.placed
    build.corridors += sub.corridors
    build.links += sub.links
    staff_corridor = next(r for name, r, *_ in build.corridors if name == "staff_corridor")
    hall = next(r for name, r, *_ in build.corridors if name == "hall")
    link = _touching(hall, staff_corridor)
    if link is None:
        raise LayoutError("the hall does not reach the staff corridor")
    build.links.append(("staff_corridor", "hall", link, "door-staff_link"))
    _secure_second_doors(build)


def _hub(
    build: Build,
    units: list[Unit],
    *,
    entrance: tuple[float, float],
    staff_doors: list[tuple[float, float]],
    case: Case,
    rng: random.Random,
) -> None:
    """Staff along the back; a central hall reaching from the entrance to the staff side; on each
    side a wing of rooms along its own corridor, opening onto the hall.
    """
    minx, _, maxx, top = build.floor.bounds
    groups = _groups(units)
    c2, _ = _staff_band(
        build,
        _order(groups["staff"], rng),
        top=top,
        staff_doors=staff_doors,
        staff_w=case.scenario.layout.staff_corridor_width_m,
        overflow=True,
        second_row=True,
    )
    rooms = _order(groups["front"], rng, key_first=("guard_post",)) + _order(groups["private"], rng)
    secure = [u for u in rooms if u.space_type.secure]
    others = [u for u in rooms if not u.space_type.secure]
    halves: dict[bool, list[Unit]] = {False: [], True: []}
    area = {False: 0.0, True: 0.0}
    for u in others:  # balance the wings by area
        side = area[True] < area[False]
        halves[side].append(u)
        area[side] += u.area
    staff_right = bool(staff_doors) and staff_doors[0][0] >= (minx + maxx) / 2
    halves[staff_right].extend(secure)
    below = build.floor.intersection(Rect(-1e9, -1e9, 1e9, c2.y0).shape())
    for name, rect, *_ in build.corridors:
        if name == "staff_entrance_passage":  # it may reach down past the staff band
            below = below.difference(rect.shape())
    if below.geom_type != "Polygon":
        below = max(getattr(below, "geoms", [below]), key=lambda g: g.area)
    hall_region = below
    for right in (False, True):
        wing = Build(floor=below)
        turned = _Transposed(wing, right=right)
        inner = Build(floor=turned.floor)
        wing_groups = {
            "front": [u for u in halves[right] if _category(u) == "front"],
            "private": [u for u in halves[right] if _category(u) == "private"],
            "hall": [],
        }
        _, _, tmaxx, ttop = inner.floor.bounds
        # In the turned frame the façade is at the top and x runs from the entrance façade to
        # the staff side: the wing's passage to the hall sits near the entrance.
        front_bottom = _rooms_and_hall(
            inner,
            wing_groups,
            staff_over=[],
            top=ttop,
            staff_corridor=None,
            secure_side="right",
            entrance=(min(4.0, tmaxx / 4), 0.0),
            case=case,
            rng=rng,
            with_hall=False,
        )
        turned.commit(inner)
        build.placed += wing.placed
        suffix = "east" if right else "west"
        names = {name for name, *_ in wing.corridors}
        for q in wing.placed:
            if q.door_to in names:
                q.door_to = f"{q.door_to}_{suffix}"
        build.corridors += [
            (f"{name}_{suffix}", rect, width, staff) for name, rect, width, staff in wing.corridors
        ]
        band = Polygon(turned.band_polygon(front_bottom))
        hall_region = hall_region.difference(band)
    _secure_second_doors(build)
    hall_region = hall_region.buffer(0)
    if hall_region.geom_type != "Polygon":
        hall_region = max(getattr(hall_region, "geoms", [hall_region]), key=lambda g: g.area)
    hx0, _, hx1, _ = hall_region.bounds
    mid = (hx0 + hx1) / 2
    build.links.append(
        ("staff_corridor", "hall", Rect(mid - 0.6, c2.y0, mid + 0.6, c2.y0), "door-staff_link")
    )
    _hall(
        build,
        groups["hall"],
        top=c2.y0,
        entrance=entrance,
        passage_x=mid - _PASSAGE_M / 2,
        case=case,
        rng=rng,
        region=hall_region,
    )


def _secure_second_doors(build: Build) -> None:
    """Give each secure room a second door into the staff space it touches (corridor first)."""
    for p in build.placed:
        if not p.unit.space_type.secure:
            continue
        options: list[tuple[int, str, Rect]] = [
            (0, name, rect) for name, rect, _, staff in build.corridors if staff
        ]
        options += [
            (1, q.unit.id, q.rect) for q in build.placed if q.unit.staff_only and q is not p
        ]
        for _, target, rect in sorted(options, key=lambda o: o[0]):
            shared = _touching(p.rect, rect)
            if shared is not None and max(shared.width, shared.height) >= 1.2:
                p.second_door = (_side_towards(p.rect, rect), target)
                break
        else:
            passage = _passage_to_staff_corridor(build, p.rect)
            if passage is None:
                raise LayoutError("the secure room does not touch staff space for its second door")
            build.corridors.append(("secure_passage", passage, passage.width, True))
            p.second_door = ("high", "secure_passage")


def _passage_to_staff_corridor(build: Build, rect: Rect) -> Rect | None:
    """Return a free staff passage from a room's top wall up to the staff corridor, if any."""
    corridor = next((r for name, r, *_ in build.corridors if name == "staff_corridor"), None)
    if corridor is None or corridor.y0 < rect.y1 - EPS:
        return None
    for x0 in (rect.x0, rect.x1 - 1.2, (rect.x0 + rect.x1) / 2 - 0.6):
        passage = Rect(x0, rect.y1, x0 + 1.2, corridor.y0)
        if passage.height <= EPS:
            return None
        shape = passage.shape()
        if x0 < corridor.x0 - EPS or x0 + 1.2 > corridor.x1 + EPS:
            continue
        if any(q.rect.shape().intersection(shape).area > 1e-6 for q in build.placed):
            continue
        if any(r.shape().intersection(shape).area > 1e-6 for _, r, *_ in build.corridors):
            continue
        if not build.floor.buffer(1e-6).contains(shape):
            continue
        return passage
    return None


# --------------------------------------------------------------------------- the hall


def _hall(
    build: Build,
    units: list[Unit],
    *,
    top: float,
    entrance: tuple[float, float],
    passage_x: float,
    case: Case,
    rng: random.Random,
    region: Polygon | None = None,
) -> None:
    """Arrange the open areas in the hall below ``top`` and record the hall's walking space."""
    hall = (
        region
        if region is not None
        else build.floor.intersection(Rect(-1e9, -1e9, 1e9, top).shape())
    )
    for name, rect, *_ in build.corridors:
        if name.startswith("staff_entrance_passage"):
            hall = hall.difference(rect.shape())
    if hall.geom_type != "Polygon":
        hall = max(getattr(hall, "geoms", [hall]), key=lambda g: g.area)
    need = sum(u.area for u in units)
    if hall.area < need * _HALL_SLACK:
        raise LayoutError(
            f"the hall has {hall.area:.0f} m² for {need:.0f} m² of open areas "
            f"(with walking space {need * _HALL_SLACK:.0f} m²): "
            f"{need * _HALL_SLACK - hall.area:.0f} m² short"
        )
    from configurator import _hall

    rects = _hall.arrange(
        units,
        hall=hall,
        entrance=entrance,
        exit_point=(passage_x + _PASSAGE_M / 2, top),
        case=case,
        seed=rng.randrange(2**31),
    )
    for unit, rect in rects:
        build.placed.append(Placed(unit, rect, "none", "hall"))
    hx0, hy0, hx1, hy1 = hall.bounds
    build.corridors.append(("hall", Rect(hx0, hy0, hx1, hy1), max(hy1 - hy0, 1.5), False))


# --------------------------------------------------------------------------- helpers


class _Transposed:
    """A view of the floor turned a quarter so that a side façade becomes the back façade."""

    def __init__(self, build: Build, *, right: bool) -> None:
        self.build = build
        self.right = right
        minx, miny, maxx, maxy = build.floor.bounds
        self.bounds = (minx, miny, maxx, maxy)
        self.floor = Polygon([self.to_inner(p) for p in build.floor.exterior.coords]).buffer(0)

    def to_inner(self, p: tuple[float, float]) -> tuple[float, float]:
        """Map a local point into the turned frame (the side façade at the top)."""
        minx, miny, maxx, _maxy = self.bounds
        x, y = p
        return (y - miny, x - minx) if self.right else (y - miny, maxx - x)

    def to_outer(self, p: tuple[float, float]) -> tuple[float, float]:
        """Map a turned point back into the local frame."""
        minx, miny, maxx, _ = self.bounds
        u, v = p
        return (v + minx, u + miny) if self.right else (maxx - v, u + miny)

    def rect_out(self, r: Rect) -> Rect:
        """Map a turned rectangle back."""
        (ax, ay), (bx, by) = self.to_outer((r.x0, r.y0)), self.to_outer((r.x1, r.y1))
        return Rect(min(ax, bx), min(ay, by), max(ax, bx), max(ay, by))

    def side_out(self, side: str) -> Literal["low", "high", "left", "right", "none"]:
        """Map a door side back: the turned 'low' (bottom) faces the floor's middle."""
        mapping: dict[str, Literal["low", "high", "left", "right", "none"]] = (
            {"low": "left", "high": "right", "left": "low", "right": "high", "none": "none"}
            if self.right
            else {"low": "right", "high": "left", "left": "low", "right": "high", "none": "none"}
        )
        return mapping[side]

    def band_polygon(self, inner_y0: float) -> list[tuple[float, float]]:
        """Return the band above ``inner_y0`` in the turned frame, in the local frame."""
        _, _, tmaxx, ttop = self.floor.bounds
        r = self.rect_out(Rect(-1.0, inner_y0, tmaxx + 1.0, ttop + 1.0))
        return r.corners()

    def commit(self, inner: Build) -> None:
        """Copy what was built in the turned frame into the local build."""
        for p in inner.placed:
            self.build.placed.append(
                Placed(p.unit, self.rect_out(p.rect), self.side_out(p.door_side), p.door_to)
            )
        for name, rect, width, staff in inner.corridors:
            self.build.corridors.append((name, self.rect_out(rect), width, staff))


def _one_piece(
    build: Build, y0: float, y1: float, placed: list[tuple[Unit, float, float, float]]
) -> bool:
    """Tell whether a corridor strip is one piece that runs past every room of its row."""
    intervals = free_intervals(build.floor, y0, y1)
    if len(intervals) != 1:
        return False
    a, b = intervals[0]
    return all(a - EPS <= x0 and x0 + w <= b + EPS for _, x0, w, _ in placed)


def _corridor_rect(build: Build, y0: float, y1: float) -> Rect:
    """Return the widest free stretch of a corridor strip."""
    intervals = free_intervals(build.floor, y0, y1)
    if not intervals:
        raise LayoutError(f"no room for a corridor at {y0:.1f}–{y1:.1f} m from the entrance façade")
    a, b = max(intervals, key=lambda ab: ab[1] - ab[0])
    return Rect(a, y0, b, y1)


def _touching(a: Rect, b: Rect) -> Rect | None:
    """Return the shared edge of two touching rectangles as a thin rectangle, if any."""
    inter = a.shape().buffer(0.01).intersection(b.shape().buffer(0.01))
    if inter.is_empty or inter.area < 0.01:
        return None
    x0, y0, x1, y1 = inter.bounds
    return Rect(x0, y0, x1, y1)


def _side_towards(rect: Rect, other: Rect) -> Literal["low", "high", "left", "right"]:
    """Return the side of ``rect`` that faces ``other``."""
    if abs(rect.y1 - other.y0) < 0.05:
        return "high"
    if abs(rect.y0 - other.y1) < 0.05:
        return "low"
    if abs(rect.x1 - other.x0) < 0.05:
        return "right"
    return "left"


def _clamp(value: float, low: float, high: float) -> float:
    return max(low, min(high, value))


def _door_wall(rect: Rect, side: str) -> tuple[tuple[float, float], tuple[float, float]]:
    if side == "low":
        return (rect.x0, rect.y0), (rect.x1, rect.y0)
    if side == "high":
        return (rect.x0, rect.y1), (rect.x1, rect.y1)
    if side == "left":
        return (rect.x0, rect.y0), (rect.x0, rect.y1)
    return (rect.x1, rect.y0), (rect.x1, rect.y1)


def _to_plan(build: Build, *, frame: Frame, case: Case, strategy: str, seed: int) -> Plan:
    """Map the local build back to the footprint frame and assemble the plan."""
    scenario, catalog = case.scenario, case.catalog
    rooms: list[PlanRoom] = []
    doors: list[Door] = []
    for p in sorted(build.placed, key=lambda q: q.unit.id):
        u = p.unit
        rooms.append(
            PlanRoom(
                id=u.id,
                space_type=u.space_type.id,
                zone=u.zone,
                privacy=u.privacy,
                names=u.space_type.names,
                polygon=frame.polygon_to_world(p.rect.corners()),
                programme_area_m2=u.area,
                enclosed=u.enclosed,
                staff_only=u.staff_only,
            )
        )
        sides = [(p.door_side, p.door_to, "main")]
        if p.second_door is not None:
            sides.append((p.second_door[0], p.second_door[1], "second_exit"))
        for side, target, kind in sides:
            if side == "none" or not u.enclosed:
                continue
            a, b = _door_wall(p.rect, side)
            doors.append(
                Door(
                    id=f"door-{u.id}" + ("-2" if kind == "second_exit" else ""),
                    room=u.id,
                    to=target,
                    at=frame.to_world(((a[0] + b[0]) / 2, (a[1] + b[1]) / 2)),
                    wall=(frame.to_world(a), frame.to_world(b)),
                    width_m=min(_DOOR_M, max(0.8, math.dist(a, b) - 0.2)),
                    kind=kind,
                )
            )
    corridors = [
        Corridor(
            id=name,
            polygon=frame.polygon_to_world(rect.corners()),
            width_m=round(width, 2),
            staff_only=staff,
        )
        for name, rect, width, staff in build.corridors
        if rect.area > EPS
    ]
    for source, target, rect, door_id in build.links:
        horizontal = rect.width >= rect.height
        mid = rect.centre
        half = 0.5
        a = (mid[0] - half, mid[1]) if horizontal else (mid[0], mid[1] - half)
        b = (mid[0] + half, mid[1]) if horizontal else (mid[0], mid[1] + half)
        doors.append(
            Door(
                id=door_id,
                room=source,
                to=target,
                at=frame.to_world(mid),
                wall=(frame.to_world(a), frame.to_world(b)),
                width_m=_DOOR_M,
                kind="main",
            )
        )
    footprint = scenario.footprint
    windows = (
        _edges(footprint.outline())
        if footprint.windows == "all"
        else [tuple(w) for w in footprint.windows]
    )
    return Plan(
        scenario=scenario.name,
        option=1,
        strategy=strategy,
        seed=seed,
        footprint=[(float(x), float(y)) for x, y in footprint.outline()],
        obstacles=[
            Obstacle(id=o.id, kind=o.kind, polygon=list(o.polygon)) for o in footprint.obstacles
        ],
        entrances=[
            Entrance(id=e.id, at=e.at, width_m=e.width_m, kind=e.kind) for e in footprint.entrances
        ],
        windows=windows,
        zones=zone_areas(rooms, catalog.zones),
        rooms=rooms,
        corridors=corridors,
        doors=doors,
        gross_factor=scenario.factors.gross_factor,
    )


def _edges(
    outline: list[tuple[float, float]],
) -> list[tuple[tuple[float, float], tuple[float, float]]]:
    return [(a, b) for a, b in zip(outline, outline[1:] + outline[:1], strict=True)]
