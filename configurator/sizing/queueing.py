"""Compute M/M/c queue figures (Erlang B, C and A) and staffing from plain floats.

Units: arrivals per hour, service and patience times in minutes, waits in seconds.
"""

from __future__ import annotations

import math
import operator
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

# Conventions: probabilities are fractions in [0, 1]; every public function validates its
# inputs and raises QueueingError (a ValueError) naming the offending figure. With no
# arrivals nobody waits, whatever the number of servers, and the sizing functions answer
# 0 servers: the caller applies any minimum staffing.

__all__ = [
    "ErlangAResult",
    "QueueingError",
    "erlang_a",
    "erlang_b",
    "erlang_c",
    "mean_wait_s",
    "offered_load",
    "queue_length_quantile",
    "required_servers",
    "required_servers_erlang_a",
    "service_level",
]

_MINUTES_PER_HOUR = 60.0
_SECONDS_PER_MINUTE = 60.0
#: Relative tail mass below which the M/M/c+M birth-death chain is truncated.
_TAIL_EPS = 1e-16
#: Hard cap on the truncated chain length (guards against near-zero patience in overload).
_MAX_CHAIN_STATES = 5_000_000
#: Hard cap on uniformisation steps for the Erlang A service level.
_MAX_UNIFORMISATION_STEPS = 500_000

FloatArray = npt.NDArray[np.float64]


class QueueingError(ValueError):
    """An input is invalid or a target cannot be met."""


@dataclass(frozen=True, slots=True)
class ErlangAResult:
    """Steady-state figures of an M/M/c+M (Erlang A) queue.

    Attributes:
        p_wait: probability that an arrival finds all servers busy and has to queue.
        service_level: share of ALL arrivals that reach a server within the target wait
            (abandoners count as failures).
        asa_s: mean time in queue over all arrivals in seconds; an abandoner contributes
            the time it waited before leaving.
        p_abandon: share of arrivals that leave the queue before being served.
        occupancy: mean share of servers busy (carried load / servers).
    """

    p_wait: float
    service_level: float
    asa_s: float
    p_abandon: float
    occupancy: float


# --------------------------------------------------------------------------------------------
# validation helpers
# --------------------------------------------------------------------------------------------


