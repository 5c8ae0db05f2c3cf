"""Doors and hall pieces as the plan is assembled: hand-built rooms and halls.

A door opens onto floor a person can stand on (not a hand's breadth of hall left between two
rooms), never straddles two pieces of a hall, and a hall cut into pieces round a room standing
in it leaves each wall of that room on one piece.
"""

from __future__ import annotations

import itertools

from hypothesis import given, settings, strategies as st
from shapely.geometry import LineString, Point, Polygon, box

from configurator.layout.assemble import _door_among, _without_holes


def test_a_door_opens_onto_the_deep_side_not_onto_a_longer_sliver() -> None:
    # a 2.2 × 2.3 m WC: hall 0.15 m wide along its 2.3 m right wall, 2 m deep below its 2.2 m
    wc = box(0.0, 0.0, 2.2, 2.3)
    hall = box(-3.0, -2.0, 6.0, 0.0).union(box(2.2, -2.0, 2.35, 2.3))
    found = _door_among(wc, [hall], Polygon())
    assert found is not None
    (x, y), _, width = found[0]
    assert abs(y) < 1e-9, "on the bottom wall"
    assert 0.5 < x < 1.7
    assert width == 1.0
    # with no deep side the sliver is still better than no door
    only = _door_among(wc, [box(2.2, -0.5, 2.35, 2.8)], Polygon())
    assert only is not None
    assert abs(only[0][0][0] - 2.2) < 1e-9


def test_a_door_never_straddles_two_pieces_of_the_hall() -> None:
    # the wall below the room is shared by two pieces meeting at its middle
    room = box(0.0, 0.0, 4.0, 3.0)
    left, right = box(-2.0, -3.0, 2.0, 0.0), box(2.0, -3.0, 6.0, 0.0)
    found = _door_among(room, [left, right], Polygon())
    assert found is not None
    (mid, _, width), k = found
    piece = (left, right)[k]
    half = width / 2
    for end in ((mid[0] - half, -0.05), (mid[0] + half, -0.05)):
        assert piece.contains(Point(end)), "the whole opening faces the piece it names"


@settings(max_examples=40, deadline=None)
@given(
    x=st.floats(1.0, 14.0),
    y=st.floats(1.0, 6.0),
    w=st.floats(1.0, 4.0),
    d=st.floats(1.0, 3.0),
    turn=st.floats(0.0, 80.0),
)
def test_a_hall_round_a_room_is_cut_along_the_rooms_side(
    x: float, y: float, w: float, d: float, turn: float
) -> None:
    """Every wall of a room standing in the hall lies on one piece's outline (so its door,
    at the wall's middle, faces one piece); the pieces have no holes and make the hall."""
    from shapely import affinity

    hall = box(0.0, 0.0, 20.0, 10.0)
    hole = box(x, y, min(x + w, 19.0), min(y + d, 9.0))
    if turn:  # a room set at an angle in the hall (its walls are not along the cut)
        hole = affinity.rotate(hole, turn, origin="centroid")
        if not hall.buffer(-0.2).contains(hole):
            return
    pieces = _without_holes(hall.difference(hole))
    assert all(not p.interiors for p in pieces)
    assert abs(sum(p.area for p in pieces) - hall.area + hole.area) < 1e-6
    if turn:
        return
    corners = list(hole.exterior.coords)
    for a, b in itertools.pairwise(corners):
        wall = LineString([a, b])
        assert any(p.exterior.buffer(1e-7).contains(wall) for p in pieces), wall.wkt
