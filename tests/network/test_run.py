"""A portfolio run read back from the files it writes: every site by id with its results or
its failure, the same bytes on one process or two, a rerun that does only what changed, and a
run killed half-way that the next run finishes."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import pytest
import yaml
from typer.testing import CliRunner

from configurator.cli import app
from configurator.inputs.catalog import DEFAULT_CATALOG, load_case
from configurator.network import Site, run_portfolio, sites_from_folder, write_portfolio
from configurator.sizing.program import compare_pooling, program_from_case
from tests.common import REPO, scenario, write_yaml

pytestmark = pytest.mark.xdist_group("network")


def sites_folder(folder: Path) -> Path:
    """Pori and the small town as sites, a floor too small for its programme, a broken file."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("pori", "small_town"):
        data = yaml.safe_load((REPO / "examples" / f"{name}.yaml").read_text(encoding="utf-8"))
        data["catalog"] = str(DEFAULT_CATALOG)
        write_yaml(folder / f"{name}.yaml", data)
    small = scenario(name="Too small")
    small["footprint"]["rectangle"] = [12.0, 8.0]
    small["footprint"]["entrances"] = [{"id": "main_door", "at": [4.0, 0.0], "kind": "main"}]
    write_yaml(folder / "cramped.yaml", small)
    (folder / "broken.yaml").write_text("name: broken\nfootprint: {}\n", encoding="utf-8")
    return folder


def written(out: Path) -> dict[str, bytes]:
    """Return every file a run wrote (not its cache), by path under ``out``."""
    return {
        p.relative_to(out).as_posix(): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and ".sites" not in p.parts
    }


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return sites_folder(tmp_path_factory.mktemp("sites") / "sites")


def test_every_site_has_results_or_its_reason_and_totals_add_up(
    folder: Path, tmp_path: Path
) -> None:
    portfolio, run = run_portfolio(sites_from_folder(folder), options=1, workers=1)
    assert (run.computed, run.cached) == (3, 0)  # the broken file is not run
    by_id = {s.site: s for s in portfolio.sites}
    assert list(by_id) == ["broken", "cramped", "pori", "small_town"]
    assert by_id["broken"].failure is not None
    assert by_id["broken"].failure.startswith("scenario: ")
    assert "E202" in by_id["broken"].failure
    assert by_id["cramped"].failure is not None
    assert by_id["cramped"].failure.startswith("layout: the programme needs")
    for name in ("pori", "small_town"):
        result = by_id[name]
        assert result.failure is None
        assert result.best is not None
        assert result.best.options == 1
        assert result.best.audit_problems == 0
        case = load_case(folder / f"{name}.yaml")
        program, pooling = program_from_case(case), compare_pooling(case)
        assert result.usable_m2 == pytest.approx(program.totals.usable_m2, abs=0.05)
        assert result.saving_m2 == pytest.approx(pooling.saving_m2, abs=0.05)
        assert result.saving_m2 == pytest.approx(
            result.separate_usable_m2 - result.usable_m2, abs=0.1
        )
    write_portfolio(portfolio, tmp_path, date=None)
    written = json.loads((tmp_path / "portfolio.json").read_text(encoding="utf-8"))
    planned = [s for s in written["sites"] if s["failure"] is None]
    assert written["totals"]["usable_m2"] == pytest.approx(sum(s["usable_m2"] for s in planned))
    assert written["totals"]["saving_rent_eur_year"] == pytest.approx(
        sum(s["saving_rent_eur_year"] for s in planned)
    )
    book = openpyxl.load_workbook(tmp_path / "portfolio.xlsx")
    assert book.sheetnames == ["Sites", "Failures", "Regions", "Network"]
    assert [r[0].value for r in book["Sites"].iter_rows(min_row=2)] == ["pori", "small_town"]
    assert [r[0].value for r in book["Failures"].iter_rows(min_row=2)] == ["broken", "cramped"]


def test_one_process_or_two_write_the_same_bytes_and_a_rerun_does_only_what_changed(
    folder: Path, tmp_path: Path
) -> None:
    outputs = {}
    for workers in (1, 2):
        out = tmp_path / f"w{workers}"
        result = CliRunner().invoke(
            app, ["portfolio", str(folder), "-o", str(out), "-n", "1", "--workers", str(workers)]
        )
        assert result.exit_code == 0, result.output
        assert "3 run now, 0 from the last run" in result.output
        outputs[workers] = written(out)
    assert set(outputs[1]) == {
        "portfolio.json", "portfolio.xlsx", "portfolio.html", "portfolio.pdf",
        "sites/pori/plan-1.dxf", "sites/pori/booklet.html",
        "sites/small_town/plan-1.dxf", "sites/small_town/booklet.html",
    }  # fmt: skip
    assert outputs[1] == outputs[2]
    again = CliRunner().invoke(
        app, ["portfolio", str(folder), "-o", str(tmp_path / "w1"), "-n", "1"]
    )
    assert "0 run now, 3 from the last run" in again.output
    assert "left alone" not in again.output
    (tmp_path / "w1" / "sites" / "gone").mkdir()  # a site since removed from the table
    again = CliRunner().invoke(
        app, ["portfolio", str(folder), "-o", str(tmp_path / "w1"), "-n", "1"]
    )
    assert "1 folder(s) in " in again.output
    assert "belong to no site of this table and were left alone: gone" in again.output
    assert (tmp_path / "w1" / "sites" / "gone").is_dir()
    assert (tmp_path / "w1" / "portfolio.json").read_bytes() == outputs[1]["portfolio.json"]
    # one site changed: only it is run again
    changed = tmp_path / "changed"
    sites_folder(changed)
    data = yaml.safe_load((changed / "pori.yaml").read_text(encoding="utf-8"))
    data["seed"] = 8
    write_yaml(changed / "pori.yaml", data)
    sites = sites_from_folder(changed)
    _, first = run_portfolio(sites, options=1, cache=tmp_path / "cache")
    sites = sites_from_folder(folder)
    _, second = run_portfolio(sites, options=1, cache=tmp_path / "cache")
    assert (first.computed, second.computed, second.cached) == (3, 1, 2)


