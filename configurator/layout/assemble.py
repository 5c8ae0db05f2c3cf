"""Turn a band-frame sketch into a plan in the drawing's coordinates: hall, open areas, doors.

The hall is the floor left over that the main entrance reaches, with every leftover piece that
opens onto it (its true polygon, never a bounding box); leftovers beside a corridor widen it;
the rest is reported as unassigned by the KPIs. Every door is put on the wall its room really
shares with what it opens onto, clear of cores and columns.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

import shapely
from shapely.geometry import LineString, MultiLineString, Point, Polygon
from shapely.geometry.base import BaseGeometry
from shapely.geometry.polygon import orient
from shapely.ops import linemerge, split, unary_union
from shapely.prepared import prep

from configurator.inputs.catalog import Case
from configurator.layout import hall as _hall
from configurator.layout.bands import CorridorPiece, Sketch
from configurator.layout.grow import absorbed, grow_rooms, leftover
from configurator.layout.rect import Rect
from configurator.layout.rows import Placement
from configurator.layout.shapes import (
    clean as _clean,
    polygon as _polygon,
    polygons as _polygons,
    shared as _shared,
)
from configurator.layout.spare import (
    STREET_DOOR_M,
    LeftoverSpare,
    SpareBrief,
    carve_spares,
    hall_need,
    leftover_spares,
)
from configurator.layout.strategies import QuarterFrame
from configurator.layout.units import Unit
from configurator.model.errors import LayoutError
from configurator.model.geometry import BuildingFrame, clear_width
from configurator.model.plan import (
    Corridor,
    Door,
    Entrance,
    Obstacle,
    Plan,
    PlanRoom,
    SpareArea,
    zone_areas,
)

__all__ = ["plan_from_sketch"]

DoorAt = tuple[tuple[float, float], tuple[tuple[float, float], tuple[float, float]], float]
"""A door as placed: the middle of its opening, the wall it is in, its width."""

_DOOR_M = 1.0
"""Clear width of a room door (accessible: at least 0.9 m; 1.0 m with a turning circle)."""
_MIN_DOOR_M = 0.9
_OPEN_EDGE_M = 0.9
_CLEAR_M = 0.6
_FRONT_M = 1.5
"""Depth of the target's floor a door's wall should have in front of it, where a wall can
(see :func:`_door_among`): a wheelchair's turning circle (241/2017 §5, §10)."""
_GUARD_REACH_M = 6.0
"""The guard post stands within this far (m) of the main door's opening, if it can."""
_GUARD_SPOTS = 4
"""Places beside the door (each side, each shape) tried for a guard post set before the open
areas, each costing one arrangement of them."""
_HALL_SLACK = (1.15, 1.35)
"""The hall kept, over what the programme asks for, in the tries to keep a spare area."""
_NICHE_M2 = 8.0
"""Leftover floor up to this size beside a corridor widens it (a niche); larger stays unassigned."""


@dataclass(frozen=True)
class _Frames:
    band: QuarterFrame
    building: BuildingFrame

    def point(self, p: tuple[float, float]) -> tuple[float, float]:
        return self.building.to_world(self.band.point_back(p))

    def ring(self, shape: Polygon) -> list[tuple[float, float]]:
        local = self.band.shape_back(shape)
        assert isinstance(local, Polygon), "a polygon maps to a polygon"
        pts = [self.building.to_world(p) for p in list(local.exterior.coords)[:-1]]
        ring = orient(_polygon(pts), sign=1.0)
        return [(x, y) for x, y in list(ring.exterior.coords)[:-1]]


