"""Audit a floor plan from its geometry alone: containment, overlaps, doors, reach, widths, safety.

Nothing here reads what the layout meant: a door joins the two spaces found on either side of
its opening, not the ids it names; circulation is connected where two polygons really share an
edge; the hall is whatever polygon the plan draws. Every problem has a stable code and the ids
involved, and all problems are reported at once, in the style of the input audit:

* P1xx geometry: outside the building, on a core, overlapping, open area outside the hall,
  enclosed room in the hall, a column where it may not stand, a broken polygon;
* P2xx openings: a door off the wall two spaces share, a blocked door, an entrance into a room;
* P3xx reach and privacy: unreachable rooms, the privacy gradient, staff rooms opening to
  visitors, private rooms on the open hall, staff cut off from the visitors or reached only
  through visitor space;
* P4xx sizes: corridors and rooms too narrow, rooms off their programme area;
* P5xx safety: the secure room's second exit, the guard's sight of the lobby.
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
from shapely.prepared import prep
from shapely.strtree import STRtree

from configurator._frame import BuildingFrame
from configurator.errors import Problem
from configurator.plan import Door, Plan
from configurator.schema import Footprint, LayoutOptions, Privacy

__all__ = [
    "AUDIT_CODES",
    "Link",
    "PlanAnalysis",
    "Space",
    "analysis_from_plan",
    "audit_plan",
    "clear_width",
    "visible_share",
]

AUDIT_CODES: dict[str, str] = {
    "P100": "the plan is drawn for another outline than the footprint's",
    "P101": "a space reaches outside the building",
    "P102": "a space stands on a core, shaft, stair or courtyard",
    "P103": "two spaces overlap",
    "P104": "an open area is not inside the hall (or only partly)",
    "P105": "an enclosed room lies inside the hall or a corridor",
    "P106": "a column stands in a small room (< 20 m²) or a corridor narrower than 3 m",
    "P109": "a polygon is not simple (it crosses itself or has no area)",
    "P201": "a door is not on the wall two spaces share, over its whole width",
    "P202": "a door opening or the floor in front of it is blocked by a core or column",
    "P203": "an entrance does not open into circulation of its kind",
    "P301": "a room cannot be reached from any entrance",
    "P302": "a visitor room is reached only through enclosed, staff or more private space",
    "P303": "a staff room opens to visitor space",
    "P304": "a private room opens straight onto the open hall",
    "P305": "no door joins staff space and visitor space",
    "P306": "staff rooms are reached from the staff entrance only through visitor space",
    "P401": "a visitor corridor is narrower than the scenario's corridor width",
    "P402": "a staff corridor is narrower than the staff corridor width",
    "P403": "a room is narrower than 1.0 m",
    "P404": "a room's drawn area is more than 5 % off its programme area",
    "P501": "the secure room has no second exit into staff space",
    "P502": "the guard post cannot see the lobby",
}
"""Every plan-audit code and what it means; the README's table is this one."""

SpaceKind = Literal["room", "open", "corridor", "passage", "hall"]
_RANK: dict[Privacy, int] = {"open": 0, "semi_open": 1, "private": 2}

