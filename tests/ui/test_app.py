"""The Streamlit app driven headless (AppTest): every page, every edit path, every download.

Downloads are checked by parsing their bytes (ezdxf, openpyxl, pypdf, the scenario loader);
the programme is checked to change when an agency's figure changes through the editor's
session state, as a browser's edit arrives.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from configurator.inputs.catalog import MAX_SCENARIO_BYTES
from tests.common import REPO

PAGES = ("scenario", "demand", "programme", "footprint", "options", "exports", "portfolio")


def fresh() -> AppTest:
    app = AppTest.from_file(str(REPO / "app.py"), default_timeout=240)
    app.run()
    assert not app.exception, app.exception
    return app


def go(app: AppTest, page: str) -> AppTest:
    app.switch_page(f"ui/pages/{page}.py").run()
    assert not app.exception, [e.message for e in app.exception]
    return app


@pytest.fixture
def offered(monkeypatch: pytest.MonkeyPatch) -> dict[str, bytes]:
    """Every file the app offers for download in the runs that follow, by file name.

    A download button hands its bytes, or the function that makes them on a click, to
    Streamlit's media file manager; this records them there (calling the function as a click
    would), so a test reads exactly the bytes a browser would get.
    """
    from streamlit.runtime.media_file_manager import MediaFileManager

    files: dict[str, bytes] = {}
    original = MediaFileManager.add
    original_deferred = MediaFileManager.add_deferred

    def add_deferred(
        self: MediaFileManager, make: Any, mimetype: str, *args: Any, **kw: Any
    ) -> str:
        data = make()
        name = kw.get("file_name") or (args[1] if len(args) > 1 else None)
        if name:
            files[str(name)] = data.encode("utf-8") if isinstance(data, str) else bytes(data)
        return original_deferred(self, make, mimetype, *args, **kw)

    def add(self: MediaFileManager, data: bytes | str, mimetype: str, *args: Any, **kw: Any) -> str:
        name = kw.get("file_name") or (args[1] if len(args) > 1 else None)
        if name:
            files[str(name)] = data.encode("utf-8") if isinstance(data, str) else bytes(data)
        return original(self, data, mimetype, *args, **kw)

    monkeypatch.setattr(MediaFileManager, "add", add)
    monkeypatch.setattr(MediaFileManager, "add_deferred", add_deferred)
    return files


def problems_shown(app: AppTest) -> str:
    return "\n".join(e.value for e in app.error)


@pytest.fixture(scope="module")
def app() -> AppTest:
    return fresh()


def test_the_landing_page_is_the_scenario_with_pori_open(app: AppTest) -> None:
    assert app.title[0].value == "Scenario"
    assert any("Pori" in c.value for c in app.caption)
    steps = app.sidebar.markdown[-1].value
    assert ":material/check_circle: Scenario" in steps
    assert ":material/radio_button_unchecked: Options" in steps, (
        "nothing is laid out before it is asked for"
    )


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_in_both_languages(page: str) -> None:
    app = fresh()
    for lang in ("en", "fi"):
        app.session_state["lang"] = lang
        go(app, page)
        assert not app.error, problems_shown(app)
        assert app.title[0].value, page


def test_no_page_holds_a_bare_string_streamlit_would_print() -> None:
    """Streamlit's magic prints a bare string standing in a page script (a constant's
    docstring printed the upload limit's reasoning atop the footprint page); the config turns
    magic off, and no page relies on it."""
    import ast

    assert "magicEnabled = false" in (REPO / ".streamlit" / "config.toml").read_text("utf-8")
    for path in [REPO / "app.py", *sorted((REPO / "ui" / "pages").glob("*.py"))]:
        body = ast.parse(path.read_text(encoding="utf-8")).body
        bare = [
            node.lineno
            for node in body[1:]
            if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
        ]
        assert bare == [], f"{path.name}: a bare value on line(s) {bare}"


def test_a_rerun_with_nothing_changed_does_not_lay_out_again(app: AppTest) -> None:
    go(app, "programme")
    before = app.dataframe[0].value
    app.run()
    assert app.dataframe[0].value.equals(before)


def programme_counts(app: AppTest) -> dict[str, int]:
    go(app, "programme")
    rows = app.dataframe[0].value
    return dict(zip(rows["Space"], rows["Count"], strict=True))


def test_an_agencys_figure_edited_in_the_table_changes_the_programme() -> None:
    app = fresh()
    before = programme_counts(app)
    go(app, "demand")
    names = list(app.data_editor[0].value["agency"])
    row = names.index("Tax Administration") if "Tax Administration" in names else 0
    # what the browser's editor writes: ten times the visits of one agency
    visits = int(app.data_editor[0].value["annual_visits"][row])
    app.session_state["w_demand_visits"] = {
        "edited_rows": {row: {"annual_visits": visits * 10}},
        "added_rows": [],
        "deleted_rows": [],
    }
    go(app, "demand")
    assert any("check out" in s.value for s in app.success), problems_shown(app)
    agencies = app.session_state["scenario_data"]["agencies"]
    assert agencies[row]["annual_visits"] == visits * 10
    after = programme_counts(app)
    assert after != before
    assert sum(after.values()) > sum(before.values()), "ten times the visits need more space"


def test_a_channel_split_that_no_longer_sums_to_one_shows_the_loaders_message() -> None:
    app = fresh()
    go(app, "demand")
    app.session_state["w_demand_split"] = {
        "edited_rows": {0: {"remote": 0.9}},
        "added_rows": [],
        "deleted_rows": [],
    }
    go(app, "demand")
    shown = problems_shown(app)
    assert "`agencies[0]`: channel_split shares sum to" in shown
    assert "[E401]" in shown, "the sum check's own code"
    assert ":material/error: Demand" in app.sidebar.markdown[-1].value


def test_a_stricter_service_target_never_gives_fewer_counters() -> None:
    app = fresh()
    before = programme_counts(app)
    go(app, "demand")
    app.number_input(key="w_counter_level").set_value(0.95).run()
    assert not app.exception
    after = programme_counts(app)
    counters = [k for k in before if "counter" in k.lower()]
    assert counters
    assert sum(after[k] for k in counters) > sum(before[k] for k in counters)


def test_a_broken_upload_shows_the_loaders_messages_and_keeps_the_job() -> None:
    app = fresh()
    text = (REPO / "examples" / "pori.yaml").read_text(encoding="utf-8")
    broken = text.replace("counter_level: 0.8", "counter_level: 1.8").replace(
        "seed: 7", "seed: 7\nseed: 8"
    )
    from streamlit.testing.v1.element_tree import FileUploader  # noqa: F401

    uploader: Any = app.get("file_uploader")[0]
    assert uploader.key == "w_upload"
    assert uploader.proto.max_upload_size_mb * 1_000_000 >= MAX_SCENARIO_BYTES, (
        "widget lets E106 speak"
    )
    assert uploader.proto.max_upload_size_mb <= 1, "the widget states the loader's 1 MB, not 200"
    _upload(app, "mine.yaml", broken.encode())
    shown = problems_shown(app)
    assert "mine.yaml" in shown
    assert "E104" in shown, "the duplicate key, with its line"
    assert app.session_state["scenario_name"] == "pori", "the job is kept"
    _upload(app, "mine.yaml", text.replace("seed: 7", "seed: 8").encode())
    assert not app.error, problems_shown(app)
    assert app.session_state["scenario_name"] == "mine"
    assert app.selectbox(key="w_example").value is None, "no example claims to be open"
    assert app.session_state["scenario_data"]["seed"] == 8


def _upload(app: AppTest, name: str, data: bytes) -> None:
    """Put a file into the scenario uploader as a browser would."""
    uploader: Any = app.get("file_uploader")[0]
    uploader.upload(name, data, "application/x-yaml").run()
    assert not app.exception, [e.message for e in app.exception]


def test_a_partner_left_out_leaves_the_scenario() -> None:
    app = fresh()
    before = [a["id"] for a in app.session_state["scenario_data"]["agencies"]]
    assert "te" in before
    app.checkbox(key="w_partner_te").uncheck().run()
    kept = [a for a in before if a != "te"]
    assert [a["id"] for a in app.session_state["scenario_data"]["agencies"]] == kept
    assert app.metric[0].value == str(len(kept)), "the summary counts the partners left"
    app.checkbox(key="w_partner_te").check().run()
    assert not app.error, "taken back, the partner loads with the catalog's figures"
    assert [a["id"] for a in app.session_state["scenario_data"]["agencies"]] == [*kept, "te"]


def test_a_polygon_footprint_is_set_and_checked_from_its_vertex_table() -> None:
    app = fresh()
    go(app, "footprint")
    app.radio(key="w_fp_mode").set_value("polygon").run()
    # an L of 44 x 27 m less a 14 x 10 m corner, the doors where Pori has them
    corners = [(0, 0), (44, 0), (44, 17), (30, 17), (30, 27), (0, 27)]
    app.session_state["w_fp_vertices"] = {
        "edited_rows": {},
        "added_rows": [{"x": float(x), "y": float(y)} for x, y in corners[4:]],
        "deleted_rows": [],
    }
    base = app.session_state["w_fp_vertices_base"]
    edits = {n: {"x": float(x), "y": float(y)} for n, (x, y) in enumerate(corners[:4])}
    assert len(base) == 4
    app.session_state["w_fp_vertices"] = {
        "edited_rows": edits,
        "added_rows": [{"x": float(x), "y": float(y)} for x, y in corners[4:]],
        "deleted_rows": [],
    }
    go(app, "footprint")
    footprint = app.session_state["scenario_data"]["footprint"]
    assert footprint["polygon"] == [[float(x), float(y)] for x, y in corners]
    shown = problems_shown(app)
    assert "E5" in shown, "the staff door at (44, 23.5) is off the new outline"
    go(app, "options")
    assert app.error, "nothing is laid out on a footprint with problems"


def test_options_are_generated_on_request_and_every_download_is_a_valid_file(
    offered: dict[str, bytes],
) -> None:
    import ezdxf
    import ifcopenshell
    import openpyxl
    from pypdf import PdfReader

    from configurator.inputs.catalog import load_case_text
    from tests.common import weasyprint_ready

    app = fresh()
    go(app, "options")
    assert any("No options yet" in i.value for i in app.info)
    app.button(key="w_generate").click().run()
    assert not app.exception, [e.message for e in app.exception]
    assert any("no problems found" in s.value for s in app.success)
    # Pori's floor has two exits 44 m apart: the walk from the far rooms is over 45 m
    rules = [w.value for w in app.warning if "Building rules" in w.value]
    assert rules, "the building-rule review is shown beside the audit"
    assert "R104" in rules[0]
    assert "an exit on the façade at" in rules[0] or "no single new exit" in rules[0]
    labels = app.radio(key="w_chosen").options
    assert len(labels) == 3
    app.radio(key="w_chosen").set_value(labels[1]).run()
    assert app.session_state["chosen_option"] == 2
    go(app, "exports")
    name = "pori"
    dxf = offered[f"{name}-option-2.dxf"]
    doc = ezdxf.read(io.StringIO(dxf.decode("utf-8")))  # type: ignore[attr-defined]
    assert len(doc.modelspace()) > 50
    assert offered[f"{name}-option-2.png"].startswith(b"\x89PNG")
    model = ifcopenshell.file.from_string(offered[f"{name}-option-2.ifc"].decode("utf-8"))
    spaces = {s.Name: s for s in model.by_type("IfcSpace")}
    assert len(spaces) > 50
    assert "waiting_lounge" in spaces
    assert spaces["waiting_lounge"].LongName == "Waiting lounge"  # the page's language
    assert len(PdfReader(io.BytesIO(offered[f"{name}-option-2.pdf"])).pages) == 1
    book = openpyxl.load_workbook(io.BytesIO(offered[f"{name}-programme.xlsx"]))
    assert book.sheetnames
    yaml_text = offered[f"{name}-edited.yaml"]
    case = load_case_text(yaml_text, name="back.yaml", base=REPO / "examples", catalogs=[])
    assert case.scenario.name == "Pori shared service point"
    weasyprint_ready()
    app.button(key="w_make_booklet").click().run()
    app.button(key="w_make_report").click().run()
    assert not app.exception, [e.message for e in app.exception]
    booklet = PdfReader(io.BytesIO(offered[f"{name}-cards-option-2.pdf"]))
    assert len(booklet.pages) > 4
    assert "Space cards" in booklet.pages[0].extract_text()
    report = PdfReader(io.BytesIO(offered[f"{name}-options-report.pdf"]))
    assert len(report.pages) >= 2
    steps = app.sidebar.markdown[-1].value
    assert ":material/check_circle: Options" in steps
    assert ":material/check_circle: Cards and exports" in steps


def test_a_building_from_a_dxf_drawing_becomes_the_footprint(tmp_path: Path) -> None:
    from shapely.geometry import Polygon, box

    from tests.dxf.test_footprint_import import Sheet, double_walls

    sheet = Sheet(4, 1000.0, turn=15.0, at=(400_000.0, 7_000_000.0))
    double_walls(sheet, box(0, 0, 48, 32), doors=[((24.0, 0.0), 1.8), ((0.0, 20.0), 1.0)])
    data = sheet.save(tmp_path / "site.dxf").read_bytes()
    app = fresh()
    app.session_state["footprint_drawing"] = ("site.dxf", data)
    go(app, "footprint")
    assert not app.error, problems_shown(app)
    assert any(e.label == "Building from site.dxf" for e in app.expander)
    polygon = app.session_state["scenario_data"]["footprint"]["polygon"]
    area = Polygon(polygon).area
    assert 48 * 32 * 0.85 < area < 48 * 32, "the floor inside the walls"
    app.session_state["footprint_drawing"] = ("broken.dxf", b"not a drawing")
    go(app, "footprint")
    assert "E121" in problems_shown(app)


def test_a_storey_of_an_ifc_model_becomes_the_footprint(tmp_path: Path) -> None:
    from shapely.geometry import Polygon

    from tests.ifc.models import office

    data = office(tmp_path / "office.ifc", schema="IFC2X3", millimetres=True).read_bytes()
    app = fresh()
    app.session_state["footprint_drawing"] = ("office.ifc", data)
    go(app, "footprint")
    assert not app.error, problems_shown(app)
    assert app.selectbox(key="w_fp_storey").value == "Ground floor"
    footprint = app.session_state["scenario_data"]["footprint"]
    assert Polygon(footprint["polygon"]).area == pytest.approx(19.4 * 11.4, abs=0.01)
    assert {o["kind"] for o in footprint["obstacles"]} == {"stair", "column"}
    app.selectbox(key="w_fp_storey").set_value("First floor").run()
    app.run()
    assert app.session_state["footprint_storey"] == "First floor"
    assert app.session_state["scenario_data"]["footprint"].get("obstacles") in (None, [])
    app.session_state["footprint_drawing"] = ("broken.ifc", b"not a model")
    go(app, "footprint")
    assert "E550" in problems_shown(app)


def test_visiting_the_footprint_page_changes_nothing(app: AppTest) -> None:
    """Pori's partly windowed façades and default door widths survive a look at the page."""
    before = dict(app.session_state["scenario_data"])
    go(app, "footprint")
    go(app, "options")
    assert app.session_state["scenario_data"] == before