def plan_from_sketch(
    sketch: Sketch,
    *,
    band: QuarterFrame,
    building: BuildingFrame,
    solids: BaseGeometry,
    columns: list[Polygon],
    open_units: list[Unit],
    entrance: tuple[float, float],
    case: Case,
    strategy: str,
    seed: int,
    lobby_units: list[Unit] | None = None,
    entrances: list[tuple[float, float]] | None = None,
    floor: Polygon | None = None,
    spare: SpareBrief | None = None,
) -> Plan:
    """Finish a sketch (all in the band frame) and return it as a plan in world coordinates.

    ``lobby_units`` (the guard post) are set beside the main entrance, in the hall, their door
    on the lobby; ``entrances`` (all of them, band frame) are kept clear. With ``spare`` and the
    usable ``floor``, the hall's surplus over the programme becomes spare areas (:mod:`.spare`).
    """
    frames = _Frames(band, building)
    corridors = list(sketch.corridors)
    whole = _hall_shape(sketch, corridors, entrance, columns)
    exit_point = _way_on(whole, corridors, entrance)
    lobby = lobby_units or []

    def arranged(area: Polygon, units: list[Unit] = open_units) -> list[tuple[Unit, Rect]]:
        return _hall.arrange(
            units,
            hall=area,
            entrance=entrance,
            exit_point=exit_point,
            case=case,
            seed=seed,
            columns=columns,
        )

    def furnished(hall: Polygon) -> tuple[Polygon, list[tuple[Unit, Rect]], list[Placement]]:
        # The guard post is first arranged with the open areas, pulled to the door like the
        # lobby; where that leaves it away from the door, it goes in after them against the
        # façade, and where they leave the façade no room (a tight hall), first with the open
        # areas around it.
        open_rects: list[tuple[Unit, Rect]] | None = None
        if lobby:
            try:
                placed = arranged(hall, [*open_units, *lobby])
            except LayoutError:
                placed = None
            if placed is not None:
                together = _guards_among_open_areas(placed, hall, entrance, entrances or [entrance])
                if together is not None:
                    return together
                # the open areas stay where they are; the guard's block becomes walking floor
                open_rects = [(u, r) for u, r in placed if not u.serves_lobby]
        if open_rects is None:
            open_rects = arranged(hall)
        guards = _guards(lobby, hall, entrance, entrances, columns, open_rects)
        door = Point(entrance)
        if guards is None or any(g.shape.distance(door) > _GUARD_REACH_M for g in guards):
            # the open areas left the façade by the door no room: the guard post goes there
            # first (at one of a few places beside the door) and they are arranged round it,
            # where they then fit
            for first in _first_guards(lobby, hall, entrance, entrances or [entrance], columns):
                rest = hall
                for placement in first:
                    rest = _clean(rest.difference(placement.shape))
                try:
                    return rest, arranged(rest), first
                except LayoutError:
                    continue
            if guards is None:
                raise LayoutError(
                    "the guard post finds no place beside the main entrance where the open "
                    "areas still fit round it"
                )
        assert guards is not None, "either placed beside the open areas or raised above"
        for placement in guards:
            hall = _clean(hall.difference(placement.shape))
        return hall, open_rects, guards

    spare_shapes: list[Polygon] = []
    hall = whole
    open_rects: list[tuple[Unit, Rect]] = []
    guards: list[Placement] = []
    if spare is not None and floor is not None:
        need = hall_need(
            open_m2=sum(u.area for u in open_units),
            lobby_m2=sum(u.area for u in lobby),
            corridors_m2=sum(c.shape.area for c in corridors if c.kind != "hall"),
            brief=spare,
        )
        # the open areas may need more than their area's worth of hall in its shape: a spare
        # area gives way in steps before it is given up; so it does where the hall it leaves
        # has the guard post away from the main door (that step's plan stays, unless a later
        # step has it by the door)
        main_door = Point(entrance)
        best: tuple[tuple[Polygon, list[tuple[Unit, Rect]], list[Placement]], list[Polygon]]
        best = ((whole, [], []), [])
        for extra in _HALL_SLACK:
            carved, cut = carve_spares(
                whole,
                floor=floor,
                need_m2=need * extra,
                entrances=entrances or [entrance],
                main=entrance,
                brief=spare,
            )
            if not cut:
                break
            if not _hall.fits(open_units, hall=_clean(carved), entrance=entrance):
                continue  # the open areas find no rectangles in this hall: a smaller spare
            try:
                laid = furnished(_clean(carved))
            except LayoutError:
                continue
            near = all(g.shape.distance(main_door) <= _GUARD_REACH_M for g in laid[2])
            if near or not best[1]:
                best = (laid, cut)
            if near:
                break
        (hall, open_rects, guards), spare_shapes = best
    if not spare_shapes:
        hall, open_rects, guards = furnished(whole)
    sketch.placements += guards
    open_rects = _kept_apart(open_rects, sketch.placements)
    halls = _without_holes(hall)
    shapes: dict[str, BaseGeometry] = {c.id: c.shape for c in corridors}
    shapes["hall"] = unary_union(halls)
    furniture = unary_union([r.shape() for _, r in open_rects])
    lobby_at = next(
        (r.shape().centroid for u, r in open_rects if u.space_type.id == "entrance_lobby"), None
    )
    walkable = [h.difference(furniture) for h in halls]
    blockers = unary_union([solids, *columns]) if columns or not solids.is_empty else Polygon()
    spares: list[SpareArea] = []
    rent = case.scenario.factors.rent_eur_per_m2_month * 12
    public = {_hall_id(halls, h): h for h in halls} | {
        c.id: c.shape for c in corridors if not c.staff and c.kind != "hall"
    }
    kept = [
        LeftoverSpare(shape, max(halls, key=lambda h: _shared(shape, h)), None)
        for shape in spare_shapes
    ]
    if spare is not None and floor is not None:
        used = [*(p.shape for p in sketch.placements), *public.values(), *spare_shapes]
        used += [c.shape for c in corridors if c.staff]
        kept += leftover_spares(
            floor,
            used,
            solids,
            public,
            spare,
            has_door=lambda piece, onto: _door(piece, onto, blockers) is not None,
            entrances=entrances or [entrance],
            blockers=blockers,
        )
    if floor is not None:
        free, loose = leftover(floor, sketch.placements, corridors, halls, kept, solids, columns)
        sketch.placements = grow_rooms(
            sketch.placements,
            free,
            share=case.scenario.layout.room_growth_share,
            entrances=entrances or [entrance],
            columns=loose,
        )
        kept, corridors = absorbed(
            floor,
            kept,
            corridors,
            sketch.placements,
            halls,
            solids,
            columns,
            spare,
            entrances or [entrance],
        )
        shapes |= {c.id: c.shape for c in corridors}
    rooms: list[PlanRoom] = []
    doors: list[Door] = []
    for p in sorted(sketch.placements, key=lambda q: q.unit.id):
        rooms.append(_room(p.unit, p.shape, frames))
    for p in sketch.placements:
        shapes[p.unit.id] = p.shape
    # another room's wall in front of a door is as blocking as a core (a booth's door opening
    # into the slot beside the next booth): the enclosed rooms, each door keeping clear of all
    # but its own
    enclosed = unary_union(
        [*(p.shape for p in sketch.placements if p.unit.enclosed), *(i.shape for i in kept)]
    )
    for p in sorted(sketch.placements, key=lambda q: q.unit.id):
        walls = _Walls(enclosed, p.shape)
        for k, (target, kind) in enumerate(p.doors):
            # onto the hall, a door opens onto its walking floor where it can, not an open area
            if target == "hall":
                found = (
                    _guard_door(p, walkable, lobby_at)
                    or _door_among(p.shape, walkable, blockers, walls)
                    or _door_among(p.shape, list(halls), blockers, walls)
                )
            else:
                found = _door_among(p.shape, [shapes[target]], blockers, walls)
            if found is None:
                raise LayoutError(f"room {p.unit.id} has no wall free for its door onto {target}")
            door, k_to = found
            named = _hall_id(halls, halls[k_to]) if target == "hall" else target
            ident = f"door-{p.unit.id}" + (f"-{k + 1}" if k else "")
            doors.append(_door_record(ident, p.unit.id, named, door, frames, kind))
    for source, target in sketch.links:
        walls = _Walls(enclosed, shapes[source], shapes.get(target))
        found = _door_among(
            shapes[source], list(halls) if target == "hall" else [shapes[target]], blockers, walls
        )
        if found is None:
            raise LayoutError(f"{source} has no wall free for a door onto {target}")
        door, k_to = found
        to = _hall_id(halls, halls[k_to]) if target == "hall" else target
        doors.append(_door_record(f"door-{source}", source, to, door, frames))
    street: list[Entrance] = []
    for k, item in enumerate(
        sorted(kept, key=lambda item: (-item.shape.area, item.shape.bounds)), start=1
    ):
        spare_id = f"spare-{k}"
        if item.onto is not None:
            found = _door_among(item.shape, [item.onto], blockers, _Walls(enclosed, item.shape))
            spare_door = found[0] if found is not None else None
            if spare_door is None:
                raise LayoutError(f"{spare_id} has no wall free for a door onto public circulation")
            to = next(i for i, g in public.items() if g is item.onto)
            doors.append(_door_record(f"door-{spare_id}", spare_id, to, spare_door, frames))
        elif item.street is not None:
            # its own door in the façade: an entrance the plan adds for the tenant
            at = frames.point(item.street)
            street.append(
                Entrance(id=f"{spare_id}-door", at=at, width_m=STREET_DOOR_M, kind="spare")
            )
        ring = frames.ring(item.shape)
        # priced from the polygon as drawn, as a reader of the plan would price it
        spares.append(
            SpareArea(id=spare_id, polygon=ring, rent_eur_year=round(Polygon(ring).area * rent, 2))
        )
    for unit, rect in sorted(open_rects, key=lambda item: item[0].id):
        rooms.append(_room(unit, rect.shape(), frames))
    rooms.sort(key=lambda r: r.id)
    plan_corridors = [_corridor(c, frames) for c in corridors]
    for k, part in enumerate(halls, start=1):
        plan_corridors.append(
            Corridor(
                id="hall" if k == 1 else f"hall-{k}",
                polygon=frames.ring(part),
                width_m=round(_span(part), 2),
                staff_only=False,
                kind="hall",
                privacy="open",
            )
        )
    plan = _plan(case, rooms, plan_corridors, doors, strategy=strategy, seed=seed)
    if street:
        plan = plan.model_copy(update={"entrances": [*plan.entrances, *street]})
    return plan.model_copy(update={"spares": spares}) if spares else plan


