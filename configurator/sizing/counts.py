"""Count every space type and staff role from the design-hour demand, each with its reason.

Each count follows the space type's driver (a queue, booked hours, staff, a fixed number, ...)
and carries a one-line explanation a planner can check by hand.
"""

from __future__ import annotations

import math
from collections import defaultdict

from pydantic import BaseModel, ConfigDict, Field

from configurator.model.schema import Catalog, Channel, Scenario, ServiceTargets, SpaceType
from configurator.sizing import queueing
from configurator.sizing.demand import Demand

__all__ = [
    "QueueSizing",
    "RoleCount",
    "Sizing",
    "SizingError",
    "SpaceCount",
    "sizing_from_demand",
]


class SizingError(ValueError):
    """A demand that no count can serve within the targets (e.g. more than 500 counters)."""


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class QueueSizing(_Frozen):
    """One queue the point runs (shared, or one agency's own) and what its servers achieve."""

    name: str
    channel: Channel
    agencies: list[str]
    arrivals_per_hour: float = Field(ge=0.0)
    mean_service_min: float = Field(ge=0.0)
    servers: int = Field(ge=0)
    target_wait_s: float
    target_level: float
    service_level: float = Field(ge=0.0, le=1.0)
    mean_wait_s: float = Field(ge=0.0)
    queue_p95: int = Field(ge=0, description="95th percentile of people queueing.")
    level_with_one_fewer: float | None = Field(
        default=None, description="Service level with one server fewer, to show the margin."
    )
    p_abandon: float = Field(ge=0.0, le=1.0, description="Share who give up (Erlang A).")
    abandon_cap: float = Field(ge=0.0, le=1.0)
    servers_for_level: int = Field(ge=0, description="Servers the service level alone needs.")


class SpaceCount(_Frozen):
    """How many units of a space type the point needs, and why (in English and Finnish)."""

    space_type: str
    count: int = Field(ge=0)
    explanation: str
    explanation_fi: str = Field(min_length=1, description="The same sentence in Finnish.")


class RoleCount(_Frozen):
    """How many persons of a role are on duty in the design hour, and why."""

    role: str
    persons: int = Field(ge=0)
    explanation: str


class Sizing(_Frozen):
    """Counts of every space type and role, with the queues behind them."""

    spaces: list[SpaceCount]
    roles: list[RoleCount]
    queues: list[QueueSizing]
    waiting_seats: int = Field(ge=0)
    staff_on_site: int = Field(ge=0, description="Agency staff plus the point's own roles.")

    def count(self, space_type: str) -> int:
        """Return the count of a space type (0 if it is not in the sizing)."""
        return next((s.count for s in self.spaces if s.space_type == space_type), 0)

    def persons(self, role: str) -> int:
        """Return the persons on duty in a role (0 if none)."""
        return next((r.persons for r in self.roles if r.role == role), 0)


