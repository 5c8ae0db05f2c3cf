"""Score a floor plan: areas, adjacency, privacy, walking distances, daylight, guard view, reach.

Every KPI is defined here and only here, so the CLI, the UI, the DXF check and the option
ranking all read the same numbers. Distances are walked on a 0.5 m grid over the visitor
circulation (hall, corridors, open areas), around walls, from the main entrance.
"""

from __future__ import annotations

import heapq
import itertools
import math
from collections import defaultdict

import networkx as nx
import numpy as np
from pydantic import BaseModel, ConfigDict, Field
from shapely.geometry import LineString, Point, Polygon
from shapely.ops import unary_union
from shapely.prepared import prep

from configurator.catalog import Case
from configurator.plan import Plan, PlanRoom
from configurator.schema import SpaceType

__all__ = ["KPI_DEFINITIONS", "PlanKpis", "kpi_table", "plan_kpis", "reachability"]

_GRID_M = 0.5
_NEAR_M = 3.0
"""Rooms within this distance (m) of each other count as neighbours for adjacency."""

KPI_DEFINITIONS: dict[str, str] = {
    "net_m2": "Net room area drawn: rooms and open areas, m².",
    "gross_m2": "Gross area: the floor inside the outline (less cores) × the gross factor.",
    "area_efficiency": "Net room area over the usable floor (outline less cores).",
    "unassigned_m2": "Floor that is neither room nor circulation (niches, leftovers), m².",
    "max_area_deviation": "Largest |drawn − programme| / programme over all rooms.",
    "adjacency_satisfaction": "Share of preferred neighbour pairs drawn within 3 m of each other.",
    "forbidden_adjacencies": "Rooms touching a room their space type must not touch.",
    "privacy_violations": (
        "Staff rooms opening to visitor space (the guard post excepted: it serves the lobby), "
        "private rooms opening straight onto the open hall, and breaks of the privacy order "
        "(mean walk from the entrance: open < semi-open < private)."
    ),
    "walk_m": "Walk per visit, entrance → each service moment → back, persona-weighted, m.",
    "daylight_share": "Share of rooms wanting daylight that touch a windowed façade over ≥ 1 m.",
    "guard_visibility": "Share of the open and semi-open floor the guard post sees (walls block).",
    "compactness": "Mean over zones of zone area / convex hull area (1 = one compact block).",
    "unreachable_rooms": "Rooms a visitor (or, for staff rooms, staff) cannot reach through doors.",
    "secure_room_ok": "Every secure room has a second door into staff space.",
    "score": "Ranking score, higher is better (see plan_kpis for the weights).",
}


