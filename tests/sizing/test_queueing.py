"""Check the queueing maths against independent values: exact rationals and direct chains."""

from __future__ import annotations

import doctest
import math
from decimal import Decimal, localcontext
from fractions import Fraction

import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import given, settings, strategies as st

from configurator.sizing import queueing
from configurator.sizing.queueing import (
    QueueingError,
    erlang_a,
    erlang_b,
    erlang_c,
    mean_wait_s,
    offered_load,
    queue_length_quantile,
    required_servers,
    required_servers_erlang_a,
    service_level,
)

# --------------------------------------------------------------------------------------------
# exact references
# --------------------------------------------------------------------------------------------


def exact_erlang_b(a: Fraction, c: int) -> Fraction:
    """(A^c/c!) / Σ_{k<=c} A^k/k!, in integers: A = p/q, multiply through by q^c·c!."""
    p, q = a.numerator, a.denominator
    fact_ratio = 1  # c!/k!, built from k = c downwards
    denominator = 0
    for k in range(c, -1, -1):
        denominator += p**k * q ** (c - k) * fact_ratio
        fact_ratio *= k if k > 0 else 1
    return Fraction(p**c, denominator)


def exact_erlang_c(a: Fraction, c: int) -> Fraction:
    """Closed form (A^c/c!·c/(c-A)) / (Σ_{k<c} A^k/k! + A^c/c!·c/(c-A)), independent of B."""
    terms = [Fraction(1)]
    for k in range(1, c + 1):
        terms.append(terms[-1] * a / k)
    tail = terms[c] * c / (c - a)
    return tail / (sum(terms[:c], Fraction(0)) + tail)


def rel_err(x: float, exact: Fraction) -> float:
    return float(abs(Fraction(x) - exact) / exact)


GRID = [
    (c, rho) for c in (1, 2, 5, 10, 50, 100, 200, 350, 500) for rho in (0.3, 0.8, 0.9, 0.99, 0.999)
]


@pytest.mark.parametrize(("c", "rho"), GRID)
def test_erlang_b_matches_exact_rational(c: int, rho: float) -> None:
    a = c * rho
    assert rel_err(erlang_b(a, c), exact_erlang_b(Fraction(a), c)) < 1e-12


@pytest.mark.parametrize(("c", "rho"), [(1, 1.5), (10, 1.0), (100, 2.0), (500, 1.2)])
def test_erlang_b_overload_matches_exact_rational(c: int, rho: float) -> None:
    a = c * rho
    assert rel_err(erlang_b(a, c), exact_erlang_b(Fraction(a), c)) < 1e-12


@pytest.mark.parametrize(("c", "rho"), GRID)
def test_erlang_c_matches_exact_rational(c: int, rho: float) -> None:
    a = c * rho
    # 60-minute services make the offered load equal the hourly rate exactly.
    assert offered_load(a, 60.0) == a
    assert rel_err(erlang_c(a, 60.0, c), exact_erlang_c(Fraction(a), c)) < 1e-12


def test_erlang_b_edge_cases() -> None:
    assert erlang_b(0.0, 0) == 1.0
    assert erlang_b(0.0, 3) == 0.0
    assert erlang_b(5.0, 0) == 1.0
    assert erlang_b(2.0, 1) == pytest.approx(2.0 / 3.0, rel=1e-15)


# --------------------------------------------------------------------------------------------
# worked examples
# --------------------------------------------------------------------------------------------


def test_textbook_ten_erlangs_eleven_servers() -> None:
    # 120 arrivals/h x 5 min = 10 Erlangs on 11 servers. By hand:
    # C = (10^11/11! · 11) / (Σ_{k=0}^{10} 10^k/k! + 10^11/11! · 11) ≈ 0.6821.
    a = Fraction(10)
    head = sum((a**k / math.factorial(k) for k in range(11)), Fraction(0))
    tail = a**11 / math.factorial(11) * 11 / (11 - a)
    c_exact = tail / (head + tail)
    assert float(c_exact) == pytest.approx(0.6821182, abs=5e-8)
    assert erlang_c(120, 5, 11) == pytest.approx(float(c_exact), rel=1e-13)
    # Mean wait C·S/(c - A) = 5·C minutes.
    assert mean_wait_s(120, 5, 11) == pytest.approx(float(c_exact) * 5 * 60, rel=1e-13)
    # Within 20 s: 1 - C·exp(-(11-10)·(1/3 min)/5 min).
    expected_sl = 1 - float(c_exact) * math.exp(-1 / 15)
    assert service_level(120, 5, 11, 20) == pytest.approx(expected_sl, rel=1e-13)


