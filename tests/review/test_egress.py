"""Escape routes: walks checked by hand and by a second method, a visibility graph.

The grid walk (eight moves on 0.5 m cells) is compared with exact shortest paths: a graph of
the corners of the circulation and the doors, an edge wherever the straight segment stays on
the floor (networkx), the doors as the only way between pieces joined by a door.
"""

from __future__ import annotations

import math
from typing import Any, Literal

import networkx as nx
import pytest
from shapely.geometry import LineString, Polygon
from shapely.ops import unary_union

from configurator.inputs.catalog import DEFAULT_CATALOG, load_catalog
from configurator.model.plan import Corridor, Door, Entrance, Plan, SpareArea
from configurator.model.schema import BuildingRules, FireSafety
from configurator.review.egress import (
    EgressAnalysis,
    egress_from_analysis,
    exit_suggestion,
    exit_width_needed,
    walk_limit,
)
from configurator.review.geometry import PlanAnalysis, analysis_from_plan
from tests.common import turn_plan
from tests.review.test_audit import footprint_of, rect, room, sound_plan

RULES = BuildingRules()
CATALOG = load_catalog(DEFAULT_CATALOG)


def assert_walk(grid: float, exact: float) -> None:
    """The grid's walk: its sixteen moves may overstate a straight line by 2.7 %, and each end
    steps up to half a cell's diagonal to a cell centre; it never understates by more than that."""
    assert exact - 0.4 <= grid <= exact * 1.027 + 0.75, (grid, exact)


def corridor_plan(
    *exits: tuple[str, tuple[float, float], Literal["main", "side", "staff"]],
    length: float = 30.0,
    room_at: float = 12.0,
) -> Plan:
    """A corridor 2 m deep along the façade, one 6 × 4 m room above its middle, door at x = 15.

    ::

        y 6        ┌─────┐
                   │room │
        y 2 ┌──────┴──▲──┴──────────┐   door at (15, 2)
            │     corridor          │
        y 0 └───────────────────────┘
    """
    return Plan(
        scenario="egress test",
        option=1,
        strategy="linear",
        seed=0,
        footprint=[(0.0, 0.0), (length, 0.0), (length, 6.0), (0.0, 6.0)],
        obstacles=[],
        entrances=[Entrance(id=i, at=at, width_m=1.2, kind=k) for i, at, k in exits],
        windows=[],
        zones=[],
        rooms=[room("meeting", "meeting_room_6", (room_at, 2.0, room_at + 6.0, 6.0))],
        corridors=[
            Corridor(
                id="corridor",
                polygon=rect(0.0, 0.0, length, 2.0),
                width_m=2.0,
                staff_only=False,
                kind="corridor",
            ),
        ],
        doors=[
            Door(
                id="door-meeting",
                room="meeting",
                to="corridor",
                at=(room_at + 3.0, 2.0),
                wall=((room_at, 2.0), (room_at + 6.0, 2.0)),
                width_m=1.0,
            ),
        ],
        gross_factor=1.15,
    )


def egress_of(plan: Plan, rules: BuildingRules = RULES) -> EgressAnalysis:
    analysis = analysis_from_plan(plan, footprint=footprint_of_plan(plan))
    return egress_from_analysis(analysis, catalog=CATALOG, rules=rules)


def footprint_of_plan(plan: Plan) -> Any:
    """The scenario footprint of a hand-made plan: its own outline and entrances."""
    return footprint_of(plan, polygon=[list(p) for p in plan.footprint])


# --------------------------------------------------------------------------- by hand


def test_two_exits_at_the_ends_share_only_the_room() -> None:
    plan = corridor_plan(("west", (0.0, 1.0), "main"), ("east", (30.0, 1.0), "side"))
    route = egress_of(plan).routes["meeting"]
    corner = math.dist((12.0, 6.0), (15.0, 2.0))  # 5 m: the far corners to the door
    corridor = math.dist((15.0, 2.0), (0.0, 1.0))  # straight along the corridor: 15.03 m
    assert_walk(route.walked_m, corner + corridor)
    # the routes west and east part at the door: only the way through the room counts twice
    assert route.shared_m == pytest.approx(corner, abs=0.6)


