"""Lay out rectangular blocks of given areas in a facility (unequal-area facility layout).

Public API: :func:`solve_blocks`, :func:`load_problem`, :func:`check_solution` and the
pydantic models :class:`BlockProblem` and :class:`BlockSolution`.
"""

from configurator.blocks.check import CheckReport, check_solution, layout_objective
from configurator.blocks.model import (
    Anchor,
    Block,
    BlockProblem,
    BlockProblemError,
    BlockSolution,
    Department,
    Facility,
    NoFeasibleLayoutError,
    Region,
    check_solvable,
    load_problem,
    problem_from_data,
)
from configurator.blocks.solver import iteration_budget, solve_blocks

__all__ = [
    "Anchor",
    "Block",
    "BlockProblem",
    "BlockProblemError",
    "BlockSolution",
    "CheckReport",
    "Department",
    "Facility",
    "NoFeasibleLayoutError",
    "Region",
    "check_solution",
    "check_solvable",
    "iteration_budget",
    "layout_objective",
    "load_problem",
    "problem_from_data",
    "solve_blocks",
]
