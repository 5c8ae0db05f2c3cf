"""Generate floor-plan options, keep those the geometric audit passes, score and rank them.

Each option is one layout strategy with one seed (:func:`configurator.layout.plan_from_program`);
the plan is read back from its geometry (:mod:`configurator.review.geometry`) and kept only if
the independent audit (:mod:`configurator.review.audit`) finds nothing wrong with it and it is
not the same option again. The kept options are ranked by their KPIs
(:mod:`configurator.review.kpis`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from shapely.geometry import Point

from configurator.inputs.catalog import Case
from configurator.layout.engine import check_capacity, plan_from_program
from configurator.layout.strategies import Strategy
from configurator.model.errors import LayoutError, Problem
from configurator.model.plan import Plan
from configurator.model.schema import Footprint
from configurator.review.audit import audit_analysis
from configurator.review.geometry import analysis_from_plan
from configurator.review.kpis import PlanKpis, kpis_from_plan
from configurator.review.rules import review_rules
from configurator.sizing.program import Program, program_from_case

__all__ = [
    "Attempt",
    "Attempter",
    "Option",
    "Progress",
    "attempt_option",
    "options_from_case",
    "plans_from_case",
]

_ROUNDS = 4
"""Seeds per strategy and requested option before giving up on a strategy."""


@dataclass(frozen=True)
class Option:
    """A ranked option: the plan, its KPIs, what the audit found (nothing, when kept) and what
    the building rules found (what no option could meet, when kept)."""

    plan: Plan
    kpis: PlanKpis
    problems: tuple[Problem, ...]
    rules: tuple[Problem, ...] = ()

    @property
    def rule_codes(self) -> frozenset[str]:
        """Return the building-rule codes the option breaks."""
        return frozenset(p.code for p in self.rules)


@dataclass(frozen=True)
class Attempt:
    """One strategy and seed tried: the audited option with its KPIs, or why it failed."""

    strategy: Strategy
    seed: int
    option: Option | None
    failure: str = ""


Attempter = Callable[[Strategy, int], Attempt]
"""Tries one strategy with one seed; the UI passes a cached one so each attempt runs once."""

Progress = Callable[[int, int], None]
"""Told the options kept so far and the options wanted, after every attempt."""


def attempt_option(case: Case, program: Program, strategy: Strategy, seed: int) -> Attempt:
    """Lay out one strategy and seed, audit it from its geometry and measure its KPIs.

    A plan with staff corridors wider than the scenario's (see :func:`plan_from_program`) that
    the audit rejects is laid out again at the scenario's width.
    """
    try:
        plan = plan_from_program(program, case=case, strategy=strategy, seed=seed)
    except LayoutError as exc:
        return Attempt(strategy, seed, None, f"{strategy} (seed {seed}): {exc}")
    analysis = analysis_from_plan(plan, footprint=case.scenario.footprint)
    problems = audit_analysis(analysis, layout=case.scenario.layout)
    narrow = case.scenario.layout.staff_corridor_width_m
    if problems and any(c.staff_only and c.width_m > narrow + 1e-6 for c in plan.corridors):
        try:
            plan = plan_from_program(
                program, case=case, strategy=strategy, seed=seed, wide_first=False
            )
        except LayoutError:
            pass  # the wide plan's audit problem says why
        else:
            analysis = analysis_from_plan(plan, footprint=case.scenario.footprint)
            problems = audit_analysis(analysis, layout=case.scenario.layout)
    if problems:
        return Attempt(
            strategy, seed, None, f"{strategy} (seed {seed}): audit {problems[0].plan_line()}"
        )
    rules = review_rules(analysis, catalog=case.catalog, rules=case.scenario.rules)
    kpis = kpis_from_plan(plan, case=case, analysis=analysis, problems=problems, rules=rules)
    return Attempt(strategy, seed, Option(plan, kpis, (), rules.problems))


def options_from_case(
    case: Case,
    *,
    options: int | None = None,
    footprint: Footprint | None = None,
    program: Program | None = None,
    attempt: Attempter | None = None,
    progress: Progress | None = None,
) -> list[Option]:
    """Generate, audit, score and rank floor-plan options for a scenario; return the best first.

    Each strategy is tried with a series of seeds; an option the audit finds anything wrong
    with is dropped, and so are duplicates. An option that breaks a building rule another
    option meets is dropped too (the search goes on while it finds such options); where no
    option meets a rule, the options carry the problem. A strategy whose plan broke such a rule
    gets its second try only when the strategies meeting the rules stop giving new options.
    ``attempt`` replaces :func:`attempt_option` (a cached one), ``progress`` hears how far the
    search is. Raises :class:`LayoutError` with the reasons when no option holds up.
    """
    if footprint is not None:
        scenario = case.scenario.model_copy(update={"footprint": footprint})
        case = case.model_copy(update={"scenario": scenario})
    scenario = case.scenario
    sized = program or program_from_case(case)
    wanted = options or scenario.layout.options
    check_capacity(sized, case)
    tried = attempt or (lambda strategy, seed: attempt_option(case, sized, strategy, seed))
    kept: list[Option] = []
    centroids = _Centroids()
    failures: list[str] = []
    misses: dict[str, int] = dict.fromkeys(scenario.layout.strategies, 0)
    for round_ in range(_ROUNDS * wanted):
        if len(_meeting_the_rules(kept)) >= wanted:
            break
        for strategy in scenario.layout.strategies:
            meeting = _meeting_the_rules(kept)
            # a try that gave nothing, the same plan, or a plan breaking a rule others keep
            # (counted now: a plan kept first may fall behind those kept after it)
            behind = {
                s: sum(1 for o in kept if o.plan.strategy == s and o not in meeting)
                for s in scenario.layout.strategies
            }
            spent = misses[strategy] + behind[strategy]
            if spent >= 2 or len(meeting) >= wanted:
                continue
            giving = [
                s
                for s in scenario.layout.strategies
                if misses[s] + behind[s] < 2 and any(o.plan.strategy == s for o in meeting)
            ]
            if round_ > 0 and behind[strategy] and giving and strategy not in giving:
                continue  # its second try waits until the strategies meeting the rules dry up
            result = tried(strategy, scenario.seed + round_)
            found = result.option
            same = (
                None
                if found is None
                else next(
                    (
                        k
                        for k, o in enumerate(kept)
                        if _same_option(found.plan, o.plan, centroids=centroids)
                    ),
                    None,
                )
            )
            if found is None:
                failures.append(result.failure)
                misses[strategy] += 1
            elif same is not None:
                misses[strategy] += 1
                if len(found.rules) < len(kept[same].rules):
                    kept[same] = found  # the same plan, keeping more of the rules
            else:
                kept.append(found)
                if found in _meeting_the_rules(kept):
                    misses[strategy] = 0
            if progress is not None:
                progress(min(len(_meeting_the_rules(kept)), wanted), wanted)
    if not kept:
        raise LayoutError("no strategy could lay out the programme: " + "; ".join(failures[:3]))
    kept = _meeting_the_rules(kept)
    kept.sort(key=lambda o: (-o.kpis.score, o.plan.strategy, o.plan.seed))
    ranked = []
    for rank, option in enumerate(kept[:wanted], start=1):
        plan = option.plan.model_copy(update={"option": rank})
        kpis = option.kpis.model_copy(update={"option": rank})
        ranked.append(Option(plan, kpis, (), option.rules))
    return ranked


def _meeting_the_rules(options: list[Option]) -> list[Option]:
    """Keep the options that break the fewest building rules some other option meets.

    A rule one option meets is one the building allows; an option breaking it is dropped like
    one the audit rejects. Where every option breaks a rule, none is dropped for it.
    """
    if not options:
        return []
    codes = set().union(*(o.rule_codes for o in options))
    meetable = {c for c in codes if any(c not in o.rule_codes for o in options)}
    broken = [len(o.rule_codes & meetable) for o in options]
    fewest = min(broken)
    return [o for o, n in zip(options, broken, strict=True) if n == fewest]


def plans_from_case(
    case: Case,
    *,
    options: int | None = None,
    footprint: Footprint | None = None,
    program: Program | None = None,
) -> list[Plan]:
    """Return the ranked plans of :func:`options_from_case`, best first."""
    return [
        o.plan
        for o in options_from_case(case, options=options, footprint=footprint, program=program)
    ]


class _Centroids:
    """The rooms' centroids of the plans one search compares, each plan's worked out once.

    :func:`_same_option` compares every new plan with every plan kept, each time building
    every room's polygon again; here each plan's are made once (by the plan's identity: the
    plan is held, so its id is not reused while it is remembered).
    """

    def __init__(self) -> None:
        self._plans: dict[int, tuple[Plan, list[Point], dict[str, Point]]] = {}

    def of(self, plan: Plan) -> tuple[list[Point], dict[str, Point]]:
        """Return each room's centroid in the plan's order, and the first room's by id."""
        found = self._plans.get(id(plan))
        if found is None:
            in_order = [r.shape.centroid for r in plan.rooms]
            by_id: dict[str, Point] = {}
            for room, centroid in zip(plan.rooms, in_order, strict=True):
                by_id.setdefault(room.id, centroid)
            found = self._plans[id(plan)] = (plan, in_order, by_id)
        return found[1], found[2]


def _same_option(a: Plan, b: Plan, *, centroids: _Centroids | None = None) -> bool:
    """Tell whether two plans are the same option: rooms of at most a fifth of the enclosed
    area moved more than a metre.

    A few small rooms swapped within a row, or the hall's open areas arranged anew, do not make
    another option; a different strategy or structure moves most of the floor. ``centroids``
    remembers the plans' room centroids between calls.
    """
    memo = centroids or _Centroids()
    in_a, _ = memo.of(a)
    _, in_b = memo.of(b)
    rooms = [(r, c) for r, c in zip(a.rooms, in_a, strict=True) if r.enclosed]
    total = sum(r.programme_area_m2 for r, _ in rooms)
    moved = 0.0
    for room, centroid in rooms:
        other = in_b.get(room.id)
        if other is None or centroid.distance(other) > 1.0:
            moved += room.programme_area_m2
    return moved <= 0.2 * total
