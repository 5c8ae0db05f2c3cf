"""The programme check of a plan read back: a room may be drawn larger to reach a wall."""

from __future__ import annotations

from configurator.review.plan_diff import ProgrammeCheck, RoomDeviation, SpaceTypeCheck


def check(drawn_m2: float, growth_share: float) -> ProgrammeCheck:
    room = RoomDeviation(room="office-1", programme_m2=10.0, drawn_m2=drawn_m2)
    row = SpaceTypeCheck(
        space_type="office", zone="staff", programme_rooms=1, drawn_rooms=1, rooms=[room]
    )
    return ProgrammeCheck(
        space_types=[row],
        misplaced=[],
        unknown_rooms=[],
        area_tolerance=0.10,
        growth_share=growth_share,
    )


def test_a_room_drawn_to_the_wall_is_within_the_growth_allowed() -> None:
    # 14 m² for 10 m²: +40 %, within 10 % + 50 %; not within 10 % alone
    assert check(14.0, 0.5).ok
    assert "within −10%…+60%" in check(14.0, 0.5).lines()[0]
    assert [r.room for r in check(14.0, 0.0).area_deviations] == ["office-1"]


def test_a_room_drawn_smaller_than_its_programme_is_off_whatever_the_growth() -> None:
    # 8.5 m² for 10 m²: −15 %, more than the 10 % a room may be short
    found = check(8.5, 0.5)
    assert not found.ok
    assert found.lines() == ["office-1: 8.5 m² drawn, 10.0 m² programmed (-15%)"]
    assert check(17.0, 0.5).area_deviations, "+70 % is beyond 10 % + 50 %"
