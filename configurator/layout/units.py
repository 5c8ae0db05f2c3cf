"""The rooms and open areas a layout places: one unit per programme room, by where it goes."""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property
from typing import Literal

from configurator.inputs.catalog import Case
from configurator.model.schema import Privacy, SpaceType
from configurator.sizing.program import Program

__all__ = ["Category", "Unit", "depth_range", "fits_depth", "units_from_program"]

Category = Literal["open", "hall_room", "semi", "private", "secure", "staff"]
"""Where a unit goes: an open area in the hall; an enclosed room that must open onto the hall
(phone booths, the guard post); a semi-open room (hall or visitor corridor); a private room and
the secure room (visitor corridor); a staff room (staff corridor)."""


@dataclass(frozen=True)
class Unit:
    """One room or open area to place: a programme row's unit, or its shared room."""

    id: str
    space_type: SpaceType
    zone: str
    privacy: Privacy
    zone_order: int
    area: float
    enclosed: bool
    staff_only: bool
    min_width: float
    """The smallest side the room may have (its space type's, or the square's if smaller)."""
    max_aspect: float
    """The largest long-over-short side ratio."""
    category: Category
    occupants: int = 0
    """Persons the room is designed for: its row's occupant load shared out, rounded up."""
    glass_m: float = 0.0
    """Windowed façade the room needs, m (the daylight rules' share of its floor over the
    window height), or 0 when it needs no window."""

    @cached_property
    def depths(self) -> tuple[float, float]:
        """Return (shallowest, deepest) depth as a full rectangle (see :func:`depth_range`)."""
        a, w, r = self.area, self.min_width, self.max_aspect
        return max(w, math.sqrt(a / r)), min(a / w, math.sqrt(a * r))

    @cached_property
    def signature(self) -> tuple[str, float, float, float]:
        """Return what decides where the unit fits: identical units are tried once."""
        return (self.category, round(self.area, 6), self.min_width, self.max_aspect)

    @property
    def secure(self) -> bool:
        """Tell whether the room needs a second exit into staff space."""
        return self.category == "secure"

    @property
    def serves_lobby(self) -> bool:
        """Tell whether a staff room opens onto the lobby by design (the guard post)."""
        return self.staff_only and self.category == "hall_room"


def units_from_program(program: Program, case: Case) -> list[Unit]:
    """Expand programme rows into the rooms and open areas to draw, in programme order."""
    zones = {z.id: z for z in case.catalog.zones}
    light = case.scenario.rules.daylight
    out: list[Unit] = []
    for row in program.rows:
        if row.rooms == 0:
            continue
        st = case.catalog.space_type(row.space_type)
        zone = zones[row.zone]
        staff_only = not zone.visitor_access
        lit = st.is_enclosed and (st.daylight == "required" or st.unit == "workplace")
        glass = light.window_share * row.room_area_m2 / light.window_height_m if lit else 0.0
        for k in range(row.rooms):
            out.append(
                Unit(
                    id=row.space_type if row.rooms == 1 else f"{row.space_type}-{k + 1}",
                    space_type=st,
                    zone=row.zone,
                    privacy=row.privacy,
                    zone_order=zone.order,
                    area=row.room_area_m2,
                    enclosed=st.is_enclosed,
                    staff_only=staff_only,
                    min_width=min(st.min_width_m, math.sqrt(row.room_area_m2)),
                    max_aspect=st.max_aspect,
                    category=_category(st, row.privacy, staff_only=staff_only),
                    occupants=math.ceil(row.occupants / row.rooms - 1e-9),
                    glass_m=glass,
                )
            )
    return out


def _category(st: SpaceType, privacy: Privacy, *, staff_only: bool) -> Category:
    """Sort a space type into the part of the plan it belongs to."""
    if not st.is_enclosed:
        return "open"
    if staff_only:
        # A staff room that wants the lobby as its neighbour watches it: the guard post.
        return "hall_room" if "entrance_lobby" in st.preferred_neighbours else "staff"
    if st.secure:
        return "secure"
    if privacy == "private":
        return "private"
    if privacy == "open":
        return "hall_room"  # an open-level room (a phone booth) opens onto the open hall
    return "semi"


def depth_range(unit: Unit) -> tuple[float, float]:
    """Return the depths a unit may take as a full rectangle: (shallowest, deepest), m.

    A room of area a, depth e and width a/e keeps both sides at least its minimum width and
    its long side within ``max_aspect`` of the short one. The range is empty (low > high) for
    a room that no rectangle fits.
    """
    return unit.depths


def fits_depth(unit: Unit, depth: float, *, tol: float = 1e-6) -> bool:
    """Tell whether a unit can be a full rectangle of this depth."""
    low, high = depth_range(unit)
    return low - tol <= depth <= high + tol
