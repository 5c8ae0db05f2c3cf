"""The building-rule review: a plan that keeps every rule, and a broken copy per code.

The plan is the audit's sound plan (see ``test_audit``) made to keep the building rules too:
doors of a 10M module (1.0 m, 0.9 m clear), a staff corridor and link wide enough to turn a
wheelchair in, and windows along the back façade where the back office works.
"""

from __future__ import annotations

from typing import Any

import pytest

from configurator.inputs.catalog import DEFAULT_CATALOG, load_catalog
from configurator.model.plan import Entrance, Plan
from configurator.model.schema import BuildingRules, FireSafety
from configurator.review.geometry import analysis_from_plan
from configurator.review.rules import RULE_CODES, RuleReview, review_rules
from tests.common import turn_plan
from tests.review.test_audit import footprint_of, rect, room, sound_plan, with_room

CATALOG = load_catalog(DEFAULT_CATALOG)


def rules_plan() -> Plan:
    """The sound plan with 1.0 m doors, 1.5 m staff circulation and windows on the north."""
    plan = sound_plan()
    moved = {"back_office": (0.0, 12.0, 8.0, 15.0), "staff_wc": (8.0, 12.0, 10.0, 15.0)}
    rooms = [room(r.id, r.space_type, moved[r.id]) if r.id in moved else r for r in plan.rooms]
    corridors = []
    wider = {"staff_corridor": rect(0.0, 10.5, 20.0, 12.0), "staff_link": rect(8.0, 8.0, 9.5, 10.5)}
    for c in plan.corridors:
        widened = {"polygon": wider[c.id], "width_m": 1.5} if c.id in wider else {}
        corridors.append(c.model_copy(update=widened))
    doors = []
    for d in plan.doors:
        changes: dict[str, Any] = {"width_m": 1.0}
        if d.room in moved:
            x = d.at[0]
            changes |= {"at": (x, 12.0), "wall": ((d.wall[0][0], 12.0), (d.wall[1][0], 12.0))}
        if d.id == "door-staff_link":
            changes |= {"at": (8.75, 8.0), "wall": ((8.0, 8.0), (9.5, 8.0))}
        doors.append(d.model_copy(update=changes))
    return plan.model_copy(
        update={
            "rooms": rooms,
            "corridors": corridors,
            "doors": doors,
            "windows": [((0.0, 15.0), (20.0, 15.0))],
            "entrances": [
                Entrance(id="main_door", at=(4.0, 0.0), width_m=1.8, kind="main"),
                Entrance(id="staff_door", at=(20.0, 11.25), width_m=1.2, kind="staff"),
            ],
        }
    )


def review(plan: Plan, rules: BuildingRules | None = None, **footprint: Any) -> RuleReview:
    analysis = analysis_from_plan(plan, footprint=footprint_of(plan, **footprint))
    return review_rules(analysis, catalog=CATALOG, rules=rules or BuildingRules())


def codes(plan: Plan, rules: BuildingRules | None = None, **footprint: Any) -> set[str]:
    return {p.code for p in review(plan, rules, **footprint).problems}


def with_occupants(plan: Plan, **persons: int) -> Plan:
    for ident, count in persons.items():
        plan = with_room(plan, ident, occupants=count)
    return plan


def test_the_rules_plan_keeps_every_rule() -> None:
    found = review(rules_plan())
    assert found.problems == ()
    assert found.daylight_ok_share == 1.0


def test_every_code_has_a_meaning_and_names_its_source() -> None:
    for code, text in RULE_CODES.items():
        assert code.startswith("R")
        assert "§" in text or code in ("R106", "R302"), "each rule names its section"


def test_r101_one_exit_for_more_than_sixty_people() -> None:
    plan = with_occupants(rules_plan(), back_office=70)
    plan = plan.model_copy(update={"entrances": [plan.entrances[0]]})
    assert "R101" in codes(plan, entrances=[{"id": "main_door", "at": [4.0, 0.0], "width_m": 1.8}])


def test_r102_the_first_exit_narrower_than_1200() -> None:
    plan = rules_plan()
    narrow = [e.model_copy(update={"width_m": 1.0}) for e in plan.entrances]
    assert "R102" in codes(plan.model_copy(update={"entrances": narrow}))