# --------------------------------------------------------------------------- the hall


def _hall_shape(
    sketch: Sketch,
    corridors: list[CorridorPiece],
    entrance: tuple[float, float],
    columns: list[Polygon] | None = None,
) -> Polygon:
    """Return the hall: the leftover floor the entrance opens into, with what opens onto it.

    Leftover pieces beside a corridor of either class widen that corridor when it stays as wide
    as it was; pieces that touch nothing usable stay unassigned.
    """
    rest = sketch.hall if sketch.hall is not None else Polygon()
    parts = [_clean(g) for g in _polygons(rest) if g.area > 0.05]
    parts = [g for g in parts if g.area > 0.05]
    if not parts:
        raise LayoutError("no floor is left for the hall")
    door = Point(entrance)
    main = min(parts, key=lambda g: g.distance(door))
    if main.distance(door) > 0.2:
        raise LayoutError("the main entrance opens onto no hall: rooms fill the front")
    hall: BaseGeometry = main
    others = [g for g in parts if g is not main]
    changed = True
    while changed:
        changed = False
        for g in list(others):
            if _shared(hall, g) >= _OPEN_EDGE_M:
                hall = unary_union([hall, g])
                others.remove(g)
                changed = True
    for g in others:
        if g.area > _NICHE_M2:
            continue
        for i, c in enumerate(corridors):
            if c.kind == "hall" or _shared(c.shape, g) < 1.0:
                continue
            merged = _clean_any(unary_union([c.shape, g]))
            if (
                merged.geom_type == "Polygon"
                and not merged.interiors
                and merged.is_valid
                and clear_width(merged, c.width)
                and not any(col.intersects(g) for col in columns or [])
            ):
                corridors[i] = CorridorPiece(c.id, merged, c.width, c.staff, c.kind)
                break
    hall = hall.buffer(0)
    if hall.geom_type != "Polygon":
        hall = max(_polygons(hall), key=lambda g: g.area)
    assert isinstance(hall, Polygon), "the hall is one polygon"
    return _clean(hall)


