"""Lay the staff block at the top of a band stack and tie staff space to everything else.

The staff row along the deepest façade and the staff corridor in front of it, with a passage
to the staff entrance; more staff corridors when one does not hold the staff rooms; the staff
link down to a visitor corridor; and the secure meeting room, which opens to visitors but has
its second exit into staff space.
"""

from __future__ import annotations

import itertools
import math
from typing import Literal

from shapely.geometry import LineString, Point, Polygon
from shapely.geometry.base import BaseGeometry

from configurator.layout.rows import Placement, RowSpec, pack_row
from configurator.layout.shapes import box
from configurator.layout.stack import (
    MAX_ROW,
    MIN_ROW,
    CorridorPiece,
    Ctx,
    Piece,
    State,
    Strip,
    clamp,
    depth_search,
    floor_runs,
    hits_columns,
    row_spans,
    solid_runs,
    strip_free,
    waste,
)
from configurator.layout.units import Unit, depth_range, fits_depth
from configurator.model.errors import LayoutError
from configurator.model.geometry import clear_width

__all__ = ["secure_across", "secure_beside", "staff_block", "staff_link", "tie_staff"]

StaffFound = tuple[Piece, Strip | None, list[Placement], float]
"""A staff-row trial: the corridor, the passage to the staff door, the rooms, the niche m²."""


def staff_block(ctx: Ctx, state: State) -> Piece:
    """Place the staff row and staff corridor at the top; return the staff corridor.

    The row depth is searched: the shallowest depth that holds every staff room too deep to
    share a row with private rooms, wasting the least floor.
    """
    bf = ctx.bf
    top = state.bottom
    staff = [u for u in state.pool if u.category == "staff"]
    total = sum(u.area for u in staff)
    low = max(MIN_ROW, min(depth_range(u)[0] for u in staff))
    failure = ["no stretch of the floor's far side holds a staff corridor"]

    def evaluate(d: float) -> tuple[tuple[float, ...], StaffFound, bool] | None:
        c1 = top - d
        c0 = c1 - bf.staff_w
        if bf.staff_w < 3.0 and hits_columns(ctx, c0, c1):
            return None
        runs = floor_runs(ctx, c0, c1, narrow=bf.staff_w < 3.0)
        runs = [(a, b) for a, b in runs if b - a >= 4.0]
        choice = _staff_run(ctx, runs, c0, c1, top) if runs else None
        if choice is None:
            if runs:
                failure[0] = (
                    "the staff entrance cannot be joined to a staff corridor on the far side"
                )
            return None
        (a, b), passage = choice
        piece = Piece(a, b, c0, c1, "staff_corridor", "staff", connected=True)
        strips = [*state.strips, *([passage] if passage is not None else [])]
        spans = row_spans(ctx.geo, c1, top, strips)
        row = RowSpec(
            y0=c1, y1=top, spans=spans, bottom=[piece.span], solid=solid_runs(ctx, c1, top)
        )
        pool = list(state.pool)
        placed, niche = pack_row(row, pool, geo=ctx.geo, toward=ctx.bf.entrance[0])
        left = [u for u in pool if u.category == "staff"]
        deep = [u for u in left if depth_range(u)[0] > 4.0]
        wasted = waste(ctx.geo, spans, d, placed)
        # Staff left over must find room along the corridor's other side, which is short.
        overflow = sum(u.area for u in left)
        score = (len(deep), round((wasted + 0.7 * overflow) / total, 2), d)
        return score, (piece, passage, placed, niche), not left

    best = depth_search(low, MAX_ROW, evaluate)
    if best is None:
        raise LayoutError(failure[0])
    piece, passage, placed, niche = best
    for p in placed:
        state.pool.remove(p.unit)
    state.sketch.placements += placed
    state.sketch.niche_m2 += niche
    state.pieces.append(piece)
    state.sketch.corridors.append(
        CorridorPiece(piece.id, piece.shape, bf.staff_w, True, "corridor")
    )
    if passage is not None:
        state.strips.append(passage)
        shape = passage.shape or box(passage.x0, passage.y0, passage.x1, passage.y1)
        state.sketch.corridors.append(
            CorridorPiece(passage.id, shape, passage.x1 - passage.x0, True, "passage")
        )
    state.bottom = piece.y0
    return piece


