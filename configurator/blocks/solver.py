"""Solve block-layout problems: slicing-tree annealing on two cores, then an LP polish.

Pipeline:

1. check that the problem is solvable on its face and put it in a canonical frame
   (:mod:`configurator.blocks._canon`), so relabelled, mirrored, rotated or rescaled copies
   get the same layout;
2. in each worker process, anneal slicing trees (postfix Polish expressions,
   :mod:`configurator.blocks._slicing`) for a fixed number of moves: with free area,
   anchors or regions even workers by independent restarts and odd ones by population
   annealing (a portfolio of two searches); without them every worker by parallel
   tempering with exact subtree rearrangement;
3. polish each worker's best layouts with a sequence of linear programs over positions and
   sizes that keeps the incumbent's left-of / below relations
   (:mod:`configurator.blocks._polish`);
4. keep the best layout, map it back to the problem's frame and recompute its objective
   from the rectangles.

Determinism: every decision depends only on the seed and on iteration counts. The number of
moves is derived from ``time_limit`` and the problem size by a fixed rate calibrated on a
2-core machine (or given explicitly as ``iterations``); the wall clock is only a safety net
that stops the search early when the machine is much slower than that calibration, and only
then can the result differ between runs.
"""

from __future__ import annotations

import multiprocessing
import random
import time
from concurrent.futures import ProcessPoolExecutor
from typing import Literal

from configurator.blocks import _kernel, _polish
from configurator.blocks._canon import Canon, Rect, canonicalise
from configurator.blocks._slicing import (
    POPULATION_MOVES,
    anneal,
    anneal_population,
    anneal_tempering,
    has_slack,
    layout_rects,
    with_dummies,
)
from configurator.blocks.check import check_solution, layout_objective
from configurator.blocks.model import (
    Block,
    BlockProblem,
    BlockSolution,
    NoFeasibleLayoutError,
    check_solvable,
)

__all__ = ["iteration_budget", "solve_blocks"]

#: The searches a worker can run (see :func:`_search_kind`).
SearchKind = Literal["restarts", "population", "tempering"]

#: Share of the time limit planned for annealing; the rest is for polishing and overheads.
_SEARCH_SHARE = 0.7
#: Share of the time limit planned for the relation search (free area, anchors, regions).
_RELATION_SHARE = 0.15
#: Share for the search when there is nothing to polish: most of the time, with a margin
#: because two busy cores run some 5 % slower than the calibration and the clock net at
#: 90 % must not cut the planned moves short (that would make results timing-dependent).
_PLAIN_SEARCH_SHARE = 0.72


def _dummies(c: Canon, worker: int) -> int:
    """Return how many free-area dummy cells worker ``worker`` uses (0 without free area).

    Free area is cut into cells the size of the smallest department (even workers) or half
    of it (odd workers): free area comes in the same grain as the blocks it sits between, so
    layouts whose blocks line up exactly stay reachable; the two grains diversify the search.
    """
    if not has_slack(c):
        return 0
    free = c.width * c.height - c.total_area
    per_cell = min(c.area) / (2 if worker % 2 else 1)
    return max(2, min(3 * c.n, round(free / per_cell)))


def _seconds_per_move(operands: int, pairs: int) -> float:
    """Return the calibrated time of one annealing move (seconds, one core, with margin).

    Measured on the 2-core reference machine with the compiled kernel (both cores busy).
    """
    micro = 0.45 + 0.016 * operands + 0.002 * pairs
    return 1.1 * micro * 1e-6


def _polishable(c: Canon) -> bool:
    """Return whether the LP polish can move blocks (free area, anchors or regions)."""
    return has_slack(c) or bool(c.anchors) or any(r is not None for r in c.regions)


def iteration_budget(
    n: int, time_limit: float, dummies: int = 0, pairs: int = 0, *, polish: bool = True
) -> int:
    """Return the number of annealing moves per worker planned for a time limit.

    A fixed function of its arguments (``pairs``: department pairs with a flow), so results
    do not depend on timing. Without a polish (``polish=False``: no free area, anchors or
    regions) the search gets a slightly larger share.
    """
    share = _SEARCH_SHARE if polish else _PLAIN_SEARCH_SHARE
    return max(2000, int(time_limit * share / _seconds_per_move(n + dummies, pairs)))


def _search_kind(polish: bool, worker: int) -> SearchKind:
    """Return the search worker ``worker`` runs: a portfolio, or tempering on both cores.

    With free area, anchors or regions, even workers run independent restarts and odd ones
    population annealing. Without them the layout is fixed by the slicing tree alone and
    the landscape is rugged (AB20): there parallel tempering with exact subtree
    rearrangement reached the literature's best layout far more often than population
    annealing (24 of 32 seeds against 5 of 16 for the same moves; restarts did worse
    still), so both workers run it, on different seeds.
    """
    if not polish:
        return "tempering"
    return "population" if worker % 2 else "restarts"


