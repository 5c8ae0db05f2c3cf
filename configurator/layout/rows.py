"""Pack rooms into a row of floor between corridors: full-depth rooms, back-to-back pairs, stacks.

Works in a band frame where the row runs along x between ``y0`` and ``y1``: rooms open up (to
the circulation above), down (below) or, at a row's end on the hall, sideways. Every room keeps
its programme area: a room cut by an angled façade is widened until its area is whole again.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

import shapely
from shapely.geometry import LineString, Polygon
from shapely.geometry.base import BaseGeometry
from shapely.prepared import PreparedGeometry, prep

from configurator.layout.units import Unit, depth_range, fits_depth

__all__ = [
    "CLASSES",
    "COLUMN_ROOM_M2",
    "DoorSpan",
    "Geo",
    "Placement",
    "RowSpec",
    "pack_row",
]

Cls = Literal["staff", "visitor", "hall"]
Side = Literal["top", "bottom", "left", "right"]
Shape4 = tuple[float, float, float, float]
"""Depths and widths of two rooms back to back (e_t, e_b, w_t, w_b), see :func:`_pair_shape`."""

CLASSES: dict[str, tuple[Cls, ...]] = {
    "staff": ("staff",),
    "secure": (),  # placed beside staff space by the bands, never by the row packer
    "private": ("visitor",),
    "semi": ("visitor", "hall"),
    "hall_room": ("hall",),
    "open": (),
}
"""What circulation each category of room may open onto, preferred first."""
_OPENS: dict[str, frozenset[Cls]] = {k: frozenset(v) for k, v in CLASSES.items()}
""":data:`CLASSES` as sets, for 'may it open onto any of these' tests."""

DOOR_EDGE_M = 1.2
"""Wall a room needs on its circulation for a 1.0 m door and its frame."""
_EPS = 1e-6
COLUMN_ROOM_M2 = 20.0
"""Rooms this large may hold a column; smaller ones must stand clear of every column."""


@dataclass(frozen=True)
class DoorSpan:
    """A stretch of a row's edge along which circulation of one class lies."""

    x0: float
    x1: float
    target: str
    cls: Cls


@dataclass
class RowSpec:
    """A row of floor to fill, its usable stretches and the circulation on each side."""

    y0: float
    y1: float
    spans: list[tuple[float, float]]
    """Stretches along x where rooms may stand (floor, less what passages keep free)."""
    top: list[DoorSpan] = field(default_factory=list)
    bottom: list[DoorSpan] = field(default_factory=list)
    left: list[tuple[float, DoorSpan]] = field(default_factory=list)
    """Row ends where the hall is on the left: (x of the end, the hall); y0..y1 of the span."""
    right: list[tuple[float, DoorSpan]] = field(default_factory=list)
    solid: list[tuple[float, float]] = field(default_factory=list)
    """Stretches where the row's whole depth is floor: a room there needs no clipping test."""
    _sides: tuple[frozenset[Cls], frozenset[Cls]] | None = field(
        default=None, init=False, repr=False, compare=False
    )
    """The classes of circulation along the top and the bottom (see :meth:`sides`)."""

    @property
    def depth(self) -> float:
        """Return the row's depth, m."""
        return self.y1 - self.y0

    def sides(self) -> tuple[frozenset[Cls], frozenset[Cls]]:
        """Return the classes of circulation anywhere along the top and along the bottom.

        A room none of whose classes is on a side finds no door there at any place along the
        row: the packer skips such tries without measuring them. Read once per row (its door
        spans do not change while it is packed).
        """
        if self._sides is None:
            self._sides = (
                frozenset(s.cls for s in self.top),
                frozenset(s.cls for s in self.bottom),
            )
        return self._sides


@dataclass
class Placement:
    """A room placed in the band frame and the circulation its door(s) open onto.

    ``outline`` is a rectangle (x0, y0, x1, y1) or, for a room cut by a façade, its polygon; the
    shapely shape is made only when asked for (most tried placements are never kept).
    """

    unit: Unit
    outline: tuple[float, float, float, float] | Polygon
    doors: list[tuple[str, Literal["main", "second_exit"]]]
    facing: Side
    _shape: Polygon | None = field(default=None, repr=False)

    @property
    def shape(self) -> Polygon:
        """Return the room's outline as a shapely polygon."""
        if self._shape is None:
            outline = self.outline
            self._shape = outline if isinstance(outline, Polygon) else box(*outline)
        return self._shape

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        """Return the room's bounding box."""
        outline = self.outline
        if isinstance(outline, Polygon):
            x0, y0, x1, y1 = outline.bounds
            return (x0, y0, x1, y1)
        return outline


