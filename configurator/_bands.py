"""Stack bands of rooms and corridors from the deepest façade toward the hall, in any floor.

The band frame has the deepest side (staff) at the top. From there down: the staff row along
the façade, the staff corridor, a two-sided row (staff rooms up, private rooms down), a visitor
corridor, more rows of private rooms along their own corridors, and a last row whose rooms open
down onto the hall; the floor left below (and, for some strategies, a region kept as hall from
the start) is the hall. A band's corridor is every stretch where the whole corridor fits the
floor, so an L, U or T, a core or a courtyard just gives a band several pieces, each tied back
to the hall: directly where it meets the hall, by a spine (a passage straight down to the hall),
or by a link through the row to a tied corridor above. Rooms are cut by angled façades and
widened to their areas (:mod:`_rows`).
"""

from __future__ import annotations

import itertools
import math
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal, TypeVar

from shapely.geometry import LineString, Point, Polygon, box
from shapely.geometry.base import BaseGeometry
from shapely.ops import unary_union

from configurator._rows import DoorSpan, Geo, Placement, RowSpec, pack_row
from configurator._units import Unit, depth_range, fits_depth
from configurator.errors import LayoutError
from configurator.plan_audit import clear_width

__all__ = ["BandFloor", "CorridorPiece", "Sketch", "StackSettings", "free_runs", "stack_layout"]

Cls = Literal["staff", "visitor", "hall"]

_STEP = 0.25
"""Depth step (m) of the row-depth search."""
_MIN_ROW = 2.0
_MAX_ROW = 9.0
_SPINE_M = 1.8
"""Width of a spine or link: two people pass with a pram."""
_MIN_RUN_M = 3.0
"""A corridor piece shorter than this serves no room."""
_PRIORITY = {"hall_room": 0, "secure": 1, "staff": 2, "private": 3, "semi": 4, "open": 9}
_EXTRA_ROWS = 5
"""Rows of private rooms tried before the last row, at most."""


@dataclass
class BandFloor:
    """The floor in the band frame and what the stack needs to know about it."""

    floor: Polygon
    """Usable floor: the outline less cores, shafts, stairs and courtyards (columns stay)."""
    columns: list[Polygon]
    entrance: tuple[float, float]
    staff_doors: list[tuple[tuple[float, float], float]]
    """Staff entrances: (point on the outline, opening width)."""
    visitor_w: float
    staff_w: float


@dataclass
class CorridorPiece:
    """A corridor, passage or hall stretch of the sketch."""

    id: str
    shape: Polygon
    width: float
    staff: bool
    kind: Literal["corridor", "passage", "hall"]


@dataclass
class Sketch:
    """A plan under construction in the band frame."""

    placements: list[Placement] = field(default_factory=list)
    corridors: list[CorridorPiece] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)
    """Doors between two circulation spaces: (staff side, visitor side)."""
    hall: BaseGeometry | None = None
    niche_m2: float = 0.0


@dataclass(frozen=True)
class StackSettings:
    """One variant of the stack: where the hall is and how the bands connect to it."""

    hall_region: Polygon | None = None
    """Floor kept as hall from the start, every band included (the split's front band)."""
    hall_column: tuple[float, float] | None = None
    """x-range kept as hall below the staff corridor, down to the front (the hub's column)."""
    spines: bool = True
    """Tie corridors to the hall below with spines (when the hall is below, not at their ends)."""
    spine_shift: float = 0.0
    """Offset (m) of the main spine from the entrance, for variety between options."""
    link_shift: float = 3.0
    """Offset (m) of the staff link from the main spine."""
    hall_need: float = 0.0
    """Floor (m²) the hall needs: rows stop where what is left below (and kept) would be less."""


@dataclass
class _Piece:
    x0: float
    x1: float
    y0: float
    y1: float
    id: str
    cls: Cls
    connected: bool = False

    @property
    def span(self) -> DoorSpan:
        return DoorSpan(self.x0, self.x1, self.id, self.cls)

    @property
    def shape(self) -> Polygon:
        return box(self.x0, self.y0, self.x1, self.y1)


@dataclass
class _Strip:
    """A vertical strip kept free through the rows it crosses (spine, link, passage)."""

    x0: float
    x1: float
    y0: float
    y1: float
    id: str
    staff: bool
    shape: Polygon | None = None
    """The passage's own outline, when the façade cuts it (else the strip's rectangle)."""


