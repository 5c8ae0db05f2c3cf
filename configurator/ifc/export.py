"""Write a plan option as an IFC4 space model (COBIM 2012 series 3: the space model).

One ``IfcSpace`` per room, open area, corridor, passage, hall piece and spare area, on one
``IfcBuildingStorey``, each with a body (its outline extruded to the room height), a 2D
footprint, ``Qto_SpaceBaseQuantities`` and ``Pset_SpaceCommon`` read from its polygon, and the
programme's requirement beside it; an ``IfcSpaceType`` per catalog space type carries the space
card's requirements; an ``IfcZone`` per zone and per privacy level groups the spaces; doors are
``IfcDoor`` joined to the spaces they open between by space boundaries. No walls: a space model
states the spaces, the architect's tool draws the walls round them.

Same plan, catalog and date → same bytes: GlobalIds come from the plan's ids, the header's time
from the scenario's date.
"""

from __future__ import annotations

import datetime
import itertools
import math
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import ifcopenshell
import ifcopenshell.api.aggregate
import ifcopenshell.api.context
import ifcopenshell.api.geometry
import ifcopenshell.api.group
import ifcopenshell.api.project
import ifcopenshell.api.pset
import ifcopenshell.api.root
import ifcopenshell.api.spatial
import ifcopenshell.api.type
import ifcopenshell.api.unit
import ifcopenshell.guid
from shapely.geometry import LineString, MultiPolygon, Point as ShapelyPoint, Polygon
from shapely.geometry.polygon import orient
from shapely.ops import unary_union

from configurator import __version__
from configurator._io import atomic_path
from configurator.model.plan import Plan
from configurator.model.schema import Catalog, Names, SpaceType, Storey
from configurator.sizing.program import Program

__all__ = [
    "PROGRAMME_PSET",
    "REQUIREMENTS_PSET",
    "SPACE_PSET",
    "SpaceKind",
    "plan_to_ifc",
    "plan_to_ifc_bytes",
]

SpaceKind = Literal["room", "open_area", "corridor", "passage", "hall", "spare"]

SPACE_PSET = "ServicePoint_Space"
"""The project's own property set on every space: what the space is in the plan."""
PROGRAMME_PSET = "ServicePoint_Programme"
"""On rooms and open areas: the programme's requirement beside the drawn space."""
REQUIREMENTS_PSET = "ServicePoint_Requirements"
"""On each space type: the space card's requirements, for a room-data tool."""

_NAMESPACE = uuid.UUID("6f1f3d0e-5a39-4c53-9a4f-3c1e2f5b8a10")
"""Namespace of the GlobalIds (uuid5 of the plan's ids): fixed, so re-exports keep them."""
_SLIVER_M2 = 1e-4
"""Pieces of floor smaller than this left by cutting the open areas out of the hall are dropped."""
_DOOR_DEPTH_M = 0.1
"""Thickness of a door's drawn leaf: the model has no walls for it to take its depth from."""

_WORDS: dict[str, dict[str, str]] = {
    "fi": {
        "corridor": "Käytävä",
        "passage": "Kulkuyhteys",
        "hall": "Aula",
        "spare": "Vuokrattava lisätila",
        "staff": "henkilöstö",
        "open": "Avoin",
        "semi_open": "Puoliavoin",
        "private": "Yksityinen",
        "privacy": "Yksityisyystaso",
        "zone": "Vyöhyke",
        "spares": "Vuokrattavat lisätilat",
        "site": "Tontti",
        "building": "Palvelupiste",
        "entrance": "Sisäänkäynti",
    },
    "en": {
        "corridor": "Corridor",
        "passage": "Passage",
        "hall": "Hall",
        "spare": "Spare area to let",
        "staff": "staff",
        "open": "Open",
        "semi_open": "Semi-open",
        "private": "Private",
        "privacy": "Privacy level",
        "zone": "Zone",
        "spares": "Spare areas to let",
        "site": "Site",
        "building": "Service point",
        "entrance": "Entrance",
    },
}