def test_a_dead_end_counts_twice_up_to_where_the_routes_part() -> None:
    plan = corridor_plan(("west", (0.0, 1.0), "main"), ("south", (6.0, 0.0), "side"))
    route = egress_of(plan).routes["meeting"]
    corner = 5.0
    # nearest exit: the south door at (6, 0), 9.2 m from the door; the route west to (0, 1)
    # runs with it until about x = 6, so the corridor from the door to there counts twice
    assert_walk(route.walked_m, corner + math.dist((15.0, 2.0), (6.0, 0.0)))
    assert route.shared_m == pytest.approx(corner + 9.0, abs=1.5)
    assert route.exit == "south"


def test_exits_closer_than_five_metres_are_one_exit_and_the_limit_is_thirty() -> None:
    plan = corridor_plan(("west", (0.0, 1.0), "main"), ("near", (3.0, 0.0), "side"))
    egress = egress_of(plan)
    assert egress.separate_exits == 1
    assert egress.limit_m == 30.0
    assert egress.routes["meeting"].shared_m == 0.0, "with one exit nothing is shared"


def test_the_limit_follows_table_10() -> None:
    base = FireSafety()
    assert walk_limit(base, separate_exits=2)[0] == 45.0
    assert walk_limit(base, separate_exits=1)[0] == 30.0
    detection = FireSafety(smoke_detection=True)
    assert walk_limit(detection, separate_exits=2)[0] == 50.0
    tall = FireSafety(smoke_detection=True, sprinklers=True, ceiling_height_m=10.0)
    assert walk_limit(tall, separate_exits=2)[0] == 70.0
    middle = FireSafety(sprinklers=True, ceiling_height_m=6.5)
    assert walk_limit(middle, separate_exits=2)[0] == pytest.approx(55.0)
    windows = FireSafety(openable_windows=True)
    assert walk_limit(windows, separate_exits=2)[0] == pytest.approx(54.0)


@pytest.mark.parametrize(
    ("persons", "width"), [(60, 1.2), (120, 1.2), (121, 1.6), (360, 2.8), (1000, 7.2)]
)
def test_exit_width_follows_section_34(persons: int, width: float) -> None:
    assert exit_width_needed(persons) == pytest.approx(width)


def test_a_turned_copy_walks_the_same() -> None:
    plan = corridor_plan(("west", (0.0, 1.0), "main"), ("south", (6.0, 0.0), "side"))
    here = egress_of(plan).routes["meeting"]
    turned = turn_plan(plan, 33.0)
    there = egress_of(turned).routes["meeting"]
    assert there.walked_m == pytest.approx(here.walked_m, abs=0.05)
    assert there.shared_m == pytest.approx(here.shared_m, abs=0.05)


def test_the_staff_door_serves_only_staff_space_when_routes_are_closed() -> None:
    plan = sound_plan()
    closed = BuildingRules(fire=FireSafety(staff_routes_open=False))
    egress = egress_of(plan, closed)
    staff_door = next(e for e in egress.exits if e.id == "staff_door")
    assert not staff_door.everyone
    assert egress.separate_exits == 1
    assert egress.routes["meeting_room_2-1"].exit == "main_door"


def test_people_on_a_corridor_are_those_whose_route_uses_it() -> None:
    plan = corridor_plan(("west", (0.0, 1.0), "main"), ("south", (6.0, 0.0), "side"))
    crowded = plan.model_copy(
        update={"rooms": [plan.rooms[0].model_copy(update={"occupants": 18})]}
    )
    egress = egress_of(crowded)
    assert egress.users["corridor"] == 18
    assert egress.exit_users == {"south": 18}
    assert egress.occupants == 18


def test_the_suggested_exit_is_at_the_dead_end() -> None:
    plan = corridor_plan(("west", (0.0, 1.0), "main"), ("south", (6.0, 0.0), "side"), length=60.0)
    found = exit_suggestion(
        analysis_from_plan(plan, footprint=footprint_of_plan(plan)), rules=RULES
    )
    assert found is not None
    assert found.at[0] > 40.0, "the new exit goes toward the far end of the corridor"
    assert found.longest_m < egress_of(plan).longest.counted_m  # type: ignore[union-attr]


# --------------------------------------------------------------------------- a second method


