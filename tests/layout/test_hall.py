"""The hall's open areas: which go first into the rectangles nearest the entrance, where the
guard post is pulled to when it is arranged with them."""

from __future__ import annotations

from configurator.layout.hall import _beside, _share_order
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
