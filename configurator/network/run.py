"""Run every site of a portfolio through the pipeline: one job per site, on a process pool.

:func:`site_result` is the job: a pure function from a site's checked case (JSON) to its results
(plain data), sized as a shared point and as separate offices, laid out, audited and ranked; a
site that fails gives its reason and the others go on. :func:`run_portfolio` hands the jobs to a
``concurrent.futures`` process pool (no scheduler of our own, no state shared between jobs),
keeps each result in a cache folder under the site's key so that a rerun does only the sites
that are new or changed, and returns the results in site order whatever the number of workers.
"""

from __future__ import annotations

import concurrent.futures
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from configurator._io import write_text_atomic
from configurator.inputs.catalog import Case
from configurator.model.errors import ConfigError, LayoutError
from configurator.network.sites import Site
from configurator.review.options import options_from_case
from configurator.sizing.counts import SizingError
from configurator.sizing.program import compare_pooling, program_from_case

__all__ = ["BestOption", "Portfolio", "SiteResult", "run_portfolio", "site_result"]

Progress = Callable[[int, int, int], None]
"""Told (sites done, of which failed, sites in all) after each site."""


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class BestOption(_Frozen):
    """The best-ranked option of a site: what a property planner compares sites by."""

    options: int = Field(ge=0, description="Options that passed the audit.")
    strategy: str
    score: float
    unassigned_share: float
    walk_m: float
    egress_max_m: float
    audit_problems: int
    rule_codes: list[str]
    spare_m2: float


class SiteResult(_Frozen):
    """One site's results, or why it has none (``failure``)."""

    site: str
    source: str
    name: str = ""
    failure: str | None = None
    agencies: list[str] = Field(default_factory=list)
    annual_visits: int = 0
    staff_on_site: int = 0
    usable_m2: float = 0.0
    gross_m2: float = 0.0
    rent_eur_year: float = 0.0
    separate_usable_m2: float = 0.0
    saving_m2: float = 0.0
    saving_rent_eur_year: float = 0.0
    m2_per_annual_visit: float = 0.0
    best: BestOption | None = None


class Portfolio(_Frozen):
    """Every site's result, in site order: the same whatever the workers or the cache."""

    options: int
    sites: list[SiteResult]

    @property
    def failed(self) -> list[SiteResult]:
        """Return the sites that have no results."""
        return [s for s in self.sites if s.failure is not None]


def site_result(site_id: str, source: str, case_json: str, options: int) -> SiteResult:
    """Size, lay out, audit and rank one site (the job; plain data in, plain data out).

    A site the pipeline cannot plan (too small a floor, a demand no layout holds) gives its
    reason in ``failure``: one site's failure never stops the others.
    """
    case = Case.model_validate_json(case_json)
    scenario = case.scenario
    head = {"site": site_id, "source": source, "name": scenario.name}
    try:
        program = program_from_case(case)
        pooling = compare_pooling(case)
    except SizingError as exc:
        return SiteResult(**head, failure=f"sizing: {exc}")
    figures = {
        "agencies": [a.id for a in scenario.agencies],
        "annual_visits": program.annual_visits,
        "staff_on_site": program.staff_on_site,
        "usable_m2": round(program.totals.usable_m2, 1),
        "gross_m2": round(program.totals.gross_m2, 1),
        "rent_eur_year": round(program.rent_eur_year, 0),
        "separate_usable_m2": round(pooling.separate_usable_m2, 1),
        "saving_m2": round(pooling.saving_m2, 1),
        "saving_rent_eur_year": round(pooling.saving_rent_eur_year, 0),
        "m2_per_annual_visit": round(program.usable_m2_per_annual_visit, 5),
    }
    try:
        ranked = options_from_case(case, options=options, program=program)
    except (LayoutError, SizingError, ConfigError) as exc:
        return SiteResult(**head, **figures, failure=f"layout: {exc}")
    top = ranked[0]
    kpis = top.kpis
    best = BestOption(
        options=len(ranked),
        strategy=top.plan.strategy,
        score=round(kpis.score, 3),
        unassigned_share=round(kpis.unassigned_share, 4),
        walk_m=round(kpis.walk_m, 1),
        egress_max_m=round(kpis.egress_max_m, 1),
        audit_problems=kpis.audit_problems,
        rule_codes=sorted(top.rule_codes),
        spare_m2=round(kpis.spare_m2, 1),
    )
    return SiteResult(**head, **figures, best=best)


