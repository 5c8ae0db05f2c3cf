"""Read a floor plan's geometry: its spaces, what each door and entrance joins, and sight lines.

Nothing here reads what the layout meant: a door joins the spaces found on either side of its
opening, not the ids it names; circulation is connected where two polygons really share an
edge; the hall is whatever polygon the plan draws (in one piece or several). The audit
(:mod:`.audit`) and the KPIs (:mod:`.kpis`) both measure this reading, so they cannot
disagree about what the drawing shows. A polygon that is not simple, or a door that sits on no
wall two spaces share, is noted here as a problem (P109, P201) because reading stops there.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import shapely
from shapely.geometry import LineString, Point, Polygon, box
from shapely.geometry.base import BaseGeometry
from shapely.ops import unary_union
from shapely.strtree import STRtree

from configurator.model.errors import Problem
from configurator.model.geometry import ON_WALL, BuildingFrame
from configurator.model.plan import Door, Plan
from configurator.model.schema import Footprint, Privacy

__all__ = [
    "GRID_OFFSET_M",
    "FrameGrid",
    "Link",
    "PlanAnalysis",
    "Space",
    "analysis_from_plan",
    "door_clear_zone",
    "grid_points",
    "guard_eye",
    "hall_union",
    "inside_hall",
    "outline_points",
    "visible_share",
]

SpaceKind = Literal["room", "open", "corridor", "passage", "hall", "spare"]
"""A spare area (a lettable unit) has walls and a door like a room."""

AREA_EPS = 0.01
"""Overlaps and spills under this (m²) are drawing noise: a millimetre along a 10 m wall."""
_SIDE = 0.05
"""How far (m) into each space the audit looks to find what a door or entrance opens into."""
_OPEN_EDGE_M = 0.9
"""Two open spaces connect where they share at least this much edge (a door's clear width)."""
_CLEAR_M = 0.6
"""Depth (m) in front of a door, on both sides, that must be free of cores and columns."""
_SOLID_KINDS = frozenset({"stair", "lift", "shaft", "courtyard", "other"})


@dataclass(frozen=True)
class Space:
    """A space of the plan as the audit sees it: a polygon and what kind of space it is."""

    id: str
    kind: SpaceKind
    shape: Polygon
    staff_only: bool
    privacy: Privacy
    space_type: str = ""
    programme_area_m2: float = 0.0
    secure: bool = False
    serves_lobby: bool = False

    @property
    def enclosed(self) -> bool:
        """Tell whether the space has walls and doors (a room or a spare area), not open floor."""
        return self.kind in ("room", "spare")

    @property
    def circulation(self) -> bool:
        """Tell whether people walk through it (corridors, passages, the hall, open areas)."""
        return not self.enclosed


@dataclass(frozen=True)
class Link:
    """Two spaces joined by a door (``via`` is its id) or openly (``via`` is 'open')."""

    a: str
    b: str
    via: str


@dataclass
class PlanAnalysis:
    """What the plan's geometry says: spaces, the links between them, and where entrances lead."""

    plan: Plan
    frame: BuildingFrame
    building: Polygon
    """The outline as the footprint gives it."""
    solids: BaseGeometry
    """Cores, shafts, stairs and courtyards: floor nobody can use."""
    columns: list[Polygon]
    spaces: dict[str, Space]
    links: list[Link]
    entrance_spaces: dict[str, str | None]
    """For each entrance, the space its opening leads into (None: none found)."""
    door_sides: dict[str, tuple[tuple[str, ...], tuple[str, ...]]]
    """For each door, the spaces holding its opening on one side and on the other."""
    problems: list[Problem] = field(default_factory=list)
    _blockers: BaseGeometry | None = field(default=None, init=False, repr=False, compare=False)
    """What :meth:`sight_blockers` returned (the audit and the KPIs both ask for it)."""

    @property
    def floor(self) -> BaseGeometry:
        """Return the usable floor: the building less its cores."""
        return self.building.difference(self.solids)

    def neighbours(self) -> dict[str, list[tuple[str, str]]]:
        """Return, for every space, the spaces it links to and through what."""
        out: dict[str, list[tuple[str, str]]] = {s: [] for s in self.spaces}
        for link in self.links:
            out[link.a].append((link.b, link.via))
            out[link.b].append((link.a, link.via))
        return out

    def reached(
        self,
        starts: Iterable[str],
        *,
        allow: set[str] | None = None,
    ) -> set[str]:
        """Return the spaces reached from ``starts`` walking through circulation only.

        Enclosed rooms are reached but never walked through; ``allow`` limits the spaces a
        route may use (rooms outside it are not entered either).
        """
        graph = self.neighbours()
        seen: set[str] = set()
        queue: deque[str] = deque()
        for s in starts:
            if s in self.spaces and (allow is None or s in allow) and s not in seen:
                seen.add(s)
                queue.append(s)
        while queue:
            here = queue.popleft()
            if self.spaces[here].enclosed:
                continue
            for there, _ in graph[here]:
                if there in seen or (allow is not None and there not in allow):
                    continue
                seen.add(there)
                queue.append(there)
        return seen

    def visitor_starts(self) -> list[str]:
        """Return the spaces the visitor entrances lead into."""
        return [
            s
            for e in self.plan.entrances
            if e.kind in ("main", "side") and (s := self.entrance_spaces.get(e.id)) is not None
        ]

    def staff_starts(self) -> list[str]:
        """Return the spaces the staff entrances lead into."""
        return [
            s
            for e in self.plan.entrances
            if e.kind == "staff" and (s := self.entrance_spaces.get(e.id)) is not None
        ]

    def own_doors(self) -> dict[str, list[tuple[str, tuple[float, float]]]]:
        """Return the spare areas that façade doors of their own (``spare`` entrances) open
        into, each with those doors' ids and middles."""
        out: dict[str, list[tuple[str, tuple[float, float]]]] = {}
        for e in self.plan.entrances:
            space = self.entrance_spaces.get(e.id)
            if e.kind == "spare" and space is not None and self.spaces[space].kind == "spare":
                out.setdefault(space, []).append((e.id, (float(e.at[0]), float(e.at[1]))))
        return out

    def visitor_floor(self) -> BaseGeometry:
        """Return the floor visitors walk: visitor circulation and open areas, rooms cut out."""
        parts = [s.shape for s in self.spaces.values() if s.circulation and not s.staff_only]
        walls = [s.shape for s in self.spaces.values() if s.enclosed]
        area = unary_union(parts) if parts else Polygon()
        if walls:
            area = area.difference(unary_union(walls))
        return area.difference(self.solids).difference(unary_union(self.columns or [Polygon()]))

    def sight_blockers(self) -> BaseGeometry:
        """Return what blocks a line of sight: outside the building, cores, columns, rooms.

        Worked out once per analysis (the spaces are not changed once read).
        """
        if self._blockers is None:
            self._blockers = self._sight_blockers()
        return self._blockers

    def _sight_blockers(self) -> BaseGeometry:
        """Work out :meth:`sight_blockers`."""
        outside = box(*self.building.buffer(5.0).bounds).difference(self.building)
        rooms = [
            s.shape.buffer(-0.05, join_style="mitre") for s in self.spaces.values() if s.enclosed
        ]
        return unary_union([outside, self.solids, *self.columns, *rooms])


# --------------------------------------------------------------------------- the analysis


def analysis_from_plan(plan: Plan, *, footprint: Footprint | None = None) -> PlanAnalysis:
    """Read the plan's geometry: every space, what each door and entrance joins, open links.

    The building comes from ``footprint`` (the scenario's) when given, else from the plan.
    Problems found while reading (broken polygons, doors off their walls) are kept on the result.
    """
    outline = footprint.outline() if footprint is not None else list(plan.footprint)
    obstacles = (
        [(o.kind, Polygon(o.polygon)) for o in footprint.obstacles]
        if footprint is not None
        else [(o.kind, Polygon(o.polygon)) for o in plan.obstacles]
    )
    building = Polygon(outline)
    main = next((e.at for e in plan.entrances if e.kind == "main"), None)
    frame = BuildingFrame.for_footprint(outline, main)
    solids = unary_union(
        [shape for kind, shape in obstacles if kind in _SOLID_KINDS] or [Polygon()]
    )
    columns = [shape for kind, shape in obstacles if kind == "column"]
    problems: list[Problem] = []
    spaces: dict[str, Space] = {}
    for room in plan.rooms:
        spaces[room.id] = Space(
            id=room.id,
            kind="room" if room.enclosed else "open",
            shape=_polygon(room.polygon, room.id, problems),
            staff_only=room.staff_only,
            privacy=room.privacy,
            space_type=room.space_type,
            programme_area_m2=room.programme_area_m2,
            secure=room.secure,
            serves_lobby=room.serves_lobby,
        )
    for spare in plan.spares:
        spaces[spare.id] = Space(
            id=spare.id,
            kind="spare",
            shape=_polygon(spare.polygon, spare.id, problems),
            staff_only=False,
            privacy="open",
        )
    for corridor in plan.corridors:
        privacy: Privacy = "open" if corridor.kind == "hall" else corridor.privacy
        if corridor.staff_only:
            privacy = "private"
        spaces[corridor.id] = Space(
            id=corridor.id,
            kind=corridor.kind,
            shape=_polygon(corridor.polygon, corridor.id, problems),
            staff_only=corridor.staff_only,
            privacy=privacy,
        )
    analysis = PlanAnalysis(
        plan=plan,
        frame=frame,
        building=building,
        solids=solids,
        columns=columns,
        spaces=spaces,
        links=[],
        entrance_spaces={},
        door_sides={},
        problems=problems,
    )
    index = _Index(list(spaces.values()))
    for door in plan.doors:
        sides = _door_sides(door, index)
        analysis.door_sides[door.id] = sides
        a, b = sides
        if not a or not b or set(a) & set(b):
            problems.append(
                Problem(
                    "P201",
                    f"door {door.id} at ({door.at[0]:.2f}, {door.at[1]:.2f}) opens onto "
                    f"{_what(a)} on one side and {_what(b)} on the other; a door must sit on the "
                    "wall two spaces share, over its whole width",
                    ids=(door.id, *a, *b),
                )
            )
            continue
        analysis.links += [Link(x, y, door.id) for x in a for y in b]
    analysis.links += _open_links(index)
    for entrance in plan.entrances:
        analysis.entrance_spaces[entrance.id] = _entrance_space(
            entrance.at, entrance.width_m, building, index
        )
    return analysis


@dataclass
class _Index:
    """Spaces with a spatial index, for 'what contains this segment' and 'what touches this'."""

    spaces: list[Space]
    tree: STRtree = field(init=False)
    hall: BaseGeometry = field(init=False)
    """The hall as one area: the plan may store it in pieces (each without holes)."""

    grown: dict[str, BaseGeometry] = field(init=False)
    """Each space grown by a millimetre, for 'holds this segment' tests (made once)."""
    walls: dict[str, BaseGeometry] = field(init=False)
    """Each space's outline grown by a millimetre, for shared-edge tests (made once)."""

    def __post_init__(self) -> None:
        self.tree = STRtree([s.shape for s in self.spaces])
        self.hall = hall_union(self.spaces)
        self.grown = {}
        self.walls = {}

    def near(self, geometry: BaseGeometry) -> Iterator[Space]:
        """Yield the spaces whose bounding boxes meet a geometry."""
        for i in self.tree.query(geometry):
            yield self.spaces[int(i)]

    def holding(self, line: LineString) -> list[Space]:
        """Return every space that holds a whole segment, smallest first."""
        found = []
        for s in self.near(line):
            if self.grown_of(s).covers(line):
                found.append(s)
        return sorted(found, key=lambda s: s.shape.area)

    def grown_of(self, space: Space) -> BaseGeometry:
        """Return a space grown by :data:`ON_WALL` (made once per space)."""
        found = self.grown.get(space.id)
        if found is None:
            found = self.grown[space.id] = space.shape.buffer(ON_WALL)
        return found

    def wall_of(self, space: Space) -> BaseGeometry:
        """Return a space's outline grown by :data:`ON_WALL` (made once per space)."""
        found = self.walls.get(space.id)
        if found is None:
            found = self.walls[space.id] = space.shape.boundary.buffer(ON_WALL)
        return found


def _polygon(points: list[tuple[float, float]], ident: str, problems: list[Problem]) -> Polygon:
    shape = Polygon(points)
    if not shape.is_valid or shape.area <= 0:
        problems.append(
            Problem(
                "P109",
                f"{ident}: the polygon is not simple ({shapely.is_valid_reason(shape)})",
                ids=(ident,),
            )
        )
        shape = shape.buffer(0)
        if shape.geom_type != "Polygon":
            parts = list(getattr(shape, "geoms", []))
            shape = max(parts, key=lambda g: g.area) if parts else Polygon()
    return shape


def _what(spaces: tuple[str, ...]) -> str:
    return ", ".join(f"'{s}'" for s in spaces) if spaces else "no space (a wall, a core or outside)"


def _door_sides(door: Door, index: _Index) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Return the spaces on the two sides of a door's opening, each holding it over its width.

    An open area inside the hall and the hall both hold the floor in front of a door there.
    """
    (ax, ay), (bx, by) = door.wall
    length = math.hypot(bx - ax, by - ay)
    if length <= 1e-9:
        return ((), ())
    ux, uy = (bx - ax) / length, (by - ay) / length
    nx, ny = -uy, ux
    half = door.width_m / 2
    x, y = door.at
    out: list[tuple[str, ...]] = []
    for sign in (1.0, -1.0):
        ox, oy = x + sign * nx * _SIDE, y + sign * ny * _SIDE
        segment = LineString([(ox - ux * half, oy - uy * half), (ox + ux * half, oy + uy * half)])
        out.append(tuple(s.id for s in index.holding(segment)))
    return (out[0], out[1])


def door_clear_zone(door: Door) -> Polygon:
    """Return the opening and the floor in front of it on both sides (what must stay free)."""
    (ax, ay), (bx, by) = door.wall
    length = math.hypot(bx - ax, by - ay) or 1.0
    ux, uy = (bx - ax) / length, (by - ay) / length
    nx, ny = -uy, ux
    half = door.width_m / 2
    x, y = door.at
    return Polygon(
        [
            (x - ux * half + nx * _CLEAR_M, y - uy * half + ny * _CLEAR_M),
            (x + ux * half + nx * _CLEAR_M, y + uy * half + ny * _CLEAR_M),
            (x + ux * half - nx * _CLEAR_M, y + uy * half - ny * _CLEAR_M),
            (x - ux * half - nx * _CLEAR_M, y - uy * half - ny * _CLEAR_M),
        ]
    )


def _open_links(index: _Index) -> list[Link]:
    """Return open connections: circulation and open areas of one access class that really meet.

    An open area inside the hall is part of it; otherwise two open spaces connect where their
    outlines share at least 0.9 m. Staff and visitor circulation never connect openly: between
    them is a wall, and only a door joins them.
    """
    links: list[Link] = []
    walkable = [s for s in index.spaces if s.circulation]
    for a in walkable:
        for b in index.near(a.shape.buffer(ON_WALL)):
            if not b.circulation or b.id <= a.id or a.staff_only != b.staff_only:
                continue
            if (
                _shared_edge(a.shape, b.shape, index.grown_of(b), index.wall_of(b)) >= _OPEN_EDGE_M
                or inside_hall(a, b, index.hall)
                or inside_hall(b, a, index.hall)
            ):
                links.append(Link(a.id, b.id, "open"))
    return links


def hall_union(spaces: Iterable[Space]) -> BaseGeometry:
    halls = [s.shape for s in spaces if s.kind == "hall"]
    return unary_union(halls).buffer(ON_WALL) if halls else Polygon()


def inside_hall(small: Space, big: Space, hall: BaseGeometry) -> bool:
    """Tell whether an open area lies inside a space: for the hall, inside the whole hall."""
    if small.kind != "open":
        return False
    if big.kind == "hall":
        return bool(
            hall.covers(small.shape) and small.shape.intersection(big.shape).area > AREA_EPS
        )
    return bool(big.shape.buffer(ON_WALL).covers(small.shape))


def _shared_edge(
    a: Polygon,
    b: Polygon,
    b_grown: BaseGeometry | None = None,
    b_wall: BaseGeometry | None = None,
) -> float:
    """Return the length of outline two polygons share (0 if they only meet at a point).

    ``b_grown`` and ``b_wall`` are b and its outline grown by :data:`ON_WALL`, when the caller
    keeps them (a space meets many others).
    """
    grown = b.buffer(ON_WALL) if b_grown is None else b_grown
    common = a.boundary.intersection(grown)
    shared = float(common.length)
    if shared <= 0:
        return 0.0
    # Lines that run inside b (not along its wall) do not count: b's wall must be there too.
    wall = b.boundary.buffer(ON_WALL) if b_wall is None else b_wall
    return float(common.intersection(wall).length)


def _entrance_space(
    at: tuple[float, float], width: float, building: Polygon, index: _Index
) -> str | None:
    """Return the space an entrance's opening leads into, looking just inside the façade."""
    boundary = building.exterior
    d = boundary.project(Point(at))
    half = width / 2
    a = boundary.interpolate(max(0.0, d - half))
    b = boundary.interpolate(min(boundary.length, d + half))
    ux, uy = b.x - a.x, b.y - a.y
    length = math.hypot(ux, uy)
    if length <= 1e-9:
        return None
    ux, uy = ux / length, uy / length
    for nx, ny in ((-uy, ux), (uy, -ux)):
        probe = Point(at[0] + nx * _SIDE, at[1] + ny * _SIDE)
        if not building.contains(probe):
            continue
        segment = LineString(
            [(a.x + nx * _SIDE, a.y + ny * _SIDE), (b.x + nx * _SIDE, b.y + ny * _SIDE)]
        )
        held = index.holding(segment)
        circulation = [s for s in held if s.circulation]
        chosen = circulation[-1] if circulation else (held[0] if held else None)
        return chosen.id if chosen is not None else None
    return None


# --------------------------------------------------------------------------- measures


def guard_eye(analysis: PlanAnalysis, room_id: str) -> Point | None:
    """Return where a guard watches from: just outside the door onto visitor circulation."""
    spaces = analysis.spaces
    for door in analysis.plan.doors:
        a, b = analysis.door_sides.get(door.id, ((), ()))
        if room_id not in a + b or not a or not b:
            continue
        others = [spaces[i] for i in (b if room_id in a else a)]
        other = next((o for o in others if not o.staff_only and not o.enclosed), None)
        if other is None:
            continue
        for sign in (1.0, -1.0):
            (ax, ay), (bx, by) = door.wall
            length = math.hypot(bx - ax, by - ay) or 1.0
            nx, ny = -(by - ay) / length, (bx - ax) / length
            p = Point(door.at[0] + sign * nx * 0.3, door.at[1] + sign * ny * 0.3)
            if other.shape.covers(p):
                return p
    return None


def visible_share(
    analysis: PlanAnalysis, eye: Point, target: BaseGeometry, *, step: float = 1.0
) -> float:
    """Return the share of a target area seen from a point, sampled on a grid in the building frame.

    A point is seen when the straight line to it stays inside the building and crosses no
    core, column or enclosed room.
    """
    points = grid_points(analysis.frame, target, step)
    if not points:
        return 0.0
    blockers = analysis.sight_blockers()
    shapely.prepare(blockers)
    lines = shapely.linestrings([[(eye.x, eye.y), p] for p in points])
    hidden = shapely.intersects(blockers, lines)
    return float(1.0 - np.count_nonzero(hidden) / len(points))


GRID_OFFSET_M = 0.0123457
"""Grids start this far outside what they cover: plans are drawn on round numbers, and a cell
centre exactly on a wall would fall either side of it by rounding noise in a turned copy."""


@dataclass(frozen=True)
class FrameGrid:
    """A grid of square cells laid in the building's own frame over a geometry's extent.

    Sampling and walking on it make shares and distances the same for a turned copy of a plan.
    """

    frame: BuildingFrame
    x0: float
    y0: float
    step: float
    nx: int
    ny: int

    @staticmethod
    def over(frame: BuildingFrame, geometry: BaseGeometry, step: float) -> FrameGrid:
        """Return the grid that covers a geometry, starting just off its lowest corner."""
        ring = [frame.to_local(p) for p in outline_points(geometry)]
        xs = [p[0] for p in ring]
        ys = [p[1] for p in ring]
        x0, y0 = min(xs) - GRID_OFFSET_M, min(ys) - GRID_OFFSET_M
        nx = max(1, math.ceil((max(xs) - x0) / step))
        ny = max(1, math.ceil((max(ys) - y0) / step))
        return FrameGrid(frame, x0, y0, step, nx, ny)

    def world(self, lx: np.ndarray, ly: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Map local coordinates to the drawing's."""
        c, s = math.cos(self.frame.angle), math.sin(self.frame.angle)
        return c * lx - s * ly + self.frame.ox, s * lx + c * ly + self.frame.oy

    def centres(self) -> tuple[np.ndarray, np.ndarray]:
        """Return the cells' centres in drawing coordinates, as (ny, nx) arrays."""
        gx = self.x0 + (np.arange(self.nx) + 0.5) * self.step
        gy = self.y0 + (np.arange(self.ny) + 0.5) * self.step
        lx, ly = np.meshgrid(gx, gy)
        return self.world(lx, ly)


def grid_points(frame: BuildingFrame, area: BaseGeometry, step: float) -> list[tuple[float, float]]:
    """Return the centres of a grid's cells that fall inside an area, the grid in the local frame.

    Sampling in the building's own frame makes shares the same for a turned copy of a plan.
    """
    if area.is_empty:
        return []
    wx, wy = FrameGrid.over(frame, area, step).centres()
    inside = shapely.contains_xy(area, wx.ravel(), wy.ravel())
    return [
        (float(x), float(y)) for x, y, ok in zip(wx.ravel(), wy.ravel(), inside, strict=True) if ok
    ]


def outline_points(geometry: BaseGeometry) -> list[tuple[float, float]]:
    """Return the corners of every polygon's outer ring in a geometry."""
    out: list[tuple[float, float]] = []
    for part in getattr(geometry, "geoms", [geometry]):
        if hasattr(part, "exterior"):
            out += [(float(x), float(y)) for x, y in part.exterior.coords]
    return out