@dataclass
class _State:
    """Everything placed so far, top down."""

    pool: list[Unit]
    sketch: Sketch = field(default_factory=Sketch)
    pieces: list[_Piece] = field(default_factory=list)
    strips: list[_Strip] = field(default_factory=list)
    bands: int = 0
    bottom: float = 0.0
    """The lowest y the rows reach so far: the hall is below."""

    def copy(self) -> _State:
        sketch = Sketch(
            placements=list(self.sketch.placements),
            corridors=list(self.sketch.corridors),
            links=list(self.sketch.links),
            niche_m2=self.sketch.niche_m2,
        )
        return _State(
            list(self.pool), sketch, list(self.pieces), list(self.strips), self.bands, self.bottom
        )


@dataclass
class _Ctx:
    bf: BandFloor
    settings: StackSettings
    geo: Geo
    """The floor rooms may use (less what is kept as hall)."""
    hall_kept: BaseGeometry
    """The floor kept as hall so far."""
    floor_y: float = -1e9
    """Rows and corridors stay above this y, so that the hall below keeps its floor."""
    rows: dict[tuple[object, ...], _Trial | None] = field(default_factory=dict)
    """Rows already worked out: attempts with more rows share their first rows."""


def stack_layout(
    bf: BandFloor, units: list[Unit], *, settings: StackSettings, rng: random.Random
) -> Sketch:
    """Lay out every enclosed unit in bands from the top; the floor left over is the hall.

    Raises :class:`LayoutError` naming what does not fit, and by how much.
    """
    rooms = _order([u for u in units if u.category != "open"], rng)
    kept = settings.hall_region if settings.hall_region is not None else Polygon()
    ctx = _Ctx(bf, settings, _geo(bf, kept), kept)
    state = _State(pool=rooms, bottom=bf.floor.bounds[3])
    staff_piece: _Piece | None = None
    if any(u.category == "staff" for u in rooms):
        staff_piece = _staff_block(ctx, state)
    if settings.hall_column is not None:
        a, b = settings.hall_column
        miny = bf.floor.bounds[1]
        column = bf.floor.intersection(box(a, miny - 1.0, b, state.bottom))
        ctx.hall_kept = unary_union([ctx.hall_kept, column])
        ctx.geo = _geo(bf, ctx.hall_kept)
    ctx.floor_y = _hall_floor_y(ctx)
    final = _visitor_bands(ctx, state, staff_piece)
    _close(ctx, final, staff_piece)
    return final.sketch


def _hall_floor_y(ctx: _Ctx) -> float:
    """Return the lowest y rows may reach: below it the hall keeps the floor it needs.

    What is kept as hall from the start counts; the front of the floor below the rows makes up
    the rest, and is at least deep enough for the lobby (3.5 m).
    """
    need = ctx.settings.hall_need - ctx.hall_kept.area
    minx, miny, maxx, maxy = ctx.bf.floor.bounds
    if need <= 0:
        return -1e9
    usable = ctx.geo.floor
    low, high = miny, maxy
    for _ in range(40):
        mid = (low + high) / 2
        if usable.intersection(box(minx - 1, miny - 1, maxx + 1, mid)).area < need:
            low = mid
        else:
            high = mid
    return float(max(high, miny + 3.5))


def _geo(bf: BandFloor, kept: BaseGeometry) -> Geo:
    usable = bf.floor.difference(kept) if not kept.is_empty else bf.floor
    if usable.geom_type != "Polygon":
        parts = [g for g in getattr(usable, "geoms", []) if g.geom_type == "Polygon"]
        usable = unary_union(parts) if parts else Polygon()
    return Geo(floor=usable, columns=[c.bounds for c in bf.columns])


def _order(units: list[Unit], rng: random.Random) -> list[Unit]:
    """Order units: by category, then larger first, ties shuffled by the seed."""
    jitter = {u.id: rng.random() for u in units}
    return sorted(units, key=lambda u: (_PRIORITY[u.category], -round(u.area / 4), jitter[u.id]))


# --------------------------------------------------------------------------- geometry helpers


def free_runs(
    floor: BaseGeometry, y0: float, y1: float, *, columns: list[Polygon], narrow: bool
) -> list[tuple[float, float]]:
    """Return the x-runs where the whole strip y0..y1 lies on the floor (and, if narrow, clear of
    columns): where a corridor of that band can run."""
    if y1 - y0 <= 1e-9 or floor.is_empty:
        return []
    minx, _, maxx, _ = floor.bounds
    # A micrometre in from the strip's edges: set operations leave slivers of 1e-20 m along
    # shared edges, which would join the floor's gaps into one and hide every run.
    strip = box(minx - 1, y0 + 1e-6, maxx + 1, y1 - 1e-6)
    missing = strip.difference(floor)
    cuts: list[tuple[float, float]] = []
    for part in getattr(missing, "geoms", [missing]):
        if part.is_empty or part.area <= 1e-9:
            continue
        bx0, _, bx1, _ = part.bounds
        cuts.append((bx0, bx1))
    if narrow:
        for c in columns:
            cx0, cy0, cx1, cy1 = c.bounds
            if cy0 < y1 and cy1 > y0:
                cuts.append((cx0, cx1))
    cuts.sort()
    runs: list[tuple[float, float]] = []
    start = minx - 1
    for a, b in cuts:
        if a > start + 1e-6:
            runs.append((start, a))
        start = max(start, b)
    if maxx + 1 > start + 1e-6:
        runs.append((start, maxx + 1))
    return [(max(a, minx), min(b, maxx)) for a, b in runs if min(b, maxx) - max(a, minx) > 1e-6]


