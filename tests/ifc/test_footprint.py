"""A footprint from an IFC building model, read from models made as BIM tools write them (IFC2X3
and IFC4, metres and millimetres, turned and far from the origin, door flags that lie) and from
the real models in ``../shared/data/ifc_real`` (skipped when absent)."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import ifcopenshell
import ifcopenshell.geom
import ifcopenshell.util.element
import numpy as np
import pytest
from shapely import affinity
from shapely.geometry import Point, Polygon, box
from shapely.ops import unary_union
from typer.testing import CliRunner

from configurator.cli import app
from configurator.ifc import plan_to_ifc
from configurator.ifc.footprint import import_model_footprint
from configurator.inputs.catalog import load_case
from configurator.model.errors import ConfigError
from configurator.review.options import plans_from_case
from tests.common import REPO, scenario, write_yaml
from tests.ifc.models import Storey, Writer, box_walls, hall, office

pytestmark = pytest.mark.xdist_group("ifc")

REAL = REPO.parent / "shared" / "data" / "ifc_real"


def iou(a: Polygon, b: Polygon) -> float:
    return float(a.intersection(b).area / a.union(b).area)


def codes(path: Path, **settings: Any) -> list[str]:
    with pytest.raises(ConfigError) as info:
        import_model_footprint(path, **settings)
    return [p.code for p in info.value.problems]


def message(path: Path, **settings: Any) -> str:
    with pytest.raises(ConfigError) as info:
        import_model_footprint(path, **settings)
    return "\n".join(str(p) for p in info.value.problems)


# --------------------------------------------------------------------------- made models

VARIANTS: dict[str, dict[str, Any]] = {
    "ifc4 metres": {},
    "ifc2x3 millimetres": {"schema": "IFC2X3", "millimetres": True},
    "turned 30 degrees, 2 km out": {"origin": (1200.0, 2300.0), "turn_deg": 30.0},
}


@pytest.mark.parametrize("variant", VARIANTS)
def test_an_office_model_gives_its_floor_cores_doors_and_windows(
    variant: str, tmp_path: Path
) -> None:
    settings = VARIANTS[variant]
    result = import_model_footprint(office(tmp_path / "office.ifc", **settings))
    origin = settings.get("origin", (0.0, 0.0))
    turn = float(settings.get("turn_deg", 0.0))

    def placed(geometry: Any) -> Any:
        turned = affinity.rotate(geometry, turn, origin=(0, 0))
        return affinity.translate(turned, *origin)

    def at(x: float, y: float) -> tuple[float, float]:
        p = placed(Point(x, y))
        return (p.x, p.y)

    assert result.storey == "Ground floor"
    assert [name for name, _ in result.storeys] == ["Basement", "Ground floor", "First floor"]
    assert iou(result.buildings[0].outer, placed(box(0, 0, 20, 12))) > 0.999
    floor = Polygon(result.footprint.polygon)
    assert iou(floor, placed(box(0.3, 0.3, 19.7, 11.7))) > 0.999
    # the doors in the outer wall, not the inner door flagged external; the main door's body
    # sticks out of the wall and is flagged internal: its opening says where it is
    doors = sorted((c.width_m, c.at) for c in result.candidates)
    assert [w for w, _ in doors] == [0.9, 1.8]
    assert math.dist(doors[0][1], at(19.7, 6.0)) < 0.01
    assert math.dist(doors[1][1], at(10.0, 0.3)) < 0.01
    (main,) = result.footprint.entrances
    assert (main.kind, main.width_m) == ("main", 1.8)
    assert any("2 door(s) flagged IsExternal" in n for n in result.notes)
    # the basement's stair rises into the ground floor; the column inside, not the canopy post
    kinds = {o.kind: Polygon(o.polygon) for o in result.footprint.obstacles}
    assert sorted(kinds) == ["column", "stair"]
    assert iou(kinds["stair"], placed(box(1.0, 8.0, 4.0, 11.5))) > 0.99
    assert kinds["column"].centroid.distance(Point(at(8.0, 6.0))) < 0.01
    assert any("1 column(s) stand outside" in n for n in result.notes)
    # the three north windows light 1.5 m of the north façade each
    assert result.footprint.windows != "all"
    lit = [math.dist(a, b) for a, b in result.footprint.windows]
    assert sorted(round(v, 3) for v in lit) == [1.5, 1.5, 1.5]
    north = placed(box(0, 11.6, 20, 11.8))
    assert all(north.contains(Point(a)) for a, _ in result.footprint.windows)


def test_the_storey_is_chosen_by_name_or_entrance_level(tmp_path: Path) -> None:
    path = office(tmp_path / "office.ifc")
    upper = import_model_footprint(path, storey="FIRST FLOOR")
    assert upper.storey == "First floor"
    assert upper.layers == ["walls"]  # no spaces on that storey
    assert upper.candidates == []
    assert any("middle of the longest façade" in n for n in upper.notes)
    text = message(path, storey="Attic")
    assert "[E555]" in text
    assert "Basement (-3 m), Ground floor (0 m), First floor (3.5 m)" in text
    writer = Writer()
    walls = box_walls(0, 0, 12, 8, 0.3)
    writer.storey(Storey("Street level", 0.0, walls=walls))
    writer.storey(Storey("Shop floor", 1.2, walls=walls, entrance_level=True))
    chosen = import_model_footprint(writer.write(tmp_path / "levels.ifc"))
    assert chosen.storey == "Shop floor"
    assert any("the entrance level" in n for n in chosen.notes)


def test_spaces_alone_or_slabs_alone_give_an_outline_and_say_so(tmp_path: Path) -> None:
    writer = Writer()
    rooms: list[tuple[str, list[tuple[float, float]]]] = [
        ("A", [(0.0, 0.0), (10.0, 0.0), (10.0, 8.0), (0.0, 8.0)]),
        ("B", [(10.1, 0.0), (18.0, 0.0), (18.0, 8.0), (10.1, 8.0)]),
    ]
    writer.storey(Storey("Ground", 0.0, spaces=rooms))
    spaces = import_model_footprint(writer.write(tmp_path / "spaces.ifc"))
    assert spaces.layers == ["spaces"]
    assert Polygon(spaces.footprint.polygon).area == pytest.approx(18 * 8, abs=0.01)
    writer = Writer()
    canopy = [(0.0, -2.0), (20.0, -2.0), (20.0, 10.0), (0.0, 10.0)]
    writer.storey(Storey("Ground", 0.0, slabs=[canopy]))
    slabs = import_model_footprint(writer.write(tmp_path / "slabs.ifc"))
    assert slabs.layers == ["floor slabs"]
    assert any("may overhang" in n for n in slabs.notes)


def test_bad_models_get_clear_codes_never_a_traceback(tmp_path: Path) -> None:
    text = tmp_path / "notes.ifc"
    text.write_text("these are not walls\n", encoding="utf-8")
    assert codes(text) == ["E550"]
    zipped = tmp_path / "model.ifc"
    zipped.write_bytes(b"PK\x03\x04" + b"\x00" * 64)
    assert "unzip it first" in message(zipped)
    good = office(tmp_path / "office.ifc").read_text(encoding="utf-8")
    future = tmp_path / "future.ifc"
    future.write_text(good.replace("FILE_SCHEMA(('IFC4'))", "FILE_SCHEMA(('IFC5'))"), "utf-8")
    assert codes(future) == ["E552"]
    broken = tmp_path / "broken.ifc"
    broken.write_text(
        good.split("DATA;")[0] + "DATA;\n#1=IFCWALL(,,;\nENDSEC;\nEND-ISO-10303-21;\n", "utf-8"
    )
    assert codes(broken) == ["E554"]  # the parser skips the garbled entity: nothing is left
    cut = tmp_path / "cut.ifc"
    cut.write_text(good[: len(good) // 2], "utf-8")
    assert "cut short" in message(cut)
    newer = tmp_path / "newer.ifc"
    newer.write_text(good.replace("FILE_SCHEMA(('IFC4'))", "FILE_SCHEMA(('IFC4X3'))"), "utf-8")
    assert codes(newer) == ["E552"]
    marked = tmp_path / "bom.ifc"
    marked.write_bytes(b"\xef\xbb\xbf" + good.encode("utf-8"))
    assert codes(marked) in (["E551"],)  # read past the mark, then ifcopenshell's parser says
    assert codes(tmp_path / "office.ifc", max_bytes=10_000) == ["E553"]
    assert codes(tmp_path / "office.ifc", max_elements=5) == ["E553"]
    empty = Writer()
    assert codes(empty.write(tmp_path / "no-storey.ifc")) == ["E554"]
    bare = Writer()
    bare.storey(Storey("Ground", 0.0, columns=[(0, 0, 0.4, 0.4)]))
    assert codes(bare.write(tmp_path / "bare.ifc")) == ["E556"]
    shed = Writer()
    shed.storey(Storey("Ground", 0.0, walls=box_walls(0, 0, 3, 3, 0.2)))
    assert codes(shed.write(tmp_path / "shed.ifc")) == ["E557"]
    lone = Writer()
    lone.storey(Storey("Ground", 0.0, walls=[(0.0, 0.0, 25.0, 0.0, 0.8)]))
    assert "leave no floor" in message(lone.write(tmp_path / "lone.ifc"))
    assert codes(tmp_path / "office.ifc", max_triangles=50) == ["E553"]
    assert codes(tmp_path / "missing.ifc") == ["E550"]


def test_a_plan_laid_out_in_a_model_exports_spaces_inside_its_walls(tmp_path: Path) -> None:
    model = hall(tmp_path / "hall.ifc", width=36.0, depth=24.0)
    case = load_case(write_yaml(tmp_path / "scenario.yaml", scenario()))
    found = import_model_footprint(model)
    assert iou(Polygon(found.footprint.polygon), box(0, 0, 36, 24)) > 0.999
    plan = plans_from_case(case, options=1, footprint=found.footprint)[0]
    exported = tmp_path / "plan.ifc"
    plan_to_ifc(plan, exported, catalog=case.catalog)
    assert_spaces_inside_walls(exported, model, found.storey or "")


def assert_spaces_inside_walls(exported: Path, model_path: Path, storey: str) -> None:
    """Every exported space lies within the model's outer face and off its outer walls, read with
    ifcopenshell's geometry kernel from both files (not from either's bookkeeping)."""
    settings = ifcopenshell.geom.settings()
    settings.set("use-world-coords", True)
    settings.set("disable-opening-subtractions", True)

    def plan_of(model: ifcopenshell.file, element: object) -> Polygon:
        geometry = ifcopenshell.geom.create_shape(settings, element).geometry
        verts = np.asarray(geometry.verts, dtype=float).reshape(-1, 3)
        faces = np.asarray(geometry.faces, dtype=int).reshape(-1, 3)
        tris = [Polygon(verts[f][:, :2]) for f in faces]
        return unary_union([t for t in tris if t.area > 1e-9])

    model = ifcopenshell.open(str(model_path))
    level = next(s for s in model.by_type("IfcBuildingStorey") if s.Name == storey)
    walls = [e for e in ifcopenshell.util.element.get_decomposition(level) if e.is_a("IfcWall")]
    assert walls
    pieces = [plan_of(model, w) for w in walls]
    closed = unary_union(pieces).buffer(0.2).buffer(-0.2)
    outline = Polygon(max(getattr(closed, "geoms", [closed]), key=lambda g: g.area).exterior)
    # the new plan ignores the inner walls (it is a new layout in the shell), never the outer
    outer_walls = unary_union([p for p in pieces if p.distance(outline.exterior) < 0.05])
    plan = ifcopenshell.open(str(exported))
    spaces = plan.by_type("IfcSpace")
    assert spaces
    for space in spaces:
        shape = plan_of(plan, space)
        assert shape.difference(outline).area < 0.01, space.Name
        assert shape.intersection(outer_walls).area < 0.01, space.Name


def test_the_footprint_command_reads_a_model(tmp_path: Path) -> None:
    path = office(tmp_path / "office.ifc", schema="IFC2X3", millimetres=True)
    out, png = tmp_path / "footprint.yaml", tmp_path / "preview.png"
    result = CliRunner().invoke(
        app, ["footprint", str(path), "-o", str(out), "--png", str(png), "--storey", "ground floor"]
    )
    assert result.exit_code == 0, result.output
    assert "storey 'Ground floor' at 0 m <- taken" in result.output
    assert png.read_bytes().startswith(b"\x89PNG")
    data = scenario()
    data["footprint"] = yaml_section(out)
    data["storey"] = yaml_section(out, "storey")
    case = load_case(write_yaml(tmp_path / "s.yaml", data))
    assert (case.scenario.storey.name, case.scenario.storey.elevation_m) == ("Ground floor", 0.0)
    assert case.scenario.storey.height_m == pytest.approx(3.5)
    assert Polygon(case.scenario.footprint.polygon or []).area == pytest.approx(
        19.4 * 11.4, abs=0.01
    )
    assert {o.kind for o in case.scenario.footprint.obstacles} == {"stair", "column"}
    wrong = CliRunner().invoke(app, ["footprint", str(path), "--layer", "A-WALL"])
    assert wrong.exit_code == 2
    assert "--layer: for a DXF drawing, not an IFC model" in wrong.output


def yaml_section(path: Path, name: str = "footprint") -> dict[str, object]:
    import yaml

    loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
    section: dict[str, object] = loaded[name]
    return section


def test_plan_takes_its_floor_from_a_model(tmp_path: Path) -> None:
    model = hall(tmp_path / "hall.ifc", width=36.0, depth=24.0)
    data = scenario()
    data["footprint"]["rectangle"] = [36.0, 24.0]
    data["footprint"]["entrances"][1]["at"] = [36.0, 18.0]  # on the model's east wall
    scenario_file = write_yaml(tmp_path / "s.yaml", data)
    result = CliRunner().invoke(
        app,
        ["plan", str(scenario_file), "--footprint-model", str(model), "-o", str(tmp_path / "p"),
         "--options", "1"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    plan = json.loads((tmp_path / "p" / "plan-1.json").read_text(encoding="utf-8"))
    assert iou(Polygon(plan["footprint"]), box(0, 0, 36, 24)) > 0.999
    assert {"main_door", "staff_door"} <= {e["id"] for e in plan["entrances"]}  # the scenario's
    both = CliRunner().invoke(
        app,
        ["plan", str(scenario_file), "--footprint-model", str(model), "--footprint-dxf",
         str(tmp_path / "x.dxf")],
    )  # fmt: skip
    assert both.exit_code == 2
    assert "not both" in both.output


# --------------------------------------------------------------------------- real models


def expected() -> dict[str, dict[str, object]]:
    if not (REAL / "expected.json").exists():
        pytest.skip(f"{REAL} is absent (a fresh clone has no ../shared)")
    data: dict[str, dict[str, object]] = json.loads(
        (REAL / "expected.json").read_text(encoding="utf-8")
    )
    return data


@pytest.mark.slow
@pytest.mark.parametrize("name", ["Office_A_20110811.ifc", "AC20-Institute-Var-2.ifc"])
def test_real_models_give_the_storey_measured_by_hand(name: str) -> None:
    want = expected()[name]
    result = import_model_footprint(REAL / name)
    assert result.storey == want["storey"]
    outline = Polygon(want["outline"])
    assert iou(result.buildings[0].outer, outline) >= 0.95
    assert iou(Polygon(result.footprint.polygon), outline) >= 0.90  # the inner face
    cores = want["cores"]
    assert isinstance(cores, list)
    assert sorted(o.kind for o in result.footprint.obstacles if o.kind != "column") == sorted(
        c["kind"] for c in cores
    )
    for core in cores:
        shape = Polygon(core["polygon"])
        assert max(iou(Polygon(o.polygon), shape) for o in result.footprint.obstacles) >= 0.8
    assert sum(o.kind == "column" for o in result.footprint.obstacles) == 0  # none inside
    doors = want["external_doors"]
    assert isinstance(doors, list)
    assert len(result.candidates) == len(doors)
    for door in doors:
        near = min(result.candidates, key=lambda c: math.dist(c.at, door["at"]))
        assert math.dist(near.at, door["at"]) < 0.5
        assert near.width_m == pytest.approx(door["width_m"], abs=0.01)


@pytest.mark.slow
def test_a_plan_in_the_real_office_exports_spaces_inside_its_walls(tmp_path: Path) -> None:
    expected()
    path = REAL / "Office_A_20110811.ifc"
    found = import_model_footprint(path)
    data = scenario(footprint=found.footprint.model_dump(mode="json", exclude_none=True))
    case = load_case(write_yaml(tmp_path / "s.yaml", data))
    plan = plans_from_case(case, options=1)[0]
    exported = tmp_path / "plan.ifc"
    plan_to_ifc(plan, exported, catalog=case.catalog)
    assert_spaces_inside_walls(exported, path, found.storey or "")


def test_placements_that_loop_are_refused_not_crashed_on(tmp_path: Path) -> None:
    """A wall placed relative to its own placement crashed the geometry kernel (the process,
    and with it the app); a storey's loop recursed without end."""
    writer = Writer()
    storey = writer.storey(Storey("Ground", 0.0, walls=box_walls(0, 0, 12, 8, 0.3)))
    wall = writer.f.by_type("IfcWall")[0]
    wall.ObjectPlacement.PlacementRelTo = wall.ObjectPlacement
    assert "placed relative to itself" in message(writer.write(tmp_path / "loop.ifc"))
    again = Writer()
    storey = again.storey(Storey("Ground", 0.0, walls=box_walls(0, 0, 12, 8, 0.3)))
    storey.ObjectPlacement.PlacementRelTo = storey.ObjectPlacement
    assert codes(again.write(tmp_path / "storey-loop.ifc")) == ["E551"]


