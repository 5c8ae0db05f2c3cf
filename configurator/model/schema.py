"""Define every record the configurator reads: the catalog and the scenario, as a glossary.

Each model is frozen and rejects unknown keys, so a typo in a YAML file is an error rather
than a silently ignored setting. Cross-references between records (a space type naming a
zone, a path naming a space type) are checked afterwards by :mod:`configurator.inputs.audit`, which
reports every problem at once.
"""

from __future__ import annotations

import datetime
import math
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

__all__ = [
    "CHANNELS",
    "CORE_MOMENTS",
    "TIMED_MOMENTS",
    "Accessibility",
    "AccessibilityNeed",
    "Agency",
    "AppointmentHoursDriver",
    "BuildingRules",
    "Catalog",
    "Channel",
    "ChannelFigures",
    "Daylight",
    "DaylightRules",
    "Entrance",
    "FireSafety",
    "FixedDriver",
    "Footprint",
    "FurnitureItem",
    "GuardRule",
    "IndoorClimate",
    "LayoutOptions",
    "Moment",
    "MomentKind",
    "Names",
    "Obstacle",
    "Occupancy",
    "OccupantDensities",
    "PerRoleDriver",
    "PerSeatsDriver",
    "PerStaffDriver",
    "Persona",
    "Privacy",
    "QueueDriver",
    "Role",
    "RoleRule",
    "Scenario",
    "ServicePart",
    "ServicePath",
    "ServiceTargets",
    "SizingDriver",
    "SpaceFactors",
    "SpaceType",
    "SpareSettings",
    "SpecialistRule",
    "Storey",
    "VisitorLoadDriver",
    "WaitingSeatsDriver",
    "WorkloadRule",
    "Zone",
]


class _Model(BaseModel):
    """Base of every schema model: frozen, unknown keys rejected, docstrings as descriptions."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)


Identifier = Annotated[
    str,
    Field(
        pattern=r"^[a-z][a-z0-9_]*$",
        min_length=1,
        max_length=48,
        description="Lower-case id: letters, digits and underscores, starting with a letter.",
    ),
]
Fraction01 = Annotated[float, Field(ge=0.0, le=1.0)]
Colour = Annotated[str, Field(pattern=r"^#[0-9A-Fa-f]{6}$", description="Colour as #RRGGBB.")]
Point = tuple[float, float]

Privacy = Literal["open", "semi_open", "private"]
"""How far a zone is from the visitor's public side: open → semi-open → private."""

Channel = Literal["self_service", "quick_counter", "appointment", "remote", "group"]
"""How a visit is served: on a terminal, at a counter, in a booked room, by video, in a group."""

CHANNELS: tuple[Channel, ...] = ("self_service", "quick_counter", "appointment", "remote", "group")

ServicePart = Literal["core", "supporting", "add_on"]
"""A space's part in a service: what the visitor comes for, what that needs, or a nice extra."""

Daylight = Literal["required", "preferred", "none"]
Occupancy = Literal["standing", "waiting", "seated", "office", "staff_room", "storage", "ancillary"]
"""How a space is occupied for the fire rules' occupant load: by a design density (m² per person)
for standing, waiting, office, staff room and storage; by its seats or places (capacity) when
seated; ancillary spaces (WCs, lockers, coats) hold people counted elsewhere."""
AcousticPrivacy = Literal["none", "normal", "speech_private", "confidential"]
AccessibilityNeed = Literal[
    "step_free", "turning_space", "hearing_loop", "accessible_wc", "low_counter"
]

MomentKind = Literal[
    "arrive", "guide", "help", "amenity", "wait", "self_serve", "counter", "private_meeting",
    "remote_meeting", "group", "leave",
]  # fmt: skip
"""A service moment: one step of a visitor's path where they meet the service."""

TIMED_MOMENTS: frozenset[str] = frozenset({"guide", "help", "amenity"})
"""Moments whose duration the path gives; the others take theirs from the agency or the queue."""

CORE_MOMENTS: dict[str, Channel] = {
    "self_serve": "self_service",
    "counter": "quick_counter",
    "private_meeting": "appointment",
    "remote_meeting": "remote",
    "group": "group",
}
"""Core moments and the channel whose handling time (and whose demand) they stand for."""