def test_call_centre_example_100_calls_per_half_hour() -> None:
    # The widely reproduced call-centre walk-through: 100 calls per 30 min, 180 s handling,
    # 80 % within 20 s -> A = 10 Erlangs, 14 agents, P(wait) ≈ 17.4 %, SL ≈ 88.8 %,
    # ASA ≈ 7.8 s. The exact figures are derived here rather than trusted.
    a = Fraction(10)
    c = 14
    c_exact = exact_erlang_c(a, c)
    assert float(c_exact) == pytest.approx(0.1741, abs=5e-5)
    assert erlang_c(200, 3, c) == pytest.approx(float(c_exact), rel=1e-13)
    sl = service_level(200, 3, c, 20)
    assert sl == pytest.approx(1 - float(c_exact) * math.exp(-(c - 10) * (20 / 60) / 3), rel=1e-13)
    assert sl == pytest.approx(0.888, abs=5e-4)
    asa = mean_wait_s(200, 3, c)
    assert asa == pytest.approx(float(c_exact) * 3 / (c - 10) * 60, rel=1e-13)
    assert asa == pytest.approx(7.8, abs=0.05)
    assert required_servers(200, 3, 20, 0.80) == 14
    assert service_level(200, 3, 13, 20) < 0.80


def test_doctests_in_module() -> None:
    result = doctest.testmod(queueing)
    assert result.attempted > 0
    assert result.failed == 0


# --------------------------------------------------------------------------------------------
# required_servers
# --------------------------------------------------------------------------------------------


def test_required_servers_can_be_ceil_of_load() -> None:
    # 100/h x 4.5 min = 7.5 Erlangs; 8 servers serve 53.7 % within 5 min, so the answer is
    # ceil(A) = 8, one below where a search starting at ceil(A) + 1 would begin.
    assert offered_load(100, 4.5) == 7.5
    assert service_level(100, 4.5, 8, 300) >= 0.5
    assert required_servers(100, 4.5, 300, 0.5) == 8
    # Non-integral load just above an integer: 4.1667 Erlangs -> 5 servers.
    assert required_servers(50, 5, 300, 0.5) == math.ceil(offered_load(50, 5))


def test_required_servers_integral_load_needs_one_more() -> None:
    # A = 3 exactly: c = 3 is unstable, so at least 4.
    assert required_servers(45, 4, 3600, 0.0) == 4


def test_required_servers_is_smallest() -> None:
    for lam, s, t, level in [(200, 3, 20, 0.8), (30, 12, 60, 0.9), (600, 6, 30, 0.95)]:
        c = required_servers(lam, s, t, level)
        assert service_level(lam, s, c, t) >= level
        assert service_level(lam, s, c - 1, t) < level


def test_required_servers_zero_arrivals() -> None:
    assert required_servers(0, 5, 20, 0.8) == 0


def test_required_servers_large_case() -> None:
    # 5 000/h x 5 min ≈ 416.7 Erlangs.
    c = required_servers(5000, 5, 20, 0.8)
    assert 417 <= c <= 500
    assert service_level(5000, 5, c, 20) >= 0.8 > service_level(5000, 5, c - 1, 20)


def test_required_servers_unattainable() -> None:
    with pytest.raises(QueueingError, match="target_level must be below 1"):
        required_servers(10, 5, 0, 1.0)
    with pytest.raises(QueueingError, match="max_servers"):
        required_servers(10_000, 5, 20, 0.8, max_servers=500)
    with pytest.raises(QueueingError, match="cannot be met with at most 5"):
        required_servers(48, 5, 0, 0.999, max_servers=5)


@settings(max_examples=60, deadline=None)
@given(
    lam=st.floats(min_value=0.5, max_value=800.0),
    extra=st.floats(min_value=0.0, max_value=200.0),
    s=st.floats(min_value=0.5, max_value=30.0),
    t=st.floats(min_value=0.0, max_value=600.0),
    level=st.floats(min_value=0.0, max_value=0.99),
)
def test_required_servers_monotone_in_arrivals(
    lam: float, extra: float, s: float, t: float, level: float
) -> None:
    assert required_servers(lam + extra, s, t, level) >= required_servers(lam, s, t, level)


