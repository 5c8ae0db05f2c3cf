"""The geometry layout and review share: clear widths, the building's own frame."""

from __future__ import annotations

import math

import pytest
from shapely import affinity
from shapely.geometry import Polygon

from configurator.model.geometry import BuildingFrame, clear_width, dominant_angle, measured_width


def rect(x0: float, y0: float, x1: float, y1: float) -> list[tuple[float, float]]:
    return [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]


@pytest.mark.parametrize(
    ("shape", "width", "expected"),
    [
        (Polygon(rect(0, 0, 10, 1.5)), 1.5, True),
        (Polygon(rect(0, 0, 10, 1.49)), 1.5, False),
        (Polygon([(0, 0), (10, 0), (10, 3), (0, 1.6)]), 1.5, True),  # a trapezoid
        (Polygon([(0, 0), (10, 0), (10, 0.5), (0.5, 0.5), (0.5, 5), (0, 5)]), 1.0, False),
        (Polygon([(0, 0), (6, 0), (6, 1.5), (1.5, 1.5), (1.5, 6), (0, 6)]), 1.5, True),  # an L
    ],
)
def test_clear_width(shape: Polygon, width: float, expected: bool) -> None:
    assert clear_width(shape, width) is expected


def test_clear_width_of_a_turned_rectangle_whose_opening_geos_cannot_intersect() -> None:
    """Regression: a 3.5 × 1.8 m locker room of the small town turned by 38° (coordinates at
    0.1 mm): GEOS's floating overlay gave its opening and itself an empty intersection, so the
    audit called a 1.8 m wide room narrower than 1.0 m (P403)."""
    lockers = Polygon(
        [(-1.171, 115.884), (-3.929, 113.7292), (-2.8208, 112.3108), (-0.0628, 114.4656)]
    )
    assert clear_width(lockers, 1.0)
    assert clear_width(lockers, 1.79)
    assert not clear_width(lockers, 1.9)


@pytest.mark.parametrize("degrees", [0.0, 12.0, 38.0, 45.0])
def test_measured_width_is_the_short_side_whichever_way_it_is_turned(degrees: float) -> None:
    corridor = affinity.rotate(Polygon(rect(0, 0, 12, 1.2)), degrees, origin=(0, 0))
    assert measured_width(corridor) == pytest.approx(1.2, abs=0.01)


@pytest.mark.parametrize("degrees", [0.0, 12.0, 38.0, 80.0])
def test_the_frame_turns_a_building_back_onto_the_axes(degrees: float) -> None:
    outline = affinity.rotate(Polygon(rect(0, 0, 20, 8)), degrees, origin=(0, 0))
    corners = [(x, y) for x, y in list(outline.exterior.coords)[:-1]]
    assert math.degrees(dominant_angle(corners)) == pytest.approx(degrees % 90.0, abs=1e-6)
    frame = BuildingFrame.for_footprint(corners, corners[0])
    local = frame.polygon_to_local(outline)
    minx, miny, maxx, maxy = local.bounds
    assert local.area == pytest.approx((maxx - minx) * (maxy - miny)), "walls on the axes"
    back = frame.ring_to_world([(x, y) for x, y in list(local.exterior.coords)[:-1]])
    # local coordinates are rounded to the micrometre (so a turned copy maps to the same floor)
    assert Polygon(back).hausdorff_distance(outline) < 1e-4
