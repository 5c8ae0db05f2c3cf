"""Rooms take the strip of floor between them and a wall, within the growth allowed.

The expected rectangles are worked out by hand from the strip's depth, the room's programme
area and the growth share; the properties over generated rooms and strips are read from the
shapes (inside the free floor, a rectangle holding the old one, no thinner strip left behind).
"""

from __future__ import annotations

import dataclasses
from functools import cache
from typing import Any

import pytest
from hypothesis import given, settings, strategies as st
from shapely.geometry import Polygon, box
from shapely.ops import unary_union

from configurator.inputs.catalog import load_case
from configurator.layout.grow import absorb_leftovers, grow_rooms
from configurator.layout.rows import Placement
from configurator.layout.units import Unit, units_from_program
from configurator.sizing.program import program_from_case
from tests.common import EXAMPLES

EXAMPLE = {p.stem: p for p in EXAMPLES}


@cache
def _office() -> Unit:
    case = load_case(EXAMPLE["pori"])
    return next(u for u in units_from_program(program_from_case(case), case) if u.enclosed)


def room(area: float, rect: tuple[float, float, float, float], aspect: float = 3.0) -> Placement:
    unit = dataclasses.replace(_office(), id="office-1", area=area, max_aspect=aspect)
    return Placement(unit, rect, [("staff_corridor", "main")], "bottom")


def test_room_grows_to_the_facade_over_a_strip_that_ends_there() -> None:
    # a 3 x 4 m office (12 m²) with a 1.5 m strip above it up to the façade at y = 5.5:
    # 3 x 5.5 = 16.5 m² is 38 % over, within 50 %
    [grown] = grow_rooms([room(12.0, (0, 0, 3, 4))], box(-5, 4, 8, 5.5), share=0.5, entrances=[])
    assert grown.bounds == (0, 0, 3, 5.5)


def test_room_keeps_its_size_when_the_strip_needs_more_growth_than_allowed() -> None:
    [kept] = grow_rooms([room(12.0, (0, 0, 3, 4))], box(-5, 4, 8, 5.5), share=0.3, entrances=[])
    assert kept.bounds == (0, 0, 3, 4)


def test_room_does_not_cut_a_strip_that_runs_on() -> None:
    # 10 m of free floor above: taking 2 m of it would leave an 8 m strip no one reaches
    [kept] = grow_rooms([room(12.0, (0, 0, 3, 4))], box(-5, 4, 8, 14), share=0.5, entrances=[])
    assert kept.bounds == (0, 0, 3, 4)


def test_room_does_not_take_a_strip_narrower_than_itself() -> None:
    # the strip covers only 2 of the room's 3 m: the room would stop being a rectangle
    [kept] = grow_rooms([room(12.0, (0, 0, 3, 4))], box(1, 4, 8, 5.5), share=0.5, entrances=[])
    assert kept.bounds == (0, 0, 3, 4)


def test_room_keeps_clear_of_an_entrance_and_its_shape_limit() -> None:
    free = box(-5, 4, 8, 5.5)
    [kept] = grow_rooms([room(12.0, (0, 0, 3, 4))], free, share=0.5, entrances=[(1.5, 5.5)])
    assert kept.bounds == (0, 0, 3, 4)
    # 3 x 5.5 is 1.83:1, over a 1.5:1 limit
    [kept] = grow_rooms([room(12.0, (0, 0, 3, 4), aspect=1.5)], free, share=0.5, entrances=[])
    assert kept.bounds == (0, 0, 3, 4)


def test_two_rooms_do_not_both_take_one_strip() -> None:
    # two rooms facing each other across a 1 m gap: the first (by id) takes it, the other stays
    a = room(12.0, (0, 0, 3, 4))
    b = dataclasses.replace(room(12.0, (0, 5, 3, 9)), unit=dataclasses.replace(a.unit, id="b"))
    grown = grow_rooms([a, b], box(0, 4, 3, 5), share=0.5, entrances=[])
    assert unary_union([p.shape for p in grown]).area == 12 + 12 + 3
    assert grown[0].shape.intersection(grown[1].shape).area == 0