class Names(_Model):
    """A name in both languages of the tool."""

    fi: str = Field(min_length=1, description="Finnish name.")
    en: str = Field(min_length=1, description="English name.")


class FurnitureItem(_Model):
    """A piece of furniture or fixed equipment of a space, with its plan size for the sketch."""

    names: Names
    count: int = Field(default=1, ge=1, le=200, description="How many, per unit of the space.")
    size_m: tuple[float, float] | None = Field(
        default=None,
        description=(
            "Width × depth in plan, m; omitted for what takes no floor (a wall shelf, a screen)."
        ),
    )

    @model_validator(mode="after")
    def _sizes_positive(self) -> FurnitureItem:
        if self.size_m is not None and not (0.05 <= min(self.size_m) <= max(self.size_m) <= 8.0):
            raise ValueError(f"size_m must be two sides of 0.05-8 m, got {self.size_m}")
        return self


class IndoorClimate(_Model):
    """Indoor-climate target (Finnish classification S1-S3, default S2) and what it asks."""

    category: Literal["S1", "S2", "S3"] = "S2"
    lux: int | None = Field(default=None, ge=50, le=2000, description="Maintained illuminance, lx.")
    noise_db: int | None = Field(
        default=None, ge=20, le=60, description="Highest building-services noise, dB(A)."
    )


# --------------------------------------------------------------------------- zones


class Zone(_Model):
    """An area of the point grouped by activity and privacy (five in the concept)."""

    id: Identifier
    names: Names
    privacy: Privacy
    visitor_access: bool = Field(
        description="Whether visitors may enter; false for staff-only zones."
    )
    order: int = Field(ge=1, le=20, description="Order from the entrance: 1 is met first.")
    colour: Colour = Field(description="Display colour on plans and drawings.")
    description: Names


# --------------------------------------------------------------------------- sizing drivers


class QueueDriver(_Model):
    """Count servers from a queue: the smallest number meeting the service target."""

    kind: Literal["queue"] = "queue"
    channel: Literal["quick_counter", "self_service"]
    pooled: bool = Field(
        default=True,
        description="Whether agencies that allow sharing pool this queue into one set of servers.",
    )


class AppointmentHoursDriver(_Model):
    """Count rooms from booked hours in the design hour divided by a target utilisation."""

    kind: Literal["appointment_hours"] = "appointment_hours"
    channel: Literal["appointment", "remote", "group"] = Field(
        description="The channel whose bookings use the room."
    )
    share: Fraction01 = Field(
        default=1.0,
        gt=0.0,
        description="Share of the channel's booked hours taken by this space type; sums to 1.",
    )
    max_utilisation: Fraction01 | None = Field(
        default=None,
        gt=0.0,
        description="Booked share of open hours for this room type; the scenario's if omitted.",
    )


class WaitingSeatsDriver(_Model):
    """Count seats from the 95th percentile of people waiting plus early appointment visitors."""

    kind: Literal["waiting_seats"] = "waiting_seats"


class PerSeatsDriver(_Model):
    """Count one unit per so many waiting seats (e.g. a children's corner per 30 seats)."""

    kind: Literal["per_seats"] = "per_seats"
    seats_per_unit: int = Field(ge=1)
    minimum: int = Field(default=1, ge=0)


class PerStaffDriver(_Model):
    """Count units from the staff on site: work places, lockers, break-room seats."""

    kind: Literal["per_staff"] = "per_staff"
    staff_per_unit: float = Field(gt=0.0, description="Staff served by one unit.")
    desk_sharing: bool = Field(
        default=False, description="Apply the scenario's desk-sharing ratio (work places)."
    )
    minimum: int = Field(default=1, ge=0)


class PerRoleDriver(_Model):
    """Count one unit per person on duty in a role (a guide desk per service guide)."""

    kind: Literal["per_role"] = "per_role"
    role: Identifier
    minimum: int = Field(default=1, ge=0)


class VisitorLoadDriver(_Model):
    """Count units from visitors in the design hour (customer WCs)."""

    kind: Literal["visitor_load"] = "visitor_load"
    visitors_per_unit_hour: float = Field(gt=0.0, description="Visitors per design hour per unit.")
    minimum: int = Field(default=1, ge=0)


class FixedDriver(_Model):
    """A fixed count, whatever the demand (an IT room, a cleaning closet)."""

    kind: Literal["fixed"] = "fixed"
    count: int = Field(ge=0)


