"""Export a hand-made plan to DXF, read it back and compare meaning: layers, entities, data."""

from __future__ import annotations

import datetime
import itertools
import math
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from ezdxf.filemanagement import new, readfile
from shapely.geometry import LineString, Polygon

from configurator.documents.annotation import room_tag, text_width
from configurator.dxf import (
    APPID,
    AREA_PATTERN_LAYER,
    AREA_TABLE_LAYER,
    CIRCULATION_LAYER,
    DOOR_BLOCK,
    DOOR_LAYER,
    ENTRANCE_LAYER,
    LAYERS,
    OBSTACLE_LAYER,
    OUTLINE_LAYER,
    ROOM_TAG_LAYER,
    SPARE_LAYER,
    TITLE_BLOCK_LAYER,
    UNKNOWN_SPACE_TYPE,
    exported_plan_from_dxf,
    plan_from_dxf,
    plan_to_dxf,
    zone_layer,
)
from configurator.inputs.catalog import Case, load_case, load_catalog
from configurator.model.plan import Corridor, Door, Entrance, Obstacle, Plan, PlanRoom, ZoneArea
from configurator.model.schema import Catalog
from configurator.review.plan_diff import check_against_programme, compare_plans
from configurator.sizing.program import program_from_case
from tests.common import scenario, write_yaml

WIDTH, DEPTH = 20.0, 12.0
CORRIDOR = (5.0, 6.5)
SOUTH = [  # (space type, x0, x1, enclosed); below the corridor
    ("entrance_lobby", 0.0, 6.0, False),
    ("self_service_terminal", 6.0, 10.0, False),
    ("waiting_lounge", 10.0, 18.0, False),
]
NORTH = [  # above the corridor
    ("meeting_room_2", 0.0, 4.0, True),
    ("meeting_room_2", 4.0, 8.0, True),
    ("secure_meeting_room", 8.0, 12.0, True),
    ("break_room", 12.0, 16.0, True),
    ("staff_wc", 16.0, 18.0, True),
    ("storage", 18.0, 20.0, True),
]
DATE = datetime.date(2025, 1, 31)


@cache
def catalog() -> Catalog:
    """Return the built-in catalog (loaded once)."""
    return load_catalog()


def _rect(x0: float, y0: float, x1: float, y1: float) -> list[tuple[float, float]]:
    return [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]


def sample_plan() -> Plan:
    """Return a 20 m × 12 m plan: 9 rooms in 5 zones either side of a corridor, with a core.

    Names include ä (Sisääntulo ja aula, Asiakaspääte) and ö (Henkilöstön WC).
    """
    cat = catalog()
    rooms: list[PlanRoom] = []
    doors: list[Door] = []
    counts: Counter[str] = Counter()
    for rows, (y0, y1), wall_y in ((SOUTH, (0.0, CORRIDOR[0]), CORRIDOR[0]),
                                   (NORTH, (CORRIDOR[1], DEPTH), CORRIDOR[1])):  # fmt: skip
        for kind, x0, x1, enclosed in rows:
            st = cat.space_type(kind)
            zone = cat.zone(st.zone)
            counts[kind] += 1
            room_id = f"{kind}_{counts[kind]}"
            rooms.append(
                PlanRoom(
                    id=room_id,
                    space_type=kind,
                    zone=st.zone,
                    privacy=zone.privacy,
                    names=st.names,
                    polygon=_rect(x0, y0, x1, y1),
                    programme_area_m2=st.unit_area_m2,
                    enclosed=enclosed,
                    staff_only=not zone.visitor_access,
                )
            )
            if enclosed:
                mid = (x0 + x1) / 2
                doors.append(
                    Door(
                        id=f"door_{room_id}",
                        room=room_id,
                        to="corridor_1",
                        at=(mid, wall_y),
                        wall=((x0, wall_y), (x1, wall_y)),
                        width_m=0.9,
                    )
                )
    zones = []
    for zone in cat.zones:
        members = [r.polygon for r in rooms if r.zone == zone.id]
        if members:
            zones.append(
                ZoneArea(
                    zone=zone.id,
                    names=zone.names,
                    privacy=zone.privacy,
                    colour=zone.colour,
                    polygons=members,
                )
            )
    return Plan(
        scenario="Testipiste Pori",
        option=1,
        strategy="linear",
        seed=7,
        footprint=_rect(0.0, 0.0, WIDTH, DEPTH),
        obstacles=[Obstacle(id="stair_core", kind="stair", polygon=_rect(18.0, 0.0, 20.0, 5.0))],
        entrances=[
            Entrance(id="main_door", at=(3.0, 0.0), width_m=1.8, kind="main"),
            Entrance(id="staff_door", at=(0.0, 5.75), width_m=1.2, kind="staff"),
        ],
        windows=[((0.0, 0.0), (18.0, 0.0)), ((0.0, DEPTH), (WIDTH, DEPTH))],
        zones=zones,
        rooms=rooms,
        corridors=[
            Corridor(
                id="corridor_1",
                polygon=_rect(0.0, CORRIDOR[0], WIDTH, CORRIDOR[1]),
                width_m=1.5,
                staff_only=False,
            )
        ],
        doors=doors,
        gross_factor=1.15,
    )


