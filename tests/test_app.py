"""The Streamlit app, run headless: it renders the Pori example without an exception."""

from __future__ import annotations

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
