"""Sites from a table (CSV or XLSX): each row's demand, building and mistakes, read back from
the cases built and the files each site's folder gets."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import pytest
from ezdxf.filemanagement import readfile
from shapely.geometry import Polygon

from configurator.inputs.catalog import load_case
from configurator.model.errors import ConfigError
from configurator.network import SiteFiles, read_sites, run_portfolio, sites_from_table
from configurator.network.siting import Municipality, Network, Point, sites_table
from configurator.network.table import FIT_FACTOR
from tests.common import REPO

pytestmark = pytest.mark.xdist_group("network")

HEAD = (
    "site,name,municipality,region,lat,lon,population,agencies,visits_te,width_m,depth_m,scenario"
)


def table(folder: Path, *rows: str, head: str = HEAD, name: str = "sites.csv") -> Path:
    """Write a CSV sites table with the header and rows given."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text("\n".join((head, *rows)) + "\n", encoding="utf-8")
    return path


def agencies_of(site_json: str | None) -> dict[str, tuple[int, int]]:
    """Return each agency's (annual visits, staff on site) of a site's case."""
    from configurator.inputs.catalog import Case

    assert site_json is not None
    case = Case.model_validate_json(site_json)
    return {a.id: (a.annual_visits, a.staff_on_site) for a in case.scenario.agencies}


def test_visits_and_staff_scale_with_the_residents_served(tmp_path: Path) -> None:
    """42 500 residents are half the 85 000 the catalog's figures are for: half of every
    agency's visits, and staff halved with half up (at least one where the catalog has any)."""
    path = table(tmp_path, "half,Half,Pori,Satakunta,61.5,21.8,42500,,,,,")
    (site,) = sites_from_table(path)
    assert site.fit == FIT_FACTOR
    assert site.place.region == "Satakunta"
    assert agencies_of(site.case_json) == {
        "te": (10_000, 4),  # catalog 20 000 visits, 8 staff
        "vero": (6_000, 2),  # 12 000, 4
        "dvv": (3_000, 2),  # 6 000, 3 → 1.5 → 2
        "mml": (1_000, 1),  # 2 000, 1 → 0.5 → 1
        "ely": (750, 1),  # 1 500, 1
        "avi": (400, 0),  # 800, 0: served by video
    }


def test_given_visits_win_and_listed_agencies_are_the_partners(tmp_path: Path) -> None:
    path = table(tmp_path, "two,Two,,,,,85000,te vero;pori_city,5000,30,18,")
    (site,) = sites_from_table(path)
    assert site.fit is None
    assert agencies_of(site.case_json) == {
        "te": (5_000, 2),  # a quarter of the catalog's visits: a quarter of its 8 staff
        "vero": (12_000, 4),
        "pori_city": (25_000, 8),
    }


def test_a_row_that_is_wrong_fails_its_site_with_line_and_column_and_the_rest_go_on(
    tmp_path: Path,
) -> None:
    path = table(
        tmp_path,
        "ok,Fine,,,,,20000,,,,,",
        "wide,Bad width,,,,,20000,,,abc,18,",
        "who,Unknown agency,,,,,20000,te kela,,,,",
        "both,Two buildings,,,,,20000,,,30,18,pori.yaml",
        "half,Half a rectangle,,,,,20000,,,30,,",
        "far,Off the map,,,95,21,20000,,,,,",
        "bad id!,Id,,,,,20000,,,,,",
    )
    sites = {s.id: s for s in sites_from_table(path)}
    assert sites["ok"].case_json is not None
    said = {k: " ".join(s.problems) for k, s in sites.items() if s.case_json is None}
    assert said["wide"] == ("sites.csv line 3, column width_m: expected a number, got 'abc' (E565)")
    assert "line 4, column agencies: no catalog agency 'kela'" in said["who"]
    assert "line 5, column scenario: give one building" in said["both"]
    assert "line 6, column depth_m: a rectangle needs both" in said["half"]
    assert "line 7, column lat: expected a number from -90 to 90" in said["far"]
    assert "line 8, column site: expected an id" in said["bad id!"]


