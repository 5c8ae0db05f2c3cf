"""Define the block-layout problem and solution models, and load problems from JSON.

A block problem is an unequal-area facility layout problem (UA-FLP): rectangles of given
areas are placed in a rectangular facility without overlap, each within its own shape limit,
so as to minimise the flow-weighted rectilinear distance between rectangle centres.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Annotated, Any, Self

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

__all__ = [
    "METADATA_KEYS",
    "Anchor",
    "Block",
    "BlockProblem",
    "BlockProblemError",
    "BlockSolution",
    "Department",
    "Facility",
    "NoFeasibleLayoutError",
    "Region",
    "feasible_width_range",
    "load_problem",
]

#: Top-level keys of a problem file that describe the instance but do not change it.
#: They are accepted and ignored by :func:`load_problem`; any other unknown key is an error.
METADATA_KEYS = frozenset(
    {
        "name",
        "source",
        "origin",
        "metric",
        "objective",
        "best_known",
        "data_crosscheck",
        "data_variants",
        "notes",
        "free_area",
        "description",
    }
)

_REL_TOL = 1e-9

PositiveFloat = Annotated[float, Field(gt=0, allow_inf_nan=False)]
NonNegFloat = Annotated[float, Field(ge=0, allow_inf_nan=False)]
FiniteFloat = Annotated[float, Field(allow_inf_nan=False)]


class BlockProblemError(ValueError):
    """Raise for a block problem that is malformed or cannot be solved as stated.

    ``problems`` holds one human-readable line per problem found, each naming the file (when
    known) and the field.
    """

    def __init__(self, problems: list[str] | str) -> None:
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("\n".join(self.problems))


class NoFeasibleLayoutError(BlockProblemError):
    """Raise when the search found no layout meeting every constraint within its budget."""


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Facility(_Frozen):
    """The rectangular facility; its lower-left corner is the origin."""

    width: PositiveFloat = Field(description="Extent along x, in length units.")
    height: PositiveFloat = Field(description="Extent along y, in length units.")


class Region(_Frozen):
    """An axis-parallel rectangle given by its lower-left corner and its size."""

    x: FiniteFloat = Field(description="Lower-left corner, x.")
    y: FiniteFloat = Field(description="Lower-left corner, y.")
    width: PositiveFloat = Field(description="Extent along x.")
    height: PositiveFloat = Field(description="Extent along y.")


class Department(_Frozen):
    """One block to place: its area and shape limits, optionally confined to a region."""

    id: str = Field(min_length=1, description="Unique identifier, echoed in the solution.")
    area: PositiveFloat = Field(description="Required area, in squared length units.")
    max_aspect: Annotated[float, Field(ge=1, allow_inf_nan=False)] | None = Field(
        default=None, description="Upper bound on longer side / shorter side; null = none."
    )
    min_side: PositiveFloat | None = Field(
        default=None, description="Lower bound on both sides; null = none."
    )
    region: Region | None = Field(
        default=None,
        description=(
            "Optional rectangle the block must lie in (e.g. a zone of a floor plan). A region "
            "exactly the block's size fixes its position."
        ),
    )


class Anchor(_Frozen):
    """A fixed point (e.g. an entrance) with flows to some departments."""

    id: str = Field(min_length=1, description="Identifier, for messages only.")
    x: FiniteFloat = Field(description="Point x coordinate.")
    y: FiniteFloat = Field(description="Point y coordinate.")
    flows: dict[str, NonNegFloat] = Field(
        description="Flow between this point and each named department (by department id)."
    )


class BlockProblem(_Frozen):
    """An unequal-area facility layout problem with optional anchors and regions.

    The objective is the sum over ordered pairs ``i != j`` of ``flows[i][j]`` times the
    rectilinear distance between the centres of blocks ``i`` and ``j``, plus, for each anchor,
    its flow to a department times the rectilinear distance from the anchor to that block's
    centre. The flow matrix is used as given (not symmetrised).
    """

    name: str | None = Field(default=None, description="Optional instance name.")
    facility: Facility = Field(description="The facility rectangle.")
    departments: list[Department] = Field(
        min_length=1, description="The blocks to place, in the order of the flow matrix."
    )
    flows: list[list[NonNegFloat]] = Field(
        description="Square matrix: flows[i][j] is the flow from department i to department j."
    )
    anchors: list[Anchor] = Field(
        default_factory=list, description="Optional fixed points with flows to departments."
    )

    @model_validator(mode="after")
    def _check_consistency(self) -> Self:
        """Reject duplicate ids, a non-square flow matrix and anchors naming unknown ids."""
        n = len(self.departments)
        ids = [d.id for d in self.departments]
        seen: set[str] = set()
        for k, i in enumerate(ids):
            if i in seen:
                raise ValueError(f"departments.{k}.id: duplicate id {i!r}")
            seen.add(i)
        if len(self.flows) != n:
            raise ValueError(
                f"flows: expected {n} rows (one per department), got {len(self.flows)}"
            )
        for r, row in enumerate(self.flows):
            if len(row) != n:
                raise ValueError(f"flows.{r}: expected {n} columns, got {len(row)}")
        for k, a in enumerate(self.anchors):
            for dep in a.flows:
                if dep not in seen:
                    raise ValueError(f"anchors.{k}.flows: unknown department id {dep!r}")
        return self

    @property
    def n(self) -> int:
        """Return the number of departments."""
        return len(self.departments)

    def ids(self) -> list[str]:
        """Return the department ids in problem order."""
        return [d.id for d in self.departments]


class Block(_Frozen):
    """One placed rectangle: lower-left corner and size."""

    id: str = Field(min_length=1, description="Department id.")
    x: FiniteFloat = Field(description="Lower-left corner, x.")
    y: FiniteFloat = Field(description="Lower-left corner, y.")
    width: PositiveFloat = Field(description="Extent along x.")
    height: PositiveFloat = Field(description="Extent along y.")

    @property
    def cx(self) -> float:
        """Return the centre x coordinate."""
        return self.x + self.width / 2

    @property
    def cy(self) -> float:
        """Return the centre y coordinate."""
        return self.y + self.height / 2


class BlockSolution(_Frozen):
    """A layout: one block per department (problem order) and its objective value."""

    blocks: list[Block] = Field(description="One rectangle per department, in problem order.")
    objective: NonNegFloat = Field(description="Objective value of this layout.")


def feasible_width_range(
    area: float,
    max_aspect: float | None,
    min_side: float | None,
    box_width: float,
    box_height: float,
) -> tuple[float, float]:
    """Return the interval of widths a block may take inside a box; empty when lo > hi.

    A width ``w`` is allowed when ``h = area / w`` fits the box and the shape limits hold.
    """
    lo = area / box_height
    hi = box_width
    if max_aspect is not None:
        lo = max(lo, math.sqrt(area / max_aspect))
        hi = min(hi, math.sqrt(area * max_aspect))
    if min_side is not None:
        lo = max(lo, min_side)
        hi = min(hi, area / min_side)
    return lo, hi


def check_solvable(problem: BlockProblem, where: str = "<problem>") -> None:
    """Raise BlockProblemError when the problem is plainly infeasible; list every reason.

    Checks that the total area fits the facility and that every department has some shape
    allowed by its limits that fits in the facility (and in its region, when given).
    """
    fw, fh = problem.facility.width, problem.facility.height
    errors: list[str] = []
    total = sum(d.area for d in problem.departments)
    if total > fw * fh * (1 + _REL_TOL):
        errors.append(
            f"{where}: departments: total area {total:g} exceeds the facility area "
            f"{fw * fh:g} ({fw:g} x {fh:g})"
        )
    for k, d in enumerate(problem.departments):
        bw, bh = fw, fh
        label = "the facility"
        if d.region is not None:
            r = d.region
            if (
                r.x < -_REL_TOL * fw
                or r.y < -_REL_TOL * fh
                or (r.x + r.width > fw * (1 + _REL_TOL) or r.y + r.height > fh * (1 + _REL_TOL))
            ):
                errors.append(f"{where}: departments.{k}.region: not inside the facility")
                continue
            bw, bh = r.width, r.height
            label = "its region"
        lo, hi = feasible_width_range(d.area, d.max_aspect, d.min_side, bw, bh)
        if lo > hi * (1 + _REL_TOL):
            limits = []
            if d.max_aspect is not None:
                limits.append(f"max_aspect {d.max_aspect:g}")
            if d.min_side is not None:
                limits.append(f"min_side {d.min_side:g}")
            lim = " and ".join(limits) if limits else "no shape limit"
            errors.append(
                f"{where}: departments.{k} (id {d.id!r}): area {d.area:g} with {lim} cannot "
                f"fit in {label} ({bw:g} x {bh:g})"
            )
    if errors:
        raise BlockProblemError(errors)


def _format_validation_error(exc: ValidationError, where: str) -> list[str]:
    """Turn a pydantic error into one line per problem, naming the file and the field."""
    lines = []
    for err in exc.errors():
        loc = ".".join(str(p) for p in err["loc"]) or "(top level)"
        msg = err["msg"]
        if msg.startswith("Value error, "):
            msg = msg[len("Value error, ") :]
            # consistency errors carry their own field path as "path: message"
            if ": " in msg and loc == "(top level)":
                loc, msg = msg.split(": ", 1)
        lines.append(f"{where}: {loc}: {msg}")
    return lines


def problem_from_data(data: Any, where: str = "<problem>") -> BlockProblem:
    """Validate already-parsed JSON data as a block problem; raise BlockProblemError if bad.

    Top-level keys listed in :data:`METADATA_KEYS` other than ``name`` are ignored.
    """
    if not isinstance(data, dict):
        raise BlockProblemError(f"{where}: (top level): expected a JSON object")
    known = set(BlockProblem.model_fields)
    unknown = sorted(k for k in data if k not in known and k not in METADATA_KEYS)
    if unknown:
        raise BlockProblemError([f"{where}: {k}: unknown field" for k in unknown])
    fields = {k: v for k, v in data.items() if k in known}
    if not isinstance(fields.get("name", ""), str):
        fields.pop("name")
    try:
        return BlockProblem.model_validate(fields)
    except ValidationError as exc:
        raise BlockProblemError(_format_validation_error(exc, where)) from None


def load_problem(path: str | Path) -> BlockProblem:
    """Read and validate a block problem from a JSON file; raise BlockProblemError if bad.

    Only structure is checked here; :func:`solve_blocks` also checks solvability.
    """
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise BlockProblemError(f"{p}: file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise BlockProblemError(f"{p}: cannot read file: {exc}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BlockProblemError(
            f"{p}: invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}"
        ) from None
    return problem_from_data(data, str(p))