SizingDriver = Annotated[
    QueueDriver
    | AppointmentHoursDriver
    | WaitingSeatsDriver
    | PerSeatsDriver
    | PerStaffDriver
    | PerRoleDriver
    | VisitorLoadDriver
    | FixedDriver,
    Field(discriminator="kind"),
]
"""What decides how many of a space type the point needs."""


# --------------------------------------------------------------------------- space types


class SpaceType(_Model):
    """A kind of space, with everything its space card (room data sheet) shows."""

    id: Identifier
    names: Names
    zone: Identifier = Field(description="The zone this space type belongs to.")
    purpose: Names = Field(description="What the space is for, one or two sentences.")
    unit: Literal["room", "seat", "workplace", "place"] = Field(
        description="What one unit is: a room, a seat, a work place, a place in an open area."
    )
    grouping: Literal["separate", "single_room"] = Field(
        description=(
            "separate: every unit is its own room; single_room: the units share one room whose "
            "area is count × unit area (a waiting lounge of N seats)."
        )
    )
    unit_area_m2: float = Field(gt=0.0, le=500.0, description="Net area of one unit, m².")
    area_range_m2: tuple[float, float] = Field(
        description="Allowed net area of one unit, m² (min, max)."
    )
    min_width_m: float = Field(gt=0.0, le=30.0, description="Smallest clear width of the room, m.")
    max_aspect: float = Field(ge=1.0, le=10.0, description="Longest over shortest side, at most.")
    capacity_persons: int = Field(ge=0, le=500, description="Persons one unit serves at once.")
    driver: SizingDriver
    users: list[str] = Field(
        min_length=1, description="Who uses it: 'visitor', 'staff' or role ids."
    )
    activities: list[Names] = Field(min_length=1)
    furniture: list[FurnitureItem] = Field(min_length=1)
    equipment: list[Names] = Field(min_length=1)
    digital_equipment: list[Names] = Field(min_length=1)
    acoustic_privacy: AcousticPrivacy
    accessibility: list[AccessibilityNeed] = Field(min_length=1)
    safety: list[Names] = Field(min_length=1)
    daylight: Daylight
    occupancy: Occupancy = Field(
        description=(
            "How the fire rules count its occupants: standing, waiting, office, staff_room or "
            "storage by area and design density; seated by capacity; ancillary not at all."
        )
    )
    indoor_climate: IndoorClimate = Field(default_factory=IndoorClimate)
    adaptability: Names = Field(description="How the space can change use.")
    preferred_neighbours: list[Identifier] = Field(default_factory=list)
    forbidden_neighbours: list[Identifier] = Field(default_factory=list)
    service_part: ServicePart
    enclosed: bool | None = Field(
        default=None,
        description=(
            "Whether the plan draws walls and a door; open areas (a lounge, a row of counters) "
            "are part of the hall. Defaults to true for unit 'room', false otherwise."
        ),
    )
    secure: bool = Field(
        default=False,
        description="A room for meetings with a safety risk: alarm, second door, near the guard.",
    )
    estimate: bool = Field(
        default=True, description="True where the figures are our own estimate, not a source's."
    )

    @property
    def is_enclosed(self) -> bool:
        """Return whether the space is a room with walls and a door (not an open area)."""
        return self.enclosed if self.enclosed is not None else self.unit == "room"

    @model_validator(mode="after")
    def _area_range_holds_unit_area(self) -> SpaceType:
        low, high = self.area_range_m2
        if not 0 < low <= self.unit_area_m2 <= high:
            raise ValueError(
                f"area_range_m2 ({low}, {high}) must be positive and contain "
                f"unit_area_m2 {self.unit_area_m2}"
            )
        if self.grouping == "separate" and self.min_width_m**2 > high:
            raise ValueError(
                f"min_width_m {self.min_width_m} m needs at least {self.min_width_m**2:.1f} m², "
                f"more than the largest allowed area {high} m²"
            )
        return self


# --------------------------------------------------------------------------- roles