@pytest.mark.parametrize(
    ("head", "rows", "expected"),
    [
        (HEAD + ",widht_m", ["a,A,,,,,1000,,,,,,"], "unknown column 'widht_m'"),
        (HEAD + ",visits_kela", ["a,A,,,,,1000,,,,,,"], "column 'visits_kela': no catalog agency"),
        (HEAD, ["a,A,,,,,1000,,,,,", "a,B,,,,,1000,,,,,"], "the site id 'a' is given twice"),
        ("name,population", ["A,1000"], "the table has no 'site' column"),
        (HEAD, [], "the table has a header and no site"),
        (HEAD, ["a,A,,,,,1000,,,,,,,x"], "a value in column 14, which has no heading"),
    ],
)
def test_a_table_that_cannot_be_read_as_sites_is_refused_whole(
    tmp_path: Path, head: str, rows: list[str], expected: str
) -> None:
    path = table(tmp_path, *rows, head=head)
    with pytest.raises(ConfigError) as caught:
        sites_from_table(path)
    said = "; ".join(str(p) for p in caught.value.problems)
    assert expected in said
    assert "E564" in said


def test_a_workbook_and_a_semicolon_csv_with_decimal_commas_give_the_same_sites(
    tmp_path: Path,
) -> None:
    rows: list[list[object]] = [
            ["site", "name", "lat", "lon", "population", "width_m", "depth_m"],
            ["a", "Alpha", 61.5, 21.75, 30000, 32.5, 18],
            ["b", "Beta", 60.25, 24.5, 12000, None, None]]  # fmt: skip
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    book.save(tmp_path / "sites.xlsx")
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    for row in rows:
        writer.writerow(["" if v is None else str(v).replace(".", ",") for v in row])
    (tmp_path / "sites.csv").write_text(out.getvalue(), encoding="utf-8")
    from_book = read_sites(tmp_path / "sites.xlsx")
    from_csv = read_sites(tmp_path / "sites.csv")
    assert [(s.id, s.place, s.fit, s.case_json) for s in from_book] == [
        (s.id, s.place, s.fit, s.case_json) for s in from_csv
    ]
    assert from_book[0].place.lat == 61.5


def test_a_scenario_row_keeps_its_building_and_takes_the_rows_demand(tmp_path: Path) -> None:
    import shutil

    shutil.copy(REPO / "examples" / "pori.yaml", tmp_path / "pori.yaml")
    (tmp_path / "pori.yaml").write_text(
        (tmp_path / "pori.yaml")
        .read_text(encoding="utf-8")
        .replace("catalog: ../catalog", f"catalog: {REPO / 'catalog'}"),
        encoding="utf-8",
    )
    path = table(tmp_path, "p,,,,,,,,,,,pori.yaml", "q,Bigger Pori,,,,,170000,,,,,pori.yaml")
    plain, bigger = sites_from_table(path)
    pori = load_case(REPO / "examples" / "pori.yaml")
    from configurator.inputs.catalog import Case

    assert plain.case_json is not None
    assert bigger.case_json is not None
    kept = Case.model_validate_json(plain.case_json).scenario
    assert kept.model_copy(update={"catalog": None}) == pori.scenario.model_copy(
        update={"catalog": None}
    )
    grown = Case.model_validate_json(bigger.case_json).scenario
    assert grown.footprint == pori.scenario.footprint
    assert grown.name == "Bigger Pori"
    # the row names no agencies: the state agencies, at twice the catalog's visits
    assert {a.id: a.annual_visits for a in grown.agencies} == {
        "te": 40_000, "vero": 24_000, "dvv": 12_000, "mml": 4_000, "ely": 3_000, "avi": 1_600
    }  # fmt: skip


