"""Run every site of a portfolio through the pipeline: one job per site, on a process pool.

:func:`site_result` is the job: a pure function from a site (its checked case as JSON, its
place, whether its building is to be sized) to its results (plain data), sized as a shared
point and as separate offices, laid out, audited and ranked, with its folder's files as bytes;
a site that fails gives its reason and the others go on. :func:`run_portfolio` hands the jobs to
a ``concurrent.futures`` executor (a process pool or a Dask cluster's; no scheduler of our own,
no state shared between jobs), writes each site's files and keeps its result in a cache folder
under the site's key so that a rerun does only the sites that are new or changed, and returns
the results in site order whatever the number of workers.
"""

from __future__ import annotations

import concurrent.futures
import json
import multiprocessing
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, NamedTuple

from pydantic import BaseModel, ConfigDict, Field
from shapely.geometry import Polygon

from configurator._io import write_bytes_atomic, write_text_atomic
from configurator.documents.booklet import Printed
from configurator.inputs.catalog import Case
from configurator.model.errors import ConfigError, LayoutError
from configurator.model.schema import Footprint
from configurator.network.sites import SITE_ID, Site, fitted_rectangle
from configurator.review.options import options_from_case
from configurator.sizing.counts import SizingError
from configurator.sizing.program import compare_pooling, program_from_case

__all__ = [
    "BestOption",
    "Portfolio",
    "SiteFiles",
    "SiteOutput",
    "SiteResult",
    "run_portfolio",
    "site_result",
]

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
    region: str = ""
    municipality: str = ""
    lat: float | None = None
    lon: float | None = None
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
    usable_m2_per_person: float = Field(
        default=0.0, description="Usable m² per person working on site (staff)."
    )
    building: str = Field(default="", description="The floor planned into, in words.")
    floor_m2: float = 0.0
    best: BestOption | None = None
    files: list[str] = Field(default_factory=list, description="Its folder's files, by name.")


class Portfolio(_Frozen):
    """Every site's result, in site order: the same whatever the workers or the cache."""

    options: int
    sites: list[SiteResult]

    @property
    def failed(self) -> list[SiteResult]:
        """Return the sites that have no results."""
        return [s for s in self.sites if s.failure is not None]


@dataclass(frozen=True)
class SiteFiles:
    """What each site's folder gets: every option's DXF plan, the scenario as YAML, and the
    booklet of the best option as HTML or PDF (PDF costs about 4 s a site, HTML 0.1 s)."""

    booklet: Literal["html", "pdf"] | None = "html"
    lang: str = "fi"

    def tag(self) -> str:
        """Return what a rerun keys the files by."""
        return f"files:{self.booklet}:{self.lang}"


class SiteOutput(NamedTuple):
    """A job's answer: the site's results and its folder's files (name → bytes)."""

    result: SiteResult
    files: dict[str, bytes]


def site_result(site: Site, options: int, files: SiteFiles | None = None) -> SiteOutput:
    """Size, lay out, audit and rank one site (the job; plain data in, plain data out).

    A site the pipeline cannot plan (too small a floor, a demand no layout holds) gives its
    reason in ``failure``: one site's failure never stops the others. A site with no building
    (``site.fit``) gets a new rectangular one sized to its programme.
    """
    if site.case_json is None:
        failure = "scenario: " + "; ".join(site.problems)
        return SiteOutput(SiteResult(**_head(site, ""), failure=failure), {})
    case = Case.model_validate_json(site.case_json)
    head = _head(site, case.scenario.name)
    try:
        program = program_from_case(case)
        pooling = compare_pooling(case)
    except SizingError as exc:
        return SiteOutput(SiteResult(**head, failure=f"sizing: {exc}"), {})
    if site.fit is not None:
        footprint = fitted_rectangle(program.totals.gross_m2 * site.fit)
        scenario = case.scenario.model_copy(update={"footprint": footprint})
        case = case.model_copy(update={"scenario": scenario})
    scenario = case.scenario
    floor = Polygon(scenario.footprint.outline())
    people = program.staff_on_site
    figures = {
        "agencies": [a.id for a in scenario.agencies],
        "annual_visits": program.annual_visits,
        "staff_on_site": people,
        "usable_m2": round(program.totals.usable_m2, 1),
        "gross_m2": round(program.totals.gross_m2, 1),
        "rent_eur_year": round(program.rent_eur_year, 0),
        "separate_usable_m2": round(pooling.separate_usable_m2, 1),
        "saving_m2": round(pooling.saving_m2, 1),
        "saving_rent_eur_year": round(pooling.saving_rent_eur_year, 0),
        "m2_per_annual_visit": round(program.usable_m2_per_annual_visit, 5),
        "usable_m2_per_person": round(program.totals.usable_m2 / people, 1) if people else 0.0,
        "building": _building(scenario.footprint, floor, fitted=site.fit is not None),
        "floor_m2": round(floor.area, 1),
    }
    try:
        ranked = options_from_case(case, options=options, program=program)
    except (LayoutError, SizingError, ConfigError) as exc:
        return SiteOutput(SiteResult(**head, **figures, failure=f"layout: {exc}"), {})
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
    written = {} if files is None else _files(Printed(case, program, pooling, ranked), files)
    result = SiteResult(**head, **figures, best=best, files=sorted(written))
    return SiteOutput(result, written)


