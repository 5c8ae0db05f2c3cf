"""Benchmark: how long the browser app makes a planner wait, measured through AppTest.

Each session runs in a fresh process (imports included, every cache empty), as the first
visitor of a freshly started ``make run`` would: the landing page, a rerun with nothing changed
(median of 10), each other page's first visit, generating Pori's three options, choosing
another option, and the exports page. Three sessions; the best of each figure is printed, as a
Markdown table. Targets (issue 14): landing ≤ 3 s, a rerun with nothing changed ≤ 0.3 s.
The end-to-end test also writes the landing time in chromium, server start included, to
``build/e2e/landing-seconds.txt``.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SESSIONS = 3
STEPS = (
    ("landing (Scenario page, imports included)", "landing", "≤ 3 s"),
    ("rerun with nothing changed (median of 10)", "rerun", "≤ 0.3 s"),
    ("Demand page, first visit", "demand", ""),
    ("Programme page, first visit", "programme", ""),
    ("Footprint page, first visit", "footprint", ""),
    ("Options page, first visit", "options", ""),
    ("generate Pori's three options", "generate", ""),
    ("choose another option", "choose", ""),
    ("Cards and exports page (plan files made on click)", "exports", ""),
)


def session() -> dict[str, float]:
    """One visitor's session in this (fresh) process: seconds per step."""
    from streamlit.testing.v1 import AppTest

    times: dict[str, float] = {}

    def timed(name: str, step: Callable[[], object]) -> None:
        start = time.perf_counter()
        step()
        times[name] = time.perf_counter() - start
        assert not app.exception, [e.message for e in app.exception]

    app = AppTest.from_file(str(REPO / "app.py"), default_timeout=300)
    timed("landing", app.run)
    reruns = []
    for _ in range(10):
        start = time.perf_counter()
        app.run()
        reruns.append(time.perf_counter() - start)
    times["rerun"] = statistics.median(reruns)
    for page in ("demand", "programme", "footprint", "options"):
        timed(page, app.switch_page(f"ui/pages/{page}.py").run)
    timed("generate", app.button(key="w_generate").click().run)
    labels = app.radio(key="w_chosen").options
    timed("choose", app.radio(key="w_chosen").set_value(labels[1]).run)
    timed("exports", app.switch_page("ui/pages/exports.py").run)
    return times


def main() -> None:
    """Run the sessions in fresh processes and print the best of each step."""
    if "--session" in sys.argv:
        print(json.dumps(session()))
        return
    runs = []
    for _ in range(SESSIONS):
        done = subprocess.run(
            [sys.executable, "-m", "benchmarks.bench_app", "--session"],
            cwd=REPO,
            check=True,
            capture_output=True,
            text=True,
        )
        runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
    print(f"| step (fresh process, best of {SESSIONS}) | seconds | median | target |")
    print("| --- | ---: | ---: | --- |")
    for label, key, target in STEPS:
        values = [r[key] for r in runs]
        print(f"| {label} | {min(values):.2f} | {statistics.median(values):.2f} | {target} |")


if __name__ == "__main__":
    main()