def sample_case(tmp_path: Path) -> Case:
    """Return a loaded 20 m × 12 m scenario with the built-in catalog."""
    data = scenario(
        footprint={
            "rectangle": [WIDTH, DEPTH],
            "entrances": [
                {"id": "main_door", "at": [3.0, 0.0], "kind": "main"},
                {"id": "staff_door", "at": [0.0, 5.75], "kind": "staff", "width_m": 1.2},
            ],
        }
    )
    return load_case(write_yaml(tmp_path / "scenario.yaml", data))


def export(tmp_path: Path, plan: Plan | None = None, *, lang: str = "fi") -> Path:
    """Write the sample plan (or another) to a DXF in tmp_path and return its path."""
    path = tmp_path / "plan.dxf"
    plan_to_dxf(plan or sample_plan(), path, catalog=catalog(), lang=lang, date=DATE)
    return path


def read(path: Path) -> Any:
    """Read a DXF back (typed loosely: the tests look into entities of every kind)."""
    return readfile(path)


def new_drawing() -> Any:
    """Return a new R2010 drawing (typed loosely, as :func:`read`)."""
    return new("R2010")


def by_layer(doc: Any) -> Counter[tuple[str, str]]:
    """Count model-space entities by (type, layer)."""
    return Counter((e.dxftype(), e.dxf.layer) for e in doc.modelspace())


def xdata(entity: object) -> dict[str, object]:
    """Read our key/value XDATA back into a dict."""
    values = [tag.value for tag in entity.get_xdata(APPID)]  # type: ignore[attr-defined]
    return {str(values[i]): values[i + 1] for i in range(0, len(values), 2)}


# --------------------------------------------------------------------------- export


def test_export_passes_the_audit_and_is_r2010_in_metres(tmp_path: Path) -> None:
    doc = read(export(tmp_path))
    auditor = doc.audit()
    assert not auditor.has_errors, [str(e.message) for e in auditor.errors]
    assert doc.dxfversion == "AC1024", "R2010"
    assert doc.header["$INSUNITS"] == 6, "drawing units are metres"
    assert doc.header["$MEASUREMENT"] == 1, "metric"
    assert doc.header["$DWGCODEPAGE"] == "ANSI_65001", "GDAL < 3.8 then reads the text as UTF-8"
    assert APPID in doc.appids


def test_export_is_atomic_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    export(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.dxf"]


def test_layers_follow_the_cad_standard_with_zone_colours(tmp_path: Path) -> None:
    doc = read(export(tmp_path))
    names = {layer.dxf.name for layer in doc.layers}
    assert set(LAYERS) <= names
    plan = sample_plan()
    for zone in {r.zone for r in plan.rooms}:
        layer = doc.layers.get(zone_layer(zone))
        colour = catalog().zone(zone).colour
        assert layer.rgb == tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))
        assert layer.color in set(range(1, 256)) - {7}, "a nearest-ACI fallback is set"
    assert "A-AREA-PRIVATE_SERVICE" in names


def test_entities_per_layer(tmp_path: Path) -> None:
    plan = sample_plan()
    counts = by_layer(read(export(tmp_path)))
    per_zone = Counter(r.zone for r in plan.rooms)
    for zone, n in per_zone.items():
        assert counts["LWPOLYLINE", zone_layer(zone)] == n
    assert counts["HATCH", AREA_PATTERN_LAYER] == len(plan.rooms)
    assert counts["MTEXT", ROOM_TAG_LAYER] == len(plan.rooms)
    assert counts["LWPOLYLINE", OUTLINE_LAYER] == 1
    assert counts["LWPOLYLINE", CIRCULATION_LAYER] == len(plan.corridors)
    assert counts["INSERT", DOOR_LAYER] == len(plan.doors) == 6
    assert counts["INSERT", ENTRANCE_LAYER] == len(plan.entrances)
    assert counts["LWPOLYLINE", OBSTACLE_LAYER] == counts["HATCH", OBSTACLE_LAYER] == 1
    assert counts["LINE", "A-GLAZ"] == len(plan.windows)
    assert counts["MTEXT", TITLE_BLOCK_LAYER] > 0
    assert counts["LINE", AREA_TABLE_LAYER] > 0


