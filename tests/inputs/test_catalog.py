"""Loading scenarios and catalogs: every kind of bad input gets a specific, located message."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from configurator.inputs.catalog import DEFAULT_CATALOG, json_schemas, load_case, load_catalog
from configurator.model.errors import ConfigError, Problem
from tests.common import EXAMPLES, REPO, scenario, write_yaml


def problems_of(path: Path) -> list[Problem]:
    """Load a scenario that must fail and return its problems."""
    with pytest.raises(ConfigError) as info:
        load_case(path)
    return info.value.problems


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_examples_load(path: Path) -> None:
    case = load_case(path)
    assert case.scenario.agencies, "an example names its partners"


def test_three_examples_of_different_kinds() -> None:
    names = {p.stem for p in EXAMPLES}
    assert {"pori", "small_town", "large_city"} <= names


def test_pori_has_all_seven_partners_in_a_900_to_1200_m2_footprint() -> None:
    from shapely.geometry import Polygon

    case = load_case(REPO / "examples" / "pori.yaml")
    ids = {a.id for a in case.scenario.agencies}
    assert ids == {"avi", "dvv", "ely", "mml", "te", "vero", "pori_city"}
    area = Polygon(case.scenario.footprint.outline()).area
    assert 900 <= area <= 1200


def test_small_town_is_an_l_shape_of_about_300_m2() -> None:
    from shapely.geometry import Polygon

    case = load_case(REPO / "examples" / "small_town.yaml")
    outline = Polygon(case.scenario.footprint.outline())
    assert len(case.scenario.agencies) == 3
    assert 270 <= outline.area <= 330
    assert len(outline.exterior.coords) - 1 == 6, "an L has six corners"


def test_scenario_agency_overrides_catalog_figures(tmp_path: Path) -> None:
    base = load_catalog().agencies
    te = next(a for a in base if a.id == "te")
    path = write_yaml(tmp_path / "s.yaml", scenario(agencies=[{"id": "te", "annual_visits": 1234}]))
    loaded = load_case(path).scenario.agencies[0]
    assert loaded.annual_visits == 1234
    assert loaded.channel_split == te.channel_split, "fields not overridden come from the catalog"


def test_bad_yaml_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("name: x\nagencies: [\n  - id: te\nfootprint: {\n", encoding="utf-8")
    (problem,) = problems_of(path)
    assert problem.code == "E103"
    assert problem.file == path
    assert problem.line is not None
    assert problem.line >= 2
    assert "invalid YAML" in str(problem)


def test_missing_file() -> None:
    (problem,) = problems_of(Path("no/such/scenario.yaml"))
    assert problem.code == "E101"
    assert "not found" in problem.message


def test_duplicate_key_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "dup.yaml"
    path.write_text("name: a\nname: b\n", encoding="utf-8")
    (problem,) = problems_of(path)
    assert (problem.code, problem.line, problem.path) == ("E104", 2, "name")


def test_wrong_type_points_at_field_and_line(tmp_path: Path) -> None:
    data = scenario(agencies=[{"id": "te", "annual_visits": "many"}])
    path = write_yaml(tmp_path / "s.yaml", data)
    (problem,) = problems_of(path)
    assert problem.path == "agencies[0].annual_visits"
    assert problem.file == path
    assert problem.line == path.read_text().splitlines().index("- id: te") + 2
    assert "integer" in problem.message
    assert "'many'" in problem.message


def test_unknown_key_is_rejected(tmp_path: Path) -> None:
    path = write_yaml(tmp_path / "s.yaml", scenario(colour_scheme="dark"))
    (problem,) = problems_of(path)
    assert (problem.code, problem.path) == ("E203", "colour_scheme")
    assert "unknown key" in problem.message


def test_negative_area_in_catalog_override(tmp_path: Path) -> None:
    data = scenario(catalog_overrides={"space_types": {"meeting_room_2": {"unit_area_m2": -9.0}}})
    path = write_yaml(tmp_path / "s.yaml", data)
    problems = problems_of(path)
    hit = [p for p in problems if p.path.endswith("unit_area_m2")]
    assert hit, problems
    assert "greater than 0" in hit[0].message
    assert hit[0].file == path, "an overridden field is reported where it was overridden"


def test_unknown_zone_in_a_catalog_copy(tmp_path: Path) -> None:
    folder = tmp_path / "catalog"
    shutil.copytree(DEFAULT_CATALOG, folder)
    spaces = folder / "space_types.yaml"
    text = spaces.read_text(encoding="utf-8")
    spaces.write_text(text.replace("zone: waiting", "zone: lounge", 1), encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_catalog(folder)
    (problem,) = info.value.problems
    assert problem.code == "E301"
    assert "unknown zone 'lounge'" in problem.message
    assert "waiting" in problem.message
    assert problem.file == spaces
    assert problem.line is not None
    assert "zone: lounge" in spaces.read_text().splitlines()[problem.line - 1]


def test_channel_shares_must_sum_to_one(tmp_path: Path) -> None:
    split = {
        "self_service": 0.2,
        "quick_counter": 0.3,
        "appointment": 0.3,
        "remote": 0.1,
        "group": 0.0,
    }
    data = scenario(agencies=[{"id": "te", "channel_split": split}])
    path = write_yaml(tmp_path / "s.yaml", data)
    (problem,) = problems_of(path)
    assert problem.code == "E401"
    assert "sum to 0.9" in problem.message
    assert problem.path == "agencies[0]"
    assert problem.file == path


def test_persona_mix_must_sum_to_one_and_name_personas(tmp_path: Path) -> None:
    personas = [p.id for p in load_catalog().personas]
    mix = dict.fromkeys(personas, 0.2)
    mix["tourist"] = 0.1
    path = write_yaml(tmp_path / "s.yaml", scenario(persona_mix=mix))
    codes = sorted(p.code for p in problems_of(path))
    assert codes == ["E309", "E402"]


def test_self_crossing_footprint(tmp_path: Path) -> None:
    footprint = {
        "polygon": [[0, 0], [20, 20], [20, 0], [0, 20]],  # a bow tie
        "entrances": [{"id": "door", "at": [10, 0], "kind": "main"}],
    }
    path = write_yaml(tmp_path / "s.yaml", scenario(footprint=footprint))
    (problem,) = problems_of(path)
    assert problem.code == "E501"
    assert "Self-intersection" in problem.message
    assert problem.path == "footprint.polygon"
    assert problem.line is not None


def test_entrance_off_the_outline(tmp_path: Path) -> None:
    data = scenario()
    data["footprint"]["entrances"][0]["at"] = [10.0, 5.0]
    path = write_yaml(tmp_path / "s.yaml", data)
    (problem,) = problems_of(path)
    assert problem.code == "E502"
    assert "5.00 m from the outline" in problem.message


def test_new_agency_must_be_complete(tmp_path: Path) -> None:
    data = scenario(agencies=[{"id": "kela", "annual_visits": 100}])
    path = write_yaml(tmp_path / "s.yaml", data)
    problems = problems_of(path)
    assert any(p.code == "E310" and "kela" in p.message for p in problems)


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    data = scenario(agencies=[{"id": "te", "annual_visits": -5}], typo=1)
    data["footprint"]["entrances"][0]["at"] = [10.0, 5.0]
    path = write_yaml(tmp_path / "s.yaml", data)
    assert len(problems_of(path)) >= 2


def test_committed_json_schemas_are_current() -> None:
    for name, document in json_schemas().items():
        committed = REPO / "schema" / name
        assert committed.exists(), f"run `configurator schema` to write {name}"
        assert json.loads(committed.read_text(encoding="utf-8")) == document, (
            f"{name} is stale: run `configurator schema`"
        )


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_a_scenario_written_as_yaml_loads_back_the_same(example: Path, tmp_path: Path) -> None:
    from configurator.inputs.catalog import scenario_yaml
    from configurator.sizing.program import program_from_case

    case = load_case(example)
    changed = case.scenario.model_copy(
        update={"targets": case.scenario.targets.model_copy(update={"counter_level": 0.9})}
    )
    case = case.model_copy(update={"scenario": changed})
    saved = tmp_path / "elsewhere" / "mine.yaml"
    saved.parent.mkdir()
    saved.write_text(scenario_yaml(case), encoding="utf-8")
    back = load_case(saved)
    assert back.scenario.model_dump(exclude={"catalog"}) == changed.model_dump(exclude={"catalog"})
    assert back.scenario.targets.counter_level == 0.9, "the user's change is kept"
    assert program_from_case(back) == program_from_case(case)


def test_a_scenario_on_its_own_catalog_names_it_by_its_whole_path(tmp_path: Path) -> None:
    from configurator.inputs.catalog import scenario_yaml

    shutil.copytree(DEFAULT_CATALOG, tmp_path / "ours")
    path = write_yaml(tmp_path / "s.yaml", scenario(catalog="ours"))
    text = scenario_yaml(load_case(path))
    assert f"catalog: {(tmp_path / 'ours').resolve()}" in text
    moved = tmp_path / "sub" / "s.yaml"
    moved.parent.mkdir()
    moved.write_text(text, encoding="utf-8")
    assert load_case(moved).catalog == load_case(path).catalog


# --------------------------------------------------------------------------- uploaded text


def upload_problems(text: bytes | str, name: str = "upload.yaml") -> list[Problem]:
    """Load an uploaded scenario that must fail and return its problems."""
    from configurator.inputs.catalog import load_case_text

    with pytest.raises(ConfigError) as info:
        load_case_text(text, name=name, base=REPO / "examples", catalogs=[])
    return info.value.problems


def test_an_uploaded_example_loads_as_the_file_does() -> None:
    from configurator.inputs.catalog import load_case_text

    path = REPO / "examples" / "pori.yaml"
    case = load_case_text(path.read_bytes(), name="pori.yaml", base=path.parent, catalogs=[])
    assert case.scenario == load_case(path).scenario


def test_an_upload_names_its_file_and_line_and_field() -> None:
    text = (REPO / "examples" / "pori.yaml").read_text(encoding="utf-8")
    lines = text.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("  rectangle:"))
    lines[at] = "  rectangle: [44.0, -27.0]"
    (problem,) = upload_problems("\n".join(lines), name="uploads/my plan.yaml")
    # the footprint's own check refuses it, so the message points at 'footprint:', a line up
    assert (problem.code, problem.line, problem.path) == ("E201", at, "footprint")
    assert str(problem.file) == "my plan.yaml", "the file's own name, no folder"
    assert "rectangle" in problem.message


def test_an_upload_may_not_name_another_folder_as_its_catalog() -> None:
    (problem,) = upload_problems("name: x\ncatalog: /etc\n")
    assert (problem.code, problem.line, problem.path) == ("E107", 2, "catalog")


def test_an_upload_on_the_built_in_catalog_by_a_relative_path_is_fine() -> None:
    problems = upload_problems("name: x\ncatalog: ../catalog\n")
    assert {p.code for p in problems} != {"E107"}
    assert any("agencies" in p.path for p in problems), "it went on to check the fields"


def test_an_oversized_upload_is_refused_before_it_is_parsed() -> None:
    from configurator.inputs.catalog import MAX_SCENARIO_BYTES

    (problem,) = upload_problems(b"#" * (MAX_SCENARIO_BYTES + 1))
    assert problem.code == "E106"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        (b"\xff\xfe name: x", "E102"),
        (b"name: [unclosed\n", "E103"),
        (b"name: x\nname: y\n", "E104"),
        (b"- a list\n", "E105"),
        (b"!!python/object:os.system ls\n", "E103"),
    ],
)
def test_a_broken_upload_gets_the_loaders_own_code(text: bytes, code: str) -> None:
    assert code in {p.code for p in upload_problems(text)}


def test_a_storey_whose_rooms_are_higher_than_it_is_refused_at_its_line() -> None:
    text = (REPO / "examples" / "pori.yaml").read_text(encoding="utf-8")
    text += "storey:\n  name: 2. kerros\n  height_m: 3.0\n  room_height_m: 3.2\n"
    (problem,) = upload_problems(text)
    assert (problem.code, problem.path) == ("E201", "storey")
    assert problem.line == len(text.splitlines()) - 3
    assert "room_height_m 3.2 is above the storey's height 3.0" in problem.message
    lowered = text.replace("room_height_m: 3.2", "room_height_m: 2.4")
    (problem,) = upload_problems(lowered)
    assert problem.path == "storey.room_height_m"
    assert "2.5" in problem.message


def test_the_built_in_catalog_read_once_gives_the_same_cases() -> None:
    """A sites table reads the built-in catalog once for all its rows: a scenario loaded with
    it is the same case as one that reads the catalog itself, and a scenario with overrides
    or a catalog of its own still gets them."""
    import yaml

    from configurator.inputs.catalog import built_in_catalog, load_case_text

    once = built_in_catalog()
    folder = REPO / "examples"
    text = (folder / "pori.yaml").read_text(encoding="utf-8")
    plain = load_case_text(text, name="pori.yaml", base=folder)
    shared = load_case_text(text, name="pori.yaml", base=folder, built_in=once)
    assert shared.model_dump_json() == plain.model_dump_json()
    data = yaml.safe_load(text)
    data["catalog_overrides"] = {"space_types": {"meeting_room_2": {"unit_area_m2": 11.0}}}
    changed = load_case_text(yaml.safe_dump(data), name="x.yaml", base=folder, built_in=once)
    assert changed.catalog.space_type("meeting_room_2").unit_area_m2 == 11.0
    assert once.catalog.space_type("meeting_room_2").unit_area_m2 != 11.0