@dataclass
class Geo:
    """The floor of the band frame, for clipping rooms at angled façades and avoiding columns."""

    floor: Polygon
    columns: list[tuple[float, float, float, float]]
    cores: list[tuple[float, float, float, float]] = field(default_factory=list)
    """Bounding boxes of cores: a room meeting one is refused, not cut around it."""
    glass: BaseGeometry | None = None
    """The windowed façade (lines), or None when the layout does not look at windows."""
    prepared: PreparedGeometry = field(init=False)

    def __post_init__(self) -> None:
        self.prepared = prep(self.floor.buffer(1e-7))

    def inside(self, rect: tuple[float, float, float, float]) -> bool:
        """Tell whether a rectangle lies wholly on the floor (each rectangle tested once)."""
        found = self.insides.get(rect)
        if found is None:
            found = self.insides[rect] = bool(self.prepared.contains(box(*rect)))
        return found

    insides: dict[tuple[float, float, float, float], bool] = field(default_factory=dict)
    """Rectangles tested by :meth:`inside`: the row search tries the same ones at every depth."""
    glass_at: dict[float, BaseGeometry] = field(default_factory=dict)
    """The windowed façade within 0.3 m of a vertical line x = key (rows end on few of them)."""
    pairs: dict[
        tuple[tuple[str, float, float, float], tuple[str, float, float, float], float],
        Shape4 | None,
    ] = field(default_factory=dict)
    """Back-to-back shapes worked out once per layout (the same pairs recur all the time)."""
    ranked: dict[
        tuple[tuple[str, float, float, float], tuple[object, ...], bool, float],
        list[tuple[int, bool, Shape4 | None]],
    ] = field(default_factory=dict)
    """Each unit's columns in order of niche, by the kinds left and the row's depth."""
    opening: dict[
        tuple[
            tuple[tuple[str, float, float, float], tuple[object, ...], bool, float],
            tuple[frozenset[Cls], frozenset[Cls]],
        ],
        list[tuple[int, bool, Shape4 | None]],
    ] = field(default_factory=dict)
    """:attr:`ranked` less the columns whose rooms cannot open onto a row's sides (by the
    classes of circulation along its top and bottom)."""
    runs: dict[tuple[float, float, bool], list[tuple[float, float]]] = field(default_factory=dict)
    """Where a corridor of a band can run (:func:`configurator.layout.stack.floor_runs`)."""
    spans: dict[tuple[float, float], list[tuple[float, float]]] = field(default_factory=dict)
    """The floor's x-ranges in a row band (:func:`configurator.layout.stack.row_spans`)."""
    kept_back: int = 0
    """Columns placed ahead of a room needing a window that would have had none there: none
    means keeping such rooms back changed nothing in this layout."""
    bands: dict[tuple[float, float], bool] = field(default_factory=dict)
    """Rows (y0, y1) with windowed façade within 0.3 m (see :meth:`glass_near`)."""

    def glass_along(self, x: float, y0: float, y1: float, least: float) -> bool:
        """Tell whether at least ``least`` (> 0) m of windowed façade lie within 0.3 m of the
        line x, y0..y1.

        The glass within the rectangle 0.3 m round the line bounds it from above, the glass
        beside the line (no further along than its ends) from below; only where ``least``
        falls between the two is the round-ended buffer met with the glass.
        """
        if self.glass is None:
            return False
        if x not in self.glass_at:
            _, lo, _, hi = self.glass.bounds
            self.glass_at[x] = self.glass.intersection(box(x - 0.3, lo - 1.0, x + 0.3, hi + 1.0))
        near = self.glass_at[x]
        if near.is_empty:
            return False
        # (a hair wider: clipping drops glass lying on the rectangle's edge, the buffer not)
        out = 0.3 + 1e-9
        if shapely.clip_by_rect(near, x - out, y0 - out, x + out, y1 + out).length < least:
            return False
        if shapely.clip_by_rect(near, x - 0.3, y0, x + 0.3, y1).length >= least:
            return True
        length = LineString([(x, y0), (x, y1)]).buffer(0.3).intersection(near).length
        return bool(length >= least)

    def glass_near(self, y0: float, y1: float) -> bool:
        """Tell whether any windowed façade lies within 0.3 m of the band y0..y1."""
        if self.glass is None:
            return False
        key = (y0, y1)
        if key not in self.bands:
            x0, _, x1, _ = self.glass.bounds
            near = shapely.clip_by_rect(self.glass, x0 - 1, y0 - 0.3, x1 + 1, y1 + 0.3)
            self.bands[key] = not near.is_empty
        return self.bands[key]

    def lit(self, placement: Placement) -> bool:
        """Tell whether a placed room touches the windowed façade it needs (its unit's
        ``glass_m``, at least 1 m), counting glass within 0.3 m of its outline."""
        if self.glass is None:
            return False
        least = max(1.0, placement.unit.glass_m)
        outline = placement.outline
        if isinstance(outline, Polygon):
            ring = outline.exterior.buffer(0.3)
            return bool(ring.intersection(self.glass).length >= least)
        x0, y0, x1, y1 = outline
        t = 0.3
        near = shapely.clip_by_rect(self.glass, x0 - t, y0 - t, x1 + t, y1 + t).length
        if near < least:
            return False
        inner = shapely.clip_by_rect(self.glass, x0 + t, y0 + t, x1 - t, y1 - t).length
        return bool(near - inner >= least)

    def hits_column(self, rect: tuple[float, float, float, float]) -> bool:
        """Tell whether a rectangle overlaps any column."""
        x0, y0, x1, y1 = rect
        return any(
            cx0 < x1 - _EPS and cx1 > x0 + _EPS and cy0 < y1 - _EPS and cy1 > y0 + _EPS
            for cx0, cy0, cx1, cy1 in self.columns
        )

    def clipped(
        self,
        rect: tuple[float, float, float, float],
        area: float,
        grow: Literal["right", "left"],
        limit: float,
    ) -> tuple[Polygon, float] | None:
        """Return a room cut by the façade and widened to its area, and the width it took.

        The cut room must stay one convex piece (a façade at an angle cuts a corner off; a core
        would make an L, which is refused) and no wider than ``limit`` (the rest of its row's
        stretch). None when no width up to that works.
        """
        x0, y0, x1, y1 = rect
        w = x1 - x0
        if w > limit + 1e-9 or _overlaps_any(rect, self.cores):
            return None

        def shape_at(width: float) -> Polygon:
            r = (x0, y0, x0 + width, y1) if grow == "right" else (x1 - width, y0, x1, y1)
            return box(*r).intersection(self.floor)

        full = shape_at(w)
        if full.geom_type != "Polygon" or full.area <= 0.25 * area:
            return None
        if full.area >= area - 1e-6 or _convex_or_none(full, w) is None:
            return _convex_or_none(full, w)
        low, high = w, min(2.0 * w, limit)
        widest = shape_at(high)
        if widest.area < area or _convex_or_none(widest, high) is None:
            return None
        for _ in range(16):  # to a ten-thousandth of the width: well under a millimetre
            mid = (low + high) / 2
            if shape_at(mid).area < area:
                low = mid
            else:
                high = mid
        result = shape_at(high)
        if result.geom_type != "Polygon":
            return None
        return _convex_or_none(result, high)


