"""Give the strips of floor the layout leaves over to what stands beside them.

A row's rooms are as deep as their areas and shapes allow, which can leave a strip between a
room and the façade (or another wall) that no one can use: unassigned floor that still costs
rent and keeps the room from its window. Where such a strip runs the room's whole side and ends
at something solid, within the growth the scenario allows, the room is drawn to it. A room
keeps its rectangle, its shape limit and its door wall; it never takes floor in front of an
entrance, nor a column unless it ends at 20 m² or more (the audit's P106). What is still left
beside a spare area joins it where the area stays wide enough to let; beside a corridor, it
widens the corridor (a stretch of the staff row the programme does not fill becomes the staff
corridor's alcove: coats, a printer, a turning space).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import replace
from itertools import pairwise

from shapely.geometry import Point, Polygon
from shapely.geometry.base import BaseGeometry
from shapely.ops import unary_union
from shapely.prepared import prep

from configurator.layout.rows import COLUMN_ROOM_M2, Placement
from configurator.layout.shapes import box, clean, polygons, shared
from configurator.layout.spare import LeftoverSpare, SpareBrief
from configurator.layout.stack import CorridorPiece
from configurator.model.geometry import clear_width, wide_around

__all__ = ["absorb_leftovers", "absorbed", "grow_rooms", "leftover"]

_MIN_STRIP_M = 0.3
"""A strip thinner than this is left (a wall's tolerance, not floor)."""
_ENTRANCE_CLEAR_M = 1.5
"""No room grows this close (m, each way) to an entrance: it opens into circulation."""
_EPS = 1e-6


def grow_rooms(
    placements: list[Placement],
    free: BaseGeometry,
    *,
    share: float,
    entrances: list[tuple[float, float]],
    columns: list[Polygon] | None = None,
) -> list[Placement]:
    """Return the placements with rooms grown over the strips of ``free`` floor beside them.

    ``free`` is the floor no space, core or column covers (band frame); ``columns`` are the
    columns standing on it. A rectangular room grows on one side at a time, by the whole depth
    of the strip there (never leaving a thinner one), up to ``share`` of its programme area in
    all, keeping its ``max_aspect``. A room that ends at 20 m² or more may take a strip with a
    column in it (as the audit's P106 allows): on a column grid, the strip beyond the grid
    line is otherwise left over along the whole row.
    """
    if share <= 0.0 or free.is_empty:
        return placements
    r = _ENTRANCE_CLEAR_M
    clear = unary_union([box(x - r, y - r, x + r, y + r) for x, y in entrances])
    left = _widened(free, clear)
    pillars = [c for c in columns or [] if c.distance(free) < 1e-3]
    with_pillars = _widened(unary_union([free, *pillars]), clear) if pillars else left
    out = list(placements)
    for i in sorted(range(len(out)), key=lambda k: out[k].unit.id):
        p = out[i]
        if isinstance(p.outline, Polygon) or left.is_empty:
            continue
        most = p.unit.area * (1.0 + share)
        grown = p.outline
        if pillars:
            grown = _grown(p.outline, with_pillars, most, p.unit.max_aspect)
            gx0, gy0, gx1, gy1 = grown
            holds = any(c.intersection(box(*grown)).area > 1e-4 for c in pillars)
            if holds and (gx1 - gx0) * (gy1 - gy0) < COLUMN_ROOM_M2 + 0.01:
                grown = p.outline  # too small to hold a column: grow as if it were a wall
        if grown == p.outline:
            grown = _grown(p.outline, left, most, p.unit.max_aspect)
        if grown == p.outline:
            continue
        left = left.difference(box(*grown))
        if pillars:
            with_pillars = with_pillars.difference(box(*grown))
        out[i] = replace(p, outline=grown, _shape=None)
    return out


def _widened(free: BaseGeometry, clear: BaseGeometry) -> BaseGeometry:
    """Return the free floor less the entrances' clearance, a hair wider than drawn (so that a
    strip running exactly to a wall counts as inside it)."""
    parts = polygons(free.difference(clear) if not clear.is_empty else free)
    return unary_union([g.buffer(_EPS, join_style="mitre") for g in parts if g.area > _EPS])


def _grown(
    rect: tuple[float, float, float, float], free: BaseGeometry, most_m2: float, aspect: float
) -> tuple[float, float, float, float]:
    """Return the rectangle grown side by side over full-width strips of ``free`` that end."""
    x0, y0, x1, y1 = rect
    inside = prep(free)
    for side in ("top", "bottom", "left", "right"):
        w, h = x1 - x0, y1 - y0
        along = w if side in ("top", "bottom") else h
        reach = most_m2 / along - (h if side in ("top", "bottom") else w)
        if reach < _MIN_STRIP_M:
            continue
        if not inside.intersects(box(*_band((x0, y0, x1, y1), side, 0.0, _MIN_STRIP_M))):
            continue  # no free floor at this wall (most sides: a corridor, another room)
        depth = _strip_depth((x0, y0, x1, y1), side, free, reach + 1.0)
        if depth is None or depth < _MIN_STRIP_M or depth > reach + _EPS:
            continue  # no strip, or one the room would cut in two
        strip = _band((x0, y0, x1, y1), side, 0.0, depth)
        cand = (min(x0, strip[0]), min(y0, strip[1]), max(x1, strip[2]), max(y1, strip[3]))
        cw, ch = cand[2] - cand[0], cand[3] - cand[1]
        if max(cw, ch) / min(cw, ch) > aspect + _EPS:
            continue
        if not inside.contains(box(*strip)):
            continue
        x0, y0, x1, y1 = cand
    return (x0, y0, x1, y1)


def _strip_depth(
    rect: tuple[float, float, float, float], side: str, free: BaseGeometry, look: float
) -> float | None:
    """Return how deep the free floor runs beyond one side over its whole width, or None.

    None when the free floor does not cover the side's whole width at the wall, or runs on
    beyond ``look`` (the strip does not end: growing into it would leave a thinner one).
    """
    x0, y0, x1, y1 = rect
    blocked = box(*_band(rect, side, 0.0, look)).difference(free)
    if blocked.is_empty or blocked.area < _EPS:
        return None
    bx0, by0, bx1, by1 = blocked.bounds
    depth = {"top": by0 - y1, "bottom": y0 - by1, "left": x0 - bx1, "right": bx0 - x1}[side]
    depth = max(float(depth) - _EPS, 0.0)  # the free floor is a hair wider than drawn
    # the strip must end there along the whole side (a wall, the façade), not at a column or
    # a door's clearance standing in it, which would leave a thinner strip beside them
    t = 2 * _MIN_STRIP_M
    beyond = _band(rect, side, depth + 2 * _EPS, depth + t)
    if box(*beyond).intersection(free).area > _EPS * t * 10:
        return None
    return depth


def _band(
    rect: tuple[float, float, float, float], side: str, near: float, far: float
) -> tuple[float, float, float, float]:
    """Return the band beyond one side of a rectangle, ``near`` to ``far`` from it, as wide."""
    x0, y0, x1, y1 = rect
    return {
        "top": (x0, y1 + near, x1, y1 + far),
        "bottom": (x0, y0 - far, x1, y0 - near),
        "left": (x0 - far, y0, x0 - near, y1),
        "right": (x1 + near, y0, x1 + far, y1),
    }[side]


_COLUMN_CORRIDOR_M = 3.0
"""A corridor this wide round a column keeps its passage clear (the audit's P106)."""
_CRACK_M = 1e-4
"""Cracks this wide (m) between joined shapes are closed (see :func:`_one`)."""
_MOST_SLABS = 24
"""A leftover with corners at more places than this is not cut into slabs (bounded work)."""
_SHARED_M = 1.0
"""A piece joins what it shares at least this much wall with (m)."""
_PIECE_M2 = 0.5
"""Pieces smaller than this are slivers between walls, left alone (m²)."""


def absorb_leftovers(
    free: BaseGeometry,
    *,
    spares: list[Polygon],
    spare_width: float,
    spare_room_m2: float,
    corridors: list[tuple[Polygon, float]],
    entrances: list[tuple[float, float]],
    columns: list[Polygon],
) -> tuple[list[Polygon], list[Polygon]]:
    """Return the spare areas and corridors grown over the pieces of ``free`` beside them.

    A piece joins a spare area when the two make one polygon at least ``spare_width`` wide
    everywhere, up to ``spare_room_m2`` in all, and the piece keeps clear of the entrances;
    else it joins the corridor (shape, width) it shares most wall with, when the corridor stays
    one polygon without holes and that wide everywhere. ``columns`` (those no space holds) go
    with the piece they stand in or beside: into a spare area, or into a corridor where it is
    3 m wide round them (the audit's P106); else the piece goes without them. A piece that
    cannot go whole goes in parts (slabs cut at its corners, what a corridor's width sweeps of
    it, or cut round a column), parts are tried again once their neighbours have joined, and
    what is still left at the end goes together.
    """
    spares, halls = list(spares), [c for c, _ in corridors]
    room = spare_room_m2
    near_door = unary_union([Point(e).buffer(_ENTRANCE_CLEAR_M) for e in entrances])
    widths = [w for _, w in corridors]
    taken: list[Polygon] = []

    held: list[Polygon] = []  # columns a spare area or corridor took: no other may

    def placed(piece: Polygon, ways: list[tuple[Polygon, list[Polygon]]]) -> bool:
        nonlocal room
        ways = [(p, cs) for p, cs in ways if not any(c in held for c in cs)]
        used: tuple[Polygon, list[Polygon]] | None = None
        if room >= max(p.area for p, _ in ways) and not piece.intersects(near_door):
            used = _join(
                spares, ways, lambda joined, _, __: clear_width(joined, spare_width - 1e-6)
            )
            if used is not None:
                room -= used[0].area
        if used is None:
            used = _join(
                halls,
                ways,
                lambda joined, k, pillars: (
                    clear_width(joined, widths[k] - 1e-6)
                    and all(wide_around(joined, c, _COLUMN_CORRIDOR_M) for c in pillars)
                ),
            )
        if used is None:
            return False
        taken.append(piece)
        held.extend(used[1])
        return True

    queue = [(clean(g), 0) for g in sorted(polygons(free), key=lambda g: (-g.area, g.bounds))]
    stuck: list[tuple[Polygon, list[tuple[Polygon, list[Polygon]]]]] = []
    while queue:
        piece, cuts = queue.pop(0)
        if piece.area < _PIECE_M2:
            continue
        whole, beside, ways = _ways(piece, columns)
        if placed(piece, ways):
            continue
        parts: list[Polygon] = []
        if cuts < 2:
            # an L or a T of leftovers may go in parts: a strip to the corridor along it, the
            # rest beside a spare area or another corridor (cut at its corners, across x first);
            # one with corners everywhere (behind rooms of many depths) by what a corridor's
            # width sweeps of it, its teeth left; one with a column where the corridor would be
            # narrow, cut round the column
            parts = _slabs(piece, across_x=cuts == 0)
            if len(parts) <= 1:
                parts = _swept(piece, halls, widths)
            if not parts and whole is not None:
                parts = _around(piece, whole, beside)
        if parts:
            queue[0:0] = [(p, cuts + 1 if len(parts) > 1 else 2) for p in parts]
        else:
            stuck.append((piece, ways))
    # a part tried before its neighbour had joined anything shared no wall then: try the
    # parts left again while that places any
    progress = True
    while progress:
        progress = False
        for entry in list(stuck):
            if placed(*entry):
                stuck.remove(entry)
                progress = True
    if stuck:
        # parts too narrow alone (slabs either side of a column, slivers dropped when cut) may
        # go together: what is still free, whole or as far as a corridor's width sweeps it
        rest = free.difference(unary_union(taken)) if taken else free
        for g in sorted(polygons(rest), key=lambda g: (-g.area, g.bounds)):
            piece = clean(g) if g.area >= _PIECE_M2 else Polygon()
            if piece.area >= _PIECE_M2 and not placed(piece, _ways(piece, columns)[2]):
                for part in _swept(piece, halls, widths):
                    placed(part, _ways(part, columns)[2])
    return spares, halls


def _ways(
    piece: Polygon, columns: list[Polygon]
) -> tuple[Polygon | None, list[Polygon], list[tuple[Polygon, list[Polygon]]]]:
    """Return a piece with the columns standing in or beside it (None when there are none or
    they do not make one polygon with it), those columns, and the ways to join it: with
    them first, then without."""
    beside = [c for c in columns if c.distance(piece) < 1e-6]
    whole = _one(piece, unary_union(beside)) if beside else None
    ways = [(whole, beside), (piece, [])] if whole is not None else [(piece, [])]
    return whole, beside, ways


def _around(piece: Polygon, whole: Polygon, columns: list[Polygon]) -> list[Polygon]:
    """Return a piece less a cut across it (across its longer side) at each column standing
    where it is under 3 m wide (such a column would narrow a corridor; cut round, it stands in
    a notch), largest part first; nothing when no column stands so."""
    narrow = [c for c in columns if not wide_around(whole, c, _COLUMN_CORRIDOR_M)]
    if not narrow:
        return []
    x0, y0, x1, y1 = piece.bounds
    if x1 - x0 >= y1 - y0:  # a piece along x is cut across x at the column, else across y
        cut = unary_union([box(c.bounds[0], y0 - 1, c.bounds[2], y1 + 1) for c in narrow])
    else:
        cut = unary_union([box(x0 - 1, c.bounds[1], x1 + 1, c.bounds[3]) for c in narrow])
    parts = [clean(g) for g in polygons(piece.difference(cut)) if g.area >= _PIECE_M2]
    return sorted(parts, key=lambda g: (-g.area, g.bounds))


def _swept(piece: Polygon, halls: list[Polygon], widths: list[float]) -> list[Polygon]:
    """Return what a disc as wide as the corridor the piece shares most wall with sweeps of
    it (largest part first), or nothing when that is the whole piece or none of it."""
    walls = [shared(piece, h) for h in halls]
    if not walls or max(walls) < _SHARED_M:
        return []
    r = widths[walls.index(max(walls))] / 2
    swept = piece.buffer(-r, join_style="mitre").buffer(r, join_style="mitre").intersection(piece)
    parts = [clean(g) for g in polygons(swept) if g.area >= _PIECE_M2]
    if not parts or sum(g.area for g in parts) > 0.99 * piece.area:
        return []
    return sorted(parts, key=lambda g: (-g.area, g.bounds))


def _join(
    shapes: list[Polygon],
    ways: list[tuple[Polygon, list[Polygon]]],
    fits: Callable[[Polygon, int, list[Polygon]], bool],
) -> tuple[Polygon, list[Polygon]] | None:
    """Join a piece (``ways``: with the columns in it, else without) to the shape it shares
    most wall with where the two make one polygon that ``fits`` (the union, the shape's index,
    the columns taken); return the way joined, or None."""
    piece = ways[-1][0]
    walls = {k: shared(piece, shape) for k, shape in enumerate(shapes)}
    for k in sorted((k for k, m in walls.items() if m >= _SHARED_M), key=lambda k: -walls[k]):
        for part, pillars in ways:
            joined = _one(shapes[k], part)
            if joined is not None and fits(joined, k, pillars):
                shapes[k] = joined
                return part, pillars
    return None


def _slabs(piece: Polygon, *, across_x: bool) -> list[Polygon]:
    """Return a piece cut at each of its corners' x (or y) into slabs, largest first."""
    coords = [c for ring in (piece.exterior, *piece.interiors) for c in ring.coords]
    axis = 0 if across_x else 1
    cuts = sorted({round(c[axis], 6) for c in coords})
    if len(cuts) > _MOST_SLABS:
        return [piece]
    x0, y0, x1, y1 = piece.bounds
    out: list[Polygon] = []
    for a, b in pairwise(cuts):
        slab = box(a, y0 - 1, b, y1 + 1) if across_x else box(x0 - 1, a, x1 + 1, b)
        out += [clean(g) for g in polygons(piece.intersection(slab)) if g.area >= _PIECE_M2]
    return sorted(out, key=lambda g: (-g.area, g.bounds))


def _one(a: Polygon, b: Polygon) -> Polygon | None:
    """Return two shapes' union when it is one polygon without holes, else None.

    The union is closed by 0.1 mm first: parts cut from a leftover meet their neighbours along
    edges a rounding apart, which would leave hair-thin cracks into the union.
    """
    joined = unary_union([a, b])
    joined = joined.buffer(_CRACK_M, join_style="mitre").buffer(-_CRACK_M, join_style="mitre")
    if joined.geom_type != "Polygon":
        return None
    assert isinstance(joined, Polygon), "checked above"
    joined = clean(joined)
    return joined if not joined.interiors and joined.is_valid else None


def leftover(
    floor: Polygon,
    placements: list[Placement],
    corridors: list[CorridorPiece],
    halls: list[Polygon],
    kept: list[LeftoverSpare],
    solids: BaseGeometry,
    columns: list[Polygon],
) -> tuple[BaseGeometry, list[Polygon]]:
    """Return the floor no room, corridor, hall, spare area, core or column covers, and the
    columns no space holds (those a room, corridor or spare area may still take)."""
    rooms = [p.shape for p in placements]
    spaces = unary_union(
        [*rooms, *(c.shape for c in corridors), *halls, *(k.shape for k in kept), solids]
    )
    free = floor.difference(unary_union([spaces, *columns]))
    return free, [c for c in columns if c.intersection(spaces).area < 1e-4]


def absorbed(
    floor: Polygon,
    kept: list[LeftoverSpare],
    corridors: list[CorridorPiece],
    placements: list[Placement],
    halls: list[Polygon],
    solids: BaseGeometry,
    columns: list[Polygon],
    spare: SpareBrief | None,
    entrances: list[tuple[float, float]],
) -> tuple[list[LeftoverSpare], list[CorridorPiece]]:
    """Give the floor a plan still leaves to the spare areas and corridors beside it.

    Spare areas with their own façade door keep their shape (their door was placed for it);
    the others grow within the surplus left (:func:`absorb_leftovers`).
    """
    free, loose = leftover(floor, placements, corridors, halls, kept, solids, columns)
    if free.area < 0.5:
        return kept, corridors
    open_to = [k for k in kept if k.onto is not None]
    ways = [c for c in corridors if c.kind != "hall"]
    settings = spare.settings if spare is not None else None
    room = spare.surplus_m2 - sum(k.shape.area for k in kept) if spare is not None else 0.0
    grown_spares, grown_ways = absorb_leftovers(
        free,
        spares=[k.shape for k in open_to],
        spare_width=settings.min_width_m if settings is not None else math.inf,
        spare_room_m2=max(room, 0.0),
        corridors=[(c.shape, c.width) for c in ways],
        entrances=entrances,
        columns=loose,
    )
    by_id = {c.id: shape for c, shape in zip(ways, grown_ways, strict=True)}
    changed = {id(k): shape for k, shape in zip(open_to, grown_spares, strict=True)}
    return (
        [LeftoverSpare(changed[id(k)], k.onto, None) if id(k) in changed else k for k in kept],
        [
            CorridorPiece(c.id, by_id[c.id], c.width, c.staff, c.kind) if c.id in by_id else c
            for c in corridors
        ],
    )