def test_a_broken_scenario_on_the_command_line_is_reported_and_pori_opened(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("name: x\nname: y\n", encoding="utf-8")
    monkeypatch.setattr("sys.argv", ["app.py", str(broken)])
    app = fresh()
    assert "E104" in problems_shown(app)
    assert app.session_state["scenario_name"] == "pori"


def test_every_ui_text_reads_in_both_languages_with_the_same_fields() -> None:
    import string

    from ui.texts import UI_TEXTS

    def fields(words: str) -> set[str]:
        return {f for _, f, _, _ in string.Formatter().parse(words) if f}

    for key, entry in UI_TEXTS.items():
        assert entry.get("fi", "").strip(), key
        assert entry.get("en", "").strip(), key
        assert fields(entry["fi"]) == fields(entry["en"]), key


def test_the_portfolio_page_runs_a_region_and_offers_its_workbook_and_pdf(
    offered: dict[str, bytes],
) -> None:
    """Kainuu's sites of the national example, one option each: the totals shown are the
    workbook's, the table has a row per planned site, the PDF and the map are there."""
    import openpyxl
    from pypdf import PdfReader

    app = fresh()
    go(app, "portfolio")
    app.multiselect(key="w_portfolio_regions").set_value(["Kainuu"]).run()
    app.number_input(key="w_pf_options").set_value(1).run()
    (run,) = [b for b in app.button if b.label.startswith("Plan ")]
    assert run.label == "Plan 4 sites"
    run.click().run()
    assert not app.exception, [e.message for e in app.exception]
    assert not app.error, problems_shown(app)
    book = openpyxl.load_workbook(io.BytesIO(offered["portfolio.xlsx"]))
    sites = list(book["Sites"].iter_rows(min_row=2, values_only=True))
    network = dict(book["Network"].iter_rows(min_row=2, values_only=True))
    assert len(sites) == network["planned"] == 4
    assert app.metric[0].value == "4 / 4"
    assert app.metric[1].value == f"{network['usable m2']:,.0f} m²"
    assert len(app.dataframe[0].value) == 4
    pdf = PdfReader(io.BytesIO(offered["portfolio.pdf"]))
    assert "Kainuu" in " ".join(page.extract_text() for page in pdf.pages)
    assert offered["portfolio.html"].count(b"<svg") == 3


def test_the_options_page_evacuates_the_chosen_option(monkeypatch: pytest.MonkeyPatch) -> None:
    """The small town's option 1 evacuated from the page: everyone the building rules count
    is out, the times and the hand calculation shown, the curve and the RSET map drawn."""
    monkeypatch.setattr("sys.argv", ["app.py", str(REPO / "examples" / "small_town.yaml")])
    app = fresh()
    go(app, "options")
    app.button(key="w_generate").click().run()
    app.button(key="w_evacuate").click().run()
    assert not app.exception, [e.message for e in app.exception]
    assert not app.error, problems_shown(app)
    result, curve, rset = app.session_state["evacuation_result"][1]
    assert result.left == result.persons > 50
    shown = {m.label: m.value for m in app.metric}
    assert shown["Out"] == f"{result.persons} / {result.persons}"
    assert shown["all"] == f"{result.t100_s:.0f} s"
    assert shown["Hand calculation"] == f"{result.hand.total_s:.0f} s"
    assert len(app.dataframe[-1].value) == len(result.exits)
    assert curve.startswith(b"\x89PNG")
    assert rset.startswith(b"\x89PNG")


def test_the_options_page_walks_the_chosen_options_day(monkeypatch: pytest.MonkeyPatch) -> None:
    """The small town's option 1's design day from the page: the counts shown are the run's,
    the plan carries the heat map's colours and the dots of the time the slider picks (the
    busiest at first, then another), the verdict table a row per visited space."""
    monkeypatch.setattr("sys.argv", ["app.py", str(REPO / "examples" / "small_town.yaml")])
    app = fresh()
    go(app, "options")
    app.button(key="w_generate").click().run()
    app.button(key="w_day").click().run()
    assert not app.exception, [e.message for e in app.exception]
    assert not app.error, problems_shown(app)
    result, heat, occupancy = app.session_state["day_result"][1]
    shown = {m.label: m.value for m in app.metric}
    assert shown["Visitors"] == str(result.visitors) == shown["Left"]
    assert shown["Spaces over capacity"] == str(len(result.over()))
    assert occupancy.startswith(b"\x89PNG")
    figure = json.loads(app.get("plotly_chart")[-1].proto.spec)
    fills = {trace.get("meta"): trace.get("fillcolor") for trace in figure["data"]}
    for space in result.spaces:
        if space.space in heat:
            assert fills.get(space.space) == heat[space.space][0]
    busiest = max(len(points) for _, points in result.frames)
    (people,) = [tr for tr in figure["data"] if tr.get("meta") == "people"]
    assert len(people["x"]) == busiest > 0
    visited = [s for s in result.spaces if s.capacity is not None and s.peak > 0]
    assert len(app.dataframe[-2].value) == len(visited)
    app.select_slider(key="w_day_time").set_value(0).run()
    figure = json.loads(app.get("plotly_chart")[-1].proto.spec)
    people = [tr for tr in figure["data"] if tr.get("meta") == "people"]
    assert sum(len(tr["x"]) for tr in people) == len(result.frames[0][1])
