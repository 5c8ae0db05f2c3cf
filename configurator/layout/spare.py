"""Keep the floor the programme does not need as lettable spare areas along the façade.

Where the building is larger than the programme, the floor left under the bands is a hall far
larger than the open areas need. The hall keeps the size the programme asks for (its open
areas, the guard post and the walking room the circulation factor leaves after the corridors);
the rest is cut off as one to a few rectangles against the façade, away from the entrances,
each opening onto the hall through a walkway kept along the rooms (so a tenant never walks
through staff or private space). Floor the bands left over beside the hall or a visitor corridor
is kept spare too where it is large and wide enough to let.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass

from shapely.geometry import LineString, Point, Polygon
from shapely.geometry.base import BaseGeometry
from shapely.ops import unary_union

from configurator.layout.hall import largest_rectangle
from configurator.layout.shapes import box, clean, polygons, shared
from configurator.model.geometry import clear_width
from configurator.model.schema import SpareSettings

__all__ = [
    "ONE_EXIT_WALK_M",
    "STREET_DOOR_M",
    "LeftoverSpare",
    "SpareBrief",
    "carve_spares",
    "hall_need",
    "leftover_spares",
    "street_door",
]

_WALK_SHARE = 0.35
"""Walking room the hall keeps beside its open areas, as a share of them, at the least (a
judgement: 1.2-1.8 m aisles between areas 4-6 m deep)."""
_ENTRANCE_CLEAR_M = 3.0
"""No spare area comes this close (m) to an entrance: the door opens onto the hall."""
_MAIN_CLEAR_M = 6.0
"""Nor this close (m, each way) to the main entrance: the lobby and the guard post stand there."""
_DOOR_WALL_M = 1.2
"""A spare area shares at least this much wall (m) with the hall, for its door."""
STREET_DOOR_M = 1.2
"""Clear width of a spare area's own door in the façade: its only exit (YM 848/2017 §34)."""
ONE_EXIT_WALK_M = 30.0
"""The farthest point of a spare area with only its own door is this close to it, at the most
(§32 Table 10: 30 m to the nearest exit where there is one)."""
_WALK_IN_HAND = 0.85
"""The straight walk to a spare area's own door is kept this far under the limit: a review
measuring it on a grid, off the walls, may find it up to 8 % and 1.5 m longer."""
_JAMB_M = 0.5
"""Wall kept between a new door's opening and the corner of its façade stretch (m)."""
_STEP_M = 0.25
"""Places tried for a new door along the façade, this far apart (m)."""
_CONVEX_SLACK = 0.02
"""A piece let with its own door is convex to within this share of its area: the walk from
its farthest corner to the door is then straight."""


@dataclass(frozen=True)
class LeftoverSpare:
    """A piece of leftover floor kept spare: what it opens onto, or its own façade door."""

    shape: Polygon
    onto: BaseGeometry | None
    """The hall or visitor corridor its door opens onto (None: it has its own façade door)."""
    street: tuple[float, float] | None
    """The middle of its own door in the façade (band frame), when it opens onto nothing."""


@dataclass(frozen=True)
class SpareBrief:
    """What the layout may keep as spare: the settings and the surplus over the programme."""

    settings: SpareSettings
    surplus_m2: float
    """Usable floor less the programme's usable area (0: nothing is kept spare)."""
    circulation_m2: float
    """The programme's circulation (corridors and walking room in the hall)."""
    walk_m: float
    """Width of the walkway kept between the rooms and a spare area."""


def hall_need(*, open_m2: float, lobby_m2: float, corridors_m2: float, brief: SpareBrief) -> float:
    """Return the hall the programme asks for: open areas, guard post and walking room.

    The walking room is what the circulation factor leaves after the corridors, and never less
    than :data:`_WALK_SHARE` of the open areas.
    """
    walk = max(brief.circulation_m2 - corridors_m2, _WALK_SHARE * open_m2)
    return open_m2 + lobby_m2 + walk