_AREA_EPS = 0.01
"""Overlaps and spills under this (m²) are drawing noise: a millimetre along a 10 m wall."""
_ON_WALL = 1e-3
"""How far (m) a door's opening may lie from the wall it sits in."""
_SIDE = 0.05
"""How far (m) into each space the audit looks to find what a door or entrance opens into."""
_OPEN_EDGE_M = 0.9
"""Two open spaces connect where they share at least this much edge (a door's clear width)."""
_CLEAR_M = 0.6
"""Depth (m) in front of a door, on both sides, that must be free of cores and columns."""
_COLUMN_ROOM_M2 = 20.0
_COLUMN_CORRIDOR_M = 3.0
_MIN_ROOM_WIDTH_M = 1.0
_AREA_TOLERANCE = 0.05
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
        """Tell whether the space has walls and doors (a room), rather than being open floor."""
        return self.kind == "room"

    @property
    def circulation(self) -> bool:
        """Tell whether people walk through it (corridors, passages, the hall, open areas)."""
        return self.kind != "room"


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

    def visitor_floor(self) -> BaseGeometry:
        """Return the floor visitors walk: visitor circulation and open areas, rooms cut out."""
        parts = [s.shape for s in self.spaces.values() if s.circulation and not s.staff_only]
        walls = [s.shape for s in self.spaces.values() if s.enclosed]
        area = unary_union(parts) if parts else Polygon()
        if walls:
            area = area.difference(unary_union(walls))
        return area.difference(self.solids).difference(unary_union(self.columns or [Polygon()]))

    def sight_blockers(self) -> BaseGeometry:
        """Return what blocks a line of sight: outside the building, cores, columns, rooms."""
        outside = box(*self.building.buffer(5.0).bounds).difference(self.building)
        rooms = [s.shape.buffer(-0.05) for s in self.spaces.values() if s.enclosed]
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

    def __post_init__(self) -> None:
        self.tree = STRtree([s.shape for s in self.spaces])
        self.hall = _hall_union(self.spaces)

    def near(self, geometry: BaseGeometry) -> Iterator[Space]:
        """Yield the spaces whose bounding boxes meet a geometry."""
        for i in self.tree.query(geometry):
            yield self.spaces[int(i)]

    def holding(self, line: LineString) -> list[Space]:
        """Return every space that holds a whole segment, smallest first."""
        found = [s for s in self.near(line) if s.shape.buffer(_ON_WALL).covers(line)]
        return sorted(found, key=lambda s: s.shape.area)


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
        for b in index.near(a.shape.buffer(_ON_WALL)):
            if not b.circulation or b.id <= a.id or a.staff_only != b.staff_only:
                continue
            if (
                _shared_edge(a.shape, b.shape) >= _OPEN_EDGE_M
                or _inside(a, b, index.hall)
                or _inside(b, a, index.hall)
            ):
                links.append(Link(a.id, b.id, "open"))
    return links


def _hall_union(spaces: Iterable[Space]) -> BaseGeometry:
    halls = [s.shape for s in spaces if s.kind == "hall"]
    return unary_union(halls).buffer(_ON_WALL) if halls else Polygon()


def _inside(small: Space, big: Space, hall: BaseGeometry) -> bool:
    """Tell whether an open area lies inside a space: for the hall, inside the whole hall."""
    if small.kind != "open":
        return False
    if big.kind == "hall":
        return bool(
            hall.covers(small.shape) and small.shape.intersection(big.shape).area > _AREA_EPS
        )
    return bool(big.shape.buffer(_ON_WALL).covers(small.shape))


def _shared_edge(a: Polygon, b: Polygon) -> float:
    """Return the length of outline two polygons share (0 if they only meet at a point)."""
    common = a.boundary.intersection(b.buffer(_ON_WALL))
    shared = float(common.length)
    if shared <= 0:
        return 0.0
    # Lines that run inside b (not along its wall) do not count: b's wall must be there too.
    return float(common.intersection(b.boundary.buffer(_ON_WALL)).length)


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


# --------------------------------------------------------------------------- the audit


def audit_plan(
    plan: Plan, *, footprint: Footprint, layout: LayoutOptions | None = None
) -> list[Problem]:
    """Return every problem the plan's geometry shows (empty if it holds up), each with a code.

    ``footprint`` is the scenario's, so a plan is checked against the real building, not
    against the outline it carries; ``layout`` gives the corridor widths (defaults otherwise).
    """
    analysis = analysis_from_plan(plan, footprint=footprint)
    return audit_analysis(analysis, layout=layout or LayoutOptions())


def audit_analysis(analysis: PlanAnalysis, *, layout: LayoutOptions) -> list[Problem]:
    """Return every problem of an analysed plan (see :func:`audit_plan`)."""
    problems = list(analysis.problems)
    problems += _outline_problems(analysis)
    problems += _containment_problems(analysis)
    problems += _overlap_problems(analysis)
    problems += _column_problems(analysis)
    problems += _door_obstacle_problems(analysis)
    problems += _entrance_problems(analysis)
    problems += _reach_problems(analysis)
    problems += _size_problems(analysis, layout)
    problems += _safety_problems(analysis)
    return problems


def _outline_problems(analysis: PlanAnalysis) -> list[Problem]:
    drawn = Polygon(analysis.plan.footprint)
    if not drawn.is_valid:
        return [Problem("P100", "the plan's outline is not a simple polygon", ids=("footprint",))]
    off = drawn.symmetric_difference(analysis.building).area
    if off > max(_AREA_EPS, 1e-4 * analysis.building.area):
        return [
            Problem(
                "P100",
                f"the plan's outline differs from the footprint's by {off:.1f} m²",
                ids=("footprint",),
            )
        ]
    return []


