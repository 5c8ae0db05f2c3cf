"""Compare two plans, and a plan with its programme: what moved, grew or changed zone."""

from __future__ import annotations

import math
from collections import defaultdict

from pydantic import BaseModel, ConfigDict, Field

from configurator.model.plan import (
    Plan,
    PlanRoom,
)
from configurator.sizing.program import Program


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RoomMove(_Frozen):
    """A room whose centroid moved."""

    room: str
    dx: float
    dy: float

    @property
    def distance(self) -> float:
        """Return how far the centroid moved, m."""
        return math.hypot(self.dx, self.dy)


class RoomResize(_Frozen):
    """A room whose drawn area changed."""

    room: str
    before_m2: float
    after_m2: float

    @property
    def change(self) -> float:
        """Return the relative change of area (0.1 = 10 % larger)."""
        return self.after_m2 / self.before_m2 - 1.0


class RoomZoneChange(_Frozen):
    """A room moved to another zone's layer."""

    room: str
    before: str
    after: str


class PlanDiff(_Frozen):
    """What changed in a plan against a reference, room by room (matched by id)."""

    missing: list[str] = Field(description="Rooms of the reference not in the edited plan.")
    added: list[str] = Field(description="Rooms of the edited plan not in the reference.")
    moved: list[RoomMove]
    resized: list[RoomResize]
    rezoned: list[RoomZoneChange]

    @property
    def is_empty(self) -> bool:
        """Return whether nothing changed."""
        return not (self.missing or self.added or self.moved or self.resized or self.rezoned)

    def lines(self) -> list[str]:
        """Describe every change in one line each."""
        out = [f"missing room: {r}" for r in self.missing]
        out += [f"added room: {r}" for r in self.added]
        out += [f"moved room: {m.room} by ({m.dx:+.2f}, {m.dy:+.2f}) m" for m in self.moved]
        out += [
            f"resized room: {r.room} {r.before_m2:.1f} → {r.after_m2:.1f} m² ({r.change:+.1%})"
            for r in self.resized
        ]
        out += [f"room {z.room} moved from zone {z.before} to {z.after}" for z in self.rezoned]
        return out


def compare_plans(
    reference: Plan,
    edited: Plan,
    *,
    move_tolerance_m: float = 0.05,
    area_tolerance: float = 0.01,
) -> PlanDiff:
    """List the rooms missing, added, moved (centroid shift), resized (area change) and rezoned.

    Rooms are matched by id. A room resized by dragging one wall also moves its centroid, so
    it is reported as both.
    """
    before = {r.id: r for r in reference.rooms}
    after = {r.id: r for r in edited.rooms}
    moved, resized, rezoned = [], [], []
    for ident in before.keys() & after.keys():
        a, b = before[ident], after[ident]
        ca, cb = a.shape.centroid, b.shape.centroid
        if math.hypot(cb.x - ca.x, cb.y - ca.y) > move_tolerance_m:
            moved.append(RoomMove(room=ident, dx=round(cb.x - ca.x, 4), dy=round(cb.y - ca.y, 4)))
        if a.area_m2 > 0 and abs(b.area_m2 / a.area_m2 - 1.0) > area_tolerance:
            resized.append(RoomResize(room=ident, before_m2=a.area_m2, after_m2=b.area_m2))
        if a.zone != b.zone:
            rezoned.append(RoomZoneChange(room=ident, before=a.zone, after=b.zone))
    return PlanDiff(
        missing=sorted(before.keys() - after.keys()),
        added=sorted(after.keys() - before.keys()),
        moved=sorted(moved, key=lambda m: m.room),
        resized=sorted(resized, key=lambda r: r.room),
        rezoned=sorted(rezoned, key=lambda z: z.room),
    )


class RoomDeviation(_Frozen):
    """One drawn room against the programme's room area."""

    room: str
    programme_m2: float
    drawn_m2: float

    @property
    def deviation(self) -> float:
        """Return the relative deviation (0.1 = drawn 10 % larger than programmed)."""
        return self.drawn_m2 / self.programme_m2 - 1.0 if self.programme_m2 else 0.0


class SpaceTypeCheck(_Frozen):
    """One space type: rooms programmed against rooms drawn, with each room's area deviation."""

    space_type: str
    zone: str
    programme_rooms: int
    drawn_rooms: int
    rooms: list[RoomDeviation]


