"""Tests of the compiled annealing kernel against plain-Python references written here."""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from configurator.blocks import _kernel
from configurator.blocks._canon import Canon, canonicalise
from configurator.blocks._slicing import (
    H_CUT,
    V_CUT,
    Box,
    SearchResult,
    _arrangements,
    _Arrays,
    _frontier,
    anneal,
    anneal_population,
    anneal_tempering,
    box_rect,
    initial_expressions,
    layout_rects as slicing_rects,
    rearrange,
)
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


def _all_postfix(k: int) -> list[list[int]]:
    """Every postfix expression over slots 0..k-1 in order, with any cuts (reference)."""
    out: list[list[int]] = []

    def grow(seq: list[int], operands: int, cuts: int) -> None:
        if operands == k and cuts == k - 1:
            out.append(seq)
        if operands < k:
            grow([*seq, operands], operands + 1, cuts)
        if cuts < operands - 1:
            for op in (V_CUT, H_CUT):
                grow([*seq, op], operands, cuts + 1)

    grow([0], 1, 0)
    return out


def _layout_key(c: Canon, expr: list[int]) -> tuple[tuple[float, ...], ...]:
    """The blocks of an expression rounded, to compare layouts (not expressions)."""
    rects = slicing_rects(c, expr, (1.0, 0.5, 0.5, 0.5))
    assert rects is not None
    return tuple(tuple(round(v, 9) for v in r) for r in rects)


def test_arrangements_are_every_slicing_layout_once() -> None:
    """Skeletons count the large Schröder numbers and give each distinct layout exactly once.

    The reference cuts the slots with every postfix expression (redundant ones included:
    V(V(a, b), c) and V(a, V(b, c)) are the same layout) and counts distinct layouts.
    """
    assert [len(_arrangements(k)[0]) for k in range(1, 6)] == [1, 2, 6, 22, 90]
    assert [len(_arrangements(k)[1]) for k in range(1, 6)] == [1, 2, 6, 24, 120]
    for k in (3, 4):
        # distinct areas and no shape limits: every expression is a layout, all different
        c = canonicalise(
            BlockProblem(
                facility=Facility(width=1.0, height=0.1 * (2**k - 1)),
                departments=[Department(id=str(i), area=0.1 * 2**i) for i in range(k)],
                flows=[[0.0] * k for _ in range(k)],
            )
        )
        mine = {_layout_key(c, [int(t) for t in sk]) for sk in _arrangements(k)[0]}
        assert len(mine) == len(_arrangements(k)[0])
        assert mine == {_layout_key(c, e) for e in _all_postfix(k)}


@settings(max_examples=25, deadline=None)
@given(n=st.integers(3, 9), seed=st.integers(0, 10_000), parts=st.integers(2, 4))
def test_best_rearrangement_matches_brute_force(n: int, seed: int, parts: int) -> None:
    """The compiled rearrangement finds the best of all arrangements, checked in Python."""
    c = _problem(n, seed, 0.0)
    arrays = _Arrays(c)
    rng = random.Random(seed)
    expr = initial_expressions(c, rng, 1)[0]
    cuts = [p for p, t in enumerate(expr) if t < 0]
    root = rng.choice(cuts)
    lo, seg_lo, seg_hi = _frontier(np.array(expr, dtype=np.int64), root, parts)
    segments = [expr[a:b] for a, b in zip(seg_lo, seg_hi, strict=True)]
    assert sorted(t for seg in segments for t in seg if t >= 0) == sorted(
        t for t in expr[lo : root + 1] if t >= 0
    )
    box: Box = (1.0, 0.5, 0.5, 0.5)
    start = _reference_objective(c, expr, box)
    best = start if start is not None else float("inf")
    for sk in _all_postfix(len(segments)):
        for order in itertools.permutations(range(len(segments))):
            body = [t for v in sk for t in (segments[order[v]] if v >= 0 else [v])]
            ref = _reference_objective(c, expr[:lo] + body + expr[root + 1 :], box)
            if ref is not None:
                best = min(best, ref)
    skeletons, orders = _arrangements(len(segments))
    out = np.empty(len(expr), dtype=np.int64)
    bx, by, bw, bh = box_rect(c, box)
    got = _kernel.best_rearrangement(
        np.array(expr, dtype=np.int64), lo, seg_lo, seg_hi, skeletons, orders, out,
        bx, by, bw, bh, *arrays.data(),
    )  # fmt: skip
    if best == float("inf"):
        assert got == best
    else:
        assert abs(got - best) <= 1e-9 * max(1.0, best)
        assert _valid_postfix(out.tolist(), n)
        ref = _reference_objective(c, out.tolist(), box)
        assert ref is not None
        assert abs(ref - got) <= 1e-9 * max(1.0, got)


def test_rearrange_never_worsens_and_reports_true_objective() -> None:
    """Local search by rearrangement: a valid expression, no worse, objective recomputed."""
    for seed in range(6):
        c = _problem(10, seed, 0.0)
        arrays = _Arrays(c)
        box: Box = (1.0, 0.5, 0.5, 0.5)
        for expr in initial_expressions(c, random.Random(seed), 4):
            start = _reference_objective(c, expr, box)
            obj, better, evals = rearrange(arrays, expr, box, 10**9)
            if start is None:
                assert obj == float("inf")
                assert better == expr
                continue
            assert evals > 1
            assert obj <= start
            assert _valid_postfix(better, c.n)
            ref = _reference_objective(c, better, box)
            assert ref is not None
            assert abs(ref - obj) <= 1e-9 * obj


@pytest.mark.parametrize(
    ("search", "slack", "moves"),
    [(anneal_population, 0.25, 40_000), (anneal_tempering, 0.0, 60_000)],
    ids=["population", "tempering"],
)
def test_search_is_reproducible_and_returns_true_objectives(
    search: Callable[..., SearchResult], slack: float, moves: int
) -> None:
    """Same seed, same elites; each elite's objective is that of its Python layout."""
    c = _problem(9, 11 if slack else 3, slack)
    first = search(c, random.Random(5), moves, float("inf"))
    again = search(c, random.Random(5), moves, float("inf"))
    assert first.elites == again.elites
    assert first.elites
    objectives = [obj for obj, _, _ in first.elites]
    assert objectives == sorted(objectives)
    for obj, expr, box in first.elites:
        assert _valid_postfix(expr, c.n)
        ref = _reference_objective(c, expr, box)
        assert ref is not None
        assert abs(obj - ref) <= 1e-9 * ref