@settings(max_examples=60, deadline=None)
@given(
    lam=st.floats(min_value=0.5, max_value=800.0),
    s=st.floats(min_value=0.5, max_value=30.0),
    t=st.floats(min_value=0.0, max_value=600.0),
    t_less=st.floats(min_value=0.0, max_value=600.0),
    level=st.floats(min_value=0.0, max_value=0.99),
    level_more=st.floats(min_value=0.0, max_value=0.99),
)
def test_required_servers_monotone_in_target(
    lam: float, s: float, t: float, t_less: float, level: float, level_more: float
) -> None:
    base = required_servers(lam, s, t, level)
    stricter_level = min(0.99, level + level_more)
    assert required_servers(lam, s, t, stricter_level) >= base
    assert required_servers(lam, s, max(0.0, t - t_less), level) >= base


# --------------------------------------------------------------------------------------------
# other M/M/c figures
# --------------------------------------------------------------------------------------------


def test_unstable_and_empty_queues() -> None:
    assert erlang_c(120, 5, 10) == 1.0
    assert service_level(120, 5, 10, 20) == 0.0
    assert mean_wait_s(120, 5, 10) == math.inf
    assert erlang_c(0, 5, 0) == 0.0
    assert service_level(0, 5, 0, 0) == 1.0
    assert mean_wait_s(0, 5, 3) == 0.0
    with pytest.raises(QueueingError, match="unstable"):
        queue_length_quantile(120, 5, 10)


def test_service_level_limits() -> None:
    # Target 0: share served immediately = 1 - C.
    assert service_level(120, 5, 12, 0) == pytest.approx(1 - erlang_c(120, 5, 12), rel=1e-15)
    assert service_level(120, 5, 12, 1e6) == pytest.approx(1.0)


def exact_queue_quantile(a: Fraction, c: int, q: Fraction) -> int:
    """Smallest s with P(Lq > s) <= 1 - q, summing the M/M/c stationary distribution."""
    weights = [Fraction(1)]
    for n in range(1, c + 1):
        weights.append(weights[-1] * a / n)
    rho = a / c
    total = sum(weights[:c], Fraction(0)) + weights[c] / (1 - rho)
    cum = sum(weights, Fraction(0)) / total  # P(N <= c), i.e. Lq = 0
    s = 0
    term = weights[c] / total
    while 1 - cum > 1 - q:
        term *= rho
        cum += term
        s += 1
    return s


@pytest.mark.parametrize(
    ("lam", "c", "q"),
    [
        (8.0, 10, 0.95),
        (9.5, 10, 0.9),
        (45.0, 50, 0.99),
        (2.5, 3, 0.5),
        (0.5, 1, 0.95),
        (180.0, 200, 0.95),
        (3.0, 10, 0.95),
    ],
)
def test_queue_length_quantile_matches_stationary_sum(lam: float, c: int, q: float) -> None:
    # 60-minute services: load in Erlangs equals the hourly rate.
    expected = exact_queue_quantile(Fraction(lam), c, Fraction(q))
    assert queue_length_quantile(lam, 60.0, c, q) == expected


def test_queue_length_quantile_edges() -> None:
    assert queue_length_quantile(0, 5, 1) == 0
    assert queue_length_quantile(120, 5, 11, 0.0) == 0
    with pytest.raises(QueueingError, match="q must be below 1"):
        queue_length_quantile(120, 5, 11, 1.0)


# --------------------------------------------------------------------------------------------
# Erlang A
# --------------------------------------------------------------------------------------------


def direct_chain(
    lam: float, mu: float, theta: float, c: int, n_max: int
) -> npt.NDArray[np.float64]:
    """Solve πQ = 0 for the M/M/c+M chain truncated at n_max with a dense linear solve."""
    size = n_max + 1
    q = np.zeros((size, size))
    for n in range(size):
        if n < n_max:
            q[n, n + 1] = lam
        if n > 0:
            q[n, n - 1] = min(n, c) * mu + max(n - c, 0) * theta
        q[n, n] = -q[n].sum()
    lhs = np.vstack([q.T, np.ones(size)])
    rhs = np.zeros(size + 1)
    rhs[-1] = 1.0
    pi, *_ = np.linalg.lstsq(lhs, rhs, rcond=None)
    return np.asarray(pi, dtype=np.float64)


