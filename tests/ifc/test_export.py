"""The IFC space model read back: EXPRESS rules, the project's IDS, quantities against the plan's
polygons, geometry by ifcopenshell's geometry kernel, zones, doors, bytes, a turned plan."""

from __future__ import annotations

import datetime
import json
from collections import defaultdict
from pathlib import Path

import ifcopenshell
import ifcopenshell.geom
import ifcopenshell.util.element
import ifcopenshell.validate
import numpy as np
import pytest
from ifctester import ids, reporter
from shapely.geometry import MultiPolygon, Polygon
from shapely.ops import unary_union

from configurator.ifc import plan_to_ifc, plan_to_ifc_bytes
from configurator.inputs.catalog import Case, load_case
from configurator.model.plan import Plan
from configurator.model.schema import Storey
from configurator.review.options import plans_from_case
from configurator.sizing.program import program_from_case
from tests.common import REPO, turn_plan

pytestmark = [
    pytest.mark.xdist_group("ifc"),
    # ifcopenshell's validator leaves its EXPRESS rules file open (a ResourceWarning)
    pytest.mark.filterwarnings(
        "ignore:Exception ignored in.*ifcopenshell.express:pytest.PytestUnraisableExceptionWarning"
    ),
]

IDS = REPO / "schema" / "space-model.ids"


def _export(case: Case, plan: Plan, path: Path, **changes: object) -> ifcopenshell.file:
    settings: dict[str, object] = {
        "catalog": case.catalog,
        "storey": case.scenario.storey,
        "program": program_from_case(case),
        "lang": "fi",
        "date": case.scenario.date,
    }
    settings.update(changes)
    plan_to_ifc(plan, path, **settings)  # type: ignore[arg-type]
    return ifcopenshell.open(str(path))


@pytest.fixture(scope="module")
def pori() -> tuple[Case, Plan]:
    case = load_case(REPO / "examples" / "pori.yaml")
    return case, plans_from_case(case, options=1)[0]