def _clean_any(shape: BaseGeometry) -> BaseGeometry:
    """Clean a union that should be one polygon; a multi-part result is returned as it is."""
    if shape.geom_type != "Polygon":
        return shape
    assert isinstance(shape, Polygon), "checked above"
    return _clean(shape)


def _hall_id(halls: list[Polygon], piece: Polygon) -> str:
    """Return the plan id of a hall piece: 'hall' for the largest, then 'hall-2', 'hall-3'."""
    k = next(i for i, h in enumerate(halls, start=1) if h is piece)
    return "hall" if k == 1 else f"hall-{k}"


def _without_holes(hall: Polygon) -> list[Polygon]:
    """Split a hall with holes (a core in it) into pieces without holes, cut through each hole.

    The plan stores every polygon as one ring; the pieces meet along the cuts, so they stay one
    walkable hall.
    """
    pieces = [hall]
    while any(p.interiors for p in pieces):
        piece = next(p for p in pieces if p.interiors)
        hole = Polygon(piece.interiors[0])
        _, miny, _, maxy = piece.bounds
        # along the hole's side where that cuts it free, so that no wall of the room the hole
        # is (a WC standing in the hall) is split between two pieces; else through its middle
        for cx in (hole.bounds[0], hole.bounds[2], hole.centroid.x):
            cut = LineString([(cx, miny - 1), (cx, maxy + 1)])
            parts = [g for g in _polygons(split(piece, cut)) if g.area > 1e-6]
            if len(parts) > 1 and sum(len(g.interiors) for g in parts) < len(piece.interiors):
                break
        pieces.remove(piece)
        pieces += parts
    pieces.sort(key=lambda g: -g.area)
    return pieces


def _guards(
    units: list[Unit],
    hall: Polygon,
    entrance: tuple[float, float],
    entrances: list[tuple[float, float]] | None,
    columns: list[Polygon],
    open_rects: list[tuple[Unit, Rect]],
) -> list[Placement] | None:
    """Place the lobby-serving rooms beside the door, off the open areas; None if one cannot."""
    taken = unary_union([rect.shape() for _, rect in open_rects] or [Polygon()])
    out: list[Placement] = []
    for unit in units:
        spots = _door_spots(unit, hall, entrance, entrances or [entrance], columns, avoid=taken)
        placement = next(spots, None)
        if placement is None:
            return None
        out.append(placement)
        hall = _clean(hall.difference(placement.shape))
        taken = unary_union([taken, placement.shape])
    return out


