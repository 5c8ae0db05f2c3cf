"""Stack bands of rooms and corridors from the deepest façade toward the hall, in any floor.

The band frame has the deepest side (staff) at the top. From there down: the staff row along
the façade, the staff corridor, a two-sided row (staff rooms up, private rooms down), a visitor
corridor, more rows of private rooms along their own corridors, and a last row whose rooms open
down onto the hall; the floor left below (and, for some strategies, a region kept as hall from
the start) is the hall. A band's corridor is every stretch where the whole corridor fits the
floor, so an L, U or T, a core or a courtyard just gives a band several pieces, each tied back
to the hall: directly where it meets the hall, by a spine (a passage straight down to the hall),
or by a link through the row to a tied corridor above. Rooms are cut by angled façades and
widened to their areas (:mod:`.rows`).
"""

from __future__ import annotations

import random

from shapely.geometry import Polygon
from shapely.ops import unary_union

from configurator.layout.rows import Placement, RowSpec, pack_row
from configurator.layout.shapes import box
from configurator.layout.stack import (
    EXTRA_ROWS,
    MAX_ROW,
    MIN_ROW,
    MIN_RUN_M,
    SPINE_M,
    BandFloor,
    Cls,
    CorridorPiece,
    Ctx,
    Piece,
    Sketch,
    StackSettings,
    State,
    Strip,
    Trial,
    clamp,
    cut,
    depth_search,
    floor_runs,
    free_runs,
    hall_below,
    hall_ends,
    hall_floor_y,
    hits_columns,
    make_geo,
    order_units,
    row_spans,
    solid_runs,
    strip_free,
    touches_kept,
    waste,
)
from configurator.layout.staff import (
    secure_across,
    secure_beside,
    staff_block,
    staff_link,
    tie_staff,
)
from configurator.layout.units import Unit, depth_range
from configurator.model.errors import LayoutError

__all__ = ["BandFloor", "CorridorPiece", "Sketch", "StackSettings", "free_runs", "stack_layout"]

_DARK_TRIES = 2
"""Stacks with more rows tried after one that leaves rooms needing a window without one."""
_LIT_WEIGHT = 0.5
"""m² of a row's waste that one m² of room it gives its window outweighs in the row depth
search (a judgement: at 0 the large city's group rooms stayed dark, at 0.5 all are lit)."""

LastFound = tuple[list[Placement], list[Unit], float, float]
"""A last-row trial: the rooms, the units left, the niche m², the row's bottom."""


def stack_layout(
    bf: BandFloor, units: list[Unit], *, settings: StackSettings, rng: random.Random
) -> Sketch:
    """Lay out every enclosed unit in bands from the top; the floor left over is the hall.

    Raises :class:`LayoutError` naming what does not fit, and by how much.
    """
    rooms = order_units([u for u in units if u.category != "open"], rng, shuffle=settings.shuffle)
    kept = settings.hall_region if settings.hall_region is not None else Polygon()
    ctx = Ctx(bf, settings, make_geo(bf, kept), kept)
    state = State(pool=rooms, bottom=bf.floor.bounds[3])
    staff_piece: Piece | None = None
    if any(u.category == "staff" for u in rooms):
        staff_piece = staff_block(ctx, state)
    if settings.hall_column is not None:
        a, b = settings.hall_column
        miny = bf.floor.bounds[1]
        column = bf.floor.intersection(box(a, miny - 1.0, b, state.bottom))
        # the floor may touch the column's edge along a line: keep only the area (a collection
        # of a polygon and a line has no boundary, and the ties below read the boundary)
        kept = unary_union([ctx.hall_kept, column])
        parts = [g for g in getattr(kept, "geoms", [kept]) if g.geom_type == "Polygon"]
        ctx.hall_kept = unary_union(parts) if parts else Polygon()
        ctx.geo = make_geo(bf, ctx.hall_kept)
    ctx.floor_y = hall_floor_y(ctx)
    final = _visitor_bands(ctx, state, staff_piece)
    _close(ctx, final, staff_piece)
    return final.sketch