def _staff_run(
    ctx: Ctx, runs: list[tuple[float, float]], c0: float, c1: float, top: float
) -> tuple[tuple[float, float], Strip | None] | None:
    """Choose the staff corridor's stretch and the passage from it to the staff entrance.

    Without a staff entrance: the longest stretch. Otherwise the stretch with the shortest
    passage (:func:`_staff_passage`); None when no stretch can be joined to the door.
    """
    bf = ctx.bf
    if not bf.staff_doors:
        return max(runs, key=lambda r: r[1] - r[0]), None
    options: list[tuple[float, tuple[float, float], Strip | None]] = []
    for door, width in bf.staff_doors:
        for run in runs:
            found = _staff_passage(ctx, door, width, run, c0, c1)
            if found is not None:
                options.append((found[0], run, found[1]))
    if not options:
        return None
    _, run, passage = min(options, key=lambda o: o[0])
    return run, passage


def _staff_passage(
    ctx: Ctx,
    door: tuple[float, float],
    width: float,
    run: tuple[float, float],
    c0: float,
    c1: float,
) -> tuple[float, Strip | None] | None:
    """Return (length, passage) from a staff corridor stretch to a staff door, or None.

    The door's opening lies on the outline; the passage is a box from the corridor to the
    façade, cut by the façade itself (so angled façades work), widened until it keeps the
    staff corridor's clear width; it needs none when the opening lies on the corridor's end.
    """
    bf = ctx.bf
    w = bf.staff_w
    a, b = run
    ux, uy = _edge_direction(bf.floor, door)
    half = width / 2
    p0 = (door[0] - ux * half, door[1] - uy * half)
    p1 = (door[0] + ux * half, door[1] + uy * half)
    opening = LineString([p0, p1])
    lo, hi = min(p0[1], p1[1]), max(p0[1], p1[1])
    corridor = box(a, c0, b, c1)
    if corridor.buffer(1e-3).covers(opening):
        return (0.0, None)
    boxes: list[tuple[float, float, float, float]] = []
    if abs(uy) <= abs(ux):  # the door is in a wall along x: a passage up or down to it
        for pw in (max(w, width * abs(ux) + 0.2), 3.1):
            x0, x1 = door[0] - pw / 2, door[0] + pw / 2
            if a + 0.3 <= x0 and x1 <= b - 0.3:
                boxes.append((x0, c1, x1, hi + 0.5) if lo >= c1 - 1e-6 else (x0, lo - 0.5, x1, c0))
    else:  # in a wall along y: along the façade beside the rows, or on from the corridor's end
        right = abs(door[0] - b) < abs(door[0] - a)
        for extra in (0.0, 0.4, 0.8, 1.2, 1.8):
            if lo >= c1 - 1e-6 or hi <= c0 + 1e-6:
                y0, y1 = (c1, hi + 0.1) if lo >= c1 - 1e-6 else (lo - 0.1, c0)
                x0, x1 = (
                    (door[0] - w - extra, door[0] + 1.0)
                    if right
                    else (door[0] - 1.0, door[0] + w + extra)
                )
            else:
                y0, y1 = min(c0, lo - 0.1), max(c1, hi + 0.1)
                x0, x1 = (b, door[0] + 1.0) if right else (door[0] - 1.0, a)
            boxes.append((x0, y0, x1, y1))
    for x0, y0, x1, y1 in boxes:
        shape = box(x0, y0, x1, y1).intersection(ctx.geo.floor)
        if shape.geom_type != "Polygon" or shape.is_empty:
            continue
        if not shape.buffer(1e-3).covers(opening) or not clear_width(shape, w):
            continue
        if any(c.intersects(shape) for c in bf.columns) and not clear_width(shape, 3.05):
            continue  # a column may stand only in a passage of 3 m or more
        # It must meet the corridor over a door's width (or its end, when beside it).
        if _shared_length(shape, corridor) < 0.9:
            continue
        bx0, by0, bx1, by1 = shape.bounds
        strip = Strip(bx0, bx1, by0, by1, "staff_entrance_passage", True, shape)
        return (shape.area, strip)
    return None


def _edge_direction(floor: Polygon, p: tuple[float, float]) -> tuple[float, float]:
    """Return the unit direction of the outline edge nearest a point."""
    coords = list(floor.exterior.coords)
    best = (math.inf, (1.0, 0.0))
    point = Point(p)
    for q0, q1 in itertools.pairwise(coords):
        d = LineString([q0, q1]).distance(point)
        length = math.dist(q0, q1)
        if length > 1e-9 and d < best[0]:
            best = (d, ((q1[0] - q0[0]) / length, (q1[1] - q0[1]) / length))
    return best[1]


def _shared_length(a: BaseGeometry, b: BaseGeometry) -> float:
    return float(a.boundary.intersection(b.buffer(1e-4)).length)


