"""The interactive figures, read back from the figure's own data (what the browser draws)."""

from __future__ import annotations

import json
import math
from functools import cache
from typing import Any

import pytest

from configurator.documents.i18n import number
from configurator.inputs.catalog import Case, load_case
from configurator.model.schema import Footprint
from configurator.review import Option, options_from_case
from configurator.review.ranking import compare_options
from configurator.review.routes import persona_routes
from configurator.sizing.program import compare_pooling
from tests.common import REPO
from ui.figures import footprint_figure, kpi_figure, plan_figure, pooling_figure


@cache
def pori() -> tuple[Case, tuple[Option, ...]]:
    case = load_case(REPO / "examples" / "pori.yaml")
    return case, tuple(options_from_case(case))


def shoelace(xs: list[float], ys: list[float]) -> float:
    """Area of a closed ring by the surveyor's formula."""
    return abs(sum(xs[i] * ys[i + 1] - xs[i + 1] * ys[i] for i in range(len(xs) - 1))) / 2


def traces(figure: Any) -> list[dict[str, Any]]:
    """The figure as the browser receives it."""
    return list(json.loads(figure.to_json())["data"])


@pytest.mark.parametrize("lang", ["fi", "en"])
def test_every_room_is_one_hoverable_filled_trace_with_its_name_and_drawn_area(lang: str) -> None:
    case, options = pori()
    plan = options[0].plan
    data = traces(plan_figure(plan, catalog=case.catalog, lang=lang))
    rooms = {t["meta"]: t for t in data if t.get("hoveron") == "fills"}
    assert set(rooms) == {r.id for r in plan.rooms} | {s.id for s in plan.spares}
    for room in plan.rooms:
        trace = rooms[room.id]
        area = shoelace(trace["x"], trace["y"])
        assert math.isclose(area, room.area_m2, rel_tol=1e-9)
        hover = trace["name"]
        assert getattr(room.names, lang) in hover
        assert f"{number(area, lang)} m²" in hover
        assert trace["fill"] == "toself"


def test_a_spare_area_is_a_hoverable_trace_with_its_drawn_area_and_rent() -> None:
    case, options = pori()
    plan = options[0].plan
    assert plan.spares, "Pori's floor exceeds its programme by over 10 %: it keeps a spare area"
    data = traces(plan_figure(plan, catalog=case.catalog, lang="en"))
    by_id = {t["meta"]: t for t in data if t.get("hoveron") == "fills"}
    rent = case.scenario.factors.rent_eur_per_m2_month * 12
    for spare in plan.spares:
        trace = by_id[spare.id]
        area = shoelace(trace["x"], trace["y"])
        assert area >= case.scenario.layout.spare.min_area_m2
        assert f"{number(area, 'en')} m²" in trace["name"]
        assert f"{number(area * rent, 'en', 0)} €" in trace["name"]


def test_the_plan_is_drawn_to_true_scale() -> None:
    case, options = pori()
    layout = json.loads(plan_figure(options[0].plan, catalog=case.catalog, lang="en").to_json())
    assert layout["layout"]["yaxis"]["scaleanchor"] == "x"
    assert layout["layout"]["yaxis"]["scaleratio"] == 1.0


def test_persona_paths_are_lines_the_legend_switches() -> None:
    case, options = pori()
    plan = options[0].plan
    routes = persona_routes(plan, case=case)
    data = traces(plan_figure(plan, catalog=case.catalog, lang="fi", routes=routes))
    paths = [t for t in data if t.get("legendgroup") == "paths"]
    assert [t["meta"] for t in paths] == [r.persona for r in routes]
    for trace, route in zip(paths, routes, strict=True):
        assert trace.get("showlegend", True), "a legend entry to switch it off"
        assert list(zip(trace["x"], trace["y"], strict=True)) == [tuple(p) for p in route.points]


def test_the_footprint_preview_gives_the_hand_computed_area_of_an_l() -> None:
    # an L: 30 x 20 less a 12 x 8 corner = 600 - 96 = 504 m²
    footprint = Footprint.model_validate(
        {
            "polygon": [[0, 0], [30, 0], [30, 12], [18, 12], [18, 20], [0, 20]],
            "entrances": [{"id": "door", "at": [10, 0]}],
            "windows": [[[0, 0], [30, 0]]],
        }
    )
    figure = footprint_figure(footprint, lang="en")
    title = json.loads(figure.to_json())["layout"]["title"]["text"]
    assert "504 m²" in title
    data = traces(figure)
    windows = [t for t in data if t["name"] == "Windowed façade"]
    assert len(windows) == 1
    assert (windows[0]["x"], windows[0]["y"]) == ([0, 30], [0, 0])
    doors = [t for t in data if t.get("mode") == "markers"]
    assert [(d["x"], d["y"]) for d in doors] == [([10], [0])]


def test_the_pooling_chart_stacks_the_separate_offices_to_their_total() -> None:
    case, _ = pori()
    comparison = compare_pooling(case)
    data = traces(pooling_figure(comparison, lang="en"))
    separate = [t for t in data if t.get("xaxis", "x") == "x" and t["x"] == ["Separate offices"]]
    tops = [t["base"][0] + t["y"][0] for t in separate]
    assert math.isclose(max(tops), comparison.separate_usable_m2, rel_tol=1e-9)
    bases = sorted(t["base"][0] for t in separate)
    heights = sorted(t["y"][0] for t in separate)
    assert bases[0] == 0
    assert math.isclose(sum(heights), comparison.separate_usable_m2, rel_tol=1e-9)
    (shared,) = [t for t in data if t["x"] == ["Shared point"]]
    assert shared["y"] == [comparison.shared_usable_m2]


def test_the_kpi_chart_shows_each_options_printed_values() -> None:
    _, options = pori()
    comparison = compare_options([o.kpis for o in options])
    data = traces(kpi_figure(comparison, lang="en"))
    for n, option in enumerate(options):
        mine = [t for t in data if t["name"] == f"Option {option.kpis.option}"]
        shares = next(t for t in mine if len(t["y"]) == 4)
        assert shares["y"][1] == pytest.approx(100 * round(option.kpis.daylight_share, 2))
        walks = [t["y"][0] for t in mine if len(t["y"]) == 1]
        assert walks[0] == pytest.approx(round(option.kpis.walk_m, 1))
        assert walks[1] == pytest.approx(round(option.kpis.score, 1))
        assert n == option.kpis.option - 1