def visibility_walks(analysis: PlanAnalysis) -> dict[str, float]:
    """Exact shortest walks from each room's corners to the nearest exit, by visibility graph."""
    plan = analysis.plan
    circulation = {s.id: s for s in analysis.spaces.values() if s.circulation and s.kind != "open"}
    graph = nx.Graph()
    doors = {d.id: d for d in plan.doors}
    nodes: dict[str, list[tuple[float, float]]] = {}
    for sid, space in circulation.items():
        floor = space.shape
        points = [(round(x, 6), round(y, 6)) for x, y in floor.exterior.coords[:-1]]
        for link in analysis.links:
            if sid in (link.a, link.b) and link.via != "open":
                points.append(tuple(doors[link.via].at))  # type: ignore[arg-type]
        for e in plan.entrances:
            if analysis.entrance_spaces.get(e.id) == sid:
                points.append(e.at)
        nodes[sid] = points
    grown = {sid: s.shape.buffer(1e-6) for sid, s in circulation.items()}
    # open links merge two pieces into one floor
    floors = {sid: grown[sid] for sid in circulation}
    for link in analysis.links:
        if link.via == "open" and link.a in floors and link.b in floors:
            merged = unary_union([floors[link.a], floors[link.b]])
            floors[link.a] = floors[link.b] = merged
    for sid, points in nodes.items():
        floor = floors[sid]
        for i, p in enumerate(points):
            graph.add_node(p)
            for q in points[i + 1 :]:
                if p != q and floor.covers(LineString([p, q])):
                    graph.add_edge(p, q, weight=math.dist(p, q))
    for link in analysis.links:  # open neighbours see each other's corners
        if link.via == "open" and link.a in nodes and link.b in nodes:
            floor = floors[link.a]
            for p in nodes[link.a]:
                for q in nodes[link.b]:
                    if p != q and floor.covers(LineString([p, q])):
                        graph.add_edge(p, q, weight=math.dist(p, q))
    graph.add_node("out")
    for entrance in plan.entrances:
        graph.add_edge("out", tuple(entrance.at), weight=0.0)
    far = nx.single_source_dijkstra_path_length(graph, "out")
    walks = {}
    for space in analysis.spaces.values():
        if not space.enclosed:
            continue
        best = math.inf
        room_doors = [
            doors[link.via].at
            for link in analysis.links
            if space.id in (link.a, link.b) and link.via != "open"
        ]
        worst = 0.0
        for corner in list(space.shape.exterior.coords)[:-1]:
            best = min(
                (math.dist(corner, at) + far.get(tuple(at), math.inf) for at in room_doors),
                default=math.inf,
            )
            worst = max(worst, best)
        walks[space.id] = worst
    return walks


@pytest.mark.parametrize("degrees", [0.0, 27.0])
def test_grid_walks_agree_with_the_visibility_graph(degrees: float) -> None:
    """The grid agrees with the exact walks within the grid's own bounds (see assert_walk)."""
    plan = turn_plan(sound_plan(), degrees)
    analysis = analysis_from_plan(plan, footprint=footprint_of_plan(plan))
    exact = visibility_walks(analysis)
    egress = egress_from_analysis(analysis, catalog=CATALOG, rules=RULES)
    compared = 0
    for space_id, walk in exact.items():
        doors = {link.via for link in analysis.links if space_id in (link.a, link.b)}
        if not math.isfinite(walk) or len(doors) > 1:
            continue  # with two doors the grid picks the door whose route counts least
        grid = egress.routes[space_id].walked_m
        assert_walk(grid, walk)
        compared += 1
    assert compared >= 5, "guard post, WC, meeting room, back office, staff WC"


def test_polygon_helper_is_a_polygon() -> None:
    assert Polygon(rect(0, 0, 1, 1)).area == 1.0


# --------------------------------------------------------------------------- spare areas


def with_spare_door(plan: Plan, box: tuple[float, float, float, float], at: Any) -> Plan:
    """Add a spare area along the north façade whose only way in is its own new door."""
    spare = SpareArea(id="spare-1", polygon=rect(*box), rent_eur_year=0.0)
    street = Entrance(id="spare-1-door", at=at, width_m=1.2, kind="spare")
    return plan.model_copy(update={"spares": [spare], "entrances": [*plan.entrances, street]})


def two_exit_corridor() -> Plan:
    return corridor_plan(
        ("west", (0.0, 1.0), "main"), ("south", (8.0, 0.0), "side"), length=70.0, room_at=2.0
    )


