"""Escape routes read from a plan's geometry: exits, the walk to the nearest one, who uses what.

YM decree 848/2017 §32 limits the walk from any point of the floor to the nearest exit, measured
along the shortest passable route, and counts twice the part that the routes to two separate
exits share. Here:

- **Exits** are the footprint's entrances, each where the geometry says it opens (an entrance
  opening into no space is no exit). Exits closer together than ``separate_exits_m`` are one
  exit. The staff door is an exit for everyone when doors from visitor space into staff
  corridors open for evacuation (``staff_routes_open``), else for staff space only.
- **Walking** happens on a 0.5 m grid of the circulation (corridors, passages, the hall with
  its open areas), laid in the building's own frame. Two pieces of circulation connect where
  the geometry links them openly, and through a door only at the door. Rooms are convex: the
  walk from a room's farthest corner goes straight to its door.
- **Shared parts**: for every cell, the route to its nearest exit and the route to the second
  one run together until they part (until following the first costs the second more than
  ``SAME_ROUTE_M``); that stretch counts twice. Inside a room with one door the whole way to
  the door is shared.
- **Users**: each room's occupants walk their route to the nearest exit; a corridor's users
  are the most people on any of its cells. A room holds the more of what its programme row
  designed it for and what its drawn area holds by its use (so a room drawn larger in CAD, or
  added there with no programme behind it, still counts its people).

The grid's sixteen moves overstate a straight walk by at most 2.7 %; a visibility-graph check in
the tests bounds the difference on hand-built plans.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry
from shapely.ops import unary_union

from configurator.model.schema import BuildingRules, Catalog, FireSafety
from configurator.review.geometry import FrameGrid, PlanAnalysis, Space
from configurator.review.paths import csr_from_edges, search, shared_lengths
from configurator.review.walk import GRID_M as WALK_GRID_M, WalkGrid
from configurator.sizing.occupants import room_occupants

__all__ = [
    "GRID_M",
    "EgressAnalysis",
    "EscapeRoute",
    "Exit",
    "ExitSuggestion",
    "egress_from_analysis",
    "exit_suggestion",
    "exit_width_needed",
    "persons_in",
    "walk_limit",
]

GRID_M = 0.5
"""Cell size of the walking grid, m."""
_BODY_M = 0.3
"""Half a person's width (m): the walk inside a spare area keeps this far off its walls."""
SAME_ROUTE_M = 1.0
"""Two escape routes are one while following the nearer exit's costs the other at most this much
more (m): along a corridor they are the same route; at a junction they part (a judgement)."""
_STEPS: tuple[tuple[int, int, float, tuple[tuple[int, int], ...]], ...] = (
    (1, 0, 1.0, ()),
    (0, 1, 1.0, ()),
    (1, 1, math.sqrt(2.0), ((0, 1), (1, 0))),
    (1, -1, math.sqrt(2.0), ((0, -1), (1, 0))),
    (1, 2, math.sqrt(5.0), ((0, 1), (1, 1))),
    (1, -2, math.sqrt(5.0), ((0, -1), (1, -1))),
    (2, 1, math.sqrt(5.0), ((1, 0), (1, 1))),
    (2, -1, math.sqrt(5.0), ((1, 0), (1, -1))),
)
"""Half of the sixteen moves (the other half are their reverses): (rows, columns, length in
cells, the cells the move passes over, which must be walkable too). Knight's moves beside the
diagonals keep a straight walk at most 2.7 % long, against 8 % with eight neighbours."""


@dataclass(frozen=True)
class Exit:
    """An entrance that counts as an exit, and which separate exit it is part of."""

    id: str
    kind: str
    at: tuple[float, float]
    width_m: float
    space: str
    group: int
    everyone: bool
    """False for a staff door that only staff space may use (``staff_routes_open`` false)."""


@dataclass(frozen=True)
class EscapeRoute:
    """The escape route from one point: its walk, the part counted twice, the way it goes."""

    space: str
    start: tuple[float, float]
    exit: str
    walked_m: float
    shared_m: float
    path: tuple[tuple[float, float], ...]
    cells: tuple[int, ...] = field(default=(), repr=False, compare=False)
    """The grid cells the route walks (for counting the people on each corridor)."""

    @property
    def counted_m(self) -> float:
        """Return the length the rule compares with its limit: the walk plus the shared part."""
        return self.walked_m + self.shared_m