def test_a_site_with_no_building_gets_one_sized_to_its_programme_in_its_folder(
    tmp_path: Path,
) -> None:
    """The folder's DXF outline is a rectangle of about 1.2 × the programme's gross area, and
    its scenario.yaml loads and plans on that same floor."""
    path = table(tmp_path, "new,New point,,,,,20000,,,,,", "given,Given,,,,,20000,,,36,18,")
    portfolio, _ = run_portfolio(
        sites_from_table(path), options=2, folders=tmp_path / "sites", files=SiteFiles()
    )
    for result in portfolio.sites:
        assert result.failure is None, result.failure
        folder = tmp_path / "sites" / result.site
        assert sorted(p.name for p in folder.iterdir()) == result.files
        assert {"plan-1.dxf", "scenario.yaml", "booklet.html"} <= set(result.files)
        doc = readfile(folder / "plan-1.dxf")
        (outline,) = doc.modelspace().query('LWPOLYLINE[layer=="A-FLOR-OTLN"]')
        floor = Polygon(list(outline.get_points("xy")))  # type: ignore[attr-defined]
        assert floor.area == pytest.approx(result.floor_m2, abs=0.5)
        case = load_case(folder / "scenario.yaml")
        assert Polygon(case.scenario.footprint.outline()).equals(floor)
        booklet = (folder / "booklet.html").read_text(encoding="utf-8")
        assert result.name in booklet
        assert "<svg" in booklet
    fitted = {s.site: s for s in portfolio.sites}["new"]
    assert fitted.floor_m2 == pytest.approx(FIT_FACTOR * fitted.gross_m2, rel=0.03)
    assert "sized to the programme" in fitted.building
    assert {s.site: s for s in portfolio.sites}["given"].floor_m2 == 36 * 18


def test_the_siting_table_counts_every_resident_once_and_splits_large_catchments() -> None:
    """A catchment of 100 000 around a hub of 5 000 with a town of 70 000 and two of 12 500:
    the large town gets its own points, the next largest one too, the hub serves the rest."""

    def town(code: str, population: int) -> Municipality:
        return Municipality(code, f"T{code}", "R", population, 61.0, 22.0)

    hub, big, a, b = (
        town("001", 5_000),
        town("002", 70_000),
        town("003", 12_500),
        town("004", 12_500),
    )
    network = Network((Point(hub, (hub, big, a, b)),), 50.0, 10_000, True)
    rows = list(csv.DictReader(io.StringIO(sites_table(network, max_residents=25_000))))
    served = {r["site"]: int(r["population"]) for r in rows}
    assert sum(served.values()) == 100_000
    assert served == {"001": 17_500, "002-1": 23_334, "002-2": 23_333, "002-3": 23_333,
                      "003": 12_500}  # fmt: skip
    assert all(p <= 25_000 for p in served.values())


