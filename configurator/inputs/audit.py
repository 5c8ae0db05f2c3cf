"""Check the cross-references and geometry that single records cannot check on their own."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable

from shapely.geometry import LineString, Point, Polygon
from shapely.validation import explain_validity

from configurator.model.errors import Problem
from configurator.model.schema import Catalog, Footprint, Scenario

__all__ = ["audit_catalog", "audit_scenario", "footprint_polygon"]

_ON_OUTLINE_M = 0.05
"""How far (m) an entrance or window may lie from the outline and still count as on it."""
_TOUCH_M = 1e-3
"""A core drawn up to a millimetre past the outline still counts as inside it."""


def audit_catalog(catalog: Catalog) -> list[Problem]:
    """Return every broken reference, duplicate id and bad share in a catalog (empty if sound).

    Problem paths are data paths such as ``space_types[3].zone``; the loader adds files and lines.
    """
    problems: list[Problem] = []
    for section in ("zones", "space_types", "roles", "personas", "agencies"):
        ids = [item.id for item in getattr(catalog, section)]
        for dup, n in Counter(ids).items():
            if n > 1:
                where = ids.index(dup, ids.index(dup) + 1)
                problems.append(
                    Problem(
                        "E308", f"duplicate id {dup!r} ({n} times)", path=f"{section}[{where}].id"
                    )
                )
    zones = {z.id for z in catalog.zones}
    spaces = {s.id for s in catalog.space_types}
    roles = {r.id for r in catalog.roles}
    users = roles | {"visitor", "staff"}
    for i, st in enumerate(catalog.space_types):
        at = f"space_types[{i}]"
        if st.zone not in zones:
            problems.append(_unknown("E301", "zone", st.zone, zones, f"{at}.zone"))
        for key in ("preferred_neighbours", "forbidden_neighbours"):
            for j, other in enumerate(getattr(st, key)):
                if other not in spaces:
                    problems.append(
                        _unknown("E302", "space type", other, spaces, f"{at}.{key}[{j}]")
                    )
        for j, user in enumerate(st.users):
            if user not in users:
                problems.append(_unknown("E303", "user", user, users, f"{at}.users[{j}]"))
        if st.driver.kind == "per_role" and st.driver.role not in roles:
            problems.append(_unknown("E306", "role", st.driver.role, roles, f"{at}.driver.role"))
        clash = set(st.preferred_neighbours) & set(st.forbidden_neighbours)
        if clash:
            problems.append(
                Problem(
                    "E313",
                    f"{', '.join(sorted(clash))} both preferred and forbidden as neighbour",
                    path=f"{at}.forbidden_neighbours",
                )
            )
    for i, role in enumerate(catalog.roles):
        for j, space in enumerate(role.works_in):
            if space not in spaces:
                problems.append(
                    _unknown("E304", "space type", space, spaces, f"roles[{i}].works_in[{j}]")
                )
        if role.rule.kind == "workload" and role.rule.space_type not in spaces:
            problems.append(
                _unknown(
                    "E304",
                    "space type",
                    role.rule.space_type,
                    spaces,
                    f"roles[{i}].rule.space_type",
                )
            )
    problems += _audit_channels(catalog)
    for i, persona in enumerate(catalog.personas):
        for j, path in enumerate(persona.paths):
            for k, moment in enumerate(path.moments):
                if moment.space_type not in spaces:
                    problems.append(
                        _unknown(
                            "E305",
                            "space type",
                            moment.space_type,
                            spaces,
                            f"personas[{i}].paths[{j}].moments[{k}].space_type",
                        )
                    )
    used = Counter(st.zone for st in catalog.space_types)
    for i, zone in enumerate(catalog.zones):
        if used[zone.id] == 0:
            problems.append(
                Problem("E307", f"zone {zone.id!r} has no space types", path=f"zones[{i}]")
            )
    share = math.fsum(p.share for p in catalog.personas)
    if abs(share - 1.0) > 1e-6:
        problems.append(
            Problem("E401", f"persona shares sum to {share:.4g}, expected 1", path="personas")
        )
    return problems


def audit_scenario(scenario: Scenario, catalog: Catalog | None) -> list[Problem]:
    """Return every problem of a scenario against its catalog and its own footprint geometry."""
    problems: list[Problem] = []
    ids = [a.id for a in scenario.agencies]
    for dup, n in Counter(ids).items():
        if n > 1:
            problems.append(Problem("E308", f"agency {dup!r} is listed {n} times", path="agencies"))
    if scenario.persona_mix is not None:
        total = math.fsum(scenario.persona_mix.values())
        if abs(total - 1.0) > 1e-6:
            problems.append(
                Problem(
                    "E402", f"persona_mix shares sum to {total:.4g}, expected 1", path="persona_mix"
                )
            )
        if catalog is not None:
            known = {p.id for p in catalog.personas}
            for persona in scenario.persona_mix:
                if persona not in known:
                    problems.append(
                        _unknown("E309", "persona", persona, known, f"persona_mix.{persona}")
                    )
    problems += audit_footprint(scenario.footprint, prefix="footprint")
    return problems


def audit_footprint(footprint: Footprint, *, prefix: str = "footprint") -> list[Problem]:
    """Check that the outline is a simple polygon and that doors, windows and cores fit it."""
    outline = footprint.outline()
    polygon = Polygon(outline)
    if not polygon.is_valid:
        where = f"{prefix}.polygon" if footprint.polygon is not None else f"{prefix}.rectangle"
        return [
            Problem(
                "E501",
                "the outline is not a simple polygon "
                f"({explain_validity(polygon)}); list the corners in order, without crossings",
                path=where,
            )
        ]
    if polygon.area < 10.0:
        return [Problem("E505", f"the outline encloses only {polygon.area:.2f} m²", path=prefix)]
    problems: list[Problem] = []
    boundary = polygon.exterior
    for i, entrance in enumerate(footprint.entrances):
        gap = boundary.distance(Point(entrance.at))
        if gap > _ON_OUTLINE_M:
            problems.append(
                Problem(
                    "E502",
                    f"entrance {entrance.id!r} at {entrance.at} is {gap:.2f} m from the outline; "
                    "an entrance must lie on it",
                    path=f"{prefix}.entrances[{i}].at",
                )
            )
    if footprint.windows != "all":
        for i, (a, b) in enumerate(footprint.windows):
            gap = _segment_gap(boundary, a, b)
            if gap > _ON_OUTLINE_M:
                problems.append(
                    Problem(
                        "E504",
                        f"window segment {a}-{b} is not on the outline ({gap:.2f} m off)",
                        path=f"{prefix}.windows[{i}]",
                    )
                )
    for i, obstacle in enumerate(footprint.obstacles):
        shape = Polygon(obstacle.polygon)
        if not shape.is_valid or shape.area <= 0:
            problems.append(
                Problem(
                    "E501",
                    f"obstacle {obstacle.id!r} is not a simple polygon",
                    path=f"{prefix}.obstacles[{i}].polygon",
                )
            )
        elif not polygon.buffer(_TOUCH_M).contains(shape):
            problems.append(
                Problem(
                    "E503",
                    f"obstacle {obstacle.id!r} is not inside the footprint",
                    path=f"{prefix}.obstacles[{i}].polygon",
                )
            )
    return problems


def footprint_polygon(footprint: Footprint) -> Polygon:
    """Return the usable floor: the outline less its obstacles."""
    polygon = Polygon(footprint.outline())
    for obstacle in footprint.obstacles:
        polygon = polygon.difference(Polygon(obstacle.polygon))
    return polygon


def _segment_gap(boundary: LineString, a: tuple[float, float], b: tuple[float, float]) -> float:
    """Return the largest distance from the outline of points along a segment."""
    segment = LineString([a, b])
    samples = [segment.interpolate(t, normalized=True) for t in (0.0, 0.25, 0.5, 0.75, 1.0)]
    return float(max(boundary.distance(p) for p in samples))


def _unknown(code: str, what: str, value: str, known: Iterable[str], path: str) -> Problem:
    """Say that a reference names nothing, listing what it could have named."""
    options = sorted(known)
    shown = ", ".join(options[:12]) + (" …" if len(options) > 12 else "")
    return Problem(code, f"unknown {what} {value!r}; expected one of: {shown}", path=path)


def _audit_channels(catalog: Catalog) -> list[Problem]:
    """Check that every channel has somewhere to be served, and room shares sum to 1."""
    problems: list[Problem] = []
    queues = {st.driver.channel for st in catalog.space_types if st.driver.kind == "queue"}
    for channel in ("quick_counter", "self_service"):
        if channel not in queues:
            problems.append(
                Problem(
                    "E315",
                    f"no space type serves the {channel!r} channel (a 'queue' driver is needed)",
                    path="space_types",
                )
            )
    for channel in ("appointment", "remote", "group"):
        shares = [
            st.driver.share
            for st in catalog.space_types
            if st.driver.kind == "appointment_hours" and st.driver.channel == channel
        ]
        if not shares:
            problems.append(
                Problem(
                    "E315",
                    f"no space type serves the {channel!r} channel (an 'appointment_hours' driver)",
                    path="space_types",
                )
            )
        elif abs(math.fsum(shares) - 1.0) > 1e-6:
            problems.append(
                Problem(
                    "E403",
                    f"the shares of {channel!r} booked hours over its space types sum to "
                    f"{math.fsum(shares):.4g}, expected 1",
                    path="space_types",
                )
            )
    return problems