def _containment_problems(analysis: PlanAnalysis) -> list[Problem]:
    problems: list[Problem] = []
    building = prep(analysis.building.buffer(_ON_WALL))
    for space in analysis.spaces.values():
        if not building.contains(space.shape):
            outside = space.shape.difference(analysis.building).area
            if outside > _AREA_EPS:
                problems.append(
                    Problem(
                        "P101",
                        f"{space.id}: {outside:.2f} m² lie outside the building",
                        ids=(space.id,),
                    )
                )
        on_core = space.shape.intersection(analysis.solids).area
        if on_core > _AREA_EPS:
            problems.append(
                Problem(
                    "P102",
                    f"{space.id}: {on_core:.2f} m² stand on a core, shaft, stair or courtyard",
                    ids=(space.id,),
                )
            )
    return problems


def _overlap_problems(analysis: PlanAnalysis) -> list[Problem]:
    """Find overlaps: every pair, with the hall's own rule for open areas and enclosed rooms."""
    problems: list[Problem] = []
    spaces = list(analysis.spaces.values())
    tree = STRtree([s.shape for s in spaces])
    hall = _hall_union(spaces)
    for i, a in enumerate(spaces):
        for j in tree.query(a.shape):
            b = spaces[int(j)]
            if int(j) <= i:
                continue
            overlap = a.shape.intersection(b.shape).area
            if overlap <= _AREA_EPS:
                continue
            pair = (a.id, b.id)
            kinds = {a.kind, b.kind}
            if "open" in kinds and kinds & {"hall", "corridor", "passage"}:
                area, circulation = (a, b) if a.kind == "open" else (b, a)
                if circulation.kind == "hall" and _inside(area, circulation, hall):
                    continue
                problems.append(
                    Problem(
                        "P104",
                        f"open area {area.id} overlaps {circulation.id} by {overlap:.2f} m² "
                        "without lying inside the hall",
                        ids=pair,
                    )
                )
            elif "room" in kinds and kinds & {"hall", "corridor", "passage"}:
                room, circulation = (a, b) if a.kind == "room" else (b, a)
                problems.append(
                    Problem(
                        "P105",
                        f"enclosed room {room.id} lies {overlap:.2f} m² inside {circulation.id}",
                        ids=pair,
                    )
                )
            else:
                problems.append(
                    Problem("P103", f"{a.id} and {b.id} overlap by {overlap:.2f} m²", ids=pair)
                )
    return problems


def _column_problems(analysis: PlanAnalysis) -> list[Problem]:
    problems: list[Problem] = []
    for n, column in enumerate(analysis.columns, start=1):
        for space in analysis.spaces.values():
            if space.kind == "hall" or space.shape.intersection(column).area <= 1e-4:
                continue
            if space.kind in ("room", "open") and space.shape.area < _COLUMN_ROOM_M2:
                why = (
                    f"a room of {space.shape.area:.1f} m² (columns only in rooms of 20 m² or more)"
                )
            elif space.kind in ("corridor", "passage") and not clear_width(
                space.shape, _COLUMN_CORRIDOR_M
            ):
                why = "a corridor narrower than 3 m"
            else:
                continue
            problems.append(
                Problem("P106", f"column {n} stands in {space.id}, {why}", ids=(space.id,))
            )
    return problems


def _door_obstacle_problems(analysis: PlanAnalysis) -> list[Problem]:
    problems: list[Problem] = []
    blockers = unary_union([analysis.solids, *analysis.columns])
    if blockers.is_empty:
        return problems
    for door in analysis.plan.doors:
        if door_clear_zone(door).intersection(blockers).area > 1e-4:
            problems.append(
                Problem(
                    "P202",
                    f"door {door.id}: a core or column stands in the opening or within "
                    f"{_CLEAR_M} m in front of it",
                    ids=(door.id,),
                )
            )
    return problems


def _entrance_problems(analysis: PlanAnalysis) -> list[Problem]:
    problems: list[Problem] = []
    for entrance in analysis.plan.entrances:
        target = analysis.entrance_spaces.get(entrance.id)
        space = analysis.spaces.get(target) if target is not None else None
        if space is None:
            why = "no space inside it"
        elif space.enclosed:
            why = f"the enclosed room {space.id}"
        elif entrance.kind != "staff" and space.staff_only:
            why = f"staff space ({space.id})"
        else:
            continue
        problems.append(
            Problem(
                "P203",
                f"{entrance.kind} entrance {entrance.id} opens into {why}",
                ids=(entrance.id,),
            )
        )
    return problems