def _row_spans(geo: Geo, y0: float, y1: float, strips: list[_Strip]) -> list[tuple[float, float]]:
    """Return the x-ranges of usable floor in a row band, less the strips that cross it."""
    minx, _, maxx, _ = geo.floor.bounds
    band = box(minx - 1, y0 + 1e-6, maxx + 1, y1 - 1e-6).intersection(geo.floor)
    spans: list[tuple[float, float]] = []
    for part in getattr(band, "geoms", [band]):
        if part.is_empty or part.area < 0.5:
            continue
        bx0, _, bx1, _ = part.bounds
        spans.append((bx0, bx1))
    for s in strips:
        if s.y0 < y1 - 1e-6 and s.y1 > y0 + 1e-6:
            spans = _cut(spans, s.x0, s.x1)
    return sorted(spans)


def _solid_runs(ctx: _Ctx, y0: float, y1: float) -> list[tuple[float, float]]:
    """Return the x-runs where the row's whole depth is usable floor (no clipping needed)."""
    return free_runs(ctx.geo.floor, y0, y1, columns=[], narrow=False)


def _cut(spans: list[tuple[float, float]], a: float, b: float) -> list[tuple[float, float]]:
    out = []
    for x0, x1 in spans:
        if b <= x0 or a >= x1:
            out.append((x0, x1))
            continue
        if a > x0 + 0.5:
            out.append((x0, a))
        if b < x1 - 0.5:
            out.append((b, x1))
    return out


def _hall_below(ctx: _Ctx, y: float, strips: list[_Strip]) -> list[DoorSpan]:
    """Return the stretches just below y where the floor goes on (it will be hall)."""
    minx, _, maxx, _ = ctx.bf.floor.bounds
    below = box(minx - 1, y - 0.05, maxx + 1, y).intersection(ctx.bf.floor)
    spans = []
    for part in getattr(below, "geoms", [below]):
        if part.is_empty or part.area <= 1e-6:
            continue
        bx0, _, bx1, _ = part.bounds
        spans.append((bx0, bx1))
    for s in strips:
        if s.staff and s.y0 < y and s.y1 > y - 0.05:
            spans = _cut(spans, s.x0, s.x1)
    return [DoorSpan(a, b, "hall", "hall") for a, b in spans]


def _hall_ends(
    ctx: _Ctx, spans: list[tuple[float, float]], y0: float, y1: float
) -> tuple[list[tuple[float, DoorSpan]], list[tuple[float, DoorSpan]]]:
    """Return row ends that lie on kept hall: spans starting at it (left) and ending at it."""
    if ctx.hall_kept.is_empty:
        return [], []
    left: list[tuple[float, DoorSpan]] = []
    right: list[tuple[float, DoorSpan]] = []
    for x0, x1 in spans:
        for x, out in ((x0 - 0.02, left), (x1 + 0.02, right)):
            probe = box(x - 0.01, y0 + 0.05, x + 0.01, y1 - 0.05)
            if ctx.hall_kept.buffer(1e-6).contains(probe):
                out.append((x0 if out is left else x1, DoorSpan(x, x, "hall", "hall")))
    return left, right


def _touches_kept(ctx: _Ctx, piece: _Piece) -> bool:
    """Tell whether a corridor piece meets the kept hall over at least its width."""
    if ctx.hall_kept.is_empty:
        return False
    edge = ctx.hall_kept.boundary.intersection(piece.shape.buffer(1e-6))
    return bool(edge.length >= min(piece.y1 - piece.y0, piece.x1 - piece.x0) - 1e-3)


def _hits_columns(ctx: _Ctx, y0: float, y1: float) -> bool:
    """Tell whether a band across the floor meets a column (a narrow corridor must not)."""
    return any(c.bounds[1] < y1 and c.bounds[3] > y0 for c in ctx.bf.columns)