@dataclass
class EgressAnalysis:
    """What the plan's geometry says about getting out."""

    exits: list[Exit]
    separate_exits: int
    limit_m: float
    limit_reason: str
    routes: dict[str, EscapeRoute]
    """The worst route of every room, open area and piece of circulation that reaches an exit."""
    unreachable: list[str]
    """Spaces from which no exit can be reached."""
    users: dict[str, int]
    """Persons whose escape routes pass through each piece of circulation."""
    occupants: int
    """The floor's occupants: each room's and open area's, summed (see :func:`persons_in`)."""
    exit_users: dict[str, int] = field(default_factory=dict)
    """Persons whose nearest exit each exit is."""
    own_routes: dict[str, EscapeRoute] = field(default_factory=dict)
    """The walk inside each spare area with façade doors of its own to the nearest of them: a
    separate evacuation area (another tenant's), left out of the floor's exits, people and
    routes. Part of it reaching none of its doors: the area is unreachable (R106)."""
    own_limit_m: float = 30.0
    """The limit for those walks: one exit (§32), also where an area has two doors (its fit-out
    is its tenant's; the one-exit figure is the safe side)."""

    @property
    def longest(self) -> EscapeRoute | None:
        """Return the route counted longest, or None when no space reaches an exit."""
        return max(self.routes.values(), key=lambda r: (r.counted_m, r.space), default=None)


def walk_limit(fire: FireSafety, *, separate_exits: int) -> tuple[float, str]:
    """Return the longest walk to the nearest exit §32 Table 10 allows, and why.

    "Other premises" (offices, service halls): 45 m; 50-60 m with a smoke-detection alarm or
    sprinklers, 60-70 m with both (the lower figure for rooms up to 3 m high, the upper above
    10 m, linear between); 30 m where there is only one exit. A ground-level storey with easily
    opened windows may exceed it by 20 %.
    """
    if separate_exits <= 1:
        base, why = 30.0, "one exit: 30 m"
    else:
        t = min(1.0, max(0.0, (fire.ceiling_height_m - 3.0) / 7.0))
        if fire.smoke_detection and fire.sprinklers:
            base, why = 60.0 + 10.0 * t, "smoke detection and sprinklers: 60-70 m"
        elif fire.smoke_detection or fire.sprinklers:
            base, why = 50.0 + 10.0 * t, "smoke detection or sprinklers: 50-60 m"
        else:
            base, why = 45.0, "other premises: 45 m"
    if fire.openable_windows:
        return base * 1.2, why + ", +20 % for openable windows at ground level"
    return base, why


def exit_width_needed(persons: int) -> float:
    """Return the total clear width of exits (m) §34 asks for a number of people.

    Each exit is at least 1.2 m wide; above 120 people the exits together need 1.2 m plus
    0.4 m for every further 60 people begun (360 people: 2.8 m; 1 000 people: 7.2 m).
    """
    if persons <= 120:
        return 1.2
    return 1.2 + 0.4 * math.ceil((persons - 120) / 60 - 1e-9)


def persons_in(analysis: PlanAnalysis, *, catalog: Catalog, rules: BuildingRules) -> dict[str, int]:
    """Return the people each room and open area holds: the more of its programme's design
    occupants and what its drawn area holds by its space type's use (rounded up); a spare area
    holds what its area does as offices."""
    types = {st.id: st for st in catalog.space_types}
    out = {}
    for room in analysis.plan.rooms:
        st = types.get(room.space_type)
        drawn = analysis.spaces[room.id].shape.area if room.id in analysis.spaces else 0.0
        by_use = room_occupants(st, drawn, rules.densities) if st is not None else 0.0
        out[room.id] = math.ceil(max(float(room.occupants), by_use) - 1e-9)
    for spare in analysis.plan.spares:
        # no tenant yet: counted as offices, the usual let use of such a unit
        drawn = analysis.spaces[spare.id].shape.area if spare.id in analysis.spaces else 0.0
        out[spare.id] = math.ceil(drawn / rules.densities.office_m2 - 1e-9)
    return out