def sizing_from_demand(
    demand: Demand,
    *,
    catalog: Catalog,
    scenario: Scenario,
    pooled: bool = True,
) -> Sizing:
    """Count every space type of the catalog and every role for a demand.

    ``pooled=False`` sizes the agencies' queues one by one even where they may share counters;
    the pooling comparison uses it for separate offices.
    """
    targets = scenario.targets
    agencies = {a.id: a for a in scenario.agencies}
    queues: dict[str, list[QueueSizing]] = {}
    for st in catalog.space_types:
        if st.driver.kind == "queue":
            sharing = {a for a in agencies if agencies[a].shares_counters}
            if st.driver.channel == "self_service":
                sharing = set(agencies)  # terminals are generic: every agency's e-services
            queues[st.id] = _size_queues(
                demand,
                channel=st.driver.channel,
                shared=sharing if (pooled and st.driver.pooled) else set(),
                targets=targets,
            )

    counts: dict[str, SpaceCount] = {}
    for st in catalog.space_types:
        driver = st.driver
        if driver.kind == "queue":
            counts[st.id] = _queue_count(st, queues[st.id])
        elif driver.kind == "appointment_hours":
            counts[st.id] = _room_count(
                st, demand, driver.channel, driver.share, targets, driver.max_utilisation
            )
        elif driver.kind == "fixed":
            counts[st.id] = SpaceCount(
                space_type=st.id,
                count=driver.count,
                explanation=f"{driver.count} {_unit(st, driver.count)}: fixed count",
                explanation_fi=f"{driver.count} {_unit_fi(st, driver.count)}: kiinteä määrä",
            )
        elif driver.kind == "visitor_load":
            persons = demand.persons_per_design_hour
            counts[st.id] = _per_unit(
                st,
                persons,
                driver.visitors_per_unit_hour,
                driver.minimum,
                basis=f"{persons:.1f} visitors/h",
                basis_fi=f"{_fi(persons, 1)} asiakasta/h",
            )

    roles = _size_roles(demand, catalog=catalog, scenario=scenario, counts=counts)
    role_persons = {r.role: r.persons for r in roles}
    all_queues = [q for qs in queues.values() for q in qs]
    seats, seat_reason, seat_reason_fi = _waiting_seats(demand, all_queues, targets)

    for st in catalog.space_types:
        driver = st.driver
        if driver.kind == "waiting_seats":
            counts[st.id] = SpaceCount(
                space_type=st.id,
                count=seats,
                explanation=seat_reason,
                explanation_fi=seat_reason_fi,
            )
        elif driver.kind == "per_seats":
            counts[st.id] = _per_unit(
                st,
                seats,
                driver.seats_per_unit,
                driver.minimum,
                basis=f"{seats} waiting seats",
                basis_fi=f"{seats} odotuspaikkaa",
            )
        elif driver.kind == "per_role":
            persons = role_persons.get(driver.role, 0)
            n = max(driver.minimum, persons)
            counts[st.id] = SpaceCount(
                space_type=st.id,
                count=n,
                explanation=f"{n} {_unit(st, n)}: one per {driver.role} on duty ({persons})",
                explanation_fi=(
                    f"{n} {_unit_fi(st, n)}: yksi kutakin työvuorossa olevaa kohti "
                    f"({driver.role}, {persons})"
                ),
            )

    roles = _with_guards(roles, catalog=catalog, counts=counts)
    agency_staff = sum(agencies[a].staff_on_site for a in {r.agency for r in demand.channels})
    staff = agency_staff + sum(r.persons for r in roles if r.role != _specialist_role(catalog))
    for st in catalog.space_types:
        driver = st.driver
        if driver.kind == "per_staff":
            if driver.desk_sharing:
                base = agency_staff * scenario.targets.desk_sharing_ratio
                basis = (
                    f"{agency_staff} agency staff on site × desk-sharing ratio "
                    f"{scenario.targets.desk_sharing_ratio:g}"
                )
                basis_fi = (
                    f"{agency_staff} toimijoiden työntekijää paikalla × työpisteiden "
                    f"jakosuhde {_fi(scenario.targets.desk_sharing_ratio)}"
                )
            else:
                base = staff
                basis = f"{staff} staff on site (agencies and the point's own roles)"
                basis_fi = f"{staff} työntekijää paikalla (toimijat ja pisteen omat roolit)"
            counts[st.id] = _per_unit(
                st, base, driver.staff_per_unit, driver.minimum, basis=basis, basis_fi=basis_fi
            )
    return Sizing(
        spaces=[counts[st.id] for st in catalog.space_types],
        roles=roles,
        queues=all_queues,
        waiting_seats=seats,
        staff_on_site=staff,
    )