@dataclass(frozen=True)
class _Space:
    """One space to write: the plan's id, what it is, its outline and its data."""

    id: str
    kind: SpaceKind
    shape: Polygon | MultiPolygon
    long_name: str
    object_type: str
    zone: str | None
    privacy: str
    public: bool
    space_type: SpaceType | None = None


def plan_to_ifc(
    plan: Plan,
    path: Path,
    *,
    catalog: Catalog,
    storey: Storey | None = None,
    program: Program | None = None,
    lang: str = "fi",
    date: datetime.date | None = None,
) -> None:
    """Write a plan as an IFC4 space model in metres, in the drawing's own coordinates,
    atomically (see the module docstring for what it holds)."""
    model = _model(plan, catalog=catalog, storey=storey, program=program, lang=lang, date=date)
    with atomic_path(path) as temporary:
        model.write(str(temporary))


def plan_to_ifc_bytes(
    plan: Plan,
    *,
    catalog: Catalog,
    storey: Storey | None = None,
    program: Program | None = None,
    lang: str = "fi",
    date: datetime.date | None = None,
) -> bytes:
    """Return the IFC file :func:`plan_to_ifc` writes, as bytes (for a download)."""
    model = _model(plan, catalog=catalog, storey=storey, program=program, lang=lang, date=date)
    return str(model.to_string()).encode("utf-8")


def _model(
    plan: Plan,
    *,
    catalog: Catalog,
    storey: Storey | None,
    program: Program | None,
    lang: str,
    date: datetime.date | None,
) -> ifcopenshell.file:
    """Build the model in memory (the writers above put it in a file or in bytes)."""
    words = _WORDS[lang]
    level = storey or Storey()
    f = ifcopenshell.api.project.create_file(version="IFC4")
    project = ifcopenshell.api.root.create_entity(f, ifc_class="IfcProject", name=plan.scenario)
    project.LongName = f"{plan.scenario}: option {plan.option} ({plan.strategy})"
    length = ifcopenshell.api.unit.add_si_unit(f, unit_type="LENGTHUNIT")
    area = ifcopenshell.api.unit.add_si_unit(f, unit_type="AREAUNIT")
    volume = ifcopenshell.api.unit.add_si_unit(f, unit_type="VOLUMEUNIT")
    ifcopenshell.api.unit.assign_unit(f, units=[length, area, volume])
    model_ctx = ifcopenshell.api.context.add_context(f, context_type="Model")
    body_ctx = ifcopenshell.api.context.add_context(
        f, context_type="Model", context_identifier="Body", target_view="MODEL_VIEW",
        parent=model_ctx,
    )  # fmt: skip
    plan_ctx = ifcopenshell.api.context.add_context(f, context_type="Plan")
    foot_ctx = ifcopenshell.api.context.add_context(
        f, context_type="Plan", context_identifier="FootPrint", target_view="PLAN_VIEW",
        parent=plan_ctx,
    )  # fmt: skip

    site = ifcopenshell.api.root.create_entity(f, ifc_class="IfcSite", name=words["site"])
    building = ifcopenshell.api.root.create_entity(
        f, ifc_class="IfcBuilding", name=words["building"]
    )
    floor = ifcopenshell.api.root.create_entity(f, ifc_class="IfcBuildingStorey", name=level.name)
    floor.Elevation = level.elevation_m
    ifcopenshell.api.aggregate.assign_object(f, products=[site], relating_object=project)
    ifcopenshell.api.aggregate.assign_object(f, products=[building], relating_object=site)
    ifcopenshell.api.aggregate.assign_object(f, products=[floor], relating_object=building)
    site.ObjectPlacement = _placement(f, None, (0.0, 0.0, 0.0))
    building.ObjectPlacement = _placement(f, site.ObjectPlacement, (0.0, 0.0, 0.0))
    floor.ObjectPlacement = _placement(f, building.ObjectPlacement, (0.0, 0.0, level.elevation_m))
    pset = ifcopenshell.api.pset.add_pset(f, product=floor, name="Pset_BuildingStoreyCommon")
    # the point's entrances are on this storey
    ifcopenshell.api.pset.edit_pset(f, pset=pset, properties={"EntranceLevel": True})
    floor_qto = ifcopenshell.api.pset.add_qto(
        f, product=floor, name="Qto_BuildingStoreyBaseQuantities"
    )
    # the plan's footprint is the floor inside the outer walls: the storey's net area
    ifcopenshell.api.pset.edit_qto(
        f,
        qto=floor_qto,
        properties={"GrossHeight": level.height_m, "NetFloorArea": Polygon(plan.footprint).area},
    )

    spaces = _spaces(plan, catalog, lang, words)
    types = _space_types(f, spaces, lang)
    rows = {row.space_type: row for row in program.rows} if program is not None else {}
    written: dict[str, ifcopenshell.entity_instance] = {}
    for space in spaces:
        entity = _space(f, space, floor, body_ctx, foot_ctx, level)
        written[space.id] = entity
        if space.space_type is not None:
            ifcopenshell.api.type.assign_type(
                f, related_objects=[entity], relating_type=types[space.space_type.id],
                should_map_representations=False,
            )  # fmt: skip
            entity.ObjectType = space.object_type  # assigning the type cleared it
            room = plan.room(space.id)
            row = rows.get(room.space_type)
            programme: dict[str, Any] = {
                "ProgrammedArea": f.createIfcAreaMeasure(room.programme_area_m2),
                "Zone": room.zone,
                "Privacy": room.privacy,
                "Occupants": room.occupants,
                "StaffOnly": room.staff_only,
                "Secure": room.secure,
            }
            if row is not None:
                programme["Count"] = row.count
                programme["CountUnit"] = row.unit
                programme["Rooms"] = row.rooms
                programme["SizingReason"] = f.createIfcText(row.explanation_in(lang))
            pset = ifcopenshell.api.pset.add_pset(f, product=entity, name=PROGRAMME_PSET)
            ifcopenshell.api.pset.edit_pset(f, pset=pset, properties=programme)
    _zones(f, spaces, written, catalog, lang, words)
    _doors(f, plan, spaces, written, floor, body_ctx, level, words)
    _fix_order(f)
    _fix_ids(f, plan)
    _header(f, plan, date)
    return f