def _overlaps_any(
    rect: tuple[float, float, float, float], boxes: list[tuple[float, float, float, float]]
) -> bool:
    x0, y0, x1, y1 = rect
    return any(
        bx0 < x1 - 1e-6 and bx1 > x0 + 1e-6 and by0 < y1 - 1e-6 and by1 > y0 + 1e-6
        for bx0, by0, bx1, by1 in boxes
    )


def box(x0: float, y0: float, x1: float, y1: float) -> Polygon:
    """Return an axis-aligned rectangle (the fast constructor)."""
    result: Polygon = shapely.box(x0, y0, x1, y1)
    return result


def _convex_or_none(shape: Polygon, width: float) -> tuple[Polygon, float] | None:
    if shape.convex_hull.area - shape.area > 1e-4:
        return None
    return shape, width


@dataclass
class _Column:
    """One stretch of a row: a room across its depth, two rooms back to back, or a hall stack."""

    width: float
    placements: list[Placement]
    used: list[Unit]
    niche: float


@dataclass(frozen=True)
class _Reps:
    """One unit of each kind left (``units``) and their kinds (``key``, for caches)."""

    units: list[Unit]
    key: tuple[tuple[str, float, float, float], ...]


class _Pool:
    """The units left to place, by kind: identical units are tried once, in pool order."""

    def __init__(self, units: list[Unit]) -> None:
        self.order: list[tuple[str, float, float, float]] = []
        self.by_sig: dict[tuple[str, float, float, float], list[Unit]] = {}
        self.classes: dict[tuple[str, float, float, float], frozenset[Cls]] = {}
        """What each kind may open onto (the kind's category decides)."""
        self.found: dict[frozenset[Cls], _Reps] = {}
        """:meth:`reps` by the classes asked for, until the next unit is taken."""
        for u in units:
            if u.signature not in self.by_sig:
                self.order.append(u.signature)
                self.by_sig[u.signature] = []
                self.classes[u.signature] = frozenset(CLASSES[u.category])
            self.by_sig[u.signature].append(u)

    def reps(self, here: set[Cls]) -> _Reps:
        """Return the first unit of each kind left that may open onto one of these classes."""
        key = frozenset(here)
        found = self.found.get(key)
        if found is not None:
            return found
        out = []
        sigs = []
        for sig in self.order:
            units = self.by_sig[sig]
            if units and not self.classes[sig].isdisjoint(key):
                out.append(units[0])
                sigs.append(sig)
        found = self.found[key] = _Reps(out, tuple(sigs))
        return found

    def twin(self, unit: Unit) -> Unit | None:
        """Return another unit of the same kind, if any is left."""
        units = self.by_sig[unit.signature]
        if units and units[0] is not unit:
            return units[0]
        return units[1] if len(units) > 1 else None

    def take(self, unit: Unit) -> None:
        """Remove a placed unit (by identity: equal-looking units are different rooms)."""
        units = self.by_sig[unit.signature]
        del units[next(i for i, u in enumerate(units) if u is unit)]
        self.found.clear()


