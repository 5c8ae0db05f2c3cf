"""Small IFC building models made for the import tests, as a BIM tool would write them.

Written entity by entity (not with this project's exporter), in IFC2X3 or IFC4, in metres or
millimetres, the building placed anywhere and turned: walls as extruded rectangles, doors in
openings (their bodies may stick out of the wall), windows, a stair, columns, spaces, slabs.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import ifcopenshell
import ifcopenshell.guid


@dataclass
class Door:
    """A door in a wall: which wall (index), where along it (m from its start), how wide,
    what its IsExternal flag says (None: no flag) and how far its body sticks out."""

    wall: int
    along: float
    width: float
    external_flag: bool | None = None
    sticks_out: float = 0.0


@dataclass
class Storey:
    """One storey: name, level, walls as (x0, y0, x1, y1, thickness) centre lines, doors,
    windows (wall, along, width), stairs and columns as boxes, spaces and slabs as polygons."""

    name: str
    level: float
    walls: list[tuple[float, float, float, float, float]] = field(default_factory=list)
    doors: list[Door] = field(default_factory=list)
    windows: list[tuple[int, float, float]] = field(default_factory=list)
    stairs: list[tuple[float, float, float, float]] = field(default_factory=list)
    columns: list[tuple[float, float, float, float]] = field(default_factory=list)
    spaces: list[tuple[str, list[tuple[float, float]]]] = field(default_factory=list)
    slabs: list[list[tuple[float, float]]] = field(default_factory=list)
    entrance_level: bool | None = None
    stair_height: float = 3.0


def box_walls(
    x0: float, y0: float, x1: float, y1: float, t: float
) -> list[tuple[float, float, float, float, float]]:
    """Four outer walls whose outer face is the rectangle (x0, y0)-(x1, y1): south, east,
    north, west, each running between the others' inner faces or past them at the corners."""
    h = t / 2
    return [
        (x0, y0 + h, x1, y0 + h, t),
        (x1 - h, y0 + t, x1 - h, y1 - t, t),
        (x1, y1 - h, x0, y1 - h, t),
        (x0 + h, y1 - t, x0 + h, y0 + t, t),
    ]