def _finite(name: str, value: float, unit: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise QueueingError(f"{name} must be a number ({unit}), got {value!r}")
    x = float(value)
    if not math.isfinite(x):
        raise QueueingError(f"{name} must be finite ({unit}), got {x!r}")
    return x


def _non_negative(name: str, value: float, unit: str) -> float:
    x = _finite(name, value, unit)
    if x < 0.0:
        raise QueueingError(f"{name} must be >= 0 ({unit}), got {x!r}")
    return x


def _positive(name: str, value: float, unit: str) -> float:
    x = _finite(name, value, unit)
    if x <= 0.0:
        raise QueueingError(f"{name} must be > 0 ({unit}), got {x!r}")
    return x


def _probability(name: str, value: float) -> float:
    x = _finite(name, value, "a fraction between 0 and 1")
    if not 0.0 <= x <= 1.0:
        raise QueueingError(
            f"{name} must be between 0 and 1 (a fraction, not a percentage), got {x!r}"
        )
    return x


def _count(name: str, value: int, *, minimum: int = 0) -> int:
    if isinstance(value, bool):
        raise QueueingError(f"{name} must be an integer >= {minimum}, got {value!r}")
    try:
        n = operator.index(value)
    except TypeError:
        raise QueueingError(f"{name} must be an integer >= {minimum}, got {value!r}") from None
    if n < minimum:
        raise QueueingError(f"{name} must be an integer >= {minimum}, got {n}")
    return n


def _load(arrival_rate_per_hour: float, mean_service_min: float) -> float:
    lam = _non_negative("arrival_rate_per_hour", arrival_rate_per_hour, "arrivals per hour")
    s = _positive("mean_service_min", mean_service_min, "minutes")
    return lam * s / _MINUTES_PER_HOUR


# --------------------------------------------------------------------------------------------
# Erlang B / C
# --------------------------------------------------------------------------------------------


def offered_load(arrival_rate_per_hour: float, mean_service_min: float) -> float:
    """Return the offered load A = λ·S in Erlangs (λ per hour, S in minutes, so A = λ·S/60).

    >>> offered_load(120, 5)
    10.0
    """
    return _load(arrival_rate_per_hour, mean_service_min)


def erlang_b(offered_load_erlangs: float, servers: int) -> float:
    """Return the Erlang B blocking probability of an M/M/c/c loss system.

    B(A, c) = (A^c / c!) / Σ_{k=0..c} A^k / k!, computed with the stable recursion
    B(0) = 1, B(k) = A·B(k-1) / (k + A·B(k-1)); every step stays in [0, 1], so it is
    accurate for hundreds of servers and loads near one Erlang per server.

    Args:
        offered_load_erlangs: A >= 0 in Erlangs.
        servers: c >= 0. With 0 servers everything is blocked (B = 1).

    >>> round(erlang_b(10.0, 11), 6)
    0.163232
    """
    a = _non_negative("offered_load_erlangs", offered_load_erlangs, "Erlangs")
    c = _count("servers", servers)
    b = 1.0
    for k in range(1, c + 1):
        ab = a * b
        b = ab / (k + ab)
    return b


def _erlang_c_from_b(a: float, c: int, b: float) -> float:
    # C = B / (1 - ρ(1 - B)) = c·B / (c - A + A·B); c - A is exact near ρ = 1 (Sterbenz).
    return c * b / ((c - a) + a * b)


def _erlang_c_load(a: float, c: int) -> float:
    if a == 0.0:
        return 0.0
    if a >= c:
        return 1.0
    return _erlang_c_from_b(a, c, erlang_b(a, c))


def erlang_c(arrival_rate_per_hour: float, mean_service_min: float, servers: int) -> float:
    """Return the Erlang C probability that an arrival has to wait in an M/M/c queue.

    C = B / (1 - ρ·(1 - B)) with B = Erlang B(A, c), A = λ·S/60 Erlangs and ρ = A/c.
    Returns 1.0 when A >= c (the queue is unstable and grows without bound) and 0.0 with
    no arrivals.

    Args:
        arrival_rate_per_hour: λ, arrivals per hour (>= 0).
        mean_service_min: S, mean service time in minutes (> 0).
        servers: c, number of parallel servers (>= 0).

    >>> round(erlang_c(120, 5, 11), 4)  # A = 10 Erlangs
    0.6821
    """
    a = _load(arrival_rate_per_hour, mean_service_min)
    c = _count("servers", servers)
    return _erlang_c_load(a, c)


def service_level(
    arrival_rate_per_hour: float, mean_service_min: float, servers: int, target_wait_s: float
) -> float:
    """Return the share of arrivals whose wait is at most the target (M/M/c, FCFS).

    SL = 1 - C·exp(-(c - A)·t / S) with C the Erlang C probability, t the target wait and S
    the mean service time in the same unit. Returns 0.0 when unstable (A >= c) and 1.0 with
    no arrivals.

    Args:
        arrival_rate_per_hour: λ, arrivals per hour (>= 0).
        mean_service_min: S, mean service time in minutes (> 0).
        servers: c (>= 0).
        target_wait_s: t, target wait in seconds (>= 0; 0 means "served immediately").

    >>> round(service_level(120, 5, 11, 20), 4)
    0.3619
    """
    a = _load(arrival_rate_per_hour, mean_service_min)
    c = _count("servers", servers)
    t_min = _non_negative("target_wait_s", target_wait_s, "seconds") / _SECONDS_PER_MINUTE
    if a == 0.0:
        return 1.0
    if a >= c:
        return 0.0
    s = float(mean_service_min)
    return 1.0 - _erlang_c_load(a, c) * math.exp(-(c - a) * t_min / s)


def mean_wait_s(arrival_rate_per_hour: float, mean_service_min: float, servers: int) -> float:
    """Return the mean wait over all arrivals (ASA) of an M/M/c queue in seconds.

    W = C·S / (c - A), converted from minutes to seconds; ``math.inf`` when unstable
    (A >= c) and 0.0 with no arrivals.

    >>> round(mean_wait_s(120, 5, 11), 2)
    204.64
    """
    a = _load(arrival_rate_per_hour, mean_service_min)
    c = _count("servers", servers)
    if a == 0.0:
        return 0.0
    if a >= c:
        return math.inf
    s = float(mean_service_min)
    return _erlang_c_load(a, c) * s / (c - a) * _SECONDS_PER_MINUTE


def required_servers(
    arrival_rate_per_hour: float,
    mean_service_min: float,
    target_wait_s: float,
    target_level: float,
    *,
    max_servers: int = 500,
) -> int:
    """Return the smallest number of servers whose M/M/c service level meets the target.

    Finds the smallest c with 1 - C(A, c)·exp(-(c - A)·t/S) >= target_level. The search
    starts at the smallest stable c = floor(A) + 1, which is ceil(A) when A is not an
    integer (starting at ceil(A) + 1, as some libraries do, misses that answer). The service
    level increases with c, so the first c that meets the target is the answer. Figures are
    compared exactly, without tolerance.

    With no arrivals the answer is 0: the caller applies any minimum staffing.

    Args:
        arrival_rate_per_hour: λ, arrivals per hour (>= 0).
        mean_service_min: S, mean service time in minutes (> 0).
        target_wait_s: t, target wait in seconds (>= 0).
        target_level: share of arrivals to serve within t, in [0, 1). A level of 1 cannot be
            met by any finite c when there are arrivals; 0 asks only for a stable queue.
        max_servers: upper bound of the search.

    Raises:
        QueueingError: invalid input, or no c <= max_servers meets the target.

    >>> required_servers(200, 3, 20, 0.80)  # A = 10 Erlangs, 80 % within 20 s
    14
    >>> required_servers(100, 4.5, 300, 0.5)  # A = 7.5 Erlangs: ceil(A) suffices
    8
    """
    a = _load(arrival_rate_per_hour, mean_service_min)
    s = float(mean_service_min)
    t_min = _non_negative("target_wait_s", target_wait_s, "seconds") / _SECONDS_PER_MINUTE
    level = _probability("target_level", target_level)
    limit = _count("max_servers", max_servers)
    if a == 0.0:
        return 0
    if level >= 1.0:
        raise QueueingError(
            "target_level must be below 1: with random arrivals some customers always wait "
            f"longer than {float(target_wait_s):g} s, whatever the number of servers "
            f"(got target_level={level!r}; use e.g. 0.95)"
        )
    start = max(1, math.floor(a) + 1)
    if start > limit:
        raise QueueingError(
            f"offered load {a:.6g} Erlangs needs at least {start} servers to be stable, "
            f"more than max_servers={limit}"
        )
    b = erlang_b(a, start - 1)
    sl = 0.0
    for c in range(start, limit + 1):
        ab = a * b
        b = ab / (c + ab)
        sl = 1.0 - _erlang_c_from_b(a, c, b) * math.exp(-(c - a) * t_min / s)
        if sl >= level:
            return c
    raise QueueingError(
        f"service level {level:g} within {float(target_wait_s):g} s cannot be met with at most "
        f"{limit} servers (reaches {sl:.6g} at {limit}); raise max_servers or relax the target"
    )


def queue_length_quantile(
    arrival_rate_per_hour: float, mean_service_min: float, servers: int, q: float = 0.95
) -> int:
    """Return the q-quantile of the number of customers queueing (not in service), M/M/c.

    The smallest s >= 0 with P(Lq > s) <= 1 - q, where P(Lq > s) = C·ρ^(s+1) (ρ = A/c,
    C the Erlang C probability). Useful for sizing waiting seats.

    Raises:
        QueueingError: invalid input, q outside [0, 1), or an unstable queue (A >= c with
            arrivals), whose queue has no stationary distribution.

    >>> queue_length_quantile(120, 5, 11, 0.95)
    27
    """
    a = _load(arrival_rate_per_hour, mean_service_min)
    c = _count("servers", servers)
    qq = _probability("q", q)
    if a == 0.0:
        return 0
    if a >= c:
        raise QueueingError(
            f"queue is unstable: offered load {a:.6g} Erlangs >= {c} servers, "
            "so the queue length has no quantile"
        )
    if qq >= 1.0:
        raise QueueingError(f"q must be below 1 (the queue length is unbounded), got {qq!r}")
    p = 1.0 - qq
    cw = _erlang_c_load(a, c)
    rho = a / c

    def tail(s: int) -> float:
        return cw * rho ** (s + 1)

    if tail(0) <= p:
        return 0
    # C·ρ^(s+1) <= p  <=>  s >= log(p/C)/log(ρ) - 1; then fix rounding by direct checks.
    s = max(0, math.ceil(math.log(p / cw) / math.log(rho) - 1.0))
    while s > 0 and tail(s - 1) <= p:
        s -= 1
    while tail(s) > p:
        s += 1
    return s


# --------------------------------------------------------------------------------------------
# Erlang A (M/M/c+M)
# --------------------------------------------------------------------------------------------


def _erlang_a_distribution(lam: float, mu: float, theta: float, c: int) -> FloatArray:
    """Stationary distribution π_0..π_{c+J} of M/M/c+M, truncated at negligible tail mass.

    Rates per minute. Birth rate λ; death rate n·μ for n <= c and c·μ + (n-c)·θ above.
    Built in log space so it is stable for hundreds of servers.
    """
    a = lam / mu
    n = np.arange(c + 1, dtype=np.float64)
    lgam = np.array([math.lgamma(k + 1.0) for k in range(c + 1)], dtype=np.float64)
    head = n * math.log(a) - lgam  # log(A^n / n!)
    log_lam = math.log(lam)
    cmu = c * mu
    pieces: list[FloatArray] = [head]
    top = float(head.max())
    last = float(head[-1])
    j0 = 1
    chunk = 1024
    total_states = c + 1
    log_eps = math.log(_TAIL_EPS)
    while True:
        j = np.arange(j0, j0 + chunk, dtype=np.float64)
        logs = last + np.cumsum(log_lam - np.log(cmu + j * theta))
        top = max(top, float(logs.max()))
        # Tail beyond state c+J is at most π_{c+J}·r/(1-r) with r = λ/(cμ + (J+1)θ) < 1
        # (the ratios only fall from there on).
        r = lam / (cmu + (j + 1.0) * theta)
        ok = r < 1.0
        bound = np.full(chunk, np.inf)
        bound[ok] = logs[ok] + np.log(r[ok]) - np.log1p(-r[ok])
        hits = np.nonzero(bound < top + log_eps)[0]
        if hits.size:
            pieces.append(logs[: hits[0] + 1])
            break
        pieces.append(logs)
        last = float(logs[-1])
        j0 += chunk
        total_states += chunk
        if total_states > _MAX_CHAIN_STATES:
            raise QueueingError(
                "mean_patience_min is too long for this overload: the queue would hold over "
                f"{_MAX_CHAIN_STATES} customers; check the inputs or use a shorter patience"
            )
        chunk = min(chunk * 2, 1 << 20)
    logw = np.concatenate(pieces)
    w: FloatArray = np.exp(logw - top)
    normalised: FloatArray = w / w.sum()
    return normalised


def _served_within(mu: float, theta: float, c: int, positions: int, t: float) -> FloatArray:
    """P(served within t | j customers ahead in the queue), j = 0..positions-1 (per minute).

    A tagged waiting customer with j customers ahead advances when a server frees up (rate
    c·μ) or one of those ahead abandons (rate j·θ): r_j = c·μ + j·θ; from j = 0 the next
    server start is its own. Its own patience runs concurrently (rate θ → abandoned). This
    absorbing chain is solved by uniformisation: with Λ >= all exit rates, v(t) =
    Σ_n Poisson(n; Λt)·w_n, where w_n is the probability of being served within n steps
    of the uniformised jump chain; every term is a probability, so there is no cancellation.
    """
    result = np.zeros(positions)
    if t <= 0.0:
        return result
    j_all = np.arange(positions, dtype=np.float64)
    # Being served from position j takes j + 1 jumps, each at rate <= q_j = cμ + (j+1)θ, so
    # v_j <= P(Poisson(q_j·t) >= j + 1) <= exp(-m)·(e·m/k)^k (Chernoff, k = j + 1 > m).
    # Positions where that bound is below 1e-18 are left at 0; this keeps long overloaded
    # queues cheap without affecting the result beyond 1e-18.
    k = j_all + 1.0
    m = (c * mu + k * theta) * t
    log_bound = np.where(k > m, -m + k * (1.0 + np.log(m) - np.log(k)), 0.0)
    relevant = np.nonzero(log_bound >= math.log(1e-18))[0]
    if relevant.size == 0:
        return result
    positions_kept = int(relevant[-1]) + 1
    j = j_all[:positions_kept]
    r = c * mu + j * theta
    q = r + theta
    big_lambda = float(q[-1])
    x = big_lambda * t
    steps = math.ceil(x + 12.0 * math.sqrt(x) + 30.0)
    if steps > _MAX_UNIFORMISATION_STEPS:
        raise QueueingError(
            f"target_wait_s is too long relative to the service rate ({steps} "
            "uniformisation steps needed); check the units (seconds and minutes)"
        )
    p_move = r / big_lambda
    p_stay = 1.0 - q / big_lambda
    ks = np.arange(steps + 1, dtype=np.float64)
    lgam = np.array([math.lgamma(k + 1.0) for k in range(steps + 1)], dtype=np.float64)
    poisson = np.exp(-x + ks * math.log(x) - lgam)
    w = np.zeros(positions_kept)
    acc = np.zeros(positions_kept)
    shifted = np.empty(positions_kept)
    for n in range(1, steps + 1):
        shifted[0] = 1.0
        shifted[1:] = w[:-1]
        w = p_move * shifted + p_stay * w
        acc += poisson[n] * w
    result[:positions_kept] = np.minimum(acc, 1.0)
    return result


def _erlang_a_inputs(
    arrival_rate_per_hour: float,
    mean_service_min: float,
    mean_patience_min: float,
    servers: int,
    target_wait_s: float,
) -> tuple[float, float, float, int, float]:
    lam_h = _non_negative("arrival_rate_per_hour", arrival_rate_per_hour, "arrivals per hour")
    s = _positive("mean_service_min", mean_service_min, "minutes")
    p = _positive(
        "mean_patience_min",
        mean_patience_min,
        "minutes; for customers who never abandon use the Erlang C functions",
    )
    c = _count("servers", servers)
    t = _non_negative("target_wait_s", target_wait_s, "seconds") / _SECONDS_PER_MINUTE
    return lam_h / _MINUTES_PER_HOUR, 1.0 / s, 1.0 / p, c, t


def _erlang_a(lam: float, mu: float, theta: float, c: int, t: float) -> ErlangAResult:
    if lam == 0.0:
        return ErlangAResult(p_wait=0.0, service_level=1.0, asa_s=0.0, p_abandon=0.0, occupancy=0.0)
    if c == 0:
        # Nobody is ever served: everyone waits until their patience runs out.
        return ErlangAResult(
            p_wait=1.0,
            service_level=0.0,
            asa_s=_SECONDS_PER_MINUTE / theta,
            p_abandon=1.0,
            occupancy=0.0,
        )
    pi = _erlang_a_distribution(lam, mu, theta, c)
    queue_pi = pi[c:]
    ahead = np.arange(queue_pi.size, dtype=np.float64)
    p_wait = float(queue_pi.sum())
    mean_lq = float(ahead @ queue_pi)
    busy = np.minimum(np.arange(pi.size, dtype=np.float64), float(c))
    occupancy = float(busy @ pi) / c
    # Abandonment rate θ·E[Lq] over arrival rate λ; Little's law gives E[Wq] = E[Lq]/λ.
    p_abandon = min(1.0, theta * mean_lq / lam)
    asa_min = mean_lq / lam
    served = _served_within(mu, theta, c, queue_pi.size, t)
    sl = float(pi[:c].sum()) + float(served @ queue_pi)
    return ErlangAResult(
        p_wait=min(1.0, p_wait),
        service_level=min(1.0, max(0.0, sl)),
        asa_s=asa_min * _SECONDS_PER_MINUTE,
        p_abandon=p_abandon,
        occupancy=min(1.0, occupancy),
    )


def erlang_a(
    arrival_rate_per_hour: float,
    mean_service_min: float,
    mean_patience_min: float,
    servers: int,
    target_wait_s: float,
) -> ErlangAResult:
    """Compute the exact steady state of an M/M/c+M (Erlang A) queue with impatient customers.

    Birth-death chain: arrivals at rate λ, in state n the death rate is n·μ for n <= c and
    c·μ + (n - c)·θ above (θ = 1 / mean patience). The stationary distribution is built in log
    space and truncated once the remaining tail mass is below 1e-16 of the total, so it is
    stable for hundreds of servers.

    * p_wait = P(N >= c) (arrivals see time averages);
    * p_abandon = θ·E[Lq] / λ and asa = E[Lq] / λ (Little's law over all arrivals);
    * service_level = P(N < c) + Σ_{j>=0} P(N = c + j)·P(served within t | j ahead), where the
      last factor comes from the absorbing chain of the tagged customer (advance rate
      c·μ + j·θ, own abandonment rate θ), solved by uniformisation;
    * occupancy = E[min(N, c)] / c.

    Args:
        arrival_rate_per_hour: λ, arrivals per hour (>= 0).
        mean_service_min: mean service time in minutes (> 0).
        mean_patience_min: mean time a customer is willing to wait in minutes (> 0, finite).
        servers: c (>= 0); with 0 servers everyone abandons.
        target_wait_s: target wait in seconds (>= 0).

    >>> r = erlang_a(120, 5, 10, 11, 20)
    >>> round(r.p_abandon, 4), round(r.service_level, 4)
    (0.0652, 0.5966)
    """
    lam, mu, theta, c, t = _erlang_a_inputs(
        arrival_rate_per_hour, mean_service_min, mean_patience_min, servers, target_wait_s
    )
    return _erlang_a(lam, mu, theta, c, t)


def required_servers_erlang_a(
    arrival_rate_per_hour: float,
    mean_service_min: float,
    mean_patience_min: float,
    target_wait_s: float,
    target_level: float,
    max_abandon: float = 0.05,
    *,
    max_servers: int = 500,
) -> int:
    """Return the smallest c whose Erlang A figures meet the service target and abandonment cap.

    Smallest c with service_level >= target_level and p_abandon <= max_abandon. Both
    figures improve monotonically with c, so the smallest c is found by bisection over
    [1, max_servers]. With no arrivals the answer is 0.

    Raises:
        QueueingError: invalid input, an unattainable target (target_level >= 1 or
            max_abandon <= 0 while there are arrivals), or no c <= max_servers meets both.
    """
    lam, mu, theta, _, t = _erlang_a_inputs(
        arrival_rate_per_hour, mean_service_min, mean_patience_min, 0, target_wait_s
    )
    level = _probability("target_level", target_level)
    cap = _probability("max_abandon", max_abandon)
    limit = _count("max_servers", max_servers, minimum=1)
    if lam == 0.0:
        return 0
    if level >= 1.0:
        raise QueueingError(
            "target_level must be below 1: with random arrivals some customers always wait "
            f"longer than {float(target_wait_s):g} s (got target_level={level!r})"
        )
    if cap <= 0.0:
        raise QueueingError(
            "max_abandon must be above 0: with random arrivals and finite patience some "
            f"customers always abandon (got max_abandon={cap!r})"
        )

    def meets(c: int) -> tuple[bool, ErlangAResult]:
        res = _erlang_a(lam, mu, theta, c, t)
        return res.service_level >= level and res.p_abandon <= cap, res

    ok, res = meets(limit)
    if not ok:
        raise QueueingError(
            f"service level {level:g} within {float(target_wait_s):g} s with abandonment <= "
            f"{cap:g} cannot be met with at most {limit} servers (at {limit}: service level "
            f"{res.service_level:.6g}, abandonment {res.p_abandon:.6g}); raise max_servers or "
            "relax the targets"
        )
    lo, hi = 0, limit  # meets(lo) is False (c = 0 serves no one), meets(hi) is True
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if meets(mid)[0]:
            hi = mid
        else:
            lo = mid
    return hi
