"""Compiled core of the slicing-tree annealing: evaluate, mutate and anneal in machine code.

The annealing spends nearly all its time evaluating slicing expressions (a stack walk over
``2n - 1`` tokens plus a sum over flow pairs) and drawing neighbours. Compiled with numba
(LLVM) these run some fifty times faster than in CPython, which is what lets a 60-second
search reach the quality of the literature's metaheuristics. The functions work on plain
numpy arrays; :mod:`configurator.blocks._slicing` wraps them for the rest of the solver.

Random numbers come from numba's own generator, seeded per run by :func:`seed`, so a given
seed gives the same search on every machine.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any, TypeVar, cast

import numba
import numpy as np
import numpy.typing as npt

__all__ = [
    "H_CUT",
    "V_CUT",
    "anneal_chunk",
    "best_rearrangement",
    "evaluate",
    "mutate",
    "scratch",
    "seed",
    "starts",
]

_F = TypeVar("_F", bound=Callable[..., Any])
_Ints = npt.NDArray[np.int64]
_Floats = npt.NDArray[np.float64]

#: ``numba.njit`` with on-disk caching, typed for mypy (numba ships no type hints).
_jit = cast(Callable[[_F], _F], numba.njit(cache=True, nogil=True))

V_CUT = -1
H_CUT = -2
_EPS = 1e-12
_TOL = 1 + 1e-9


@_jit
def seed(value: int) -> None:
    """Seed the compiled code's random generator (numba keeps its own, apart from numpy's)."""
    np.random.seed(value)


@_jit
def scratch(m: int, n: int) -> tuple[_Floats, _Floats, _Floats, _Ints, _Floats]:
    """Return the scratch arrays :func:`evaluate` takes for m tokens and n departments."""
    cx = np.empty(n, dtype=np.float64)
    cy = np.empty(n, dtype=np.float64)
    sa = np.empty(m, dtype=np.float64)
    st = np.empty(m, dtype=np.int64)
    stack = np.empty((m + 1, 4), dtype=np.float64)
    return cx, cy, sa, st, stack


@_jit
def starts(expr: _Ints, m: int, st: _Ints) -> None:
    """Write into ``st`` where the subtree ending at each position starts."""
    for p in range(m):
        if expr[p] >= 0:
            st[p] = p
        else:
            st[p] = st[st[p - 1] - 1]


@_jit
def box_rect(
    box: _Floats, width: float, height: float, total: float
) -> tuple[float, float, float, float]:
    """Return the rectangle (x, y, w, h) of a box vector (slack use, width share, offsets)."""
    fa = width * height
    if total >= fa:
        return 0.0, 0.0, width, height
    barea = total + box[0] * (fa - total)
    lo = barea / height
    bw = min(width, lo + box[1] * (width - lo))
    bh = min(height, barea / bw)
    return box[2] * (width - bw), box[3] * (height - bh), bw, bh


@_jit
def evaluate(
    expr: _Ints,
    bx: float,
    by: float,
    bw: float,
    bh: float,
    area: _Floats,
    wlo: _Floats,
    whi: _Floats,
    regions: _Floats,
    pi: _Ints,
    pj: _Ints,
    pf: _Floats,
    anchors: _Floats,
    cx: _Floats,
    cy: _Floats,
    sa: _Floats,
    st: _Ints,
    stack: _Floats,
) -> tuple[float, float]:
    """Return (objective, shape violation) of an expression cut into box (bx, by, bw, bh).

    ``regions`` rows are (x0, y0, x1, y1) or NaN; ``anchors`` rows (department, x, y, flow).
    The problem arrays are flat arguments on purpose: packed in a tuple they cost a third
    more time per move.
    ``cx``, ``cy``, ``sa``, ``st`` and ``stack`` (m x 4) are scratch arrays; the centres
    are left in ``cx`` and ``cy``.
    """
    m = expr.shape[0]
    for p in range(m):
        t = expr[p]
        if t >= 0:
            sa[p] = area[t]
            st[p] = p
        else:
            left = st[p - 1] - 1
            sa[p] = sa[left] + sa[p - 1]
            st[p] = st[left]
    viol = 0.0
    top = 0
    stack[0, 0] = bx
    stack[0, 1] = by
    stack[0, 2] = bw
    stack[0, 3] = bh
    for p in range(m - 1, -1, -1):
        x = stack[top, 0]
        y = stack[top, 1]
        w = stack[top, 2]
        h = stack[top, 3]
        top -= 1
        t = expr[p]
        if t >= 0:
            a = area[t]
            if not math.isnan(regions[t, 0]):
                rx0 = regions[t, 0]
                ry0 = regions[t, 1]
                rx1 = regions[t, 2]
                ry1 = regions[t, 3]
                x0 = max(x, rx0)
                y0 = max(y, ry0)
                x1 = min(x + w, rx1)
                y1 = min(y + h, ry1)
                if x1 - x0 <= _EPS or y1 - y0 <= _EPS:
                    # the cell misses its region: penalise by the distance to it
                    viol += 1.0 + (
                        max(rx0 - x - w, x - rx1, 0.0) + max(ry0 - y - h, y - ry1, 0.0)
                    ) / math.sqrt(a)
                    cx[t] = x + 0.5 * w
                    cy[t] = y + 0.5 * h
                    continue
                x = x0
                y = y0
                w = x1 - x0
                h = y1 - y0
            cx[t] = x + 0.5 * w
            cy[t] = y + 0.5 * h
            lo = max(a / h, wlo[t])
            hi = min(w, whi[t])
            if lo > hi * _TOL:
                viol += lo / hi - 1.0
        else:
            left = st[p - 1] - 1
            share = sa[left] / sa[p]
            if t == V_CUT:
                wl = w * share
                top += 1
                stack[top, 0] = x
                stack[top, 1] = y
                stack[top, 2] = wl
                stack[top, 3] = h
                top += 1
                stack[top, 0] = x + wl
                stack[top, 1] = y
                stack[top, 2] = w - wl
                stack[top, 3] = h
            else:
                hl = h * share
                top += 1
                stack[top, 0] = x
                stack[top, 1] = y
                stack[top, 2] = w
                stack[top, 3] = hl
                top += 1
                stack[top, 0] = x
                stack[top, 1] = y + hl
                stack[top, 2] = w
                stack[top, 3] = h - hl
    obj = 0.0
    for k in range(pi.shape[0]):
        i = pi[k]
        j = pj[k]
        obj += pf[k] * (abs(cx[i] - cx[j]) + abs(cy[i] - cy[j]))
    for k in range(anchors.shape[0]):
        d = int(anchors[k, 0])
        obj += anchors[k, 3] * (abs(anchors[k, 1] - cx[d]) + abs(anchors[k, 2] - cy[d]))
    return obj, viol


@_jit
def _put(src: _Ints, lo: int, hi: int, dst: _Ints, pos: int) -> int:
    """Copy ``src[lo:hi]`` to ``dst`` at ``pos``; return the position after it."""
    for k in range(lo, hi):
        dst[pos] = src[k]
        pos += 1
    return pos


@_jit
def mutate(expr: _Ints, out: _Ints, rest: _Ints, st: _Ints, st2: _Ints) -> bool:
    """Write a random neighbour of ``expr`` into ``out``; return False if the draw was void.

    Moves: swap two departments (30 %); swap two disjoint subtrees (15 %); prune a subtree
    and regraft it beside another node (25 %); flip one cut (15 %); transpose a subtree
    (8 %); swap the two children of a cut (7 %). ``rest``, ``st`` and ``st2`` are scratch.
    """
    m = expr.shape[0]
    r = np.random.random()
    if r < 0.30:
        a = np.random.randint(m)
        while expr[a] < 0:
            a = np.random.randint(m)
        b = np.random.randint(m)
        while expr[b] < 0 or b == a:
            b = np.random.randint(m)
        out[:] = expr
        out[a] = expr[b]
        out[b] = expr[a]
        return True
    starts(expr, m, st)
    if r < 0.45:
        a = np.random.randint(m - 1)
        b = np.random.randint(m - 1)
        if b < a:
            a, b = b, a
        sa = st[a]
        sb = st[b]
        if a >= sb:  # nested or equal
            return False
        pos = _put(expr, 0, sa, out, 0)
        pos = _put(expr, sb, b + 1, out, pos)
        pos = _put(expr, a + 1, sb, out, pos)
        pos = _put(expr, sa, a + 1, out, pos)
        _put(expr, b + 1, m, out, pos)
        return True
    if r < 0.70:
        a = np.random.randint(m - 1)
        sa = st[a]
        # parent: the first cut after a whose subtree starts at or before sa
        q = a + 1
        while st[q] > sa or expr[q] >= 0:
            q += 1
        # rest = the tree without the subtree and its parent (the sibling takes its place)
        pos = _put(expr, 0, st[q], rest, 0)
        sib_lo, sib_hi = (st[q], sa) if q - 1 == a else (a + 1, q)
        pos = _put(expr, sib_lo, sib_hi, rest, pos)
        pos = _put(expr, q + 1, m, rest, pos)
        n_rest = pos
        starts(rest, n_rest, st2)
        x = np.random.randint(n_rest)
        sx = st2[x]
        op = V_CUT if np.random.random() < 0.5 else H_CUT
        pos = _put(rest, 0, sx, out, 0)
        if np.random.random() < 0.5:
            pos = _put(rest, sx, x + 1, out, pos)
            pos = _put(expr, sa, a + 1, out, pos)
        else:
            pos = _put(expr, sa, a + 1, out, pos)
            pos = _put(rest, sx, x + 1, out, pos)
        out[pos] = op
        _put(rest, x + 1, n_rest, out, pos + 1)
        return True
    # a random cut: the k-th operator of the n - 1
    k = np.random.randint((m - 1) // 2)
    q = 0
    seen = -1
    for p in range(m):
        if expr[p] < 0:
            seen += 1
            if seen == k:
                q = p
                break
    out[:] = expr
    if r < 0.85:
        out[q] = V_CUT if expr[q] == H_CUT else H_CUT
        return True
    if r < 0.93:
        for p in range(st[q], q + 1):
            if expr[p] < 0:
                out[p] = V_CUT if expr[p] == H_CUT else H_CUT
        return True
    left_end = st[q - 1] - 1
    pos = _put(expr, 0, st[q], out, 0)
    pos = _put(expr, left_end + 1, q, out, pos)
    _put(expr, st[q], left_end + 1, out, pos)
    return True


@_jit
def anneal_chunk(
    cur: _Ints,
    box: _Floats,
    best: _Ints,
    best_box: _Floats,
    state: _Floats,
    iterations: int,
    alpha: float,
    ref: float,
    p_box: float,
    box_params: int,
    width: float,
    height: float,
    total: float,
    area: _Floats,
    wlo: _Floats,
    whi: _Floats,
    regions: _Floats,
    pi: _Ints,
    pj: _Ints,
    pf: _Floats,
    anchors: _Floats,
) -> int:
    """Run ``iterations`` annealing moves from ``cur`` / ``box``; return the evaluations made.

    ``state`` holds (current objective, temperature, best feasible objective or +inf,
    current violation, penalty weight) and is updated in place, as are ``cur``, ``box``,
    ``best`` and ``best_box``, so a long run can be cut into chunks (the caller checks the
    clock between them). Per move the temperature falls by ``alpha``; costs are objective +
    penalty x violation, and a worse neighbour is accepted with probability
    exp(-increase / (temperature x ``ref``)).
    """
    m = cur.shape[0]
    n = area.shape[0]
    # two expression buffers, swapped (not copied) when a neighbour is accepted
    work = cur.copy()
    cand = np.empty(m, dtype=np.int64)
    rest = np.empty(m, dtype=np.int64)
    st2 = np.empty(m, dtype=np.int64)
    cx, cy, sa, st, stack = scratch(m, n)
    new_box = np.empty(4, dtype=np.float64)
    cur_obj = state[0]
    temp = state[1]
    best_obj = state[2]
    cur_viol = state[3]
    pen = state[4]
    cbx, cby, cbw, cbh = box_rect(box, width, height, total)
    evals = 0
    for _ in range(iterations):
        temp *= alpha
        moved_box = False
        if p_box > 0.0 and np.random.random() < p_box:
            which = np.random.randint(box_params)
            new_box[:] = box
            new_box[which] = min(1.0, max(0.0, box[which] + np.random.normal(0.0, 0.15)))
            bx, by, bw, bh = box_rect(new_box, width, height, total)
            cand[:] = work
            moved_box = True
        elif mutate(work, cand, rest, st, st2):
            bx, by, bw, bh = cbx, cby, cbw, cbh
        else:
            continue
        obj, viol = evaluate(
            cand, bx, by, bw, bh, area, wlo, whi, regions, pi, pj, pf, anchors, cx, cy, sa, st,
            stack,
        )  # fmt: skip
        evals += 1
        d = obj + pen * viol - (cur_obj + pen * cur_viol)
        if d <= 0.0 or np.random.random() < math.exp(-d / (temp * ref)):
            work, cand = cand, work
            if moved_box:
                box[:] = new_box
                cbx, cby, cbw, cbh = bx, by, bw, bh
            cur_obj = obj
            cur_viol = viol
            if viol == 0.0 and obj < best_obj:
                best_obj = obj
                best[:] = work
                best_box[:] = box
    cur[:] = work
    state[0] = cur_obj
    state[1] = temp
    state[2] = best_obj
    state[3] = cur_viol
    state[4] = pen
    return evals


@_jit
def best_rearrangement(
    expr: _Ints,
    lo: int,
    seg_lo: _Ints,
    seg_hi: _Ints,
    skeletons: _Ints,
    perms: _Ints,
    out: _Ints,
    bx: float,
    by: float,
    bw: float,
    bh: float,
    area: _Floats,
    wlo: _Floats,
    whi: _Floats,
    regions: _Floats,
    pi: _Ints,
    pj: _Ints,
    pf: _Floats,
    anchors: _Floats,
) -> float:
    """Try every slicing arrangement of k subtrees of ``expr``; write the best into ``out``.

    The subtree occupying ``expr[lo:]`` up to its root is rebuilt from the k segments
    ``expr[seg_lo[g]:seg_hi[g]]`` (kept intact) joined by each postfix skeleton (rows of
    ``skeletons``: slot numbers 0..k-1 in order and cut operators) with the slots filled in
    each order of ``perms``. Since the subtree keeps its total area, its cell and everything
    outside it stay put. Returns the best feasible objective (the current one if nothing
    beats it); ``out`` is then ``expr`` or the better expression.
    """
    m = expr.shape[0]
    n = area.shape[0]
    cand = expr.copy()
    out[:] = expr
    cx, cy, sa, st, stack = scratch(m, n)
    best, viol = evaluate(
        expr, bx, by, bw, bh, area, wlo, whi, regions, pi, pj, pf, anchors, cx, cy, sa, st,
        stack,
    )  # fmt: skip
    if viol > 0.0:
        best = math.inf
    for s in range(skeletons.shape[0]):
        for q in range(perms.shape[0]):
            pos = lo
            for t in range(skeletons.shape[1]):
                v = skeletons[s, t]
                if v < 0:
                    cand[pos] = v
                    pos += 1
                else:
                    g = perms[q, v]
                    pos = _put(expr, seg_lo[g], seg_hi[g], cand, pos)
            obj, viol = evaluate(
                cand, bx, by, bw, bh, area, wlo, whi, regions, pi, pj, pf, anchors, cx, cy,
                sa, st, stack,
            )  # fmt: skip
            if viol == 0.0 and obj < best * (1 - 1e-12):
                best = obj
                out[:] = cand
    return best


def warm_up() -> None:
    """Compile (or load from the on-disk cache) every kernel for the types the solver uses.

    The first call after installation compiles for some seconds; later ones load the cache
    in a fraction of a second. The solver calls this before its clock starts and before it
    forks its workers, so they inherit the compiled code.
    """
    area = np.array([0.5, 0.5])
    lim = np.array([0.0, 0.0])
    regions = np.full((2, 4), np.nan)
    pi = np.array([0], dtype=np.int64)
    pj = np.array([1], dtype=np.int64)
    pf = np.array([1.0])
    anchors = np.zeros((0, 4))
    cur = np.array([0, 1, V_CUT], dtype=np.int64)
    box = np.array([1.0, 0.5, 0.5, 0.5])
    state = np.array([1.0, 0.1, math.inf, 0.0, 1.0])
    seed(0)
    anneal_chunk(
        cur, box, cur.copy(), box.copy(), state, 10, 0.99, 1.0, 0.05, 2, 1.0, 1.0, 1.0,
        area, lim, lim + 10.0, regions, pi, pj, pf, anchors,
    )  # fmt: skip
    m = 3
    evaluate(
        cur, 0.0, 0.0, 1.0, 1.0, area, lim, lim + 10.0, regions, pi, pj, pf, anchors,
        *scratch(m, 2),
    )  # fmt: skip
    box_rect(box, 1.0, 1.0, 1.0)
    one = np.zeros((1, 1), dtype=np.int64)
    best_rearrangement(
        cur, 0, np.array([0]), np.array([3]), one, one, cur.copy(), 0.0, 0.0, 1.0, 1.0,
        area, lim, lim + 10.0, regions, pi, pj, pf, anchors,
    )  # fmt: skip