def _spaces(plan: Plan, catalog: Catalog, lang: str, words: dict[str, str]) -> list[_Space]:
    """Return the spaces to write, in a fixed order: rooms, circulation, spare areas."""
    types = {t.id: t for t in catalog.space_types}
    out: list[_Space] = []
    for room in plan.rooms:
        space_type = types.get(room.space_type)
        out.append(
            _Space(
                id=room.id,
                kind="room" if room.enclosed else "open_area",
                shape=room.shape,
                long_name=_name(room.names, lang),
                object_type=room.space_type,
                zone=room.zone,
                privacy=room.privacy,
                public=not room.staff_only,
                space_type=space_type,
            )
        )
    standing = [r.shape for r in plan.rooms if not r.enclosed]
    for corridor in plan.corridors:
        kind: SpaceKind = corridor.kind
        name = words[kind] + (f" ({words['staff']})" if corridor.staff_only else "")
        out.append(
            _Space(
                id=corridor.id,
                kind=kind,
                shape=_walking_floor(corridor.shape, standing),
                long_name=f"{name} {corridor.id}",
                object_type=kind,
                zone=None,
                privacy=corridor.privacy,
                public=not corridor.staff_only,
            )
        )
    for spare in plan.spares:
        out.append(
            _Space(
                id=spare.id,
                kind="spare",
                shape=spare.shape,
                long_name=f"{words['spare']} {spare.id}",
                object_type="spare",
                zone=None,
                privacy="private",
                public=False,
            )
        )
    return out


def _walking_floor(piece: Polygon, standing: list[Polygon]) -> Polygon | MultiPolygon:
    """Return a circulation piece less the open areas standing in it (the hall's lounges and
    counters), so that no floor is in two spaces and the spaces' areas add up to the floor."""
    inside = [a for a in standing if a.intersection(piece).area > _SLIVER_M2]
    if not inside:
        return piece
    rest = piece.difference(unary_union(inside))
    parts = [
        Polygon(p.exterior, [h for h in p.interiors if Polygon(h).area > _SLIVER_M2])
        for p in getattr(rest, "geoms", [rest])
        if isinstance(p, Polygon) and p.area > _SLIVER_M2
    ]
    return parts[0] if len(parts) == 1 else MultiPolygon(parts)


