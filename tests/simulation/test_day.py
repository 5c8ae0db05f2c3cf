"""The design day against independent references: a single counter fed by Poisson arrivals
waits as Erlang C (M/M/1 by hand) says, plus the walk; the day's counts at each service agree
with the sizing's ciw verification; a walk on an open floor is as long as a tape measure says;
a busier day on the same plan overfills its waiting lounge, seen in the people's places."""

from __future__ import annotations

import dataclasses
import json
import math
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from shapely.geometry import LineString, Point, Polygon, box
from shapely.ops import unary_union
from typer.testing import CliRunner

from configurator.cli import app
from configurator.simulation.day import LEG_CAP_S, DayResult, simulate_day
from configurator.simulation.day_model import (
    CORE_MOMENT,
    DayModel,
    Service,
    Spot,
    Step,
    Visitor,
    floor_points,
    plan_day,
)
from configurator.simulation.floor import ExitArea, WalkableFloor
from tests.common import REPO

pytestmark = pytest.mark.xdist_group("simulation")

COUNTER = (18.0, 4.0)
DOOR = (0.0, 4.0)


def open_floor() -> WalkableFloor:
    """A 20 × 8 m hall, a door mid-way along its west wall, the lounge its west half and the
    counters its east half: no walls, so a walk is a straight line."""
    porch = box(-1.2, 3.4, 0.0, 4.6)
    door = ExitArea("door", "main", 1.2, DOOR, porch, box(-1.2, 3.4, -0.6, 4.6),
                    LineString([(-0.3, 3.4), (-0.3, 4.6)]), True)  # fmt: skip
    spaces = {"lounge": box(0.0, 0.0, 10.0, 8.0), "counters": box(10.0, 0.0, 20.0, 8.0)}
    return WalkableFloor(
        area=unary_union([box(0.0, 0.0, 20.0, 8.0), porch]),
        spaces=spaces,
        staff_only=dict.fromkeys(spaces, False),
        exits=[door],
        persons={},
        longest_route_m=20.0,
    )


def one_counter_day(rate_h: float, service_min: float, hours: float, seed: int) -> DayModel:
    """Poisson arrivals at ``rate_h`` an hour for ``hours``, each taking a ticket and served at
    one counter for an exponential time of mean ``service_min``, then leaving."""
    floor = open_floor()
    rng = np.random.default_rng(seed)
    times = np.sort(rng.uniform(0.0, hours * 3600.0, rng.poisson(rate_h * hours)))
    visitors = tuple(
        Visitor(k, float(t), "a", "quick_counter", "p", "counter_path", 1.2,
                (Step("serve", "quick_service_counter", float(rng.exponential(service_min * 60)),
                      "counter", ticket=True),
                 Step("leave", "entrance_lobby")))
        for k, t in enumerate(times)
    )  # fmt: skip
    seats = tuple(Spot("lounge", p.x, p.y) for p in floor_points(floor.spaces["lounge"], 20))
    stand = tuple(Spot("counters", p.x, p.y) for p in floor_points(floor.spaces["counters"], 20))
    return DayModel(
        services={
            "counter": Service("counter", "counter", (Spot("counters", *COUNTER),), staff="always")
        },
        visitors=visitors,
        capacity={"lounge": 20, "counters": 3},
        space_types={"lounge": "waiting_lounge", "counters": "quick_service_counter"},
        lounge=seats,
        pools={"lounge": seats, "counters": stand},
        entrance="door",
        hours=hours,
    )


def test_a_single_counter_waits_as_erlang_c_plus_the_walk() -> None:
    """Ten 20-hour days at λ = 6/h, 5 min exponential service, one counter (ρ = 0.5): Erlang C
    (M/M/1 by hand, Wq = ρ / (μ − λ) = 300 s) with the walk: the counter is held while the
    called person walks to it (door or seat to counter, 18 m at 1.2 m/s = 15 s), so a service
    is the walk plus an exponential time, and Pollaczek-Khinchine gives Wq = λE[S²] / 2(1 − ρ)
    = 332 s. That lies in the days' 95 % confidence interval of the mean wait, and the time
    from joining until at the counter exceeds the wait by the walk."""
    rate_s, service_s = 6.0 / 3600.0, 5.0 * 60.0
    walk_s = math.dist(DOOR, COUNTER) / 1.2
    erlang_c_s = (rate_s * service_s) / (1.0 / service_s - rate_s)  # M/M/1: 300 s
    mean_s = walk_s + service_s
    square_s2 = walk_s**2 + 2 * walk_s * service_s + 2 * service_s**2
    hand_wq_s = rate_s * square_s2 / (2 * (1 - rate_s * mean_s))
    assert erlang_c_s == pytest.approx(300.0)
    assert hand_wq_s == pytest.approx(332.0, abs=1.0)
    waits, walks = [], []
    for seed in range(10):
        model = one_counter_day(6.0, 5.0, 20.0, seed)
        result = simulate_day(open_floor(), model, seed=seed)
        assert (result.left, result.stuck, result.still_inside) == (len(model.visitors), 0, 0)
        (counter,) = result.services
        assert counter.served == len(model.visitors)
        waits.append(counter.mean_wait_s)
        walks.append(counter.mean_to_server_s - counter.mean_wait_s)
    mean, se = float(np.mean(waits)), float(np.std(waits, ddof=1)) / math.sqrt(len(waits))
    half = 2.262 * se  # t(0.975, 9 degrees of freedom)
    assert mean - half <= hand_wq_s <= mean + half, (mean, half, hand_wq_s)
    assert float(np.mean(walks)) == pytest.approx(walk_s, rel=0.3)