def test_r102_a_second_exit_of_900_is_enough_for_sixty() -> None:
    plan = rules_plan()
    narrow = [e.model_copy(update={"width_m": 0.9}) if e.id == "staff_door" else e
              for e in plan.entrances]  # fmt: skip
    assert "R102" not in codes(plan.model_copy(update={"entrances": narrow}))
    crowded = with_occupants(plan.model_copy(update={"entrances": narrow}), back_office=61)
    assert "R102" in codes(crowded)


def test_r103_exits_too_narrow_together_for_the_load() -> None:
    # 3.0 m of exits; 400 people need 1.2 + 0.4 × 5 = 3.2 m
    plan = with_occupants(rules_plan(), back_office=200, **{"meeting_room_2-1": 200})
    found = review(plan)
    assert "R103" in {p.code for p in found.problems}
    # 200 + 200 as declared, and the rooms that declare no one by their drawn use: the lobby's
    # 12 m² at 0.7 m² a person (18), the guard post's 2 seats and the secure room's 3
    assert found.egress.occupants == 200 + 200 + 18 + 2 + 3


def test_a_room_declaring_no_one_still_counts_the_people_its_floor_holds() -> None:
    """The load is read from the drawing too: the hand-made plan's rooms declare no occupants,
    yet its 24 m² back office holds 4 people at 6 m² each, the lobby's 12 m² 18 at 0.7 m², and
    the meeting room, guard post and secure room their 3, 2 and 3 seats; WCs hold no one."""
    found = review(rules_plan())
    assert all(r.occupants == 0 for r in rules_plan().rooms)
    assert found.egress.occupants == 4 + 18 + 3 + 2 + 3


def test_r104_a_walk_longer_than_the_limit_and_the_exit_that_would_fix_it() -> None:
    plan = rules_plan()
    tight = BuildingRules(fire=FireSafety(separate_exits_m=50.0))  # both doors one exit: 30 m
    found = review(plan, tight)
    assert found.egress.limit_m == 30.0
    assert "R104" not in {p.code for p in found.problems}, "20 × 15 m: every walk is under 30 m"
    long = long_plan()
    analysis = analysis_from_plan(
        long, footprint=footprint_of(long, polygon=[list(p) for p in long.footprint])
    )
    result = review_rules(analysis, catalog=CATALOG, rules=BuildingRules(), suggest=True)
    r104 = [p for p in result.problems if p.code == "R104"]
    assert r104, "the far end of a 70 m corridor is over 45 m from both exits"
    assert "an exit on the façade at" in r104[0].message


def long_plan() -> Plan:
    """A 70 m corridor with exits at its west end and a room at its east end."""
    from tests.review.test_egress import corridor_plan

    plan = corridor_plan(
        ("west", (0.0, 1.0), "main"), ("south", (8.0, 0.0), "side"), length=70.0, room_at=62.0
    )
    return plan.model_copy(update={"windows": [((0.0, 6.0), (70.0, 6.0))]})


def test_r105_a_corridor_too_narrow_for_the_people_on_it() -> None:
    # 200 people leave the back office along the 1.5 m staff corridor; they need 2.0 m
    assert "R105" in codes(with_occupants(rules_plan(), back_office=200))


def test_r106_no_exit_reachable() -> None:
    plan = rules_plan()
    cut = plan.model_copy(
        update={
            "doors": [d for d in plan.doors if d.id != "door-staff_link"],
            "entrances": [plan.entrances[0]],
        }
    )
    found = review(cut, entrances=[{"id": "main_door", "at": [4.0, 0.0], "width_m": 1.8}])
    assert "R106" in {p.code for p in found.problems}
    assert "back_office" in found.egress.unreachable


def test_r201_a_passage_door_of_850_clear_is_needed() -> None:
    plan = rules_plan()
    doors = [d.model_copy(update={"width_m": 0.9}) if d.id == "door-staff_link" else d
             for d in plan.doors]  # fmt: skip
    assert "R201" in codes(plan.model_copy(update={"doors": doors}))


def test_r201_the_accessible_wc_door_counts_as_a_passage_door() -> None:
    plan = rules_plan()
    doors = [d.model_copy(update={"width_m": 0.9}) if d.id == "door-customer_wc" else d
             for d in plan.doors]  # fmt: skip
    assert "R201" in codes(plan.model_copy(update={"doors": doors}))


def test_r202_a_room_door_of_800_clear() -> None:
    plan = rules_plan()
    ok = [d.model_copy(update={"width_m": 0.9}) if d.id == "door-meeting" else d
          for d in plan.doors]  # fmt: skip
    assert "R202" not in codes(plan.model_copy(update={"doors": ok})), "0.9 m is 800 mm clear"
    bad = [d.model_copy(update={"width_m": 0.85}) if d.id == "door-meeting" else d
           for d in plan.doors]  # fmt: skip
    assert "R202" in codes(plan.model_copy(update={"doors": bad}))