class WorkloadRule(_Model):
    """Size a role from the workload of the path moments at one space type (guide desk, help point).

    The workload is the design-hour arrivals times each moment's probability and duration,
    so the minutes of guidance per arriving visitor come from the persona paths.
    """

    kind: Literal["workload"] = "workload"
    space_type: Identifier = Field(description="Space type whose path moments the role serves.")
    max_utilisation: Fraction01 = Field(default=0.75, gt=0.0)


class GuardRule(_Model):
    """Size guards from opening hours and risk: never zero while open."""

    kind: Literal["guard"] = "guard"
    minimum_on_duty: int = Field(default=1, ge=1)
    extra_with_secure_room: int = Field(default=0, ge=0)
    open_area_m2_per_guard: float = Field(
        default=400.0, gt=0.0, description="Open and semi-open area one guard can watch."
    )


class SpecialistRule(_Model):
    """Agency specialists come from each agency's staff on site, not from a rule of ours."""

    kind: Literal["agency_staff"] = "agency_staff"


RoleRule = Annotated[WorkloadRule | GuardRule | SpecialistRule, Field(discriminator="kind")]


class Role(_Model):
    """A staff role of the point (service guide, digi-advisor, guard, agency specialist)."""

    id: Identifier
    names: Names
    duties: list[str] = Field(min_length=1)
    works_in: list[Identifier] = Field(min_length=1, description="Space types the role works in.")
    rule: RoleRule


# --------------------------------------------------------------------------- personas


class Moment(_Model):
    """One service moment of a path: where it happens, how long, and how likely.

    Only guidance, help and amenity moments give a duration: a core moment (counter, meeting,
    ...) lasts the agency's handling time and a wait lasts what the queue says, so the demand
    for those spaces comes from the agencies' channel figures, not from the path.
    """

    kind: MomentKind
    space_type: Identifier
    duration_min: float | None = Field(default=None, gt=0.0, le=240.0)
    probability: Fraction01 = Field(default=1.0, gt=0.0)

    @model_validator(mode="after")
    def _duration_only_when_timed(self) -> Moment:
        if self.kind in TIMED_MOMENTS and self.duration_min is None:
            raise ValueError(f"a '{self.kind}' moment needs duration_min")
        if self.kind not in TIMED_MOMENTS and self.duration_min is not None:
            raise ValueError(
                f"a '{self.kind}' moment takes its duration from the agency or the queue; "
                "remove duration_min"
            )
        return self


class ServicePath(_Model):
    """An ordered list of service moments that one kind of visit follows."""

    id: Identifier
    names: Names
    share: Fraction01 = Field(description="Share of this persona's visits that follow the path.")
    moments: list[Moment] = Field(min_length=2)


class Persona(_Model):
    """A visitor group, told apart by need for support, self-direction and services needed."""

    id: Identifier
    names: Names
    description: Names
    support_need: Literal["low", "medium", "high"]
    self_direction: Literal["low", "medium", "high"]
    services_per_visit: float = Field(ge=1.0, le=10.0)
    share: Fraction01 = Field(description="Share of all visits made by this group.")
    paths: list[ServicePath] = Field(min_length=1)

    @model_validator(mode="after")
    def _path_shares_sum_to_one(self) -> Persona:
        total = sum(p.share for p in self.paths)
        if abs(total - 1.0) > 1e-6:
            raise PydanticCustomError(
                "share_sum",
                "the shares of paths sum to {total}, expected 1",
                {"total": round(total, 4)},
            )
        return self


# --------------------------------------------------------------------------- agencies


class ChannelFigures(_Model):
    """A figure per service channel (a share of visits, or a time in minutes)."""

    self_service: float = Field(ge=0.0)
    quick_counter: float = Field(ge=0.0)
    appointment: float = Field(ge=0.0)
    remote: float = Field(ge=0.0)
    group: float = Field(ge=0.0)

    def get(self, channel: Channel) -> float:
        """Return the figure of one channel."""
        return float(getattr(self, channel))