def _first_guards(
    units: list[Unit],
    hall: Polygon,
    entrance: tuple[float, float],
    entrances: list[tuple[float, float]],
    columns: list[Polygon],
) -> Iterator[list[Placement]]:
    """Yield places for the lobby-serving rooms before the open areas are arranged: for one
    guard post its best place on each side of the door and in each shape, nearest the door
    first (up to _GUARD_SPOTS), for several their first places together."""
    if len(units) != 1:
        together = _guards(units, hall, entrance, entrances, columns, [])
        if together is not None:
            yield together
        return
    along = _edge_direction(hall, entrance)
    seen: set[tuple[bool, float]] = set()
    for spot in _door_spots(units[0], hall, entrance, entrances, columns):
        c = spot.shape.centroid  # the side of the door it stands on, along the façade
        side = (c.x - entrance[0]) * along[0] + (c.y - entrance[1]) * along[1] > 0
        key = (side, round(spot.shape.length, 2))
        if key in seen:
            continue
        seen.add(key)
        yield [spot]
        if len(seen) >= _GUARD_SPOTS:
            return


def _guards_among_open_areas(
    placed: list[tuple[Unit, Rect]],
    hall: Polygon,
    entrance: tuple[float, float],
    entrances: list[tuple[float, float]],
) -> tuple[Polygon, list[tuple[Unit, Rect]], list[Placement]] | None:
    """Take the lobby-serving rooms the block solver placed among the open areas as rooms.

    Kept only when each stands within reach of the main door, off every entrance's opening,
    with a wall on the hall for its door, and the hall left one piece; None otherwise.
    """
    door = Point(entrance)
    guards: list[Placement] = []
    for unit, rect in placed:
        if not unit.serves_lobby:
            continue
        shape = orient(rect.shape(), sign=1.0)
        if shape.distance(door) > _GUARD_REACH_M or any(
            shape.distance(Point(e)) < 1.2 for e in entrances
        ):
            return None
        guards.append(Placement(unit, shape, [("hall", "main")], "left"))
    rest = hall
    for placement in guards:
        rest = _clean(rest.difference(placement.shape))
    # standing free in the hall it would leave a hole the plan's hall cannot be drawn round
    if rest.geom_type != "Polygon" or rest.interiors:
        return None
    free = rest.difference(unary_union([r.shape() for u, r in placed if not u.serves_lobby]))
    lobby = next((r for u, r in placed if u.space_type.id == "entrance_lobby"), None)
    for guard in guards:
        # its door opens toward the lobby, not with its back to it
        toward = lobby.shape().centroid if lobby is not None else None
        if _door_toward(guard.shape, free, toward) is None:
            return None
    return rest, [(u, r) for u, r in placed if not u.serves_lobby], guards


def _guard_door(
    placement: Placement, walkable: list[BaseGeometry], lobby: Point | None
) -> tuple[DoorAt, int] | None:
    """Return the guard post's door facing the lobby and the hall piece it opens onto, or None
    (for any other room, or where no wall facing the lobby has a door's width free)."""
    if not placement.unit.serves_lobby or lobby is None:
        return None
    for k, piece in enumerate(walkable):
        door = _door_toward(placement.shape, piece, lobby)
        if door is not None:
            return door, k
    return None


def _door_toward(room: Polygon, free: BaseGeometry, point: Point | None) -> DoorAt | None:
    """Return a door from a room onto free floor in a wall facing a point (any wall if None)."""
    if point is None:
        return _door(room, free, Polygon())
    edges = sorted(itertools.pairwise(room.exterior.coords), key=lambda e: -math.dist(e[0], e[1]))
    for a, b in edges:
        front = _front(room, (a[0], a[1]), (b[0], b[1])).intersection(free)
        door = _door(room, front, Polygon()) if not front.is_empty else None
        if door is not None and _faces(door, room, point):
            return door
    return None


def _faces(
    door: DoorAt,
    room: Polygon,
    target: Point,
) -> bool:
    """Tell whether a point lies on the outer side of the wall a room's door is in."""
    at, (a, b), _ = door
    nx, ny = -(b[1] - a[1]), b[0] - a[0]
    inside = room.representative_point()
    side = (inside.x - at[0]) * nx + (inside.y - at[1]) * ny
    there = (target.x - at[0]) * nx + (target.y - at[1]) * ny
    return bool(side * there < 0)


def _kept_apart(placed: list[tuple[Unit, Rect]], rooms: list[Placement]) -> list[tuple[Unit, Rect]]:
    """Swap open areas of the same size so that none touches a room it must not touch.

    The children's corner must not lean on a meeting room's wall; an area of its size that
    may (coats and prams, say) takes its place instead, when both keep their shape limits.
    """
    out = list(placed)

    def contacts(unit: Unit, rect: Rect) -> int:
        shape = rect.shape()
        bad = set(unit.space_type.forbidden_neighbours)
        return sum(
            1
            for p in rooms
            if (
                p.unit.space_type.id in bad
                or unit.space_type.id in p.unit.space_type.forbidden_neighbours
            )
            and p.shape.distance(shape) < 0.05
        )

    for i in range(len(out)):
        unit, rect = out[i]
        here = contacts(unit, rect)
        if not here:
            continue
        for j in range(len(out)):
            other, spot = out[j]
            if j == i or abs(other.area - unit.area) > 0.03 * unit.area:
                continue
            if not (_fits(unit, spot) and _fits(other, rect)):
                continue
            if contacts(unit, spot) + contacts(other, rect) < here + contacts(other, spot):
                out[i], out[j] = (unit, spot), (other, rect)
                break
    return out