def _strip_free(ctx: _Ctx, strip: _Strip, floor: BaseGeometry | None = None) -> bool:
    shape = box(strip.x0, strip.y0, strip.x1, strip.y1)
    base = floor if floor is not None else ctx.geo.floor
    if not base.buffer(1e-6).contains(shape):
        return False
    return not any(c.intersects(shape) for c in ctx.bf.columns)


T = TypeVar("T")
_StaffFound = tuple["_Piece", "_Strip | None", list[Placement], float]
"""A staff-row trial: the corridor, the passage to the staff door, the rooms, the niche m²."""
_LastFound = tuple[list[Placement], list[Unit], float, float]
"""A last-row trial: the rooms, the units left, the niche m², the row's bottom."""


def _depth_search(
    low: float,
    high: float,
    evaluate: Callable[[float], tuple[tuple[float, ...], T, bool] | None],
) -> T | None:
    """Return the best payload over row depths low..high: 0.5 m steps, then 0.25 m beside the best.

    ``evaluate`` gives (score, payload, enough) for a depth, or None if the depth does not
    work; lower scores are better, and the scan stops at the first depth that is ``enough``
    (the shallowest that holds everything) before refining.
    """
    seen: dict[float, tuple[tuple[float, ...], T, bool] | None] = {}

    def at(d: float) -> tuple[tuple[float, ...], T, bool] | None:
        key = round(d, 6)
        if key not in seen:
            seen[key] = evaluate(key)
        return seen[key]

    best: tuple[tuple[float, ...], float, T] | None = None
    d = low
    while d <= high + 1e-9:
        result = at(d)
        if result is not None:
            score, payload, enough = result
            if best is None or score < best[0]:
                best = (score, d, payload)
            if enough:
                break
        d += 2 * _STEP
    if best is None:
        return None
    for d in (best[1] - _STEP, best[1] + _STEP):
        if low - 1e-9 <= d <= high + 1e-9:
            result = at(d)
            if result is not None and result[0] < best[0]:
                best = (result[0], d, result[1])
    return best[2]


def _clamp(value: float, low: float, high: float) -> float:
    return max(low, min(high, value))


def _waste(geo: Geo, spans: list[tuple[float, float]], d: float, placed: list[Placement]) -> float:
    return max(sum(b - a for a, b in spans) * d - sum(p.unit.area for p in placed), 0.0)


# --------------------------------------------------------------------------- the staff block


def _staff_block(ctx: _Ctx, state: _State) -> _Piece:
    """Place the staff row and staff corridor at the top; return the staff corridor.

    The row depth is searched: the shallowest depth that holds every staff room too deep to
    share a row with private rooms, wasting the least floor.
    """
    bf = ctx.bf
    top = state.bottom
    staff = [u for u in state.pool if u.category == "staff"]
    total = sum(u.area for u in staff)
    low = max(_MIN_ROW, min(depth_range(u)[0] for u in staff))
    failure = ["no stretch of the floor's far side holds a staff corridor"]

    def evaluate(d: float) -> tuple[tuple[float, ...], _StaffFound, bool] | None:
        c1 = top - d
        c0 = c1 - bf.staff_w
        if bf.staff_w < 3.0 and _hits_columns(ctx, c0, c1):
            return None
        runs = free_runs(ctx.geo.floor, c0, c1, columns=bf.columns, narrow=bf.staff_w < 3.0)
        runs = [(a, b) for a, b in runs if b - a >= 4.0]
        choice = _staff_run(ctx, runs, c0, c1, top) if runs else None
        if choice is None:
            if runs:
                failure[0] = (
                    "the staff entrance cannot be joined to a staff corridor on the far side"
                )
            return None
        (a, b), passage = choice
        piece = _Piece(a, b, c0, c1, "staff_corridor", "staff", connected=True)
        strips = [*state.strips, *([passage] if passage is not None else [])]
        spans = _row_spans(ctx.geo, c1, top, strips)
        row = RowSpec(
            y0=c1, y1=top, spans=spans, bottom=[piece.span], solid=_solid_runs(ctx, c1, top)
        )
        pool = list(state.pool)
        placed, niche = pack_row(row, pool, geo=ctx.geo, toward=ctx.bf.entrance[0])
        left = [u for u in pool if u.category == "staff"]
        deep = [u for u in left if depth_range(u)[0] > 4.0]
        waste = _waste(ctx.geo, spans, d, placed)
        # Staff left over must find room along the corridor's other side, which is short.
        overflow = sum(u.area for u in left)
        score = (len(deep), round((waste + 0.7 * overflow) / total, 2), d)
        return score, (piece, passage, placed, niche), not left

    best = _depth_search(low, _MAX_ROW, evaluate)
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
    ctx: _Ctx, runs: list[tuple[float, float]], c0: float, c1: float, top: float
) -> tuple[tuple[float, float], _Strip | None] | None:
    """Choose the staff corridor's stretch and the passage from it to the staff entrance.

    Without a staff entrance: the longest stretch. Otherwise the stretch with the shortest
    passage (:func:`_staff_passage`); None when no stretch can be joined to the door.
    """
    bf = ctx.bf
    if not bf.staff_doors:
        return max(runs, key=lambda r: r[1] - r[0]), None
    options: list[tuple[float, tuple[float, float], _Strip | None]] = []
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
    ctx: _Ctx,
    door: tuple[float, float],
    width: float,
    run: tuple[float, float],
    c0: float,
    c1: float,
) -> tuple[float, _Strip | None] | None:
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
        strip = _Strip(bx0, bx1, by0, by1, "staff_entrance_passage", True, shape)
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


