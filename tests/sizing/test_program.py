"""Space programme: area chain, rent allocation and the pooling comparison, by hand."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from configurator.inputs.catalog import Case, load_case
from configurator.sizing.program import compare_pooling, program_from_case
from tests.common import EXAMPLES, REPO


@pytest.fixture(scope="module")
def pori() -> Case:
    return load_case(REPO / "examples" / "pori.yaml")


def test_every_row_has_an_explanation_starting_with_its_count(pori: Case) -> None:
    program = program_from_case(pori)
    assert len(program.rows) == len(pori.catalog.space_types)
    for row in program.rows:
        assert row.explanation.startswith(f"{row.count} "), row


def test_area_chain_by_hand(pori: Case) -> None:
    program = program_from_case(pori)
    f = pori.scenario.factors
    net = math.fsum(r.count * r.unit_area_m2 for r in program.rows)
    assert program.totals.net_m2 == pytest.approx(net)
    assert program.totals.usable_m2 == pytest.approx(net * (1 + f.circulation_factor))
    assert program.totals.gross_m2 == pytest.approx(
        net * (1 + f.circulation_factor) * f.gross_factor
    )
    assert program.rent_eur_year == pytest.approx(
        program.totals.usable_m2 * f.rent_eur_per_m2_month * 12
    )
    assert math.fsum(program.net_by_zone.values()) == pytest.approx(net)
    assert math.fsum(program.net_by_privacy.values()) == pytest.approx(net)


def test_single_room_rows_draw_one_room(pori: Case) -> None:
    lounge = program_from_case(pori).row("waiting_lounge")
    assert lounge.rooms == 1
    assert lounge.room_area_m2 == pytest.approx(lounge.count * 1.9, rel=0.2)


def test_rent_allocation_adds_up(pori: Case) -> None:
    program = program_from_case(pori)
    assert math.fsum(c.share for c in program.allocation) == pytest.approx(1.0)
    assert math.fsum(c.rent_eur_year for c in program.allocation) == pytest.approx(
        program.rent_eur_year
    )
    shares = {c.agency: c.share for c in program.allocation}
    assert shares["te"] > shares["avi"], "the busiest partner pays more than the quietest"


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_shared_point_is_smaller_than_separate_offices(path: Path) -> None:
    case = load_case(path)
    comparison = compare_pooling(case)
    lines = {line.item: line for line in comparison.lines}
    assert lines["quick-service counters"].shared <= lines["quick-service counters"].separate
    assert comparison.shared_usable_m2 < comparison.separate_usable_m2
    assert comparison.saving_m2 == pytest.approx(
        comparison.separate_usable_m2 - comparison.shared_usable_m2
    )
    assert math.fsum(comparison.per_agency_usable_m2.values()) == pytest.approx(
        comparison.separate_usable_m2
    )
    assert "m²" in comparison.headline()


def test_agency_without_staff_has_no_separate_office(pori: Case) -> None:
    comparison = compare_pooling(pori)
    no_staff = {a.id for a in pori.scenario.agencies if a.staff_on_site == 0}
    assert set(comparison.without_office) == no_staff
    assert not no_staff & set(comparison.per_agency_usable_m2)
    for agency in no_staff:
        assert agency in comparison.headline()