def test_a_walk_is_as_long_as_the_tape_says() -> None:
    """A quiet morning (two visitors an hour, a minute each, so nobody waits): in at the door,
    to the counter, out again; each walked about twice the door-to-counter distance plus the
    porch, as walked."""
    model = one_counter_day(2.0, 1.0, 3.0, seed=1)
    result = simulate_day(open_floor(), model, seed=1)
    (walk,) = result.personas
    tape = 2 * math.dist(DOOR, COUNTER)
    assert tape <= walk.mean_m <= tape + 4.0
    (counter,) = result.services
    assert counter.max_queue <= 1


def small_town() -> tuple[object, object, WalkableFloor]:
    from configurator.inputs.catalog import load_case
    from configurator.review.options import options_from_case
    from configurator.simulation import walkable_floor

    case = load_case(REPO / "examples" / "small_town.yaml")
    plan = options_from_case(case, options=case.scenario.layout.options)[0].plan
    floor = walkable_floor(plan, catalog=case.catalog, rules=case.scenario.rules,
                           footprint=case.scenario.footprint)  # fmt: skip
    return case, plan, floor


def test_each_visit_follows_a_path_that_serves_its_channel() -> None:
    """Every arrival of the day is a visitor; its one core service is its channel's (or the
    digi-help point's, for a help-only path), and everything it visits is in the plan."""
    from configurator.sizing.demand import design_day_arrivals

    case, plan, floor = small_town()
    model = plan_day(case, plan, floor, seed=4)  # type: ignore[arg-type]
    arrivals = design_day_arrivals(case.scenario, seed=4)  # type: ignore[attr-defined]
    assert len(model.visitors) == len(arrivals)
    assert [(v.at_s, v.agency, v.channel) for v in model.visitors] == [
        (a.at_s, a.agency, a.channel) for a in arrivals
    ]
    kinds = {"counter": "counter", "self_serve": "terminal", "private_meeting": "room",
             "remote_meeting": "room", "group": "room"}  # fmt: skip
    for v in model.visitors:
        core = [s for s in v.steps if s.service is not None
                and model.services[s.service].kind not in ("guide", "help", "amenity")]  # fmt: skip
        helped = [s for s in v.steps if s.service == "help"]
        assert len(core) == 1 or (v.channel == "self_service" and not core and helped), v
        if core:
            assert model.services[core[0].service or ""].kind == kinds[CORE_MOMENT[v.channel]]
        assert v.steps[-1].kind == "leave"
        for s in v.steps:
            assert s.space is None or s.space in floor.spaces