def _size_queues(
    demand: Demand, *, channel: Channel, shared: set[str], targets: ServiceTargets
) -> list[QueueSizing]:
    """Size one pooled queue for the sharing agencies and one queue for each other agency."""
    wait, level = (
        (targets.self_service_wait_s, targets.self_service_level)
        if channel == "self_service"
        else (targets.counter_wait_s, targets.counter_level)
    )
    groups: list[tuple[str, list[str]]] = []
    rows = [r for r in demand.channels if r.channel == channel and r.arrivals_per_design_hour > 0]
    pooled = sorted({r.agency for r in rows if r.agency in shared})
    if pooled:
        groups.append(("shared" if len(pooled) > 1 else pooled[0], pooled))
    groups += [(r.agency, [r.agency]) for r in rows if r.agency not in shared]
    result = []
    for name, members in groups:
        mine = [r for r in rows if r.agency in members]
        rate = math.fsum(r.arrivals_per_design_hour for r in mine)
        service = math.fsum(r.arrivals_per_design_hour * r.handling_time_min for r in mine) / rate
        try:
            by_level = queueing.required_servers(rate, service, wait, level)
            # Visitors who give up would let a lean count "meet" the target by losing them:
            # the count must also keep abandonment under the cap (Erlang A, exact).
            by_abandon = queueing.required_servers_erlang_a(
                rate, service, targets.mean_patience_min, wait, level, targets.max_abandon
            )
            servers = max(by_level, by_abandon)
        except queueing.QueueingError as exc:
            raise SizingError(
                f"{channel} queue '{name}': {rate:.1f} arrivals/h at {service:.1f} min cannot meet "
                f"{level:.0%} within {wait:g} s: {exc}"
            ) from None
        fewer = (
            queueing.service_level(rate, service, servers - 1, wait)
            if servers - 1 > rate * service / 60.0
            else 0.0
        )
        abandon = queueing.erlang_a(
            rate, service, targets.mean_patience_min, servers, wait
        ).p_abandon
        result.append(
            QueueSizing(
                name=name,
                channel=channel,
                agencies=members,
                arrivals_per_hour=rate,
                mean_service_min=service,
                servers=servers,
                target_wait_s=wait,
                target_level=level,
                service_level=queueing.service_level(rate, service, servers, wait),
                mean_wait_s=queueing.mean_wait_s(rate, service, servers),
                queue_p95=queueing.queue_length_quantile(rate, service, servers, 0.95),
                level_with_one_fewer=fewer if servers > 1 else None,
                p_abandon=abandon,
                abandon_cap=targets.max_abandon,
                servers_for_level=by_level,
            )
        )
    return result


def _queue_count(st: SpaceType, queues: list[QueueSizing]) -> SpaceCount:
    """Sum the servers of a channel's queues and explain each queue."""
    n = sum(q.servers for q in queues)
    if not queues:
        return SpaceCount(
            space_type=st.id,
            count=0,
            explanation=f"0 {_unit(st, 0)}: no arrivals on this channel",
            explanation_fi=f"0 {_unit_fi(st, 0)}: tällä kanavalla ei ole asiointeja",
        )
    parts, parts_fi = [], []
    for q in queues:
        text = (
            f"{q.name} {q.servers}: {q.arrivals_per_hour:.1f} arrivals/h, "
            f"{q.mean_service_min:.1f} min "
            f"mean, target {q.target_level:.0%} in {q.target_wait_s / 60:g} min; "
            f"{q.servers} give {q.service_level:.0%}"
        )
        if q.level_with_one_fewer is not None:
            text += f", {q.servers - 1} give {q.level_with_one_fewer:.0%}"
        if q.servers > q.servers_for_level:
            text += (
                f"; {q.servers_for_level} would meet the level but lose over "
                f"{q.abandon_cap:.0%} who give up, {q.servers} lose {q.p_abandon:.1%}"
            )
        parts.append(text)
        text_fi = (
            f"{'yhteinen' if q.name == 'shared' else q.name} {q.servers}: "
            f"{_fi(q.arrivals_per_hour, 1)} saapujaa/h, keskimäärin {_fi(q.mean_service_min, 1)} "
            f"min, tavoite {_pct(q.target_level)} {_fi(q.target_wait_s / 60)} minuutissa; "
            f"{q.servers} antaa {_pct(q.service_level)}"
        )
        if q.level_with_one_fewer is not None:
            text_fi += f", {q.servers - 1} antaa {_pct(q.level_with_one_fewer)}"
        if q.servers > q.servers_for_level:
            text_fi += (
                f"; {q.servers_for_level} täyttäisi tason, mutta yli {_pct(q.abandon_cap)} "
                f"luopuisi jonosta, {q.servers} menettää {_pct(q.p_abandon, 1)}"
            )
        parts_fi.append(text_fi)
    return SpaceCount(
        space_type=st.id,
        count=n,
        explanation=f"{n} {_unit(st, n)}: " + "; ".join(parts),
        explanation_fi=f"{n} {_unit_fi(st, n)}: " + "; ".join(parts_fi),
    )