def pack_row(
    row: RowSpec,
    pool: list[Unit],
    *,
    geo: Geo,
    toward: float,
    defer: bool = False,
) -> tuple[list[Placement], float]:
    """Fill a row from a pool of units (removed from it as placed); return rooms and niche m².

    Units are taken in pool order (largest first is best), each at the first stretch where it
    and its door fit; a unit too shallow for the row's depth is paired back to back with one
    opening to the other side. Each stretch is filled from its end nearest x = ``toward`` (the
    entrance), nearest stretch first, so the first units (guard post, booths) sit by the hall's
    door. ``defer`` keeps rooms that need a window for later rows where they would get none here.
    """
    placements: list[Placement] = []
    niche = 0.0
    left = _Pool(pool)
    used: list[Unit] = []
    spans = sorted(row.spans, key=lambda s: min(abs(s[0] - toward), abs(s[1] - toward)))
    for sx0, sx1 in spans:
        start_right = abs(sx1 - toward) < abs(sx0 - toward)
        cursor = sx1 if start_right else sx0
        end = sx0 if start_right else sx1
        taken = {id(u) for u in used}
        stack = _end_stack(row, [u for u in pool if id(u) not in taken], geo, sx0, sx1, start_right)
        if stack is not None:
            cursor += _take(stack, placements, left, used) * (-1 if start_right else 1)
        far = _daylight_end(row, left, geo, end, cursor)
        if far is not None:
            end -= _take(far, placements, left, used) * (-1 if start_right else 1)
        near = _daylight_end(row, left, geo, cursor, end)
        if near is not None:
            cursor += _take(near, placements, left, used) * (-1 if start_right else 1)
        while abs(end - cursor) > 0.5:
            column = _best_column(row, left, geo, cursor, end, defer=defer)
            if column is None:
                step = _next_event(row, geo, cursor, end)
                if step is None:
                    break
                cursor = step
                continue
            niche += column.niche
            cursor += _take(column, placements, left, used) * (-1 if start_right else 1)
    gone = {id(u) for u in used}
    pool[:] = [u for u in pool if id(u) not in gone]
    return placements, niche


