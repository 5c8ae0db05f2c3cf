"""Check a block layout independently of the solver and recompute its objective.

Nothing here trusts the solver: the objective is recomputed from the rectangles, and every
constraint (inside the facility, no overlap, area, shape limits, regions) is re-checked.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from configurator.blocks.model import BlockProblem, BlockSolution

__all__ = ["CheckReport", "check_solution", "layout_objective"]

#: Tolerance on lengths (overlap depth, sticking out of the facility or region), absolute...
LENGTH_TOL = 1e-6
#: ...or relative to the facility's longer side, whichever is larger: the LP places blocks to
#: about 1e-9 of the problem's scale, so a facility drawn in millimetres (a 7 600 mm side)
#: overlaps by a few micro-units where the same layout in metres overlaps by nothing.
LENGTH_REL_TOL = 1e-8
#: Relative tolerance on areas: each block's area must be within 1 % of its target.
AREA_REL_TOL = 0.01
#: Relative tolerance on shape limits (aspect ratio, minimum side).
SHAPE_REL_TOL = 1e-6


class CheckReport(BaseModel):
    """The outcome of checking a layout: feasibility, the recomputed objective, violations."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    feasible: bool = Field(description="True when no constraint is violated.")
    objective: float = Field(ge=0, description="Objective recomputed from the rectangles.")
    reported_objective: float = Field(description="Objective the solution claims.")
    violations: list[str] = Field(description="One line per violated constraint.")
    max_area_error: float = Field(ge=0, description="Largest |area / target - 1| over blocks.")
    max_overlap: float = Field(ge=0, description="Largest overlap depth between two blocks.")

    @property
    def objective_matches(self) -> bool:
        """Return whether the reported objective agrees with the recomputed one (1e-6 rel)."""
        return abs(self.objective - self.reported_objective) <= 1e-6 * max(1.0, self.objective)


def layout_objective(problem: BlockProblem, solution: BlockSolution) -> float:
    """Return the objective of a layout, recomputed from its rectangle centres.

    Blocks are matched to departments by id, so their order does not matter.
    """
    by_id = {b.id: b for b in solution.blocks}
    centres = [(by_id[d.id].cx, by_id[d.id].cy) for d in problem.departments]
    total = 0.0
    for i, row in enumerate(problem.flows):
        xi, yi = centres[i]
        for j, f in enumerate(row):
            if i != j and f:
                xj, yj = centres[j]
                total += f * (abs(xi - xj) + abs(yi - yj))
    index = {d.id: k for k, d in enumerate(problem.departments)}
    for a in problem.anchors:
        for dep, f in a.flows.items():
            if f:
                x, y = centres[index[dep]]
                total += f * (abs(a.x - x) + abs(a.y - y))
    return total


def check_solution(problem: BlockProblem, solution: BlockSolution) -> CheckReport:
    """Check every constraint of a layout and recompute its objective.

    Returns a report; ``feasible`` is True only when each department has exactly one block,
    every block lies inside the facility (and its region), no two blocks overlap by more than
    the length tolerance, each area is within 1 % of its target and the shape limits hold.
    """
    violations: list[str] = []
    ids = [d.id for d in problem.departments]
    got = [b.id for b in solution.blocks]
    if sorted(got) != sorted(ids) or len(set(got)) != len(got):
        missing = sorted(set(ids) - set(got))
        extra = sorted(set(got) - set(ids))
        dup = sorted({g for g in got if got.count(g) > 1})
        violations.append(f"block ids do not match: missing {missing}, extra {extra}, dup {dup}")
        return CheckReport(
            feasible=False,
            objective=0.0,
            reported_objective=solution.objective,
            violations=violations,
            max_area_error=0.0,
            max_overlap=0.0,
        )
    by_id = {b.id: b for b in solution.blocks}
    fw, fh = problem.facility.width, problem.facility.height
    tol = max(LENGTH_TOL, LENGTH_REL_TOL * max(fw, fh))
    max_area_err = 0.0
    for d in problem.departments:
        b = by_id[d.id]
        if b.x < -tol or b.y < -tol:
            violations.append(f"{d.id}: lower-left corner ({b.x:g}, {b.y:g}) outside facility")
        if b.x + b.width > fw + tol or b.y + b.height > fh + tol:
            violations.append(f"{d.id}: upper-right corner outside facility {fw:g} x {fh:g}")
        if d.region is not None:
            r = d.region
            if (
                b.x < r.x - tol
                or b.y < r.y - tol
                or b.x + b.width > r.x + r.width + tol
                or b.y + b.height > r.y + r.height + tol
            ):
                violations.append(f"{d.id}: not inside its region")
        err = abs(b.width * b.height / d.area - 1.0)
        max_area_err = max(max_area_err, err)
        if err > AREA_REL_TOL:
            violations.append(
                f"{d.id}: area {b.width * b.height:g} is not within 1 % of {d.area:g}"
            )
        long_side, short_side = max(b.width, b.height), min(b.width, b.height)
        if d.max_aspect is not None and long_side > d.max_aspect * short_side * (1 + SHAPE_REL_TOL):
            violations.append(
                f"{d.id}: aspect {long_side / short_side:g} exceeds max_aspect {d.max_aspect:g}"
            )
        if d.min_side is not None and short_side < d.min_side * (1 - SHAPE_REL_TOL):
            violations.append(f"{d.id}: side {short_side:g} below min_side {d.min_side:g}")
    blocks = [by_id[i] for i in ids]
    max_overlap = 0.0
    for a_idx in range(len(blocks)):
        a = blocks[a_idx]
        for b in blocks[a_idx + 1 :]:
            ox = min(a.x + a.width, b.x + b.width) - max(a.x, b.x)
            oy = min(a.y + a.height, b.y + b.height) - max(a.y, b.y)
            depth = min(ox, oy)
            if depth > 0:
                max_overlap = max(max_overlap, depth)
                if depth > tol:
                    violations.append(f"{a.id} and {b.id} overlap by {depth:g}")
    return CheckReport(
        feasible=not violations,
        objective=layout_objective(problem, solution),
        reported_objective=solution.objective,
        violations=violations,
        max_area_error=max_area_err,
        max_overlap=max_overlap,
    )