# --------------------------------------------------------------------------- the visitor bands


def _visitor_bands(ctx: _Ctx, state: _State, staff_piece: _Piece | None) -> _State:
    """Lay the bands under the staff corridor, trying more rows until every room fits.

    First more rows of private rooms; when the staff rooms do not fit along one staff corridor,
    a second (then third) staff corridor with staff rooms on both sides.
    """
    if not state.pool:
        return state
    failure: LayoutError | None = None
    staff_rows = 0
    while staff_rows <= (2 if staff_piece is not None else 0):
        short_of_staff = False
        for extra in range(_EXTRA_ROWS + 1):
            trial = state.copy()
            try:
                _bands_with(ctx, trial, staff_piece, private_rows=extra, staff_rows=staff_rows)
            except LayoutError as exc:
                failure = exc
                if "staff rooms" in str(exc):
                    short_of_staff = True
                    break
                continue
            return trial
        if not short_of_staff:
            break
        staff_rows += 1
    assert failure is not None, "every attempt left its reason"
    raise failure


def _bands_with(
    ctx: _Ctx,
    state: _State,
    staff_piece: _Piece | None,
    *,
    private_rows: int,
    staff_rows: int = 0,
) -> None:
    """Lay rows and corridors down to the last row, with given numbers of extra rows."""
    above: list[_Piece] = [staff_piece] if staff_piece is not None else []
    for _ in range(staff_rows):
        above = _row_and_corridor(ctx, state, above=above, under_staff=False, below_cls="staff")
    rows = private_rows + (1 if staff_piece is not None else 0)
    for k in range(rows):
        if not state.pool:
            return
        above = _row_and_corridor(ctx, state, above=above, under_staff=k == 0 and bool(above))
    if state.pool:
        _last_row(ctx, state, above=above)
    if state.pool:
        area = sum(u.area for u in state.pool)
        names = ", ".join(u.id for u in state.pool[:4]) + (" …" if len(state.pool) > 4 else "")
        raise LayoutError(f"{len(state.pool)} rooms ({area:.0f} m²) do not fit: {names}")


@dataclass
class _Trial:
    d: float
    bottom: float
    pool: list[Unit]
    placed: list[Placement]
    waste: float
    niche: float
    below: list[_Piece]
    strips: list[_Strip]
    corridors: list[CorridorPiece]
    links: list[tuple[str, str]]