def test_each_room_polyline_carries_its_data(tmp_path: Path) -> None:
    plan = sample_plan()
    doc = read(export(tmp_path))
    found = {}
    for entity in doc.modelspace().query("LWPOLYLINE"):
        if entity.dxf.layer.startswith("A-AREA-"):
            data = xdata(entity)
            assert data["kind"] == "room"
            found[data["id"]] = (entity, data)
    assert set(found) == {r.id for r in plan.rooms}
    entity, data = found["secure_meeting_room_1"]
    assert data["space_type"] == "secure_meeting_room"
    assert data["zone"] == "private_service"
    assert entity.dxf.layer == "A-AREA-PRIVATE_SERVICE"
    assert data["programme_area_m2"] == pytest.approx(12.0)
    assert data["enclosed"] == 1
    assert data["staff_only"] == 0
    assert entity.closed
    assert [tuple(p) for p in entity.get_points("xy")] == [(8, 6.5), (12, 6.5), (12, 12), (8, 12)]
    _, lobby = found["entrance_lobby_1"]
    assert lobby["enclosed"] == 0


def test_tags_keep_finnish_letters_and_square_metres(tmp_path: Path) -> None:
    doc = read(export(tmp_path))
    texts = [
        m.plain_text() for m in doc.modelspace().query("MTEXT") if m.dxf.layer == ROOM_TAG_LAYER
    ]
    joined = "\n".join(texts)
    assert "m²" in joined
    assert "ä" in joined
    assert "ö" in joined
    lobby = next(t for t in texts if "entrance_lobby_1" in t)
    assert lobby.replace("\n", " ") == "Sisääntulo ja aula entrance_lobby_1 30,0 m²"
    assert any("Henkilöstön WC" in t.replace("\n", " ") for t in texts)
    style = doc.styles.get("Standard")
    assert style.dxf.font.lower().endswith(".ttf")


def test_english_tags_use_a_decimal_point(tmp_path: Path) -> None:
    doc = read(export(tmp_path, lang="en"))
    texts = [
        m.plain_text() for m in doc.modelspace().query("MTEXT") if m.dxf.layer == ROOM_TAG_LAYER
    ]
    assert any(t.replace("\n", " ") == "Entrance and lobby entrance_lobby_1 30.0 m²" for t in texts)


def test_tags_sit_inside_their_rooms_and_fit(tmp_path: Path) -> None:
    plan = sample_plan()
    for room in plan.rooms:
        tag = room_tag(room, lang="fi")
        minx, miny, maxx, maxy = room.shape.bounds
        assert minx < tag.at[0] < maxx
        assert miny < tag.at[1] < maxy
        widest = max(text_width(line, tag.height) for line in tag.lines)
        assert widest <= maxx - minx, f"tag of {room.id} is wider than the room"


def test_doors_are_block_inserts_scaled_and_swinging_into_the_room(tmp_path: Path) -> None:
    plan = sample_plan()
    doc = read(export(tmp_path))
    block = doc.blocks.get(DOOR_BLOCK)
    assert sorted(e.dxftype() for e in block) == ["ARC", "LINE"]
    inserts = {
        xdata(i)["id"]: i for i in doc.modelspace().query("INSERT") if i.dxf.layer == DOOR_LAYER
    }
    door = inserts["door_meeting_room_2_1"]
    assert door.dxf.xscale == pytest.approx(0.9)
    # The north rooms' walls run along y = 6.5; the leaf must swing up (+y) into the room.
    leaf = next(e for e in door.virtual_entities() if e.dxftype() == "LINE")
    assert max(leaf.dxf.start.y, leaf.dxf.end.y) == pytest.approx(6.5 + 0.9)
    south = plan.room("self_service_terminal_1")
    assert not south.enclosed