def carve_spares(
    hall: Polygon,
    *,
    floor: Polygon,
    need_m2: float,
    entrances: list[tuple[float, float]],
    main: tuple[float, float],
    brief: SpareBrief,
) -> tuple[Polygon, list[Polygon]]:
    """Return the hall less its spare areas, and the spare areas (band frame).

    Each spare is an axis-aligned rectangle on the façade, at least ``min_width_m`` each way,
    farthest from the main entrance first, while the hall stays one piece over ``need_m2``.
    """
    settings = brief.settings
    budget = min(brief.surplus_m2, hall.area - need_m2)
    if not settings.enabled or budget < settings.min_area_m2:
        return hall, []
    outline = floor.exterior
    inner = hall.boundary.difference(outline.buffer(1e-4))
    keep: BaseGeometry = inner.buffer(brief.walk_m, cap_style="flat", join_style="mitre")
    # squares, not circles: every corner is a level the rectangle search tries
    keep = unary_union(
        [keep, *(_square(e, _ENTRANCE_CLEAR_M) for e in entrances), _square(main, _MAIN_CLEAR_M)]
    )
    free = hall.difference(keep)
    spares: list[Polygon] = []
    for _ in range(settings.max_areas):
        if budget < settings.min_area_m2 or free.is_empty:
            break
        found = _best_rectangle(free, outline, main, budget, settings)
        if found is None:
            break
        rest = hall.difference(found)
        if rest.geom_type != "Polygon" or rest.buffer(-0.6).geom_type != "Polygon":
            free = free.difference(found)
            continue
        if shared(found, rest) < _DOOR_WALL_M:
            free = free.difference(found)
            continue
        assert isinstance(rest, Polygon), "checked above"
        hall = rest
        spares.append(found)
        budget -= found.area
        free = free.difference(found.buffer(brief.walk_m, join_style="mitre"))
    return hall, spares


def _best_rectangle(
    free: BaseGeometry,
    outline: BaseGeometry,
    main: tuple[float, float],
    budget: float,
    settings: SpareSettings,
) -> Polygon | None:
    """Return the rectangle worth keeping spare: on the façade, large, far from the door."""
    best: tuple[tuple[float, float], Polygon] | None = None
    for part in getattr(free, "geoms", [free]):
        if not isinstance(part, Polygon) or part.area < settings.min_area_m2:
            continue
        x0, y0, x1, y1 = largest_rectangle(part)
        rect = _trimmed(x0, y0, x1, y1, outline, main, budget, settings)
        if rect is None:
            continue
        key = (math.floor(min(rect.area, budget) / 10.0), rect.distance(Point(main)))
        if best is None or key > best[0]:
            best = (key, rect)
    return None if best is None else best[1]


def _trimmed(
    x0: float,
    y0: float,
    x1: float,
    y1: float,
    outline: BaseGeometry,
    main: tuple[float, float],
    budget: float,
    settings: SpareSettings,
) -> Polygon | None:
    """Trim a rectangle on the façade to the budget, keeping its façade side; None if unfit.

    The side along the façade is shortened from the end nearer the main entrance, down to the
    least width; below that the depth gives way.
    """
    sides = {
        "bottom": ((x0, y0), (x1, y0)),
        "top": ((x0, y1), (x1, y1)),
        "left": ((x0, y0), (x0, y1)),
        "right": ((x1, y0), (x1, y1)),
    }
    near_outline = outline.buffer(1e-4)
    on = {name: LineString(ends).intersection(near_outline).length for name, ends in sides.items()}
    face = max(on, key=lambda k: on[k])
    if on[face] < settings.min_width_m:
        return None
    horizontal = face in ("bottom", "top")
    along, depth = (x1 - x0, y1 - y0) if horizontal else (y1 - y0, x1 - x0)
    if min(along, depth) < settings.min_width_m - 1e-9:
        return None
    length = min(along, max(settings.min_width_m, budget / depth))
    deep = min(depth, budget / length)
    if deep < settings.min_width_m - 1e-9 or length * deep < settings.min_area_m2 - 1e-9:
        return None
    if horizontal:
        # keep the end far from the door
        a, b = (x1 - length, x1) if abs(main[0] - x0) < abs(main[0] - x1) else (x0, x0 + length)
        c, d = (y0, y0 + deep) if face == "bottom" else (y1 - deep, y1)
        return box(a, c, b, d)
    c, d = (y1 - length, y1) if abs(main[1] - y0) < abs(main[1] - y1) else (y0, y0 + length)
    a, b = (x0, x0 + deep) if face == "left" else (x1 - deep, x1)
    return box(a, c, b, d)


def _square(at: tuple[float, float], half: float) -> Polygon:
    """Return the square of half-side ``half`` centred on a point."""
    return box(at[0] - half, at[1] - half, at[0] + half, at[1] + half)