def _take(column: _Column, placements: list[Placement], pool: _Pool, used: list[Unit]) -> float:
    """Place a column's rooms: add them, take their units from the pool; return its width."""
    placements += column.placements
    for u in column.used:
        pool.take(u)
        used.append(u)
    return column.width


def _daylight_end(row: RowSpec, pool: _Pool, geo: Geo, end: float, cursor: float) -> _Column | None:
    """Give a row's end at ``end``, where a windowed façade closes it, to a room needing daylight.

    The rooms of a row are packed from the end nearest the entrance, so its far end, often
    the façade, got whatever came last; a back office or a group room takes it first instead
    (and the near end too, where it is the façade).
    """
    if geo.glass is None or abs(end - cursor) < 2.0:
        return None
    if not geo.glass_along(end, row.y0, row.y1, least=1.0):
        return None
    here = _classes_near(row, end, cursor)
    reps = pool.reps(here)
    wanting = sorted(
        (u for u in reps.units if u.space_type.daylight == "required"), key=lambda u: -u.area
    )
    for unit in wanting:
        column = _column_for(row, pool, reps, geo, unit, end, cursor)
        if column is not None and any(p.unit is unit and geo.lit(p) for p in column.placements):
            return column
    return None


def _next_event(row: RowSpec, geo: Geo, cursor: float, end: float) -> float | None:
    """Return the next x where the row's circumstances change (a door span, a column, a step)."""
    xs = [s.x0 for s in row.top + row.bottom] + [s.x1 for s in row.top + row.bottom]
    xs += [c[0] for c in geo.columns] + [c[2] for c in geo.columns]
    forward = end > cursor
    if forward:
        ahead = [x for x in xs if cursor + 0.05 < x < end - 0.5]
        nxt = min(ahead, default=None)
        step = cursor + 0.5
        return min(nxt, step) if nxt is not None else (step if step < end - 0.5 else None)
    ahead = [x for x in xs if end + 0.5 < x < cursor - 0.05]
    nxt = max(ahead, default=None)
    step = cursor - 0.5
    return max(nxt, step) if nxt is not None else (step if step > end + 0.5 else None)


def _door(spans: list[DoorSpan], x0: float, x1: float, classes: tuple[Cls, ...]) -> DoorSpan | None:
    """Return the circulation along [x0, x1] with at least a door's wall of it, best class first."""
    best: tuple[int, float, DoorSpan] | None = None
    for s in spans:
        if s.cls not in classes:
            continue
        overlap = min(x1, s.x1) - max(x0, s.x0)
        if overlap >= DOOR_EDGE_M - _EPS:
            rank = classes.index(s.cls)
            if best is None or (rank, -overlap) < (best[0], -best[1]):
                best = (rank, overlap, s)
    return best[2] if best is not None else None


def _best_column(
    row: RowSpec, pool: _Pool, geo: Geo, cursor: float, end: float, *, defer: bool
) -> _Column | None:
    """Return the column for the next unit (in order) that fits at the cursor, or None.

    Only units that may open onto circulation found near the cursor are tried, and of identical
    units only the first: a row of forty meeting rooms is forty tries, not forty squared. With
    ``defer``, a column that would leave a room needing a window without one comes only when
    no other fits (a later row's windowed end may take the room instead).
    """
    here = _classes_near(row, cursor, end)
    if not here:
        return None
    reps = pool.reps(here)
    dark: _Column | None = None
    blind = defer and not geo.glass_near(row.y0, row.y1)
    later: list[Unit] = []
    for unit in reps.units:
        if blind and unit.glass_m > 0:
            later.append(unit)  # no window anywhere along this row: tried last
            continue
        column = _column_for(row, pool, reps, geo, unit, cursor, end)
        if column is None:
            continue
        if not (defer and _unlit(geo, column)):
            geo.kept_back += bool(dark or later)
            return column
        dark = dark or column
    for unit in later:
        if dark is not None:
            break
        dark = _column_for(row, pool, reps, geo, unit, cursor, end)
    return dark


def _unlit(geo: Geo, column: _Column) -> bool:
    """Tell whether a column puts a room that needs a window where it has none."""
    return any(p.unit.glass_m > 0 and not geo.lit(p) for p in column.placements)


