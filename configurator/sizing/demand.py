"""Turn agencies' annual visits and the persona paths into design-hour arrivals and workloads.

The design hour is the busy hour of a busy day: ``annual visits / opening days × peak-day
factor`` gives the design day, ``/ opening hours × peak-hour factor`` its busiest hour. The
agencies' design hours are added as if they coincide, which is the safe side for sizing a
point they share.
"""

from __future__ import annotations

import math
from collections import defaultdict

from pydantic import BaseModel, ConfigDict, Field

from configurator.model.schema import (
    CHANNELS,
    TIMED_MOMENTS,
    Agency,
    Catalog,
    Channel,
    Persona,
    Scenario,
)

__all__ = [
    "DEFAULT_HOURLY_SHAPE",
    "Arrival",
    "ChannelDemand",
    "Demand",
    "MomentDemand",
    "demand_from_scenario",
    "design_day_arrivals",
    "design_day_visits",
    "design_hour_arrivals",
    "hourly_rates",
]

DEFAULT_HOURLY_SHAPE = (1.35, 1.25, 0.95, 1.05, 0.9, 0.75, 0.6, 0.5)
"""Relative arrivals in each hour from opening where an agency gives no profile: busiest in
the first hours, a second rise after lunch, quiet towards closing (our judgement: the seeds
publish no hourly counts); hours past the eighth take the last figure. Each agency's shape is
then scaled so its busiest hour is its design hour (:func:`hourly_rates`)."""


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ChannelDemand(_Frozen):
    """One agency's demand on one channel: the visits/year → day → hour chain and its workload."""

    agency: str
    channel: Channel
    visits_per_year: float = Field(ge=0.0)
    visits_per_design_day: float = Field(ge=0.0)
    arrivals_per_design_hour: float = Field(ge=0.0, description="Visitors per design hour.")
    handling_time_min: float = Field(ge=0.0)
    sessions_per_design_hour: float = Field(
        ge=0.0, description="Services started per hour: visitors, or groups for 'group'."
    )
    workload_erlangs: float = Field(
        ge=0.0, description="Busy servers or rooms needed on average: sessions × time / 60."
    )


class MomentDemand(_Frozen):
    """The load of the persona paths' timed moments (guidance, help, amenities) on a space type."""

    space_type: str
    kind: str
    arrivals_per_design_hour: float = Field(ge=0.0)
    mean_duration_min: float = Field(ge=0.0)
    workload_erlangs: float = Field(ge=0.0)


class Demand(_Frozen):
    """Design-hour demand of a scenario: per agency and channel, and per path moment."""

    channels: list[ChannelDemand]
    moments: list[MomentDemand]
    persons_per_design_hour: float = Field(
        ge=0.0, description="Visitors arriving per design hour (a person may use several services)."
    )
    services_per_visit: float = Field(
        ge=1.0, description="Mean services per person, persona-weighted."
    )
    persona_shares: dict[str, float]

    def channel_arrivals(self, channel: Channel, agencies: set[str] | None = None) -> float:
        """Return the design-hour arrivals of a channel, over all or some agencies."""
        return math.fsum(
            row.arrivals_per_design_hour
            for row in self.channels
            if row.channel == channel and (agencies is None or row.agency in agencies)
        )

    def alone(self, agency: str) -> Demand:
        """Return one agency's demand as if it had an office of its own.

        Alone, every service is a trip of its own: a visitor who needs two agencies arrives
        twice, so persons per hour equal the agency's visits and each trip loads the path
        moments (guidance, help, WC) again.
        """
        kept = [row for row in self.channels if row.agency == agency]
        persons = math.fsum(r.arrivals_per_design_hour for r in kept)
        scale = persons / self.persons_per_design_hour if self.persons_per_design_hour else 0.0
        return Demand(
            channels=kept,
            moments=[
                m.model_copy(
                    update={
                        "arrivals_per_design_hour": m.arrivals_per_design_hour * scale,
                        "workload_erlangs": m.workload_erlangs * scale,
                    }
                )
                for m in self.moments
            ],
            persons_per_design_hour=persons,
            services_per_visit=1.0,
            persona_shares=self.persona_shares,
        )


def design_day_visits(agency: Agency) -> float:
    """Return the visits on the design day: the mean day's visits times the peak-day factor."""
    return agency.annual_visits / agency.opening_days * agency.peak_day_factor


def design_hour_arrivals(agency: Agency) -> float:
    """Return the design-hour visits: the design day's mean hour times the peak-hour factor."""
    return design_day_visits(agency) / agency.opening_hours * agency.peak_hour_factor


