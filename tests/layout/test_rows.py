"""The row packer's caches give what working it out afresh gives.

The row search tries the same rectangles, row ends and room pairs over and over, so ``Geo``
remembers them for the layout. A cache whose key misses something (a unit taken since, a
façade beyond the window of x it clipped) would place rooms on stale answers: each cached
answer is compared here with the plain computation on a fresh ``Geo``. The packer's daylight
judgements (the façade a room needs, whether a placed room has it, rows keeping rooms for
windowed ends) are checked against hand-worked rooms.
"""

from __future__ import annotations

import math
import random
from functools import cache

from hypothesis import given, settings, strategies as st
from shapely.geometry import LineString, MultiLineString, box

from configurator.inputs.catalog import load_case
from configurator.layout.rows import DoorSpan, Geo, Placement, RowSpec, _Pool, _ranked, pack_row
from configurator.layout.units import Unit, units_from_program
from configurator.sizing.program import program_from_case
from tests.common import EXAMPLES

EXAMPLE = {p.stem: p for p in EXAMPLES}


@cache
def _units() -> tuple[Unit, ...]:
    case = load_case(EXAMPLE["pori"])
    return tuple(units_from_program(program_from_case(case), case))


def _floor_geo() -> Geo:
    return Geo(floor=box(0, 0, 60, 30), columns=[])


@settings(max_examples=40, deadline=None)
@given(
    x=st.floats(-2, 42),
    y0=st.floats(-2, 20),
    shift=st.floats(-100, 100),
    depth=st.floats(0.5, 12),
    lines=st.lists(
        st.tuples(st.floats(0, 40), st.floats(0, 20), st.floats(0, 40), st.floats(0, 20)),
        min_size=1,
        max_size=6,
    ),
)
def test_the_glass_along_a_row_end_is_told_as_the_buffer_met_with_the_whole_facade(
    x: float, y0: float, shift: float, depth: float, lines: list[tuple[float, float, float, float]]
) -> None:
    # the façade is shifted along y so that its extent in y differs from its extent in x
    y0 += shift
    glass = MultiLineString(
        [[(a, b + shift), (c, d + shift)] for a, b, c, d in lines if (a, b) != (c, d)]
    )
    if glass.is_empty:
        return
    geo = Geo(floor=box(0, shift, 40, 20 + shift), columns=[], glass=glass)
    expected = LineString([(x, y0), (x, y0 + depth)]).buffer(0.3).intersection(glass).length
    # the second call reads the clipped façade the first one kept; the thresholds are the
    # length itself (either side of it), and lengths above and below
    for least in (expected - 1e-6, expected + 1e-6, 0.5 * expected, 1.0, 2.0 * expected + 1.0):
        if least <= 0:
            continue  # (the layout asks for a metre or more)
        for _ in range(2):
            assert geo.glass_along(x, y0, y0 + depth, least=least) is (expected >= least)


def test_glass_exactly_at_the_buffers_edge_counts() -> None:
    # a windowed façade 0.3 m from the row's end: the buffer meets it, so must the bounds
    geo = Geo(floor=box(-5, -5, 5, 5), columns=[], glass=LineString([(0.3, 0), (0.3, 5)]))
    expected = LineString([(0, 0), (0, 5)]).buffer(0.3).intersection(geo.glass).length
    assert expected > 1.0
    assert geo.glass_along(0.0, 0.0, 5.0, least=1.0)


def test_a_rectangle_is_inside_the_floor_the_same_the_second_time() -> None:
    geo = Geo(floor=box(0, 0, 10, 10).difference(box(4, 4, 6, 6)), columns=[])
    for rect, inside in [((0, 0, 3, 3), True), ((3, 3, 5, 5), False), ((5, 0, 11, 2), False)]:
        assert geo.inside(rect) is inside
        assert geo.inside(rect) is inside


def test_a_pair_of_twins_is_not_offered_once_the_twin_is_taken() -> None:
    units = list(_units())
    pool = _Pool(units)
    sig = next(s for s, kind in pool.by_sig.items() if len(kind) == 2)
    first, second = pool.by_sig[sig]
    geo = _floor_geo()
    reps = pool.reps({"staff", "visitor", "hall"})
    depth = 2 * first.depths[0] + 0.5  # deep enough for the two back to back
    assert any(lower is second for _, lower, _ in _ranked(pool, reps, geo, first, depth))
    pool.take(second)
    reps = pool.reps({"staff", "visitor", "hall"})
    offered = list(_ranked(pool, reps, geo, first, depth))
    assert all(second is not u for pair in offered for u in pair[:2])
    assert offered == list(_ranked(pool, reps, _floor_geo(), first, depth))


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**16), depth=st.sampled_from([3.0, 4.5, 5.25, 6.0, 8.0]))
def test_ranked_columns_name_units_still_in_the_pool_and_match_a_fresh_ranking(
    seed: int, depth: float
) -> None:
    rng = random.Random(seed)
    units = list(_units())
    pool = _Pool(units)
    geo = _floor_geo()
    for _ in range(12):
        reps = pool.reps({"staff", "visitor", "hall"})
        if not reps.units:
            break
        unit = rng.choice(reps.units)
        cached = list(_ranked(pool, reps, geo, unit, depth))
        fresh = list(_ranked(pool, reps, _floor_geo(), unit, depth))
        assert [(id(a), id(b), s) for a, b, s in cached] == [(id(a), id(b), s) for a, b, s in fresh]
        left = {id(u) for units_of_kind in pool.by_sig.values() for u in units_of_kind}
        for upper, lower, shape in cached:
            assert id(upper) in left
            assert id(lower) in left
            # a pair is two rooms (two of a kind only while a twin is left); a single is one
            assert (upper is lower) == (shape is None)
        # take a unit (and with it, perhaps, the last twin of its kind)
        pool.take(rng.choice(reps.units))