def _visitor_bands(ctx: Ctx, state: State, staff_piece: Piece | None) -> State:
    """Lay the bands under the staff corridor, trying more rows until every room fits.

    First more rows of private rooms; when the staff rooms do not fit along one staff corridor,
    a second (then third) staff corridor with staff rooms on both sides. Rows keep rooms that
    need a window back for later rows' windowed ends (``ctx.defer``); where that leaves no row
    for them, the bands are laid again with the rooms packed where they come.
    """
    if not state.pool:
        return state
    try:
        return _bands_tried(ctx, state, staff_piece)
    except LayoutError:
        if not ctx.defer or not ctx.geo.kept_back:
            raise  # (no room was kept back: packing them where they come is the same again)
    # the rooms kept back for windowed row ends found no row: pack them where they come
    ctx.defer = False
    return _bands_tried(ctx, state, staff_piece)


def _bands_tried(ctx: Ctx, state: State, staff_piece: Piece | None) -> State:
    """Try more rows, then more staff rows, until every room fits (see :func:`_visitor_bands`);
    of stacks that fit, the first where every room needing a window has one, else the one
    leaving fewest without (of the first few tried)."""
    failure: LayoutError | None = None
    staff_rows = 0
    while staff_rows <= (2 if staff_piece is not None else 0):
        short_of_staff = False
        found: list[tuple[int, State]] = []
        for extra in range(EXTRA_ROWS + 1):
            trial = state.copy()
            try:
                _bands_with(ctx, trial, staff_piece, private_rows=extra, staff_rows=staff_rows)
            except LayoutError as exc:
                failure = exc
                if "staff rooms" in str(exc):
                    short_of_staff = True
                    break
                continue
            found.append(
                (_dark(ctx, trial.sketch.placements[len(state.sketch.placements) :]), trial)
            )
            if found[-1][0] == 0 or len(found) > _DARK_TRIES:
                break
        if found:
            return min(found, key=lambda f: f[0])[1]
        if not short_of_staff:
            break
        staff_rows += 1
    assert failure is not None, "every attempt left its reason"
    raise failure


def _dark(ctx: Ctx, placed: list[Placement]) -> int:
    """Count the rooms placed (by the bands: the staff row's are the same in every stack) that
    need a window and have none."""
    return sum(1 for p in placed if p.unit.glass_m > 0 and not ctx.geo.lit(p))


def _bands_with(
    ctx: Ctx,
    state: State,
    staff_piece: Piece | None,
    *,
    private_rows: int,
    staff_rows: int = 0,
) -> None:
    """Lay rows and corridors down to the last row, with given numbers of extra rows."""
    above: list[Piece] = [staff_piece] if staff_piece is not None else []
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
        raise LayoutError(_not_fitting(state.pool))


def _not_fitting(pool: list[Unit]) -> str:
    """Say which rooms are left over: how many, their area and the first few."""
    names = ", ".join(u.id for u in pool[:4]) + (" …" if len(pool) > 4 else "")
    return f"{len(pool)} rooms ({sum(u.area for u in pool):.0f} m²) do not fit: {names}"


