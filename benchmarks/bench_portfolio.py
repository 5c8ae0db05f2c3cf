"""Benchmark: the national example through ``configurator portfolio`` (#24).

``examples/network/finland_sites.csv`` is the siting command's network of Finland (every
municipality within 50 km of a point, 10 000 residents a point, a catchment over 40 000 split
into the points a city would have: 209 sites), each site's demand scaled from its residents and
its building sized to its programme. The run lays out 5 options a site on the process pool
(two workers, this machine's cores), writes each site's plans and booklet (HTML), the
portfolio's JSON, workbook, HTML and PDF; then the same sites on a Dask ``LocalCluster`` of two
worker processes, whose files must be the same bytes. Target: ≤ 5 minutes on the pool.

    python -m benchmarks.bench_portfolio [--sites N] [--options 5] [--no-dask]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TABLE = REPO / "examples" / "network" / "finland_sites.csv"


def run(table: Path, out: Path, options: int, *extra: str) -> float:
    """Run the command in a fresh process (imports counted, as a user runs it); return s."""
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "configurator", "portfolio", str(table), "-o", str(out),
         "--options", str(options), *extra],
        check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    return time.perf_counter() - start


def files(out: Path) -> dict[str, bytes]:
    """Every file a run wrote (not its cache), by path."""
    return {
        p.relative_to(out).as_posix(): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and ".sites" not in p.parts
    }


def main() -> None:
    """Time the pool run, the rerun from the cache and the Dask run; compare the files."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sites", type=int, default=0, help="Only the first N sites.")
    parser.add_argument("--options", type=int, default=5)
    parser.add_argument("--no-dask", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        table = TABLE
        if args.sites:
            lines = TABLE.read_text(encoding="utf-8").splitlines()[: args.sites + 1]
            table = folder / "sites.csv"
            table.write_text("\n".join(lines) + "\n", encoding="utf-8")
        count = len(table.read_text(encoding="utf-8").splitlines()) - 1
        pool = run(table, folder / "pool", args.options, "--workers", "2")
        again = run(table, folder / "pool", args.options, "--workers", "2")
        written = files(folder / "pool")
        print("| sites | options | pool, 2 workers | rerun (cache) | Dask LocalCluster | same |")
        print("|---|---|---|---|---|---|")
        dask, same = "not run", "—"
        if not args.no_dask:
            from dask.distributed import LocalCluster

            with LocalCluster(
                n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
            ) as cluster:
                seconds = run(table, folder / "dask", args.options, "--scheduler",
                              cluster.scheduler_address)  # fmt: skip
            dask = f"{seconds:.0f} s"
            same = "yes" if files(folder / "dask") == written else "NO"
        size = sum(len(b) for b in written.values()) / 1e6
        print(f"| {count} | {args.options} | **{pool:.0f} s** | {again:.1f} s | {dask} | {same} |")
        print(f"\n{len(written)} files, {size:.0f} MB")


if __name__ == "__main__":
    main()