def test_the_days_counts_agree_with_the_sizings_ciw_verification() -> None:
    """Six small-town design days: the people who join each service in the design hour (the
    busiest of the hourly profile) average what the ciw verification of the sizing fed that
    node, within three Poisson standard errors plus its own half-width (the guide desk's
    stop moves a counter visit a few minutes later: walking and guidance are short)."""
    from configurator.sizing.counts import sizing_from_demand
    from configurator.sizing.demand import demand_from_scenario, hourly_rates
    from configurator.sizing.verification import simulate_sizing

    case, plan, floor = small_town()
    scenario = case.scenario  # type: ignore[attr-defined]
    demand = demand_from_scenario(scenario, catalog=case.catalog)  # type: ignore[attr-defined]
    sizing = sizing_from_demand(demand, catalog=case.catalog, scenario=scenario)  # type: ignore[attr-defined]
    verified = simulate_sizing(case, sizing, demand, seed=2)  # type: ignore[arg-type]
    rates = [sum(r for _, r in col) for col in zip(*(hourly_rates(a) for a in scenario.agencies),
                                                   strict=False)]  # fmt: skip
    design = int(np.argmax(rates))
    days = 6
    joined: dict[str, list[int]] = {}
    for seed in range(days):
        model = plan_day(case, plan, floor, seed=seed)  # type: ignore[arg-type]
        result = simulate_day(floor, model, seed=seed)
        assert result.stuck == result.still_inside == 0
        for s in result.services:
            joined.setdefault(s.service, []).append(s.joined_by_hour[design])
    compared = 0
    for node in verified.nodes:
        name = node.name.split(":", 1)[1] if node.kind != "queue" else node.name
        name = node.kind if node.kind in ("guide", "help") else name
        if name not in joined:
            continue
        day_mean = float(np.mean(joined[name]))
        ciw = node.arrivals.mean
        tolerance = 3.0 * math.sqrt(max(ciw, 1.0) / days) + node.arrivals.half_width
        assert abs(day_mean - ciw) <= tolerance, (name, day_mean, ciw, tolerance)
        compared += 1
    assert compared >= 3


def lounge_counts(result: DayResult, lounge: Polygon) -> list[int]:
    """People whose place lies in the lounge, frame by frame: read from the dots."""
    return [sum(1 for x, y in points if lounge.contains(Point(x, y)))
            for _, points in result.frames]  # fmt: skip


def test_a_busier_day_overfills_the_lounge_the_design_day_fits() -> None:
    """Pori's design morning holds in its waiting lounge; three times the visits on the same
    plan and staff (the first two hours) do not: over capacity, from when and by how much,
    and the dots in the lounge's outline say so too."""
    from configurator.inputs.catalog import load_case
    from configurator.review.options import options_from_case
    from configurator.simulation import walkable_floor

    case = load_case(REPO / "examples" / "pori.yaml")
    plan = options_from_case(case, options=1)[0].plan
    floor = walkable_floor(plan, catalog=case.catalog, rules=case.scenario.rules,
                           footprint=case.scenario.footprint)  # fmt: skip
    (lounge_id,) = [r.id for r in plan.rooms if r.space_type == "waiting_lounge"]
    lounge = floor.spaces[lounge_id]
    calm = simulate_day(floor, plan_day(case, plan, floor, seed=0, window_h=(0.0, 2.0)), seed=0)
    busy = simulate_day(floor, plan_day(case, plan, floor, seed=0, window_h=(0.0, 2.0),
                                        visits_scale=3.0), seed=0)  # fmt: skip
    calm_lounge = next(s for s in calm.spaces if s.space == lounge_id)
    busy_lounge = next(s for s in busy.spaces if s.space == lounge_id)
    assert calm_lounge.verdict == "holds"
    assert calm.over() == []  # nobody waits for a room inside another's meeting
    assert max(lounge_counts(calm, lounge)) <= calm_lounge.capacity  # type: ignore[operator]
    assert busy_lounge.verdict == "over capacity"
    assert busy_lounge.over_by == busy_lounge.peak - busy_lounge.capacity > 0  # type: ignore[operator]
    assert busy_lounge.over_from_s is not None
    assert busy_lounge.over_min > 0
    crowd = max(lounge_counts(busy, lounge))
    assert crowd > busy_lounge.capacity  # type: ignore[operator]
    # PedPy's densest square is at least as dense as the whole lounge at its fullest frame
    assert busy_lounge.peak_density_per_m2 >= crowd / lounge.area - 0.01
    first_seen = next(t for (t, _), n in zip(busy.frames, lounge_counts(busy, lounge), strict=True)
                      if n > busy_lounge.capacity)  # type: ignore[operator]  # fmt: skip
    assert busy_lounge.over_from_s <= first_seen  # the frames are every 6th sample
    assert busy.left == busy.visitors
    assert busy.stuck == 0