def _room_count(
    st: SpaceType,
    demand: Demand,
    channel: Channel,
    share: float,
    targets: ServiceTargets,
    max_utilisation: float | None,
) -> SpaceCount:
    """Count rooms as booked hours in the design hour divided by the target utilisation."""
    booked = share * math.fsum(r.workload_erlangs for r in demand.channels if r.channel == channel)
    utilisation = max_utilisation if max_utilisation is not None else targets.room_utilisation
    n = math.ceil(booked / utilisation - 1e-9)
    return SpaceCount(
        space_type=st.id,
        count=n,
        explanation=(
            f"{n} {_unit(st, n)}: {booked:.2f} booked h per design hour "
            f"({share:.0%} of {channel}) ÷ utilisation {utilisation:.0%}"
        ),
        explanation_fi=(
            f"{n} {_unit_fi(st, n)}: {_fi(booked, 2)} varattua tuntia mitoitustunnissa "
            f"({_pct(share)} kanavan {_CHANNEL_FI[channel]} asioinneista) ÷ käyttöaste "
            f"{_pct(utilisation)}"
        ),
    )


def _waiting_seats(
    demand: Demand, queues: list[QueueSizing], targets: ServiceTargets
) -> tuple[int, str, str]:
    """Seats for the 95th percentile queueing plus early appointment visitors, with companions."""
    queueing_p95 = sum(q.queue_p95 for q in queues)
    booked = ("appointment", "remote", "group")
    early = math.fsum(
        r.arrivals_per_design_hour for r in demand.channels if r.channel in booked
    ) * (targets.early_arrival_min / 60.0)
    seats = math.ceil((queueing_p95 + early) * targets.companions_factor - 1e-9)
    reason = (
        f"{seats} seats: 95th percentile queueing {queueing_p95} (sum over {len(queues)} queues) "
        f"+ {early:.1f} early appointment visitors ({targets.early_arrival_min:g} min early), "
        f"× companions {targets.companions_factor:g}"
    )
    reason_fi = (
        f"{seats} paikkaa: jonottajien 95. persentiili {queueing_p95} ({len(queues)} jonon "
        f"summa) + {_fi(early, 1)} etuajassa saapuvaa ajanvarausasiakasta "
        f"({_fi(targets.early_arrival_min)} min etuajassa), × saattajat "
        f"{_fi(targets.companions_factor)}"
    )
    return seats, reason, reason_fi


def _size_roles(
    demand: Demand, *, catalog: Catalog, scenario: Scenario, counts: dict[str, SpaceCount]
) -> list[RoleCount]:
    """Count the roles whose rule is a workload or the agencies' staff (guards come later)."""
    roles: list[RoleCount] = []
    moments: dict[str, float] = defaultdict(float)
    arrivals: dict[str, float] = defaultdict(float)
    for m in demand.moments:
        moments[m.space_type] += m.workload_erlangs
        arrivals[m.space_type] += m.arrivals_per_design_hour
    present = {r.agency for r in demand.channels}
    for role in catalog.roles:
        rule = role.rule
        if rule.kind == "workload":
            load = moments.get(rule.space_type, 0.0)
            n = (
                max(1, math.ceil(load / rule.max_utilisation - 1e-9))
                if demand.persons_per_design_hour > 0
                else 0
            )
            per_visitor = (
                60.0 * load / demand.persons_per_design_hour
                if demand.persons_per_design_hour
                else 0.0
            )
            roles.append(
                RoleCount(
                    role=role.id,
                    persons=n,
                    explanation=(
                        f"{n} on duty: {arrivals.get(rule.space_type, 0.0):.1f} visitors/h at "
                        f"{rule.space_type}, {per_visitor:.2f} min per arriving visitor = "
                        f"{load:.2f} busy persons ÷ utilisation {rule.max_utilisation:.0%}, "
                        "at least 1"
                    ),
                )
            )
        elif rule.kind == "agency_staff":
            staff = sum(a.staff_on_site for a in scenario.agencies if a.id in present)
            roles.append(
                RoleCount(
                    role=role.id,
                    persons=staff,
                    explanation=f"{staff} on site: the agencies' staff_on_site",
                )
            )
    return roles


