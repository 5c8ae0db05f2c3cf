"""Generate ordinary building footprints for property tests and the layout-rate benchmark.

A footprint is drawn in its own frame (entrance façade at the bottom), sized to a multiple of
a programme's gross area, then turned by any angle about a far-away point, as a drawing on a
site grid would be. Kinds: rectangle, L, U, T, a chamfered corner, a trapezoid; extras: a
stair core, a courtyard, a column grid, a side entrance.
"""

from __future__ import annotations

import itertools
import math
import random
from dataclasses import dataclass
from typing import Any, Literal

from shapely import affinity
from shapely.geometry import LineString, Point, Polygon, box

__all__ = ["EXTRAS", "KINDS", "FootprintCase", "footprint_case", "turn_footprint"]

Kind = Literal["rectangle", "L", "U", "T", "chamfer", "trapezoid"]
KINDS: tuple[Kind, ...] = ("rectangle", "L", "U", "T", "chamfer", "trapezoid")
Extra = Literal["none", "core", "courtyard", "columns", "side_door"]
EXTRAS: tuple[Extra, ...] = ("none", "core", "courtyard", "columns", "side_door")


@dataclass(frozen=True)
class FootprintCase:
    """A generated footprint and how it was made (for messages and rates by kind)."""

    kind: Kind
    extra: Extra
    angle: float
    ratio: float
    footprint: dict[str, Any]

    def __str__(self) -> str:
        return f"{self.kind}+{self.extra} turned {self.angle:.0f}° at {self.ratio:.2f}× gross"


def _outline(kind: Kind, w: float, d: float, rng: random.Random) -> Polygon:
    """Return an outline of a kind in a w × d box, entrance façade along y = 0."""
    if kind == "rectangle":
        return box(0, 0, w, d)
    if kind == "L":
        cut_w, cut_d = w * rng.uniform(0.35, 0.55), d * rng.uniform(0.35, 0.55)
        right = rng.random() < 0.5
        notch = box(w - cut_w, d - cut_d, w, d) if right else box(0, d - cut_d, cut_w, d)
        return box(0, 0, w, d).difference(notch)
    if kind == "U":
        cut_w, cut_d = w * rng.uniform(0.25, 0.4), d * rng.uniform(0.3, 0.45)
        x0 = (w - cut_w) / 2
        return box(0, 0, w, d).difference(box(x0, d - cut_d, x0 + cut_w, d))
    if kind == "T":
        cut_w, cut_d = w * rng.uniform(0.15, 0.3), d * rng.uniform(0.25, 0.45)
        return (
            box(0, 0, w, d)
            .difference(box(0, 0, cut_w, cut_d))
            .difference(box(w - cut_w, 0, w, cut_d))
        )
    if kind == "chamfer":
        c = min(w, d) * rng.uniform(0.15, 0.35)
        return Polygon([(0, 0), (w, 0), (w, d - c), (w - c, d), (0, d)])
    shrink = w * rng.uniform(0.05, 0.2)
    return Polygon([(0, 0), (w, 0), (w - shrink, d), (0, d)])


