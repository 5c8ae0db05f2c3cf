"""The hall's open areas: which go first into the rectangles nearest the entrance, where the
guard post is pulled to when it is arranged with them, and the hall's largest rectangle
(checked against measuring every band on its own)."""

from __future__ import annotations

import math

from hypothesis import given, settings, strategies as st
from shapely import affinity
from shapely.geometry import box
from shapely.geometry.base import BaseGeometry

from configurator.layout.hall import _beside, _share_order, largest_rectangle
from configurator.layout.stack import free_runs
from tests.layout.test_rows import _units


def test_the_guard_post_is_pulled_a_few_steps_aside_of_the_door_to_the_wider_side() -> None:
    assert _beside(2.0, 20.0) == 5.0  # more hall to the right of the door
    assert _beside(18.0, 20.0) == 15.0  # more to the left
    assert _beside(1.0, 3.0) == 3.0  # no further than the rectangle
    assert _beside(2.5, 3.0) == 0.0


def test_arrival_and_the_guard_post_come_first_then_what_needs_daylight() -> None:
    """The first rectangle lies at the entrance, on its façade: the lobby, the guide desk and
    the guard post go there first, then the waiting lounge (daylight required) and the quick
    service counter (a work place), then the rest by zone."""
    hall = [u for u in _units() if u.category == "open" or u.serves_lobby]
    order = [u.id for u in sorted(hall, key=_share_order)]
    first = {u.id for u in hall if u.zone_order == 1 or u.serves_lobby}
    lit = {"waiting_lounge", "quick_service_counter"}
    assert set(order[: len(first)]) == first
    assert "guard_post" in first
    assert set(order[len(first) : len(first) + len(lit)]) == lit


def _largest_by_every_band(area: BaseGeometry) -> float:
    """The largest rectangle's area by the plain method: every band between two of the area's
    corner levels measured with free_runs on its own."""
    ys = sorted({round(y, 6) for part in getattr(area, "geoms", [area]) for ring in
                 [part.exterior, *part.interiors] for _, y in ring.coords})  # fmt: skip
    best = 0.0
    for i, lo in enumerate(ys):
        for hi in ys[i + 1 :]:
            for a, b in free_runs(area, lo, hi, columns=[], narrow=False):
                best = max(best, (b - a) * (hi - lo))
    return best


@settings(max_examples=60, deadline=None)
@given(
    cuts=st.lists(
        st.tuples(st.floats(0, 30), st.floats(0, 20), st.floats(1, 12), st.floats(1, 8)),
        min_size=1,
        max_size=4,
    ),
    turn=st.sampled_from([0.0, 0.0, 17.0, 40.0]),
)
def test_the_largest_rectangle_is_as_large_as_measuring_every_band_finds(
    cuts: list[tuple[float, float, float, float]], turn: float
) -> None:
    """Halls with rooms and cores cut out of them (some turned, so with slanted sides): the
    rectangle found lies in the hall and is as large as the plain search over every band."""
    hall: BaseGeometry = affinity.rotate(box(0, 0, 36, 24), turn, origin=(0, 0))
    for x, y, w, d in cuts:
        hall = hall.difference(box(x, y, x + w, y + d))
    if hall.is_empty or hall.area < 1.0:
        return
    x0, y0, x1, y1 = largest_rectangle(hall, near=(0.0, 0.0))
    found = (x1 - x0) * (y1 - y0)
    assert hall.buffer(1e-6).contains(box(x0, y0, x1, y1))
    assert found >= 0.9 * _largest_by_every_band(hall) - 1e-6  # (within 10 %: nearest wins)
    x0, y0, x1, y1 = largest_rectangle(hall)
    assert math.isclose((x1 - x0) * (y1 - y0), _largest_by_every_band(hall), abs_tol=1e-6)
