"""Define the functional floor plan: rooms, open areas, corridors, doors and the footprint.

A :class:`Plan` is what the layout stage produces and what the KPIs, the DXF export and the
drawings read. Coordinates are metres in the scenario's footprint frame; every polygon is a
list of corners, counter-clockwise, without repeating the first corner.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import shapely
from pydantic import BaseModel, ConfigDict, Field
from shapely.geometry import LineString, Polygon
from shapely.ops import unary_union

from configurator.model.schema import Names, Privacy, Zone

__all__ = [
    "Corridor",
    "Door",
    "Entrance",
    "Obstacle",
    "Plan",
    "PlanRoom",
    "Point",
    "SpareArea",
    "ZoneArea",
    "zone_areas",
]

Point = tuple[float, float]


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Outlined(_Frozen):
    """A record drawn as one polygon (its ``polygon`` field, declared where it has its text)."""

    if TYPE_CHECKING:
        polygon: list[Point]

    @property
    def shape(self) -> Polygon:
        """Return the outline as a shapely polygon."""
        return Polygon(self.polygon)

    @property
    def area_m2(self) -> float:
        """Return the drawn area, m²."""
        return float(self.shape.area)


class PlanRoom(_Outlined):
    """A room or an open area of the plan, one unit of a programme row (or a shared room)."""

    id: str = Field(description="Unique in the plan, e.g. 'meeting_room_2-3'.")
    space_type: str
    zone: str
    privacy: Privacy
    names: Names
    polygon: list[Point] = Field(
        min_length=3,
        description="Outline, m: a rectangle, or a rectangle cut by an angled façade.",
    )
    programme_area_m2: float = Field(gt=0.0, description="Net area the programme asks for.")
    occupants: int = Field(
        default=0,
        ge=0,
        description="Persons the room is designed for (its programme row's occupant load).",
    )
    enclosed: bool = Field(description="A room with walls and a door; false for an open area.")
    staff_only: bool = Field(description="Only staff may enter.")
    secure: bool = Field(
        default=False, description="A secure meeting room: needs a second exit into staff space."
    )
    serves_lobby: bool = Field(
        default=False,
        description="A staff room that opens to the lobby by design (the guard post).",
    )


class Corridor(_Outlined):
    """A piece of circulation: a corridor, a short passage, or the open hall."""

    id: str
    polygon: list[Point] = Field(min_length=3)
    width_m: float = Field(gt=0.0, description="Clear width, m.")
    staff_only: bool
    kind: Literal["corridor", "passage", "hall"] = Field(
        default="corridor",
        description="A corridor or passage has a clear width to keep; the hall is open floor.",
    )
    privacy: Privacy = Field(
        default="semi_open",
        description="Privacy level of the circulation: the hall is open, corridors semi-open.",
    )


class Door(_Frozen):
    """Where a room opens to circulation (or, for a second exit, to another space)."""

    id: str
    room: str = Field(description="The room the door belongs to.")
    to: str = Field(description="What it opens to: a corridor id or a room id.")
    at: Point = Field(description="Middle of the door opening on the wall, m.")
    wall: tuple[Point, Point] = Field(description="The wall segment the door sits in.")
    width_m: float = Field(gt=0.0)
    kind: Literal["main", "second_exit"] = "main"


class SpareArea(_Outlined):
    """Floor the programme does not need, kept along a façade as a lettable unit of its own.

    It opens onto public circulation (the hall or a visitor corridor) through its door, never
    through staff or private space, so another tenant can use it.
    """

    id: str = Field(description="Unique in the plan, e.g. 'spare-1'.")
    polygon: list[Point] = Field(min_length=3)
    rent_eur_year: float = Field(ge=0.0, description="Its area at the scenario's rent, €/year.")


class Entrance(_Frozen):
    """A door in the façade: the building's, or one the plan adds for a spare area's tenant."""

    id: str
    at: Point
    width_m: float
    kind: Literal["main", "side", "staff", "spare"] = Field(
        description=(
            "main, side, staff: the building's (the footprint's); spare: a new door the plan "
            "proposes in the façade, a spare area's own way in and its only exit."
        )
    )


class Obstacle(_Frozen):
    """A fixed element in the floor: stair or lift core, shaft, column or courtyard."""

    id: str
    kind: str
    polygon: list[Point]


class ZoneArea(_Frozen):
    """The outline of one zone: the union of its rooms and open areas."""

    zone: str
    names: Names
    privacy: Privacy
    colour: str
    polygons: list[list[Point]]


class Plan(_Frozen):
    """A functional floor plan: one option of one scenario."""

    scenario: str
    option: int = Field(ge=1, description="Rank among the options, 1 is best.")
    strategy: str
    seed: int
    footprint: list[Point] = Field(min_length=3)
    obstacles: list[Obstacle]
    entrances: list[Entrance]
    windows: list[tuple[Point, Point]] = Field(description="Windowed façade segments.")
    zones: list[ZoneArea]
    rooms: list[PlanRoom]
    corridors: list[Corridor]
    doors: list[Door]
    gross_factor: float = Field(ge=1.0, description="Gross over usable area, from the scenario.")
    spares: list[SpareArea] = Field(
        default_factory=list,
        description="Lettable areas the programme does not need (empty: the surplus is hall).",
    )

    def room(self, room_id: str) -> PlanRoom:
        """Return the room with this id."""
        return next(r for r in self.rooms if r.id == room_id)

    @property
    def footprint_shape(self) -> Polygon:
        """Return the footprint outline as a shapely polygon."""
        return Polygon(self.footprint)

    def window_lines(self) -> list[LineString]:
        """Return the windowed façade segments as lines."""
        return [LineString(w) for w in self.windows]


def zone_areas(rooms: list[PlanRoom], zones: list[Zone]) -> list[ZoneArea]:
    """Return each zone's outline as the union of its rooms, in zone order, to 0.1 mm."""
    areas = []
    for zone in sorted(zones, key=lambda z: z.order):
        members = [r.shape for r in rooms if r.zone == zone.id]
        if not members:
            continue
        # Snap to a 0.1 mm grid the way GEOS does it, so the outline stays valid when turned.
        merged = shapely.set_precision(unary_union(members), 1e-4)
        parts = [g for g in getattr(merged, "geoms", [merged]) if g.geom_type == "Polygon"]
        areas.append(
            ZoneArea(
                zone=zone.id,
                names=zone.names,
                privacy=zone.privacy,
                colour=zone.colour,
                polygons=[
                    [(x + 0.0, y + 0.0) for x, y in list(g.exterior.coords)[:-1]] for g in parts
                ],
            )
        )
    return areas
