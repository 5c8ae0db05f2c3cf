"""Give the strips of floor the layout leaves over to what stands beside them.

A row's rooms are as deep as their areas and shapes allow, which can leave a strip between a
room and the façade (or another wall) that no one can use: unassigned floor that still costs
rent and keeps the room from its window. Where such a strip runs the room's whole side and ends
at something solid, within the growth the scenario allows, the room is drawn to it. A room
keeps its rectangle, its shape limit and its door wall; it never takes floor in front of an
entrance or over a column. What is still left beside a spare area joins it where the area stays
wide enough to let; beside a corridor, it widens the corridor (a stretch of the staff row the
programme does not fill becomes the staff corridor's alcove: coats, a printer, a turning space).
"""

from __future__ import annotations

import math
from dataclasses import replace

from shapely.geometry import Point, Polygon, box
from shapely.geometry.base import BaseGeometry
from shapely.ops import unary_union
from shapely.prepared import prep

from configurator.layout.rows import Placement
from configurator.layout.shapes import clean, polygons, shared
from configurator.layout.spare import LeftoverSpare, SpareBrief
from configurator.layout.stack import CorridorPiece
from configurator.model.geometry import clear_width

__all__ = ["absorb_leftovers", "absorbed", "grow_rooms"]

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
) -> list[Placement]:
    """Return the placements with rooms grown over the strips of ``free`` floor beside them.

    ``free`` is the floor no space, core or column covers (band frame). A rectangular room grows
    on one side at a time, by the whole depth of the strip there (never leaving a thinner one),
    up to ``share`` of its programme area in all, keeping its ``max_aspect``.
    """
    if share <= 0.0 or free.is_empty:
        return placements
    r = _ENTRANCE_CLEAR_M
    clear = unary_union([box(x - r, y - r, x + r, y + r) for x, y in entrances])
    parts = polygons(free.difference(clear) if not clear.is_empty else free)
    # a hair wider than the floor, so a strip that runs exactly to a wall counts as inside it
    left = unary_union([g.buffer(_EPS, join_style="mitre") for g in parts if g.area > _EPS])
    out = list(placements)
    for i in sorted(range(len(out)), key=lambda k: out[k].unit.id):
        p = out[i]
        if isinstance(p.outline, Polygon) or left.is_empty:
            continue
        grown = _grown(p.outline, left, p.unit.area * (1.0 + share), p.unit.max_aspect)
        if grown == p.outline:
            continue
        left = left.difference(box(*grown))
        out[i] = replace(p, outline=grown, _shape=None)
    return out


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
    columns: BaseGeometry,
) -> tuple[list[Polygon], list[Polygon]]:
    """Return the spare areas and corridors grown over the pieces of ``free`` beside them.

    A piece joins a spare area when the two make one polygon at least ``spare_width`` wide
    everywhere, up to ``spare_room_m2`` in all, and the piece keeps clear of the entrances;
    else it joins the corridor (shape, width) it shares most wall with, when the corridor stays
    one polygon without holes, that wide everywhere, and no column stands in the piece.
    """
    spares, halls = list(spares), [c for c, _ in corridors]
    room = spare_room_m2
    near_door = unary_union([Point(e).buffer(_ENTRANCE_CLEAR_M) for e in entrances])
    for raw in sorted(polygons(free), key=lambda g: (-g.area, g.bounds)):
        if raw.area < _PIECE_M2:
            continue
        piece = clean(raw)
        if piece.area < _PIECE_M2:
            continue
        if room >= piece.area and not piece.intersects(near_door):
            for k, spare in enumerate(spares):
                if shared(piece, spare) < _SHARED_M:
                    continue
                joined = _one(spare, piece)
                if joined is not None and clear_width(joined, spare_width - 1e-6):
                    spares[k] = joined
                    room -= piece.area
                    piece = Polygon()
                    break
        if piece.is_empty or piece.intersection(columns).area > 1e-6:
            continue  # (a column beside the piece stands in a notch of the corridor, not in it)
        best = max(range(len(halls)), key=lambda k: (shared(piece, halls[k]), -k), default=None)
        if best is None or shared(piece, halls[best]) < _SHARED_M:
            continue
        joined = _one(halls[best], piece)
        if joined is not None and clear_width(joined, corridors[best][1] - 1e-6):
            halls[best] = joined
    return spares, halls


def _one(a: Polygon, b: Polygon) -> Polygon | None:
    """Return two shapes' union when it is one polygon without holes, else None."""
    joined = unary_union([a, b])
    if joined.geom_type != "Polygon":
        return None
    assert isinstance(joined, Polygon), "checked above"
    joined = clean(joined)
    return joined if not joined.interiors and joined.is_valid else None


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
    taken = [*(p.shape for p in placements), *(c.shape for c in corridors)]
    taken += [*halls, *(k.shape for k in kept), solids, *columns]
    free = floor.difference(unary_union(taken))
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
        columns=unary_union(columns) if columns else Polygon(),
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