def test_storeys_without_names_or_sharing_one_are_listed_and_chosen_by_id(
    tmp_path: Path,
) -> None:
    writer = Writer()
    first = writer.storey(Storey("Level", 0.0, walls=box_walls(0, 0, 12, 8, 0.3)))
    second = writer.storey(Storey("Level", 3.0, walls=box_walls(0, 0, 30, 20, 0.3)))
    unnamed = writer.storey(Storey("x", 6.0, walls=box_walls(0, 0, 10, 10, 0.3)))
    unnamed.Name = None
    path = writer.write(tmp_path / "levels.ifc")
    result = import_model_footprint(path)
    labels = [name for name, _ in result.storeys]
    assert labels == [f"Level (#{first.id()})", f"Level (#{second.id()})", f"#{unnamed.id()}"]
    assert result.storey == labels[0]
    upper = import_model_footprint(path, storey=f"#{second.id()}")
    assert upper.buildings[0].outer.area == pytest.approx(30 * 20, abs=0.01)
    assert import_model_footprint(path, storey=labels[2]).storey == labels[2]
    assert codes(path, storey="Level") == ["E555"]  # two share it: the message lists both


def test_the_storey_nearest_the_buildings_zero_is_taken_wherever_the_site_stands(
    tmp_path: Path,
) -> None:
    """A site placed 100 m up (its height above sea level) puts the storeys' placements at
    97, 100 and 103.5 m; their Elevation is relative to the building, so the ground floor is
    still the one taken."""
    path = office(tmp_path / "office.ifc")
    model = ifcopenshell.open(str(path))
    location = model.by_type("IfcSite")[0].ObjectPlacement.RelativePlacement.Location
    location.Coordinates = (0.0, 0.0, 100.0)
    model.write(str(path))
    result = import_model_footprint(path)
    assert result.storey == "Ground floor"
    assert sorted(o.kind for o in result.footprint.obstacles) == ["column", "stair"]