def test_title_block_and_schedule_hold_the_totals(tmp_path: Path) -> None:
    doc = read(export(tmp_path))
    title = " ".join(
        m.plain_text() for m in doc.modelspace().query("MTEXT") if m.dxf.layer == TITLE_BLOCK_LAYER
    )
    assert "Testipiste Pori" in title
    assert "1:100" in title
    assert "2025-01-31" in title
    # 9 rooms on 200 m² (20 × 12 less the 30 m² corridor and the 10 m² core), usable 230 m²
    assert "200,0 m²" in title
    assert "230,0 m²" in title
    assert "264,5 m²" in title
    table = [
        m.plain_text() for m in doc.modelspace().query("MTEXT") if m.dxf.layer == AREA_TABLE_LAYER
    ]
    assert "Neuvotteluhuone 2-3 hengelle" in " ".join(table)
    assert "264,5" in table


def test_header_holds_option_and_seed(tmp_path: Path) -> None:
    doc = read(export(tmp_path))
    assert doc.header["$USERI1"] == 1
    assert doc.header["$USERI2"] == 7
    assert doc.header.custom_vars.get(f"{APPID}_STRATEGY") == "linear"


# --------------------------------------------------------------------------- round trip


def test_unchanged_drawing_reads_back_as_the_same_plan(tmp_path: Path) -> None:
    plan = sample_plan()
    path = export(tmp_path, plan)
    back = plan_from_dxf(path, case=sample_case(tmp_path))
    assert compare_plans(plan, back).is_empty
    assert {r.id: (r.space_type, r.zone) for r in back.rooms} == {
        r.id: (r.space_type, r.zone) for r in plan.rooms
    }
    assert back.footprint == plan.footprint
    assert [c.id for c in back.corridors] == ["corridor_1"]
    assert {d.id for d in back.doors} == {d.id for d in plan.doors}
    assert {(e.id, e.kind) for e in back.entrances} == {
        ("main_door", "main"),
        ("staff_door", "staff"),
    }
    assert back.obstacles[0].kind == "stair"
    assert exported_plan_from_dxf(path) == plan


def test_moved_and_deleted_rooms_are_exactly_the_changes(tmp_path: Path) -> None:
    plan = sample_plan()
    path = export(tmp_path, plan)
    doc = read(path)
    rooms = {
        xdata(e)["id"]: e
        for e in doc.modelspace().query("LWPOLYLINE")
        if e.dxf.layer.startswith("A-AREA-") and e.has_xdata(APPID)
    }
    rooms["break_room_1"].translate(0.3, -0.2, 0)
    doc.modelspace().delete_entity(rooms["storage_1"])
    edited = tmp_path / "edited.dxf"
    doc.saveas(edited)

    diff = compare_plans(plan, plan_from_dxf(edited, case=sample_case(tmp_path)))
    assert diff.missing == ["storage_1"]
    assert [(m.room, m.dx, m.dy) for m in diff.moved] == [("break_room_1", 0.3, -0.2)]
    assert not (diff.added)
    assert not (diff.resized)
    assert not (diff.rezoned)
    assert len(diff.lines()) == 2


def test_rooms_drawn_in_cad_are_identified_by_layer_and_tag(tmp_path: Path) -> None:
    plan = sample_plan()
    path = export(tmp_path, plan)
    doc = read(path)
    msp = doc.modelspace()
    # A room drawn in CAD, tagged with a space type name; another without any tag; a copy.
    msp.add_lwpolyline(_rect(21, 0, 24, 3), close=True, dxfattribs={"layer": "A-AREA-STAFF"})
    msp.add_mtext("Taukotila", dxfattribs={"layer": ROOM_TAG_LAYER, "insert": (22.5, 1.5)})
    msp.add_lwpolyline(_rect(21, 4, 24, 8), close=True, dxfattribs={"layer": "A-AREA-WAITING"})
    original = next(
        e for e in msp.query("LWPOLYLINE") if e.has_xdata(APPID) and xdata(e)["id"] == "staff_wc_1"
    )
    copy = original.copy()
    copy.translate(10, 0, 0)
    msp.add_entity(copy)
    doc.saveas(tmp_path / "added.dxf")

    back = plan_from_dxf(tmp_path / "added.dxf", case=sample_case(tmp_path))
    diff = compare_plans(plan, back)
    assert diff.added == ["break_room_added", "staff_wc_1_copy1", "unknown_added"]
    assert back.room("break_room_added").space_type == "break_room"
    assert back.room("break_room_added").zone == "staff"
    assert back.room("unknown_added").space_type == UNKNOWN_SPACE_TYPE
    assert back.room("unknown_added").zone == "waiting"
    assert back.room("break_room_added").area_m2 == pytest.approx(9.0)
    assert not (diff.missing)
    assert not (diff.moved)
    assert not (diff.resized)