def _classes_near(row: RowSpec, cursor: float, end: float) -> set[Cls]:
    """Return the classes of circulation along the row within reach of the cursor."""
    lo, hi = (cursor, cursor + 15.0) if end > cursor else (cursor - 15.0, cursor)
    return {s.cls for s in row.top + row.bottom if s.x1 > lo + 0.5 and s.x0 < hi - 0.5}


def _column_for(
    row: RowSpec,
    pool: _Pool,
    reps: _Reps,
    geo: Geo,
    unit: Unit,
    cursor: float,
    end: float,
) -> _Column | None:
    """Return the best column for a unit at the cursor: across the whole depth if its shape
    allows, else the back-to-back pair or the single room with the least niche that fits."""
    if not CLASSES[unit.category]:
        return None
    d = row.depth
    forward = end > cursor
    room_left = abs(end - cursor)
    sides: list[Side] = ["top", "bottom"]
    if fits_depth(unit, d):
        for side in sides:
            column = _single(row, geo, unit, cursor, unit.area / d, d, side, forward, room_left)
            if column is not None:
                return column
    e = min(depth_range(unit)[1], d)
    for upper, lower, shape in _ranked(pool, reps, geo, unit, d, row.sides()):
        if shape is None:
            for side in sides:
                column = _single(row, geo, unit, cursor, unit.area / e, e, side, forward, room_left)
                if column is not None:
                    return column
            continue
        column = _pair(row, geo, upper, lower, shape, cursor, forward, room_left)
        if column is not None:
            return column
    return None


def _ranked(
    pool: _Pool,
    reps: _Reps,
    geo: Geo,
    unit: Unit,
    d: float,
    sides: tuple[frozenset[Cls], frozenset[Cls]] | None = None,
) -> Iterator[tuple[Unit, Unit, Shape4 | None]]:
    """Yield a unit's back-to-back pairs (upper, lower, shape) and its single room (shape
    None) in a row of depth ``d``, least niche per metre first; with ``sides``
    (:meth:`RowSpec.sides`), only those whose rooms may open onto the circulation along the
    row's top and bottom: the others find no door at any place in the row.

    The order depends only on the kinds of unit left, so it is worked out once per layout.
    """
    twin = pool.twin(unit)
    key = (unit.signature, reps.key, twin is not None, round(d, 6))
    order = geo.opening.get((key, sides)) if sides is not None else None
    if order is None:
        order = geo.ranked.get(key)
        if order is None:
            order = geo.ranked[key] = _rank(reps.units, geo, unit, twin, d)
        if sides is not None:
            order = geo.opening[key, sides] = _opening(order, reps.units, unit, sides)
    for k, unit_above, shape in order:
        if k < 0:
            yield unit, unit, None
            continue
        rep = reps.units[k]
        partner = rep if rep.signature != unit.signature else twin
        assert partner is not None, "the key says whether a twin is left"
        yield (unit, partner, shape) if unit_above else (partner, unit, shape)


def _opening(
    order: list[tuple[int, bool, Shape4 | None]],
    reps: list[Unit],
    unit: Unit,
    sides: tuple[frozenset[Cls], frozenset[Cls]],
) -> list[tuple[int, bool, Shape4 | None]]:
    """Keep the columns of :func:`_rank` whose rooms may open onto the row's sides (top,
    bottom): a pair's upper room onto the top, its lower room onto the bottom; a single room
    onto either. A partner of the unit's own kind has its category."""
    top, bottom = sides
    own = _OPENS[unit.category]
    kept = []
    for entry in order:
        k, unit_above, _ = entry
        if k < 0:
            if not (own.isdisjoint(top) and own.isdisjoint(bottom)):
                kept.append(entry)
            continue
        other = _OPENS[reps[k].category]
        upper, lower = (own, other) if unit_above else (other, own)
        if not upper.isdisjoint(top) and not lower.isdisjoint(bottom):
            kept.append(entry)
    return kept


_BY_NICHE = operator.itemgetter(0, 1)
"""Sort key of :func:`_rank`'s columns: niche per metre, then the order found."""