@dataclass
class Run:
    """What a run did: sites computed now and taken from the cache (for the log)."""

    computed: int = 0
    cached: int = 0


def run_portfolio(
    sites: Sequence[Site],
    *,
    options: int,
    workers: int = 1,
    executor: concurrent.futures.Executor | None = None,
    cache: Path | None = None,
    progress: Progress | None = None,
) -> tuple[Portfolio, Run]:
    """Run every site (see the module docstring); return the portfolio and what was done.

    ``workers`` 1 runs in this process; more, on a process pool of that size; an ``executor``
    (a Dask cluster's, ``Client.get_executor()``) runs the same jobs wherever it runs them.
    ``cache`` is a folder holding each site's result under its key, written as soon as the site
    is done, so a run killed half-way and started again does only the rest.
    """
    done: dict[str, SiteResult] = {}
    run = Run()
    todo: list[Site] = []
    for site in sites:
        if site.case_json is None:
            done[site.id] = SiteResult(
                site=site.id, source=site.source, failure="scenario: " + "; ".join(site.problems)
            )
            continue
        kept = _cached(cache, site, options)
        if kept is not None:
            done[site.id] = kept
            run.cached += 1
        else:
            todo.append(site)

    def finished(result: SiteResult, site: Site) -> None:
        done[result.site] = result
        run.computed += 1
        if cache is not None:
            write_text_atomic(cache / f"{site.key(options)}.json", result.model_dump_json())
        if progress is not None:
            failed = sum(1 for r in done.values() if r.failure is not None)
            progress(len(done), failed, len(sites))

    if executor is None and (workers <= 1 or len(todo) <= 1):
        for site in todo:
            finished(_job(site.id, site.source, site.case_json or "", options), site)
    elif executor is not None:
        _submitted(executor, todo, options, finished)
    else:
        with concurrent.futures.ProcessPoolExecutor(max_workers=workers) as pool:
            _submitted(pool, todo, options, finished)
    ordered = [done[s.id] for s in sites]
    return Portfolio(options=options, sites=ordered), run


def _submitted(
    pool: concurrent.futures.Executor,
    todo: list[Site],
    options: int,
    finished: Callable[[SiteResult, Site], None],
) -> None:
    """Submit a job per site and hand each result on as it comes."""
    jobs = {pool.submit(_job, s.id, s.source, s.case_json or "", options): s for s in todo}
    for job in concurrent.futures.as_completed(jobs):
        finished(job.result(), jobs[job])


def _job(site_id: str, source: str, case_json: str, options: int) -> SiteResult:
    """Run one site; an error the pipeline did not foresee (a bug) is that site's failure,
    named with its type, so that one site never stops the other few hundred."""
    try:
        return site_result(site_id, source, case_json, options)
    except Exception as exc:  # the job's boundary: everything else is reported, not raised
        return SiteResult(
            site=site_id, source=source, failure=f"internal error: {type(exc).__name__}: {exc}"
        )


def _cached(cache: Path | None, site: Site, options: int) -> SiteResult | None:
    """Return a site's result kept by an earlier run with the same inputs, if any."""
    if cache is None:
        return None
    path = cache / f"{site.key(options)}.json"
    if not path.is_file():
        return None
    try:
        return SiteResult.model_validate(json.loads(path.read_text(encoding="utf-8")))
    except (ValueError, OSError):
        return None  # a damaged entry is done again