def test_programme_check_flags_counts_areas_and_zones(tmp_path: Path) -> None:
    case = sample_case(tmp_path)
    plan = sample_plan()
    path = export(tmp_path, plan)
    doc = read(path)
    wc = next(
        e for e in doc.modelspace().query("LWPOLYLINE")
        if e.has_xdata(APPID) and xdata(e)["id"] == "staff_wc_1"
    )  # fmt: skip
    wc.dxf.layer = "A-AREA-WAITING"  # a staff WC drawn among the customers' spaces
    doc.saveas(tmp_path / "moved.dxf")
    back = plan_from_dxf(tmp_path / "moved.dxf", case=case)
    program = program_from_case(case)
    check = check_against_programme(back, program)
    assert [(m.room, m.before, m.after) for m in check.misplaced] == [
        ("staff_wc_1", "staff", "waiting")
    ]
    rows = {s.space_type: s for s in check.space_types}
    assert rows["meeting_room_2"].drawn_rooms == 2
    assert rows["meeting_room_2"].programme_rooms == program.row("meeting_room_2").rooms
    deviation = next(r for r in rows["staff_wc"].rooms if r.room == "staff_wc_1")
    assert deviation.drawn_m2 == pytest.approx(11.0)
    assert deviation.deviation == pytest.approx(11.0 / program.row("staff_wc").room_area_m2 - 1)
    assert not check.ok
    assert any("staff_wc_1: drawn in zone waiting" in line for line in check.lines())
    diff = compare_plans(plan, back)
    assert [(z.room, z.after) for z in diff.rezoned] == [("staff_wc_1", "waiting")]


def test_plan_from_a_layer_of_no_zone_is_an_error(tmp_path: Path) -> None:
    from configurator.model.errors import ConfigError

    path = export(tmp_path)
    doc = read(path)
    doc.layers.add("A-AREA-KITCHEN")
    doc.modelspace().add_lwpolyline(
        _rect(1, 1, 2, 2), close=True, dxfattribs={"layer": "A-AREA-KITCHEN"}
    )
    doc.saveas(path)
    with pytest.raises(ConfigError) as caught:
        plan_from_dxf(path, case=sample_case(tmp_path))
    (problem,) = caught.value.problems
    assert problem.code == "E530"
    assert "A-AREA-KITCHEN" in problem.message
    assert problem.file == path


def test_tag_height_shrinks_for_small_rooms() -> None:
    plan = sample_plan()
    lobby = plan.room("entrance_lobby_1")
    closet = lobby.model_copy(update={"polygon": _rect(0.0, 0.0, 1.2, 1.5)})
    small = room_tag(closet, lang="fi")
    assert small.height < room_tag(lobby, lang="fi").height
    assert max(text_width(line, small.height) for line in small.lines) <= 1.2
    assert math.isclose(room_tag(lobby, lang="fi").height, 0.25)


# --------------------------------------------------------------------------- spare areas


@cache
def pori_with_spare() -> tuple[Case, Plan]:
    from configurator.review import options_from_case

    case = load_case(Path(__file__).resolve().parents[2] / "examples" / "pori.yaml")
    plan = options_from_case(case, options=1)[0].plan
    assert plan.spares, "Pori's floor exceeds its programme by over 10 %: it keeps a spare area"
    return case, plan


def test_spare_areas_are_on_their_layer_and_read_back(tmp_path: Path) -> None:
    """Each spare is a closed polyline on A-AREA-SPARE with its id and rent; it reads back."""
    case, plan = pori_with_spare()
    path = tmp_path / "pori.dxf"
    plan_to_dxf(plan, path, catalog=case.catalog, lang="en")
    doc = read(path)
    lines = [e for e in doc.modelspace().query("LWPOLYLINE") if e.dxf.layer == SPARE_LAYER]
    assert len(lines) == len(plan.spares)
    for line, spare in zip(
        sorted(lines, key=lambda e: str(xdata(e)["id"])), plan.spares, strict=True
    ):
        data = xdata(line)
        assert data["kind"] == "spare"
        assert data["id"] == spare.id
        points = [(p[0], p[1]) for p in line.get_points("xy")]
        assert math.isclose(Polygon(points).area, spare.area_m2, rel_tol=1e-9)
    tags = " ".join(m.plain_text() for m in doc.modelspace().query("MTEXT"))
    assert "Spare lettable area" in tags
    back = plan_from_dxf(path, case=case)
    assert [(s.id, round(s.area_m2, 6)) for s in back.spares] == [
        (s.id, round(s.area_m2, 6)) for s in plan.spares
    ]
    assert {d.id for d in back.doors if d.room.startswith("spare")} == {
        d.id for d in plan.doors if d.room.startswith("spare")
    }
    assert exported_plan_from_dxf(path) == plan


