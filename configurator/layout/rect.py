"""Axis-aligned rectangles, the unit the hall arrangement and the block solver exchange."""

from __future__ import annotations

from dataclasses import dataclass

from shapely.geometry import Polygon

from configurator.layout.shapes import box

__all__ = ["EPS", "Rect"]

EPS = 1e-6
Point = tuple[float, float]


@dataclass(frozen=True)
class Rect:
    """An axis-aligned rectangle, (x0, y0) lower left, (x1, y1) upper right."""

    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def width(self) -> float:
        """Return the extent along x."""
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        """Return the extent along y."""
        return self.y1 - self.y0

    @property
    def area(self) -> float:
        """Return the area."""
        return self.width * self.height

    @property
    def centre(self) -> Point:
        """Return the centre point."""
        return ((self.x0 + self.x1) / 2, (self.y0 + self.y1) / 2)

    def corners(self) -> list[Point]:
        """Return the corners counter-clockwise from the lower left."""
        return [(self.x0, self.y0), (self.x1, self.y0), (self.x1, self.y1), (self.x0, self.y1)]

    def shape(self) -> Polygon:
        """Return the rectangle as a shapely polygon."""
        return box(self.x0, self.y0, self.x1, self.y1)