class ProgrammeCheck(_Frozen):
    """A drawn plan against its space programme."""

    space_types: list[SpaceTypeCheck]
    misplaced: list[RoomZoneChange] = Field(
        description="Rooms drawn in a zone other than their space type's (before = expected)."
    )
    unknown_rooms: list[str] = Field(description="Rooms whose space type is not in the programme.")
    area_tolerance: float
    growth_share: float = Field(
        default=0.0,
        description="How far over its programme area a room may be drawn to reach a wall, on top "
        "of the tolerance (the layout setting room_growth_share).",
    )

    @property
    def count_mismatches(self) -> list[SpaceTypeCheck]:
        """Return the space types drawn with more or fewer rooms than programmed."""
        return [s for s in self.space_types if s.programme_rooms != s.drawn_rooms]

    @property
    def area_deviations(self) -> list[RoomDeviation]:
        """Return the rooms whose area deviates from the programme beyond the tolerance."""
        over = self.area_tolerance + self.growth_share
        return [
            r
            for s in self.space_types
            for r in s.rooms
            if r.deviation < -self.area_tolerance or r.deviation > over
        ]

    @property
    def ok(self) -> bool:
        """Return whether counts, areas (within tolerance) and zones all match."""
        return not (
            self.count_mismatches or self.area_deviations or self.misplaced or self.unknown_rooms
        )

    def lines(self) -> list[str]:
        """Describe every finding in one line each (a single line when all is well)."""
        out = [
            f"{s.space_type}: {s.drawn_rooms} room(s) drawn, {s.programme_rooms} in the programme"
            for s in self.count_mismatches
        ]
        out += [
            f"{r.room}: {r.drawn_m2:.1f} m² drawn, {r.programme_m2:.1f} m² programmed "
            f"({r.deviation:+.0%})"
            for r in self.area_deviations
        ]
        out += [
            f"{m.room}: drawn in zone {m.after}, its space type belongs to zone {m.before}"
            for m in self.misplaced
        ]
        out += [
            f"{r}: space type not identified (no XDATA, no tag naming one)"
            for r in self.unknown_rooms
        ]
        over = self.area_tolerance + self.growth_share
        band = (
            f"−{self.area_tolerance:.0%}…+{over:.0%}"
            if self.growth_share
            else (f"±{self.area_tolerance:.0%}")
        )
        return out or [f"matches the programme (areas within {band})"]


def check_against_programme(
    plan: Plan, program: Program, *, area_tolerance: float = 0.10, growth_share: float = 0.0
) -> ProgrammeCheck:
    """Compare the rooms drawn with the programme: counts, areas and zones per space type.

    A room may be ``area_tolerance`` under its programme area and that plus ``growth_share``
    over it (a room the layout drew to the wall).

    Privacy is checked as placement: a room drawn on a zone layer other than its space type's
    zone is listed in ``misplaced``.
    """
    rows = {row.space_type: row for row in program.rows}
    drawn: dict[str, list[PlanRoom]] = defaultdict(list)
    unknown = []
    misplaced = []
    for room in plan.rooms:
        row = rows.get(room.space_type)
        if row is None:
            unknown.append(room.id)
            continue
        drawn[room.space_type].append(room)
        if room.zone != row.zone:
            misplaced.append(RoomZoneChange(room=room.id, before=row.zone, after=room.zone))
    checks = [
        SpaceTypeCheck(
            space_type=row.space_type,
            zone=row.zone,
            programme_rooms=row.rooms,
            drawn_rooms=len(drawn[row.space_type]),
            rooms=[
                RoomDeviation(
                    room=r.id,
                    programme_m2=row.room_area_m2 or r.programme_area_m2,
                    drawn_m2=r.area_m2,
                )
                for r in sorted(drawn[row.space_type], key=lambda r: r.id)
            ],
        )
        for row in program.rows
        if row.rooms or drawn[row.space_type]
    ]
    return ProgrammeCheck(
        space_types=checks,
        misplaced=misplaced,
        unknown_rooms=sorted(unknown),
        area_tolerance=area_tolerance,
        growth_share=growth_share,
    )
