"""Shape helpers the layout's finishing steps share: cleaning set results, parts, shared walls."""

from __future__ import annotations

import numpy as np
import shapely
from shapely.geometry import Polygon, box as _drawn_box
from shapely.geometry.base import BaseGeometry

__all__ = ["box", "clean", "polygon", "polygons", "shared"]


def box(x0: float, y0: float, x1: float, y1: float) -> Polygon:
    """Return the rectangle x0..x1 by y0..y1 exactly as ``shapely.geometry.box`` draws it.

    That constructor builds the ring in Python (about 10 µs, and the layout makes tens of
    thousands of boxes); where the rectangle has width and height, shapely's array constructor
    makes the same five corners in the same order (the same WKB) in a fifth of the time. A
    degenerate one (a line, a point, NaN) goes the slow way, which drops its repeated corner.
    """
    if (x0 < x1 or x1 < x0) and (y0 < y1 or y1 < y0):
        made: Polygon = shapely.box(x0, y0, x1, y1)
        return made
    return _drawn_box(x0, y0, x1, y1)


def polygon(corners: list[tuple[float, float]]) -> Polygon:
    """Return the polygon with these corners (a list of at least three (x, y) pairs), exactly
    as ``Polygon(corners)`` makes it (the same WKB), without its per-corner Python loop."""
    made: Polygon = shapely.polygons(np.asarray(corners, dtype=float))
    return made


def clean(shape: Polygon) -> Polygon:
    """Drop the hair-thin spikes and slivers that set operations leave along shared walls."""
    cleaned = shape.buffer(-1e-4, join_style="mitre").buffer(1e-4, join_style="mitre")
    if cleaned.geom_type != "Polygon":
        cleaned = max(polygons(cleaned), key=lambda g: g.area)
    simplified = cleaned.simplify(1e-5, preserve_topology=True)
    assert isinstance(simplified, Polygon), "simplifying a polygon keeps it one"
    return simplified


def polygons(geometry: BaseGeometry) -> list[Polygon]:
    """Return the polygons of a geometry (itself, or the polygon parts of a collection)."""
    return [g for g in getattr(geometry, "geoms", [geometry]) if isinstance(g, Polygon)]


_NEAR_M = 1e-4
"""Bounding boxes further apart than this share no outline (the test below grows by 1e-5)."""


def shared(a: BaseGeometry, b: BaseGeometry) -> float:
    """Return the length of outline two areas share.

    Areas whose bounding boxes lie apart share none: that answer (0) costs no buffer; the
    layout asks it of every corridor for every leftover piece, most of them far away.
    """
    ax0, ay0, ax1, ay1 = a.bounds
    bx0, by0, bx1, by1 = b.bounds
    if ax0 > bx1 + _NEAR_M or bx0 > ax1 + _NEAR_M or ay0 > by1 + _NEAR_M or by0 > ay1 + _NEAR_M:
        return 0.0
    line = a.boundary.intersection(b.buffer(1e-5))
    return float(line.length)