class Agency(_Model):
    """A partner of the point with its demand figures."""

    id: Identifier
    names: Names
    kind: Literal["state", "municipal", "other"]
    annual_visits: int = Field(ge=0, le=10_000_000)
    opening_days: int = Field(ge=1, le=366, description="Days open per year.")
    opening_hours: float = Field(gt=0.0, le=24.0, description="Hours open per day.")
    peak_day_factor: float = Field(
        ge=1.0, le=5.0, description="Design-day visits over the mean day's visits."
    )
    peak_hour_factor: float = Field(
        ge=1.0, le=5.0, description="Design-hour arrivals over the design day's mean hourly rate."
    )
    channel_split: ChannelFigures = Field(description="Share of visits per channel; sums to 1.")
    handling_time_min: ChannelFigures = Field(description="Mean handling time per channel, min.")
    group_size: float = Field(default=6.0, ge=1.0, le=100.0, description="Visitors per group.")
    staff_on_site: int = Field(ge=0, le=1000, description="Agency staff working at the point.")
    shares_counters: bool = Field(description="Whether its quick counters may serve others.")
    estimate: bool = Field(default=True, description="True where figures are our own estimate.")
    hourly_profile: list[float] | None = Field(
        default=None,
        description=(
            "Relative arrivals in each opening hour from opening (the last may be part of an "
            "hour); shaped so its busiest hour is the design hour. The default shape if omitted."
        ),
    )

    @model_validator(mode="after")
    def _profile_fits_the_day(self) -> Agency:
        if self.hourly_profile is None:
            return self
        slots = math.ceil(self.opening_hours - 1e-9)
        if len(self.hourly_profile) != slots:
            raise ValueError(
                f"hourly_profile has {len(self.hourly_profile)} hours; opening_hours "
                f"{self.opening_hours:g} needs {slots}"
            )
        if min(self.hourly_profile) < 0 or sum(self.hourly_profile) <= 0:
            raise ValueError("hourly_profile needs weights >= 0, not all 0")
        return self

    @model_validator(mode="after")
    def _shares_sum_to_one(self) -> Agency:
        total = sum(self.channel_split.get(c) for c in CHANNELS)
        if abs(total - 1.0) > 1e-6:
            raise PydanticCustomError(
                "share_sum",
                "channel_split shares sum to {total}, expected 1",
                {"total": round(total, 4)},
            )
        for channel in CHANNELS:
            if self.channel_split.get(channel) > 0 and self.handling_time_min.get(channel) <= 0:
                raise ValueError(
                    f"handling_time_min.{channel} must be > 0 because channel_split.{channel} > 0"
                )
        on_site = self.channel_split.quick_counter + self.channel_split.appointment
        if self.staff_on_site == 0 and on_site > 0:
            raise ValueError(
                "staff_on_site is 0 but quick_counter/appointment visits need staff on site; "
                "serve them through 'remote' instead"
            )
        return self


# --------------------------------------------------------------------------- catalog


class Catalog(_Model):
    """Everything reusable between points: zones, space types, roles, personas, agencies."""

    zones: list[Zone] = Field(min_length=1)
    space_types: list[SpaceType] = Field(min_length=1)
    roles: list[Role] = Field(min_length=1)
    personas: list[Persona] = Field(min_length=1)
    agencies: list[Agency] = Field(default_factory=list)

    def zone(self, zone_id: str) -> Zone:
        """Return the zone with this id."""
        return next(z for z in self.zones if z.id == zone_id)

    def space_type(self, space_type_id: str) -> SpaceType:
        """Return the space type with this id."""
        return next(s for s in self.space_types if s.id == space_type_id)

    def role(self, role_id: str) -> Role:
        """Return the role with this id."""
        return next(r for r in self.roles if r.id == role_id)


# --------------------------------------------------------------------------- scenario


class ServiceTargets(_Model):
    """The service promises the point is sized to keep."""

    counter_wait_s: float = Field(default=600.0, gt=0.0, description="Target wait at counters, s.")
    counter_level: Fraction01 = Field(
        default=0.8, gt=0.0, lt=1.0, description="Share served within the counter target."
    )
    self_service_wait_s: float = Field(default=300.0, gt=0.0)
    self_service_level: Fraction01 = Field(default=0.8, gt=0.0, lt=1.0)
    max_abandon: Fraction01 = Field(default=0.05, description="Largest share who give up waiting.")
    mean_patience_min: float = Field(default=20.0, gt=0.0, description="Mean patience, minutes.")
    room_utilisation: Fraction01 = Field(
        default=0.75, gt=0.0, description="Target booked share of room hours."
    )
    desk_sharing_ratio: float = Field(
        default=0.8, gt=0.0, le=1.0, description="Work places per staff member on site."
    )
    companions_factor: float = Field(
        default=1.3,
        ge=1.0,
        le=3.0,
        description="Persons per waiting visitor (companions, children).",
    )
    early_arrival_min: float = Field(
        default=5.0, ge=0.0, le=60.0, description="How early appointment visitors arrive, minutes."
    )


