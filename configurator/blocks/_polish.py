"""Polish a layout with linear programs that keep its left-of / below relations.

With each pair of blocks kept on the same side of each other as in the incumbent (i left of
j, or i below j), the objective is linear in the block centres and every constraint is linear
except the area ``w * h = a``. Since ``{(w, h): w * h >= a}`` is convex and ``h >= a / w`` is
convex in ``w``, the chords between points of the hyperbola lie above it: requiring
``h`` to be above every chord of a grid of widths around the incumbent's width is an *inner*
approximation. Each LP therefore returns blocks of at least their area (shrunk to the exact
area about their centres afterwards), and the incumbent is always feasible for it, so the
objective never gets worse. The grid is re-centred on the new widths and refined over a few
rounds; relations are re-read from the geometry each round so blocks can slide past corners.
"""

from __future__ import annotations

import itertools
import math
import time
from collections.abc import Iterator

from ortools.linear_solver import pywraplp

from configurator.blocks._canon import Canon, Rect

__all__ = ["elites_to_polish", "feasible", "lp_budget", "objective", "polish", "relation_search"]

_SCHEDULE = ((1.3, 3), (1.12, 3), (1.05, 3), (1.02, 3), (1.008, 2), (1.003, 2))
_INF = float("inf")
#: Length tolerance (canonical units, facility area 1) for accepting an LP layout; fixed so
#: that rescaled copies of a problem take the same decisions. The solver re-checks layouts
#: in the problem's own units before returning one.
_TOL = 1e-9


def lp_budget(n: int, seconds: float) -> int:
    """Return how many relation-search LPs fit in ``seconds`` (calibrated, with margin)."""
    return max(10, int(seconds / ((3.0 + 0.8 * n) * 1e-3)))


def elites_to_polish(n: int) -> int:
    """Return how many of a search's best layouts to polish (fewer for large problems)."""
    if n <= 20:
        return 6
    if n <= 40:
        return 4
    return 2


def objective(c: Canon, rects: list[Rect]) -> float:
    """Return the canonical objective of rectangles given in canonical order."""
    cx = [x + w / 2 for x, _, w, _ in rects]
    cy = [y + h / 2 for _, y, _, h in rects]
    total = 0.0
    for i, j, f in c.pairs:
        total += f * (abs(cx[i] - cx[j]) + abs(cy[i] - cy[j]))
    for k, ax, ay, f in c.anchors:
        total += f * (abs(ax - cx[k]) + abs(ay - cy[k]))
    return total


def feasible(c: Canon, rects: list[Rect], tol: float) -> bool:
    """Return whether rectangles meet every constraint of ``c`` within length ``tol``."""
    for k, (x, y, w, h) in enumerate(rects):
        if x < -tol or y < -tol or x + w > c.width + tol or y + h > c.height + tol:
            return False
        reg = c.regions[k]
        if reg is not None and (
            x < reg[0] - tol or y < reg[1] - tol or x + w > reg[2] + tol or y + h > reg[3] + tol
        ):
            return False
        if abs(w * h / c.area[k] - 1) > 1e-7:
            return False
        if max(w, h) > c.max_aspect[k] * min(w, h) * (1 + 1e-9):
            return False
        if min(w, h) < c.min_side[k] * (1 - 1e-9):
            return False
    n = len(rects)
    for i in range(n):
        xi, yi, wi, hi = rects[i]
        for j in range(i + 1, n):
            xj, yj, wj, hj = rects[j]
            if (
                min(xi + wi, xj + wj) - max(xi, xj) > tol
                and min(yi + hi, yj + hj) - max(yi, yj) > tol
            ):
                return False
    return True


def _relations(rects: list[Rect]) -> tuple[list[int], list[int]]:
    """Return bitmasks ``left[i]`` (blocks i is left of) and ``below[i]``, reduced.

    Each pair gets the relation with the widest gap; pairs implied by a chain of the same
    relation are dropped, which keeps the LP small.
    """
    n = len(rects)
    left = [0] * n
    below = [0] * n
    for i in range(n):
        xi, yi, wi, hi = rects[i]
        for j in range(i + 1, n):
            xj, yj, wj, hj = rects[j]
            gaps = (xj - xi - wi, xi - xj - wj, yj - yi - hi, yi - yj - hj)
            k = max(range(4), key=lambda t: gaps[t])
            if k == 0:
                left[i] |= 1 << j
            elif k == 1:
                left[j] |= 1 << i
            elif k == 2:
                below[i] |= 1 << j
            else:
                below[j] |= 1 << i
    return _reduce(left), _reduce(below)


def _members(mask: int) -> Iterator[int]:
    """Yield the indices of the set bits of a relation bit mask, lowest first."""
    k = 0
    while mask:
        if mask & 1:
            yield k
        mask >>= 1
        k += 1


def _reduce(rel: list[int]) -> list[int]:
    """Drop relations implied by a two-step chain of the same relation (transitivity)."""
    n = len(rel)
    out = list(rel)
    for i in range(n):
        via = 0
        for k in _members(rel[i]):
            via |= rel[k]
        out[i] = rel[i] & ~via
    return out


