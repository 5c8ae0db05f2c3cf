"""Verify the Pori sizing by simulation: targets met, Erlang C confirmed, under-sizing caught."""

from __future__ import annotations

import functools
import math

import pytest

from configurator.inputs.catalog import Case, load_case
from configurator.sizing.counts import QueueSizing, Sizing, sizing_from_demand
from configurator.sizing.demand import Demand, demand_from_scenario
from configurator.sizing.queue_simulation import Estimate, simulate_queue
from configurator.sizing.queueing import erlang_c, mean_wait_s, service_level
from configurator.sizing.verification import (
    SERVICE_LEVEL_TOLERANCE,
    SizingVerification,
    VerificationError,
    guide_probability,
    simulate_sizing,
)
from tests.common import REPO
from tests.sizing.test_queue_simulation import t_quantile

SEED = 20240601

# Statistical comparisons against exact figures in this file: service level, mean wait and
# P(wait) of two queues. Each uses a Bonferroni-adjusted level (as tests/test_simulation.py
# does), so a correct model fails this file for at most 5 % of seeds.
FAMILY_SIZE = 6

# One design hour per simulated day makes the per-day shares noisy, so the pass/fail checks
# run enough days for their margins (about 7 s and 4 s). Measured over 400 days (seed 11):
# the sized queues give up 2.9-3.7 % of design-hour arrivals against the 5 % cap (standard
# error about 0.006 over 150 days: the closest queue is 2.3 standard errors inside), and the
# shared counter with one server fewer 8.1 % (standard error about 0.012 over 80 days: 2.7
# outside). Both checks passed for this seed and 7 others tried (seeds 1-7).
SIZED_DAYS = 150
UNDERSIZED_DAYS = 80


@functools.cache
def pori() -> tuple[Case, Demand, Sizing]:
    case = load_case(REPO / "examples" / "pori.yaml")
    demand = demand_from_scenario(case.scenario, catalog=case.catalog)
    sizing = sizing_from_demand(demand, catalog=case.catalog, scenario=case.scenario)
    return case, demand, sizing


@functools.cache
def pori_verified() -> SizingVerification:
    case, demand, sizing = pori()
    return simulate_sizing(case, sizing, demand, seed=SEED, replications=SIZED_DAYS)


def main_counter(sizing: Sizing) -> QueueSizing:
    """The shared counter queue with the most arrivals: the point's main queue."""
    counters = [q for q in sizing.queues if q.channel == "quick_counter"]
    return max(counters, key=lambda q: (len(q.agencies), q.arrivals_per_hour))


def assert_agrees(estimate: Estimate, exact: float, *, max_rel_half_width: float) -> None:
    """The exact value lies in the simultaneous (Bonferroni) 95 % interval of the simulation,
    and the plain 95 % CI is narrow enough for the check to mean something."""
    crit = t_quantile(1 - 0.05 / (2 * FAMILY_SIZE), estimate.replications - 1)
    assert abs(estimate.mean - exact) <= crit * estimate.std_error, (estimate, exact, crit)
    assert estimate.half_width <= max_rel_half_width * abs(exact), (estimate, exact)


def test_guide_probability_is_the_persona_weighted_chance_of_a_guide_stop() -> None:
    case, demand, _ = pori()
    personas = [(p, demand.persona_shares[p.id]) for p in case.catalog.personas]
    # By hand from catalog/personas.yaml:
    # 0.35 × (0.5·0.6 + 0.35·0.6 + 0.15·0.5) + 0.30 × 0.85 + 0.20 × 0.95
    # + 0.15 × (0.5·0.9 + 0.3·0.9 + 0.2·0.5) = 0.20475 + 0.255 + 0.19 + 0.123
    assert guide_probability(personas) == pytest.approx(0.77275, abs=1e-12)
    assert pori_verified().guide_probability == pytest.approx(0.77275, abs=1e-12)


def test_pori_network_carries_the_sized_flows() -> None:
    _, demand, sizing = pori()
    result = pori_verified()
    assert {q.name for q in result.queues} == {f"{q.channel}:{q.name}" for q in sizing.queues}
    assert [n.kind for n in result.nodes].count("guide") == 1
    assert [n.kind for n in result.nodes].count("help") == 1
    assert result.hours == 3
    assert result.design_hour_index == 1
    assert result.hourly_factors[1] == 1.0
    assert 0.5 < result.hourly_factors[0] == result.hourly_factors[2] < 0.7
    guide = next(n for n in result.nodes if n.kind == "guide")
    assert guide.servers == sizing.persons("service_guide")
    # The guide desk gets the design-hour arrivals its staff were sized on.
    guide_moment = next(m for m in demand.moments if m.kind == "guide")
    assert guide.arrivals_per_hour == pytest.approx(guide_moment.arrivals_per_design_hour)
    for node in result.nodes:
        # Simulated design-hour arrivals per day match the sized rate (a loose check: the
        # pooled half-width is conservative).
        assert node.arrivals.contains(node.arrivals_per_hour), node
        assert node.censored == 0, node
    for queue, sized in zip(result.queues, sizing.queues, strict=True):
        assert queue.servers == sized.servers
        assert queue.target_level == sized.target_level
        assert queue.erlang_c_service_level == pytest.approx(sized.service_level)
        assert queue.erlang_c_mean_wait_s == pytest.approx(sized.mean_wait_s)