def test_r203_a_long_narrow_corridor_without_a_turning_space() -> None:
    assert "R203" in codes(sound_plan_with_wide_doors()), "the 1.2 m staff corridor, 20 m long"


def sound_plan_with_wide_doors() -> Plan:
    plan = sound_plan()
    return plan.model_copy(
        update={"doors": [d.model_copy(update={"width_m": 1.0}) for d in plan.doors]}
    )


def test_r204_a_wc_too_narrow_for_the_space_beside_the_seat() -> None:
    plan = rules_plan()
    narrow = with_room(plan, "customer_wc", polygon=rect(3.0, 4.0, 4.8, 6.5))
    assert "R204" in codes(narrow)


def test_r205_no_turning_space_in_front_of_the_wc() -> None:
    plan = rules_plan()
    # the WC opens onto the 1.5 m visitor corridor from above: a circle fits there (1.5 m)
    assert "R205" not in codes(plan)
    moved = with_room(plan, "customer_wc", polygon=rect(10.0, 8.0, 12.0, 10.5))
    doors = [
        d.model_copy(update={"at": (11.0, 8.0), "wall": ((10.0, 8.0), (12.0, 8.0)),
                             "to": "visitor_corridor"})
        if d.id == "door-customer_wc" else d
        for d in moved.doors
    ]  # fmt: skip
    narrow = [
        c.model_copy(update={"polygon": rect(0.0, 6.8, 20.0, 8.0), "width_m": 1.2})
        if c.id == "visitor_corridor" else c
        for c in moved.corridors
    ]  # fmt: skip
    assert "R205" in codes(moved.model_copy(update={"doors": doors, "corridors": narrow}))


def test_r301_a_back_office_without_windows() -> None:
    plan = rules_plan().model_copy(update={"windows": [((0.0, 0.0), (20.0, 0.0))]})
    found = review(plan)
    assert "R301" in {p.code for p in found.problems}
    assert found.daylight_ok_share < 1.0


def test_r301_too_little_windowed_facade_for_the_floor() -> None:
    # the back office's 24 m² need 24 × 10 % / 1.2 m = 2 m of windows; give it 1.5 m
    plan = rules_plan().model_copy(update={"windows": [((0.0, 15.0), (1.5, 15.0))]})
    assert "R301" in codes(plan)
    enough = rules_plan().model_copy(update={"windows": [((0.0, 15.0), (2.0, 15.0))]})
    assert "R301" not in codes(enough)


def test_r302_counters_far_from_any_window() -> None:
    plan = rules_plan()
    counters = room("quick_service_counter", "quick_service_counter", (14.0, 0.5, 18.0, 3.5),
                    enclosed=False)  # fmt: skip
    with_counters = plan.model_copy(update={"rooms": [*plan.rooms, counters]})
    assert "R302" in codes(with_counters)
    windowed = with_counters.model_copy(
        update={"windows": [*with_counters.windows, ((10.0, 0.0), (20.0, 0.0))]}
    )
    assert "R302" not in codes(windowed)


@pytest.mark.parametrize("degrees", [17.0, 90.0])
def test_a_turned_rules_plan_still_keeps_every_rule(degrees: float) -> None:
    plan = turn_plan(rules_plan(), degrees)
    polygon = [list(p) for p in plan.footprint]
    entrances = [{"id": e.id, "at": list(e.at), "width_m": e.width_m, "kind": e.kind}
                 for e in plan.entrances]  # fmt: skip
    assert review(plan, polygon=polygon, entrances=entrances).problems == ()


def test_r106_a_floor_whose_entrances_open_into_nothing_has_every_space_unreachable() -> None:
    """Entrances moved off the plan in CAD leave no exit at all: every space is R106, where the
    review had raised an IndexError."""
    plan = rules_plan()
    gone = [e.model_copy(update={"at": (-40.0, -40.0)}) for e in plan.entrances]
    plan = plan.model_copy(update={"entrances": gone})
    far = [{"id": "main_door", "at": [-40.0, -40.0], "width_m": 1.8}]
    found = review(plan, entrances=far)
    assert "R106" in {p.code for p in found.problems}
    assert set(found.egress.unreachable) >= {r.id for r in plan.rooms}