def _restarts(n: int, iterations: int) -> int:
    """Return how many independent annealing runs a budget is split into."""
    return max(1, min(16, iterations // (12000 * max(n, 4))))


def _worker(
    c: Canon,
    seed: int,
    search_kind: SearchKind,
    dummies: int,
    iterations: int,
    lps: int,
    search_deadline: float,
    deadline: float,
    elites: int,
) -> list[tuple[float, list[Rect]]]:
    """Run one seeded search, polish its elites and refine the best two by relation search.

    ``lps`` caps the relation-search LPs and ``elites`` the layouts polished. Returns
    candidate layouts, best first: the best
    polished one and, as a fallback, the best exact slicing layout (empty if none).
    """
    rng = random.Random(seed)
    search = with_dummies(c, dummies)
    if search_kind == "tempering":
        result = anneal_tempering(search, rng, iterations, search_deadline)
    elif search_kind == "population":
        result = anneal_population(search, rng, iterations, search_deadline)
    else:
        # like the populations, a large budget buys several independent rounds of restarts
        rounds = max(1, iterations // (POPULATION_MOVES * search.n))
        restarts = _restarts(c.n, iterations // rounds)
        result = anneal(search, rng, iterations, search_deadline, restarts=restarts, rounds=rounds)
    if not result.elites:
        # nothing feasible: search again, longer and with shape violations weighed heavily
        result = anneal(search, rng, 2 * iterations, deadline, restarts=4, penalty=20.0)
    polishable = _polishable(c)
    done: list[tuple[float, list[Rect]]] = []
    raw: list[tuple[float, list[Rect]]] = []
    for k, (_obj, expr, box) in enumerate(result.elites):
        full = layout_rects(search, expr, box)
        if full is None:
            continue
        rects = full[: c.n]
        obj = _polish.objective(c, rects)
        raw.append((obj, rects))
        # the best elite is always polished (a few LPs); the others while time remains
        if polishable and k < elites and (k == 0 or time.monotonic() < deadline):
            rects, obj = _polish.polish(c, rects, deadline)
        done.append((obj, rects))
    if not done:
        return []
    done.sort(key=lambda t: t[0])
    if polishable and lps > 0:
        top = done[:2]
        for k, (_obj, rects) in enumerate(top):
            if time.monotonic() < deadline:
                better, obj = _polish.relation_search(c, rects, lps // len(top), deadline)
                top[k] = (obj, better)
        done = sorted(top + done[2:], key=lambda t: t[0])
    return [done[0], min(raw, key=lambda t: t[0])]


def solve_blocks(
    problem: BlockProblem,
    *,
    time_limit: float = 60.0,
    seed: int = 0,
    workers: int = 2,
    iterations: int | None = None,
    polish_lps: int | None = None,
    polish_elites: int | None = None,
) -> BlockSolution:
    """Lay out the departments of ``problem``, minimising flow-weighted distance.

    ``time_limit`` (seconds) sets the search effort and is also a hard stop; ``seed`` makes
    the result reproducible; ``workers`` independent searches run in parallel processes and
    the best layout wins. ``iterations``, when given, fixes the number of annealing moves per
    worker instead of deriving it from ``time_limit``; ``polish_lps`` then fixes the number of
    linear programs of the relation search (one per 20 000 moves, at least 10, by default).
    ``polish_elites`` caps how many of each search's best layouts get the LP polish.

    Raises BlockProblemError when the problem is plainly infeasible and NoFeasibleLayoutError
    when no layout meeting every constraint was found.
    """
    if time_limit <= 0:
        raise ValueError("time_limit must be positive")
    if workers < 1:
        raise ValueError("workers must be at least 1")
    check_solvable(problem)
    # compile or load the kernel before the clock starts (and before the workers fork)
    _kernel.warm_up()
    start = time.monotonic()
    c = canonicalise(problem)
    polish = _polishable(c)
    # safety nets: annealing stops by 80 % of the limit so polishing always has time (90 %
    # when there is nothing to polish); everything stops by 95 %
    search_deadline = start + time_limit * (0.8 if polish else 0.9)
    deadline = start + time_limit * 0.95
    dummies = [_dummies(c, k) for k in range(workers)]
    iters = [
        iterations
        if iterations is not None
        else iteration_budget(c.n, time_limit, d, len(c.pairs), polish=polish)
        for d in dummies
    ]
    lps = (
        _polish.lp_budget(c.n, time_limit * _RELATION_SHARE)
        if iterations is None
        else polish_lps
        if polish_lps is not None
        else max(10, iterations // 20_000)
    )
    elites = polish_elites if polish_elites is not None else _polish.elites_to_polish(c.n)
    seeds = [seed * 1000003 + k for k in range(workers)]
    results: list[list[tuple[float, list[Rect]]]]
    if workers == 1:
        kind = _search_kind(polish, 0)
        results = [
            _worker(c, seeds[0], kind, dummies[0], iters[0], lps, search_deadline, deadline, elites)
        ]
    else:
        ctx = multiprocessing.get_context(
            "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
        )
        with ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
            futures = [
                pool.submit(
                    _worker,
                    c,
                    s,
                    _search_kind(polish, k),
                    d,
                    it,
                    lps,
                    search_deadline,
                    deadline,
                    elites,
                )
                for k, (s, d, it) in enumerate(zip(seeds, dummies, iters, strict=True))
            ]
            results = [f.result() for f in futures]
    # best first; sorted() is stable, so equal objectives keep the lowest worker first
    found = sorted((r for rs in results for r in rs), key=lambda r: r[0])
    for _obj, canon_rects in found:
        rects = c.to_problem_rects(canon_rects)
        blocks = [
            Block(id=d.id, x=x, y=y, width=w, height=h)
            for d, (x, y, w, h) in zip(problem.departments, rects, strict=True)
        ]
        draft = BlockSolution(blocks=blocks, objective=0.0)
        # LP tolerances scale with the problem's units; keep only layouts that pass the check
        if check_solution(problem, draft).feasible:
            return BlockSolution(blocks=blocks, objective=layout_objective(problem, draft))
    raise NoFeasibleLayoutError(
        "no layout meeting every area and shape limit was found within the time limit; "
        "allow more time or relax the shape limits"
    )