def hypoexp_served_within(c: int, mu: Fraction, theta: Fraction, ahead: int, t: Fraction) -> float:
    """P(served within t | `ahead` customers queued ahead), by the closed-form hypoexponential.

    The customer is served when ahead+1 server-start events occur before its own patience
    expires: with rates r_i = cμ + iθ (i = ahead..0) and own abandonment θ, each step succeeds
    with probability r_i/q_i (q_i = r_i + θ) after an Exp(q_i) holding time, so
    P = Π r_i/q_i · P(Σ Exp(q_i) <= t). The hypoexponential CDF with distinct rates is
    1 - Σ_i Π_{m≠i} q_m/(q_m - q_i) · e^{-q_i t}; evaluated in 120-digit decimal arithmetic
    to survive its alternating-sign cancellation.
    """
    rates = [c * mu + i * theta for i in range(ahead + 1)]
    totals = [r + theta for r in rates]
    path = Fraction(1)
    for r, tot in zip(rates, totals, strict=True):
        path *= r / tot
    with localcontext() as ctx:
        ctx.prec = 120
        survival = Decimal(0)
        for i, qi in enumerate(totals):
            coef = Fraction(1)
            for m, qm in enumerate(totals):
                if m != i:
                    coef *= qm / (qm - qi)
            dec_coef = Decimal(coef.numerator) / Decimal(coef.denominator)
            exponent = Decimal(qi.numerator) * Decimal(t.numerator)
            exponent /= Decimal(qi.denominator) * Decimal(t.denominator)
            survival += dec_coef * (-exponent).exp()
        cdf = 1 - survival
        return float(Decimal(path.numerator) / Decimal(path.denominator) * cdf)


@pytest.mark.parametrize(
    ("lam_h", "service_min", "patience_min", "c", "target_s"),
    [
        (120, 5, 10, 11, 20),  # 10 Erlangs, moderate patience
        (120, 5, 2, 9, 60),  # overloaded, impatient
        (30, 6, 5, 3, 30),  # small office
        (30, 6, 20, 2, 120),  # overloaded, patient
    ],
)
def test_erlang_a_matches_direct_chain_and_hypoexponential(
    lam_h: int, service_min: int, patience_min: int, c: int, target_s: int
) -> None:
    lam = lam_h / 60
    mu = 1 / service_min
    theta = 1 / patience_min
    n_max = c + 120
    pi = direct_chain(lam, mu, theta, c, n_max)
    assert pi[-1] < 1e-15  # truncation is harmless (lstsq noise is ~1e-17)
    n = np.arange(n_max + 1)
    lq = np.maximum(n - c, 0)
    p_wait = pi[c:].sum()
    mean_lq = float(lq @ pi)
    p_abandon = theta * mean_lq / lam
    asa_s = mean_lq / lam * 60
    occupancy = float(np.minimum(n, c) @ pi) / c
    # Service level: no wait below c, hypoexponential success probability at and above c.
    ahead_max = 60
    success = [
        hypoexp_served_within(
            c,
            Fraction(1, service_min),
            Fraction(1, patience_min),
            j,
            Fraction(target_s, 60),
        )
        for j in range(ahead_max + 1)
    ]
    assert pi[c + ahead_max + 1 :].sum() < 1e-13
    sl = pi[:c].sum() + float(np.dot(pi[c : c + ahead_max + 1], success))

    result = erlang_a(lam_h, service_min, patience_min, c, target_s)
    assert result.p_wait == pytest.approx(p_wait, rel=1e-9)
    assert result.p_abandon == pytest.approx(p_abandon, rel=1e-9)
    assert result.asa_s == pytest.approx(asa_s, rel=1e-9)
    assert result.occupancy == pytest.approx(occupancy, rel=1e-9)
    assert result.service_level == pytest.approx(sl, rel=1e-9)
    # Flow balance: served share = carried load / offered load.
    carried = occupancy * c
    assert 1 - result.p_abandon == pytest.approx(carried / (lam / mu), rel=1e-9)


@pytest.mark.parametrize(("c", "target_s"), [(11, 20), (12, 0), (15, 60), (50, 30)])
def test_erlang_a_tiny_abandonment_is_erlang_c(c: int, target_s: int) -> None:
    lam_h, s = 120.0 * c / 11, 5.0
    result = erlang_a(lam_h, s, 1e9, c, target_s)
    assert result.p_wait == pytest.approx(erlang_c(lam_h, s, c), rel=1e-6)
    assert result.service_level == pytest.approx(service_level(lam_h, s, c, target_s), rel=1e-6)
    assert result.asa_s == pytest.approx(mean_wait_s(lam_h, s, c), rel=1e-6)
    assert result.p_abandon < 1e-6


def test_erlang_a_many_servers_no_wait() -> None:
    result = erlang_a(120, 5, 10, 60, 20)
    assert result.p_wait < 1e-12
    assert result.service_level == pytest.approx(1.0, abs=1e-12)
    assert result.p_abandon < 1e-12
    assert result.occupancy == pytest.approx(10 / 60, rel=1e-9)