class PlanKpis(BaseModel):
    """The KPIs of one plan option."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    option: int
    strategy: str
    seed: int
    net_m2: float
    gross_m2: float
    area_efficiency: float
    unassigned_m2: float
    max_area_deviation: float
    area_deviation: dict[str, float] = Field(
        description="(drawn − programme) / programme per room."
    )
    adjacency_satisfaction: float
    forbidden_adjacencies: int
    privacy_violations: int
    privacy_notes: list[str]
    walk_m: float
    walk_m_by_persona: dict[str, float]
    daylight_share: float
    guard_visibility: float
    compactness: float
    unreachable_rooms: list[str]
    secure_room_ok: bool
    score: float

    def as_rows(self) -> list[dict[str, object]]:
        """Return (KPI, value, definition) rows for a table."""
        rows: list[dict[str, object]] = []
        for key, definition in KPI_DEFINITIONS.items():
            value = getattr(self, key)
            if isinstance(value, list):
                value = len(value)
            elif isinstance(value, float):
                value = round(value, 3)
            rows.append({"kpi": key, "value": value, "definition": definition})
        return rows


def kpi_table(kpis: list[PlanKpis]) -> list[dict[str, object]]:
    """Return one comparison row per option, the columns being the headline KPIs."""
    return [
        {
            "option": k.option,
            "strategy": k.strategy,
            "seed": k.seed,
            "score": round(k.score, 1),
            "net m²": round(k.net_m2, 1),
            "gross m²": round(k.gross_m2, 1),
            "efficiency": round(k.area_efficiency, 3),
            "max area dev.": round(k.max_area_deviation, 3),
            "adjacency": round(k.adjacency_satisfaction, 3),
            "privacy violations": k.privacy_violations,
            "walk m": round(k.walk_m, 1),
            "daylight": round(k.daylight_share, 3),
            "guard sees": round(k.guard_visibility, 3),
            "compactness": round(k.compactness, 3),
            "unreachable": len(k.unreachable_rooms),
        }
        for k in kpis
    ]


def plan_kpis(plan: Plan, *, case: Case) -> PlanKpis:
    """Compute every KPI of a plan against its scenario and catalog."""
    catalog = case.catalog
    footprint = plan.footprint_shape
    for obstacle in plan.obstacles:
        footprint = footprint.difference(Polygon(obstacle.polygon))
    floor_area = float(footprint.area)
    rooms = plan.rooms
    net = math.fsum(r.area_m2 for r in rooms)
    covered = unary_union([r.shape for r in rooms] + [c.shape for c in plan.corridors])
    unassigned = max(0.0, floor_area - float(covered.intersection(footprint).area))
    deviation = {r.id: (r.area_m2 - r.programme_area_m2) / r.programme_area_m2 for r in rooms}
    types = {st.id: st for st in catalog.space_types}

    adjacency, forbidden = _adjacency(rooms, types)
    walkable = _visitor_walkable(plan)
    grid = _Grid(walkable)
    entrance = next((e for e in plan.entrances if e.kind == "main"), plan.entrances[0])
    dist = grid.distances_from(entrance.at)
    reach_points = {r.id: _reach_point(r, plan) for r in rooms}
    walk_to = {r.id: grid.distance_to(dist, reach_points[r.id]) for r in rooms}
    privacy, notes = _privacy(plan, walk_to, types)
    walk, by_persona = _walks(plan, case, walk_to, grid, dist, reach_points)
    daylight = _daylight(plan, types)
    guard = _guard_visibility(plan, walkable)
    compact = _compactness(plan)
    unreachable = reachability(plan)
    secure_ok = all(
        any(d.room == r.id and d.kind == "second_exit" for d in plan.doors)
        for r in rooms
        if types.get(r.space_type) is not None and types[r.space_type].secure
    )
    max_dev = max((abs(v) for v in deviation.values()), default=0.0)
    efficiency = net / floor_area if floor_area else 0.0
    # Weights: hard rules first (reach, privacy, secure room, area tolerance), then quality.
    score = (
        100.0
        - 25.0 * len(unreachable)
        - 8.0 * privacy
        - 8.0 * forbidden
        - (15.0 if not secure_ok else 0.0)
        - (20.0 if max_dev > 0.10 else 0.0)
        + 15.0 * adjacency
        + 10.0 * daylight
        + 10.0 * guard
        + 10.0 * compact
        + 20.0 * efficiency
        - 0.2 * walk
    )
    return PlanKpis(
        option=plan.option,
        strategy=plan.strategy,
        seed=plan.seed,
        net_m2=net,
        gross_m2=floor_area * plan.gross_factor,
        area_efficiency=efficiency,
        unassigned_m2=unassigned,
        max_area_deviation=max_dev,
        area_deviation=deviation,
        adjacency_satisfaction=adjacency,
        forbidden_adjacencies=forbidden,
        privacy_violations=privacy,
        privacy_notes=notes,
        walk_m=walk,
        walk_m_by_persona=by_persona,
        daylight_share=daylight,
        guard_visibility=guard,
        compactness=compact,
        unreachable_rooms=unreachable,
        secure_room_ok=secure_ok,
        score=score,
    )


# --------------------------------------------------------------------------- reachability


def reachability(plan: Plan) -> list[str]:
    """Return the rooms that cannot be reached through doors and circulation.

    Visitors start at the main and side entrances and never use staff-only circulation;
    staff start at the staff entrance (or, without one, at the main entrance) and may use any.
    Open areas are reached from the circulation they lie in or touch.
    """
    graph = nx.Graph()
    corridors = {c.id: c for c in plan.corridors}
    for c in plan.corridors:
        graph.add_node(c.id, staff=c.staff_only)
    for a in plan.corridors:
        for b in plan.corridors:
            if a.id < b.id and _shared_length(a.shape, b.shape) >= 0.9:
                graph.add_edge(a.id, b.id)
    room_ids = {r.id for r in plan.rooms}
    for r in plan.rooms:
        graph.add_node(r.id, staff=r.staff_only)
        if not r.enclosed:
            for c in plan.corridors:
                if not c.staff_only and r.shape.buffer(0.05).intersects(c.shape):
                    graph.add_edge(r.id, c.id)
    for d in plan.doors:
        if d.room in room_ids or d.room in corridors:
            graph.add_edge(d.room, d.to)
    starts_visitor = [
        _node_at(plan, e.at, staff=False) for e in plan.entrances if e.kind in ("main", "side")
    ]
    staff_doors = [e for e in plan.entrances if e.kind == "staff"]
    starts_staff = [_node_at(plan, e.at, staff=True) for e in staff_doors] or starts_visitor
    visitor_graph = graph.subgraph(
        [n for n, data in graph.nodes(data=True) if not data.get("staff", False)]
    )
    seen_visitor: set[str] = set()
    for start in starts_visitor:
        if start is not None and start in visitor_graph:
            seen_visitor |= nx.node_connected_component(visitor_graph, start)
    seen_staff: set[str] = set()
    for start in starts_staff:
        if start is not None and start in graph:
            seen_staff |= nx.node_connected_component(graph, start)
    missing = []
    for r in plan.rooms:
        ok = r.id in seen_staff if r.staff_only else r.id in seen_visitor
        if not ok:
            missing.append(r.id)
    return missing


def _node_at(plan: Plan, at: tuple[float, float], *, staff: bool) -> str | None:
    """Return the circulation (or open area) an entrance opens into."""
    point = Point(at)
    best: tuple[float, str] | None = None
    for c in plan.corridors:
        if c.staff_only and not staff:
            continue
        d = c.shape.distance(point)
        if d < 0.6 and (best is None or d < best[0]):
            best = (d, c.id)
    if best is None:
        for r in plan.rooms:
            if not r.enclosed and r.shape.distance(point) < 0.6:
                return r.id
    return best[1] if best else None


def _shared_length(a: Polygon, b: Polygon) -> float:
    inter = a.buffer(0.02).intersection(b.buffer(0.02))
    if inter.is_empty:
        return 0.0
    x0, y0, x1, y1 = inter.bounds
    return float(max(x1 - x0, y1 - y0))


# --------------------------------------------------------------------------- adjacency & privacy


def _adjacency(rooms: list[PlanRoom], types: dict[str, SpaceType]) -> tuple[float, int]:
    """Return the share of satisfied preferred pairs and the count of forbidden contacts."""
    by_type: dict[str, list[PlanRoom]] = defaultdict(list)
    for r in rooms:
        by_type[r.space_type].append(r)
    wanted = satisfied = 0
    forbidden = 0
    for st_id, mine in by_type.items():
        st = types.get(st_id)
        if st is None:
            continue
        for other in getattr(st, "preferred_neighbours", []):
            if other not in by_type or other == st_id:
                continue
            wanted += 1
            if any(a.shape.distance(b.shape) <= _NEAR_M for a in mine for b in by_type[other]):
                satisfied += 1
        for other in getattr(st, "forbidden_neighbours", []):
            for a in mine:
                for b in by_type.get(other, []):
                    if (a.id < b.id or other != st_id) and a.shape.distance(b.shape) < 0.05:
                        forbidden += 1
    return (satisfied / wanted if wanted else 1.0), forbidden


def _privacy(
    plan: Plan, walk_to: dict[str, float], types: dict[str, SpaceType]
) -> tuple[int, list[str]]:
    """Count privacy violations and say what each is."""
    corridors = {c.id: c for c in plan.corridors}
    rooms = {r.id: r for r in plan.rooms}
    notes: list[str] = []
    for door in plan.doors:
        room = rooms.get(door.room)
        if room is None or door.kind != "main":
            continue
        target = corridors.get(door.to)
        to_visitor_space = (target is not None and not target.staff_only) or (
            door.to in rooms and not rooms[door.to].staff_only
        )
        st = types.get(room.space_type)
        serves_lobby = st is not None and "entrance_lobby" in getattr(
            st, "preferred_neighbours", []
        )
        if room.staff_only and to_visitor_space and not serves_lobby:
            notes.append(f"{room.id}: a staff room opens to visitor space ({door.to})")
        if room.privacy == "private" and not room.staff_only and door.to == "hall":
            notes.append(f"{room.id}: a private room opens straight onto the open hall")
    means: dict[str, float] = {}
    for level in ("open", "semi_open", "private"):
        values = [
            walk_to[r.id]
            for r in plan.rooms
            if r.privacy == level and not r.staff_only and math.isfinite(walk_to[r.id])
        ]
        if values:
            means[level] = sum(values) / len(values)
    order = [lvl for lvl in ("open", "semi_open", "private") if lvl in means]
    for a, b in itertools.pairwise(order):
        if means[a] > means[b] + 0.5:
            notes.append(
                f"privacy order broken: {a} areas are {means[a]:.0f} m in, "
                f"{b} only {means[b]:.0f} m"
            )
    return len(notes), notes


# --------------------------------------------------------------------------- walking


def _visitor_walkable(plan: Plan) -> Polygon:
    """Return the floor a visitor may walk: visitor circulation and open areas, not rooms."""
    parts = [c.shape for c in plan.corridors if not c.staff_only]
    parts += [r.shape for r in plan.rooms if not r.enclosed and not r.staff_only]
    area = unary_union(parts)
    walls = unary_union([r.shape for r in plan.rooms if r.enclosed])
    result = area.difference(walls)
    return result if not result.is_empty else area


class _Grid:
    """A 0.5 m raster of walkable floor with shortest walking distances (8-neighbour Dijkstra)."""

    def __init__(self, walkable: Polygon) -> None:
        x0, y0, x1, y1 = walkable.bounds if not walkable.is_empty else (0, 0, 1, 1)
        self.x0, self.y0 = x0, y0
        self.nx = max(1, math.ceil((x1 - x0) / _GRID_M))
        self.ny = max(1, math.ceil((y1 - y0) / _GRID_M))
        prepared = prep(walkable.buffer(0.05))
        self.free = np.zeros((self.ny, self.nx), dtype=bool)
        for j in range(self.ny):
            for i in range(self.nx):
                cx, cy = x0 + (i + 0.5) * _GRID_M, y0 + (j + 0.5) * _GRID_M
                self.free[j, i] = prepared.contains(Point(cx, cy))

    def cell(self, p: tuple[float, float]) -> tuple[int, int] | None:
        """Return the free cell nearest a point (within 3 m), or None."""
        i = int((p[0] - self.x0) / _GRID_M)
        j = int((p[1] - self.y0) / _GRID_M)
        best: tuple[float, tuple[int, int]] | None = None
        for dj in range(-6, 7):
            for di in range(-6, 7):
                a, b = j + dj, i + di
                if 0 <= a < self.ny and 0 <= b < self.nx and self.free[a, b]:
                    d = di * di + dj * dj
                    if best is None or d < best[0]:
                        best = (d, (a, b))
        return best[1] if best else None

    def distances_from(self, p: tuple[float, float]) -> np.ndarray:
        """Return walking distances (m) from a point to every cell (inf where unreachable)."""
        dist = np.full((self.ny, self.nx), np.inf)
        start = self.cell(p)
        if start is None:
            return dist
        dist[start] = 0.0
        heap = [(0.0, start)]
        steps = [(1, 0, 1.0), (-1, 0, 1.0), (0, 1, 1.0), (0, -1, 1.0)]
        steps += [
            (1, 1, math.sqrt(2)),
            (1, -1, math.sqrt(2)),
            (-1, 1, math.sqrt(2)),
            (-1, -1, math.sqrt(2)),
        ]
        while heap:
            d, (j, i) = heapq.heappop(heap)
            if d > dist[j, i]:
                continue
            for dj, di, w in steps:
                a, b = j + dj, i + di
                if 0 <= a < self.ny and 0 <= b < self.nx and self.free[a, b]:
                    if dj and di and not (self.free[j + dj, i] and self.free[j, i + di]):
                        continue  # no cutting corners through walls
                    nd = d + w * _GRID_M
                    if nd < dist[a, b]:
                        dist[a, b] = nd
                        heapq.heappush(heap, (nd, (a, b)))
        return dist

    def distance_to(self, dist: np.ndarray, p: tuple[float, float]) -> float:
        """Return the walking distance to a point from a distance field."""
        c = self.cell(p)
        return float(dist[c]) if c is not None else math.inf


def _reach_point(room: PlanRoom, plan: Plan) -> tuple[float, float]:
    """Return where a visitor reaches a room: its door, or the middle of an open area."""
    door = next((d for d in plan.doors if d.room == room.id and d.kind == "main"), None)
    if door is not None:
        return door.at
    c = room.shape.representative_point()
    return (c.x, c.y)


def _walks(
    plan: Plan,
    case: Case,
    walk_to: dict[str, float],
    grid: _Grid,
    from_entrance: np.ndarray,
    reach: dict[str, tuple[float, float]],
) -> tuple[float, dict[str, float]]:
    """Return the persona-weighted walk per visit and the walk per persona, in metres."""
    by_type: dict[str, list[str]] = defaultdict(list)
    for r in plan.rooms:
        by_type[r.space_type].append(r.id)
    mix = case.scenario.persona_mix or {p.id: p.share for p in case.catalog.personas}
    fields: dict[str, np.ndarray] = {}

    def nearest(space_type: str, field: np.ndarray) -> tuple[float, str] | None:
        options = [(grid.distance_to(field, reach[i]), i) for i in by_type.get(space_type, [])]
        options = [o for o in options if math.isfinite(o[0])]
        return min(options) if options else None

    by_persona: dict[str, float] = {}
    for persona in case.catalog.personas:
        total = 0.0
        for path in persona.paths:
            field, walked = from_entrance, 0.0
            for moment in path.moments:
                if moment.kind in ("arrive", "leave"):
                    continue
                hop = nearest(moment.space_type, field)
                if hop is None:
                    continue
                distance, room_id = hop
                walked += moment.probability * distance
                if room_id not in fields:
                    fields[room_id] = grid.distances_from(reach[room_id])
                field = fields[room_id]
            back = grid.distance_to(field, next(e.at for e in plan.entrances if e.kind == "main"))
            walked += back if math.isfinite(back) else 0.0
            total += path.share * walked
        by_persona[persona.id] = total
    overall = sum(mix.get(p, 0.0) * w for p, w in by_persona.items())
    return overall, by_persona


# --------------------------------------------------------------------------- daylight, guard, shape


def _daylight(plan: Plan, types: dict[str, SpaceType]) -> float:
    """Return the share of rooms wanting daylight that touch a windowed façade over ≥ 1 m."""
    windows = unary_union(plan.window_lines()) if plan.windows else None
    wanting = [
        r for r in plan.rooms if getattr(types.get(r.space_type), "daylight", "none") != "none"
    ]
    if not wanting:
        return 1.0
    if windows is None:
        return 0.0
    lit = sum(
        1 for r in wanting if r.shape.exterior.intersection(windows.buffer(0.05)).length >= 1.0
    )
    return lit / len(wanting)


def _guard_visibility(plan: Plan, walkable: Polygon) -> float:
    """Return the share of open and semi-open floor visible from the guard post's front."""
    guard = next((r for r in plan.rooms if r.space_type == "guard_post"), None)
    if guard is None:
        return 0.0
    door = next((d for d in plan.doors if d.room == guard.id and d.kind == "main"), None)
    eye = Point(door.at) if door is not None else guard.shape.centroid
    walls = unary_union(
        [r.shape.buffer(-0.05) for r in plan.rooms if r.enclosed and r.id != guard.id]
    )
    prepared = prep(walls)
    x0, y0, x1, y1 = walkable.bounds
    seen = total = 0
    inside = prep(walkable)
    y = y0 + 0.5
    while y < y1:
        x = x0 + 0.5
        while x < x1:
            p = Point(x, y)
            if inside.contains(p):
                total += 1
                if not prepared.intersects(LineString([eye, p])):
                    seen += 1
            x += 1.0
        y += 1.0
    return seen / total if total else 0.0


def _compactness(plan: Plan) -> float:
    """Return the mean over zones of area over convex-hull area."""
    values = []
    for zone in plan.zones:
        shape = unary_union([Polygon(p) for p in zone.polygons])
        hull = shape.convex_hull
        if hull.area > 0:
            values.append(float(shape.area / hull.area))
    return sum(values) / len(values) if values else 0.0