def _row_and_corridor(
    ctx: _Ctx,
    state: _State,
    *,
    above: list[_Piece],
    under_staff: bool,
    below_cls: Cls = "visitor",
) -> list[_Piece]:
    """Place a two-sided row and the visitor corridor under it; return the corridor's pieces.

    Under the staff corridor the row holds the staff rooms left over (opening up) and, beside a
    staff link from the staff corridor down to the visitor corridor, the secure room with its
    second door on the link. The depth is searched: all staff rooms placed, least waste.
    """
    low = max(_MIN_ROW, min((depth_range(u)[0] for u in state.pool), default=_MIN_ROW))
    key = (
        round(state.bottom, 6),
        tuple(u.id for u in state.pool),
        tuple((p.id, p.x0, p.x1, p.connected) for p in above),
        tuple((s.id, s.x0, s.y0) for s in state.strips),
        under_staff,
        below_cls,
    )
    if key in ctx.rows:
        trial: _Trial | None = ctx.rows[key]
    else:

        def evaluate(d: float) -> tuple[tuple[float, ...], _Trial, bool] | None:
            found = _try_row(
                ctx, state, d=d, above=above, under_staff=under_staff, below_cls=below_cls
            )
            if found is None:
                return None
            if found.pool:
                # What is left needs a last row above the hall: keep the depth for it.
                need = max(depth_range(u)[0] for u in found.pool)
                if found.bottom - max(ctx.floor_y, ctx.bf.floor.bounds[1] + 1.0) < need - 1e-6:
                    return None
            musts = sum(1 for u in found.pool if u.category in ("staff", "secure") and under_staff)
            placed = sum(p.unit.area for p in found.placed)
            kinds = ("staff",) if below_cls == "staff" else ("private", "secure")
            left = sum(u.area for u in found.pool if u.category in kinds)
            score = (musts, round((found.waste + 0.3 * left) / max(placed, 1.0), 2), found.d)
            return score, found, False

        trial = _depth_search(low, _MAX_ROW, evaluate)
        ctx.rows[key] = trial
    best = trial
    if best is None:
        raise LayoutError(
            f"no row of rooms with a corridor fits below {state.bottom:.1f} m "
            "(the floor is too shallow for the rooms left)"
        )
    trial = best
    if under_staff and any(u.category == "staff" for u in trial.pool):
        staff = [u for u in trial.pool if u.category == "staff"]
        raise LayoutError(
            f"{len(staff)} staff rooms ({sum(u.area for u in staff):.0f} m²) do not fit along "
            "the staff corridor"
        )
    if under_staff and any(u.category == "secure" for u in trial.pool):
        raise LayoutError(
            "the secure room finds no place against the staff corridor or beside the staff "
            "link (it needs a second exit into staff space)"
        )
    state.pool = trial.pool
    state.sketch.placements += trial.placed
    state.sketch.niche_m2 += trial.niche
    state.sketch.corridors += trial.corridors
    state.sketch.links += trial.links
    state.strips += trial.strips
    state.pieces += trial.below
    state.bands += 1
    state.bottom = trial.bottom
    return trial.below


def _try_row(
    ctx: _Ctx,
    state: _State,
    *,
    d: float,
    above: list[_Piece],
    under_staff: bool,
    below_cls: Cls = "visitor",
) -> _Trial | None:
    """Try one depth for a row and the corridor below it; None if no corridor piece is tied."""
    bf = ctx.bf
    staff = below_cls == "staff"
    w = bf.staff_w if staff else bf.visitor_w
    y1 = state.bottom
    y0 = y1 - d
    c0, c1 = y0 - w, y0
    if c0 < ctx.floor_y - 1e-6 or (w < 3.0 and _hits_columns(ctx, c0, c1)):
        return None
    runs = free_runs(ctx.geo.floor, c0, c1, columns=bf.columns, narrow=w < 3.0)
    for strip in state.strips:
        if strip.staff and strip.y0 < c1 - 1e-6 and strip.y1 > c0 + 1e-6:
            runs = _cut(runs, strip.x0, strip.x1)  # a staff passage runs on past this corridor
    runs = [(a, b) for a, b in runs if b - a >= _MIN_RUN_M]
    if not runs:
        return None
    n = state.bands + 1
    name = f"staff_corridor_{n + 1}" if staff else f"visitor_corridor_{n}"
    below = [
        _Piece(a, b, c0, c1, name + (f"-{k + 1}" if len(runs) > 1 else ""), below_cls)
        for k, (a, b) in enumerate(runs)
    ]
    new_strips = (
        _tie_staff(ctx, state, below, above, c1, y1)
        if staff
        else _tie(ctx, state, below, above, c0, c1, y1)
    )
    if not any(p.connected for p in below):
        return None
    links: list[tuple[str, str]] = []
    link: _Strip | None = None
    staff_piece = next((p for p in above if p.cls == "staff"), None)
    if under_staff and staff_piece is not None:
        link = _staff_link(ctx, staff_piece, below, y0, y1, state.strips + new_strips)
        if link is not None:
            new_strips.append(link)
            target = next(p for p in below if p.x0 - 1e-6 <= link.x0 and link.x1 <= p.x1 + 1e-6)
            links.append((link.id, target.id))
    strips = state.strips + new_strips
    spans = _row_spans(ctx.geo, y0, y1, strips)
    row = RowSpec(
        y0=y0,
        y1=y1,
        spans=list(spans),
        top=[p.span for p in above if p.connected],
        bottom=[p.span for p in below if p.connected],
        solid=_solid_runs(ctx, y0, y1),
    )
    row.left, row.right = _hall_ends(ctx, row.spans, y0, y1)
    pool = list(state.pool)
    placed: list[Placement] = []
    if under_staff and staff_piece is not None:
        for unit in [u for u in pool if u.category == "secure"]:
            spot = _secure_beside(ctx, row, unit, link, below) if link is not None else None
            spot = spot or _secure_across(ctx, row, unit, staff_piece, below)
            if spot is None:
                continue
            placed.append(spot)
            pool.remove(unit)
            x0, _, x1, _ = spot.bounds
            row.spans = _cut(row.spans, x0 - 1e-6, x1 + 1e-6)
    more, niche = pack_row(row, pool, geo=ctx.geo, toward=ctx.bf.entrance[0])
    placed += more
    corridors = [_passage(s, y0, y1) for s in new_strips if not s.id.startswith("spine")]
    corridors += [CorridorPiece(p.id, p.shape, w, staff, "corridor") for p in below if p.connected]
    return _Trial(
        d, c0, pool, placed, _waste(ctx.geo, spans, d, placed), niche, below, new_strips,
        corridors, links,
    )  # fmt: skip


