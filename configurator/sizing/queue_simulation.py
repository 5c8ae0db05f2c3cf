"""Simulate service-point queues with ciw and report waits and service levels with 95 % CIs."""

from __future__ import annotations

import math
import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import ciw
import numpy as np

__all__ = [
    "ClassSpec",
    "Estimate",
    "NodeResult",
    "NodeSpec",
    "ServicePointResult",
    "SimulationError",
    "SimulationResult",
    "simulate_queue",
    "simulate_service_point",
]

# Time unit inside the simulation: minutes.
_MIN_PER_HOUR = 60.0
_S_PER_MIN = 60.0

# Two-sided 95 % Student t quantiles t_{0.975, df} for df = 1..30.
_T975 = (
    12.706204736,
    4.302652730,
    3.182446305,
    2.776445105,
    2.570581836,
    2.446911851,
    2.364624252,
    2.306004135,
    2.262157163,
    2.228138852,
    2.200985160,
    2.178812830,
    2.160368656,
    2.144786688,
    2.131449546,
    2.119905299,
    2.109815578,
    2.100922040,
    2.093024054,
    2.085963447,
    2.079613845,
    2.073873068,
    2.068657610,
    2.063898562,
    2.059538553,
    2.055529439,
    2.051830516,
    2.048407142,
    2.045229642,
    2.042272456,
)


class SimulationError(ValueError):
    """A simulation input is invalid."""


def _t975(df: int) -> float:
    """Return the 0.975 quantile of Student's t with df degrees of freedom."""
    if df <= len(_T975):
        return _T975[df - 1]
    # Cornish-Fisher expansion around the normal quantile; error < 1e-5 for df > 30.
    z = 1.959963984540054
    return (
        z
        + (z**3 + z) / (4 * df)
        + (5 * z**5 + 16 * z**3 + 3 * z) / (96 * df**2)
        + (3 * z**7 + 19 * z**5 + 17 * z**3 - 15 * z) / (384 * df**3)
    )


@dataclass(frozen=True, slots=True)
class Estimate:
    """Mean of per-replication values with the half-width of its 95 % confidence interval.

    ``std_error`` is the standard error of the mean (sample sd / sqrt(n)) and ``half_width``
    = t_{0.975, n-1}·std_error, over the ``replications`` that produced a value
    (replications without any arrival at the queue are left out); both are ``nan`` with
    fewer than two.
    """

    mean: float
    half_width: float
    replications: int
    std_error: float = math.nan

    @property
    def low(self) -> float:
        """Return the lower end of the 95 % confidence interval."""
        return self.mean - self.half_width

    @property
    def high(self) -> float:
        """Return the upper end of the 95 % confidence interval."""
        return self.mean + self.half_width

    def contains(self, value: float) -> bool:
        """Return whether ``value`` lies inside the 95 % confidence interval."""
        return self.low <= value <= self.high

    @classmethod
    def from_values(cls, values: Iterable[float]) -> Estimate:
        """Build an estimate from per-replication values, ignoring NaNs."""
        arr = np.array([v for v in values if not math.isnan(v)], dtype=np.float64)
        n = int(arr.size)
        if n == 0:
            return cls(math.nan, math.nan, 0)
        mean = float(arr.mean())
        if n < 2:
            return cls(mean, math.nan, n)
        se = float(arr.std(ddof=1)) / math.sqrt(n)
        return cls(mean, _t975(n - 1) * se, n, se)


@dataclass(frozen=True, slots=True)
class SimulationResult:
    """Figures of one queue, estimated over independent replications.

    Attributes:
        target_wait_s: the target wait the service level refers to (seconds).
        replications: number of replications run.
        arrivals: arrivals at the queue per replication (in the measurement window).
        mean_wait_s: mean time queued over all arrivals, abandoners included with the time
            they waited before leaving (seconds).
        service_level: share of all arrivals that started service within the target;
            abandoners count as failures.
        p_wait: share of arrivals that had to queue at all.
        p_abandon: share of arrivals that left the queue unserved.
        censored: total number of arrivals still queueing when a run stopped; their waits
            are counted up to that moment (lower bounds) and they count as failures.
    """

    target_wait_s: float
    replications: int
    arrivals: Estimate
    mean_wait_s: Estimate
    service_level: Estimate
    p_wait: Estimate
    p_abandon: Estimate
    censored: int


# --------------------------------------------------------------------------------------------
# validation helpers
# --------------------------------------------------------------------------------------------


