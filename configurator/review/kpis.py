"""Score a floor plan from its geometry: areas, adjacency, privacy, walks, daylight, guard, reach.

Every KPI is defined here and only here, so the CLI, the UI, the DXF check and the option
ranking all read the same numbers, and every one is measured on the drawing the way the audit
reads it (:mod:`.audit`): reach and privacy from the doors and openings the geometry shows,
walks on a 0.5 m grid over the visitor floor around walls, the guard's view with walls, cores
and columns in the way, leftovers as floor no space covers.
"""

from __future__ import annotations

import itertools
import math
from collections import defaultdict

import numpy as np
import shapely
from pydantic import BaseModel, ConfigDict, Field
from shapely.geometry import Point, Polygon
from shapely.geometry.base import BaseGeometry
from shapely.ops import unary_union

from configurator.inputs.catalog import Case
from configurator.model.errors import Problem
from configurator.model.plan import Plan, PlanRoom
from configurator.model.schema import Footprint, SpaceType
from configurator.review.audit import audit_analysis
from configurator.review.geometry import PlanAnalysis, analysis_from_plan, grid_points, guard_eye
from configurator.review.rules import (
    ACCESS_CODES,
    EXIT_CODES,
    RuleReview,
    review_rules,
)
from configurator.review.walk import WalkGrid

__all__ = ["KPI_DEFINITIONS", "PlanKpis", "kpis_from_plan", "reach_points", "rows_from_kpis"]

_NEAR_M = 3.0
"""Rooms within this distance (m) of each other count as neighbours for adjacency."""
_PRIVACY_CODES = ("P302", "P303", "P304", "P306")

KPI_DEFINITIONS: dict[str, str] = {
    "net_m2": "Net room area drawn: rooms and open areas, m².",
    "gross_m2": "Gross area: the floor inside the outline (less cores) × the gross factor.",
    "area_efficiency": (
        "Net room area over the usable floor (outline less cores) less the spare areas."
    ),
    "unassigned_m2": "Floor no room, open area, corridor or hall covers (niches, slivers), m².",
    "unassigned_share": "Unassigned floor over the usable floor.",
    "spare_m2": (
        "Lettable spare floor: the spare areas drawn along a façade, each with its own door onto "
        "public circulation, m²."
    ),
    "spare_eur_year": "The spare areas at the scenario's rent, €/year.",
    "max_area_deviation": "Largest |drawn − programme| / programme over all rooms.",
    "adjacency_satisfaction": "Share of preferred neighbour pairs drawn within 3 m of each other.",
    "forbidden_adjacencies": "Rooms touching a room their space type must not touch.",
    "privacy_violations": (
        "Audit problems of privacy (P302 gradient, P303 staff room open to visitors, P304 "
        "private room on the open hall, P306 staff reached through visitor space) plus breaks "
        "of the depth order (mean walk from the entrance: open < semi-open < private)."
    ),
    "walk_m": "Walk per visit, entrance → each service moment → back, persona-weighted, m.",
    "daylight_share": "Share of rooms wanting daylight that touch a windowed façade over ≥ 1 m.",
    "guard_visibility": (
        "Share of the visitor floor seen from the guard post's door (walls, cores, columns and "
        "the building's own outline block the view)."
    ),
    "compactness": "Mean over zones of zone area / convex hull area (1 = one compact block).",
    "unreachable_rooms": "Rooms no route through doors and openings reaches (audit P301).",
    "secure_room_ok": "Every secure room has a second exit into staff space (no audit P501).",
    "audit_problems": "Problems the geometric audit finds (0 for every option the layout keeps).",
    "egress_max_m": (
        "Longest escape route: the walk from any point to its nearest exit with the part shared "
        "by the routes to two exits counted twice (YM 848/2017 §32), m."
    ),
    "egress_limit_m": "The longest escape route the fire settings allow (§32 Table 10), m.",
    "exits_ok": "Enough separate exits, wide enough alone and together, corridors for their users.",
    "daylight_ok_share": (
        "Share of rooms needing daylight (required by their type, or work places) with enough "
        "windowed façade (light openings ≥ 1/10 of the floor, YM 1008/2017 §5)."
    ),
    "accessible_ok": "Door widths, turning spaces and accessible WCs meet decree 241/2017.",
    "rule_problems": "Problems the building-rule review finds (R-codes).",
    "score": "Ranking score, higher is better (see kpis_from_plan for the weights).",
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
    unassigned_share: float
    spare_m2: float
    spare_eur_year: float
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
    audit_problems: int
    egress_max_m: float
    egress_limit_m: float
    exits_ok: bool
    daylight_ok_share: float
    accessible_ok: bool
    rule_problems: int
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


def rows_from_kpis(kpis: list[PlanKpis]) -> list[dict[str, object]]:
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
            "unassigned m²": round(k.unassigned_m2, 1),
            "spare m²": round(k.spare_m2, 1),
            "max area dev.": round(k.max_area_deviation, 3),
            "adjacency": round(k.adjacency_satisfaction, 3),
            "privacy violations": k.privacy_violations,
            "walk m": round(k.walk_m, 1),
            "daylight": round(k.daylight_share, 3),
            "guard sees": round(k.guard_visibility, 3),
            "compactness": round(k.compactness, 3),
            "unreachable": len(k.unreachable_rooms),
            "audit problems": k.audit_problems,
            "escape m": round(k.egress_max_m, 1),
            "exits ok": k.exits_ok,
            "daylight ok": round(k.daylight_ok_share, 3),
            "accessible": k.accessible_ok,
            "rule problems": k.rule_problems,
        }
        for k in kpis
    ]