def test_a_spare_areas_own_facade_door_reads_back_as_its_entrance(tmp_path: Path) -> None:
    """A spare area let with a new door of its own: the door is an entrance of kind 'spare'."""
    from configurator.review.audit import audit_plan

    case, plan = pori_with_spare()
    spare = plan.spares[0]
    facade = spare.shape.boundary.intersection(plan.footprint_shape.exterior.buffer(1e-4))
    # the middle of its longest straight stretch of façade (a spare in a corner has two)
    ring = list(spare.shape.exterior.coords)
    stretches = [
        LineString(pair)
        for pair in itertools.pairwise(ring)
        if facade.buffer(1e-3).contains(LineString(pair))
    ]
    middle = max(stretches, key=lambda line: line.length).interpolate(0.5, normalized=True)
    street = Entrance(id="spare-1-door", at=(middle.x, middle.y), width_m=1.2, kind="spare")
    own = plan.model_copy(
        update={
            "doors": [d for d in plan.doors if d.room != spare.id],
            "entrances": [*plan.entrances, street],
        }
    )
    path = tmp_path / "own.dxf"
    plan_to_dxf(own, path, catalog=case.catalog, lang="en")
    back = plan_from_dxf(path, case=case)
    [found] = [e for e in back.entrances if e.kind == "spare"]
    assert found.id == "spare-1-door"
    assert found.width_m == 1.2
    assert math.dist(found.at, street.at) < 1e-3
    footprint = case.scenario.footprint
    assert audit_plan(back, footprint=footprint, layout=case.scenario.layout) == []


def test_a_spare_area_drawn_in_cad_reads_back_priced_by_its_area(tmp_path: Path) -> None:
    case, plan = pori_with_spare()
    path = tmp_path / "pori.dxf"
    plan_to_dxf(plan, path, catalog=case.catalog, lang="fi")
    doc = read(path)
    for line in doc.modelspace().query("LWPOLYLINE"):
        if line.dxf.layer == SPARE_LAYER:
            line.discard_xdata("SPCONFIG")
    doc.saveas(path)
    back = plan_from_dxf(path, case=case)
    rent = case.scenario.factors.rent_eur_per_m2_month * 12
    assert [s.id for s in back.spares] == [f"spare-{k}" for k in range(1, len(plan.spares) + 1)]
    for spare in back.spares:
        assert spare.rent_eur_year == pytest.approx(spare.area_m2 * rent, abs=0.01)


def test_an_open_or_crossed_spare_outline_is_an_error_not_dropped(tmp_path: Path) -> None:
    """A spare area drawn in CAD as an open line or a bow tie says so (E531), as a room does."""
    from configurator.model.errors import ConfigError

    case, plan = pori_with_spare()
    path = tmp_path / "pori.dxf"
    plan_to_dxf(plan, path, catalog=case.catalog)
    doc = read(path)
    msp = doc.modelspace()
    msp.add_lwpolyline(_rect(1, 1, 5, 5), close=False, dxfattribs={"layer": SPARE_LAYER})
    msp.add_lwpolyline(
        [(1, 1), (5, 5), (5, 1), (1, 5)], close=True, dxfattribs={"layer": SPARE_LAYER}
    )
    doc.saveas(path)
    with pytest.raises(ConfigError) as caught:
        plan_from_dxf(path, case=case)
    assert [p.code for p in caught.value.problems] == ["E531", "E531"]
    assert all("spare area" in p.message for p in caught.value.problems)


def test_a_copied_spare_area_gets_an_id_of_its_own(tmp_path: Path) -> None:
    case, plan = pori_with_spare()
    path = tmp_path / "pori.dxf"
    plan_to_dxf(plan, path, catalog=case.catalog)
    doc = read(path)
    msp = doc.modelspace()
    original = next(e for e in msp.query("LWPOLYLINE") if e.dxf.layer == SPARE_LAYER)
    copy = original.copy()
    copy.translate(0.0, 0.0, 0.0)
    msp.add_entity(copy)
    doc.saveas(path)
    back = plan_from_dxf(path, case=case)
    ids = [s.id for s in back.spares]
    assert len(ids) == len(plan.spares) + 1
    assert len(set(ids)) == len(ids)