def _number(name: str, value: float, *, minimum: float = 0.0, strict: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise SimulationError(f"{name} must be a number, got {value!r}")
    x = float(value)
    if not math.isfinite(x) or x < minimum or (strict and x == minimum):
        sign = ">" if strict else ">="
        raise SimulationError(f"{name} must be a finite number {sign} {minimum:g}, got {x!r}")
    return x


def _integer(name: str, value: int, *, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise SimulationError(f"{name} must be an integer >= {minimum}, got {value!r}")
    return int(value)


def _patience(name: str, value: float | None) -> float | None:
    if value is None:
        return None
    return _number(name, value, strict=True)


# --------------------------------------------------------------------------------------------
# distributions
# --------------------------------------------------------------------------------------------


class _PoissonUntil(ciw.dists.Distribution):  # type: ignore[misc]
    """Exponential inter-arrival times at ``rate`` per minute; no arrivals from ``end`` on."""

    def __init__(self, rate: float, end: float) -> None:
        self.rate = rate
        self.end = end

    def sample(self, t: float | None = None, ind: object = None) -> float:
        if t is not None and t >= self.end:
            return math.inf
        return random.expovariate(self.rate)


def _service_distribution(mean_min: float, cv: float) -> Any:
    """Exponential when cv == 1, deterministic when cv == 0, else lognormal with that mean/cv."""
    if cv == 1.0:
        return ciw.dists.Exponential(1.0 / mean_min)
    if cv == 0.0:
        return ciw.dists.Deterministic(mean_min)
    sigma2 = math.log1p(cv * cv)
    return ciw.dists.Lognormal(math.log(mean_min) - sigma2 / 2.0, math.sqrt(sigma2))


# --------------------------------------------------------------------------------------------
# running replications and summarising records
# --------------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Tally:
    arrivals: int = 0
    wait_sum_min: float = 0.0
    within: int = 0
    waited: int = 0
    abandoned: int = 0
    censored: int = 0

    def add(self, record: Any, stop_time: float, target_min: float) -> None:
        self.arrivals += 1
        if record.record_type == "renege":
            wait = float(record.waiting_time)
            self.abandoned += 1
            ok = False
        elif record.record_type == "incomplete" and record.waiting_time is None:
            wait = stop_time - float(record.arrival_date)  # still queueing: lower bound
            self.censored += 1
            ok = False
        else:
            wait = float(record.waiting_time)
            ok = wait <= target_min
        self.wait_sum_min += wait
        self.waited += wait > 0.0
        self.within += ok

    def ratios(self) -> tuple[float, float, float, float]:
        """Return (mean wait in s, service level, p_wait, p_abandon); NaN without arrivals."""
        if self.arrivals == 0:
            return (math.nan, math.nan, math.nan, math.nan)
        n = self.arrivals
        return (
            self.wait_sum_min / n * _S_PER_MIN,
            self.within / n,
            self.waited / n,
            self.abandoned / n,
        )


def _summarise(tallies: Sequence[_Tally], target_wait_s: float) -> SimulationResult:
    ratios = [t.ratios() for t in tallies]
    return SimulationResult(
        target_wait_s=target_wait_s,
        replications=len(tallies),
        arrivals=Estimate.from_values(float(t.arrivals) for t in tallies),
        mean_wait_s=Estimate.from_values(r[0] for r in ratios),
        service_level=Estimate.from_values(r[1] for r in ratios),
        p_wait=Estimate.from_values(r[2] for r in ratios),
        p_abandon=Estimate.from_values(r[3] for r in ratios),
        censored=sum(t.censored for t in tallies),
    )


def _replication_seeds(seed: int, replications: int) -> list[int]:
    state = np.random.SeedSequence(seed).generate_state(replications)
    return [int(s) for s in state]


class _PreservedRandomState:
    """Restore the global ``random`` and ``ciw.rng`` states that ``ciw.seed`` overwrites."""

    def __enter__(self) -> None:
        self._py_state = random.getstate()
        self._ciw_rng = getattr(ciw, "rng", None)

    def __exit__(self, *exc: object) -> None:
        random.setstate(self._py_state)
        if self._ciw_rng is not None:
            ciw.rng = self._ciw_rng


# --------------------------------------------------------------------------------------------
# single M/M/c(+M) queue
# --------------------------------------------------------------------------------------------


def simulate_queue(
    arrival_rate_per_hour: float,
    mean_service_min: float,
    servers: int,
    *,
    hours: float,
    seed: int,
    target_wait_s: float = 20.0,
    warmup_hours: float = 1.0,
    mean_patience_min: float | None = None,
    replications: int = 10,
    drain_hours: float = 24.0,
) -> SimulationResult:
    """Simulate a stationary M/M/c queue (M/M/c+M with ``mean_patience_min``) with ciw.

    Each replication starts empty, runs ``warmup_hours`` unmeasured, then measures the
    customers arriving during the next ``hours``; arrivals stop at the end of that window and
    the run continues (up to ``drain_hours``) so that measured customers finish. Service and
    patience times are exponential, the queue is first come, first served. Replication r is
    seeded from ``seed`` (``ciw.seed``), so equal inputs give equal results; the global
    ``random`` state is restored afterwards.

    Args:
        arrival_rate_per_hour: Poisson arrival rate per hour (> 0).
        mean_service_min: mean service time in minutes (> 0).
        servers: number of servers (>= 1).
        hours: measured window per replication in hours (> 0).
        seed: base seed.
        target_wait_s: target wait for the service level in seconds.
        warmup_hours: unmeasured start-up period per replication in hours.
        mean_patience_min: mean patience in minutes (exponential reneging), or None for
            customers who never abandon.
        replications: independent replications (>= 2 for confidence intervals).
        drain_hours: how long to keep serving after the window before stopping.
    """
    lam = _number("arrival_rate_per_hour", arrival_rate_per_hour, strict=True) / _MIN_PER_HOUR
    s = _number("mean_service_min", mean_service_min, strict=True)
    c = _integer("servers", servers, minimum=1)
    window = _number("hours", hours, strict=True) * _MIN_PER_HOUR
    warmup = _number("warmup_hours", warmup_hours) * _MIN_PER_HOUR
    drain = _number("drain_hours", drain_hours) * _MIN_PER_HOUR
    target_s = _number("target_wait_s", target_wait_s)
    patience = _patience("mean_patience_min", mean_patience_min)
    reps = _integer("replications", replications, minimum=1)
    seed = _integer("seed", seed, minimum=0)

    start, end = warmup, warmup + window
    tallies: list[_Tally] = []
    with _PreservedRandomState():
        for rep_seed in _replication_seeds(seed, reps):
            ciw.seed(rep_seed)
            reneging = [None if patience is None else ciw.dists.Exponential(1.0 / patience)]
            network = ciw.create_network(
                arrival_distributions=[_PoissonUntil(lam, end)],
                service_distributions=[ciw.dists.Exponential(1.0 / s)],
                number_of_servers=[c],
                reneging_time_distributions=reneging,
            )
            sim = ciw.Simulation(network)
            stop = end + drain
            sim.simulate_until_max_time(stop)
            tally = _Tally()
            for rec in sim.get_all_records(include_incomplete=True):
                if start <= rec.arrival_date < end:
                    tally.add(rec, stop, target_s / _S_PER_MIN)
            tallies.append(tally)
    return _summarise(tallies, target_s)


# --------------------------------------------------------------------------------------------
# service point: several classes, hourly profiles, several service moments
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NodeSpec:
    """One service moment (guide desk, self-service terminals, counters, ...).

    Attributes:
        name: label used in the results.
        servers: number of parallel servers (desks, terminals); >= 1.
        target_wait_s: target wait for this node's service level, in seconds.
    """

    name: str
    servers: int
    target_wait_s: float

    def __post_init__(self) -> None:
        _integer(f"node {self.name!r}: servers", self.servers, minimum=1)
        _number(f"node {self.name!r}: target_wait_s", self.target_wait_s)


@dataclass(frozen=True, slots=True)
class ClassSpec:
    """One customer class (walk-ins, appointments, ...) of a service point.

    Attributes:
        name: label used in the results.
        hourly_arrivals: arrivals per hour in each opening hour, from opening onwards; the
            rate is constant within an hour (non-homogeneous Poisson process). All classes
            must cover the same number of hours.
        mean_service_min: mean service time in minutes at each node (one entry per node);
            None for nodes this class never visits.
        entry: probability of each node being the first service moment (sums to 1).
        routing: routing[i][j] = probability of moving on to node j after service at node i;
            the rest of row i (1 - its sum) leaves the service point.
        service_cv: coefficient of variation of service times: 1 exponential, 0 fixed,
            otherwise lognormal.
        mean_patience_min: mean patience in a queue in minutes (exponential; applies at every
            node), or None for customers who never abandon.
        priority: queue priority; lower numbers are served first (non-preemptive), equal
            priorities first come, first served.
    """

    name: str
    hourly_arrivals: Sequence[float]
    mean_service_min: Sequence[float | None]
    entry: Sequence[float] = (1.0,)
    routing: Sequence[Sequence[float]] = ((0.0,),)
    service_cv: float = 1.0
    mean_patience_min: float | None = None
    priority: int = 0

    def __post_init__(self) -> None:
        who = f"class {self.name!r}"
        rates = tuple(_number(f"{who}: hourly_arrivals", r) for r in self.hourly_arrivals)
        if not rates:
            raise SimulationError(f"{who}: hourly_arrivals must cover at least one hour")
        object.__setattr__(self, "hourly_arrivals", rates)
        services = tuple(
            None if m is None else _number(f"{who}: mean_service_min", m, strict=True)
            for m in self.mean_service_min
        )
        object.__setattr__(self, "mean_service_min", services)
        entry = tuple(_number(f"{who}: entry", p) for p in self.entry)
        if not math.isclose(sum(entry), 1.0, abs_tol=1e-9):
            raise SimulationError(f"{who}: entry probabilities must sum to 1, got {sum(entry)!r}")
        object.__setattr__(self, "entry", entry)
        matrix = tuple(tuple(_number(f"{who}: routing", p) for p in row) for row in self.routing)
        for i, row in enumerate(matrix):
            if sum(row) > 1.0 + 1e-9:
                raise SimulationError(
                    f"{who}: routing row {i} sums to {sum(row)!r}; it must be at most 1 "
                    "(the remainder leaves the service point)"
                )
        object.__setattr__(self, "routing", matrix)
        _number(f"{who}: service_cv", self.service_cv)
        _patience(f"{who}: mean_patience_min", self.mean_patience_min)
        _integer(f"{who}: priority", self.priority, minimum=0)


@dataclass(frozen=True, slots=True)
class NodeResult:
    """Simulated figures of one node: all classes together and per class.

    A class that never reaches the node has NaN figures with ``replications == 0`` in its
    estimates.
    """

    name: str
    servers: int
    overall: SimulationResult
    by_class: Mapping[str, SimulationResult] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ServicePointResult:
    """Simulated figures per node of a service point over ``replications`` opening days."""

    nodes: tuple[NodeResult, ...]
    replications: int
    opening_hours: int

    def node(self, name: str) -> NodeResult:
        """Return the result of the node called ``name``."""
        for n in self.nodes:
            if n.name == name:
                return n
        raise KeyError(name)


def _reachable(spec: ClassSpec, nodes: int) -> set[int]:
    seen = {i for i, p in enumerate(spec.entry) if p > 0.0}
    todo = list(seen)
    while todo:
        i = todo.pop()
        for j, p in enumerate(spec.routing[i]):
            if p > 0.0 and j not in seen:
                seen.add(j)
                todo.append(j)
    return seen


def _check_shapes(nodes: Sequence[NodeSpec], classes: Sequence[ClassSpec]) -> int:
    if not nodes:
        raise SimulationError("at least one node is needed")
    if not classes:
        raise SimulationError("at least one customer class is needed")
    names = [n.name for n in nodes]
    if len(set(names)) != len(names):
        raise SimulationError(f"node names must be unique, got {names}")
    class_names = [c.name for c in classes]
    if len(set(class_names)) != len(class_names):
        raise SimulationError(f"class names must be unique, got {class_names}")
    k = len(nodes)
    hours = {len(c.hourly_arrivals) for c in classes}
    if len(hours) != 1:
        raise SimulationError(
            f"all classes must give hourly_arrivals for the same opening hours, got {sorted(hours)}"
        )
    for spec in classes:
        who = f"class {spec.name!r}"
        if len(spec.mean_service_min) != k or len(spec.entry) != k:
            raise SimulationError(
                f"{who}: mean_service_min and entry need one value per node ({k})"
            )
        if len(spec.routing) != k or any(len(row) != k for row in spec.routing):
            raise SimulationError(f"{who}: routing must be a {k} x {k} matrix")
        for i in _reachable(spec, k):
            if spec.mean_service_min[i] is None:
                raise SimulationError(
                    f"{who}: can reach node {nodes[i].name!r} but has no mean_service_min there"
                )
    return hours.pop()


def simulate_service_point(
    nodes: Sequence[NodeSpec],
    classes: Sequence[ClassSpec],
    *,
    seed: int,
    replications: int = 20,
    drain_hours: float = 8.0,
) -> ServicePointResult:
    """Simulate opening days of a service point with ciw and report per-node figures.

    Each replication is one opening day that starts empty. Every class arrives as a Poisson
    process whose rate is constant within each opening hour (``ciw.dists.PoissonIntervals``),
    split over the first nodes by ``entry``, and moves between nodes by ``routing``. Arrivals
    stop at closing; service continues up to ``drain_hours`` longer so that the day's
    customers finish (anyone still queueing then is reported as ``censored``). Figures are
    per node over the whole day: mean wait, share served within the node's target, share
    waiting, share abandoning, each with a 95 % confidence interval over the days.

    Args:
        nodes: the service moments.
        classes: the customer classes.
        seed: base seed; equal inputs give equal results.
        replications: number of simulated days (>= 2 for confidence intervals).
        drain_hours: how long after closing to keep serving before stopping.
    """
    node_specs = tuple(nodes)
    class_specs = tuple(classes)
    opening_hours = _check_shapes(node_specs, class_specs)
    reps = _integer("replications", replications, minimum=1)
    seed = _integer("seed", seed, minimum=0)
    drain = _number("drain_hours", drain_hours) * _MIN_PER_HOUR
    k = len(node_specs)
    close = opening_hours * _MIN_PER_HOUR
    stop = close + drain
    endpoints = [(h + 1) * _MIN_PER_HOUR for h in range(opening_hours)]
    targets_min = [n.target_wait_s / _S_PER_MIN for n in node_specs]

    per_node: list[list[_Tally]] = [[] for _ in range(k)]
    per_class: list[dict[str, list[_Tally]]] = [{c.name: [] for c in class_specs} for _ in range(k)]
    with _PreservedRandomState():
        for rep_seed in _replication_seeds(seed, reps):
            ciw.seed(rep_seed)  # before building: PoissonIntervals samples its dates up front
            arrivals: dict[str, list[Any]] = {}
            services: dict[str, list[Any]] = {}
            reneging: dict[str, list[Any]] = {}
            routing: dict[str, Any] = {}
            for spec in class_specs:
                dists: list[Any] = []
                for i in range(k):
                    rates = [r * spec.entry[i] / _MIN_PER_HOUR for r in spec.hourly_arrivals]
                    if any(r > 0.0 for r in rates):
                        dists.append(ciw.dists.PoissonIntervals(rates, endpoints, close))
                    else:
                        dists.append(None)
                arrivals[spec.name] = dists
                services[spec.name] = [
                    ciw.dists.Exponential(1.0)  # never used: the class cannot reach the node
                    if m is None
                    else _service_distribution(m, spec.service_cv)
                    for m in spec.mean_service_min
                ]
                patience = spec.mean_patience_min
                reneging[spec.name] = [
                    None if patience is None else ciw.dists.Exponential(1.0 / patience)
                ] * k
                routing[spec.name] = ciw.routing.TransitionMatrix(
                    transition_matrix=[list(row) for row in spec.routing]
                )
            network = ciw.create_network(
                arrival_distributions=arrivals,
                service_distributions=services,
                number_of_servers=[n.servers for n in node_specs],
                reneging_time_distributions=reneging,
                routing=routing,
                priority_classes={spec.name: spec.priority for spec in class_specs},
            )
            sim = ciw.Simulation(network)
            sim.simulate_until_max_time(stop)
            node_tallies = [_Tally() for _ in range(k)]
            class_tallies = [{c.name: _Tally() for c in class_specs} for _ in range(k)]
            for rec in sim.get_all_records(include_incomplete=True):
                i = int(rec.node) - 1
                if not 0 <= i < k:
                    continue
                node_tallies[i].add(rec, stop, targets_min[i])
                class_tallies[i][rec.customer_class].add(rec, stop, targets_min[i])
            for i in range(k):
                per_node[i].append(node_tallies[i])
                for name, tally in class_tallies[i].items():
                    per_class[i][name].append(tally)

    results = tuple(
        NodeResult(
            name=node.name,
            servers=node.servers,
            overall=_summarise(per_node[i], node.target_wait_s),
            by_class={
                name: _summarise(tallies, node.target_wait_s)
                for name, tallies in per_class[i].items()
            },
        )
        for i, node in enumerate(node_specs)
    )
    return ServicePointResult(nodes=results, replications=reps, opening_hours=opening_hours)
