"""Evaluate slicing layouts (postfix Polish expressions) and search them by simulated annealing.

A layout is a postfix expression over department indices and two cut operators: ``V`` puts
its two operands side by side (left | right), ``H`` stacks them (bottom / top). The expression
is cut into a *box*: a sub-rectangle of the facility whose area lies between the total
department area and the facility area, so free area can be used where it helps instead of
being spread evenly. Every cut divides its rectangle in proportion to the areas on each side,
so each department gets a cell of area ``area * k`` (``k = box area / total area >= 1``) and a
block of exactly its area is placed at the cell's centre, with the shape closest to the cell's
that meets its limits. A cell too thin for any allowed shape is a violation, penalised in the
search and never returned.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import numpy as np

from configurator.blocks._canon import Canon, Rect

__all__ = [
    "H_CUT",
    "SLACK_SHARE",
    "V_CUT",
    "Box",
    "SearchResult",
    "anneal",
    "box_rect",
    "initial_expressions",
    "layout_rects",
    "make_evaluator",
    "with_dummies",
]

#: Free area below this share of the facility is too little to move blocks around: the box
#: stays at the full facility, no dummy cells are added and the LP polish is skipped.
SLACK_SHARE = 1e-3

V_CUT = -1
H_CUT = -2

Box = tuple[float, float, float, float]  # slack use s, width share u, offset ox, offset oy
Evaluator = Callable[[list[int], float, float, float, float], tuple[float, float]]

_EPS = 1e-12
#: Annealing constants: start / end temperature (relative to the objective), penalty weight
#: per unit of shape violation (relative to the objective), share of the budget for the final
#: run from the best layout and its start temperature relative to ``t_hi``.
TUNE = {"t_hi": 0.08, "t_lo": 0.0005, "pen": 0.5, "final": 0.2, "final_t": 0.3}


def box_rect(c: Canon, box: Box) -> Rect:
    """Return the rectangle (x, y, w, h) a box parameter vector stands for."""
    s, u, ox, oy = box
    fa = c.width * c.height
    ta = c.total_area
    if ta >= fa:
        return (0.0, 0.0, c.width, c.height)
    barea = ta + s * (fa - ta)
    lo = barea / c.height
    bw = min(c.width, lo + u * (c.width - lo))
    bh = min(c.height, barea / bw)
    return (ox * (c.width - bw), oy * (c.height - bh), bw, bh)


def with_dummies(c: Canon, count: int) -> Canon:
    """Return ``c`` with ``count`` flow-free dummy operands sharing the free area.

    Dummies let a slicing layout leave free area where it helps (e.g. away from busy blocks)
    instead of spreading it over every cell; they are dropped from the final layout.
    """
    free = c.width * c.height - c.total_area
    if count <= 0 or free <= SLACK_SHARE * c.width * c.height:
        return c
    d = free / count
    inf = float("inf")
    return replace(
        c,
        n=c.n + count,
        area=c.area + (d,) * count,
        max_aspect=c.max_aspect + (inf,) * count,
        min_side=c.min_side + (0.0,) * count,
        wlo=c.wlo + (0.0,) * count,
        whi=c.whi + (inf,) * count,
        regions=c.regions + (None,) * count,
    )


def make_evaluator(c: Canon) -> Evaluator:
    """Return a fast function ``(expr, x, y, w, h) -> (objective, violation)`` for ``c``."""
    n = c.n
    area = c.area
    wlo = c.wlo
    whi = c.whi
    pairs = c.pairs
    anchors = c.anchors
    regions = c.regions
    has_regions = any(r is not None for r in regions)
    use_numpy = len(pairs) > 90  # keep in step with solver._NUMPY_PAIRS
    pi, pj, pf = c.pair_i, c.pair_j, c.pair_f
    tol = 1 + 1e-9

    def evaluate(
        expr: list[int], bx: float, by: float, bw: float, bh: float
    ) -> tuple[float, float]:
        m = len(expr)
        sa = [0.0] * m
        st = [0] * m
        for p in range(m):
            t = expr[p]
            if t >= 0:
                sa[p] = area[t]
                st[p] = p
            else:
                r = p - 1
                left = st[r] - 1
                sa[p] = sa[left] + sa[r]
                st[p] = st[left]
        cx = [0.0] * n
        cy = [0.0] * n
        viol = 0.0
        stack = [(bx, by, bw, bh)]
        pop = stack.pop
        push = stack.append
        for p in range(m - 1, -1, -1):
            x, y, w, h = pop()
            t = expr[p]
            if t >= 0:
                a = area[t]
                if has_regions and regions[t] is not None:
                    rx0, ry0, rx1, ry1 = regions[t]  # type: ignore[misc]
                    x0 = max(x, rx0)
                    y0 = max(y, ry0)
                    x1 = min(x + w, rx1)
                    y1 = min(y + h, ry1)
                    if x1 - x0 <= _EPS or y1 - y0 <= _EPS:
                        # cell misses its region: penalise by the distance to it
                        viol += 1.0 + (
                            abs(max(rx0 - x - w, x - rx1, 0.0))
                            + abs(max(ry0 - y - h, y - ry1, 0.0))
                        ) / math.sqrt(a)
                        cx[t] = x + 0.5 * w
                        cy[t] = y + 0.5 * h
                        continue
                    x, y, w, h = x0, y0, x1 - x0, y1 - y0
                cx[t] = x + 0.5 * w
                cy[t] = y + 0.5 * h
                lo = a / h
                if wlo[t] > lo:  # noqa: PLR1730 - faster than max() in this hot loop
                    lo = wlo[t]
                hi = whi[t]
                if w < hi:  # noqa: PLR1730 - faster than min() in this hot loop
                    hi = w
                if lo > hi * tol:
                    viol += lo / hi - 1.0
            elif t == V_CUT:
                left = st[p - 1] - 1
                wl = w * (sa[left] / sa[p])
                push((x, y, wl, h))
                push((x + wl, y, w - wl, h))
            else:
                left = st[p - 1] - 1
                hl = h * (sa[left] / sa[p])
                push((x, y, w, hl))
                push((x, y + hl, w, h - hl))
        if use_numpy:
            ax = np.array(cx)
            ay = np.array(cy)
            obj = float(pf @ (np.abs(ax[pi] - ax[pj]) + np.abs(ay[pi] - ay[pj])))
        else:
            obj = 0.0
            for i, j, f in pairs:
                obj += f * (abs(cx[i] - cx[j]) + abs(cy[i] - cy[j]))
        for k, axp, ayp, f in anchors:
            obj += f * (abs(axp - cx[k]) + abs(ayp - cy[k]))
        return obj, viol

    return evaluate


def layout_rects(c: Canon, expr: list[int], box: Box) -> list[Rect] | None:
    """Return each department's block (canonical order) for an expression, or None.

    None means some cell admits no block meeting its department's limits.
    """
    bx, by, bw, bh = box_rect(c, box)
    m = len(expr)
    sa = [0.0] * m
    st = [0] * m
    for p, t in enumerate(expr):
        if t >= 0:
            sa[p] = c.area[t]
            st[p] = p
        else:
            left = st[p - 1] - 1
            sa[p] = sa[left] + sa[p - 1]
            st[p] = st[left]
    out: list[Rect | None] = [None] * c.n
    stack = [(bx, by, bw, bh)]
    for p in range(m - 1, -1, -1):
        x, y, w, h = stack.pop()
        t = expr[p]
        if t >= 0:
            reg = c.regions[t]
            if reg is not None:
                x0, y0 = max(x, reg[0]), max(y, reg[1])
                x1, y1 = min(x + w, reg[2]), min(y + h, reg[3])
                if x1 - x0 <= _EPS or y1 - y0 <= _EPS:
                    return None
                x, y, w, h = x0, y0, x1 - x0, y1 - y0
            a = c.area[t]
            lo = max(c.wlo[t], a / h)
            hi = min(c.whi[t], w)
            if lo > hi * (1 + 1e-9):
                return None
            # the shape of the cell, shrunk evenly to the block's area, clamped to the limits
            bwid = min(max(w * math.sqrt(a / (w * h)), lo), hi)
            bwid = min(bwid, w)
            bhei = min(a / bwid, h)
            bwid = a / bhei
            out[t] = (x + (w - bwid) / 2, y + (h - bhei) / 2, bwid, bhei)
        elif t == V_CUT:
            left = st[p - 1] - 1
            wl = w * (sa[left] / sa[p])
            stack.append((x, y, wl, h))
            stack.append((x + wl, y, w - wl, h))
        else:
            left = st[p - 1] - 1
            hl = h * (sa[left] / sa[p])
            stack.append((x, y, w, hl))
            stack.append((x, y + hl, w, h - hl))
    return [r for r in out if r is not None] if all(r is not None for r in out) else None


def _bay_expression(perm: list[int], breaks: list[int], bay_op: int, join_op: int) -> list[int]:
    """Build a flexible-bay expression: bays are chains of ``bay_op``, joined by ``join_op``."""
    expr: list[int] = []
    start = 0
    nbays = 0
    for end in [*breaks, len(perm)]:
        bay = perm[start:end]
        if not bay:
            continue
        expr.append(bay[0])
        for d in bay[1:]:
            expr.append(d)
            expr.append(bay_op)
        nbays += 1
        if nbays > 1:
            expr.append(join_op)
        start = end
    return expr


def initial_expressions(c: Canon, rng: random.Random, count: int) -> list[list[int]]:
    """Return ``count`` flexible-bay starting expressions with random orders and bay sizes."""
    n = c.n
    out = []
    for k in range(count):
        perm = list(range(n))
        rng.shuffle(perm)
        nbays = max(1, round(math.sqrt(n * c.width / c.height) * rng.uniform(0.7, 1.3)))
        nbays = min(nbays, n)
        breaks = sorted(rng.sample(range(1, n), nbays - 1)) if nbays > 1 else []
        if k % 2 == 0:
            out.append(_bay_expression(perm, breaks, H_CUT, V_CUT))
        else:
            out.append(_bay_expression(perm, breaks, V_CUT, H_CUT))
    return out


@dataclass
class SearchResult:
    """The best feasible expressions found by a search, best first."""

    elites: list[tuple[float, list[int], Box]] = field(default_factory=list)
    evaluations: int = 0
    stopped_by_time: bool = False


def _starts(expr: list[int]) -> list[int]:
    """Return, for each position, where the subtree ending there starts."""
    st = [0] * len(expr)
    for p, t in enumerate(expr):
        st[p] = p if t >= 0 else st[st[p - 1] - 1]
    return st


def _mutate(expr: list[int], rng: random.Random, n: int) -> list[int] | None:
    """Return a random neighbour of a slicing expression, or None if the draw was void.

    Moves: swap two departments; swap two disjoint subtrees; move a subtree next to another
    node (prune and regraft); flip one cut; flip every cut of a subtree (transpose it);
    swap the two children of a cut.
    """
    m = len(expr)
    r = rng.random()
    if r < 0.30:
        # swap two departments
        a = rng.randrange(m)
        while expr[a] < 0:
            a = rng.randrange(m)
        b = rng.randrange(m)
        while expr[b] < 0 or b == a:
            b = rng.randrange(m)
        out = list(expr)
        out[a], out[b] = out[b], out[a]
        return out
    st = _starts(expr)
    if r < 0.45:
        # swap two disjoint subtrees
        a = rng.randrange(m - 1)
        b = rng.randrange(m - 1)
        sa, sb = st[a], st[b]
        if b < a:
            a, b, sa, sb = b, a, sb, sa
        if a >= sb:  # nested or equal
            return None
        return expr[:sa] + expr[sb : b + 1] + expr[a + 1 : sb] + expr[sa : a + 1] + expr[b + 1 :]
    if r < 0.70:
        # prune a subtree and regraft it beside another node
        a = rng.randrange(m - 1)
        sa = st[a]
        # parent: the first cut after a whose subtree starts at or before sa
        q = a + 1
        while st[q] > sa or expr[q] >= 0:
            q += 1
        sub = expr[sa : a + 1]
        # when a is the right child the sibling is the left one, and vice versa
        sib = expr[st[q] : sa] if q - 1 == a else expr[a + 1 : q]
        rest = expr[: st[q]] + sib + expr[q + 1 :]
        if not rest:
            return None
        st2 = _starts(rest)
        x = rng.randrange(len(rest))
        sx = st2[x]
        op = V_CUT if rng.random() < 0.5 else H_CUT
        target = rest[sx : x + 1]
        mid = target + sub + [op] if rng.random() < 0.5 else sub + target + [op]
        return rest[:sx] + mid + rest[x + 1 :]
    ops = [p for p, t in enumerate(expr) if t < 0]
    q = ops[rng.randrange(len(ops))]
    out = list(expr)
    if r < 0.85:
        out[q] = V_CUT if out[q] == H_CUT else H_CUT
        return out
    if r < 0.93:
        for p in range(st[q], q + 1):
            if out[p] < 0:
                out[p] = V_CUT if out[p] == H_CUT else H_CUT
        return out
    left_end = st[q - 1] - 1
    return expr[: st[q]] + expr[left_end + 1 : q] + expr[st[q] : left_end + 1] + expr[q:]


def anneal(
    c: Canon,
    rng: random.Random,
    iterations: int,
    deadline: float,
    *,
    restarts: int = 4,
    elite_size: int = 6,
    penalty: float | None = None,
) -> SearchResult:
    """Search slicing expressions by simulated annealing for a fixed number of iterations.

    The budget is split into ``restarts`` independent cooling runs from random flexible-bay
    layouts, then one final, cooler run from the best layout found. Decisions use only
    ``rng`` and iteration counts; ``deadline`` (``time.monotonic()``) is only a safety net.
    """
    evaluate = make_evaluator(c)
    n = c.n
    result = SearchResult()
    fa = c.width * c.height
    slack = c.total_area < fa * (1 - SLACK_SHARE)
    movable_box = slack and (bool(c.anchors) or any(r is not None for r in c.regions))
    full_box: Box = (1.0, 0.5, 0.5, 0.5)
    if n == 1:
        obj, viol = evaluate([0], *box_rect(c, full_box))
        if viol == 0:
            result.elites.append((obj, [0], full_box))
        result.evaluations = 1
        return result

    t_hi = TUNE["t_hi"]
    t_lo = TUNE["t_lo"]
    p_box = 0.05 if slack else 0.0
    evals = 0
    stopped = False
    best: tuple[float, list[int], Box] | None = None
    run_best: list[tuple[float, list[int], Box]] = []
    final_share = TUNE["final"]
    n_runs = restarts + 1
    rnd = rng.random
    exp = math.exp

    for run in range(n_runs):
        if run < restarts:
            budget = int(iterations * (1 - final_share) / restarts)
            starts = initial_expressions(c, rng, 8)
            scored = []
            for e in starts:
                o, v = evaluate(e, *box_rect(c, full_box))
                scored.append((v, o, e))
            evals += len(starts)
            scored.sort(key=lambda t: (t[0], t[1]))
            cur_viol, cur_obj, cur = scored[0]
            box = full_box
            t0 = t_hi
        else:
            if best is None:
                break
            budget = iterations - evals
            cur_obj, cur, box = best[0], list(best[1]), best[2]
            cur_viol = 0.0
            t0 = t_hi * TUNE["final_t"]
        ref = max(cur_obj, 1e-12) if best is None else best[0]
        pen = (TUNE["pen"] if penalty is None else penalty) * ref
        cur_cost = cur_obj + pen * cur_viol
        alpha = (t_lo / t0) ** (1.0 / max(1, budget))
        temp = t0
        rbest: tuple[float, list[int], Box] | None = None
        for it in range(budget):
            if it & 511 == 0 and time.monotonic() > deadline:
                stopped = True
                break
            temp *= alpha
            if rnd() < p_box:
                s, u, ox, oy = box
                which = rng.randrange(4 if movable_box else 2)
                step = rng.gauss(0.0, 0.15)
                if which == 0:
                    s = min(1.0, max(0.0, s + step))
                elif which == 1:
                    u = min(1.0, max(0.0, u + step))
                elif which == 2:
                    ox = min(1.0, max(0.0, ox + step))
                else:
                    oy = min(1.0, max(0.0, oy + step))
                new_box = (s, u, ox, oy)
                new = cur
            else:
                new_box = box
                cand = _mutate(cur, rng, n)
                if cand is None:
                    continue
                new = cand
            obj, viol = evaluate(new, *box_rect(c, new_box))
            evals += 1
            cost = obj + pen * viol
            d = cost - cur_cost
            if d <= 0 or rnd() < exp(-d / (temp * ref)):
                cur, box, cur_cost = new, new_box, cost
                if viol == 0 and (rbest is None or obj < rbest[0]):
                    rbest = (obj, cur, box)
        if rbest is not None:
            run_best.append(rbest)
            if best is None or rbest[0] < best[0]:
                best = rbest
        if stopped:
            break
    result.evaluations = evals
    result.stopped_by_time = stopped
    run_best.sort(key=lambda t: t[0])
    seen: set[tuple[int, ...]] = set()
    for item in run_best:
        key = tuple(item[1])
        if key in seen:
            continue
        seen.add(key)
        result.elites.append(item)
        if len(result.elites) >= elite_size:
            break
    return result