def tie_staff(
    ctx: Ctx,
    state: State,
    below: list[Piece],
    above: list[Piece],
    c1: float,
    y1: float,
) -> list[Strip]:
    """Tie new staff corridor pieces to a staff corridor above by a passage through the row."""
    w = ctx.bf.staff_w
    new: list[Strip] = []
    for piece in below:
        for upper in above:
            if upper.cls != "staff" or not upper.connected:
                continue
            lo, hi = max(piece.x0, upper.x0) + 0.3, min(piece.x1, upper.x1) - 0.3 - w
            if hi < lo:
                continue
            for x in (lo, hi, (lo + hi) / 2):
                link = Strip(x, x + w, c1, y1, f"staff_passage_{piece.id}", True)
                clash = any(
                    s.x0 < x + w + 0.01 and s.x1 > x - 0.01 and s.y0 < y1 and s.y1 > c1
                    for s in state.strips + new
                )
                if not clash and strip_free(ctx, link):
                    new.append(link)
                    piece.connected = True
                    break
            if piece.connected:
                break
    return new


def staff_link(
    ctx: Ctx,
    staff_piece: Piece,
    below: list[Piece],
    y0: float,
    y1: float,
    strips: list[Strip],
) -> Strip | None:
    """Return a staff passage from the staff corridor down to a visitor corridor (staff link)."""
    w = ctx.bf.staff_w
    spine = next((s for s in strips if s.id.startswith("spine")), None)
    base = ctx.bf.entrance[0] if spine is None else spine.x1
    target = base + ctx.settings.link_shift
    for piece in sorted(below, key=lambda p: -(p.x1 - p.x0)):
        if not piece.connected:
            continue
        lo = max(staff_piece.x0, piece.x0) + 0.3
        hi = min(staff_piece.x1, piece.x1) - 0.3 - w
        if hi < lo:
            continue
        for x in sorted({clamp(target, lo, hi), lo, hi}, key=lambda v: abs(v - target)):
            link = Strip(x, x + w, y0, y1, "staff_link", True)
            clash = any(
                s.x0 < x + w + 0.01 and s.x1 > x - 0.01 and s.y0 < y1 and s.y1 > y0 for s in strips
            )
            if not clash and strip_free(ctx, link):
                return link
    return None


def secure_beside(
    ctx: Ctx, row: RowSpec, unit: Unit, link: Strip, below: list[Piece]
) -> Placement | None:
    """Place the secure room beside the staff link, its door down, its second door on the link."""
    low, high = depth_range(unit)
    e = min(high, row.depth)
    if e < low - 1e-6:
        return None
    w = unit.area / e
    for x0 in (link.x0 - w, link.x1):
        rect = (x0, row.y0, x0 + w, row.y0 + e)
        if not ctx.geo.inside(rect) or ctx.geo.hits_column(rect):
            continue
        if not any(s[0] - 1e-6 <= x0 and x0 + w <= s[1] + 1e-6 for s in row.spans):
            continue
        door = next(
            (p for p in below if p.connected and min(x0 + w, p.x1) - max(x0, p.x0) >= 1.2), None
        )
        if door is None:
            continue
        return Placement(unit, rect, [(door.id, "main"), (link.id, "second_exit")], "bottom")
    return None


def secure_across(
    ctx: Ctx, row: RowSpec, unit: Unit, staff: Piece, below: list[Piece]
) -> Placement | None:
    """Place the secure room across the row's whole depth: its door down to the visitor
    corridor, its second door straight up onto the staff corridor."""
    if not fits_depth(unit, row.depth):
        return None
    w = unit.area / row.depth
    target = ctx.bf.entrance[0]
    for a, b in sorted(row.spans, key=lambda s: min(abs(s[0] - target), abs(s[1] - target))):
        for x0 in (a, b - w):
            x1 = x0 + w
            if x0 < a - 1e-6 or x1 > b + 1e-6:
                continue
            rect = (x0, row.y0, x1, row.y1)
            if not ctx.geo.inside(rect) or ctx.geo.hits_column(rect):
                continue
            if min(x1, staff.x1) - max(x0, staff.x0) < 1.2:
                continue
            door = next(
                (p for p in below if p.connected and min(x1, p.x1) - max(x0, p.x0) >= 1.2), None
            )
            if door is None:
                continue
            doors: list[tuple[str, Literal["main", "second_exit"]]] = [
                (door.id, "main"),
                (staff.id, "second_exit"),
            ]
            return Placement(unit, rect, doors, "bottom")
    return None
