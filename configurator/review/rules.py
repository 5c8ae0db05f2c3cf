"""Check a plan against the building rules, from its geometry: exits, accessibility, daylight.

A second family of problems beside the geometric audit's P-codes, each R-code with the rule it
comes from (the figures are :class:`~configurator.model.schema.BuildingRules` settings):

- exits and escape routes, YM decree 848/2017 on fire safety (§§ 32-34), measured by
  :mod:`.egress`;
- accessibility, Government decree 241/2017 (§§ 4, 5, 10);
- daylight where people work, YM decree 1008/2017 §5 and the occupational-safety guidance.

Like the audit, it reads only the plan's polygons, doors and entrances, the scenario's footprint
and the catalog's requirements of each space type, never what the layout meant.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry import LineString, Point
from shapely.geometry.base import BaseGeometry
from shapely.ops import unary_union

from configurator.model.errors import Problem
from configurator.model.geometry import clear_width, measured_width
from configurator.model.plan import Plan
from configurator.model.schema import BuildingRules, Catalog, Footprint
from configurator.review.egress import (
    EgressAnalysis,
    egress_from_analysis,
    exit_suggestion,
    exit_width_needed,
)
from configurator.review.geometry import PlanAnalysis, Space, analysis_from_plan, grid_points

__all__ = ["RULE_CODES", "RuleReview", "review_plan", "review_rules"]

RULE_CODES: dict[str, str] = {
    "R101": "fewer separate exits than the occupant load needs (YM 848/2017 §33)",
    "R102": "an exit is narrower than 1.2 m, or the second than 0.9 m (§34)",
    "R103": "the exits together are narrower than the occupant load needs (§34)",
    "R104": "the walk to the nearest exit is longer than the limit (§32)",
    "R105": "an escape corridor is narrower than the people using it need (§34)",
    "R106": "no exit can be reached from a space",
    "R201": "a door on a passageway or to an accessible WC is narrower than 850 mm clear (§4)",
    "R202": "a door into a room is narrower than 800 mm clear (241/2017 §4)",
    "R203": "a passage narrower than 1.5 m has no turning space every 15 m (241/2017 §5)",
    "R204": "an accessible WC lacks its 1.5 m turning space or the space beside the seat (§10)",
    "R205": "no turning space in front of an accessible WC's door (241/2017 §10)",
    "R301": "a room that needs daylight has too little windowed façade (YM 1008/2017 §5)",
    "R302": "a permanent work place has no daylight (occupational safety)",
}
"""Every building-rule code and what it means; the README's table is this one."""

EXIT_CODES = frozenset({"R101", "R102", "R103", "R105", "R106"})
ACCESS_CODES = frozenset({"R201", "R202", "R203", "R204", "R205"})
DAYLIGHT_CODES = frozenset({"R301", "R302"})
_ONE_EXIT_PERSONS = 60
"""Up to this many people one exit may do (§33 allows it for small premises; a judgement)."""
_SECOND_EXIT_PERSONS = 60
"""The second exit may be 0.9 m wide where at most this many use the area (§34)."""
_ON_FACADE_M = 0.05
_FIT_M = 0.01
"""A turning circle fits where it clears the walls to the centimetre."""


@dataclass(frozen=True)
class RuleReview:
    """What the building rules say of a plan: the problems, and the measures behind them."""

    problems: tuple[Problem, ...]
    egress: EgressAnalysis
    daylight_rooms: int
    """Rooms and open areas that need daylight (required by their type, or work places)."""
    daylight_ok: int

    @property
    def codes(self) -> frozenset[str]:
        """Return the codes found."""
        return frozenset(p.code for p in self.problems)

    @property
    def daylight_ok_share(self) -> float:
        """Return the share of spaces needing daylight that get it (1 when none needs it)."""
        return self.daylight_ok / self.daylight_rooms if self.daylight_rooms else 1.0


def review_rules(
    analysis: PlanAnalysis, *, catalog: Catalog, rules: BuildingRules, suggest: bool = False
) -> RuleReview:
    """Check every building rule; ``suggest`` also looks for the façade point of a new exit."""
    egress = egress_from_analysis(analysis, catalog=catalog, rules=rules)
    problems = _exit_problems(analysis, egress)
    problems += _walk_problems(analysis, egress, rules=rules, suggest=suggest)
    problems += _door_problems(analysis, catalog, rules)
    turning = _turning_centres(analysis, rules)
    problems += _turning_problems(analysis, turning, rules)
    problems += _wc_problems(analysis, catalog, rules, turning)
    daylight, needing, ok = _daylight_problems(analysis, catalog, rules)
    problems += daylight
    return RuleReview(
        problems=tuple(problems), egress=egress, daylight_rooms=needing, daylight_ok=ok
    )


