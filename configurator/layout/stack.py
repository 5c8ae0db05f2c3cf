"""The state a band stack builds and the floor it reads: pieces, strips, rows' floor, depths.

The band frame has the deepest side (staff) at the top; :mod:`.staff` lays the staff block
there and :mod:`.bands` the bands below it. This module holds what both share: the floor in
that frame, the corridor pieces and the strips kept free through rows (spines, links,
passages), and the small geometric questions both ask (where a corridor can run, what a row
holds, how deep a row should be).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal, TypeVar

from shapely.geometry import LineString, Polygon
from shapely.geometry.base import BaseGeometry
from shapely.ops import unary_union

from configurator.layout.rows import DoorSpan, Geo, Placement
from configurator.layout.shapes import box
from configurator.layout.units import Unit

__all__ = [
    "BandFloor",
    "CorridorPiece",
    "Ctx",
    "Piece",
    "Sketch",
    "StackSettings",
    "State",
    "Strip",
    "Trial",
    "floor_runs",
    "free_runs",
    "front_depth",
]

Cls = Literal["staff", "visitor", "hall"]

STEP = 0.25
"""Depth step (m) of the row-depth search."""
MIN_ROW = 2.0
MAX_ROW = 9.0
SPINE_M = 1.8
"""Width of a spine or link: two people pass with a pram."""
MIN_RUN_M = 3.0
"""A corridor piece shorter than this serves no room."""
PRIORITY = {"hall_room": 0, "secure": 1, "staff": 2, "private": 3, "semi": 4, "open": 9}
EXTRA_ROWS = 5
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
    solids: list[Polygon] = field(default_factory=list)
    """Cores, shafts and courtyards: rooms stop short of them, never cut around them."""
    windows: list[tuple[tuple[float, float], tuple[float, float]]] = field(default_factory=list)
    """Windowed façade segments: a row's end on one is kept for a room that needs daylight."""


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
    shuffle: bool = False
    """Pack rooms of a kind in the seed's order rather than largest first (another option)."""


@dataclass
class Piece:
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
class Strip:
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
class State:
    """Everything placed so far, top down."""

    pool: list[Unit]
    sketch: Sketch = field(default_factory=Sketch)
    pieces: list[Piece] = field(default_factory=list)
    strips: list[Strip] = field(default_factory=list)
    bands: int = 0
    bottom: float = 0.0
    """The lowest y the rows reach so far: the hall is below."""

    def copy(self) -> State:
        sketch = Sketch(
            placements=list(self.sketch.placements),
            corridors=list(self.sketch.corridors),
            links=list(self.sketch.links),
            niche_m2=self.sketch.niche_m2,
        )
        return State(
            list(self.pool), sketch, list(self.pieces), list(self.strips), self.bands, self.bottom
        )


@dataclass
class Ctx:
    bf: BandFloor
    settings: StackSettings
    geo: Geo
    """The floor rooms may use (less what is kept as hall)."""
    hall_kept: BaseGeometry
    """The floor kept as hall so far."""
    floor_y: float = -1e9
    """Rows and corridors stay above this y, so that the hall below keeps its floor."""
    defer: bool = True
    """Rows other than the last keep rooms needing a window for later rows where they would
    get none (see :func:`configurator.layout.rows.pack_row`)."""
    rows: dict[tuple[object, ...], Trial | None] = field(default_factory=dict)

    @property
    def hall_kept_buffered(self) -> BaseGeometry:
        """Return the kept hall grown by a micrometre (for 'lies on it' tests), made once."""
        key = id(self.hall_kept)
        if self._buffered is None or self._buffered[0] != key:
            self._buffered = (key, self.hall_kept.buffer(1e-6))
        return self._buffered[1]

    _buffered: tuple[int, BaseGeometry] | None = None
    """Rows already worked out: attempts with more rows share their first rows."""


@dataclass
class Trial:
    d: float
    bottom: float
    pool: list[Unit]
    placed: list[Placement]
    waste: float
    niche: float
    below: list[Piece]
    strips: list[Strip]
    corridors: list[CorridorPiece]
    links: list[tuple[str, str]]


def hall_floor_y(ctx: Ctx) -> float:
    """Return the lowest y rows may reach: below it the hall keeps the floor it needs.

    What is kept as hall from the start counts; the front of the floor below the rows makes up
    the rest, and is at least deep enough for the lobby (3.5 m).
    """
    need = ctx.settings.hall_need - ctx.hall_kept.area
    if need <= 0:
        return -1e9
    return max(front_depth(ctx.geo.floor, need), float(ctx.bf.floor.bounds[1]) + 3.5)


def front_depth(floor: BaseGeometry, need: float) -> float:
    """Return the y below which a floor holds ``need`` m² (the whole floor's top if it cannot)."""
    minx, miny, maxx, maxy = floor.bounds
    low, high = miny, maxy
    for _ in range(40):
        mid = (low + high) / 2
        if floor.intersection(box(minx - 1, miny - 1, maxx + 1, mid)).area < need:
            low = mid
        else:
            high = mid
    return float(high)


def make_geo(bf: BandFloor, kept: BaseGeometry) -> Geo:
    usable = bf.floor.difference(kept) if not kept.is_empty else bf.floor
    if usable.geom_type != "Polygon":
        parts = [g for g in getattr(usable, "geoms", []) if g.geom_type == "Polygon"]
        usable = unary_union(parts) if parts else Polygon()
    return Geo(
        floor=usable,
        columns=[c.bounds for c in bf.columns],
        cores=[s.bounds for s in bf.solids],
        glass=unary_union([LineString(w) for w in bf.windows]) if bf.windows else None,
    )