# --------------------------------------------------------------------------- daylight


def _unit(ident: str) -> Unit:
    return next(u for u in _units() if u.id == ident)


def test_a_room_needing_daylight_knows_the_windowed_facade_it_needs() -> None:
    # YM 1008/2017 §5: light openings of 1/10 of the floor; at the default 1.2 m window band
    # a 30 m² group room needs 30 × 0.1 / 1.2 = 2.5 m of façade, a 70 m² back office 5.83 m
    assert math.isclose(_unit("group_room-1").area, 30.0)
    assert math.isclose(_unit("group_room-1").glass_m, 2.5)
    assert math.isclose(_unit("back_office-1").glass_m, 70.0 * 0.1 / 1.2)
    for ident in ("storage", "it_room", "customer_wc-1", "meeting_room_2-1", "waiting_lounge"):
        assert _unit(ident).glass_m == 0.0, ident  # (an open area is judged by its reach)


def test_a_room_is_lit_by_the_glass_along_its_outline_not_within_it() -> None:
    group = _unit("group_room-1")  # needs 2.5 m
    rect = (0.0, 0.0, 6.0, 5.0)
    cases = [
        (LineString([(0, 0), (2, 0)]), False),  # 2 m along its wall
        (LineString([(-1, 0), (3, 0)]), True),  # 3 m of it along the wall, 1 m beyond
        (LineString([(6.2, 0), (6.2, 5)]), True),  # 0.2 m off its side wall (a clipped room)
        (LineString([(0.5, 2.5), (5.5, 2.5)]), False),  # through the room, on no wall
        (LineString([(0, -1), (6, -1)]), False),  # a metre outside
    ]
    for glass, lit in cases:
        geo = Geo(floor=box(-2, -2, 10, 10), columns=[], glass=glass)
        assert geo.lit(Placement(group, rect, [], "top")) is lit, glass
        # the same room as a polygon (cut by a façade) is judged the same way
        assert geo.lit(Placement(group, box(*rect), [], "top")) is lit, glass


def test_rows_keep_rooms_needing_daylight_for_a_windowed_end() -> None:
    # a row windowed at its right end only: the first group room takes that end; with
    # ``defer`` the second waits for another row (the meeting rooms fill the rest), without
    # it the second lands in the row's dark middle
    length = 30.0 / 4.5 + 3 * 15.0 / 4.5
    glass = LineString([(length, 0), (length, 4.5)])
    names = (
        "group_room-1",
        "group_room-2",
        "meeting_room_6-1",
        "meeting_room_6-2",
        "meeting_room_6-3",
    )
    for defer in (True, False):
        geo = Geo(floor=box(0, 0, length, 4.5), columns=[], glass=glass)
        row = RowSpec(
            y0=0.0,
            y1=4.5,
            spans=[(0.0, length)],
            top=[DoorSpan(0.0, length, "visitor_corridor", "visitor")],
        )
        pool = [_unit(n) for n in names]
        placed, _ = pack_row(row, pool, geo=geo, toward=0.0, defer=defer)
        ids = {p.unit.id for p in placed}
        assert "group_room-1" in ids
        dark = [p.unit.id for p in placed if p.unit.glass_m > 0 and not geo.lit(p)]
        if defer:
            assert dark == []
            assert [u.id for u in pool] == ["group_room-2"]
        else:
            assert dark == ["group_room-2"]


@settings(max_examples=30, deadline=None)
@given(
    y0=st.floats(-1, 18),
    depth=st.floats(0.5, 8),
    cut=st.tuples(st.floats(0, 50), st.floats(0, 25), st.floats(1, 10), st.floats(1, 10)),
    narrow=st.booleans(),
)
def test_a_bands_runs_and_spans_are_the_same_the_second_time(
    y0: float, depth: float, cut: tuple[float, float, float, float], narrow: bool
) -> None:
    """The floor's runs and a row band's spans, remembered per band, match a fresh Geo's."""
    from shapely.geometry import Polygon

    from configurator.layout.stack import BandFloor, Ctx, StackSettings, floor_runs, row_spans

    x, y, w, d = cut
    floor = box(0, 0, 60, 30).difference(box(x, y, x + w, y + d))
    columns = [box(20, 10, 20.4, 10.4), box(40, 20, 40.4, 20.4)]

    def ctx() -> Ctx:
        bf = BandFloor(floor, columns, (30.0, 0.0), [], 1.5, 1.5)
        return Ctx(
            bf, StackSettings(), Geo(floor=floor, columns=[c.bounds for c in columns]), Polygon()
        )

    kept = ctx()
    # the remembered answers of the other column rule and of another band must not be given
    floor_runs(kept, y0, y0 + depth, narrow=not narrow)
    floor_runs(kept, y0, y0 + depth + 0.5, narrow=narrow)
    row_spans(kept.geo, y0, y0 + depth + 0.5, [])
    for _ in range(2):
        fresh = ctx()
        assert floor_runs(kept, y0, y0 + depth, narrow=narrow) == floor_runs(
            fresh, y0, y0 + depth, narrow=narrow
        )
        assert row_spans(kept.geo, y0, y0 + depth, []) == row_spans(fresh.geo, y0, y0 + depth, [])