def _tie(
    ctx: _Ctx,
    state: _State,
    below: list[_Piece],
    above: list[_Piece],
    c0: float,
    c1: float,
    y1: float,
) -> list[_Strip]:
    """Tie each new corridor piece to the hall: directly, by a spine, or through a piece above."""
    settings = ctx.settings
    new: list[_Strip] = []
    for piece in below:
        if _touches_kept(ctx, piece):
            piece.connected = True
            continue
        if any(
            s.id.startswith("spine") and s.x0 >= piece.x0 - 1e-6 and s.x1 <= piece.x1 + 1e-6
            for s in state.strips + new
        ):
            piece.connected = True
            continue
        for upper in above:
            if upper.cls != "visitor" or not upper.connected:
                continue
            lo, hi = max(piece.x0, upper.x0) + 0.3, min(piece.x1, upper.x1) - 0.3
            if hi - lo < _SPINE_M:
                continue
            x = _clamp(ctx.bf.entrance[0] - _SPINE_M / 2, lo, hi - _SPINE_M)
            link = _Strip(x, x + _SPINE_M, c1, y1, f"link_{piece.id}", False)
            if _strip_free(ctx, link):
                new.append(link)
                piece.connected = True
                break
        if piece.connected or not settings.spines:
            continue
        lo, hi = piece.x0 + 0.3, piece.x1 - 0.3
        if hi - lo < _SPINE_M:
            continue
        target = ctx.bf.entrance[0] - _SPINE_M / 2 + settings.spine_shift
        for x in sorted({_clamp(target, lo, hi - _SPINE_M), lo, hi - _SPINE_M},
                        key=lambda v: abs(v - target)):  # fmt: skip
            spine = _Strip(x, x + _SPINE_M, ctx.bf.floor.bounds[1] - 1.0, c0, f"spine_{piece.id}",
                           False)  # fmt: skip
            if _spine_ok(ctx, spine):
                new.append(spine)
                piece.connected = True
                break
    return new


def _tie_staff(
    ctx: _Ctx,
    state: _State,
    below: list[_Piece],
    above: list[_Piece],
    c1: float,
    y1: float,
) -> list[_Strip]:
    """Tie new staff corridor pieces to a staff corridor above by a passage through the row."""
    w = ctx.bf.staff_w
    new: list[_Strip] = []
    for piece in below:
        for upper in above:
            if upper.cls != "staff" or not upper.connected:
                continue
            lo, hi = max(piece.x0, upper.x0) + 0.3, min(piece.x1, upper.x1) - 0.3 - w
            if hi < lo:
                continue
            for x in (lo, hi, (lo + hi) / 2):
                link = _Strip(x, x + w, c1, y1, f"staff_passage_{piece.id}", True)
                clash = any(
                    s.x0 < x + w + 0.01 and s.x1 > x - 0.01 and s.y0 < y1 and s.y1 > c1
                    for s in state.strips + new
                )
                if not clash and _strip_free(ctx, link):
                    new.append(link)
                    piece.connected = True
                    break
            if piece.connected:
                break
    return new


def _spine_ok(ctx: _Ctx, spine: _Strip) -> bool:
    """Tell whether a spine can run straight down from its corridor through free floor."""
    shape = box(spine.x0, spine.y0, spine.x1, spine.y1).intersection(ctx.bf.floor)
    parts = [g for g in getattr(shape, "geoms", [shape]) if not g.is_empty and g.area > 1e-6]
    if not parts:
        return False
    upper = max(parts, key=lambda g: g.bounds[3])
    x0, y0, x1, y1 = upper.bounds
    if abs(y1 - spine.y1) > 1e-6 or abs(upper.area - (x1 - x0) * (y1 - y0)) > 1e-6:
        return False
    if x1 - x0 < _SPINE_M - 1e-6 or y1 - y0 < 2.0:
        return False
    return not any(c.intersects(upper) for c in ctx.bf.columns)