def test_erlang_a_large_and_stable() -> None:
    # 500 servers at a load of exactly one Erlang per server: stable only thanks to patience.
    result = erlang_a(6000, 5, 3, 500, 20)
    for value in (result.p_wait, result.service_level, result.p_abandon, result.occupancy):
        assert 0.0 < value < 1.0
    # Exponential patience: abandonment = θ x mean time queued (over all arrivals).
    assert result.p_abandon == pytest.approx(result.asa_s / 60 / 3, rel=1e-12)
    assert result.service_level <= 1 - result.p_abandon
    over = erlang_a(9000, 5, 3, 500, 20)  # 1.5 Erlangs per server
    assert over.p_abandon == pytest.approx(1 - 500 / 750, rel=1e-3)


def test_erlang_a_trivial_cases() -> None:
    assert erlang_a(0, 5, 10, 2, 20).service_level == 1.0
    none = erlang_a(10, 5, 10, 0, 20)
    assert none.p_abandon == 1.0
    assert none.service_level == 0.0
    assert none.asa_s == 600.0


@pytest.mark.parametrize(
    ("lam_h", "service_min", "patience_min", "target_s", "level", "cap"),
    [
        (120, 5, 10, 20, 0.8, 0.05),
        (120, 5, 1, 60, 0.5, 0.2),
        (30, 6, 5, 30, 0.9, 0.01),
        (600, 4, 3, 20, 0.8, 0.03),
    ],
)
def test_required_servers_erlang_a_is_smallest(
    lam_h: int, service_min: int, patience_min: int, target_s: int, level: float, cap: float
) -> None:
    def meets(c: int) -> bool:
        r = erlang_a(lam_h, service_min, patience_min, c, target_s)
        return r.service_level >= level and r.p_abandon <= cap

    found = required_servers_erlang_a(lam_h, service_min, patience_min, target_s, level, cap)
    linear = next(c for c in range(1, 501) if meets(c))
    assert found == linear
    # Without the abandonment cap, abandonment only relieves the queue, so never more servers
    # than Erlang C needs for the same service target.
    uncapped = required_servers_erlang_a(lam_h, service_min, patience_min, target_s, level, 1.0)
    assert uncapped <= min(found, required_servers(lam_h, service_min, target_s, level))


def test_required_servers_erlang_a_errors() -> None:
    assert required_servers_erlang_a(0, 5, 10, 20, 0.8) == 0
    with pytest.raises(QueueingError, match="max_abandon must be above 0"):
        required_servers_erlang_a(10, 5, 10, 20, 0.8, 0.0)
    with pytest.raises(QueueingError, match="target_level must be below 1"):
        required_servers_erlang_a(10, 5, 10, 20, 1.0)
    with pytest.raises(QueueingError, match="cannot be met with at most 3"):
        required_servers_erlang_a(120, 5, 10, 20, 0.8, max_servers=3)


# --------------------------------------------------------------------------------------------
# validation
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: erlang_b(-1.0, 3), "offered_load_erlangs must be >= 0"),
        (lambda: erlang_b(math.nan, 3), "offered_load_erlangs must be finite"),
        (lambda: erlang_b(1.0, -1), "servers must be an integer >= 0"),
        (lambda: erlang_b(1.0, 2.5), "servers must be an integer"),  # type: ignore[arg-type]
        (lambda: erlang_b(1.0, True), "servers must be an integer"),
        (lambda: erlang_c(-5, 5, 3), "arrival_rate_per_hour must be >= 0"),
        (lambda: erlang_c(5, 0, 3), "mean_service_min must be > 0"),
        (lambda: erlang_c(math.inf, 5, 3), "arrival_rate_per_hour must be finite"),
        (lambda: service_level(5, 5, 3, -1), "target_wait_s must be >= 0"),
        (lambda: mean_wait_s(5, "5", 3), "mean_service_min must be a number"),  # type: ignore[arg-type]
        (lambda: required_servers(5, 5, 20, 80), "target_level must be between 0 and 1"),
        (lambda: queue_length_quantile(5, 5, 3, -0.1), "q must be between 0 and 1"),
        (lambda: erlang_a(5, 5, 0, 3, 20), "mean_patience_min must be > 0"),
        (lambda: erlang_a(5, 5, math.inf, 3, 20), "mean_patience_min must be finite"),
        (lambda: required_servers_erlang_a(5, 5, 5, 20, 0.8, 1.5), "max_abandon must be between"),
    ],
)
def test_invalid_inputs_raise_clear_errors(call: object, message: str) -> None:
    assert callable(call)
    with pytest.raises(QueueingError, match=message):
        call()


def test_queueing_error_is_value_error() -> None:
    assert issubclass(QueueingError, ValueError)
