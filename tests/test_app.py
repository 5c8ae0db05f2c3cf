"""The Streamlit app, run headless: it renders the Pori example without an exception."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.common import REPO


@pytest.fixture(scope="module")
def app() -> AppTest:
    test = AppTest.from_file(str(REPO / "app.py"), default_timeout=120)
    test.run()
    return test


def test_app_runs_on_pori(app: AppTest) -> None:
    assert not app.exception, app.exception
    assert "Pori" in app.caption[0].value


def test_the_edited_scenario_is_offered_as_yaml(app: AppTest) -> None:
    offered = [d.proto.label for d in app.sidebar.get("download_button")]
    assert "Download this scenario (YAML)" in offered


def test_app_shows_the_pooling_headline(app: AppTest) -> None:
    assert "separate offices" in app.success[0].value


def test_stricter_target_never_fewer_counters(app: AppTest) -> None:
    def counters() -> float:
        pooling = app.dataframe[4].value  # the Pooling tab
        row = pooling[pooling["item"] == "quick-service counters"]
        return float(row["shared point"].iloc[0])

    before = counters()
    app.sidebar.slider[0].set_value(0.95).run()
    assert not app.exception
    assert counters() > before, "a 95 % target needs more counters than 80 %"


def test_app_shows_floor_plan_options_with_kpis(app: AppTest) -> None:
    assert any(h.value == "Floor plan" for h in app.header)
    kpis = app.dataframe[-2].value  # the KPI comparison under the drawing
    assert list(kpis["option"]) == list(range(1, len(kpis) + 1))
    assert (kpis["unreachable"] == 0).all()
    assert (kpis["audit problems"] == 0).all()


def test_a_building_from_a_dxf_drawing_is_planned(tmp_path: Path) -> None:
    from shapely.geometry import box

    from tests.test_footprint_import import Sheet, double_walls

    sheet = Sheet(4, 1000.0, turn=15.0, at=(400_000.0, 7_000_000.0))
    double_walls(sheet, box(0, 0, 48, 32), doors=[((24.0, 0.0), 1.8), ((0.0, 20.0), 1.0)])
    data = sheet.save(tmp_path / "site.dxf").read_bytes()
    test = AppTest.from_file(str(REPO / "app.py"), default_timeout=180)
    test.session_state["footprint_drawing"] = ("site.dxf", data)
    test.run()
    assert not test.exception, test.exception
    assert any(e.label == "Building from site.dxf" for e in test.expander)
    assert not test.error, [e.value for e in test.error]
    assert any(h.value == "Floor plan" for h in test.header)
    test.session_state["footprint_drawing"] = ("broken.dxf", b"not a drawing")
    test.run()
    assert not test.exception
    assert any("E121" in e.value for e in test.sidebar.error)


def test_the_space_cards_and_the_report_are_printed_on_request() -> None:
    from pypdf import PdfReader

    from tests.common import weasyprint_ready

    weasyprint_ready()
    app = AppTest.from_file(str(REPO / "app.py"), default_timeout=180)
    app.run()
    assert "booklet_pdf" not in app.session_state, "nothing is printed before it is asked for"
    booklet = next(b for b in app.button if b.label.startswith("Make the space cards"))
    booklet.click().run()
    assert not app.exception, app.exception
    report = next(b for b in app.button if b.label.startswith("Make the options report"))
    report.click().run()
    assert not app.exception, app.exception
    preview = next(b for b in app.selectbox if b.label == "Preview the space card of")
    preview.set_value("guide_desk").run()
    assert not app.exception, app.exception
    assert any(e.label == "Space card: Service guide desk" for e in app.expander)
    offered = [d.proto.label for d in app.get("download_button")]
    assert "Download the space cards (PDF)" in offered
    assert "Download the options report (PDF)" in offered
    _, data = app.session_state["booklet_pdf"]
    pages = PdfReader(io.BytesIO(data)).pages
    assert len(pages) > 4
    assert "Space cards" in pages[0].extract_text(), "in the UI's language (English first)"
    _, data = app.session_state["report_pdf"]
    assert len(PdfReader(io.BytesIO(data)).pages) == 3