@settings(max_examples=60, deadline=None)
@given(
    w=st.floats(1.5, 6.0),
    d=st.floats(1.5, 6.0),
    strip=st.floats(0.1, 6.0),
    reach=st.floats(0.0, 3.0),
    share=st.floats(0.0, 1.0),
)
def test_growth_stays_on_free_floor_and_leaves_no_thinner_strip(
    w: float, d: float, strip: float, reach: float, share: float
) -> None:
    # the strip above the room runs `reach` m beyond it on the right
    free = box(0, d, w + reach, d + strip)
    before = room(w * d, (0, 0, w, d), aspect=10.0)
    [after] = grow_rooms([before], free, share=share, entrances=[])
    top = after.bounds[3]
    assert after.shape.area <= w * d * (1 + share) + 1e-6
    assert after.shape.contains(before.shape.buffer(-1e-9))
    assert after.shape.difference(before.shape).difference(free.buffer(1e-6)).area < 1e-6
    if after.bounds != before.bounds:
        # it took the strip's whole depth, never part of it
        assert abs(top - (d + strip)) < 1e-6
    elif strip >= 0.3 and w * (d + strip) <= w * d * (1 + share) - 1e-6:
        raise AssertionError("a strip within the growth allowed was left")


# --------------------------------------------------------------------------- what is left


def test_a_piece_beside_a_spare_area_joins_it_when_it_stays_wide_enough() -> None:
    spare = box(0, 0, 10, 5)
    # a 3 m strip beside it: the union, 13 × 5, is lettable; a 1 m strip would not be 3 m wide
    spares, _ = absorb_leftovers(
        box(10, 0, 13, 5), spares=[spare], spare_width=3.0, spare_room_m2=100.0,
        corridors=[], entrances=[], columns=[],
    )  # fmt: skip
    assert spares[0].area == pytest.approx(65.0)
    assert spares[0].symmetric_difference(box(0, 0, 13, 5)).area < 1e-6
    spares, _ = absorb_leftovers(
        box(10, 2, 13, 5), spares=[spare], spare_width=3.0, spare_room_m2=100.0,
        corridors=[], entrances=[], columns=[],
    )  # fmt: skip
    assert spares[0].area == pytest.approx(59.0), "an L with a 3 m leg is still lettable"
    spares, _ = absorb_leftovers(
        box(10, 4, 13, 5), spares=[spare], spare_width=3.0, spare_room_m2=100.0,
        corridors=[], entrances=[], columns=[],
    )  # fmt: skip
    assert spares[0].area == pytest.approx(50.0), "a 1 m tail is no lettable floor"


def test_a_spare_area_grows_only_within_the_surplus_and_clear_of_the_entrances() -> None:
    spare, strip = box(0, 0, 10, 5), box(10, 0, 13, 5)
    kw: dict[str, Any] = {"spare_width": 3.0, "corridors": [], "columns": []}
    spares, _ = absorb_leftovers(strip, spares=[spare], spare_room_m2=10.0, entrances=[], **kw)
    assert spares[0].area == pytest.approx(50.0)
    spares, _ = absorb_leftovers(
        strip, spares=[spare], spare_room_m2=100.0, entrances=[(13.0, 2.0)], **kw
    )
    assert spares[0].area == pytest.approx(50.0)


def test_a_piece_beside_a_corridor_widens_it_with_its_column_only_where_3m_wide() -> None:
    corridor = box(0, 0, 20, 1.2)
    empty_row = box(0, 1.2, 8, 4.0)  # a stretch of the staff row the programme leaves empty
    _, ways = absorb_leftovers(
        empty_row, spares=[], spare_width=3.0, spare_room_m2=0.0,
        corridors=[(corridor, 1.2)], entrances=[], columns=[],
    )  # fmt: skip
    assert ways[0].area == pytest.approx(20 * 1.2 + 8 * 2.8)
    # a column in the piece: the corridor is 4 m wide round it there, so it takes both
    column = box(4, 3, 4.4, 3.4)
    _, ways = absorb_leftovers(
        empty_row.difference(column), spares=[], spare_width=3.0, spare_room_m2=0.0,
        corridors=[(corridor, 1.2)], entrances=[], columns=[column],
    )  # fmt: skip
    assert ways[0].area == pytest.approx(20 * 1.2 + 8 * 2.8)
    assert ways[0].intersection(column).area == pytest.approx(column.area)
    assert not ways[0].interiors
    # only 2.6 m wide with the piece: a column in it would narrow the passage, so it stays
    # out; the piece (a hole round the column) goes in as the slabs either side of it
    narrow, column = box(0, 1.2, 8, 2.6), box(4, 1.8, 4.4, 2.2)
    _, ways = absorb_leftovers(
        narrow.difference(column), spares=[], spare_width=3.0, spare_room_m2=0.0,
        corridors=[(corridor, 1.2)], entrances=[], columns=[column],
    )  # fmt: skip
    assert ways[0].area == pytest.approx(corridor.area + (8 - 0.4) * 1.4)
    assert ways[0].intersection(column.buffer(0.01)).area < 0.01
    assert not ways[0].interiors
    # a piece that would close a ring round a room (a hole in the corridor) goes in parts
    # that leave no hole
    ring = box(0, 1.2, 20, 6).difference(box(2, 1.2, 18, 4))
    _, ways = absorb_leftovers(
        ring, spares=[], spare_width=3.0, spare_room_m2=0.0,
        corridors=[(corridor, 1.2)], entrances=[], columns=[],
    )  # fmt: skip
    assert len(ways[0].interiors) == 0
    # the ring's two ends (2 m × 4.8 m) go in; its top would close the ring and stays
    assert ways[0].area == pytest.approx(corridor.area + 2 * 2 * 4.8)


