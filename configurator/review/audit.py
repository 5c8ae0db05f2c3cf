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

from shapely.geometry import Point, Polygon
from shapely.ops import unary_union
from shapely.prepared import prep
from shapely.strtree import STRtree

from configurator.model.errors import Problem
from configurator.model.geometry import ON_WALL, clear_width, measured_width, wide_around
from configurator.model.plan import Plan
from configurator.model.schema import Footprint, LayoutOptions, Privacy
from configurator.review.geometry import (
    AREA_EPS,
    PlanAnalysis,
    analysis_from_plan,
    door_clear_zone,
    guard_eye,
    hall_union,
    inside_hall,
    visible_share,
)

__all__ = ["AUDIT_CODES", "audit_analysis", "audit_plan"]

AUDIT_CODES: dict[str, str] = {
    "P100": "the plan is drawn for another outline than the footprint's",
    "P101": "a space reaches outside the building",
    "P102": "a space stands on a core, shaft, stair or courtyard",
    "P103": "two spaces overlap",
    "P104": "an open area is not inside the hall (or only partly)",
    "P105": "an enclosed room lies inside the hall or a corridor",
    "P106": "a column stands in a small room (< 20 m²) or where a corridor is narrower than 3 m",
    "P109": "a polygon is not simple (it crosses itself or has no area)",
    "P201": "a door is not on the wall two spaces share, over its whole width",
    "P202": (
        "a door opening or the floor in front of it is blocked by a core, a column or another "
        "enclosed room"
    ),
    "P203": (
        "an entrance does not open into circulation of its kind (a spare area's own door: "
        "into that spare area)"
    ),
    "P301": "a room cannot be reached from any entrance",
    "P302": "a visitor room is reached only through enclosed, staff or more private space",
    "P303": "a staff room opens to visitor space",
    "P304": "a private room opens straight onto the open hall",
    "P305": "no door joins staff space and visitor space",
    "P306": "staff rooms are reached from the staff entrance only through visitor space",
    "P307": "a spare area opens onto a room, staff space or private space, not public circulation",
    "P401": "a visitor corridor is narrower than the scenario's corridor width",
    "P402": "a staff corridor is narrower than the staff corridor width",
    "P403": "a room is narrower than 1.0 m",
    "P404": (
        "a room's drawn area is more than 5 % under its programme area, or over it by more "
        "than the growth the layout settings allow (and 5 %)"
    ),
    "P501": "the secure room has no second exit into staff space",
    "P502": "the guard post cannot see the lobby",
}
"""Every plan-audit code and what it means; the README's table is this one."""

_RANK: dict[Privacy, int] = {"open": 0, "semi_open": 1, "private": 2}
_CLEAR_M = 0.6
"""Depth (m) in front of a door that must be free of cores and columns (see door_clear_zone)."""
_COLUMN_ROOM_M2 = 20.0
_COLUMN_CORRIDOR_M = 3.0
_MIN_ROOM_WIDTH_M = 1.0
_AREA_TOLERANCE = 0.05


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
    problems += _spare_problems(analysis)
    problems += _size_problems(analysis, layout)
    problems += _safety_problems(analysis)
    return problems