class SpaceFactors(_Model):
    """Factors from net room area to usable and gross area, and the rent."""

    circulation_factor: float = Field(
        default=0.30,
        ge=0.0,
        le=1.5,
        description="Circulation added to net room area (0.30 = +30 %).",
    )
    gross_factor: float = Field(
        default=1.15, ge=1.0, le=2.0, description="Gross area over usable area (walls, shafts)."
    )
    rent_eur_per_m2_month: float = Field(default=22.0, ge=0.0, le=500.0)


class Entrance(_Model):
    """A door in the façade: where visitors (or staff) come in."""

    id: Identifier
    at: Point = Field(description="A point on the footprint's outline, m.")
    width_m: float = Field(default=1.8, ge=0.9, le=10.0)
    kind: Literal["main", "side", "staff"] = "main"


class Obstacle(_Model):
    """A fixed element the plan must leave free: a stair or lift core, a shaft."""

    id: Identifier
    kind: Literal["stair", "lift", "shaft", "column", "courtyard", "other"]
    polygon: list[Point] = Field(min_length=3)


class Footprint(_Model):
    """The floor the point is planned into: a rectangle by size or a simple polygon, in metres."""

    rectangle: tuple[float, float] | None = Field(
        default=None, description="Width and depth of a rectangular floor, m."
    )
    polygon: list[Point] | None = Field(
        default=None, min_length=3, description="Outline of the floor, m, counter-clockwise or not."
    )
    entrances: list[Entrance] = Field(min_length=1)
    windows: list[tuple[Point, Point]] | Literal["all"] = Field(
        default="all", description="Windowed façade segments, or 'all'."
    )
    obstacles: list[Obstacle] = Field(default_factory=list)

    @model_validator(mode="after")
    def _one_shape(self) -> Footprint:
        if (self.rectangle is None) == (self.polygon is None):
            raise ValueError("give exactly one of 'rectangle' or 'polygon'")
        if self.rectangle is not None and min(self.rectangle) <= 0:
            raise ValueError(f"rectangle sides must be > 0, got {self.rectangle}")
        if not any(e.kind in ("main", "side") for e in self.entrances):
            raise ValueError("at least one visitor entrance (kind 'main' or 'side') is needed")
        return self

    def outline(self) -> list[Point]:
        """Return the outline as a list of points (a rectangle starts at the origin)."""
        if self.polygon is not None:
            return list(self.polygon)
        assert self.rectangle is not None, "a footprint is a rectangle or a polygon"
        w, d = self.rectangle
        return [(0.0, 0.0), (w, 0.0), (w, d), (0.0, d)]


class SpareSettings(_Model):
    """Floor the programme does not need, kept as lettable areas instead of a larger hall.

    The figures are judgements: a let unit smaller than a small office, or narrower than a
    room with a desk on each side, finds no tenant.
    """

    enabled: bool = Field(
        default=True,
        description="Keep the surplus floor as spare areas; false: the surplus widens the hall.",
    )
    threshold_share: float = Field(
        default=0.10,
        ge=0.0,
        le=5.0,
        description=(
            "Spare areas are kept when the usable floor exceeds the programme's usable area by "
            "more than this share of it."
        ),
    )
    min_area_m2: float = Field(
        default=20.0, ge=5.0, le=10_000.0, description="The smallest spare area worth letting."
    )
    min_width_m: float = Field(
        default=3.0,
        ge=2.4,
        le=50.0,
        description="The least width of a spare area, m (a one-person office is about 3 m).",
    )
    max_areas: int = Field(
        default=3,
        ge=1,
        le=10,
        description=(
            "At most this many spare areas cut from the hall; floor the bands leave over "
            "beside public circulation is kept spare besides."
        ),
    )
    street_doors: bool = Field(
        default=True,
        description=(
            "Floor the bands leave over with no public circulation beside it (a wing boxed in "
            "by rooms) is kept spare with a new door of its own in the façade; false: it stays "
            "unassigned."
        ),
    )