def test_a_drawing_or_a_building_model_is_the_sites_floor(tmp_path: Path) -> None:
    """A DXF (Pori's exported plan, read back as a footprint) and an IFC model (a 40 × 25 m
    hall) give the floors they draw; a model's storey that is not there fails its row."""
    from configurator.dxf import plan_to_dxf
    from configurator.review.options import options_from_case
    from tests.ifc.models import hall

    pori = load_case(REPO / "examples" / "pori.yaml")
    plan_to_dxf(options_from_case(pori, options=1)[0].plan, tmp_path / "pori.dxf",
                catalog=pori.catalog)  # fmt: skip
    hall(tmp_path / "hall.ifc", width=40.0, depth=25.0)
    path = table(
        tmp_path,
        "drawn,Drawn,,,,,30000,,,,,,pori.dxf,,",
        "model,Modelled,,,,,30000,,,,,,,hall.ifc,",
        "attic,No such storey,,,,,30000,,,,,,,hall.ifc,Attic",
        "gone,No file,,,,,30000,,,,,,no.dxf,,",
        head=HEAD + ",dxf,ifc,storey",
    )
    from configurator.inputs.catalog import Case

    sites = {s.id: s for s in sites_from_table(path)}
    floors = {}
    for key in ("drawn", "model"):
        case_json = sites[key].case_json
        assert case_json is not None, sites[key].problems
        floors[key] = Polygon(Case.model_validate_json(case_json).scenario.footprint.outline())
    assert floors["drawn"].area == pytest.approx(44.0 * 27.0, rel=0.01)
    assert floors["model"].area == pytest.approx(40.0 * 25.0, rel=0.01)
    assert sites["attic"].case_json is None
    assert "Attic" in " ".join(sites["attic"].problems)
    assert "column dxf: no file 'no.dxf' beside the table" in " ".join(sites["gone"].problems)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ('"12,000"', "expected a whole number without separators, got '12,000'"),
        ("1.5", "expected a whole number without separators, got '1.5'"),
        ("0", "expected a whole number from 1 to 10000000, got '0'"),
    ],
)
def test_residents_are_whole_numbers_and_an_ambiguous_separator_is_refused(
    tmp_path: Path, cell: str, expected: str
) -> None:
    """12,000 is twelve thousand in English and twelve in Finnish: refused, never guessed."""
    (site,) = sites_from_table(table(tmp_path, f"a,A,,,,,{cell},,,,,"))
    assert site.case_json is None
    assert f"column population: {expected} (E565)" in site.problems[0]
    (spaced,) = sites_from_table(table(tmp_path, 'b,B,,,,,"12 000",,,,,', name="b.csv"))
    assert agencies_of(spaced.case_json)["te"] == (round(20_000 * 12_000 / 85_000), 1)


def test_a_column_twice_an_empty_id_and_ids_differing_in_case_are_refused(
    tmp_path: Path,
) -> None:
    for head, rows, expected in (
        ("site,population,Population ", ["a,1000,50000"], "the column 'population' is given twice"),
        ("site,population", ["a,1000", ",2000"], "the row has no site id"),
        ("site,population", ["Pori,1000", "pori,2000"], "the site id 'pori' is given twice"),
    ):
        with pytest.raises(ConfigError) as caught:
            sites_from_table(table(tmp_path, *rows, head=head))
        assert expected in " ".join(str(p) for p in caught.value.problems)


def test_one_agencys_visits_beside_the_residents_keep_the_other_partners(tmp_path: Path) -> None:
    path = table(tmp_path, "a,50000,1000,TE ely", "b,50000,1000,", head="site,population,"
                 "visits_vero,agencies")  # fmt: skip
    listed, scaled = sites_from_table(path)
    assert set(agencies_of(listed.case_json)) == {"te", "ely"}  # ids read without case
    partners = agencies_of(scaled.case_json)
    assert set(partners) == {"te", "vero", "dvv", "mml", "ely", "avi"}
    assert partners["vero"][0] == 1000
    assert partners["te"][0] == round(20_000 * 50_000 / 85_000)


def test_a_control_character_or_a_file_outside_the_tables_folder_fails_its_row(
    tmp_path: Path,
) -> None:
    outside = tmp_path.parent / "outside.yaml"
    outside.write_text("name: x\n", encoding="utf-8")
    path = table(
        tmp_path / "t",
        "ctrl,Po\x01ri,,,,,20000,,,,,",
        "far,Far,,,,,20000,,,,,../../outside.yaml",
    )
    sites = {s.id: s for s in sites_from_table(path)}
    assert "column name: a control character in the cell (E565)" in sites["ctrl"].problems[0]
    assert "column scenario: a file in the table's folder or below it" in sites["far"].problems[0]


def test_a_trailing_comma_is_nothing_and_a_value_under_no_heading_in_a_workbook_is_refused(
    tmp_path: Path,
) -> None:
    (site,) = sites_from_table(table(tmp_path, "a,20000,,", head="site,population"))
    assert site.case_json is not None
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["site", "population", None, None])
    sheet.append(["a", 20000, None, 5])
    book.save(tmp_path / "stray.xlsx")
    with pytest.raises(ConfigError) as caught:
        sites_from_table(tmp_path / "stray.xlsx")
    assert "a value in column 4, which has no heading" in str(caught.value.problems[0])