@pytest.fixture(scope="module")
def pori_model(pori: tuple[Case, Plan], tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("ifc") / "pori.ifc"
    _export(*pori, path)
    return path


def express_problems(model: ifcopenshell.file) -> list[object]:
    """Return what ifcopenshell's validator (schema and EXPRESS where-rules) reports."""
    logger = ifcopenshell.validate.json_logger()
    ifcopenshell.validate.validate(model, logger, express_rules=True)
    return list(logger.statements)


def ids_report(model: ifcopenshell.file) -> dict[str, object]:
    """Return ifctester's JSON report of the project's IDS on a model (its status is the verdict:
    the command line exits 0 on failures)."""
    spec = ids.open(str(IDS))
    spec.validate(model)
    report = reporter.Json(spec)
    report.report()
    result: dict[str, object] = json.loads(report.to_string())
    return result


def failing(report: dict[str, object]) -> list[str]:
    specs = report["specifications"]
    assert isinstance(specs, list)
    return [s["name"] for s in specs if not s["status"]]


def mesh(shape: object) -> tuple[float, float]:
    """Return (floor area, volume) of a triangulated solid: the area of the faces looking down
    and the divergence-theorem volume."""
    geometry = shape.geometry  # type: ignore[attr-defined]
    verts = np.array(geometry.verts, dtype=float).reshape(-1, 3)
    tris = verts[np.array(geometry.faces, dtype=int).reshape(-1, 3)]
    normals = np.cross(tris[:, 1] - tris[:, 0], tris[:, 2] - tris[:, 0])
    down = normals[:, 2] < -1e-9
    floor = float(np.linalg.norm(normals[down], axis=1).sum() / 2)
    volume = float(np.einsum("ij,ij->i", tris[:, 0], np.cross(tris[:, 1], tris[:, 2])).sum() / 6)
    return floor, abs(volume)


def quantities(model: ifcopenshell.file) -> dict[str, dict[str, float]]:
    """Return each space's Qto_SpaceBaseQuantities by its Name."""
    out = {}
    for space in model.by_type("IfcSpace"):
        psets = ifcopenshell.util.element.get_psets(space, qtos_only=True)
        out[space.Name] = {k: v for k, v in psets["Qto_SpaceBaseQuantities"].items() if k != "id"}
    return out


def space_outline(plan: Plan, space_id: str) -> Polygon | MultiPolygon:
    """Return what a space should cover, from the plan alone: a room's polygon, or a
    circulation piece less the open areas standing in it."""
    for room in plan.rooms:
        if room.id == space_id:
            return room.shape
    for spare in plan.spares:
        if spare.id == space_id:
            return spare.shape
    corridor = next(c for c in plan.corridors if c.id == space_id)
    standing = unary_union([r.shape for r in plan.rooms if not r.enclosed])
    return corridor.shape.difference(standing)


def test_pori_model_passes_the_express_rules_and_the_ids(pori_model: Path) -> None:
    model = ifcopenshell.open(str(pori_model))
    assert model.schema == "IFC4"
    assert express_problems(model) == []
    report = ids_report(model)
    assert report["status"] is True, failing(report)


def test_every_room_is_a_space_with_the_area_and_volume_of_its_polygon(
    pori: tuple[Case, Plan], pori_model: Path
) -> None:
    case, plan = pori
    model = ifcopenshell.open(str(pori_model))
    height = case.scenario.storey.room_height_m
    qto = quantities(model)
    settings = ifcopenshell.geom.settings()
    settings.set("use-world-coords", True)
    by_name = {s.Name: s for s in model.by_type("IfcSpace")}
    expected = [r.id for r in plan.rooms] + [c.id for c in plan.corridors]
    assert sorted(by_name) == sorted(expected + [s.id for s in plan.spares])
    for space_id, space in by_name.items():
        outline = space_outline(plan, space_id)
        q = qto[space_id]
        assert q["NetFloorArea"] == pytest.approx(outline.area, abs=0.01), space_id
        assert q["GrossPerimeter"] == pytest.approx(outline.length, abs=0.01), space_id
        assert q["Height"] == pytest.approx(height)
        assert q["NetVolume"] == pytest.approx(outline.area * height, abs=0.03), space_id
        floor, volume = mesh(ifcopenshell.geom.create_shape(settings, space))
        assert floor == pytest.approx(outline.area, abs=0.01), space_id
        assert volume == pytest.approx(q["NetVolume"], abs=0.03), space_id
    # no floor is in two spaces: the areas add up to the floor the plan's spaces cover
    covered = unary_union(
        [r.shape for r in plan.rooms]
        + [c.shape for c in plan.corridors]
        + [s.shape for s in plan.spares]
    )
    assert sum(q["NetFloorArea"] for q in qto.values()) == pytest.approx(covered.area, abs=0.05)


def test_spaces_sit_in_the_plan_where_the_plan_has_them(
    pori: tuple[Case, Plan], pori_model: Path
) -> None:
    _, plan = pori
    model = ifcopenshell.open(str(pori_model))
    settings = ifcopenshell.geom.settings()
    settings.set("use-world-coords", True)
    for space in model.by_type("IfcSpace"):
        geometry = ifcopenshell.geom.create_shape(settings, space).geometry
        verts = np.array(geometry.verts, dtype=float).reshape(-1, 3)
        outline = space_outline(plan, space.Name)
        low, high = verts.min(axis=0), verts.max(axis=0)
        assert (low[0], low[1], high[0], high[1]) == pytest.approx(outline.bounds, abs=1e-3)
        assert verts[:, 2].min() == pytest.approx(0.0, abs=1e-6)  # storey at level 0


def test_zones_hold_exactly_their_spaces(pori: tuple[Case, Plan], pori_model: Path) -> None:
    _, plan = pori
    model = ifcopenshell.open(str(pori_model))
    members: dict[str, set[str]] = defaultdict(set)
    for rel in model.by_type("IfcRelAssignsToGroup"):
        assert rel.RelatingGroup.is_a("IfcZone")
        members[rel.RelatingGroup.Name] |= {o.Name for o in rel.RelatedObjects}
    wanted: dict[str, set[str]] = defaultdict(set)
    for room in plan.rooms:
        wanted[f"zone-{room.zone}"].add(room.id)
        wanted[f"privacy-{room.privacy}"].add(room.id)
    for corridor in plan.corridors:
        wanted[f"privacy-{corridor.privacy}"].add(corridor.id)
    for spare in plan.spares:
        wanted["zone-spare"].add(spare.id)
    assert dict(members) == dict(wanted)


def test_doors_join_the_spaces_they_open_between(pori: tuple[Case, Plan], pori_model: Path) -> None:
    _, plan = pori
    model = ifcopenshell.open(str(pori_model))
    joined: dict[str, set[str]] = defaultdict(set)
    for boundary in model.by_type("IfcRelSpaceBoundary"):
        joined[boundary.RelatedBuildingElement.Name].add(boundary.RelatingSpace.Name)
    doors = {d.Name: d for d in model.by_type("IfcDoor")}
    assert len(doors) == len(plan.doors) + len(plan.entrances)
    for door in plan.doors:
        assert doors[door.id].OverallWidth == pytest.approx(door.width_m)
        assert joined[door.id] == {door.room, door.to}
        # placed at the middle of its opening
        x, y, _ = doors[door.id].ObjectPlacement.RelativePlacement.Location.Coordinates
        assert (x, y) == pytest.approx(door.at)
    for entrance in plan.entrances:
        common = ifcopenshell.util.element.get_psets(doors[entrance.id])["Pset_DoorCommon"]
        assert common["IsExternal"] is True
        assert len(joined[entrance.id]) == 1  # the one space it opens into


def test_rooms_carry_their_programme_and_types_the_cards_requirements(
    pori: tuple[Case, Plan], pori_model: Path
) -> None:
    case, plan = pori
    model = ifcopenshell.open(str(pori_model))
    types = {t.id: t for t in case.catalog.space_types}
    for space in model.by_type("IfcSpace"):
        psets = ifcopenshell.util.element.get_psets(space)
        if psets["ServicePoint_Space"]["Category"] not in ("room", "open_area"):
            assert "ServicePoint_Programme" not in psets
            continue
        room = plan.room(space.Name)
        programme = psets["ServicePoint_Programme"]
        assert programme["ProgrammedArea"] == pytest.approx(room.programme_area_m2)
        assert (programme["Zone"], programme["Privacy"]) == (room.zone, room.privacy)
        assert programme["Occupants"] == room.occupants
        assert programme["SizingReason"]
        space_type = ifcopenshell.util.element.get_type(space)
        assert space_type.Name == room.space_type == space.ObjectType
        requirements = ifcopenshell.util.element.get_psets(space_type)["ServicePoint_Requirements"]
        catalog = types[room.space_type]
        assert requirements["Daylight"] == catalog.daylight
        assert requirements["AcousticPrivacy"] == catalog.acoustic_privacy
        assert requirements["IndoorClimateClass"] == catalog.indoor_climate.category
        assert len(requirements["Furniture"]) == len(catalog.furniture)


def test_same_plan_gives_the_same_bytes_and_the_date_is_the_scenarios(
    pori: tuple[Case, Plan], tmp_path: Path
) -> None:
    case, plan = pori
    first = plan_to_ifc_bytes(plan, catalog=case.catalog, date=datetime.date(2026, 3, 1))
    again = plan_to_ifc_bytes(plan, catalog=case.catalog, date=datetime.date(2026, 3, 1))
    assert first == again
    assert b"'2026-03-01T00:00:00'" in first
    model = ifcopenshell.file.from_string(first.decode())
    ids_ = [e.GlobalId for e in model.by_type("IfcRoot")]
    assert len(set(ids_)) == len(ids_)
    # a room keeps its GlobalId in another export of the same option (here: in English)
    english = ifcopenshell.file.from_string(
        plan_to_ifc_bytes(plan, catalog=case.catalog, lang="en").decode()
    )
    finnish = {s.Name: s.GlobalId for s in model.by_type("IfcSpace")}
    assert {s.Name: s.GlobalId for s in english.by_type("IfcSpace")} == finnish
    for kind in ("IfcProject", "IfcSite", "IfcBuilding", "IfcBuildingStorey"):
        assert english.by_type(kind)[0].GlobalId == model.by_type(kind)[0].GlobalId, kind
    assert {s.LongName for s in english.by_type("IfcSpace")} != {
        s.LongName for s in model.by_type("IfcSpace")
    }


def test_a_turned_plan_exports_with_the_same_quantities(
    pori: tuple[Case, Plan], tmp_path: Path
) -> None:
    case, plan = pori
    straight = quantities(_export(case, plan, tmp_path / "straight.ifc"))
    turned_model = _export(case, turn_plan(plan, 38.0, origin=(5.0, -3.0)), tmp_path / "t.ifc")
    turned = quantities(turned_model)
    assert straight.keys() == turned.keys()
    for name, q in straight.items():
        for key, value in q.items():
            assert turned[name][key] == pytest.approx(value, abs=1e-6), (name, key)
    assert express_problems(turned_model) == []
    assert ids_report(turned_model)["status"] is True
    # the geometry kernel's meshes of the turned spaces have the stated areas and volumes
    settings = ifcopenshell.geom.settings()
    settings.set("use-world-coords", True)
    for space in turned_model.by_type("IfcSpace"):
        floor, volume = mesh(ifcopenshell.geom.create_shape(settings, space))
        assert floor == pytest.approx(turned[space.Name]["NetFloorArea"], abs=0.01), space.Name
        assert volume == pytest.approx(turned[space.Name]["NetVolume"], abs=0.03), space.Name


def test_storey_level_and_heights_come_from_the_scenario(
    pori: tuple[Case, Plan], tmp_path: Path
) -> None:
    case, plan = pori
    storey = Storey(name="2. kerros", elevation_m=4.2, height_m=4.0, room_height_m=3.2)
    model = _export(case, plan, tmp_path / "up.ifc", storey=storey)
    (floor,) = model.by_type("IfcBuildingStorey")
    assert (floor.Name, floor.Elevation) == ("2. kerros", 4.2)
    settings = ifcopenshell.geom.settings()
    settings.set("use-world-coords", True)
    space = next(s for s in model.by_type("IfcSpace") if s.Name == "back_office-1")
    verts = np.array(ifcopenshell.geom.create_shape(settings, space).geometry.verts)
    z = verts.reshape(-1, 3)[:, 2]
    assert (z.min(), z.max()) == pytest.approx((4.2, 7.4))
    assert quantities(model)["back_office-1"]["Height"] == pytest.approx(3.2)


def test_the_ids_catches_a_model_whose_data_lie(pori_model: Path) -> None:
    """The IDS is a real check: a space taken out of its zones, a quantity removed, a space
    made external, a space without a body and a second storey each fail their specification."""
    model = ifcopenshell.open(str(pori_model))
    space = next(s for s in model.by_type("IfcSpace") if s.Name == "back_office-1")
    for rel in list(space.HasAssignments):
        rel.RelatedObjects = [o for o in rel.RelatedObjects if o != space]
    qto = ifcopenshell.util.element.get_psets(space, qtos_only=True)["Qto_SpaceBaseQuantities"]
    entity = model.by_id(qto["id"])
    entity.Quantities = [q for q in entity.Quantities if q.Name != "NetFloorArea"]
    common = ifcopenshell.util.element.get_psets(space)["Pset_SpaceCommon"]
    for prop in model.by_id(common["id"]).HasProperties:
        if prop.Name == "IsExternal":
            prop.NominalValue = model.createIfcBoolean(True)
    # and a second storey, and another space drawn without a body
    model.createIfcBuildingStorey("3Ab9cDeFgHiJkLmNoPqRsT", None, "Attic", None, None, None,
                                  None, None, "ELEMENT", 99.0)  # fmt: skip
    other = next(s for s in model.by_type("IfcSpace") if s.Name == "back_office-2")
    other.Representation = None
    report = ids_report(model)
    assert report["status"] is False
    assert set(failing(report)) == {
        "Spaces belong to space groups",
        "Spaces state their areas and volumes",
        "Spaces are named",
        "One storey with its name and level",
    }


@pytest.mark.slow
@pytest.mark.parametrize("name", ["large_city", "small_town"])
def test_the_other_examples_validate_and_pass_the_ids(name: str, tmp_path: Path) -> None:
    case = load_case(REPO / "examples" / f"{name}.yaml")
    plan = plans_from_case(case, options=1)[0]
    model = _export(case, plan, tmp_path / f"{name}.ifc")
    assert express_problems(model) == []
    report = ids_report(model)
    assert report["status"] is True, failing(report)
    assert len(model.by_type("IfcSpace")) == len(plan.rooms) + len(plan.corridors) + len(
        plan.spares
    )