class LayoutOptions(_Model):
    """How many floor-plan options to generate and with which strategies."""

    options: int = Field(default=3, ge=1, le=50)
    strategies: list[Literal["linear", "hub", "split"]] = Field(
        default_factory=lambda: ["linear", "hub", "split"],  # type: ignore[arg-type]
        min_length=1,
    )
    corridor_width_m: float = Field(default=1.5, ge=1.5, le=5.0)
    staff_corridor_width_m: float = Field(default=1.2, ge=1.2, le=5.0)
    time_limit_s: float = Field(default=2.0, gt=0.0, le=600.0)
    room_growth_share: float = Field(
        default=0.5,
        ge=0.0,
        le=2.0,
        description=(
            "A room may be drawn up to this share larger than its programme area where that "
            "takes the strip between it and a façade or wall, which no one could use otherwise "
            "(a judgement; 0 keeps every room at its programme area)."
        ),
    )
    spare: SpareSettings = Field(default_factory=SpareSettings)


class FireSafety(_Model):
    """Fire-safety settings of the floor, for the exits rule (YM decree 848/2017 §§ 32-35).

    The defaults are the decree's base case for "other premises" (offices, service halls): no
    smoke detection, no sprinklers, a 3 m ceiling. A fire designer or the authority may decide
    otherwise; every figure here is a setting.
    """

    smoke_detection: bool = Field(
        default=False,
        description="An automatic smoke-detection alarm: the walk to an exit may be 50-60 m (§32).",
    )
    sprinklers: bool = Field(
        default=False,
        description="Sprinklers: 50-60 m with one of detection or sprinklers, 60-70 m with both.",
    )
    ceiling_height_m: float = Field(
        default=3.0,
        ge=2.2,
        le=30.0,
        description="Room height, m: the lower limit up to 3 m, the upper above 10 m (§32).",
    )
    openable_windows: bool = Field(
        default=False,
        description=(
            "A ground-level storey with easily opened windows: the walk may be 20 % longer (§32)."
        ),
    )
    staff_routes_open: bool = Field(
        default=True,
        description=(
            "Doors from visitor space into staff corridors open for evacuation (emergency "
            "release), so the staff door is an exit for everyone; false: only for staff space."
        ),
    )
    separate_exits_m: float = Field(
        default=5.0,
        ge=0.0,
        le=100.0,
        description=(
            "Exits closer than this (m, straight line) count as one exit (a judgement: §33 asks "
            "for separate exits without a figure)."
        ),
    )


class OccupantDensities(_Model):
    """Design floor area per person by use, m² (a stand-in for the decree's memorandum).

    UK Approved Document B vol. 2 (2019), Table D1: queuing 0.7, waiting room 1.0, staff room
    1.0, office 6.0, storage 30. The Finnish figures are in the memorandum of YM 848/2017, which
    could not be read here; replace them where a fire designer gives others.
    """

    standing_m2: float = Field(default=0.7, gt=0.0, le=100.0, description="Queuing, standing.")
    waiting_m2: float = Field(default=1.0, gt=0.0, le=100.0, description="Waiting room, lounge.")
    office_m2: float = Field(default=6.0, gt=0.0, le=100.0, description="Office work places.")
    staff_room_m2: float = Field(default=1.0, gt=0.0, le=100.0, description="Staff break room.")
    storage_m2: float = Field(default=30.0, gt=0.0, le=1000.0, description="Storage, IT rooms.")


class Accessibility(_Model):
    """Accessibility figures of Government decree 241/2017 (§§ 4, 5, 10)."""

    passage_door_m: float = Field(
        default=0.85, ge=0.7, le=3.0, description="Clear width of doors on passageways (§4)."
    )
    room_door_m: float = Field(
        default=0.80, ge=0.7, le=3.0, description="Clear width of doors into rooms (§4)."
    )
    turning_diameter_m: float = Field(
        default=1.5, ge=1.2, le=3.0, description="Free turning space of a wheelchair (§§ 5, 10)."
    )
    turning_interval_m: float = Field(
        default=15.0,
        ge=5.0,
        le=50.0,
        description="In passages narrower than the turning space, one at least this often (§5).",
    )
    wc_side_space_m: float = Field(
        default=0.8, ge=0.5, le=2.0, description="Free space beside an accessible WC seat (§10)."
    )
    door_frame_m: float = Field(
        default=0.1,
        ge=0.0,
        le=0.5,
        description=(
            "A plan door's width is its opening in the wall; its clear width is this much less "
            "(frame and the open leaf; a judgement for a 10M door: 1.0 m opening, 0.9 m clear)."
        ),
    )
    wc_seat_width_m: float = Field(
        default=0.4,
        ge=0.3,
        le=1.0,
        description="Width of the seat itself (not in the decree; a common pan's width).",
    )


