"""Shape helpers the layout's finishing steps share: cleaning set results, parts, shared walls."""

from __future__ import annotations

from shapely.geometry import Polygon
from shapely.geometry.base import BaseGeometry

__all__ = ["clean", "polygons", "shared"]


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


def shared(a: BaseGeometry, b: BaseGeometry) -> float:
    """Return the length of outline two areas share."""
    line = a.boundary.intersection(b.buffer(1e-5))
    return float(line.length)