def kpis_from_plan(
    plan: Plan,
    *,
    case: Case,
    footprint: Footprint | None = None,
    analysis: PlanAnalysis | None = None,
    problems: list[Problem] | None = None,
    rules: RuleReview | None = None,
) -> PlanKpis:
    """Compute every KPI of a plan from its geometry, against its scenario and catalog.

    ``footprint`` is the building to measure against (the scenario's by default); an
    ``analysis``, its audit ``problems`` and its building-rule review ``rules`` already made
    for this plan are reused.
    """
    catalog = case.catalog
    if analysis is None:
        analysis = analysis_from_plan(plan, footprint=footprint or case.scenario.footprint)
    if problems is None:
        problems = audit_analysis(analysis, layout=case.scenario.layout)
    if rules is None:
        rules = review_rules(analysis, catalog=catalog, rules=case.scenario.rules)
    floor = analysis.floor
    floor_area = float(floor.area)
    rooms = plan.rooms
    drawn = {id(r): r.area_m2 for r in rooms}  # each room's polygon made once, not twice
    net = math.fsum(drawn[id(r)] for r in rooms)
    covered = unary_union([s.shape for s in analysis.spaces.values()] or [Polygon()])
    unassigned = max(0.0, floor_area - float(covered.intersection(floor).area))
    spares = [s.shape for s in analysis.spaces.values() if s.kind == "spare"]
    spare = math.fsum(float(shape.intersection(floor).area) for shape in spares)
    deviation = {r.id: (drawn[id(r)] - r.programme_area_m2) / r.programme_area_m2 for r in rooms}
    types = {st.id: st for st in catalog.space_types}
    adjacency, forbidden = _adjacency(rooms, types)
    walkable = analysis.visitor_floor()
    grid = WalkGrid(walkable, analysis.frame)
    entrance = next((e for e in plan.entrances if e.kind == "main"), plan.entrances[0])
    from_entrance = grid.distances_from(entrance.at)
    reach = reach_points(analysis)
    walk_to = {r: grid.distance_to(from_entrance, p) for r, p in reach.items()}
    notes = [p.plan_line() for p in problems if p.code in _PRIVACY_CODES]
    notes += _depth_order(plan, walk_to)
    walk, by_persona = _walks(plan, case, grid, from_entrance, reach)
    daylight = _daylight(plan, types)
    guard = _guard_visibility(analysis, walkable)
    compact = _compactness(plan)
    unreachable = sorted({i for p in problems if p.code == "P301" for i in p.ids})
    secure_ok = not any(p.code == "P501" for p in problems)
    max_dev = max((abs(v) for v in deviation.values()), default=0.0)
    # the audit's P404 band: 5 % under at most, over by the growth allowed to reach a wall
    grow = case.scenario.layout.room_growth_share
    off_size = any(v < -0.05 or v > grow + 0.05 for v in deviation.values())
    efficiency = net / (floor_area - spare) if floor_area > spare else 0.0
    privacy = len(notes)
    longest = rules.egress.longest
    egress_max = longest.counted_m if longest is not None else 0.0
    over = max(0.0, egress_max - rules.egress.limit_m)
    # a spare area's walk to its own door counts against its own (one-exit) limit
    own_over = [
        r.walked_m - rules.egress.own_limit_m
        for r in rules.egress.own_routes.values()
        if math.isfinite(r.walked_m)
    ]
    over = max([over, *own_over])
    # Weights: hard rules first (audit problems, reach, privacy, secure room, building rules),
    # then quality; the escape route by how far it is over, so a nearer miss ranks higher.
    score = (
        100.0
        - 5.0 * len(problems)
        - 5.0 * sum(1 for p in rules.problems if p.code != "R104")
        - 0.5 * over
        + 10.0 * rules.daylight_ok_share
        - 25.0 * len(unreachable)
        - 8.0 * privacy
        - 8.0 * forbidden
        - (15.0 if not secure_ok else 0.0)
        - (20.0 if off_size else 0.0)
        + 15.0 * adjacency
        + 10.0 * daylight
        + 10.0 * guard
        + 10.0 * compact
        + 20.0 * efficiency
        - 20.0 * (unassigned / floor_area if floor_area else 0.0)
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
        unassigned_share=unassigned / floor_area if floor_area else 0.0,
        spare_m2=spare,
        spare_eur_year=spare * case.scenario.factors.rent_eur_per_m2_month * 12,
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
        audit_problems=len(problems),
        egress_max_m=egress_max,
        egress_limit_m=rules.egress.limit_m,
        exits_ok=not (rules.codes & EXIT_CODES),
        daylight_ok_share=rules.daylight_ok_share,
        accessible_ok=not (rules.codes & ACCESS_CODES),
        rule_problems=len(rules.problems),
        score=score,
    )