def _head(site: Site, name: str) -> dict[str, object]:
    """Return what a site's result says whatever happens: who and where it is."""
    place = site.place
    return {"site": site.id, "source": site.source, "name": name, "region": place.region,
            "municipality": place.municipality, "lat": place.lat, "lon": place.lon}  # fmt: skip


def _building(footprint: Footprint, floor: Polygon, *, fitted: bool) -> str:
    """Return the floor in words: a rectangle's sides, or a polygon's corners."""
    if footprint.rectangle is not None:
        w, d = footprint.rectangle
        said = f"rectangle {w:g} × {d:g} m"
        return f"{said}, new, sized to the programme" if fitted else said
    return f"polygon of {len(footprint.outline())} corners, {floor.area:.0f} m²"


def _files(printed: Printed, files: SiteFiles) -> dict[str, bytes]:
    """Return a site's folder: each option's DXF, the scenario and the best option's booklet."""
    from configurator.documents.booklet import html_to_pdf, render_booklet
    from configurator.dxf import plan_to_dxf_bytes
    from configurator.inputs.catalog import scenario_yaml

    case = printed.case
    out: dict[str, bytes] = {}
    for number, option in enumerate(printed.options, start=1):
        out[f"plan-{number}.dxf"] = plan_to_dxf_bytes(
            option.plan, catalog=case.catalog, lang=files.lang, date=case.scenario.date
        )
    if case.scenario.catalog is None:  # the built-in catalog: the file runs anywhere
        out["scenario.yaml"] = scenario_yaml(case).encode("utf-8")
    if files.booklet is not None:
        html, _ = render_booklet(printed, lang=files.lang)
        if files.booklet == "pdf":
            out["booklet.pdf"] = html_to_pdf(html)
        else:
            out["booklet.html"] = html.encode("utf-8")
    return out


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
    folders: Path | None = None,
    files: SiteFiles | None = None,
    progress: Progress | None = None,
) -> tuple[Portfolio, Run]:
    """Run every site (see the module docstring); return the portfolio and what was done.

    ``workers`` 1 runs in this process; more, on a process pool of that size; an ``executor``
    (a Dask cluster's, ``Client.get_executor()``) runs the same jobs wherever it runs them.
    ``cache`` is a folder holding each site's result under its key, written as soon as the site
    is done, so a run killed half-way and started again does only the rest. With ``files``,
    each site's files go to ``folders``/<site id>/ as soon as it is done.
    """
    if files is not None and folders is None:
        raise ValueError("site files need the folders to write them to")
    extra = files.tag() if files is not None else ""
    done: dict[str, SiteResult] = {}
    run = Run()
    todo: list[Site] = []
    for site in sites:
        if site.case_json is None:  # its reason is known: nothing to run or keep
            done[site.id] = site_result(site, options).result
            if folders is not None and files is not None and SITE_ID.match(site.id):
                _write_folder(folders, site.id, {})  # no files left from a run it passed
            continue
        kept = _cached(cache, site, options, extra, folders)
        if kept is not None:
            done[site.id] = kept.model_copy(update={"source": site.source})  # the key has no
            # file path or table line: where the site is now is said, not where it was
            run.cached += 1
        else:
            todo.append(site)

    def finished(output: SiteOutput, site: Site) -> None:
        result = output.result
        if folders is not None and files is not None:
            _write_folder(folders, site.id, output.files)
        done[result.site] = result
        run.computed += 1
        if cache is not None and not (result.failure or "").startswith("internal error"):
            # an error the pipeline did not foresee may not recur: the next run tries again
            write_text_atomic(cache / f"{site.key(options, extra=extra)}.json",
                              result.model_dump_json())  # fmt: skip
        if progress is not None:
            failed = sum(1 for r in done.values() if r.failure is not None)
            progress(len(done), failed, len(sites))

    if executor is None and (workers <= 1 or len(todo) <= 1):
        for site in todo:
            finished(_job(site, options, files), site)
    elif executor is not None:
        _submitted(executor, todo, options, files, finished)
    else:
        # spawned, not forked: the app calls this from a threaded server, where a fork may
        # copy a lock another thread holds
        spawn = multiprocessing.get_context("spawn")
        with concurrent.futures.ProcessPoolExecutor(workers, mp_context=spawn) as pool:
            _submitted(pool, todo, options, files, finished)
    ordered = [done[s.id] for s in sites]
    return Portfolio(options=options, sites=ordered), run