def test_the_small_towns_day_from_the_command_line(tmp_path: Path) -> None:
    """The files read back: the JSON's spaces and services, the 5-minute table with a row per
    5 minutes and the capacities, the pictures."""
    out = tmp_path / "day"
    result = CliRunner().invoke(
        app, ["simulate", "day", str(REPO / "examples" / "small_town.yaml"), "-o", str(out),
              "--seed", "3", "--lang", "en"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    summary = json.loads((out / "day.json").read_text(encoding="utf-8"))
    assert summary["visitors"] == summary["left"] > 30
    assert summary["stuck"] == 0
    assert "frames" not in summary
    assert {s["service"] for s in summary["services"]} >= {"guide", "quick_counter:shared"}
    served = sum(s["served"] for s in summary["services"] if s["kind"] not in ("guide", "help"))
    assert served >= summary["visitors"] * 0.9
    rows = (out / "day-occupancy.csv").read_text(encoding="utf-8").splitlines()
    header = rows[0].split(",")
    assert header[0] == "time"
    assert rows[1].startswith("capacity,")
    assert rows[2].startswith("8:00,")
    assert rows[3].startswith("8:05,")
    by_space = {s["space"]: s for s in summary["spaces"]}
    for k, name in enumerate(header[1:], start=1):
        column = [int(r.split(",")[k]) for r in rows[2:]]
        assert max(column) == by_space[name]["peak"]
    for name in ("day-heat-map.png", "day-occupancy.png"):
        with Image.open(out / name) as picture:
            assert picture.size[0] > 600
    again = tmp_path / "again"
    result = CliRunner().invoke(
        app, ["simulate", "day", str(REPO / "examples" / "small_town.yaml"), "-o", str(again),
              "--seed", "3", "--lang", "en"],
    )  # fmt: skip
    for name in ("day.json", "day-occupancy.csv", "day-heat-map.png", "day-occupancy.png"):
        assert (out / name).read_bytes() == (again / name).read_bytes(), name


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--hours", "late", "--hours late: expected FROM:TO hours"),
        ("--hours", "5:2", "--hours 5:2: expected 0 <= FROM <= TO <= 24"),
        ("--opens", "25:00", "--opens 25:00: expected a time of day"),
        ("--opens", "eight", "--opens eight: expected HH:MM"),
        ("--hours", "3:3", "--hours 3:3: expected FROM < TO"),
        ("--hours", "10:12", "--hours 10:12: no visitor arrives then"),
    ],
)
def test_bad_day_options_are_one_line(option: str, value: str, message: str) -> None:
    result = CliRunner().invoke(
        app, ["simulate", "day", str(REPO / "examples" / "small_town.yaml"), option, value]
    )
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_the_report_and_the_booklet_gain_the_day_page(tmp_path: Path) -> None:
    """Read from the PDFs: the report's day page (before the evacuation page) names the
    visitors and the spaces over capacity the command line's day.json gives for the same
    seed; the booklet carries the same page."""
    from pypdf import PdfReader

    scenario = str(REPO / "examples" / "small_town.yaml")
    done = CliRunner().invoke(app, ["simulate", "day", scenario, "-o", str(tmp_path / "day")])
    assert done.exit_code == 0, done.output
    summary = json.loads((tmp_path / "day" / "day.json").read_text(encoding="utf-8"))
    over = [s["space"] for s in summary["spaces"] if s["verdict"] == "over capacity"]
    report = tmp_path / "report.pdf"
    done = CliRunner().invoke(app, ["report", scenario, "-o", str(report), "--lang", "en",
                                    "--day", "--evacuate"])  # fmt: skip
    assert done.exit_code == 0, done.output
    pages = [" ".join(p.extract_text().split()) for p in PdfReader(report).pages]
    day = next(k for k, p in enumerate(pages) if "The design day: Option 1" in p)
    evacuation = next(k for k, p in enumerate(pages) if "Evacuation: Option 1" in p)
    assert day < evacuation
    assert f"{summary['visitors']} visitors arrive" in pages[day]
    assert f"{summary['left']} left" in pages[day]
    text = " ".join(pages[day:evacuation])
    if over:
        assert f"Over capacity: {', '.join(over)}." in text
    else:
        assert "Every visitor space holds the day's peak." in text
    for label in ("Mean wait", "Longest queue", "Walking distances"):
        assert label.lower() in text.lower()
    done = CliRunner().invoke(app, ["cards", scenario, "-o", str(tmp_path / "cards"), "--lang",
                                    "en", "--day"])  # fmt: skip
    assert done.exit_code == 0, done.output
    booklet = [" ".join(p.extract_text().split())
               for p in PdfReader(tmp_path / "cards" / "booklet.pdf").pages]  # fmt: skip
    assert any(f"{summary['visitors']} visitors arrive" in p for p in booklet)


