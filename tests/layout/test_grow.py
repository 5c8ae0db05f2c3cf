"""Rooms take the strip of floor between them and a wall, within the growth allowed.

The expected rectangles are worked out by hand from the strip's depth, the room's programme
area and the growth share; the properties over generated rooms and strips are read from the
shapes (inside the free floor, a rectangle holding the old one, no thinner strip left behind).
"""

from __future__ import annotations

import dataclasses
from functools import cache

from hypothesis import given, settings, strategies as st
from shapely.geometry import box
from shapely.ops import unary_union

from configurator.inputs.catalog import load_case
from configurator.layout.grow import grow_rooms
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