def _fits(unit: Unit, rect: Rect) -> bool:
    short, long_ = sorted((rect.width, rect.height))
    return short >= unit.min_width - 1e-6 and long_ / short <= unit.max_aspect + 1e-6


def _door_spots(
    unit: Unit,
    hall: Polygon,
    entrance: tuple[float, float],
    entrances: list[tuple[float, float]],
    columns: list[Polygon],
    avoid: BaseGeometry | None = None,
) -> Iterator[Placement]:
    """Yield places for a room against the façade beside the main entrance, inside the hall,
    door on the hall, best first.

    Each stands a step aside of the opening, on whichever side fits, off what ``avoid`` covers
    (the open areas), and leaves the hall one piece; each keeps every entrance clear.
    """
    u = _edge_direction(hall, entrance)
    n = (-u[1], u[0])
    probe = Point(entrance[0] + n[0] * 0.3, entrance[1] + n[1] * 0.3)
    if not hall.buffer(1e-6).contains(probe):
        n = (-n[0], -n[1])
    side = max(unit.min_width, math.sqrt(unit.area))
    shapes = [(side, unit.area / side), (unit.area / unit.min_width, unit.min_width)]
    candidates: list[tuple[tuple[int, float, float], Polygon]] = []
    outline = hall.exterior.buffer(1e-3)
    inside = prep(hall.buffer(1e-4))
    for w, h in shapes:
        if max(w, h) / min(w, h) > unit.max_aspect + 1e-6 or min(w, h) < unit.min_width - 1e-6:
            continue
        # Offsets from the door along the façade in half metres, and flush with its ends.
        ends = _edge_ends(hall, entrance, u)
        tries = [(1.8 + k * 0.5, sign) for k in range(40) for sign in (1.0, -1.0)]
        tries += [(abs(t) - w, 1.0 if t > 0 else -1.0) for t in ends if abs(t) - w >= 1.8]
        for offset, sign in tries:
            s0 = sign * offset
            s1 = s0 + sign * w
            corners = [
                (entrance[0] + u[0] * s + n[0] * t, entrance[1] + u[1] * s + n[1] * t)
                for s, t in ((s0, 0.0), (s1, 0.0), (s1, h), (s0, h))
            ]
            room = _polygon(corners)
            if not inside.contains(room) or any(room.distance(Point(e)) < 1.2 for e in entrances):
                continue
            if avoid is not None and room.intersection(avoid).area > 1e-6:
                continue
            # Tucked into a corner (more wall shared with the hall's outline) leaves the
            # hall whole for the open areas; among equals, nearer the door is better.
            shared = room.exterior.intersection(outline).length
            near = offset <= _GUARD_REACH_M  # a corner, but within a few steps of the door
            candidates.append(((0 if near else 1, -round(shared, 1), offset), room))
    for _, room in sorted(candidates, key=lambda c: c[0]):
        if any(c.intersects(room) for c in columns):
            continue
        if hall.difference(room).geom_type != "Polygon":
            continue
        yield Placement(unit, orient(room, sign=1.0), [("hall", "main")], "left")


def _edge_ends(shape: Polygon, p: tuple[float, float], u: tuple[float, float]) -> list[float]:
    """Return where the outline edge through a point ends, as distances along u from it."""
    coords = list(shape.exterior.coords)
    point = Point(p)
    for a, b in itertools.pairwise(coords):
        if LineString([a, b]).distance(point) < 1e-6:
            return [
                (a[0] - p[0]) * u[0] + (a[1] - p[1]) * u[1],
                (b[0] - p[0]) * u[0] + (b[1] - p[1]) * u[1],
            ]
    return []


def _edge_direction(shape: Polygon, p: tuple[float, float]) -> tuple[float, float]:
    """Return the unit direction of the outline edge of a polygon nearest a point."""
    coords = list(shape.exterior.coords)
    point = Point(p)
    best = (math.inf, (1.0, 0.0))
    for a, b in itertools.pairwise(coords):
        length = math.dist(a, b)
        d = LineString([a, b]).distance(point)
        if length > 1e-9 and d < best[0]:
            best = (d, ((b[0] - a[0]) / length, (b[1] - a[1]) / length))
    return best[1]