def demand_from_scenario(scenario: Scenario, *, catalog: Catalog) -> Demand:
    """Compute the design-hour demand of every agency channel and every timed path moment.

    A visitor who needs several services makes one arrival but several visits, so persons
    per hour are visits divided by the persona-weighted services per visit; the path moments
    (a guide, a help point, a WC) are loaded per person.
    """
    rows: list[ChannelDemand] = []
    for agency in scenario.agencies:
        day = design_day_visits(agency)
        hour = design_hour_arrivals(agency)
        for channel in CHANNELS:
            share = agency.channel_split.get(channel)
            time = agency.handling_time_min.get(channel)
            arrivals = hour * share
            sessions = arrivals / agency.group_size if channel == "group" else arrivals
            rows.append(
                ChannelDemand(
                    agency=agency.id,
                    channel=channel,
                    visits_per_year=agency.annual_visits * share,
                    visits_per_design_day=day * share,
                    arrivals_per_design_hour=arrivals,
                    handling_time_min=time,
                    sessions_per_design_hour=sessions,
                    workload_erlangs=sessions * time / 60.0,
                )
            )
    shares = persona_shares(scenario, catalog=catalog)
    personas = {p.id: p for p in catalog.personas}
    services = math.fsum(shares[p] * personas[p].services_per_visit for p in shares)
    persons = math.fsum(r.arrivals_per_design_hour for r in rows) / services
    return Demand(
        channels=rows,
        moments=_moment_demand([(personas[p], shares[p]) for p in shares], persons),
        persons_per_design_hour=persons,
        services_per_visit=services,
        persona_shares=shares,
    )


def persona_shares(scenario: Scenario, *, catalog: Catalog) -> dict[str, float]:
    """Return the share of visitors per persona: the scenario's mix, else the catalog's."""
    if scenario.persona_mix is not None:
        return dict(scenario.persona_mix)
    return {p.id: p.share for p in catalog.personas}


def _moment_demand(personas: list[tuple[Persona, float]], persons: float) -> list[MomentDemand]:
    """Add up arrivals and minutes of the timed moments of every path, per space type and kind."""
    arrivals: dict[tuple[str, str], float] = defaultdict(float)
    minutes: dict[tuple[str, str], float] = defaultdict(float)
    for persona, share in personas:
        for path in persona.paths:
            for moment in path.moments:
                if moment.kind not in TIMED_MOMENTS or moment.duration_min is None:
                    continue
                rate = persons * share * path.share * moment.probability
                arrivals[moment.space_type, moment.kind] += rate
                minutes[moment.space_type, moment.kind] += rate * moment.duration_min
    return [
        MomentDemand(
            space_type=space,
            kind=kind,
            arrivals_per_design_hour=arrivals[space, kind],
            mean_duration_min=minutes[space, kind] / arrivals[space, kind]
            if arrivals[space, kind]
            else 0.0,
            workload_erlangs=minutes[space, kind] / 60.0,
        )
        for space, kind in sorted(arrivals)
    ]


class Arrival(_Frozen):
    """One visit of the design day: when (s after opening), to which agency, by which channel."""

    at_s: float = Field(ge=0.0)
    agency: str
    channel: Channel


def hourly_rates(agency: Agency) -> list[tuple[float, float]]:
    """Return the design day hour by hour from opening: (the slot's length in hours, arrivals
    per hour in it); the last slot may be part of an hour.

    The shape (the agency's profile, else :data:`DEFAULT_HOURLY_SHAPE`) is mixed with an even
    day so that the day holds :func:`design_day_visits` and its busiest hour arrives at
    :func:`design_hour_arrivals`: the day the simulation walks is the day the sizing sized.
    Raises ``ValueError`` where the shape is too flat to reach the peak-hour factor without a
    negative hour.
    """
    hours = agency.opening_hours
    slots = math.ceil(hours - 1e-9)
    lengths = [min(1.0, hours - k) for k in range(slots)]
    shape = list(agency.hourly_profile or [])
    if not shape:
        shape = [DEFAULT_HOURLY_SHAPE[min(k, len(DEFAULT_HOURLY_SHAPE) - 1)] for k in range(slots)]
    mean = math.fsum(w * n for w, n in zip(shape, lengths, strict=True)) / hours
    shape = [w / mean for w in shape]  # a mean of 1 over the day
    peak = max(shape)
    target = agency.peak_hour_factor
    if peak - 1.0 <= 1e-12:
        if target > 1.0 + 1e-9:
            raise ValueError(f"{agency.id}: an even hourly profile cannot reach the peak-hour "
                             f"factor {target:g}")  # fmt: skip
        mix = 0.0
    else:
        mix = (target - 1.0) / (peak - 1.0)
    weights = [mix * w + (1.0 - mix) for w in shape]
    if min(weights) < -1e-12:
        raise ValueError(f"{agency.id}: the hourly profile is too flat for the peak-hour factor "
                         f"{target:g}: give its busiest hour more")  # fmt: skip
    mean_rate = design_day_visits(agency) / hours
    return [(n, max(w, 0.0) * mean_rate) for w, n in zip(weights, lengths, strict=True)]


def design_day_arrivals(scenario: Scenario, *, seed: int) -> list[Arrival]:
    """Return the design day's visits in time order: for each agency, hour and channel a
    Poisson number (its rate from :func:`hourly_rates` and the channel's share), at uniform
    times within the hour; a group session's visitors arrive separately (seeded)."""
    import numpy as np

    rng = np.random.default_rng(seed)
    out: list[Arrival] = []
    for agency in scenario.agencies:
        start = 0.0
        for length, rate in hourly_rates(agency):
            for channel in CHANNELS:
                expected = rate * length * agency.channel_split.get(channel)
                count = int(rng.poisson(expected)) if expected > 0 else 0
                for at in sorted(rng.uniform(start, start + length, count).tolist()):
                    out.append(Arrival(at_s=round(at * 3600.0, 3), agency=agency.id,
                                       channel=channel))  # fmt: skip
            start += length
    return sorted(out, key=lambda a: (a.at_s, a.agency, a.channel))