def footprint_case(
    rng: random.Random,
    *,
    gross_m2: float,
    ratio: float | None = None,
    kind: Kind | None = None,
    extra: Extra | None = None,
) -> FootprintCase:
    """Return a random footprint of ``ratio`` × the programme's gross area (1.6–2.6 if None),
    of a random kind and extra unless given."""
    kind_: Kind = kind if kind is not None else rng.choice(KINDS)
    extra_: Extra = extra if extra is not None else rng.choice(EXTRAS)
    ratio = ratio if ratio is not None else rng.uniform(1.6, 2.6)
    aspect = rng.uniform(1.1, 2.2)
    shape = _outline(kind_, aspect, 1.0, rng)
    scale = math.sqrt(ratio * gross_m2 / shape.area)
    shape = affinity.scale(shape, scale, scale, origin=(0, 0))
    x0, y0, x1, y1 = shape.bounds
    w, d = x1 - x0, y1 - y0
    obstacles: list[dict[str, Any]] = []
    if extra_ == "core":
        cw, cd = rng.uniform(4, 7), rng.uniform(4, 7)
        cx, cy = rng.uniform(0.2, 0.8) * (w - cw), rng.uniform(0.5, 0.8) * (d - cd)
        core = box(cx, cy, cx + cw, cy + cd)
        if shape.buffer(-1.0).contains(core):
            obstacles.append({"id": "core", "kind": "stair", "polygon": _ring(core)})
    elif extra_ == "courtyard":
        cw, cd = w * rng.uniform(0.15, 0.25), d * rng.uniform(0.15, 0.25)
        cx, cy = (w - cw) / 2, d * rng.uniform(0.45, 0.6)
        yard = box(cx, cy, cx + cw, cy + cd)
        if shape.buffer(-3.0).contains(yard):
            obstacles.append({"id": "courtyard", "kind": "courtyard", "polygon": _ring(yard)})
    elif extra_ == "columns":
        step, size = rng.uniform(6.0, 9.0), rng.uniform(0.3, 0.6)
        inner = shape.buffer(-1.0)
        k = 0
        for i in range(1, int(w / step) + 1):
            for j in range(1, int(d / step) + 1):
                c = box(
                    i * step - size / 2,
                    j * step - size / 2,
                    i * step + size / 2,
                    j * step + size / 2,
                )
                if inner.contains(c):
                    k += 1
                    obstacles.append({"id": f"column_{k}", "kind": "column", "polygon": _ring(c)})
    front = [seg for seg in _edges(shape) if abs(seg[0][1]) < 1e-6 and abs(seg[1][1]) < 1e-6]
    (ax, _), (bx, _) = max(front, key=lambda s: abs(s[1][0] - s[0][0]))
    lo, hi = sorted((ax, bx))
    main_x = lo + (hi - lo) * rng.uniform(0.25, 0.75)
    entrances: list[dict[str, Any]] = [
        {"id": "main_door", "at": [main_x, 0.0], "width_m": 2.0, "kind": "main"}
    ]
    staff = _staff_door(shape, rng)
    if staff is not None:
        entrances.append({"id": "staff_door", "at": list(staff), "width_m": 1.2, "kind": "staff"})
    if extra_ == "side_door":
        side_x = lo + (hi - lo) * (0.1 if main_x > (lo + hi) / 2 else 0.9)
        entrances.append({"id": "side_door", "at": [side_x, 0.0], "width_m": 1.8, "kind": "side"})
    footprint = {
        "polygon": _ring(shape),
        "entrances": entrances,
        "windows": "all",
        "obstacles": obstacles,
    }
    angle = rng.choice([0.0, rng.uniform(0.0, 360.0)])
    return FootprintCase(kind_, extra_, angle, ratio, turn_footprint(footprint, angle))


def _staff_door(shape: Polygon, rng: random.Random) -> tuple[float, float] | None:
    """Return a staff door on an outer side or back façade, in the back half of the building.

    Outer: on the convex hull, so not inside a U's courtyard notch (the layout does not serve
    a staff entrance there yet; the README says so).
    """
    _, _, _, d = shape.bounds
    hull = shape.convex_hull.exterior
    candidates = []
    for (ax, ay), (bx, by) in _edges(shape):
        length = math.hypot(bx - ax, by - ay)
        if length < 4.0 or LineString([(ax, ay), (bx, by)]).distance(hull) > 1e-6:
            continue
        if hull.distance(Point((ax + bx) / 2, (ay + by) / 2)) > 1e-6:
            continue
        for t in (0.3, 0.5, 0.7):
            x, y = ax + (bx - ax) * t, ay + (by - ay) * t
            if y > 0.55 * d:
                candidates.append((x, y))
    return rng.choice(candidates) if candidates else None


def turn_footprint(footprint: dict[str, Any], angle: float) -> dict[str, Any]:
    """Return a footprint turned by ``angle`` degrees about a point far from the building."""
    if angle == 0.0:
        return footprint
    origin = (-137.0, 53.0)

    def turn(p: list[float]) -> list[float]:
        q = affinity.rotate(Point(p), angle, origin=origin)
        return [q.x, q.y]

    out = dict(footprint)
    out["polygon"] = [turn(p) for p in footprint["polygon"]]
    out["entrances"] = [{**e, "at": turn(e["at"])} for e in footprint["entrances"]]
    out["obstacles"] = [
        {**o, "polygon": [turn(p) for p in o["polygon"]]} for o in footprint["obstacles"]
    ]
    windows = footprint.get("windows", "all")
    if windows != "all":
        out["windows"] = [[turn(a), turn(b)] for a, b in windows]
    return out


def _ring(shape: Polygon) -> list[list[float]]:
    return [[float(x), float(y)] for x, y in list(shape.exterior.coords)[:-1]]


def _edges(shape: Polygon) -> list[tuple[tuple[float, float], tuple[float, float]]]:
    coords = list(shape.exterior.coords)
    return [((a[0], a[1]), (b[0], b[1])) for a, b in itertools.pairwise(coords)]