class Writer:
    """Build one model: the spatial structure, units and placements, then storey by storey."""

    def __init__(
        self,
        schema: str = "IFC4",
        *,
        millimetres: bool = False,
        origin: tuple[float, float] = (0.0, 0.0),
        turn_deg: float = 0.0,
    ) -> None:
        self.f = ifcopenshell.file(schema=schema)
        self.scale = 1000.0 if millimetres else 1.0
        self.schema = schema
        f = self.f
        person = f.createIfcPerson(None, "Tester", None, None, None, None, None, None)
        org = f.createIfcOrganization(None, "Test", None, None, None)
        owner = f.createIfcPersonAndOrganization(person, org, None)
        app = f.createIfcApplication(org, "1", "models.py", "models")
        self.history = f.createIfcOwnerHistory(
            owner,
            app,
            None,
            "NOCHANGE" if schema == "IFC2X3" else "NOTDEFINED",
            None,
            None,
            None,
            0,
        )
        unit = f.createIfcSIUnit(None, "LENGTHUNIT", "MILLI" if millimetres else None, "METRE")
        area = f.createIfcSIUnit(None, "AREAUNIT", None, "SQUARE_METRE")
        context = f.createIfcGeometricRepresentationContext(
            None, "Model", 3, 1e-5, self._axis((0, 0, 0)), None
        )
        self.body = context
        self.project = f.createIfcProject(
            self._id(), self.history, "Test project", None, None, None, None, [context],
            f.createIfcUnitAssignment([unit, area]),
        )  # fmt: skip
        self.site = f.createIfcSite(
            self._id(), self.history, "Site", None, None,
            f.createIfcLocalPlacement(None, self._axis((0, 0, 0))), None, None, "ELEMENT",
            None, None, None, None, None,
        )  # fmt: skip
        a = math.radians(turn_deg)
        building_axis = f.createIfcAxis2Placement3D(
            f.createIfcCartesianPoint(self._m((origin[0], origin[1], 0.0))),
            f.createIfcDirection((0.0, 0.0, 1.0)),
            f.createIfcDirection((math.cos(a), math.sin(a), 0.0)),
        )
        self.building = f.createIfcBuilding(
            self._id(), self.history, "Building", None, None,
            f.createIfcLocalPlacement(self.site.ObjectPlacement, building_axis), None, None,
            "ELEMENT", None, None, None,
        )  # fmt: skip
        self._aggregate(self.project, [self.site])
        self._aggregate(self.site, [self.building])
        self.storeys: list[Any] = []

    # ---------------------------------------------------------------- helpers

    def _id(self) -> str:
        return str(ifcopenshell.guid.new())

    def _m(self, values: tuple[float, ...]) -> tuple[float, ...]:
        return tuple(float(v) * self.scale for v in values)

    def _axis(self, at: tuple[float, ...], x: tuple[float, float] | None = None) -> Any:
        f = self.f
        ref = f.createIfcDirection((x[0], x[1], 0.0)) if x is not None else None
        up = f.createIfcDirection((0.0, 0.0, 1.0)) if x is not None else None
        return f.createIfcAxis2Placement3D(
            f.createIfcCartesianPoint(tuple(float(v) for v in at)), up, ref
        )

    def _aggregate(self, whole: Any, parts: list[Any]) -> None:
        self.f.createIfcRelAggregates(self._id(), self.history, None, None, whole, parts)

    def _placed(self, storey: Any, at: tuple[float, float], along: tuple[float, float]) -> Any:
        return self.f.createIfcLocalPlacement(
            storey.ObjectPlacement, self._axis(self._m((at[0], at[1], 0.0)), along)
        )

    def _box(self, length: float, depth: float, height: float, dy: float = 0.0) -> Any:
        """An extruded rectangle centred on the placement (shifted ``dy`` across)."""
        f = self.f
        profile = f.createIfcRectangleProfileDef(
            "AREA", None,
            f.createIfcAxis2Placement2D(f.createIfcCartesianPoint(self._m((0.0, dy))), None),
            length * self.scale, depth * self.scale,
        )  # fmt: skip
        solid = f.createIfcExtrudedAreaSolid(
            profile, self._axis((0.0, 0.0, 0.0)), f.createIfcDirection((0.0, 0.0, 1.0)),
            height * self.scale,
        )  # fmt: skip
        shape = f.createIfcShapeRepresentation(self.body, "Body", "SweptSolid", [solid])
        return f.createIfcProductDefinitionShape(None, None, [shape])

    def _prism(self, polygon: list[tuple[float, float]], height: float) -> Any:
        f = self.f
        points = [f.createIfcCartesianPoint(self._m(p)) for p in [*polygon, polygon[0]]]
        profile = f.createIfcArbitraryClosedProfileDef("AREA", None, f.createIfcPolyline(points))
        solid = f.createIfcExtrudedAreaSolid(
            profile, self._axis((0.0, 0.0, 0.0)), f.createIfcDirection((0.0, 0.0, 1.0)),
            height * self.scale,
        )  # fmt: skip
        shape = f.createIfcShapeRepresentation(self.body, "Body", "SweptSolid", [solid])
        return f.createIfcProductDefinitionShape(None, None, [shape])

    def _pset(self, element: Any, name: str, values: dict[str, Any]) -> None:
        f = self.f
        props = [
            f.createIfcPropertySingleValue(k, None, f.createIfcBoolean(v), None)
            for k, v in values.items()
        ]
        pset = f.createIfcPropertySet(self._id(), self.history, name, None, props)
        f.createIfcRelDefinesByProperties(self._id(), self.history, None, None, [element], pset)

    def _element(self, kind: str, name: str, placement: Any, shape: Any) -> Any:
        base = [self._id(), self.history, name, None, None, placement, shape, None]
        extra: list[Any] = []
        if kind in ("IfcDoor", "IfcWindow"):
            extra = [2.1 * self.scale, None] if self.schema == "IFC2X3" else [2.1 * self.scale]
        if kind == "IfcStair" and self.schema == "IFC2X3":
            extra = ["STRAIGHT_RUN_STAIR"]  # ShapeType, required in IFC2X3
        return self.f.create_entity(kind, *base, *extra)

    # ---------------------------------------------------------------- storeys

    def storey(self, s: Storey) -> Any:
        """Write one storey and everything on it; return the storey entity."""
        f = self.f
        placement = f.createIfcLocalPlacement(
            self.building.ObjectPlacement, self._axis(self._m((0.0, 0.0, s.level)))
        )
        storey = f.createIfcBuildingStorey(
            self._id(), self.history, s.name, None, None, placement, None, None, "ELEMENT",
            s.level * self.scale,
        )  # fmt: skip
        self._aggregate(self.building, [storey])
        if s.entrance_level is not None:
            self._pset(storey, "Pset_BuildingStoreyCommon", {"EntranceLevel": s.entrance_level})
        contained: list[Any] = []
        walls = []
        for n, (x0, y0, x1, y1, t) in enumerate(s.walls):
            length = math.dist((x0, y0), (x1, y1))
            along = ((x1 - x0) / length, (y1 - y0) / length)
            middle = ((x0 + x1) / 2, (y0 + y1) / 2)
            wall = self._element(
                "IfcWall", f"wall {n}", self._placed(storey, middle, along),
                self._box(length, t, 3.0),
            )  # fmt: skip
            walls.append((wall, (x0, y0), along, t))
            contained.append(wall)
        for n, door in enumerate(s.doors):
            contained.append(self._filling(storey, walls, door, "IfcDoor", f"door {n}"))
        for n, (index, offset, width) in enumerate(s.windows):
            window = Door(index, offset, width)
            contained.append(self._filling(storey, walls, window, "IfcWindow", f"window {n}"))
        for n, (x0, y0, x1, y1) in enumerate(s.stairs):
            corners = [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]
            stair_at = self._placed(storey, (0, 0), (1, 0))
            contained.append(self._element("IfcStair", f"stair {n}", stair_at, None))
            flight = self._element(
                "IfcStairFlight", f"stair {n} flight", self._placed(storey, (0, 0), (1, 0)),
                self._prism(corners, s.stair_height),
            )  # fmt: skip
            self._aggregate(contained[-1], [flight])
        for n, (x0, y0, x1, y1) in enumerate(s.columns):
            corners = [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]
            contained.append(
                self._element(
                    "IfcColumn",
                    f"column {n}",
                    self._placed(storey, (0, 0), (1, 0)),
                    self._prism(corners, 3.0),
                )
            )
        for polygon in s.slabs:
            contained.append(
                self._element(
                    "IfcSlab",
                    "slab",
                    self._placed(storey, (0, 0), (1, 0)),
                    self._prism(polygon, 0.3),
                )
            )
        if contained:
            f.createIfcRelContainedInSpatialStructure(
                self._id(), self.history, None, None, contained, storey
            )
        spaces = []
        for name, polygon in s.spaces:
            space = f.createIfcSpace(
                self._id(), self.history, name, None, None,
                self._placed(storey, (0, 0), (1, 0)), self._prism(polygon, 2.7), name,
                "ELEMENT", "INTERNAL", None,
            ) if self.schema == "IFC2X3" else f.createIfcSpace(
                self._id(), self.history, name, None, None,
                self._placed(storey, (0, 0), (1, 0)), self._prism(polygon, 2.7), name,
                "ELEMENT", "SPACE", None,
            )  # fmt: skip
            spaces.append(space)
        if spaces:
            self._aggregate(storey, spaces)
        self.storeys.append(storey)
        return storey

    def _filling(self, storey: Any, walls: list[Any], door: Door, kind: str, name: str) -> Any:
        """An opening in a wall and the door or window filling it."""
        f = self.f
        wall, start, along, t = walls[door.wall]
        at = (start[0] + along[0] * door.along, start[1] + along[1] * door.along)
        opening = f.createIfcOpeningElement(
            self._id(), self.history, f"{name} opening", None, None,
            self._placed(storey, at, along), self._box(door.width, t + 0.1, 2.1), None,
        )  # fmt: skip
        f.createIfcRelVoidsElement(self._id(), self.history, None, None, wall, opening)
        body = self._box(door.width, 0.05 + door.sticks_out, 2.1, dy=-door.sticks_out / 2)
        element = self._element(kind, name, self._placed(storey, at, along), body)
        element.OverallWidth = door.width * self.scale
        f.createIfcRelFillsElement(self._id(), self.history, None, None, opening, element)
        if door.external_flag is not None:
            pset = "Pset_DoorCommon" if kind == "IfcDoor" else "Pset_WindowCommon"
            self._pset(element, pset, {"IsExternal": door.external_flag})
        return element

    def write(self, path: Path) -> Path:
        self.f.write(str(path))
        return path