def _submitted(
    pool: concurrent.futures.Executor,
    todo: list[Site],
    options: int,
    files: SiteFiles | None,
    finished: Callable[[SiteOutput, Site], None],
) -> None:
    """Submit a job per site and hand each result on as it comes."""
    jobs = {pool.submit(_job, s, options, files): s for s in todo}
    for job in concurrent.futures.as_completed(jobs):
        site = jobs[job]
        try:
            output = job.result()
        except Exception as exc:  # a worker that died (killed, out of memory), a lost cluster
            output = _internal(site, exc)
        finished(output, site)


def _job(site: Site, options: int, files: SiteFiles | None) -> SiteOutput:
    """Run one site; an error the pipeline did not foresee (a bug) is that site's failure,
    named with its type, so that one site never stops the other few hundred."""
    try:
        return site_result(site, options, files)
    except Exception as exc:  # the job's boundary: everything else is reported, not raised
        return _internal(site, exc)


def _internal(site: Site, exc: Exception) -> SiteOutput:
    """Return a site's failure for an error the pipeline did not foresee, named by its type."""
    failure = f"internal error: {type(exc).__name__}: {exc}"
    return SiteOutput(SiteResult(site=site.id, source=site.source, failure=failure), {})


def _write_folder(folders: Path, site_id: str, files: dict[str, bytes]) -> None:
    """Write a site's files into its folder (each atomically) and take out what an earlier run
    left there; the folder is always one level inside ``folders``."""
    folder = folders / site_id
    if not SITE_ID.match(site_id) or folder.resolve().parent != folders.resolve():
        raise ValueError(f"{site_id!r} is not a site id that names a folder")
    if not files and not folder.is_dir():
        return
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in sorted(files.items()):
        write_bytes_atomic(folder / name, data)
    for stale in folder.iterdir():
        if stale.is_file() and stale.name not in files:
            stale.unlink()


def _cached(
    cache: Path | None, site: Site, options: int, extra: str, folders: Path | None
) -> SiteResult | None:
    """Return a site's result kept by an earlier run with the same inputs (and its files
    still in its folder), if any."""
    if cache is None:
        return None
    path = cache / f"{site.key(options, extra=extra)}.json"
    if not path.is_file():
        return None
    try:
        result = SiteResult.model_validate(json.loads(path.read_text(encoding="utf-8")))
    except (ValueError, OSError):
        return None  # a damaged entry is done again
    if (
        extra
        and folders is not None
        and not all((folders / site.id / name).is_file() for name in result.files)
    ):
        return None  # its files were taken away: done again
    return result