def order_units(units: list[Unit], rng: random.Random, *, shuffle: bool = False) -> list[Unit]:
    """Order units: by category, then larger first (or shuffled), ties shuffled by the seed."""
    jitter = {u.id: rng.random() for u in units}
    if shuffle:
        return sorted(units, key=lambda u: (PRIORITY[u.category], jitter[u.id]))
    return sorted(units, key=lambda u: (PRIORITY[u.category], -round(u.area / 4), jitter[u.id]))


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


def row_spans(geo: Geo, y0: float, y1: float, strips: list[Strip]) -> list[tuple[float, float]]:
    """Return the x-ranges of usable floor in a row band, less the strips that cross it.

    The floor's ranges are worked out once per band for the layout (``geo.spans``): the depth
    search asks for the same bands again and again.
    """
    key = (y0, y1)
    found = geo.spans.get(key)
    if found is None:
        minx, _, maxx, _ = geo.floor.bounds
        band = box(minx - 1, y0 + 1e-6, maxx + 1, y1 - 1e-6).intersection(geo.floor)
        found = geo.spans[key] = []
        for part in getattr(band, "geoms", [band]):
            if part.is_empty or part.area < 0.5:
                continue
            bx0, _, bx1, _ = part.bounds
            found.append((bx0, bx1))
    spans = list(found)
    for s in strips:
        if s.y0 < y1 - 1e-6 and s.y1 > y0 + 1e-6:
            spans = cut(spans, s.x0, s.x1)
    return sorted(spans)


def solid_runs(ctx: Ctx, y0: float, y1: float) -> list[tuple[float, float]]:
    """Return the x-runs where the row's whole depth is usable floor (no clipping needed)."""
    return floor_runs(ctx, y0, y1, narrow=False)


def floor_runs(ctx: Ctx, y0: float, y1: float, *, narrow: bool) -> list[tuple[float, float]]:
    """Return :func:`free_runs` of the usable floor (clear of columns if ``narrow``), each band
    worked out once per layout (``geo.runs``)."""
    key = (y0, y1, narrow)
    found = ctx.geo.runs.get(key)
    if found is None:
        found = ctx.geo.runs[key] = free_runs(
            ctx.geo.floor, y0, y1, columns=ctx.bf.columns, narrow=narrow
        )
    return list(found)


def cut(spans: list[tuple[float, float]], a: float, b: float) -> list[tuple[float, float]]:
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


def hall_below(ctx: Ctx, y: float, strips: list[Strip]) -> list[DoorSpan]:
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
            spans = cut(spans, s.x0, s.x1)
    return [DoorSpan(a, b, "hall", "hall") for a, b in spans]


def hall_ends(
    ctx: Ctx, spans: list[tuple[float, float]], y0: float, y1: float
) -> tuple[list[tuple[float, DoorSpan]], list[tuple[float, DoorSpan]]]:
    """Return row ends that lie on kept hall: spans starting at it (left) and ending at it."""
    if ctx.hall_kept.is_empty:
        return [], []
    left: list[tuple[float, DoorSpan]] = []
    right: list[tuple[float, DoorSpan]] = []
    for x0, x1 in spans:
        for x, out in ((x0 - 0.02, left), (x1 + 0.02, right)):
            probe = box(x - 0.01, y0 + 0.05, x + 0.01, y1 - 0.05)
            if ctx.hall_kept_buffered.contains(probe):
                out.append((x0 if out is left else x1, DoorSpan(x, x, "hall", "hall")))
    return left, right


def touches_kept(ctx: Ctx, piece: Piece) -> bool:
    """Tell whether a corridor piece meets the kept hall over at least its width."""
    if ctx.hall_kept.is_empty:
        return False
    x0, y0, x1, y1 = piece.x0 - 1e-6, piece.y0 - 1e-6, piece.x1 + 1e-6, piece.y1 + 1e-6
    edge = ctx.hall_kept.boundary.intersection(box(x0, y0, x1, y1))
    return bool(edge.length >= min(piece.y1 - piece.y0, piece.x1 - piece.x0) - 1e-3)


def hits_columns(ctx: Ctx, y0: float, y1: float) -> bool:
    """Tell whether a band across the floor meets a column (a narrow corridor must not)."""
    return any(c.bounds[1] < y1 and c.bounds[3] > y0 for c in ctx.bf.columns)


def strip_free(ctx: Ctx, strip: Strip) -> bool:
    """Tell whether a strip lies on the floor rooms may use, clear of columns."""
    shape = box(strip.x0, strip.y0, strip.x1, strip.y1)
    x0, y0, x1, y1 = shape.bounds
    if not ctx.geo.inside((x0, y0, x1, y1)):
        return False
    return not any(c.intersects(shape) for c in ctx.bf.columns)


T = TypeVar("T")


def depth_search(
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
        d += 2 * STEP
    if best is None:
        return None
    for d in (best[1] - STEP, best[1] + STEP):
        if low - 1e-9 <= d <= high + 1e-9:
            result = at(d)
            if result is not None and result[0] < best[0]:
                best = (result[0], d, result[1])
    return best[2]


def clamp(value: float, low: float, high: float) -> float:
    return max(low, min(high, value))


def waste(geo: Geo, spans: list[tuple[float, float]], d: float, placed: list[Placement]) -> float:
    return max(sum(b - a for a, b in spans) * d - sum(p.unit.area for p in placed), 0.0)