def review_plan(
    plan: Plan, *, catalog: Catalog, rules: BuildingRules, footprint: Footprint, suggest: bool
) -> RuleReview:
    """Read a plan's geometry against a footprint and review its building rules."""
    analysis = analysis_from_plan(plan, footprint=footprint)
    return review_rules(analysis, catalog=catalog, rules=rules, suggest=suggest)


# --------------------------------------------------------------------------- exits


def _exit_problems(analysis: PlanAnalysis, egress: EgressAnalysis) -> list[Problem]:
    """Exits: how many, how wide each, how wide together, corridors for their users."""
    problems: list[Problem] = []
    persons = egress.occupants
    needed = 2 if persons > _ONE_EXIT_PERSONS else 1
    if egress.separate_exits < needed:
        problems.append(
            Problem(
                "R101",
                f"{egress.separate_exits} separate exit(s) for {persons} people; more than "
                f"{_ONE_EXIT_PERSONS} need {needed} (§33)",
                ids=tuple(e.id for e in egress.exits),
            )
        )
    everyone = sorted((e for e in egress.exits if e.everyone), key=lambda e: -e.width_m)
    for k, exit_ in enumerate(everyone):
        least = 0.9 if k > 0 and persons <= _SECOND_EXIT_PERSONS else 1.2
        if exit_.width_m < least - 1e-6:
            problems.append(
                Problem(
                    "R102",
                    f"exit {exit_.id} is {exit_.width_m:.2f} m wide; an exit needs {least:.1f} m"
                    + (" (a second exit used by at most 60 people 0.9 m)" if k else ""),
                    ids=(exit_.id,),
                )
            )
    need = exit_width_needed(persons)
    have = math.fsum(e.width_m for e in everyone)
    if have < need - 1e-6:
        problems.append(
            Problem(
                "R103",
                f"the exits are {have:.1f} m wide together; {persons} people need {need:.1f} m "
                f"(1.2 m and 0.4 m for every 60 above 120): {need - have:.1f} m more, e.g. one "
                "more exit or wider doors (§34)",
                ids=tuple(e.id for e in everyone),
            )
        )
    for space_id, users in sorted(egress.users.items()):
        space = analysis.spaces[space_id]
        if space.kind == "hall" or users <= 120:
            continue
        need = exit_width_needed(users)
        if not clear_width(space.shape, need):
            problems.append(
                Problem(
                    "R105",
                    f"{space_id} is {measured_width(space.shape):.2f} m wide and {users} people "
                    f"escape along it; they need {need:.1f} m (§34)",
                    ids=(space_id,),
                )
            )
    if egress.unreachable:
        problems.append(
            Problem(
                "R106",
                f"no exit can be reached from {', '.join(egress.unreachable)}",
                ids=tuple(egress.unreachable),
            )
        )
    return problems


def _walk_problems(
    analysis: PlanAnalysis, egress: EgressAnalysis, *, rules: BuildingRules, suggest: bool
) -> list[Problem]:
    """The walk to the nearest exit, its shared part twice, against the limit."""
    problems = [
        Problem(
            "R104",
            f"the walk in {r.space} from ({r.start[0]:.1f}, {r.start[1]:.1f}) to its own door "
            f"{r.exit} is {r.walked_m:.1f} m against {egress.own_limit_m:.0f} m (one exit)",
            ids=(r.space,),
        )
        for r in egress.own_routes.values()
        if egress.own_limit_m + 1e-6 < r.walked_m < math.inf
    ]
    over = sorted(
        (r for r in egress.routes.values() if r.counted_m > egress.limit_m + 1e-6),
        key=lambda r: (-r.counted_m, r.space),
    )
    if not over:
        return problems
    worst = over[0]
    text = (
        f"the walk from {worst.space} ({worst.start[0]:.1f}, {worst.start[1]:.1f}) to exit "
        f"{worst.exit} counts {worst.counted_m:.1f} m ({worst.walked_m:.1f} m walked + "
        f"{worst.shared_m:.1f} m shared by the routes to two exits) against "
        f"{egress.limit_m:.0f} m ({egress.limit_reason})"
    )
    if len(over) > 1:
        text += f"; {len(over)} spaces are over"
    if suggest:
        found = exit_suggestion(analysis, rules=rules)
        if found is not None and found.longest_m <= egress.limit_m + 1e-6:
            text += (
                f"; an exit on the façade at ({found.at[0]:.1f}, {found.at[1]:.1f}) would bring "
                f"every point within it ({found.longest_m:.1f} m)"
            )
        elif found is not None:
            text += (
                f"; no single new exit is enough: the best, at ({found.at[0]:.1f}, "
                f"{found.at[1]:.1f}), leaves {found.longest_m:.1f} m"
            )
    return [*problems, Problem("R104", text, ids=tuple(r.space for r in over))]


