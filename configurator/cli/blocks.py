"""Provide the ``solve-blocks`` command: lay out blocks from a JSON problem file."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Annotated

import typer

from configurator.blocks import BlockProblemError, check_solution, load_problem, solve_blocks

__all__ = ["solve_blocks_command"]


def _write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` via a temporary file in the same directory and a rename."""
    directory = path.parent if str(path.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def solve_blocks_command(
    problem: Annotated[
        Path, typer.Argument(help="Problem JSON: facility, departments, flows (and anchors).")
    ],
    output: Annotated[
        Path, typer.Option("--output", "-o", help="Where to write the solution JSON.")
    ],
    time_limit: Annotated[
        float, typer.Option("--time-limit", min=0.1, help="Search time in seconds.")
    ] = 60.0,
    seed: Annotated[int, typer.Option("--seed", help="Random seed; same seed, same layout.")] = 0,
) -> None:
    """Lay out rectangular blocks of given areas to minimise flow-weighted distance."""
    try:
        prob = load_problem(problem)
        solution = solve_blocks(prob, time_limit=time_limit, seed=seed)
    except BlockProblemError as exc:
        for line in exc.problems:
            # messages from load_problem already name the file; solvability ones do not
            msg = line.replace("<problem>", str(problem))
            if not msg.startswith(str(problem)):
                msg = f"{problem}: {msg}"
            typer.echo(f"error: {msg}", err=True)
        raise typer.Exit(code=2) from None
    report = check_solution(prob, solution)
    if not report.feasible:  # pragma: no cover - the solver only returns checked layouts
        for v in report.violations:
            typer.echo(f"error: {problem}: solution check failed: {v}", err=True)
        raise typer.Exit(code=1)
    try:
        _write_atomic(output, json.dumps(solution.model_dump(mode="json"), indent=2) + "\n")
    except OSError as exc:
        typer.echo(f"error: {output}: cannot write output: {exc.strerror or exc}", err=True)
        raise typer.Exit(code=2) from None
    typer.echo(
        f"{problem.name}: {len(solution.blocks)} blocks, objective {solution.objective:.6g} "
        f"-> {output}"
    )