def test_a_walk_that_cannot_start_is_counted_stuck_and_the_day_goes_on() -> None:
    """A counter 0.1 m off the wall: a person served there cannot be put back on the simulator
    to leave (JuPedSim keeps bodies 0.2 m off walls). Each such walk is counted stuck after
    the cap and the person set at the door, so the queue and the day go on; nobody is left."""
    model = one_counter_day(3.0, 2.0, 2.0, seed=2)
    far = Service("counter", "counter", (Spot("counters", 19.9, 4.0),), staff="always")
    model = dataclasses.replace(model, services={"counter": far})
    result = simulate_day(open_floor(), model, seed=2)
    assert result.visitors == len(model.visitors) > 3
    assert result.stuck == result.visitors  # each one's walk out
    assert (result.left, result.still_inside) == (result.visitors, 0)
    assert result.end_s >= max(v.at_s for v in model.visitors) + LEG_CAP_S


def test_an_overloaded_day_counts_who_was_never_served() -> None:
    """Twenty an hour at one 5-minute counter for two hours, a quarter of an hour to drain:
    who is still queueing is counted, their waits so far are in the longest wait, and the
    counter's busy share stays a share of the opening hours."""
    model = one_counter_day(20.0, 5.0, 2.0, seed=3)
    result = simulate_day(open_floor(), model, seed=3, drain_hours=0.25)
    (counter,) = result.services
    assert result.still_inside > 0
    assert counter.unserved > 0
    assert counter.served + counter.unserved <= result.visitors
    assert counter.max_wait_s >= result.end_s - 2.0 * 3600.0
    assert 0.9 <= counter.busy_share <= 1.0


def test_without_a_lounge_nobody_waits_inside_a_meeting() -> None:
    """The small town's day with its lounge taken away: whoever waits for a meeting room waits
    in the entrance lobby, and no booked room ever holds more than its capacity."""
    case, plan, floor = small_town()
    model = plan_day(case, plan, floor, seed=1)  # type: ignore[arg-type]
    assert model.waiting_area is not None
    lobby = next(r.id for r in plan.rooms if r.space_type == "entrance_lobby")  # type: ignore[attr-defined]
    model = dataclasses.replace(model, lounge=(), waiting_area=lobby)
    result = simulate_day(floor, model, seed=1)
    rooms = {s.space for s in model.services["appointment"].spots}
    assert rooms
    for space in result.spaces:
        if space.space in rooms:
            assert space.peak <= (space.capacity or 0), space


def test_the_staff_on_duty_all_day_are_counted_until_closing() -> None:
    """Only the first half hour's visitors, but the guide desk's guide and the counters'
    clerks are present in every 5 minutes until closing."""
    case, plan, floor = small_town()
    model = plan_day(case, plan, floor, seed=0, window_h=(0.0, 0.5))  # type: ignore[arg-type]
    result = simulate_day(floor, model, seed=0)
    guides = model.services["guide"].servers
    opening_bins = int(model.hours * 3600 // 300)
    desk = next(s for s in result.spaces if s.space_type == "guide_desk")
    assert len(desk.bins) >= opening_bins
    assert min(desk.bins[:opening_bins]) >= guides


@pytest.mark.parametrize("index", range(4))
def test_random_footprints_live_through_their_first_hours(index: int) -> None:
    """Turned and notched footprints with cores, courtyards and columns (the layout-rate
    benchmark's kinds), Pori's or the small town's programme at twice its visits: the first
    two hours' visitors all get in, are served and leave, no walk is stuck, and everyone's
    place in every frame lies on the walkable floor."""
    from configurator.simulation import walkable_floor
    from tests.simulation.plans import random_plan

    sized, plan, footprint, made = random_plan("day", index)
    floor = walkable_floor(plan, catalog=sized.catalog, rules=sized.scenario.rules,
                           footprint=footprint)  # fmt: skip
    model = plan_day(sized, plan, floor, seed=index, window_h=(0.0, 2.0), visits_scale=2.0)
    result = simulate_day(floor, model, seed=index)
    assert result.visitors == len(model.visitors) > 10, made
    assert (result.left, result.stuck, result.still_inside) == (result.visitors, 0, 0), made
    on_floor = floor.area.buffer(0.05)
    for at, points in result.frames:
        for x, y in points:
            assert on_floor.contains(Point(x, y)), (made, at, x, y)


def test_a_plan_visitors_cannot_enter_is_one_error() -> None:
    """Every exit a staff door: the day has no way in for visitors (E574), not a traceback."""
    from configurator.model.errors import ConfigError

    case, plan, floor = small_town()
    staff_only = dataclasses.replace(
        floor, exits=[dataclasses.replace(e, everyone=False) for e in floor.exits]
    )
    with pytest.raises(ConfigError) as caught:
        plan_day(case, plan, staff_only, seed=0)  # type: ignore[arg-type]
    assert [p.code for p in caught.value.problems] == ["E574"]