def _row_and_corridor(
    ctx: Ctx,
    state: State,
    *,
    above: list[Piece],
    under_staff: bool,
    below_cls: Cls = "visitor",
) -> list[Piece]:
    """Place a two-sided row and the visitor corridor under it; return the corridor's pieces.

    Under the staff corridor the row holds the staff rooms left over (opening up) and, beside a
    staff link from the staff corridor down to the visitor corridor, the secure room with its
    second door on the link. The depth is searched: all staff rooms placed, least waste.
    """
    low = max(MIN_ROW, min((depth_range(u)[0] for u in state.pool), default=MIN_ROW))
    key = (
        ctx.defer,
        round(state.bottom, 6),
        tuple(u.id for u in state.pool),
        tuple((p.id, p.x0, p.x1, p.connected) for p in above),
        tuple((s.id, s.x0, s.y0) for s in state.strips),
        under_staff,
        below_cls,
    )
    if key in ctx.rows:
        trial: Trial | None = ctx.rows[key]
    else:

        def evaluate(d: float) -> tuple[tuple[float, ...], Trial, bool] | None:
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
            lit = sum(p.unit.area for p in found.placed if p.unit.glass_m > 0 and ctx.geo.lit(p))
            cost = found.waste + 0.3 * left - _LIT_WEIGHT * lit
            score = (musts, round(cost / max(placed, 1.0), 2), found.d)
            return score, found, False

        trial = depth_search(low, MAX_ROW, evaluate)
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
    ctx: Ctx,
    state: State,
    *,
    d: float,
    above: list[Piece],
    under_staff: bool,
    below_cls: Cls = "visitor",
) -> Trial | None:
    """Try one depth for a row and the corridor below it; None if no corridor piece is tied."""
    bf = ctx.bf
    staff = below_cls == "staff"
    w = bf.staff_w if staff else bf.visitor_w
    y1 = state.bottom
    y0 = y1 - d
    c0, c1 = y0 - w, y0
    if c0 < ctx.floor_y - 1e-6 or (w < 3.0 and hits_columns(ctx, c0, c1)):
        return None
    runs = floor_runs(ctx, c0, c1, narrow=w < 3.0)
    for strip in state.strips:
        if strip.staff and strip.y0 < c1 - 1e-6 and strip.y1 > c0 + 1e-6:
            runs = cut(runs, strip.x0, strip.x1)  # a staff passage runs on past this corridor
    runs = [(a, b) for a, b in runs if b - a >= MIN_RUN_M]
    if not runs:
        return None
    n = state.bands + 1
    name = f"staff_corridor_{n + 1}" if staff else f"visitor_corridor_{n}"
    below = [
        Piece(a, b, c0, c1, name + (f"-{k + 1}" if len(runs) > 1 else ""), below_cls)
        for k, (a, b) in enumerate(runs)
    ]
    new_strips = (
        tie_staff(ctx, state, below, above, c1, y1)
        if staff
        else _tie(ctx, state, below, above, c0, c1, y1)
    )
    if not any(p.connected for p in below):
        return None
    links: list[tuple[str, str]] = []
    link: Strip | None = None
    staff_piece = next((p for p in above if p.cls == "staff" and p.connected), None)
    if under_staff and staff_piece is not None:
        link = staff_link(ctx, staff_piece, below, y0, y1, state.strips + new_strips)
        if link is not None:
            new_strips.append(link)
            target = next(p for p in below if p.x0 - 1e-6 <= link.x0 and link.x1 <= p.x1 + 1e-6)
            links.append((link.id, target.id))
    strips = state.strips + new_strips
    spans = row_spans(ctx.geo, y0, y1, strips)
    row = RowSpec(
        y0=y0,
        y1=y1,
        spans=list(spans),
        top=[p.span for p in above if p.connected],
        bottom=[p.span for p in below if p.connected],
        solid=solid_runs(ctx, y0, y1),
    )
    row.left, row.right = hall_ends(ctx, row.spans, y0, y1)
    pool = list(state.pool)
    placed: list[Placement] = []
    if under_staff and staff_piece is not None:
        for unit in [u for u in pool if u.category == "secure"]:
            spot = secure_beside(ctx, row, unit, link, below) if link is not None else None
            spot = spot or secure_across(ctx, row, unit, staff_piece, below)
            if spot is None:
                continue
            placed.append(spot)
            pool.remove(unit)
            x0, _, x1, _ = spot.bounds
            row.spans = cut(row.spans, x0 - 1e-6, x1 + 1e-6)
    more, niche = pack_row(row, pool, geo=ctx.geo, toward=ctx.bf.entrance[0], defer=ctx.defer)
    placed += more
    corridors = [_passage(s, y0, y1) for s in new_strips if not s.id.startswith("spine")]
    corridors += [CorridorPiece(p.id, p.shape, w, staff, "corridor") for p in below if p.connected]
    return Trial(
        d, c0, pool, placed, waste(ctx.geo, spans, d, placed), niche, below, new_strips,
        corridors, links,
    )  # fmt: skip


def _tie(
    ctx: Ctx,
    state: State,
    below: list[Piece],
    above: list[Piece],
    c0: float,
    c1: float,
    y1: float,
) -> list[Strip]:
    """Tie each new corridor piece to the hall: directly, by a spine, or through a piece above."""
    settings = ctx.settings
    new: list[Strip] = []
    for piece in below:
        if touches_kept(ctx, piece):
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
            if hi - lo < SPINE_M:
                continue
            x = clamp(ctx.bf.entrance[0] - SPINE_M / 2, lo, hi - SPINE_M)
            link = Strip(x, x + SPINE_M, c1, y1, f"link_{piece.id}", False)
            if strip_free(ctx, link):
                new.append(link)
                piece.connected = True
                break
        if piece.connected or not settings.spines:
            continue
        lo, hi = piece.x0 + 0.3, piece.x1 - 0.3
        if hi - lo < SPINE_M:
            continue
        target = ctx.bf.entrance[0] - SPINE_M / 2 + settings.spine_shift
        for x in sorted({clamp(target, lo, hi - SPINE_M), lo, hi - SPINE_M},
                        key=lambda v: abs(v - target)):  # fmt: skip
            spine = Strip(x, x + SPINE_M, ctx.bf.floor.bounds[1] - 1.0, c0, f"spine_{piece.id}",
                           False)  # fmt: skip
            if _spine_ok(ctx, spine):
                new.append(spine)
                piece.connected = True
                break
    return new