def _solve_lp(
    c: Canon, rects: list[Rect], left: list[int], below: list[int], rho: float, steps: int
) -> list[Rect] | None:
    """Solve one LP with chords on a width grid ``w0 * rho**k``, ``|k| <= steps``.

    The model is built row by row with GLOP's own calls (not the expression API, whose parsing
    cost more than the solve): each row is ``lb <= sum(coef * var) <= ub``.
    """
    solver = pywraplp.Solver.CreateSolver("GLOP")
    if solver is None:  # pragma: no cover - GLOP ships with OR-Tools
        return None
    inf = solver.infinity()

    def row(lb: float, ub: float, *terms: tuple[pywraplp.Variable, float]) -> None:
        constraint = solver.RowConstraint(lb, ub, "")
        for var, coef in terms:
            constraint.SetCoefficient(var, coef)

    n = c.n
    cw, ch = c.width, c.height
    xs, ys, ws, hs = [], [], [], []
    for k, (_x, _y, w0, _h0) in enumerate(rects):
        a = c.area[k]
        lo_x, lo_y, hi_x, hi_y = 0.0, 0.0, cw, ch
        reg = c.regions[k]
        if reg is not None:
            lo_x, lo_y = max(lo_x, reg[0]), max(lo_y, reg[1])
            hi_x, hi_y = min(hi_x, reg[2]), min(hi_y, reg[3])
        wmin = max(c.wlo[k], w0 / rho**steps, a / (hi_y - lo_y))
        wmax = min(c.whi[k], w0 * rho**steps, hi_x - lo_x)
        wmin = min(wmin, w0)
        wmax = max(wmax, w0)
        x = solver.NumVar(lo_x, hi_x, f"x{k}")
        y = solver.NumVar(lo_y, hi_y, f"y{k}")
        w = solver.NumVar(wmin, wmax, f"w{k}")
        h = solver.NumVar(max(c.min_side[k], 0.0), hi_y - lo_y, f"h{k}")
        row(-inf, hi_x, (x, 1.0), (w, 1.0))
        row(-inf, hi_y, (y, 1.0), (h, 1.0))
        r = c.max_aspect[k]
        if r < _INF:
            row(-inf, 0.0, (h, 1.0), (w, -r))
            row(-inf, 0.0, (w, 1.0), (h, -r))
        # chords of h = a / w through grid points including w0
        grid = [w0]
        g = w0
        while g > wmin * (1 + 1e-12):
            g = max(g / rho, wmin)
            grid.insert(0, g)
        g = w0
        while g < wmax * (1 - 1e-12):
            g = min(g * rho, wmax)
            grid.append(g)
        if len(grid) == 1:
            row(a / w0, inf, (h, 1.0))
        for g0, g1 in itertools.pairwise(grid):
            if g1 <= g0 * (1 + 1e-12):
                continue
            row(a / g0 + a / g1, inf, (h, 1.0), (w, a / (g0 * g1)))
        xs.append(x)
        ys.append(y)
        ws.append(w)
        hs.append(h)
    for i in range(n):
        for j in _members(left[i]):
            row(-inf, 0.0, (xs[i], 1.0), (ws[i], 1.0), (xs[j], -1.0))
        for j in _members(below[i]):
            row(-inf, 0.0, (ys[i], 1.0), (hs[i], 1.0), (ys[j], -1.0))
    objective = solver.Objective()
    objective.SetMinimization()
    # |centre_i - centre_j| (or - anchor) along x and y, each bounded from below both ways
    centres = [
        (i, [(xs[j], 1.0), (ws[j], 0.5)], [(ys[j], 1.0), (hs[j], 0.5)], 0.0, 0.0, f)
        for i, j, f in c.pairs
    ]
    centres += [(k, [], [], ax, ay, f) for k, ax, ay, f in c.anchors]
    gaps = []
    for i, other_x, other_y, ax, ay, f in centres:
        dx = solver.NumVar(0.0, _INF, "")
        dy = solver.NumVar(0.0, _INF, "")
        for d, pos, size, other, at in (
            (dx, xs[i], ws[i], other_x, ax),
            (dy, ys[i], hs[i], other_y, ay),
        ):
            minus = [(v, -coef) for v, coef in other]
            row(-at, inf, (d, 1.0), (pos, -1.0), (size, -0.5), *other)
            row(at, inf, (d, 1.0), (pos, 1.0), (size, 0.5), *minus)
        gaps.append((dx, dy, f))
    if not gaps:
        return None
    for dx, dy, f in gaps:
        objective.SetCoefficient(dx, f)
        objective.SetCoefficient(dy, f)
    status = solver.Solve()
    if status != pywraplp.Solver.OPTIMAL:
        return None
    return [
        (
            xs[k].solution_value(),
            ys[k].solution_value(),
            ws[k].solution_value(),
            hs[k].solution_value(),
        )
        for k in range(n)
    ]