def _with_guards(
    roles: list[RoleCount], *, catalog: Catalog, counts: dict[str, SpaceCount]
) -> list[RoleCount]:
    """Add guards: at least the minimum while open, more for a large open area or a secure room."""
    zones = {z.id: z for z in catalog.zones}
    open_area = math.fsum(
        counts[st.id].count * st.unit_area_m2
        for st in catalog.space_types
        if st.id in counts and zones[st.zone].privacy in ("open", "semi_open")
    )
    secure = sum(counts[st.id].count for st in catalog.space_types if st.secure and st.id in counts)
    out = list(roles)
    for role in catalog.roles:
        rule = role.rule
        if rule.kind != "guard":
            continue
        by_area = math.ceil(open_area / rule.open_area_m2_per_guard - 1e-9)
        extra = rule.extra_with_secure_room if secure else 0
        n = max(rule.minimum_on_duty, by_area) + extra
        out.append(
            RoleCount(
                role=role.id,
                persons=n,
                explanation=(
                    f"{n} on duty: {open_area:.0f} m² open and semi-open net area ÷ "
                    f"{rule.open_area_m2_per_guard:g} m² per guard, at least {rule.minimum_on_duty}"
                    + (f", +{extra} for the secure room" if extra else "")
                ),
            )
        )
    return out


def _per_unit(
    st: SpaceType, amount: float, per: float, minimum: int, *, basis: str, basis_fi: str
) -> SpaceCount:
    """Count units as an amount divided by what one unit serves, at least a minimum."""
    n = max(minimum, math.ceil(amount / per - 1e-9))
    return SpaceCount(
        space_type=st.id,
        count=n,
        explanation=f"{n} {_unit(st, n)}: {basis} ÷ {per:g} per unit, at least {minimum}",
        explanation_fi=(
            f"{n} {_unit_fi(st, n)}: {basis_fi} ÷ {_fi(per)} yksikköä kohti, vähintään {minimum}"
        ),
    )


def _specialist_role(catalog: Catalog) -> str | None:
    return next((r.id for r in catalog.roles if r.rule.kind == "agency_staff"), None)


_CHANNEL_FI: dict[str, str] = {
    "self_service": "itsepalvelu",
    "quick_counter": "pikapalvelu",
    "appointment": "ajanvaraus",
    "remote": "etäpalvelu",
    "group": "ryhmäpalvelu",
}
"""Channel names in Finnish, for the explanations."""


def _fi(value: float, decimals: int | None = None) -> str:
    """Format a number the Finnish way: decimal comma (``g`` format unless decimals given)."""
    text = f"{value:.{decimals}f}" if decimals is not None else f"{value:g}"
    return text.replace(".", ",")


def _pct(share: float, decimals: int = 0) -> str:
    """Format a share as a Finnish percentage: ``80 %``, ``2,5 %``."""
    return f"{_fi(share * 100, decimals)} %"


def _unit_fi(st: SpaceType, n: int) -> str:
    """Return the Finnish word for n units (partitive after numbers other than one)."""
    one, many = {
        "room": ("huone", "huonetta"),
        "seat": ("istumapaikka", "istumapaikkaa"),
        "workplace": ("työpiste", "työpistettä"),
        "place": ("paikka", "paikkaa"),
    }[st.unit]
    return one if n == 1 else many


def _unit(st: SpaceType, n: int) -> str:
    word = {"room": "room", "seat": "seat", "workplace": "work place", "place": "place"}[st.unit]
    return word if n == 1 else word + "s"