def egress_from_analysis(
    analysis: PlanAnalysis, *, catalog: Catalog, rules: BuildingRules
) -> EgressAnalysis:
    """Find the exits, every space's worst escape route and the people on each corridor."""
    fire = rules.fire
    exits = _exits(analysis, fire)
    groups = len({e.group for e in exits if e.everyone})
    limit, reason = walk_limit(fire, separate_exits=groups)
    tenants = analysis.own_doors()
    held = persons_in(analysis, catalog=catalog, rules=rules)
    persons_by_room = {k: v for k, v in held.items() if k not in tenants}
    occupants = sum(persons_by_room.values())
    grid = _Grid(analysis)
    everyone = grid.routes(exits, allow_staff=fire.staff_routes_open, staff_exits=False)
    staff_side = (
        everyone
        if fire.staff_routes_open
        else grid.routes(exits, allow_staff=True, staff_exits=True)
    )
    routes: dict[str, EscapeRoute] = {}
    unreachable: list[str] = []
    load = np.zeros(grid.cells, dtype=np.int64)
    exit_users: dict[str, int] = defaultdict(int)
    for space in analysis.spaces.values():
        if space.id in tenants:
            continue
        field_ = staff_side if space.staff_only else everyone
        route = field_.room_route(space, analysis) if space.enclosed else field_.area_route(space)
        if route is None:
            unreachable.append(space.id)
            continue
        routes[space.id] = route
        persons = persons_by_room.get(space.id, 0)
        if persons:
            field_.add_load(load, route, persons)
            exit_users[route.exit] += persons
    users = grid.users(load)
    own = {sid: _own_route(analysis, analysis.spaces[sid], doors) for sid, doors in tenants.items()}
    unreachable += sorted(sid for sid, r in own.items() if not math.isfinite(r.walked_m))
    return EgressAnalysis(
        exits=exits,
        separate_exits=groups,
        limit_m=limit,
        limit_reason=reason,
        routes=routes,
        unreachable=sorted(unreachable),
        users=users,
        occupants=occupants,
        exit_users=dict(exit_users),
        own_routes=own,
        own_limit_m=walk_limit(fire, separate_exits=1)[0],
    )


def _own_route(
    analysis: PlanAnalysis, space: Space, doors: list[tuple[str, tuple[float, float]]]
) -> EscapeRoute:
    """Return the walk from a spare area's farthest point to the nearest of its own doors, on a
    grid inside it (infinite when part of the area reaches none of them).

    The grid covers the area less :data:`_BODY_M` along its walls (a neck narrower than a
    person is no way through); the farthest cell centre is up to half a cell's diagonal from the
    floor it stands for, and a corner :data:`_BODY_M` · √2 beyond that: both are added, so the
    walk is never understated.
    """
    inner = space.shape.buffer(-_BODY_M, join_style="mitre")
    grid = WalkGrid(inner if not inner.is_empty else space.shape, analysis.frame)
    fields = [grid.distances_from(at) for _, at in doors]
    distances = np.minimum.reduce(fields)
    nearest = np.argmin(np.stack(fields), axis=0)
    free = grid.free
    if not free.any():
        return EscapeRoute(space.id, doors[0][1], doors[0][0], math.inf, 0.0, (doors[0][1],))
    walked_cells = np.where(free, distances, -1.0)
    j, i = np.unravel_index(int(np.argmax(walked_cells)), walked_cells.shape)
    wx, wy = grid.grid.centres()
    start = (float(wx[j, i]), float(wy[j, i]))
    ident, at = doors[int(nearest[j, i])]
    walked = float(walked_cells[j, i]) + (WALK_GRID_M / 2 + _BODY_M) * math.sqrt(2.0)
    return EscapeRoute(space.id, start, ident, walked, 0.0, (start, at))


