"""Tests of the compiled annealing kernel against plain-Python references written here."""

from __future__ import annotations

import random

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from configurator.blocks import _kernel
from configurator.blocks._canon import Canon, canonicalise
from configurator.blocks._slicing import (
    H_CUT,
    V_CUT,
    Box,
    anneal,
    anneal_population,
    box_rect,
    initial_expressions,
)
from configurator.blocks._slicing import layout_rects as slicing_rects
from configurator.blocks.model import BlockProblem, Department, Facility


def _problem(n: int, seed: int, slack: float) -> Canon:
    """Return the canonical form of a random problem with ``n`` departments."""
    rng = random.Random(seed)
    areas = [rng.uniform(1.0, 9.0) for _ in range(n)]
    total = sum(areas) * (1 + slack)
    width = (total * rng.uniform(1.0, 2.0)) ** 0.5
    flows = [[rng.choice([0.0, rng.uniform(0, 5)]) if i != j else 0.0 for j in range(n)]
             for i in range(n)]  # fmt: skip
    prob = BlockProblem(
        facility=Facility(width=width, height=total / width),
        departments=[
            Department(id=str(k), area=a, max_aspect=rng.choice([None, 3.0]))
            for k, a in enumerate(areas)
        ],
        flows=flows,
    )
    return canonicalise(prob)


def _valid_postfix(expr: list[int], n: int) -> bool:
    """Return whether ``expr`` is a slicing expression over departments 0..n-1 (reference)."""
    depth = 0
    for t in expr:
        if t >= 0:
            depth += 1
        elif t in (V_CUT, H_CUT):
            depth -= 1
            if depth < 1:
                return False
        else:
            return False
    return depth == 1 and sorted(t for t in expr if t >= 0) == list(range(n))


def _reference_objective(c: Canon, expr: list[int], box: Box) -> float | None:
    """Sum of flow x rectilinear distance between block centres, from the Python layout."""
    rects = slicing_rects(c, expr, box)
    if rects is None:
        return None
    cx = [x + w / 2 for x, _, w, _ in rects]
    cy = [y + h / 2 for _, y, _, h in rects]
    return sum(f * (abs(cx[i] - cx[j]) + abs(cy[i] - cy[j])) for i, j, f in c.pairs)


def _evaluate(c: Canon, expr: list[int], box: Box) -> tuple[float, float]:
    """Run the compiled evaluator on one expression."""
    m = len(expr)
    area = np.array(c.area)
    regions = np.full((c.n, 4), np.nan)
    pi = np.array([p[0] for p in c.pairs], dtype=np.int64)
    pj = np.array([p[1] for p in c.pairs], dtype=np.int64)
    pf = np.array([p[2] for p in c.pairs], dtype=np.float64)
    return _kernel.evaluate(
        np.array(expr, dtype=np.int64), *box_rect(c, box), area, np.array(c.wlo),
        np.array(c.whi), regions, pi, pj, pf, np.zeros((0, 4)), np.empty(c.n), np.empty(c.n),
        np.empty(m), np.empty(m, dtype=np.int64), np.empty((m + 1, 4)),
    )  # fmt: skip


@settings(max_examples=40, deadline=None)
@given(
    n=st.integers(2, 12),
    seed=st.integers(0, 10_000),
    slack=st.sampled_from([0.0, 0.25]),
    s=st.floats(0.0, 1.0),
    u=st.floats(0.0, 1.0),
)
def test_evaluate_matches_python_layout(
    n: int, seed: int, slack: float, s: float, u: float
) -> None:
    """The compiled objective is the flow-weighted centre distance of the Python layout.

    A shape violation is reported exactly when the Python layout finds a cell with no
    admissible block.
    """
    c = _problem(n, seed, slack)
    rng = random.Random(seed)
    box: Box = (s, u, rng.random(), rng.random())
    for expr in initial_expressions(c, rng, 4):
        obj, viol = _evaluate(c, expr, box)
        ref = _reference_objective(c, expr, box)
        assert (viol == 0.0) == (ref is not None)
        if ref is not None:
            assert abs(obj - ref) <= 1e-9 * max(1.0, ref)


@settings(max_examples=30, deadline=None)
@given(n=st.integers(2, 15), seed=st.integers(0, 10_000))
def test_mutate_keeps_valid_slicing_expressions(n: int, seed: int) -> None:
    """Every neighbour (over many chained moves) is a valid postfix slicing expression."""
    c = _problem(n, seed, 0.2)
    expr = np.array(initial_expressions(c, random.Random(seed), 1)[0], dtype=np.int64)
    m = len(expr)
    out, rest = np.empty(m, dtype=np.int64), np.empty(m, dtype=np.int64)
    st1, st2 = np.empty(m, dtype=np.int64), np.empty(m, dtype=np.int64)
    _kernel.seed(seed)
    changed = 0
    for _ in range(300):
        if _kernel.mutate(expr, out, rest, st1, st2):
            assert _valid_postfix(out.tolist(), n), out.tolist()
            changed += out.tolist() != expr.tolist()
            expr = out.copy()
    assert changed > 100  # the moves really move


def test_anneal_is_reproducible_and_improves_on_its_start() -> None:
    """Same seed, same search; the result beats the best of its random starting layouts."""
    c = _problem(10, 7, 0.2)
    first = anneal(c, random.Random(3), 20_000, float("inf"), restarts=2)
    again = anneal(c, random.Random(3), 20_000, float("inf"), restarts=2)
    assert first.elites == again.elites
    full: Box = (1.0, 0.5, 0.5, 0.5)
    starts = [_evaluate(c, e, full) for e in initial_expressions(c, random.Random(3), 50)]
    feasible_starts = [o for o, v in starts if v == 0.0]
    assert feasible_starts
    obj, expr, box = first.elites[0]
    assert obj < min(feasible_starts)
    ref = _reference_objective(c, expr, box)
    assert ref is not None
    assert abs(obj - ref) <= 1e-9 * ref


def test_population_annealing_is_reproducible_and_returns_true_objectives() -> None:
    """Same seed, same elites; each elite's objective is that of its Python layout."""
    c = _problem(9, 11, 0.25)
    first = anneal_population(c, random.Random(5), 40_000, float("inf"))
    again = anneal_population(c, random.Random(5), 40_000, float("inf"))
    assert first.elites == again.elites
    assert first.elites
    objectives = [obj for obj, _, _ in first.elites]
    assert objectives == sorted(objectives)
    for obj, expr, box in first.elites:
        assert _valid_postfix(expr, c.n)
        ref = _reference_objective(c, expr, box)
        assert ref is not None
        assert abs(obj - ref) <= 1e-9 * ref