def leftover_spares(
    floor: Polygon,
    used: list[BaseGeometry],
    solids: BaseGeometry,
    public: dict[str, BaseGeometry],
    brief: SpareBrief,
    *,
    has_door: Callable[[Polygon, BaseGeometry], bool],
    entrances: list[tuple[float, float]],
    blockers: BaseGeometry,
) -> list[LeftoverSpare]:
    """Return the floor the bands left over that can be let, each piece with its way in.

    A piece qualifies as a spare area as the hall's are kept: on the façade over the least
    width, that wide everywhere, large enough. It opens onto the hall or a visitor corridor it
    shares a door's wall with (never only onto staff space); a piece boxed in by rooms gets a
    door of its own in the façade instead, where one fits clear of the entrances and every
    point of the piece is within a one-exit walk of it. The rest stays unassigned.
    """
    settings = brief.settings
    left = floor.difference(unary_union([*used, solids]))
    out: list[LeftoverSpare] = []
    outline = floor.exterior.buffer(1e-4)
    for raw in polygons(left):
        if raw.area < settings.min_area_m2:
            continue
        piece = clean(raw)
        if not piece.is_valid or piece.area < settings.min_area_m2:
            continue
        if piece.interiors or not clear_width(piece, settings.min_width_m - 1e-6):
            # a jagged piece, or one round a core: its largest rectangle may still be let
            found = _rectangle_to_let(piece, settings)
            if found is None:
                continue
            piece = found
        if piece.boundary.intersection(outline).length < settings.min_width_m:
            continue
        onto = max(public.values(), key=lambda g: shared(piece, g), default=None)
        if onto is not None and shared(piece, onto) >= _DOOR_WALL_M + 0.1 and has_door(piece, onto):
            out.append(LeftoverSpare(piece, onto, None))
            continue
        if not settings.street_doors:
            continue
        if piece.convex_hull.area > piece.area * (1.0 + _CONVEX_SLACK):
            # the walk inside is measured straight: only a (nearly) convex piece is kept
            found = _rectangle_to_let(piece, settings)
            if found is None:
                continue
            piece = found
        door = street_door(piece, floor, entrances, blockers)
        if door is not None:
            out.append(LeftoverSpare(piece, None, door))
    return out


def _rectangle_to_let(piece: Polygon, settings: SpareSettings) -> Polygon | None:
    """Return a piece's largest rectangle when it is large and wide enough to let, else None."""
    rect = clean(box(*largest_rectangle(piece)).intersection(piece).buffer(0))
    if rect.area < settings.min_area_m2 or not clear_width(rect, settings.min_width_m - 1e-6):
        return None
    return rect


def street_door(
    piece: Polygon,
    floor: Polygon,
    entrances: list[tuple[float, float]],
    blockers: BaseGeometry,
) -> tuple[float, float] | None:
    """Return the middle of a new façade door for a spare area, or None where none fits.

    The door is :data:`STREET_DOOR_M` wide on a straight stretch of the piece's façade, its
    jambs clear of the corners, :data:`_ENTRANCE_CLEAR_M` from every entrance, the floor in
    front of it clear of cores and columns; of the places that fit, the one nearest to the
    piece's farthest corner, which must be well within :data:`ONE_EXIT_WALK_M`.
    """
    near = floor.exterior.buffer(1e-4)
    facade = piece.boundary.intersection(near)
    half = STREET_DOOR_M / 2 + _JAMB_M
    corners = list(piece.exterior.coords)[:-1]
    best: tuple[float, tuple[float, float]] | None = None
    for a, b in _segments(facade):
        length = math.dist(a, b)
        if length < 2 * half:
            continue
        ux, uy = (b[0] - a[0]) / length, (b[1] - a[1]) / length
        # the inward normal: the side of the wall the piece is on
        nx, ny = -uy, ux
        mid_ab = ((a[0] + b[0]) / 2, (a[1] + b[1]) / 2)
        if not piece.buffer(1e-3).contains(Point(mid_ab[0] + nx * 0.01, mid_ab[1] + ny * 0.01)):
            nx, ny = -nx, -ny
        t = half
        while t <= length - half + 1e-9:
            at = (a[0] + ux * t, a[1] + uy * t)
            t += _STEP_M
            if any(math.dist(at, e) < _ENTRANCE_CLEAR_M for e in entrances):
                continue
            front = Polygon(
                [
                    (at[0] - ux * STREET_DOOR_M / 2, at[1] - uy * STREET_DOOR_M / 2),
                    (at[0] + ux * STREET_DOOR_M / 2, at[1] + uy * STREET_DOOR_M / 2),
                    (at[0] + ux * STREET_DOOR_M / 2 + nx, at[1] + uy * STREET_DOOR_M / 2 + ny),
                    (at[0] - ux * STREET_DOOR_M / 2 + nx, at[1] - uy * STREET_DOOR_M / 2 + ny),
                ]
            )
            if not blockers.is_empty and front.intersects(blockers):
                continue
            far = max(math.dist(at, c) for c in corners)
            if far <= ONE_EXIT_WALK_M * _WALK_IN_HAND and (best is None or far < best[0] - 1e-9):
                best = (far, at)
    if best is None:
        return None
    # on the outline itself, as the building's entrances are (the piece's edge is a hair off)
    ring = floor.exterior
    on = ring.interpolate(ring.project(Point(best[1])))
    return (float(on.x), float(on.y))


def _segments(lines: BaseGeometry) -> list[tuple[tuple[float, float], tuple[float, float]]]:
    """Return the straight segments of a line geometry, in order."""
    out = []
    for part in getattr(lines, "geoms", [lines]):
        if not isinstance(part, LineString):
            continue
        coords = [(float(x), float(y)) for x, y in part.coords]
        out += list(itertools.pairwise(coords))
    return out