def test_a_strip_behind_rooms_of_many_depths_joins_the_corridor_without_its_teeth() -> None:
    # rooms of 30 depths along a 1.5 m corridor leave a strip with a 0.4 m tooth between each
    # pair of rooms: too many corners to cut in slabs; the corridor takes what a 1.5 m disc
    # sweeps of the strip and leaves the teeth
    corridor = box(0, 5, 60, 6.5)
    strip = box(0, 3, 60, 5)
    teeth = [box(2 * k + 1.6, 2.0 + 0.02 * k, 2 * k + 2.0, 3.0) for k in range(30)]
    piece = unary_union([strip, *teeth])
    _, ways = absorb_leftovers(
        piece, spares=[], spare_width=3.0, spare_room_m2=0.0,
        corridors=[(corridor, 1.5)], entrances=[], columns=[],
    )  # fmt: skip
    assert ways[0].symmetric_difference(box(0, 3, 60, 6.5)).area < 1e-3
    assert not ways[0].interiors


@pytest.mark.parametrize("along", ["x", "y"])
def test_a_column_in_a_narrow_jagged_strip_is_cut_across_it_and_the_rest_joins(along: str) -> None:
    # a 1.4 m strip behind 1.2 m corridor, with 30 bumps 1.3 m wide (too many corners for
    # slabs, and all of it as wide as the corridor): a column in the strip would stand where
    # the corridor is 2.6 m wide, so a cut across the strip at the column leaves it in a notch;
    # the same strip turned to run along y is cut across y, not along its whole length
    def drawn(x0: float, y0: float, x1: float, y1: float) -> Polygon:
        return box(x0, y0, x1, y1) if along == "x" else box(y0, x0, y1, x1)

    corridor = drawn(0, 0, 60, 1.2)
    bumps = [drawn(2 * k, 2.6, 2 * k + 1.3, 3.6 + 0.01 * k) for k in range(30)]
    column = drawn(31.5, 1.6, 31.9, 2.0)
    piece = unary_union([drawn(0, 1.2, 60, 2.6), *bumps]).difference(column)
    _, ways = absorb_leftovers(
        piece, spares=[], spare_width=3.0, spare_room_m2=0.0,
        corridors=[(corridor, 1.2)], entrances=[], columns=[column],
    )  # fmt: skip
    cut = drawn(31.5, 1.2, 31.9, 2.6)
    assert ways[0].area == pytest.approx(corridor.area + piece.difference(cut).area, abs=1e-3)
    assert ways[0].intersection(column).area < 1e-6
    assert not ways[0].interiors


def test_a_part_tried_before_its_neighbour_joined_is_tried_again() -> None:
    # an L of leftovers with a 0.3 m sliver (so it cannot go whole): cut in slabs, the largest
    # (10 m × 2 m, away from the corridor) comes first and shares no wall yet; once the 2 m arm
    # along the corridor has joined, it does
    corridor = box(0, 0, 12, 1.2)
    arm, top, sliver = box(0, 1.2, 2, 5), box(2, 3, 11.7, 5), box(11.7, 1.2, 12, 5)
    piece = unary_union([arm, top, sliver])
    _, ways = absorb_leftovers(
        piece, spares=[], spare_width=3.0, spare_room_m2=0.0,
        corridors=[(corridor, 1.2)], entrances=[], columns=[],
    )  # fmt: skip
    assert ways[0].area == pytest.approx(corridor.area + arm.area + top.area)
    assert not ways[0].interiors