def test_a_spare_area_with_its_own_door_is_its_own_evacuation_area() -> None:
    """Its people leave by its door: not counted on the floor, its door no exit of the floor."""
    plain = egress_of(two_exit_corridor())
    let = egress_of(with_spare_door(two_exit_corridor(), (10.0, 2.0, 60.0, 6.0), (35.0, 6.0)))
    assert let.occupants == plain.occupants
    assert [e.id for e in let.exits] == [e.id for e in plain.exits] == ["west", "south"]
    assert "spare-1" not in let.routes
    assert "spare-1" not in let.unreachable
    # from the door in the middle of the 50 × 4 m area, the far corners are sqrt(25² + 4²) away
    route = let.own_routes["spare-1"]
    exact = math.hypot(25.0, 4.0)
    # the grid's eight moves overstate a straight walk by up to 8.2 %, plus the offsets of its ends
    assert exact - 1e-6 <= route.walked_m <= exact * 1.083 + 1.5, route.walked_m
    assert let.own_limit_m == 30.0
    # the same area opening onto the corridor instead is part of the floor: 200 m² of offices
    spare = SpareArea(id="spare-1", polygon=rect(10.0, 2.0, 60.0, 6.0), rent_eur_year=0.0)
    door = Door(
        id="door-spare-1", room="spare-1", to="corridor", at=(35.0, 2.0),
        wall=((10.0, 2.0), (60.0, 2.0)), width_m=1.0,
    )  # fmt: skip
    shared = two_exit_corridor()
    shared = shared.model_copy(update={"spares": [spare], "doors": [*shared.doors, door]})
    assert egress_of(shared).occupants == plain.occupants + math.ceil(200.0 / 6.0)


def test_r104_a_spare_area_too_deep_for_its_one_door() -> None:
    from configurator.review.rules import review_rules

    def r104(at: tuple[float, float]) -> list[str]:
        plan = with_spare_door(two_exit_corridor(), (10.0, 2.0, 60.0, 6.0), at)
        analysis = analysis_from_plan(plan, footprint=footprint_of(plan, polygon=rect(0, 0, 70, 6)))
        found = review_rules(analysis, catalog=CATALOG, rules=RULES)
        return [p.message for p in found.problems if p.code == "R104" and "spare-1" in p.ids]

    # the door near the west end: the east corners are sqrt(48² + 4²) = 48.2 m away, over 30 m
    [message] = r104((12.0, 6.0))
    assert "its own door spare-1-door" in message
    assert "against 30 m (one exit)" in message
    assert r104((35.0, 6.0)) == []


def test_a_spare_areas_walk_goes_to_the_nearer_of_its_own_doors() -> None:
    # doors near both ends of the 50 × 4 m area: the farthest point is mid-way, about 23 m off
    plan = with_spare_door(two_exit_corridor(), (10.0, 2.0, 60.0, 6.0), (12.0, 6.0))
    second = Entrance(id="spare-1-door-2", at=(58.0, 6.0), width_m=1.2, kind="spare")
    plan = plan.model_copy(update={"entrances": [*plan.entrances, second]})
    route = egress_of(plan).own_routes["spare-1"]
    exact = math.hypot(23.0, 4.0)
    assert exact - 1e-6 <= route.walked_m <= exact * 1.083 + 1.5, route.walked_m


def test_part_of_a_spare_area_its_door_cannot_reach_is_unreachable() -> None:
    # two 10 × 4 m halves joined by a 0.2 m neck: no one walks through it
    halves = Polygon(rect(10.0, 2.0, 20.0, 6.0)).union(Polygon(rect(20.0, 3.9, 20.2, 4.1)))
    halves = halves.union(Polygon(rect(20.2, 2.0, 30.2, 6.0)))
    spare = SpareArea(id="spare-1", polygon=list(halves.exterior.coords)[:-1], rent_eur_year=0.0)
    street = Entrance(id="spare-1-door", at=(15.0, 6.0), width_m=1.2, kind="spare")
    plan = two_exit_corridor()
    plan = plan.model_copy(update={"spares": [spare], "entrances": [*plan.entrances, street]})
    egress = egress_of(plan)
    assert "spare-1" in egress.unreachable
    assert egress.own_routes["spare-1"].walked_m == math.inf
