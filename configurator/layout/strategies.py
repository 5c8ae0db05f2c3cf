"""The three layout strategies as band stacks: which side is deepest and where the hall is.

* **linear**: bands parallel to the entrance façade, staff along the far façade, the hall across
  the front, corridors tied to it by spines;
* **hub**: the same bands, but a hall column runs from the entrance up to the staff corridor and
  the corridors of both wings open onto it;
* **split**: bands perpendicular to the entrance façade, staff along the side façade nearer
  the staff entrance, every corridor opening onto a hall along the front.

All work in the building's local frame (entrance façade at the bottom); the stack itself works
in a band frame turned by quarter turns so that its deepest side is at the top.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from typing import Literal

from shapely import affinity
from shapely.geometry import Polygon, box
from shapely.geometry.base import BaseGeometry

from configurator.layout.bands import BandFloor, Sketch, StackSettings, stack_layout
from configurator.layout.stack import front_depth
from configurator.layout.units import Unit

__all__ = ["STRATEGIES", "QuarterFrame", "Strategy", "sketch_for"]

Strategy = Literal["linear", "hub", "split"]
STRATEGIES: tuple[Strategy, ...] = ("linear", "hub", "split")

HALL_SLACK = 1.25
"""Hall floor over the open areas it holds: the rest is the hall's own walking space."""


@dataclass(frozen=True)
class QuarterFrame:
    """A turn by quarter turns (counter-clockwise) then a shift: local frame → band frame."""

    turns: int
    dx: float
    dy: float

    @staticmethod
    def fitting(floor: Polygon, turns: int) -> QuarterFrame:
        """Return the frame turning a floor by ``turns`` and shifting it to start at (0, 0)."""
        turned = affinity.rotate(floor, 90 * turns, origin=(0, 0))
        minx, miny, _, _ = turned.bounds
        return QuarterFrame(turns % 4, -minx, -miny)

    def point(self, p: tuple[float, float]) -> tuple[float, float]:
        """Map a local point into the band frame."""
        x, y = p
        for _ in range(self.turns):
            x, y = -y, x
        return (round(x + self.dx, 9), round(y + self.dy, 9))

    def point_back(self, p: tuple[float, float]) -> tuple[float, float]:
        """Map a band point back into the local frame."""
        x, y = p[0] - self.dx, p[1] - self.dy
        for _ in range(self.turns):
            x, y = y, -x
        return (round(x, 9), round(y, 9))

    def shape(self, g: BaseGeometry) -> BaseGeometry:
        """Map a local geometry into the band frame."""
        turned = affinity.rotate(g, 90 * self.turns, origin=(0, 0))
        return affinity.translate(turned, self.dx, self.dy)

    def shape_back(self, g: BaseGeometry) -> BaseGeometry:
        """Map a band geometry back into the local frame."""
        moved = affinity.translate(g, -self.dx, -self.dy)
        return affinity.rotate(moved, -90 * self.turns, origin=(0, 0))


def sketch_for(
    strategy: Strategy,
    *,
    floor: Polygon,
    columns: list[Polygon],
    entrance: tuple[float, float],
    staff_doors: list[tuple[tuple[float, float], float]],
    units: list[Unit],
    visitor_w: float,
    staff_w: float,
    rng: random.Random,
    variant: int,
    hall_rooms_m2: float = 0.0,
    solids: list[Polygon] | None = None,
    windows: list[tuple[tuple[float, float], tuple[float, float]]] | None = None,
) -> tuple[Sketch, QuarterFrame]:
    """Lay the units out with one strategy in the local floor; return the sketch and its frame.

    ``variant`` picks among the strategy's alternatives (spine position, side, column width)
    so that the seeds give different options; ``hall_rooms_m2`` is the floor that rooms set
    in the hall itself (the guard post by the door) take from it; ``windows`` are the windowed
    façade segments, which rooms that need daylight take first.
    """
    if strategy == "split":
        sides = _split_sides(floor, staff_doors)
        right = sides[variant % len(sides)]
        frame = QuarterFrame.fitting(floor, 1 if right else 3)
    else:
        frame = QuarterFrame.fitting(floor, 0)
    band = _band_floor(
        frame, floor, columns, entrance, staff_doors, visitor_w, staff_w, solids or []
    )
    band.windows = [(frame.point(a), frame.point(b)) for a, b in windows or []]
    need = HALL_SLACK * sum(u.area for u in units if u.category == "open") + hall_rooms_m2
    # Variants, one per seed: the spine's place, the hub column's width or the split's side
    # first; then rooms packed in the seed's order; then the staff link moved along.
    if strategy == "linear":
        settings = StackSettings(
            spines=True, spine_shift=(0.0, -3.0, 3.0, -6.0, 6.0)[variant % 5], hall_need=need
        )
        rest = variant // 5
    elif strategy == "hub":
        settings = StackSettings(
            hall_column=_hub_column(band, need, variant), spines=False, hall_need=need
        )
        rest = variant // 4
    else:
        settings = StackSettings(
            hall_region=_front_region(frame, floor, need), spines=False, hall_need=need
        )
        rest = variant // 2
    settings = replace(
        settings, shuffle=rest % 2 == 1, link_shift=(3.0, -4.0, 9.0)[(rest // 2) % 3]
    )
    return stack_layout(band, units, settings=settings, rng=rng), frame


def _band_floor(
    frame: QuarterFrame,
    floor: Polygon,
    columns: list[Polygon],
    entrance: tuple[float, float],
    staff_doors: list[tuple[tuple[float, float], float]],
    visitor_w: float,
    staff_w: float,
    solids: list[Polygon],
) -> BandFloor:
    turned = frame.shape(floor)
    assert isinstance(turned, Polygon), "a turned polygon is a polygon"
    return BandFloor(
        floor=turned,
        columns=[p for c in columns if isinstance(p := frame.shape(c), Polygon)],
        entrance=frame.point(entrance),
        staff_doors=[(frame.point(p), w) for p, w in staff_doors],
        visitor_w=visitor_w,
        staff_w=staff_w,
        solids=[p for c in solids if isinstance(p := frame.shape(c), Polygon)],
    )


def _split_sides(
    floor: Polygon, staff_doors: list[tuple[tuple[float, float], float]]
) -> list[bool]:
    """Return the side façades to put the staff band on, the staff entrance's side first."""
    minx, _, maxx, _ = floor.bounds
    if staff_doors:
        (x, _), _ = staff_doors[0]
        first = x >= (minx + maxx) / 2
        return [first, not first]
    return [True, False]


def _hub_column(band: BandFloor, need: float, variant: int) -> tuple[float, float]:
    """Return the x-range of the hub's hall column, centred on the entrance."""
    minx, _, maxx, _ = band.floor.bounds
    width = (4.0, 6.0, 5.0, 7.0)[variant % 4]
    x = band.entrance[0]
    a = min(max(x - width / 2, minx + 4.0), maxx - 4.0 - width)
    return (a, a + width)


def _front_region(frame: QuarterFrame, floor: Polygon, need: float) -> Polygon:
    """Return the front band of the floor (in the band frame) that holds the hall's need."""
    minx, miny, maxx, _ = floor.bounds
    depth = max(front_depth(floor, need), miny + 4.0)
    region = floor.intersection(box(minx - 1, miny - 1, maxx + 1, depth))
    turned = frame.shape(region)
    if turned.geom_type != "Polygon":
        parts = list(getattr(turned, "geoms", []))
        turned = max(parts, key=lambda g: g.area) if parts else Polygon()
    assert isinstance(turned, Polygon), "the front region is one polygon"
    return turned