def _reach_problems(analysis: PlanAnalysis) -> list[Problem]:
    """Check reach and the privacy gradient on the links the geometry gives."""
    problems: list[Problem] = []
    spaces = analysis.spaces
    visitor_ids = {s.id for s in spaces.values() if not s.staff_only}
    visitor_starts = analysis.visitor_starts()
    staff_starts = analysis.staff_starts()
    by_visitors = analysis.reached(visitor_starts, allow=visitor_ids)
    by_anyone = analysis.reached(visitor_starts + staff_starts)
    for space in spaces.values():
        reached = by_visitors if not space.staff_only else by_anyone
        if space.kind in ("room", "open") and space.id not in reached:
            problems.append(
                Problem(
                    "P301",
                    f"{space.id} cannot be reached from "
                    + ("a visitor entrance" if not space.staff_only else "any entrance"),
                    ids=(space.id,),
                )
            )
    for level, rank in _RANK.items():
        allowed = {
            s.id
            for s in spaces.values()
            if not s.staff_only and (_RANK[s.privacy] <= rank or s.enclosed)
        }
        allowed_starts = [s for s in visitor_starts if _RANK[spaces[s].privacy] <= rank]
        reached = analysis.reached(allowed_starts, allow=allowed)
        for space in spaces.values():
            if (
                space.kind in ("room", "open")
                and not space.staff_only
                and space.privacy == level
                and space.id in by_visitors
                and space.id not in reached
            ):
                problems.append(
                    Problem(
                        "P302",
                        f"{space.id} ({level}) is reached only through enclosed, staff or "
                        "more private space",
                        ids=(space.id,),
                    )
                )
    staff_to_visitor = False
    for link in analysis.links:
        a, b = spaces[link.a], spaces[link.b]
        if link.via == "open":
            continue
        if a.staff_only != b.staff_only:
            staff, visitor = (a, b) if a.staff_only else (b, a)
            if staff.enclosed and not staff.serves_lobby:
                problems.append(
                    Problem(
                        "P303",
                        f"staff room {staff.id} opens to visitor space ({visitor.id})",
                        ids=(staff.id, visitor.id),
                    )
                )
            if not staff.enclosed and not visitor.enclosed:
                staff_to_visitor = True
        for room, other in ((a, b), (b, a)):
            if (
                room.enclosed
                and not room.staff_only
                and room.privacy == "private"
                and other.kind in ("hall", "open")
                and other.privacy == "open"
            ):
                problems.append(
                    Problem(
                        "P304",
                        f"private room {room.id} opens straight onto the open hall ({other.id})",
                        ids=(room.id, other.id),
                    )
                )
    staff_rooms = [s for s in spaces.values() if s.staff_only and s.enclosed]
    if staff_rooms and visitor_ids and not staff_to_visitor:
        problems.append(
            Problem(
                "P305",
                "no door joins staff circulation and visitor circulation: staff cannot reach "
                "the counters without going outside",
                ids=tuple(s.id for s in staff_rooms[:3]),
            )
        )
    if staff_starts:
        staff_ids = {s.id for s in spaces.values() if s.staff_only}
        by_staff = analysis.reached(staff_starts, allow=staff_ids)
        cut_off = [s.id for s in staff_rooms if not s.serves_lobby and s.id not in by_staff]
        if cut_off:
            problems.append(
                Problem(
                    "P306",
                    f"{len(cut_off)} staff rooms are reached from the staff entrance only through "
                    f"visitor space: {', '.join(cut_off[:4])}" + (" …" if len(cut_off) > 4 else ""),
                    ids=tuple(cut_off),
                )
            )
    return problems


def _size_problems(analysis: PlanAnalysis, layout: LayoutOptions) -> list[Problem]:
    problems: list[Problem] = []
    for space in analysis.spaces.values():
        if space.kind in ("corridor", "passage"):
            need = layout.staff_corridor_width_m if space.staff_only else layout.corridor_width_m
            if not clear_width(space.shape, need):
                code = "P402" if space.staff_only else "P401"
                problems.append(
                    Problem(
                        code,
                        f"{space.id} is {measured_width(space.shape):.2f} m wide; "
                        f"it needs {need:.2f} m",
                        ids=(space.id,),
                    )
                )
        elif space.kind in ("room", "open"):
            if not clear_width(space.shape, _MIN_ROOM_WIDTH_M):
                problems.append(
                    Problem(
                        "P403",
                        f"{space.id} is {measured_width(space.shape):.2f} m wide in places; "
                        "a room needs 1.0 m",
                        ids=(space.id,),
                    )
                )
            drawn = space.shape.area
            want = space.programme_area_m2
            if want > 0 and abs(drawn - want) / want > _AREA_TOLERANCE:
                problems.append(
                    Problem(
                        "P404",
                        f"{space.id} is drawn {drawn:.1f} m² for a programme area of "
                        f"{want:.1f} m² ({(drawn - want) / want:+.0%})",
                        ids=(space.id,),
                    )
                )
    return problems