class DaylightRules(_Model):
    """Daylight where people work (YM decree 1008/2017 §5; occupational-safety guidance)."""

    window_share: float = Field(
        default=0.10,
        gt=0.0,
        le=1.0,
        description="Light openings at least this share of the room's floor (1008/2017 §5).",
    )
    window_height_m: float = Field(
        default=1.2,
        gt=0.0,
        le=10.0,
        description=(
            "Assumed glass height along a windowed façade, m (a judgement: a window band from "
            "0.9 to 2.1 m); a room needs share × floor / height metres of windowed façade."
        ),
    )
    open_area_reach_m: float = Field(
        default=6.0,
        ge=0.0,
        le=30.0,
        description=(
            "An open area in the hall within this distance of a windowed façade gets daylight "
            "through the hall (a judgement; enclosed rooms must touch the façade)."
        ),
    )


class BuildingRules(_Model):
    """The building rules the plan review checks, each figure with its source."""

    fire: FireSafety = Field(default_factory=FireSafety)
    densities: OccupantDensities = Field(default_factory=OccupantDensities)
    accessibility: Accessibility = Field(default_factory=Accessibility)
    daylight: DaylightRules = Field(default_factory=DaylightRules)


class Storey(_Model):
    """The storey the point is on, for the IFC space model: its name, level and heights."""

    name: str = Field(
        default="1. kerros", min_length=1, max_length=60, description="Storey name in the model."
    )
    elevation_m: float = Field(
        default=0.0, ge=-100.0, le=1000.0, description="Floor level above the project's zero, m."
    )
    height_m: float = Field(
        default=3.6, gt=2.0, le=20.0, description="Floor to floor height of the storey, m."
    )
    room_height_m: float = Field(
        default=2.7,
        ge=2.5,
        le=20.0,
        description=(
            "Clear height of the spaces, m: their extrusion and volume (permanent work rooms "
            "at least 2.5 m, VNa 577/2003)."
        ),
    )
    door_height_m: float = Field(default=2.1, ge=1.9, le=5.0, description="Door height, m.")

    @model_validator(mode="after")
    def _rooms_fit(self) -> Storey:
        if self.room_height_m > self.height_m:
            raise ValueError(
                f"room_height_m {self.room_height_m} is above the storey's height {self.height_m}"
            )
        if self.door_height_m > self.room_height_m:
            raise ValueError(
                f"door_height_m {self.door_height_m} is above the rooms' height "
                f"{self.room_height_m}"
            )
        return self


class Scenario(_Model):
    """One planning case: which partners, which targets, which floor, which options."""

    name: str = Field(min_length=1)
    description: str = ""
    date: datetime.date | None = Field(
        default=None,
        description="The date printed on drawings, cards and reports (none: they say so).",
    )
    revision: str = Field(default="A", min_length=1, max_length=12)
    catalog: str | None = Field(
        default=None,
        description="Catalog folder, relative to the scenario file; the built-in one if omitted.",
    )
    catalog_overrides: dict[str, dict[str, dict[str, object]]] = Field(
        default_factory=dict,
        description="Field overrides per catalog section and id, e.g. space_types.meeting_room_2.",
    )
    agencies: list[Agency] = Field(min_length=1, description="The partners of this point.")
    persona_mix: dict[Identifier, Fraction01] | None = Field(
        default=None, description="Share of visits per persona; the catalog's shares if omitted."
    )
    targets: ServiceTargets = Field(default_factory=ServiceTargets)
    factors: SpaceFactors = Field(default_factory=SpaceFactors)
    footprint: Footprint
    storey: Storey = Field(default_factory=Storey)
    layout: LayoutOptions = Field(default_factory=LayoutOptions)
    rules: BuildingRules = Field(default_factory=BuildingRules)
    seed: int = Field(default=0, ge=0, le=2**31 - 1)