# --------------------------------------------------------------------------- reach and walks


def reach_points(analysis: PlanAnalysis) -> dict[str, tuple[float, float]]:
    """Return where a visitor reaches each visitor room: just outside the door the geometry
    shows onto visitor circulation, or the middle of an open area."""
    spaces = analysis.spaces
    out: dict[str, tuple[float, float]] = {}
    for space in spaces.values():
        if space.staff_only or space.kind not in ("room", "open"):
            continue
        if space.kind == "open":
            # The centroid, not representative_point(): that one scans along the world axes
            # and would move in a turned copy of the plan.
            c = space.shape.centroid
            if not space.shape.contains(c):
                c = _point_inside(space.shape, analysis)
            out[space.id] = (c.x, c.y)
            continue
        for door in analysis.plan.doors:
            a, b = analysis.door_sides.get(door.id, ((), ()))
            if space.id not in a + b or not a or not b:
                continue
            others = [spaces[i] for i in (b if space.id in a else a)]
            other = next((o for o in others if not o.staff_only and not o.enclosed), None)
            if other is None:
                continue
            (ax, ay), (bx, by) = door.wall
            length = math.hypot(bx - ax, by - ay) or 1.0
            nx, ny = -(by - ay) / length, (bx - ax) / length
            for sign in (1.0, -1.0):
                p = (door.at[0] + sign * nx * 0.3, door.at[1] + sign * ny * 0.3)
                if other.shape.covers(Point(p)):
                    out[space.id] = p
                    break
            if space.id in out:
                break
    return out


def _point_inside(shape: Polygon, analysis: PlanAnalysis) -> Point:
    """Return a point inside a polygon, found in the building's frame (the same when turned)."""
    frame = analysis.frame
    local = Polygon([frame.to_local(p) for p in shape.exterior.coords])
    p = local.representative_point()
    x, y = frame.to_world((p.x, p.y))
    return Point(x, y)


def _depth_order(plan: Plan, walk_to: dict[str, float]) -> list[str]:
    """Say where the depth order open < semi-open < private (mean walk in) is broken."""
    means: dict[str, float] = {}
    for level in ("open", "semi_open", "private"):
        values = [
            walk_to[r.id]
            for r in plan.rooms
            if r.privacy == level
            and not r.staff_only
            and math.isfinite(walk_to.get(r.id, math.inf))
        ]
        if values:
            means[level] = sum(values) / len(values)
    order = [lvl for lvl in ("open", "semi_open", "private") if lvl in means]
    notes = []
    for a, b in itertools.pairwise(order):
        if means[a] > means[b] + 0.5:
            notes.append(
                f"privacy order broken: {a} areas are {means[a]:.0f} m in, "
                f"{b} only {means[b]:.0f} m"
            )
    return notes