def _rank(
    reps: list[Unit], geo: Geo, unit: Unit, twin: Unit | None, d: float
) -> list[tuple[int, bool, Shape4 | None]]:
    """Rank a unit's columns for :func:`_ranked`: (index of the partner in ``reps`` or -1 for
    the single room, whether the unit is the upper room, the pair's shape)."""
    ranked: list[tuple[float, int, int, bool, Shape4 | None]] = []
    pairs = geo.pairs
    dk = round(d, 6)
    shallowest = unit.depths[0]
    for k, rep in enumerate(reps):
        if rep.depths[0] + shallowest > d + _EPS:
            continue
        partner = rep if rep.signature != unit.signature else twin
        if partner is None:
            continue
        for unit_above in (True, False):
            upper, lower = (unit, partner) if unit_above else (partner, unit)
            key = (upper.signature, lower.signature, dk)
            if key in pairs:
                shape = pairs[key]
            else:
                shape = pairs[key] = _pair_shape(upper, lower, d)
            if shape is None:
                continue
            width = max(shape[2], shape[3])
            niche = width * d - upper.area - lower.area
            ranked.append((niche / width, len(ranked), k, unit_above, shape))
    low, high = depth_range(unit)
    e = min(high, d)
    if low <= e + _EPS:
        ranked.append((d - e, len(ranked), -1, True, None))
    ranked.sort(key=_BY_NICHE)
    return [(k, above, shape) for _, _, k, above, shape in ranked]


def _on_floor(row: RowSpec, geo: Geo, rect: tuple[float, float, float, float]) -> bool:
    """Tell whether a rectangle of the row is on the floor (arithmetic where the row is solid)."""
    x0, _, x1, _ = rect
    for a, b in row.solid:  # (a loop, not any(): this runs for every try of the packer)
        if a - 1e-9 <= x0 and x1 <= b + 1e-9:
            return True
    return geo.inside(rect)


def _rect(
    row: RowSpec, cursor: float, w: float, e: float, side: Side, forward: bool
) -> tuple[float, float, float, float]:
    x0, x1 = (cursor, cursor + w) if forward else (cursor - w, cursor)
    if side == "top":
        return (x0, row.y1 - e, x1, row.y1)
    return (x0, row.y0, x1, row.y0 + e)


def _single(
    row: RowSpec,
    geo: Geo,
    unit: Unit,
    cursor: float,
    w: float,
    e: float,
    side: Side,
    forward: bool,
    room_left: float,
) -> _Column | None:
    """Place one room against one side of the row, cut and widened at an angled façade."""
    if _OPENS[unit.category].isdisjoint(row.sides()[0 if side == "top" else 1]):
        return None  # nothing along that side it may open onto: no door anywhere
    if w > room_left + _EPS:
        return None  # a room cut by the façade only grows wider
    rect = _rect(row, cursor, w, e, side, forward)
    shape: Polygon | tuple[float, float, float, float]
    if _on_floor(row, geo, rect):
        shape = rect
        width = w
    else:
        cut = geo.clipped(rect, unit.area, "right" if forward else "left", room_left)
        if cut is None:
            return None
        shape, width = cut
        # the façade may cut the room shallower than the row: measure both sides as drawn
        x0, y0, x1, y1 = shape.bounds
        short = min(x1 - x0, y1 - y0, e)
        if short < unit.min_width - 0.05 or shape.area < unit.area * 0.97:
            return None
    x0, y0, x1, y1 = shape if isinstance(shape, tuple) else shape.bounds
    door = _door(row.top if side == "top" else row.bottom, x0, x1, CLASSES[unit.category])
    if door is None:
        return None
    if unit.area < COLUMN_ROOM_M2 and geo.hits_column((x0, y0, x1, y1)):
        return None
    niche = width * row.depth - unit.area if e < row.depth - _EPS else 0.0
    doors: list[tuple[str, Literal["main", "second_exit"]]] = [(door.target, "main")]
    return _Column(width, [Placement(unit, shape, doors, side)], [unit], max(niche, 0.0))