def test_plates_and_members_count_as_walls_only_in_a_curtain_wall(tmp_path: Path) -> None:
    """A glass balustrade round a terrace (plates, not a curtain wall's) is not the outline:
    the door onto the terrace stays in the outer wall."""
    path = office(tmp_path / "office.ifc")
    model = ifcopenshell.open(str(path))
    storey = next(s for s in model.by_type("IfcBuildingStorey") if s.Name == "Ground floor")
    writer = Writer()
    writer.f = model
    writer.history = model.by_type("IfcOwnerHistory")[0]
    writer.body = model.by_type("IfcGeometricRepresentationContext")[0]
    plate = model.createIfcPlate(
        writer._id(), writer.history, "balustrade", None, None,
        writer._placed(storey, (0, 0), (1, 0)),
        writer._prism([(6.0, -4.0), (14.0, -4.0), (14.0, -3.9), (6.0, -3.9)], 1.1), None,
    )  # fmt: skip
    model.createIfcRelContainedInSpatialStructure(
        writer._id(), writer.history, None, None, [plate], storey
    )
    model.write(str(path))
    result = import_model_footprint(path)
    assert result.buildings[0].outer.area == pytest.approx(240.0, abs=0.01)
    assert len(result.candidates) == 2


def test_an_export_in_a_models_storey_stands_on_that_storey_unless_the_scenario_says(
    tmp_path: Path,
) -> None:
    """export --footprint-model --ifc: the space model's storey is the building model's
    ('Ground floor'), read from the written file; a scenario's own storey section wins."""
    import ifcopenshell

    model = hall(tmp_path / "hall.ifc", width=36.0, depth=24.0)
    data = scenario()
    data["footprint"]["rectangle"] = [36.0, 24.0]
    data["footprint"]["entrances"][1]["at"] = [36.0, 18.0]
    for name, extra in (("adopted", {}), ("own", {"storey": {"name": "Katutaso"}})):
        scenario_file = write_yaml(tmp_path / f"{name}.yaml", {**data, **extra})
        out = tmp_path / f"{name}.ifc"
        result = CliRunner().invoke(
            app, ["export", str(scenario_file), "--footprint-model", str(model), "--ifc", str(out)]
        )
        assert result.exit_code == 0, result.output
        (storey,) = ifcopenshell.open(str(out)).by_type("IfcBuildingStorey")
        assert storey.Name == ("Ground floor" if name == "adopted" else "Katutaso")