def _name(names: Names, lang: str) -> str:
    return names.fi if lang == "fi" else names.en


def _space(
    f: ifcopenshell.file,
    space: _Space,
    floor: ifcopenshell.entity_instance,
    body_ctx: ifcopenshell.entity_instance,
    foot_ctx: ifcopenshell.entity_instance,
    level: Storey,
) -> ifcopenshell.entity_instance:
    """Write one space: placement on the storey, body, footprint, quantities, common pset."""
    entity = ifcopenshell.api.root.create_entity(
        f, ifc_class="IfcSpace", predefined_type="SPACE", name=space.id
    )
    entity.LongName = space.long_name
    entity.ObjectType = space.object_type
    entity.CompositionType = "ELEMENT"
    ifcopenshell.api.aggregate.assign_object(f, products=[entity], relating_object=floor)
    entity.ObjectPlacement = _placement(f, floor.ObjectPlacement, (0.0, 0.0, 0.0))
    shape = space.shape
    parts = [orient(p, 1.0) for p in getattr(shape, "geoms", [shape])]
    solids = []
    curves = []
    for part in parts:
        outer = _polyline(f, _ring(part.exterior.coords))
        holes = [_polyline(f, _ring(h.coords)) for h in part.interiors]
        profile = (
            f.createIfcArbitraryProfileDefWithVoids("AREA", None, outer, holes)
            if holes
            else f.createIfcArbitraryClosedProfileDef("AREA", None, outer)
        )
        up = f.createIfcDirection((0.0, 0.0, 1.0))
        origin = _axis(f, (0.0, 0.0, 0.0))
        solids.append(f.createIfcExtrudedAreaSolid(profile, origin, up, level.room_height_m))
        curves += [_polyline(f, _ring(part.exterior.coords))]
        curves += [_polyline(f, _ring(h.coords)) for h in part.interiors]
    body = f.createIfcShapeRepresentation(body_ctx, "Body", "SweptSolid", solids)
    footprint = f.createIfcShapeRepresentation(foot_ctx, "FootPrint", "Curve2D", curves)
    entity.Representation = f.createIfcProductDefinitionShape(None, None, [body, footprint])
    qto = ifcopenshell.api.pset.add_qto(f, product=entity, name="Qto_SpaceBaseQuantities")
    ifcopenshell.api.pset.edit_qto(
        f,
        qto=qto,
        properties={
            "Height": level.room_height_m,
            "NetFloorArea": shape.area,
            "GrossFloorArea": shape.area,
            "GrossPerimeter": shape.length,
            "NetVolume": shape.area * level.room_height_m,
            "GrossVolume": shape.area * level.room_height_m,
        },
    )
    common: dict[str, Any] = {
        "Reference": space.object_type,
        "IsExternal": False,
        "PubliclyAccessible": space.public,
        "HandicapAccessible": True,
    }
    if space.space_type is not None:
        common["HandicapAccessible"] = "step_free" in space.space_type.accessibility
    pset = ifcopenshell.api.pset.add_pset(f, product=entity, name="Pset_SpaceCommon")
    ifcopenshell.api.pset.edit_pset(f, pset=pset, properties=common)
    own = ifcopenshell.api.pset.add_pset(f, product=entity, name=SPACE_PSET)
    ifcopenshell.api.pset.edit_pset(
        f, pset=own, properties={"PlanId": space.id, "Category": space.kind}
    )
    return entity