def _pair(
    row: RowSpec,
    geo: Geo,
    upper: Unit,
    lower: Unit,
    shape: tuple[float, float, float, float],
    cursor: float,
    forward: bool,
    room_left: float,
) -> _Column | None:
    """Place two rooms back to back, one opening up and one down, splitting the row's depth."""
    e_t, e_b, w_t, w_b = shape
    width = max(w_t, w_b)
    if width > room_left + _EPS:
        return None
    r_t = _rect(row, cursor, w_t, e_t, "top", forward)
    r_b = _rect(row, cursor, w_b, e_b, "bottom", forward)
    door_t = _door(row.top, r_t[0], r_t[2], CLASSES[upper.category])
    door_b = _door(row.bottom, r_b[0], r_b[2], CLASSES[lower.category])
    if door_t is None or door_b is None:
        return None
    if not (_on_floor(row, geo, r_t) and _on_floor(row, geo, r_b)):
        return None
    if (upper.area < COLUMN_ROOM_M2 and geo.hits_column(r_t)) or (
        lower.area < COLUMN_ROOM_M2 and geo.hits_column(r_b)
    ):
        return None
    niche = width * row.depth - upper.area - lower.area
    return _Column(
        width,
        [
            Placement(upper, r_t, [(door_t.target, "main")], "top"),
            Placement(lower, r_b, [(door_b.target, "main")], "bottom"),
        ],
        [upper, lower],
        max(niche, 0.0),
    )


def _pair_shape(upper: Unit, lower: Unit, d: float) -> tuple[float, float, float, float] | None:
    """Return depths and widths (e_t, e_b, w_t, w_b) of two rooms sharing a row's depth.

    The depths add up to at most the row's depth; of the shapes both rooms allow, the one whose
    widths differ least (the smallest niche) is taken.
    """
    lo_t, hi_t = depth_range(upper)
    lo_b, hi_b = depth_range(lower)
    a_t, a_b = upper.area, lower.area
    if lo_t + lo_b > d + _EPS or lo_t > hi_t + _EPS or lo_b > hi_b + _EPS:
        return None
    ideal = d * a_t / (a_t + a_b)
    best: tuple[float, tuple[float, float, float, float]] | None = None
    for guess in sorted({ideal, lo_t, hi_t, d - hi_b, d - lo_b}):
        e_t = min(max(guess, lo_t), hi_t)
        e_b = min(max(d - e_t, lo_b), hi_b)
        if e_t + e_b > d + _EPS or e_b < lo_b - _EPS:
            continue
        w_t, w_b = a_t / e_t, a_b / e_b
        niche = max(w_t, w_b) * d - a_t - a_b
        if best is None or niche < best[0] - 1e-9:
            best = (niche, (e_t, e_b, w_t, w_b))
    return best[1] if best is not None else None


def _end_stack(
    row: RowSpec, pool: list[Unit], geo: Geo, sx0: float, sx1: float, start_right: bool
) -> _Column | None:
    """Stack hall-facing rooms across a row's end on the hall, each with its door onto the hall."""
    ends = row.right if start_right else row.left
    at = sx1 if start_right else sx0
    hall = next((s for x, s in ends if abs(x - at) < 1e-6), None)
    if hall is None:
        return None
    d = row.depth
    chosen: list[Unit] = []
    best: list[Unit] = []
    for unit in pool:
        if "hall" not in CLASSES[unit.category]:
            continue
        chosen.append(unit)
        if _stack_width(chosen, d) is not None:
            best = list(chosen)
        elif len(chosen) > 1 and _stack_width(chosen[:-1], d) is not None:
            chosen.pop()  # this one spoils a stack that worked: leave it for later
        if sum(u.area for u in chosen) >= d * 4.0:
            break
    chosen = best
    width = _stack_width(chosen, d) if chosen else None
    if width is None or width > (sx1 - sx0) / 2:
        return None
    x0, x1 = (sx1 - width, sx1) if start_right else (sx0, sx0 + width)
    placements: list[Placement] = []
    y = row.y0
    for unit in chosen:
        h = unit.area / width
        rect = (x0, y, x1, y + h)
        if not geo.inside(rect) or (unit.area < COLUMN_ROOM_M2 and geo.hits_column(rect)):
            return None
        side: Side = "right" if start_right else "left"
        placements.append(Placement(unit, rect, [(hall.target, "main")], side))
        y += h
    return _Column(width, placements, chosen, 0.0)


def _stack_width(units: list[Unit], d: float) -> float | None:
    """Return the width of a stack of rooms filling depth d, or None if a room gets no shape."""
    width = sum(u.area for u in units) / d
    for u in units:
        h = u.area / width
        if min(h, width) < max(u.min_width, DOOR_EDGE_M) - _EPS:
            return None
        if max(h, width) / min(h, width) > u.max_aspect + _EPS:
            return None
    return width if not math.isnan(width) else None