def office(
    path: Path,
    *,
    schema: str = "IFC4",
    millimetres: bool = False,
    origin: tuple[float, float] = (0.0, 0.0),
    turn_deg: float = 0.0,
) -> Path:
    """A 20 × 12 m office on two storeys, outer walls 0.3 m (outer face (0, 0)-(20, 12)).

    Ground floor: an interior wall at x = 12 with a door flagged IsExternal (a lie); the main
    door, 1.8 m, at 10 m along the south wall, its body a swing sticking 0.9 m out of the wall
    and flagged internal (a lie); a 0.9 m side door on the east wall at 6 m; three windows on the
    north wall; a stair at (1, 8)-(4, 11.5) of the storey below's, rising into this one; a
    column inside at (8, 6) and a canopy post outside at (10, -2); spaces on both sides of the
    interior wall. First floor at 3.5 m: the same outer walls.
    """
    writer = Writer(schema, millimetres=millimetres, origin=origin, turn_deg=turn_deg)
    outer = box_walls(0, 0, 20, 12, 0.3)
    writer.storey(
        Storey("Basement", -3.0, walls=outer, stairs=[(1.0, 8.0, 4.0, 11.5)], stair_height=4.0)
    )
    ground = Storey(
        "Ground floor",
        0.0,
        walls=[*outer, (12.0, 0.3, 12.0, 11.7, 0.15)],
        doors=[
            Door(0, 10.0, 1.8, external_flag=False, sticks_out=0.9),
            Door(1, 6.0 - 0.3, 0.9, external_flag=True),
            Door(4, 5.0, 1.0, external_flag=True),
        ],
        windows=[(2, 3.0, 1.5), (2, 8.0, 1.5), (2, 14.0, 1.5)],
        columns=[(7.8, 5.8, 8.2, 6.2), (9.8, -2.2, 10.2, -1.8)],
        spaces=[
            ("001", [(0.3, 0.3), (11.925, 0.3), (11.925, 11.7), (0.3, 11.7)]),
            ("002", [(12.075, 0.3), (19.7, 0.3), (19.7, 11.7), (12.075, 11.7)]),
        ],
    )
    writer.storey(ground)
    writer.storey(Storey("First floor", 3.5, walls=outer))
    return writer.write(path)


def hall(path: Path, *, width: float = 30.0, depth: float = 20.0, t: float = 0.3) -> Path:
    """A one-storey box whose floor inside the outer walls is (0, 0)-(width, depth): a 1.8 m
    main door at a third of the south wall, a 1.2 m staff door at three quarters up the east
    wall and windows all round."""
    writer = Writer("IFC4")
    walls = box_walls(-t, -t, width + t, depth + t, t)
    writer.storey(
        Storey(
            "Ground floor",
            0.0,
            walls=walls,
            doors=[Door(0, t + width / 3, 1.8), Door(1, depth * 0.75, 1.2)],
            windows=[
                *((0, t + x, 1.5) for x in (3.0, width - 3.0)),
                *((2, t + x, 1.5) for x in (3.0, width / 2, width - 3.0)),
                (3, depth / 2, 1.5),
            ],
        )
    )
    return writer.write(path)