def _space_types(
    f: ifcopenshell.file, spaces: Iterable[_Space], lang: str
) -> dict[str, ifcopenshell.entity_instance]:
    """Write an ``IfcSpaceType`` per catalog space type used, with the card's requirements."""
    out: dict[str, ifcopenshell.entity_instance] = {}
    for space in spaces:
        st = space.space_type
        if st is None or st.id in out:
            continue
        entity = ifcopenshell.api.root.create_entity(
            f, ifc_class="IfcSpaceType", predefined_type="SPACE", name=st.id
        )
        entity.Description = _name(st.names, lang)
        requirements: dict[str, Any] = {
            "Purpose": f.createIfcText(_name(st.purpose, lang)),
            "Zone": st.zone,
            "Unit": st.unit,
            "MinimumWidth": f.createIfcPositiveLengthMeasure(st.min_width_m),
            "Capacity": st.capacity_persons,
            "AcousticPrivacy": st.acoustic_privacy,
            "Daylight": st.daylight,
            "IndoorClimateClass": st.indoor_climate.category,
            "Furniture": _labels(
                f, "Furniture", [_furniture(item.names, item.count, lang) for item in st.furniture]
            ),
            "Equipment": _labels(
                f, "Equipment", [_name(n, lang) for n in [*st.equipment, *st.digital_equipment]]
            ),
            "Accessibility": _labels(f, "Accessibility", list(st.accessibility)),
        }
        if st.indoor_climate.lux is not None:
            requirements["Illuminance"] = f.createIfcIlluminanceMeasure(st.indoor_climate.lux)
        if st.indoor_climate.noise_db is not None:
            requirements["ServicesNoise"] = f.createIfcSoundPressureLevelMeasure(
                st.indoor_climate.noise_db
            )
        pset = ifcopenshell.api.pset.add_pset(f, product=entity, name=REQUIREMENTS_PSET)
        ifcopenshell.api.pset.edit_pset(f, pset=pset, properties=requirements)
        out[st.id] = entity
    return out


def _labels(f: ifcopenshell.file, name: str, values: list[str]) -> ifcopenshell.entity_instance:
    """Return a list property of labels (edit_pset makes lists only from a template)."""
    return f.createIfcPropertyListValue(name, None, [f.createIfcLabel(v) for v in values], None)


def _furniture(names: Names, count: int, lang: str) -> str:
    return f"{count} × {_name(names, lang)}" if count > 1 else _name(names, lang)


def _zones(
    f: ifcopenshell.file,
    spaces: list[_Space],
    written: dict[str, ifcopenshell.entity_instance],
    catalog: Catalog,
    lang: str,
    words: dict[str, str],
) -> None:
    """Group the spaces in an ``IfcZone`` per catalog zone and one per privacy level."""
    for zone in sorted(catalog.zones, key=lambda z: z.order):
        members = [written[s.id] for s in spaces if s.zone == zone.id]
        if members:
            _group(f, f"zone-{zone.id}", _name(zone.names, lang), words["zone"], members)
    spares = [written[s.id] for s in spaces if s.kind == "spare"]
    if spares:
        _group(f, "zone-spare", words["spares"], words["zone"], spares)
    for privacy in ("open", "semi_open", "private"):
        members = [written[s.id] for s in spaces if s.privacy == privacy and s.kind != "spare"]
        if members:
            _group(f, f"privacy-{privacy}", words[privacy], words["privacy"], members)


def _group(
    f: ifcopenshell.file,
    name: str,
    long_name: str,
    object_type: str,
    members: list[ifcopenshell.entity_instance],
) -> None:
    zone = ifcopenshell.api.root.create_entity(f, ifc_class="IfcZone", name=name)
    zone.LongName = long_name
    zone.ObjectType = object_type
    ifcopenshell.api.group.assign_group(f, products=members, group=zone)