def _exits(analysis: PlanAnalysis, fire: FireSafety) -> list[Exit]:
    """Return the entrances that open into a space, grouped into separate exits."""
    found = []
    for entrance in analysis.plan.entrances:
        space = analysis.entrance_spaces.get(entrance.id)
        if space is None or entrance.kind == "spare":
            continue  # a spare area's own door is its tenant's exit, not the floor's
        everyone = entrance.kind != "staff" or fire.staff_routes_open
        found.append((entrance, space, everyone))
    groups: list[int] = []
    for k, (entrance, _, _) in enumerate(found):
        group = k
        for j in range(k):
            other = found[j][0]
            if math.dist(entrance.at, other.at) < fire.separate_exits_m:
                group = groups[j]
                break
        groups.append(group)
    renumber = {g: n for n, g in enumerate(dict.fromkeys(groups))}
    return [
        Exit(
            id=e.id,
            kind=e.kind,
            at=(float(e.at[0]), float(e.at[1])),
            width_m=e.width_m,
            space=space,
            group=renumber[g],
            everyone=everyone,
        )
        for (e, space, everyone), g in zip(found, groups, strict=True)
    ]


class _Grid:
    """The circulation as grid cells, each in one space, and the moves between them."""

    def __init__(self, analysis: PlanAnalysis) -> None:
        self.analysis = analysis
        frame = analysis.frame
        circulation = [s for s in analysis.spaces.values() if s.circulation and s.kind != "open"]
        self.space_ids = [s.id for s in circulation]
        blocked = unary_union([analysis.solids, *analysis.columns])
        grid = FrameGrid.over(frame, analysis.building, GRID_M)
        self.nx, self.ny = grid.nx, grid.ny
        self.cells = grid.nx * grid.ny
        wx, wy = grid.centres()
        self.wx, self.wy = wx.ravel(), wy.ravel()
        self.sid = np.full(self.cells, -1, dtype=np.int64)
        for k, space in enumerate(circulation):
            self._paint(space.shape, k)
        if not blocked.is_empty:
            self.sid[shapely.contains_xy(blocked, self.wx, self.wy)] = -1
        self.staff = np.array([s.staff_only for s in circulation] + [False], dtype=np.bool_)
        self.open_pairs = self._open_pairs(analysis, circulation)
        # open areas report their own worst cell
        self.area_of: dict[str, np.ndarray] = {}
        for space in analysis.spaces.values():
            if space.kind == "open":
                inside = np.nonzero(self._inside(space.shape) & (self.sid >= 0))[0]
                self.area_of[space.id] = inside if inside.size else self._near(space.shape)
        for k, space in enumerate(circulation):
            self.area_of[space.id] = np.nonzero(self.sid == k)[0]
        self.portals = self._portals(analysis, circulation)
        doors = {d.id: d for d in analysis.plan.doors}
        self.doors_of: dict[str, list[tuple[str, str, tuple[float, float]]]] = defaultdict(list)
        """For each space, its doors: (door, the space on the other side, the door's point)."""
        self._door_cells: dict[str, list[tuple[str, tuple[float, float], tuple[int, float]]]] = {}
        self.corners = {
            s.id: [(float(x), float(y)) for x, y in list(s.shape.exterior.coords)[:-1]]
            for s in analysis.spaces.values()
            if s.enclosed
        }
        for link in analysis.links:
            if link.via != "open":
                at = (float(doors[link.via].at[0]), float(doors[link.via].at[1]))
                self.doors_of[link.a].append((link.via, link.b, at))
                self.doors_of[link.b].append((link.via, link.a, at))

    def _inside(self, shape: BaseGeometry) -> np.ndarray:
        minx, miny, maxx, maxy = shape.bounds
        near = (self.wx >= minx) & (self.wx <= maxx) & (self.wy >= miny) & (self.wy <= maxy)
        inside = np.zeros(self.cells, dtype=np.bool_)
        idx = np.nonzero(near)[0]
        inside[idx] = shapely.contains_xy(shape, self.wx[idx], self.wy[idx])
        return inside

    def _near(self, shape: BaseGeometry) -> np.ndarray:
        """The walkable cell nearest a shape too small to hold a cell centre of its own."""
        free = np.nonzero(self.sid >= 0)[0]
        if free.size == 0:
            return free
        at = shape.representative_point()
        d = np.hypot(self.wx[free] - at.x, self.wy[free] - at.y)
        return free[[int(np.argmin(d))]] if d.min() <= 1.0 else free[:0]

    def _paint(self, shape: BaseGeometry, k: int) -> None:
        self.sid[self._inside(shape)] = k

    def _open_pairs(self, analysis: PlanAnalysis, circulation: list[Space]) -> np.ndarray:
        """Which pairs of circulation spaces a walk may cross between directly (open links)."""
        index = {s.id: k for k, s in enumerate(circulation)}
        pairs = np.eye(len(circulation), dtype=np.bool_)
        for link in analysis.links:
            if link.via == "open" and link.a in index and link.b in index:
                pairs[index[link.a], index[link.b]] = pairs[index[link.b], index[link.a]] = True
        return pairs

    def nearest_cell(self, at: tuple[float, float], space: str) -> tuple[int, float] | None:
        """Return the cell of a space nearest a point, and the distance to its centre."""
        cells = self.area_of.get(space)
        if cells is None or cells.size == 0:
            return None
        d = np.hypot(self.wx[cells] - at[0], self.wy[cells] - at[1])
        k = int(np.argmin(d))
        return int(cells[k]), float(d[k])

    def _portals(
        self, analysis: PlanAnalysis, circulation: list[Space]
    ) -> list[tuple[int, int, float, str]]:
        """Edges through the doors that join two pieces of circulation: (cell, cell, m, door)."""
        ids = {s.id for s in circulation}
        doors = {d.id: d for d in analysis.plan.doors}
        out = []
        for link in analysis.links:
            if link.via == "open" or link.a not in ids or link.b not in ids:
                continue
            at = doors[link.via].at
            a, b = self.nearest_cell(at, link.a), self.nearest_cell(at, link.b)
            if a is not None and b is not None:
                out.append((a[0], b[0], a[1] + b[1], link.via))
        return out

    def graph(self, *, allow_staff: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Return the walking graph in compressed rows; without staff circulation if asked."""
        sid = self.sid.reshape(self.ny, self.nx)
        free = sid >= 0
        if not allow_staff:
            free &= ~self.staff[np.where(sid >= 0, sid, -1)]
        src, dst, weight = [], [], []
        flat = np.arange(self.cells).reshape(self.ny, self.nx)
        for dj, di, w, over in _STEPS:
            rows = slice(0, self.ny - dj)
            cols = slice(max(0, -di), self.nx - max(0, di))
            a = (rows, cols)
            b = (slice(dj, self.ny), slice(cols.start + di, cols.stop + di))
            here = np.maximum(sid[a], 0)
            ok = free[a] & free[b] & self.open_pairs[here, np.maximum(sid[b], 0)]
            for oj, oi in over:  # a move may not cut a corner
                mid = (slice(oj, self.ny - dj + oj), slice(cols.start + oi, cols.stop + oi))
                ok &= free[mid] & self.open_pairs[here, np.maximum(sid[mid], 0)]
            u, v = flat[a][ok], flat[b][ok]
            src += [u, v]
            dst += [v, u]
            weight += [np.full(u.size, w * GRID_M)] * 2
        for u, v, w, _ in self.portals:
            if free.ravel()[u] and free.ravel()[v]:
                src += [np.array([u]), np.array([v])]
                dst += [np.array([v]), np.array([u])]
                weight += [np.array([w]), np.array([w])]
        return csr_from_edges(
            self.cells,
            np.concatenate(src) if src else np.zeros(0, dtype=np.int64),
            np.concatenate(dst) if dst else np.zeros(0, dtype=np.int64),
            np.concatenate(weight) if weight else np.zeros(0),
        )

    def routes(self, exits: list[Exit], *, allow_staff: bool, staff_exits: bool) -> _Fields:
        """Search from every separate exit; ``staff_exits`` also lets staff-only doors count."""
        graph = self.graph(allow_staff=allow_staff)
        used = [e for e in exits if e.everyone or staff_exits]
        groups = sorted({e.group for e in used})
        dist = np.full((len(groups), self.cells), np.inf)
        parent = np.full((len(groups), self.cells), -1, dtype=np.int64)
        for row, group in enumerate(groups):
            sources, start = [], []
            for e in used:
                if e.group != group:
                    continue
                cell = self.nearest_cell(e.at, e.space)
                if cell is not None:
                    sources.append(cell[0])
                    start.append(cell[1])
            if sources:
                dist[row], parent[row] = search(*graph, np.array(sources), np.array(start))
        return _Fields(self, used, groups, dist, parent)

    def users(self, load: np.ndarray) -> dict[str, int]:
        """Return the most people on any cell of each piece of circulation."""
        out = {}
        for k, space in enumerate(self.space_ids):
            cells = np.nonzero(self.sid == k)[0]
            out[space] = int(load[cells].max()) if cells.size else 0
        return out

    def door_cells(self, space: str) -> list[tuple[str, tuple[float, float], tuple[int, float]]]:
        """Each door of a room onto circulation: (door, its point, (nearest cell, m to it))."""
        if space not in self._door_cells:
            self._door_cells[space] = [
                (via, at, cell)
                for via, other, at in self.doors_of.get(space, [])
                if other in self.area_of and (cell := self.nearest_cell(at, other)) is not None
            ]
        return self._door_cells[space]

    def point(self, cell: int) -> tuple[float, float]:
        """Return a cell's centre in drawing coordinates."""
        return (float(self.wx[cell]), float(self.wy[cell]))

    def points(self, cells: list[int]) -> list[tuple[float, float]]:
        """Return the centres of several cells in drawing coordinates."""
        index = np.array(cells, dtype=np.int64)
        return list(zip(self.wx[index].tolist(), self.wy[index].tolist(), strict=True))


class _Fields:
    """The searches toward each separate exit, and the routes read from them."""

    def __init__(
        self,
        grid: _Grid,
        exits: list[Exit],
        groups: list[int],
        dist: np.ndarray,
        parent: np.ndarray,
    ) -> None:
        self.grid, self.exits, self.groups = grid, exits, groups
        self.dist, self.parent = dist, parent
        order = np.argsort(dist, axis=0, kind="stable")
        reached = np.isfinite(dist)
        if not groups:  # no exit at all: no cell reaches one (R106 says so, never a crash)
            self.first = np.full(grid.cells, -1, dtype=np.int64)
        else:
            self.first = np.where(reached.any(axis=0), order[0], -1)
        if len(groups) > 1:
            second = order[1]
            self.second = np.where(np.take_along_axis(reached, order[1:2], 0)[0], second, -1)
        else:
            self.second = np.full(grid.cells, -1, dtype=np.int64)
        self.shared = (
            shared_lengths(dist, parent, self.first, self.second, slack=SAME_ROUTE_M)
            if len(groups) > 1
            else np.zeros(grid.cells)
        )

    def counted_cells(self) -> np.ndarray:
        """Return every cell's counted length: its walk to the nearest exit plus the shared part
        (infinite where no exit is reached)."""
        out = np.full(self.grid.cells, np.inf)
        reached = np.nonzero(self.first >= 0)[0]
        out[reached] = self.dist[self.first[reached], reached] + self.shared[reached]
        return out

    def _exit_at(self, cell: int, trail: list[int]) -> str:
        """Return the exit a cell's route ends at (the nearest door of its separate exit)."""
        group = self.groups[int(self.first[cell])]
        ends = [e for e in self.exits if e.group == group]
        here = self.grid.point(trail[-1])
        return min(ends, key=lambda e: (math.dist(e.at, here), e.id)).id

    def trace(self, cell: int) -> list[int]:
        """Return the cells from one cell to its nearest exit."""
        a = int(self.first[cell])
        path = [cell]
        while (up := int(self.parent[a, path[-1]])) >= 0:
            path.append(up)
        return path

    def area_route(self, space: Space) -> EscapeRoute | None:
        """Return the worst route from any cell of an open space or a piece of circulation."""
        cells = self.grid.area_of.get(space.id)
        if cells is None or cells.size == 0:
            return None
        reached = cells[self.first[cells] >= 0]
        if reached.size == 0:
            return None
        a = self.first[reached]
        counted = self.dist[a, reached] + self.shared[reached]
        k = int(np.lexsort((reached, -counted))[0])
        cell = int(reached[k])
        trail = self.trace(cell)
        return EscapeRoute(
            space=space.id,
            start=self.grid.point(cell),
            exit=self._exit_at(cell, trail),
            walked_m=float(self.dist[int(a[k]), cell]),
            shared_m=float(self.shared[cell]),
            path=tuple(self.grid.points(trail)),
            cells=tuple(trail),
        )

    def room_route(self, space: Space, analysis: PlanAnalysis) -> EscapeRoute | None:
        """Return the route from a room's farthest corner through its best door."""
        worst = self.worst_corner(space)
        if worst is None:
            return None
        walked, shared, corner, cell, at = worst
        trail = self.trace(cell)
        return EscapeRoute(
            space=space.id,
            start=corner,
            exit=self._exit_at(cell, trail),
            walked_m=walked,
            shared_m=shared,
            path=(corner, at, *self.grid.points(trail)),
            cells=tuple(trail),
        )

    def worst_corner(
        self, space: Space
    ) -> tuple[float, float, tuple[float, float], int, tuple[float, float]] | None:
        """Return a room's farthest corner: (walked, shared, corner, door cell, door point).

        With one door (and two separate exits) the way to it is shared by every route and
        counts twice; with several the corner takes the door whose route counts least.
        """
        doors = [
            (via, at, cell)
            for via, at, cell in self.grid.door_cells(space.id)
            if self.first[cell[0]] >= 0
        ]
        if not doors:
            return None
        one_door = len({d for d, _, _ in doors}) == 1 and len(self.groups) > 1
        best: tuple[float, float, tuple[float, float], int, tuple[float, float]] | None = None
        for corner in self.grid.corners[space.id]:
            here: tuple[float, float, tuple[float, float], int, tuple[float, float]] | None
            here = None
            for _, at, (cell, step) in doors:
                inside = math.dist(corner, at) + step
                walked = inside + float(self.dist[self.first[cell], cell])
                shared = float(self.shared[cell]) + (inside if one_door else 0.0)
                if here is None or walked + shared < here[0] + here[1] - 1e-9:
                    here = (walked, shared, corner, cell, at)
            if here is not None and (best is None or here[0] + here[1] > best[0] + best[1] + 1e-9):
                best = here
        return best

    def add_load(self, load: np.ndarray, route: EscapeRoute, persons: int) -> None:
        """Add a space's people to every cell of its route."""
        load[np.array(route.cells, dtype=np.int64)] += persons


@dataclass(frozen=True)
class ExitSuggestion:
    """Where on the façade one more exit would shorten the longest escape route most."""

    at: tuple[float, float]
    longest_m: float
    """The longest counted route with that exit added."""


def exit_suggestion(
    analysis: PlanAnalysis, *, rules: BuildingRules, step_m: float = 1.0
) -> ExitSuggestion | None:
    """Try one more exit every ``step_m`` along the façade where circulation meets it.

    Every cell of circulation and every room corner is measured again with the new exit as one
    more separate exit (its shared parts too); the point that leaves the shortest longest route
    wins (ties: the first along the outline). None when no circulation reaches the façade.
    """
    fire = rules.fire
    exits = _exits(analysis, fire)
    grid = _Grid(analysis)
    graph = grid.graph(allow_staff=fire.staff_routes_open)
    base = grid.routes(exits, allow_staff=fire.staff_routes_open, staff_exits=False)
    rooms = [s for s in analysis.spaces.values() if s.enclosed]
    free = np.nonzero(grid.sid >= 0)[0]
    group = max(base.groups, default=-1) + 1
    ring = analysis.building.exterior
    best: ExitSuggestion | None = None
    for k in range(max(1, int(ring.length / step_m))):
        p = ring.interpolate(k * step_m)
        at = (float(p.x), float(p.y))
        d = np.hypot(grid.wx[free] - at[0], grid.wy[free] - at[1])
        if d.size == 0 or d.min() > GRID_M * 1.5:
            continue
        cell = int(free[int(np.argmin(d))])
        dist, parent = search(*graph, np.array([cell]), np.array([float(d.min())]))
        new = Exit("suggested", "exit", at, 1.2, "", group, everyone=True)
        fields = _Fields(
            grid,
            [*base.exits, new],
            [*base.groups, group],
            np.vstack([base.dist, dist]),
            np.vstack([base.parent, parent]),
        )
        counted = fields.counted_cells()
        longest = float(counted[np.isfinite(counted)].max(initial=0.0))
        for room in rooms:
            worst = fields.worst_corner(room)
            if worst is not None:
                longest = max(longest, worst[0] + worst[1])
        if best is None or longest < best.longest_m - 1e-6:
            best = ExitSuggestion(at=at, longest_m=longest)
    return best