def _walks(
    plan: Plan,
    case: Case,
    grid: WalkGrid,
    from_entrance: np.ndarray,
    reach: dict[str, tuple[float, float]],
) -> tuple[float, dict[str, float]]:
    """Return the persona-weighted walk per visit and the walk per persona, in metres."""
    by_type: dict[str, list[str]] = defaultdict(list)
    for r in plan.rooms:
        if r.id in reach:
            by_type[r.space_type].append(r.id)
    mix = case.scenario.persona_mix or {p.id: p.share for p in case.catalog.personas}
    fields: dict[str, np.ndarray] = {}
    main = next((e.at for e in plan.entrances if e.kind == "main"), plan.entrances[0].at)

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
            back = grid.distance_to(field, main)
            walked += back if math.isfinite(back) else 0.0
            total += path.share * walked
        by_persona[persona.id] = total
    overall = sum(mix.get(p, 0.0) * w for p, w in by_persona.items())
    return overall, by_persona


# --------------------------------------------------------------------------- the rest


def _adjacency(rooms: list[PlanRoom], types: dict[str, SpaceType]) -> tuple[float, int]:
    """Return the share of satisfied preferred pairs and the count of forbidden contacts."""
    by_type: dict[str, list[Polygon]] = defaultdict(list)
    ids: dict[int, str] = {}
    for r in rooms:
        shape = r.shape  # made once: the property builds a new polygon each time
        by_type[r.space_type].append(shape)
        ids[id(shape)] = r.id
    wanted = satisfied = 0
    forbidden = 0
    near = _NEAR_M + 1e-3  # a millimetre of drawing noise either way
    for st_id, mine in by_type.items():
        st = types.get(st_id)
        if st is None:
            continue
        for other in st.preferred_neighbours:
            if other not in by_type or other == st_id:
                continue
            wanted += 1
            theirs = unary_union(by_type[other])
            if any(a.distance(theirs) <= near for a in mine):
                satisfied += 1
        for other in st.forbidden_neighbours:
            for a in mine:
                for b in by_type.get(other, []):
                    if (ids[id(a)] < ids[id(b)] or other != st_id) and a.distance(b) < 0.05:
                        forbidden += 1
    return (satisfied / wanted if wanted else 1.0), forbidden


def _daylight(plan: Plan, types: dict[str, SpaceType]) -> float:
    """Return the share of rooms wanting daylight that touch a windowed façade over ≥ 1 m."""
    windows = unary_union(plan.window_lines()) if plan.windows else None
    wanting = [r for r in plan.rooms if (st := types.get(r.space_type)) and st.daylight != "none"]
    if not wanting:
        return 1.0
    if windows is None:
        return 0.0
    near = windows.buffer(0.05, cap_style="flat")
    # a millimetre of give: a room touching exactly 1 m counts the same in a turned drawing
    lit = sum(1 for r in wanting if r.shape.exterior.intersection(near).length >= 1.0 - 1e-3)
    return lit / len(wanting)


def _guard_visibility(analysis: PlanAnalysis, walkable: BaseGeometry) -> float:
    """Return the share of the visitor floor seen from the guard post's door (1 m samples)."""
    guard = next((s for s in analysis.spaces.values() if s.serves_lobby), None)
    if guard is None:
        return 0.0
    eye = guard_eye(analysis, guard.id)
    if eye is None:
        return 0.0
    points = grid_points(analysis.frame, walkable, 1.0)
    if not points:
        return 0.0
    blockers = analysis.sight_blockers()
    shapely.prepare(blockers)
    ends = np.empty((len(points), 2, 2))  # one straight sight line per sample
    ends[:, 0, 0], ends[:, 0, 1] = eye.x, eye.y
    ends[:, 1, :] = np.asarray(points, dtype=float)
    lines = shapely.linestrings(ends)
    hidden = shapely.intersects(blockers, lines)
    return float(1.0 - np.count_nonzero(hidden) / len(points))


def _compactness(plan: Plan) -> float:
    """Return the mean over zones of area over convex-hull area."""
    values = []
    for zone in plan.zones:
        shape = unary_union([Polygon(p).buffer(0) for p in zone.polygons])
        hull = shape.convex_hull
        if hull.area > 0:
            values.append(float(shape.area / hull.area))
    return sum(values) / len(values) if values else 0.0
