"""Plans on random footprints for the simulation's tests: the layout-rate benchmark's kinds
(turned, L/U/T, trapezoids, chamfers; cores, courtyards, columns, side doors)."""

from __future__ import annotations

import random

import pytest

from configurator.inputs.catalog import Case, load_case
from configurator.model.errors import LayoutError
from configurator.model.plan import Plan
from configurator.model.schema import Footprint
from configurator.review.options import options_from_case
from configurator.sizing.program import program_from_case
from tests.common import REPO
from tests.footprints import FootprintCase, footprint_case


def random_plan(seed: str, index: int) -> tuple[Case, Plan, Footprint, FootprintCase]:
    """Return Pori's (odd ``index``) or the small town's programme laid out in a random
    footprint drawn from ``seed``: the case, its best plan, the footprint and how it was made;
    skip the test where the layout finds no option."""
    rng = random.Random(f"{seed}-{index}")
    case = load_case(REPO / "examples" / ("pori.yaml" if index % 2 else "small_town.yaml"))
    program = program_from_case(case)
    made = footprint_case(rng, gross_m2=program.totals.gross_m2)
    footprint = Footprint.model_validate(made.footprint)
    sized = case.model_copy(
        update={"scenario": case.scenario.model_copy(update={"footprint": footprint})}
    )
    try:
        plan = options_from_case(sized, options=1, program=program)[0].plan
    except LayoutError:
        pytest.skip(f"{made}: no option")
    return sized, plan, footprint, made