# --------------------------------------------------------------------------- accessibility


def _accessible_wcs(analysis: PlanAnalysis, catalog: Catalog) -> list[Space]:
    """Rooms whose space type asks for an accessible WC."""
    needs = {st.id for st in catalog.space_types if "accessible_wc" in st.accessibility}
    return [s for s in analysis.spaces.values() if s.enclosed and s.space_type in needs]


def _door_problems(analysis: PlanAnalysis, catalog: Catalog, rules: BuildingRules) -> list[Problem]:
    """Door clear widths: into rooms, on passageways and to accessible WCs (§4)."""
    access = rules.accessibility
    wcs = {s.id for s in _accessible_wcs(analysis, catalog)}
    problems: list[Problem] = []
    for door in analysis.plan.doors:
        a, b = analysis.door_sides.get(door.id, ((), ()))
        joined = [analysis.spaces[s] for s in (*a, *b) if s in analysis.spaces]
        if not joined:
            continue
        passage = all(s.circulation for s in joined) or any(s.id in wcs for s in joined)
        need = access.passage_door_m if passage else access.room_door_m
        clear = door.width_m - access.door_frame_m
        if clear < need - 1e-6:
            code = "R201" if passage else "R202"
            where = "on a passageway" if all(s.circulation for s in joined) else "into a room"
            if any(s.id in wcs for s in joined):
                where = "to an accessible WC"
            problems.append(
                Problem(
                    code,
                    f"door {door.id} {where} is {clear * 1000:.0f} mm clear "
                    f"({door.width_m:.2f} m less {access.door_frame_m * 1000:.0f} mm of frame); "
                    f"it needs {need * 1000:.0f} mm",
                    ids=(door.id, *(s.id for s in joined)),
                )
            )
    return problems


def _circulation_groups(analysis: PlanAnalysis) -> list[tuple[set[str], BaseGeometry]]:
    """The circulation as areas walked without a door: pieces joined by open links, unioned."""
    ids = [s.id for s in analysis.spaces.values() if s.circulation and s.kind != "open"]
    group = {s: s for s in ids}

    def root(s: str) -> str:
        while group[s] != s:
            group[s] = group[group[s]]
            s = group[s]
        return s

    for link in analysis.links:
        if link.via == "open" and link.a in group and link.b in group:
            group[root(link.a)] = root(link.b)
    members: dict[str, list[BaseGeometry]] = defaultdict(list)
    for s in ids:
        # grown a tenth of a millimetre, so pieces drawn turned close up without a hairline crack
        members[root(s)].append(analysis.spaces[s].shape.buffer(1e-4, join_style="mitre"))
    blocked = unary_union([analysis.solids, *analysis.columns])
    names: dict[str, set[str]] = defaultdict(set)
    for s in ids:
        names[root(s)].add(s)
    return [
        (names[key], unary_union(parts).difference(blocked))
        for key, parts in sorted(members.items())
    ]


def _turning_centres(analysis: PlanAnalysis, rules: BuildingRules) -> dict[str, BaseGeometry]:
    """Where a wheelchair's turning circle fits: the circle's centres, per piece of circulation.

    A piece's turning spaces are those of the circulation walked from it without a door.
    """
    # a round erosion is the same in any direction; a centimetre's give keeps a passage of
    # exactly the circle's width a turning space whichever way the drawing is turned
    radius = rules.accessibility.turning_diameter_m / 2 - _FIT_M
    out: dict[str, BaseGeometry] = {}
    for members, area in _circulation_groups(analysis):
        centres = area.buffer(-radius, quad_segs=16)
        for member in members:
            out[member] = centres
    return out