def _safety_problems(analysis: PlanAnalysis) -> list[Problem]:
    problems: list[Problem] = []
    spaces = analysis.spaces
    for space in spaces.values():
        if not space.secure:
            continue
        exits = [
            spaces[link.b if link.a == space.id else link.a]
            for link in analysis.links
            if space.id in (link.a, link.b) and link.via != "open"
        ]
        if not any(other.staff_only for other in exits):
            problems.append(
                Problem(
                    "P501",
                    f"secure room {space.id} has no second exit into staff space",
                    ids=(space.id,),
                )
            )
    for space in spaces.values():
        if not space.serves_lobby:
            continue
        eye = guard_eye(analysis, space.id)
        if eye is None:
            problems.append(
                Problem(
                    "P502",
                    f"guard post {space.id} has no door onto visitor circulation to watch from",
                    ids=(space.id,),
                )
            )
            continue
        lobby = [s.shape for s in spaces.values() if s.space_type == "entrance_lobby"]
        targets = lobby or [
            Point(e.at).buffer(1.0) for e in analysis.plan.entrances if e.kind == "main"
        ]
        if targets and visible_share(analysis, eye, unary_union(targets), step=0.5) <= 0.0:
            problems.append(
                Problem(
                    "P502",
                    f"guard post {space.id} cannot see the lobby from its door "
                    "(walls, cores or columns are in the way)",
                    ids=(space.id,),
                )
            )
    return problems


# --------------------------------------------------------------------------- measures


def clear_width(shape: BaseGeometry, width: float) -> bool:
    """Tell whether a polygon is at least ``width`` wide everywhere (to the millimetre).

    A disc of that width must sweep the whole polygon: opening it (shrink, then grow, with mitred
    corners so rectangles come back exact) may lose at most 1 % of the area.

    >>> from shapely.geometry import box
    >>> clear_width(box(0, 0, 10, 1.5), 1.5), clear_width(box(0, 0, 10, 1.4), 1.5)
    (True, False)
    """
    if shape.is_empty or shape.area <= 0:
        return False
    r = max(width / 2 - _ON_WALL, 0.0)
    opened = shape.buffer(-r, join_style="mitre").buffer(r, join_style="mitre")
    return bool(opened.intersection(shape).area >= 0.99 * shape.area)


def measured_width(shape: BaseGeometry) -> float:
    """Return the clear width of a polygon to the centimetre (for messages)."""
    low, high = 0.0, 50.0
    for _ in range(13):
        mid = (low + high) / 2
        if clear_width(shape, mid):
            low = mid
        else:
            high = mid
    return low


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


def grid_points(frame: BuildingFrame, area: BaseGeometry, step: float) -> list[tuple[float, float]]:
    """Return the centres of a grid's cells that fall inside an area, the grid in the local frame.

    Sampling in the building's own frame makes shares the same for a turned copy of a plan.
    """
    if area.is_empty:
        return []
    ring = [frame.to_local(p) for p in _coords(area)]
    xs = [p[0] for p in ring]
    ys = [p[1] for p in ring]
    # Off round numbers (see _walk.GRID_OFFSET_M): no sample sits exactly on a wall.
    x0, x1, y0, y1 = min(xs) - 0.0123457, max(xs), min(ys) - 0.0123457, max(ys)
    nx = max(1, math.ceil((x1 - x0) / step))
    ny = max(1, math.ceil((y1 - y0) / step))
    gx = x0 + (np.arange(nx) + 0.5) * step
    gy = y0 + (np.arange(ny) + 0.5) * step
    lx, ly = np.meshgrid(gx, gy)
    c, s = math.cos(frame.angle), math.sin(frame.angle)
    wx = c * lx - s * ly + frame.ox
    wy = s * lx + c * ly + frame.oy
    inside = shapely.contains_xy(area, wx.ravel(), wy.ravel())
    return [
        (float(x), float(y)) for x, y, ok in zip(wx.ravel(), wy.ravel(), inside, strict=True) if ok
    ]


def _coords(geometry: BaseGeometry) -> list[tuple[float, float]]:
    out: list[tuple[float, float]] = []
    for part in getattr(geometry, "geoms", [geometry]):
        if hasattr(part, "exterior"):
            out += [(float(x), float(y)) for x, y in part.exterior.coords]
    return out