def test_slabs_too_narrow_alone_go_together_as_far_as_the_corridor_sweeps_them() -> None:
    # a 2.8 m alcove with a 0.2 m × 2 m sliver on top: it cannot go whole (the sliver), and its
    # slabs (1.3, 0.2 and 1.3 m wide) cannot go alone; what is left goes together, swept
    corridor = box(0, 0, 12, 1.5)
    alcove, sliver = box(0, 1.5, 2.8, 5), box(1.3, 5, 1.5, 7)
    _, ways = absorb_leftovers(
        unary_union([alcove, sliver]), spares=[], spare_width=3.0, spare_room_m2=0.0,
        corridors=[(corridor, 1.5)], entrances=[], columns=[],
    )  # fmt: skip
    assert ways[0].symmetric_difference(unary_union([corridor, alcove])).area < 1e-3


def test_a_column_between_two_pieces_goes_into_one_space_only() -> None:
    # a grid column with leftover floor either side: the spare area on the west and the
    # corridor on the east may each take the floor beside it, but only one the column
    column = box(4.5, 3, 5.5, 6)
    free = box(0, 3, 10, 6).difference(column)
    spares, ways = absorb_leftovers(
        free, spares=[box(-3, 3, 0, 6)], spare_width=2.0, spare_room_m2=20.0,
        corridors=[(box(5.5, 0, 10, 3), 1.2)], entrances=[(50.0, 50.0)], columns=[column],
    )  # fmt: skip
    assert spares[0].intersection(ways[0]).area < 1e-6
    assert spares[0].intersection(column).area + ways[0].intersection(column).area == (
        pytest.approx(column.area)
    )


def test_a_column_against_a_narrow_piece_stands_in_a_notch_of_the_widened_corridor() -> None:
    corridor, column = box(0, 0, 20, 1.2), box(4, 2.2, 4.4, 2.6)
    piece = box(0, 1.2, 8, 2.6).difference(column)  # the column stands at the façade
    _, ways = absorb_leftovers(
        piece, spares=[], spare_width=3.0, spare_room_m2=0.0,
        corridors=[(corridor, 1.2)], entrances=[], columns=[column],
    )  # fmt: skip
    assert ways[0].area == pytest.approx(corridor.area + piece.area)
    assert ways[0].intersection(column).area == pytest.approx(0.0)


def test_a_column_in_a_piece_beside_a_spare_area_goes_with_it() -> None:
    spare, column = box(0, 0, 10, 5), box(11, 2, 11.4, 2.4)
    spares, _ = absorb_leftovers(
        box(10, 0, 13, 5).difference(column), spares=[spare], spare_width=3.0,
        spare_room_m2=100.0, corridors=[], entrances=[], columns=[column],
    )  # fmt: skip
    assert spares[0].symmetric_difference(box(0, 0, 13, 5)).area < 1e-6


def test_a_column_standing_in_the_strip_keeps_the_room_from_cutting_it() -> None:
    # a 2 m strip up to the façade with a 0.4 m column 1 m up in it: growing to the column
    # would leave a thinner strip beside and beyond it
    free = box(-5, 4, 8, 6).difference(box(1.3, 5.0, 1.7, 5.4))
    [kept] = grow_rooms([room(12.0, (0, 0, 3, 4))], free, share=1.0, entrances=[])
    assert kept.bounds == (0, 0, 3, 4)
    # without the column the room takes the strip to the façade
    [grown] = grow_rooms([room(12.0, (0, 0, 3, 4))], box(-5, 4, 8, 6), share=1.0, entrances=[])
    assert grown.bounds == (0, 0, 3, 6)


def test_a_room_of_20_m2_or_more_takes_a_strip_with_a_column_standing_in_it() -> None:
    column = box(1.3, 5.0, 1.7, 5.4)
    free = box(-5, 4, 8, 6).difference(column)
    # 3 × 6 = 18 m² grown: too small to hold a column (P106), so it stays as it is
    [kept] = grow_rooms([room(12.0, (0, 0, 3, 4))], free, share=1.0, entrances=[], columns=[column])
    assert kept.bounds == (0, 0, 3, 4)
    # 4 × 6 = 24 m² grown: it takes the strip to the façade, the column inside it
    [grown] = grow_rooms(
        [room(16.0, (0, 0, 4, 4))], free, share=0.5, entrances=[], columns=[column]
    )
    assert grown.bounds == (0, 0, 4, 6)
    assert grown.shape.contains(column)
    # a column no one passed in still blocks the strip like a wall
    [walled] = grow_rooms([room(16.0, (0, 0, 4, 4))], free, share=0.5, entrances=[])
    assert walled.bounds == (0, 0, 4, 4)