def _turning_problems(
    analysis: PlanAnalysis, turning: dict[str, BaseGeometry], rules: BuildingRules
) -> list[Problem]:
    """Passages narrower than the turning circle: a turning space at most half the interval off."""
    access = rules.accessibility
    reach = access.turning_interval_m / 2
    problems: list[Problem] = []
    for space in analysis.spaces.values():
        if space.kind not in ("corridor", "passage"):
            continue
        if clear_width(space.shape, access.turning_diameter_m):
            continue
        # points on a 0.25 m grid in the building's frame: the same for a turned copy
        samples = grid_points(analysis.frame, space.shape, 0.25) or [
            (space.shape.representative_point().x, space.shape.representative_point().y)
        ]
        centres = turning.get(space.id, Point())
        if centres.is_empty:
            gap = math.inf
        else:
            points = shapely.points(np.array(samples))
            gap = float(shapely.distance(points, centres).max())
        if gap > reach + 1e-6:
            problems.append(
                Problem(
                    "R203",
                    f"{space.id} is narrower than {access.turning_diameter_m:.1f} m and a point of "
                    f"it is {gap:.1f} m from the nearest turning space; one is needed every "
                    f"{access.turning_interval_m:.0f} m, so none may be over {reach:.1f} m away",
                    ids=(space.id,),
                )
            )
    return problems


def _wc_problems(
    analysis: PlanAnalysis, catalog: Catalog, rules: BuildingRules, turning: dict[str, BaseGeometry]
) -> list[Problem]:
    """An accessible WC: turning circle inside, room beside the seat, turning space at its door."""
    access = rules.accessibility
    need_width = access.wc_seat_width_m + 2 * access.wc_side_space_m
    problems: list[Problem] = []
    for wc in _accessible_wcs(analysis, catalog):
        inside = not wc.shape.buffer(-(access.turning_diameter_m / 2 - _FIT_M)).is_empty
        wide = clear_width(wc.shape, need_width)
        if not (inside and wide):
            problems.append(
                Problem(
                    "R204",
                    f"{wc.id} is {measured_width(wc.shape):.2f} m wide: an accessible WC needs a "
                    f"{access.turning_diameter_m:.1f} m turning circle and {need_width:.1f} m "
                    f"across the seat ({access.wc_side_space_m:.1f} m free on both sides)",
                    ids=(wc.id,),
                )
            )
        doors = [
            d
            for d in analysis.plan.doors
            if wc.id in (side := analysis.door_sides.get(d.id, ((), ())))[0] + side[1]
        ]
        for door in doors:
            sides = analysis.door_sides.get(door.id, ((), ()))
            outside = [s for s in (*sides[0], *sides[1]) if s != wc.id and s in turning]
            near = any(
                not turning[s].is_empty
                and Point(door.at).distance(turning[s]) <= access.turning_diameter_m / 2 + _FIT_M
                for s in outside
            )
            if not near:
                problems.append(
                    Problem(
                        "R205",
                        f"no {access.turning_diameter_m:.1f} m turning space in front of {wc.id}'s "
                        f"door {door.id}",
                        ids=(wc.id, door.id),
                    )
                )
    return problems


# --------------------------------------------------------------------------- daylight


def _daylight_problems(
    analysis: PlanAnalysis, catalog: Catalog, rules: BuildingRules
) -> tuple[list[Problem], int, int]:
    """Rooms that need daylight touch windowed façade enough; work places see a window."""
    light = rules.daylight
    windows = [LineString(w) for w in analysis.plan.windows]
    glass = unary_union(windows) if windows else LineString()
    types = {st.id: st for st in catalog.space_types}
    problems: list[Problem] = []
    needing = ok = 0
    for space in analysis.spaces.values():
        st = types.get(space.space_type)
        if st is None or space.kind not in ("room", "open"):
            continue
        required = st.daylight == "required"
        workplace = st.unit == "workplace"
        if not (required or workplace):
            continue
        needing += 1
        touch = (
            float(space.shape.exterior.buffer(_ON_FACADE_M).intersection(glass).length)
            if not glass.is_empty
            else 0.0
        )
        if space.enclosed:
            need = light.window_share * space.shape.area / light.window_height_m
            good = touch >= need - 1e-3  # a millimetre of give, for turned drawings
            detail = (
                f"touches {touch:.1f} m of windowed façade; its {space.shape.area:.0f} m² need "
                f"{need:.1f} m (windows {light.window_share:.0%} of the floor, "
                f"{light.window_height_m:.1f} m high)"
            )
        else:
            gap = space.shape.distance(glass) if not glass.is_empty else math.inf
            good = gap <= light.open_area_reach_m + 1e-6
            detail = (
                f"is {gap:.1f} m from a windowed façade; an open area gets daylight within "
                f"{light.open_area_reach_m:.0f} m"
            )
        if good:
            ok += 1
            continue
        code = "R301" if required else "R302"
        what = "needs daylight" if required else "is a permanent work place"
        problems.append(Problem(code, f"{space.id} {what} and {detail}", ids=(space.id,)))
    return problems, needing, ok