def _exact(c: Canon, rects: list[Rect]) -> list[Rect]:
    """Shrink each block about its centre to its exact area, keeping its shape limits."""
    out = []
    for k, (x, y, w, h) in enumerate(rects):
        a = c.area[k]
        s = math.sqrt(a / (w * h))
        lo = max(c.wlo[k], a / h)
        hi = min(c.whi[k], w)
        nw = w * s
        if lo <= hi:
            nw = min(max(nw, lo), hi)
        nh = a / nw
        out.append((x + (w - nw) / 2, y + (h - nh) / 2, nw, nh))
    return out


def _legalise(c: Canon, rects: list[Rect], left: list[int], below: list[int]) -> list[Rect]:
    """Remove tiny overlaps left by LP tolerances by pushing blocks along their relations."""
    n = len(rects)
    xs = [r[0] for r in rects]
    ys = [r[1] for r in rects]
    ws = [r[2] for r in rects]
    hs = [r[3] for r in rects]
    for pos, size, rel, limit in ((xs, ws, left, c.width), (ys, hs, below, c.height)):
        succ = [list(_members(rel[i])) for i in range(n)]
        order = sorted(range(n), key=lambda i: pos[i])
        for i in order:
            pos[i] = max(pos[i], 0.0)
            for j in succ[i]:
                pos[j] = max(pos[j], pos[i] + size[i])
        for i in reversed(order):
            if pos[i] + size[i] > limit:
                pos[i] = max(0.0, limit - size[i])
    return [(xs[k], ys[k], ws[k], hs[k]) for k in range(n)]


def polish(c: Canon, rects: list[Rect], deadline: float) -> tuple[list[Rect], float]:
    """Improve a feasible layout by LP rounds on fixed relations; return (rects, objective).

    Never returns a worse or infeasible layout than it was given.
    """
    tol = _TOL
    cur = rects
    cur_obj = objective(c, rects)
    for rho, steps in _SCHEDULE:
        if time.monotonic() > deadline:
            break
        left, below = _relations(cur)
        sol = _solve_lp(c, cur, left, below, rho, steps)
        if sol is None:
            continue
        cand = _legalise(c, _exact(c, sol), left, below)
        obj = objective(c, cand)
        if obj < cur_obj * (1 - 1e-9) and feasible(c, cand, tol):
            cur, cur_obj = cand, obj
    return cur, cur_obj


def _touching(
    rects: list[Rect], left: list[int], below: list[int], flow: dict[tuple[int, int], float]
) -> list[tuple[float, int, int, bool]]:
    """Return direct relations whose blocks touch, busiest pair first: (-flow, i, j, is_left)."""
    n = len(rects)
    out = []
    for i in range(n):
        for rel, is_left in ((left[i], True), (below[i], False)):
            for j in _members(rel):
                xi, yi, wi, hi = rects[i]
                xj, yj, _, _ = rects[j]
                gap = xj - xi - wi if is_left else yj - yi - hi
                if gap < 1e-3:
                    key = (min(i, j), max(i, j))
                    out.append((-flow.get(key, 0.0), i, j, is_left))
    out.sort()
    return out


def relation_search(
    c: Canon, rects: list[Rect], max_lps: int, deadline: float
) -> tuple[list[Rect], float]:
    """Improve a polished layout by turning single left-of / below relations by 90 degrees.

    For touching pairs (busiest first), the pair's relation is replaced by the other axis
    (the block with the lower centre goes below) and the LP re-solved; the first improvement
    is kept, polished, and the scan restarts. At most ``max_lps`` LPs are solved, so the
    work is fixed by the arguments; ``deadline`` is a safety net. Never returns a worse
    layout than it was given.
    """
    tol = _TOL
    flow = {(i, j): f for i, j, f in c.pairs}
    cur = rects
    cur_obj = objective(c, rects)
    used = 0
    tried: set[tuple[tuple[int, ...], tuple[int, ...]]] = set()
    while used < max_lps:
        left, below = _relations(cur)
        improved = False
        for _negf, i, j, is_left in _touching(cur, left, below, flow):
            if used >= max_lps or time.monotonic() > deadline:
                break
            nl, nb = list(left), list(below)
            if is_left:
                nl[i] &= ~(1 << j)
            else:
                nb[i] &= ~(1 << j)
            ci = cur[i][1] + cur[i][3] / 2 if is_left else cur[i][0] + cur[i][2] / 2
            cj = cur[j][1] + cur[j][3] / 2 if is_left else cur[j][0] + cur[j][2] / 2
            lo, hi = (i, j) if ci <= cj else (j, i)
            if is_left:
                nb[lo] |= 1 << hi
            else:
                nl[lo] |= 1 << hi
            key = (tuple(nl), tuple(nb))
            if key in tried:
                continue
            tried.add(key)
            used += 1
            sol = _solve_lp(c, cur, nl, nb, 1.3, 3)
            if sol is None:
                continue
            cand = _legalise(c, _exact(c, sol), nl, nb)
            obj = objective(c, cand)
            if obj < cur_obj * (1 - 1e-7) and feasible(c, cand, tol):
                cur, cur_obj = polish(c, cand, deadline)
                used += len(_SCHEDULE)
                improved = True
                break
        if not improved or time.monotonic() > deadline:
            break
    return cur, cur_obj