def _doors(
    f: ifcopenshell.file,
    plan: Plan,
    spaces: list[_Space],
    written: dict[str, ifcopenshell.entity_instance],
    floor: ifcopenshell.entity_instance,
    body_ctx: ifcopenshell.entity_instance,
    level: Storey,
    words: dict[str, str],
) -> None:
    """Write the plan's doors and the building's entrances as ``IfcDoor`` with a leaf, each
    tied to the spaces it opens between by ``IfcRelSpaceBoundary``."""
    outline = Polygon(plan.footprint)
    for door in plan.doors:
        (x0, y0), (x1, y1) = door.wall
        entity = _door(
            f, door.id, door.at, (x1 - x0, y1 - y0), door.width_m, floor, body_ctx, level
        )
        entity.ObjectType = door.kind
        _door_pset(f, entity, external=False)
        for space_id in (door.room, door.to):
            if space_id in written:
                _boundary(f, written[space_id], entity, "INTERNAL")
    for entrance in plan.entrances:
        direction = _edge_direction(outline, entrance.at)
        entity = _door(
            f, entrance.id, entrance.at, direction, entrance.width_m, floor, body_ctx, level
        )
        entity.ObjectType = f"{words['entrance']}: {entrance.kind}"
        _door_pset(f, entity, external=True)
        inside = _space_at(spaces, written, entrance.at)
        if inside is not None:
            _boundary(f, inside, entity, "EXTERNAL")


def _door(
    f: ifcopenshell.file,
    door_id: str,
    at: tuple[float, float],
    along: tuple[float, float],
    width: float,
    floor: ifcopenshell.entity_instance,
    body_ctx: ifcopenshell.entity_instance,
    level: Storey,
) -> ifcopenshell.entity_instance:
    """Write one door: placed at the middle of its opening, its x axis along the wall."""
    entity = ifcopenshell.api.root.create_entity(
        f, ifc_class="IfcDoor", predefined_type="DOOR", name=door_id
    )
    entity.OverallWidth = width
    entity.OverallHeight = level.door_height_m
    # contained first: assigning the container would place the door again, in set order
    ifcopenshell.api.spatial.assign_container(f, products=[entity], relating_structure=floor)
    length = math.hypot(*along) or 1.0
    ux, uy = along[0] / length, along[1] / length
    axis = f.createIfcAxis2Placement3D(
        f.createIfcCartesianPoint((float(at[0]), float(at[1]), 0.0)),
        f.createIfcDirection((0.0, 0.0, 1.0)),
        f.createIfcDirection((ux, uy, 0.0)),
    )
    entity.ObjectPlacement = f.createIfcLocalPlacement(floor.ObjectPlacement, axis)
    leaf = f.createIfcRectangleProfileDef(
        "AREA", None, f.createIfcAxis2Placement2D(f.createIfcCartesianPoint((0.0, 0.0))),
        width, _DOOR_DEPTH_M,
    )  # fmt: skip
    solid = f.createIfcExtrudedAreaSolid(
        leaf, _axis(f, (0.0, 0.0, 0.0)), f.createIfcDirection((0.0, 0.0, 1.0)),
        level.door_height_m,
    )  # fmt: skip
    body = f.createIfcShapeRepresentation(body_ctx, "Body", "SweptSolid", [solid])
    entity.Representation = f.createIfcProductDefinitionShape(None, None, [body])
    return entity


def _door_pset(f: ifcopenshell.file, door: ifcopenshell.entity_instance, *, external: bool) -> None:
    pset = ifcopenshell.api.pset.add_pset(f, product=door, name="Pset_DoorCommon")
    ifcopenshell.api.pset.edit_pset(f, pset=pset, properties={"IsExternal": external})


def _boundary(
    f: ifcopenshell.file,
    space: ifcopenshell.entity_instance,
    door: ifcopenshell.entity_instance,
    side: Literal["INTERNAL", "EXTERNAL"],
) -> None:
    f.createIfcRelSpaceBoundary(
        ifcopenshell.guid.new(), None, None, None, space, door, None, "PHYSICAL", side
    )


def _space_at(
    spaces: list[_Space], written: dict[str, ifcopenshell.entity_instance], at: tuple[float, float]
) -> ifcopenshell.entity_instance | None:
    """Return the space an entrance opens into: circulation or a spare area before an open
    area standing at the door, and that before a room."""
    point = ShapelyPoint(at)
    order: list[SpaceKind] = ["corridor", "passage", "hall", "spare", "open_area", "room"]
    near = [s for s in spaces if s.shape.distance(point) < 0.05]
    near.sort(key=lambda s: order.index(s.kind))
    return written[near[0].id] if near else None