def _spine_ok(ctx: Ctx, spine: Strip) -> bool:
    """Tell whether a spine can run straight down from its corridor through free floor."""
    shape = box(spine.x0, spine.y0, spine.x1, spine.y1).intersection(ctx.bf.floor)
    parts = [g for g in getattr(shape, "geoms", [shape]) if not g.is_empty and g.area > 1e-6]
    if not parts:
        return False
    upper = max(parts, key=lambda g: g.bounds[3])
    x0, y0, x1, y1 = upper.bounds
    if abs(y1 - spine.y1) > 1e-6 or abs(upper.area - (x1 - x0) * (y1 - y0)) > 1e-6:
        return False
    if x1 - x0 < SPINE_M - 1e-6 or y1 - y0 < 2.0:
        return False
    return not any(c.intersects(upper) for c in ctx.bf.columns)


def _passage(strip: Strip, y0: float, y1: float) -> CorridorPiece:
    """Return the part of a strip that crosses a row as a passage."""
    lo, hi = max(strip.y0, y0), min(strip.y1, y1)
    return CorridorPiece(
        strip.id, box(strip.x0, lo, strip.x1, hi), strip.x1 - strip.x0, strip.staff, "passage"
    )


def _last_row(ctx: Ctx, state: State, *, above: list[Piece]) -> None:
    """Place the last row: rooms opening up to the corridor above or down onto the hall."""
    low = max(MIN_ROW, min(depth_range(u)[0] for u in state.pool))
    floor_bottom = ctx.bf.floor.bounds[1]
    y1 = state.bottom
    high = min(MAX_ROW, y1 - max(floor_bottom + 1.0, ctx.floor_y))

    need = sum(u.area for u in state.pool)
    short: list[float] = []

    def evaluate(d: float) -> tuple[tuple[float, ...], LastFound, bool] | None:
        y0 = y1 - d
        spans = row_spans(ctx.geo, y0, y1, state.strips)
        room = sum(b - a for a, b in spans) * d
        if room < need - 1e-6:
            # rooms stand within the row's stretches: this depth cannot take every room, and a
            # last row that leaves any behind fails the layout anyway
            short.append(room)
            return None
        row = RowSpec(
            y0=y0,
            y1=y1,
            spans=spans,
            top=[p.span for p in above if p.connected],
            bottom=hall_below(ctx, y0, state.strips),
            solid=solid_runs(ctx, y0, y1),
        )
        row.left, row.right = hall_ends(ctx, row.spans, y0, y1)
        pool = list(state.pool)
        placed, niche = pack_row(row, pool, geo=ctx.geo, toward=ctx.bf.entrance[0])
        used = sum(p.unit.area for p in placed)
        score = (len(pool), round(waste(ctx.geo, spans, d, placed) / max(used, 1.0), 2), d)
        return score, (placed, pool, niche, y0), not pool

    best = depth_search(low, high, evaluate)
    if best is None and short:
        raise LayoutError(
            f"{_not_fitting(state.pool)} (the last row holds at most {max(short):.0f} m²)"
        )
    if best is None:
        raise LayoutError("no depth is left for the last row of rooms")
    placed, pool, niche, y0 = best
    state.pool = pool
    state.sketch.placements += placed
    state.sketch.niche_m2 += niche
    state.bottom = y0


# --------------------------------------------------------------------------- the hall


def _close(ctx: Ctx, state: State, staff_piece: Piece | None) -> None:
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
        and (touches_kept(ctx, staff_piece) or _faces_hall(ctx, staff_piece, state))
    ):
        sketch.links.append((staff_piece.id, "hall"))
    taken = [p.shape for p in sketch.placements] + [c.shape for c in sketch.corridors]
    rest = ctx.bf.floor.difference(unary_union(taken)) if taken else ctx.bf.floor
    sketch.hall = rest


def _faces_hall(ctx: Ctx, piece: Piece, state: State) -> bool:
    """Tell whether nothing was placed under a corridor piece (the hall lies right below it)."""
    below = box(piece.x0, piece.y0 - 0.5, piece.x1, piece.y0)
    return not any(p.shape.intersects(below) for p in state.sketch.placements)