def _way_on(
    hall: Polygon, corridors: list[CorridorPiece], entrance: tuple[float, float]
) -> tuple[float, float]:
    """Return where visitors leave the hall for the corridors (the nearest such opening)."""
    door = Point(entrance)
    best: tuple[float, tuple[float, float]] | None = None
    for c in corridors:
        if c.staff:
            continue
        line = hall.boundary.intersection(c.shape.buffer(1e-5))
        if line.length < _OPEN_EDGE_M:
            continue
        mid = line.interpolate(0.5, normalized=True)
        d = mid.distance(door)
        if best is None or d < best[0]:
            best = (d, (mid.x, mid.y))
    if best is None:
        _, _, _, maxy = hall.bounds
        return (entrance[0], maxy)
    return best[1]


def _span(shape: Polygon) -> float:
    x0, y0, x1, y1 = shape.bounds
    return float(max(min(x1 - x0, y1 - y0), 0.01))


# --------------------------------------------------------------------------- doors


def _door(room: BaseGeometry, target: BaseGeometry, blockers: BaseGeometry) -> DoorAt | None:
    """Return (middle, wall, width) of a door from a room onto one target (see
    :func:`_door_among`)."""
    found = _door_among(room, [target], blockers)
    return found[0] if found is not None else None


@dataclass(frozen=True)
class _Walls:
    """The enclosed rooms a door must keep the floor in front of it clear of: all of them
    (``rooms``) but the door's own room and what it opens onto (``mine``)."""

    rooms: BaseGeometry
    mine: BaseGeometry
    onto: BaseGeometry | None = None

    def block(self, zone: Polygon) -> bool:
        """Tell whether another room takes floor (not just a touching line) in the zone."""
        hit = zone.intersection(self.rooms).area - zone.intersection(self.mine).area
        if self.onto is not None:
            hit -= zone.intersection(self.onto).area
        return bool(hit > 1e-4)


def _door_among(
    room: BaseGeometry,
    targets: list[BaseGeometry],
    blockers: BaseGeometry,
    walls: _Walls | None = None,
) -> tuple[DoorAt, int] | None:
    """Return a door on the longest straight wall a room shares with one of the targets
    (middle, wall, width) and which target it opens onto.

    The door is slid along its wall until the opening is clear of cores and columns, and of
    the other enclosed rooms' floor (``walls``, where given). A wall
    with floor of the target in front of it comes before a longer one along a sliver of it (a
    hand's breadth of hall left between two rooms is no place to open a door onto); a wall is
    taken one target at a time, so a door never straddles two of them (two hall pieces).
    """
    segments: list[tuple[bool, float, int, tuple[float, float], tuple[float, float]]] = []
    # only the target near the room matters (its walls and the strips in front of them): a
    # hall is clipped to that before it is grown, not grown whole for every door
    x0, y0, x1, y1 = room.bounds
    near = _FRONT_M + 0.5
    for k, target in enumerate(targets):
        local = shapely.clip_by_rect(target, x0 - near, y0 - near, x1 + near, y1 + near)
        if local.is_empty:
            continue
        grown = local.buffer(1e-5)
        for line in _lines(room.boundary.intersection(grown)):
            for a, b in itertools.pairwise(line.coords):
                length = math.dist(a, b)
                if length >= _MIN_DOOR_M + 0.2 - 1e-6:
                    a2, b2 = (a[0], a[1]), (b[0], b[1])
                    segments.append((_shallow(room, grown, a2, b2), length, k, a2, b2))
    segments.sort(key=lambda s: (s[0], -s[1], s[2]))
    for _, length, k, a, b in segments:
        width = min(_DOOR_M, length - 0.2)
        ux, uy = (b[0] - a[0]) / length, (b[1] - a[1]) / length
        slack = (length - width) / 2 - 0.1
        offsets = [0.0]
        step = 0.1
        while step <= slack + 1e-9:
            offsets += [step, -step]
            step += 0.1
        for t in offsets:
            mid = (a[0] + ux * (length / 2 + t), a[1] + uy * (length / 2 + t))
            zone = _zone(mid, (ux, uy), width)
            if (blockers.is_empty or not zone.intersects(blockers)) and (
                walls is None or not walls.block(zone)
            ):
                wall = _wall_of(room, mid, (ux, uy))
                return (mid, wall, round(width, 3)), k
    return None


def _shallow(
    room: BaseGeometry, target: BaseGeometry, a: tuple[float, float], b: tuple[float, float]
) -> bool:
    """Tell whether less than 90 % of the strip _FRONT_M deep outside a wall is the target's."""
    strip = _front(room, a, b)
    return bool(strip.is_empty or target.intersection(strip).area < 0.9 * strip.area)