def _edge_direction(outline: Polygon, at: tuple[float, float]) -> tuple[float, float]:
    """Return the direction of the outline's edge nearest a point."""
    point = ShapelyPoint(at)
    (x0, y0), (x1, y1) = min(
        itertools.pairwise(outline.exterior.coords),
        key=lambda e: LineString(e).distance(point),
    )
    return (x1 - x0, y1 - y0)


def _placement(
    f: ifcopenshell.file,
    relative_to: ifcopenshell.entity_instance | None,
    origin: tuple[float, float, float],
) -> ifcopenshell.entity_instance:
    return f.createIfcLocalPlacement(relative_to, _axis(f, origin))


def _axis(f: ifcopenshell.file, origin: tuple[float, float, float]) -> ifcopenshell.entity_instance:
    return f.createIfcAxis2Placement3D(f.createIfcCartesianPoint(origin), None, None)


def _ring(coords: Iterable[tuple[float, ...]]) -> list[tuple[float, float]]:
    return [(float(x), float(y)) for x, y, *_ in coords]


def _polyline(
    f: ifcopenshell.file, ring: list[tuple[float, float]]
) -> ifcopenshell.entity_instance:
    return f.createIfcPolyline([f.createIfcCartesianPoint(p) for p in ring])


def _fix_order(f: ifcopenshell.file) -> None:
    """Sort every SET of entities by file order: ifcopenshell's API fills them from Python sets,
    whose order changes from run to run, and a SET's order means nothing in IFC."""
    schema = ifcopenshell.ifcopenshell_wrapper.schema_by_name(f.schema)
    sets: dict[str, list[str]] = {}
    for entity in f:
        kind = entity.is_a()
        if kind not in sets:
            sets[kind] = [
                a.name()
                for a in schema.declaration_by_name(kind).all_attributes()
                if (agg := a.type_of_attribute().as_aggregation_type()) is not None
                and agg.type_of_aggregation_string() == "set"
            ]
        for name in sets[kind]:
            value = getattr(entity, name)
            if value and all(isinstance(v, ifcopenshell.entity_instance) for v in value):
                setattr(entity, name, sorted(value, key=lambda v: v.id()))


def _fix_ids(f: ifcopenshell.file, plan: Plan) -> None:
    """Give every rooted entity a GlobalId derived from the plan: products and groups from
    their names (a room keeps its GlobalId when the plan is exported again), relationships
    and property sets from their place in the file."""
    key = f"{plan.scenario}/option-{plan.option}"
    for entity in sorted(f.by_type("IfcRoot"), key=lambda e: e.id()):
        if entity.is_a() in ("IfcSite", "IfcBuilding", "IfcBuildingStorey"):
            name = entity.is_a()  # one each, named in the chosen language: the id is not
        elif entity.is_a("IfcProduct") or entity.is_a("IfcGroup") or entity.is_a("IfcTypeObject"):
            name = f"{entity.is_a()}:{entity.Name}"
        elif entity.is_a("IfcProject"):
            name = "IfcProject"
        else:
            name = f"{entity.is_a()}#{entity.id()}"
        entity.GlobalId = ifcopenshell.guid.compress(uuid.uuid5(_NAMESPACE, f"{key}/{name}").hex)


def _header(f: ifcopenshell.file, plan: Plan, date: datetime.date | None) -> None:
    """Fix the header: the scenario's date (or the epoch) and this tool as the author."""
    stamp = (date or datetime.date(1970, 1, 1)).isoformat() + "T00:00:00"
    header = f.header
    header.file_name.name = f"{plan.scenario}-option-{plan.option}.ifc"
    header.file_name.time_stamp = stamp
    header.file_name.author = ("service-point-configurator",)
    header.file_name.organization = ("",)
    header.file_name.preprocessor_version = f"IfcOpenShell {ifcopenshell.version}"
    header.file_name.originating_system = f"service-point-configurator {__version__}"
    header.file_name.authorization = ""
    header.file_description.description = ("ViewDefinition [ReferenceView_V1.2]",)