def _outline_problems(analysis: PlanAnalysis) -> list[Problem]:
    drawn = Polygon(analysis.plan.footprint)
    if not drawn.is_valid:
        return [Problem("P100", "the plan's outline is not a simple polygon", ids=("footprint",))]
    off = drawn.symmetric_difference(analysis.building).area
    if off > max(AREA_EPS, 1e-4 * analysis.building.area):
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
    building = prep(analysis.building.buffer(ON_WALL))
    for space in analysis.spaces.values():
        if not building.contains(space.shape):
            outside = space.shape.difference(analysis.building).area
            if outside > AREA_EPS:
                problems.append(
                    Problem(
                        "P101",
                        f"{space.id}: {outside:.2f} m² lie outside the building",
                        ids=(space.id,),
                    )
                )
        on_core = space.shape.intersection(analysis.solids).area
        if on_core > AREA_EPS:
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
    hall = hall_union(spaces)
    for i, a in enumerate(spaces):
        for j in tree.query(a.shape):
            b = spaces[int(j)]
            if int(j) <= i:
                continue
            overlap = a.shape.intersection(b.shape).area
            if overlap <= AREA_EPS:
                continue
            pair = (a.id, b.id)
            kinds = {a.kind, b.kind}
            if "open" in kinds and kinds & {"hall", "corridor", "passage"}:
                area, circulation = (a, b) if a.kind == "open" else (b, a)
                if circulation.kind == "hall" and inside_hall(area, circulation, hall):
                    continue
                problems.append(
                    Problem(
                        "P104",
                        f"open area {area.id} overlaps {circulation.id} by {overlap:.2f} m² "
                        "without lying inside the hall",
                        ids=pair,
                    )
                )
            elif kinds & {"room", "spare"} and kinds & {"hall", "corridor", "passage"}:
                room, circulation = (a, b) if a.enclosed else (b, a)
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
            if space.kind in ("room", "open") and space.shape.area < _COLUMN_ROOM_M2 - AREA_EPS:
                why = (
                    f"a room of {space.shape.area:.1f} m² (columns only in rooms of 20 m² or more)"
                )
            elif space.kind in ("corridor", "passage") and not wide_around(
                space.shape, column, _COLUMN_CORRIDOR_M
            ):
                why = "a corridor narrower than 3 m where it stands"
            else:
                continue
            problems.append(
                Problem("P106", f"column {n} stands in {space.id}, {why}", ids=(space.id,))
            )
    return problems


def _door_obstacle_problems(analysis: PlanAnalysis) -> list[Problem]:
    """P202: a core, a column or another enclosed room (not the door's own, nor the one it
    opens into) on the opening or the floor ``_CLEAR_M`` in front of it on either side."""
    problems: list[Problem] = []
    blockers = unary_union([analysis.solids, *analysis.columns])
    walls = {sid: s.shape for sid, s in analysis.spaces.items() if s.enclosed}
    tree = STRtree(list(walls.values()))
    names = list(walls)
    for door in analysis.plan.doors:
        zone = door_clear_zone(door)
        if not blockers.is_empty and zone.intersection(blockers).area > 1e-4:
            what = "a core or column"
        else:
            near = (names[k] for k in tree.query(zone).tolist())
            hit = next((n for n in near if n not in (door.room, door.to)
                        and zone.intersection(walls[n]).area > 1e-4), None)  # fmt: skip
            if hit is None:
                continue
            what = f"the room {hit}"
        problems.append(
            Problem("P202", f"door {door.id}: {what} stands in the opening or within "
                    f"{_CLEAR_M} m in front of it", ids=(door.id,))
        )  # fmt: skip
    return problems


def _entrance_problems(analysis: PlanAnalysis) -> list[Problem]:
    problems: list[Problem] = []
    for entrance in analysis.plan.entrances:
        target = analysis.entrance_spaces.get(entrance.id)
        space = analysis.spaces.get(target) if target is not None else None
        if space is None:
            why = "no space inside it"
        elif entrance.kind == "spare":
            if space.kind == "spare":
                continue
            why = f"{space.id}, not the spare area it is made for"
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
    # a spare area with a façade door of its own is reached through it, by its tenant
    own = set(analysis.own_doors())
    for space in spaces.values():
        reached = by_visitors if not space.staff_only else by_anyone
        if space.kind in ("room", "open", "spare") and space.id not in reached | own:
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
            # a spare area with its own façade door is reached through it, not the floor
            if (
                space.kind in ("room", "open", "spare")
                and space.id not in own
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


def _spare_problems(analysis: PlanAnalysis) -> list[Problem]:
    """A spare area is let to someone else: its doors open onto public circulation only."""
    problems: list[Problem] = []
    spaces = analysis.spaces
    for link in analysis.links:
        for spare, other in ((spaces[link.a], spaces[link.b]), (spaces[link.b], spaces[link.a])):
            if spare.kind != "spare":
                continue
            if other.enclosed or other.staff_only or other.privacy == "private":
                problems.append(
                    Problem(
                        "P307",
                        f"spare area {spare.id} opens onto {other.id}: a tenant would walk "
                        "through it; a spare area opens onto the hall or a visitor corridor",
                        ids=(spare.id, other.id),
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
            over = want * (1.0 + layout.room_growth_share + _AREA_TOLERANCE)
            if want > 0 and (drawn < want * (1.0 - _AREA_TOLERANCE) or drawn > over):
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