def test_a_run_killed_half_way_is_finished_by_the_next(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    command = [sys.executable, "-m", "configurator", "portfolio", str(folder), "-o", str(out),
               "-n", "1", "--workers", "1"]  # fmt: skip
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    cache = out / ".sites"
    while time.monotonic() < deadline and not (cache.is_dir() and any(cache.iterdir())):
        time.sleep(0.05)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    kept = len(list(cache.glob("*.json")))
    assert 1 <= kept < 3, "killed after the first site and before the last"
    assert not (out / "portfolio.json").exists()
    finished = subprocess.run(command, capture_output=True, text=True, check=True)
    assert f"{3 - kept} run now, {kept} from the last run" in finished.stderr
    assert json.loads((out / "portfolio.json").read_text(encoding="utf-8"))["totals"]["sites"] == 4


def test_a_missing_folder_is_one_line_and_exit_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["portfolio", str(tmp_path / "nowhere")])
    assert result.exit_code == 2
    assert "no such folder of site scenarios [E560]" in result.output


@pytest.mark.slow
def test_a_dask_cluster_gives_the_same_bytes_as_the_process_pool(
    folder: Path, tmp_path: Path
) -> None:
    """The same jobs on a Dask LocalCluster (two worker processes), through the command line's
    --scheduler, against the process pool's files."""
    from dask.distributed import LocalCluster

    pool = tmp_path / "pool"
    result = CliRunner().invoke(
        app, ["portfolio", str(folder), "-o", str(pool), "-n", "1", "--workers", "2"]
    )
    assert result.exit_code == 0, result.output
    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        dask = tmp_path / "dask"
        result = CliRunner().invoke(
            app,
            ["portfolio", str(folder), "-o", str(dask), "-n", "1", "--scheduler",
             cluster.scheduler_address],
        )  # fmt: skip
        assert result.exit_code == 0, result.output
        assert "3 run now" in result.output
    assert written(dask) == written(pool)


def test_no_scheduler_at_the_address_is_one_line() -> None:
    result = CliRunner().invoke(
        app, ["portfolio", str(REPO / "examples"), "--scheduler", "tcp://127.0.0.1:9"]
    )
    assert result.exit_code == 2
    assert "no Dask scheduler answers" in result.output


def test_an_unforeseen_error_in_one_site_is_its_failure_not_the_runs(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from configurator.network import run as run_module

    real = run_module.site_result

    def flaky(site: Site, options: int, files: object = None) -> object:
        if site.id == "pori":
            raise ZeroDivisionError("a bug in one site's layout")
        return real(site, options, None)

    monkeypatch.setattr(run_module, "site_result", flaky)
    portfolio, _ = run_portfolio(sites_from_folder(folder), options=1, workers=1)
    by_id = {s.site: s for s in portfolio.sites}
    assert by_id["pori"].failure == "internal error: ZeroDivisionError: a bug in one site's layout"
    assert by_id["small_town"].failure is None


def test_a_file_name_that_is_no_site_id_fails_and_writes_nothing_outside(tmp_path: Path) -> None:
    """A scenario named '...yaml' (its stem '..') must not become a folder above DIR/sites."""
    folder = tmp_path / "in"
    folder.mkdir()
    data = yaml.safe_load((REPO / "examples" / "small_town.yaml").read_text(encoding="utf-8"))
    data["catalog"] = str(DEFAULT_CATALOG)
    write_yaml(folder / "...yaml", data)
    out = tmp_path / "out"
    out.mkdir()
    (out / "precious.txt").write_text("keep me", encoding="utf-8")
    result = CliRunner().invoke(app, ["portfolio", str(folder), "-o", str(out), "-n", "1"])
    assert result.exit_code == 0, result.output
    assert (out / "precious.txt").read_text(encoding="utf-8") == "keep me"
    (site,) = json.loads((out / "portfolio.json").read_text(encoding="utf-8"))["sites"]
    assert "E561" in site["failure"]
    assert sorted(p.name for p in out.iterdir()) == [
        ".sites", "portfolio.html", "portfolio.json", "portfolio.pdf", "portfolio.xlsx",
        "precious.txt",
    ]  # fmt: skip


def test_a_cached_site_says_where_it_is_now_and_an_internal_error_is_tried_again(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dataclasses import replace

    from configurator.network import run as run_module

    sites = [s for s in sites_from_folder(folder) if s.id == "small_town"]
    run_portfolio(sites, options=1, cache=tmp_path / "cache")
    moved = [replace(s, source="moved.yaml") for s in sites]
    portfolio, again = run_portfolio(moved, options=1, cache=tmp_path / "cache")
    assert again.cached == 1
    assert portfolio.sites[0].source == "moved.yaml"

    def broken(site: Site, options: int, files: object = None) -> object:
        raise MemoryError("for a moment")

    monkeypatch.setattr(run_module, "site_result", broken)
    fresh = [replace(s, id="other") for s in sites]
    first, _ = run_portfolio(fresh, options=1, cache=tmp_path / "cache")
    assert (first.sites[0].failure or "").startswith("internal error: MemoryError")
    monkeypatch.undo()
    second, run = run_portfolio(fresh, options=1, cache=tmp_path / "cache")
    assert (run.computed, second.sites[0].failure) == (1, None)