def test_sized_pori_point_meets_every_queue_target_in_simulation() -> None:
    case, _, _ = pori()
    result = pori_verified()
    targets = case.scenario.targets
    assert result.max_abandon == targets.max_abandon
    assert result.tolerance == SERVICE_LEVEL_TOLERANCE == 0.02
    for queue in result.queues:
        assert queue.service_level.mean >= queue.target_level - SERVICE_LEVEL_TOLERANCE, queue
        assert queue.p_abandon.mean < targets.max_abandon, queue
        assert queue.meets_target, queue
    assert result.all_queues_meet_target


def test_erlang_c_agrees_with_simulation_of_each_sized_single_queue() -> None:
    # Each sized counter queue as a stationary M/M/c queue (what Erlang C assumes: Poisson
    # arrivals, one exponential service time, no abandonment) over long days.
    _, _, sizing = pori()
    counters = [q for q in sizing.queues if q.channel == "quick_counter"]
    assert len(counters) * 3 == FAMILY_SIZE
    for q in counters:
        lam, s, c, t = q.arrivals_per_hour, q.mean_service_min, q.servers, q.target_wait_s
        result = simulate_queue(
            lam, s, c, hours=25.0, warmup_hours=5.0, seed=SEED, replications=20, target_wait_s=t
        )
        assert result.censored == 0
        assert q.service_level == pytest.approx(service_level(lam, s, c, t))
        assert_agrees(result.service_level, q.service_level, max_rel_half_width=0.05)
        assert_agrees(result.mean_wait_s, q.mean_wait_s, max_rel_half_width=0.3)
        assert_agrees(result.p_wait, erlang_c(lam, s, c), max_rel_half_width=0.15)
        assert q.mean_wait_s == pytest.approx(mean_wait_s(lam, s, c))


def test_one_counter_below_the_level_count_fails_in_simulation() -> None:
    case, demand, sizing = pori()
    main = main_counter(sizing)
    assert main.name == "shared"
    fewer = sizing.model_copy(
        update={
            "queues": [
                q.model_copy(update={"servers": q.servers_for_level - 1}) if q == main else q
                for q in sizing.queues
            ]
        }
    )
    result = simulate_sizing(case, fewer, demand, seed=SEED, replications=UNDERSIZED_DAYS)
    under = result.node(f"quick_counter:{main.name}")
    sized = pori_verified().node(f"quick_counter:{main.name}")
    # One below what the service level alone needs (the sizing adds more for abandonment).
    assert under.servers == main.servers_for_level - 1 < sized.servers
    assert not under.meets_target
    assert not result.all_queues_meet_target
    # With impatient customers the share served within 10 min stays above 80 % (Erlang A:
    # those who give up shorten the queue), so the cap on giving up is what fails.
    assert under.meets_service_level
    assert not under.meets_abandonment
    assert under.p_abandon.mean > case.scenario.targets.max_abandon
    assert under.mean_wait_s.mean > sized.mean_wait_s.mean
    assert under.erlang_c_service_level < main.target_level  # Erlang C already says so


def test_same_seed_same_result() -> None:
    case, demand, sizing = pori()
    first = simulate_sizing(case, sizing, demand, seed=3, replications=3)
    again = simulate_sizing(case, sizing, demand, seed=3, replications=3)
    assert repr(first) == repr(again)
    other = simulate_sizing(case, sizing, demand, seed=4, replications=3)
    assert repr(first) != repr(other)


def test_one_hour_profile_and_invalid_hours() -> None:
    case, demand, sizing = pori()
    result = simulate_sizing(case, sizing, demand, seed=1, replications=2, hours=1)
    assert result.hourly_factors == (1.0,)
    assert result.design_hour_index == 0
    assert all(not math.isnan(n.service_level.mean) for n in result.nodes)
    for bad in (0, 2.5, math.inf):
        with pytest.raises(VerificationError, match="hours"):
            simulate_sizing(case, sizing, demand, hours=bad)