def _passage(strip: _Strip, y0: float, y1: float) -> CorridorPiece:
    """Return the part of a strip that crosses a row as a passage."""
    lo, hi = max(strip.y0, y0), min(strip.y1, y1)
    return CorridorPiece(
        strip.id, box(strip.x0, lo, strip.x1, hi), strip.x1 - strip.x0, strip.staff, "passage"
    )


def _staff_link(
    ctx: _Ctx,
    staff_piece: _Piece,
    below: list[_Piece],
    y0: float,
    y1: float,
    strips: list[_Strip],
) -> _Strip | None:
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
        for x in sorted({_clamp(target, lo, hi), lo, hi}, key=lambda v: abs(v - target)):
            link = _Strip(x, x + w, y0, y1, "staff_link", True)
            clash = any(
                s.x0 < x + w + 0.01 and s.x1 > x - 0.01 and s.y0 < y1 and s.y1 > y0 for s in strips
            )
            if not clash and _strip_free(ctx, link):
                return link
    return None


def _secure_beside(
    ctx: _Ctx, row: RowSpec, unit: Unit, link: _Strip, below: list[_Piece]
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


def _secure_across(
    ctx: _Ctx, row: RowSpec, unit: Unit, staff: _Piece, below: list[_Piece]
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


def _last_row(ctx: _Ctx, state: _State, *, above: list[_Piece]) -> None:
    """Place the last row: rooms opening up to the corridor above or down onto the hall."""
    low = max(_MIN_ROW, min(depth_range(u)[0] for u in state.pool))
    floor_bottom = ctx.bf.floor.bounds[1]
    y1 = state.bottom
    high = min(_MAX_ROW, y1 - max(floor_bottom + 1.0, ctx.floor_y))

    def evaluate(d: float) -> tuple[tuple[float, ...], _LastFound, bool] | None:
        y0 = y1 - d
        spans = _row_spans(ctx.geo, y0, y1, state.strips)
        row = RowSpec(
            y0=y0,
            y1=y1,
            spans=spans,
            top=[p.span for p in above if p.connected],
            bottom=_hall_below(ctx, y0, state.strips),
            solid=_solid_runs(ctx, y0, y1),
        )
        row.left, row.right = _hall_ends(ctx, row.spans, y0, y1)
        pool = list(state.pool)
        placed, niche = pack_row(row, pool, geo=ctx.geo, toward=ctx.bf.entrance[0])
        used = sum(p.unit.area for p in placed)
        score = (len(pool), round(_waste(ctx.geo, spans, d, placed) / max(used, 1.0), 2), d)
        return score, (placed, pool, niche, y0), not pool

    best = _depth_search(low, high, evaluate)
    if best is None:
        raise LayoutError("no depth is left for the last row of rooms")
    placed, pool, niche, y0 = best
    state.pool = pool
    state.sketch.placements += placed
    state.sketch.niche_m2 += niche
    state.bottom = y0


# --------------------------------------------------------------------------- the hall


def _close(ctx: _Ctx, state: _State, staff_piece: _Piece | None) -> None:
    """Draw the spines down to the hall, open the staff corridor onto kept hall, keep the rest."""
    sketch = state.sketch
    for strip in state.strips:
        if not strip.id.startswith("spine"):
            continue
        run = box(strip.x0, state.bottom, strip.x1, strip.y1).intersection(ctx.bf.floor)
        taken = unary_union([c.shape for c in sketch.corridors] or [Polygon()])
        rest = run.difference(taken)
        for k, part in enumerate(
            sorted(
                (g for g in getattr(rest, "geoms", [rest]) if g.area > 1e-3),
                key=lambda g: -g.bounds[3],
            ),
            start=1,
        ):
            x0, y0, x1, y1 = part.bounds
            sketch.corridors.append(
                CorridorPiece(f"{strip.id}_{k}", box(x0, y0, x1, y1), x1 - x0, False, "passage")
            )
    linked = any(a == "staff_link" for a, _ in sketch.links)
    if (
        staff_piece is not None
        and not linked
        and (_touches_kept(ctx, staff_piece) or _faces_hall(ctx, staff_piece, state))
    ):
        sketch.links.append((staff_piece.id, "hall"))
    taken = [p.shape for p in sketch.placements] + [c.shape for c in sketch.corridors]
    rest = ctx.bf.floor.difference(unary_union(taken)) if taken else ctx.bf.floor
    sketch.hall = rest


def _faces_hall(ctx: _Ctx, piece: _Piece, state: _State) -> bool:
    """Tell whether nothing was placed under a corridor piece (the hall lies right below it)."""
    below = box(piece.x0, piece.y0 - 0.5, piece.x1, piece.y0)
    return not any(p.shape.intersects(below) for p in state.sketch.placements)