def _front(room: BaseGeometry, a: tuple[float, float], b: tuple[float, float]) -> BaseGeometry:
    """Return the strip _FRONT_M deep on the outer side of a room's wall a-b.

    The rectangle on the wall's outer side, less the room where the room folds round into it:
    a rectangle and a point test, where buffering the wall cost most of a door's placing.
    """
    length = math.dist(a, b)
    nx, ny = -(b[1] - a[1]) / length, (b[0] - a[0]) / length
    mid = ((a[0] + b[0]) / 2 + nx * 1e-3, (a[1] + b[1]) / 2 + ny * 1e-3)
    if room.contains(Point(mid)):
        nx, ny = -nx, -ny
    dx, dy = nx * _FRONT_M, ny * _FRONT_M
    strip: BaseGeometry = _polygon([a, b, (b[0] + dx, b[1] + dy), (a[0] + dx, a[1] + dy)])
    if shapely.relate_pattern(room, strip, "T********"):
        strip = strip.difference(room)
    return strip


def _lines(geometry: BaseGeometry) -> list[LineString]:
    if geometry.is_empty:
        return []
    if isinstance(geometry, LineString):
        return [geometry]
    parts = [g for g in getattr(geometry, "geoms", []) if isinstance(g, LineString)]
    if not parts:
        return []
    merged = linemerge(MultiLineString(parts))
    return [merged] if isinstance(merged, LineString) else list(getattr(merged, "geoms", []))


def _zone(mid: tuple[float, float], u: tuple[float, float], width: float) -> Polygon:
    ux, uy = u
    nx, ny = -uy, ux
    h = width / 2
    x, y = mid
    return _polygon(
        [
            (x - ux * h + nx * _CLEAR_M, y - uy * h + ny * _CLEAR_M),
            (x + ux * h + nx * _CLEAR_M, y + uy * h + ny * _CLEAR_M),
            (x + ux * h - nx * _CLEAR_M, y + uy * h - ny * _CLEAR_M),
            (x - ux * h - nx * _CLEAR_M, y - uy * h - ny * _CLEAR_M),
        ]
    )


def _wall_of(
    room: BaseGeometry, mid: tuple[float, float], u: tuple[float, float]
) -> tuple[tuple[float, float], tuple[float, float]]:
    """Return the edge of the room's outline the door sits in."""
    p = Point(mid)
    if isinstance(room, Polygon):
        coords = list(room.exterior.coords)
        for a, b in itertools.pairwise(coords):
            if LineString([a, b]).distance(p) < 1e-6:
                return ((a[0], a[1]), (b[0], b[1]))
    return ((mid[0] - u[0] * 0.5, mid[1] - u[1] * 0.5), (mid[0] + u[0] * 0.5, mid[1] + u[1] * 0.5))


def _door_record(
    ident: str,
    room: str,
    to: str,
    door: DoorAt,
    frames: _Frames,
    kind: Literal["main", "second_exit"] = "main",
) -> Door:
    """Return a door found in the band frame (:func:`_door`) as the plan's door, in the world."""
    at, (a, b), width = door
    return Door(
        id=ident,
        room=room,
        to=to,
        at=frames.point(at),
        wall=(frames.point(a), frames.point(b)),
        width_m=width,
        kind=kind,
    )


# --------------------------------------------------------------------------- the model


def _room(unit: Unit, shape: Polygon, frames: _Frames) -> PlanRoom:
    return PlanRoom(
        id=unit.id,
        space_type=unit.space_type.id,
        zone=unit.zone,
        privacy=unit.privacy,
        names=unit.space_type.names,
        polygon=frames.ring(shape),
        programme_area_m2=unit.area,
        occupants=unit.occupants,
        enclosed=unit.enclosed,
        staff_only=unit.staff_only,
        secure=unit.secure,
        serves_lobby=unit.serves_lobby,
    )


def _corridor(c: CorridorPiece, frames: _Frames) -> Corridor:
    return Corridor(
        id=c.id,
        polygon=frames.ring(c.shape),
        width_m=round(c.width, 2),
        staff_only=c.staff,
        kind=c.kind,
        privacy="private" if c.staff else "semi_open",
    )


def _plan(
    case: Case,
    rooms: list[PlanRoom],
    corridors: list[Corridor],
    doors: list[Door],
    *,
    strategy: str,
    seed: int,
) -> Plan:
    scenario, catalog = case.scenario, case.catalog
    footprint = scenario.footprint
    outline = footprint.outline()
    windows = (
        [(a, b) for a, b in zip(outline, outline[1:] + outline[:1], strict=True)]
        if footprint.windows == "all"
        else [tuple(w) for w in footprint.windows]
    )
    return Plan(
        scenario=scenario.name,
        option=1,
        strategy=strategy,
        seed=seed,
        footprint=[(float(x), float(y)) for x, y in outline],
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
