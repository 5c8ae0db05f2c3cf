"""Benchmark: the Pori space-card booklet and options report, stage by stage (best of 3).

Prints a Markdown table per language: laying out the options (which the plan benchmark also
times), the cards and HTML, WeasyPrint's page layout and the PDF written, the booklet from the
laid-out case (the sum: what the app's download costs once the plan is on screen), and the whole
``configurator cards`` command in a fresh process (imports, loading, layout and PDF: what a user
waits for at the prompt). Target: the booklet ≤ 5 s. The garbage-collector setting is the one the
command line and the app use (:mod:`configurator._gc`).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TypeVar

from configurator._gc import relax_gc
from configurator.documents.booklet import Printed, printed_case, render_booklet
from configurator.documents.report import render_report
from configurator.inputs.catalog import load_case

PORI = Path(__file__).resolve().parent.parent / "examples" / "pori.yaml"
T = TypeVar("T")


def best_of(repeat: int, work: Callable[[], T]) -> tuple[float, T]:
    """The fastest of ``repeat`` runs, and the last result."""
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - start)
    assert result is not None
    return min(times), result


def pdf_stages(html: str) -> tuple[float, float, int]:
    """Seconds WeasyPrint takes to lay the pages out and to write the PDF, and the page count."""
    import weasyprint  # type: ignore[import-untyped]

    start = time.perf_counter()
    document = weasyprint.HTML(string=html).render()
    laid = time.perf_counter()
    document.write_pdf()
    return laid - start, time.perf_counter() - laid, len(document.pages)


def whole_command(lang: str) -> float:
    """Seconds ``configurator cards`` takes in a fresh process, best of 3."""
    with tempfile.TemporaryDirectory() as folder:
        command = [sys.executable, "-m", "configurator", "cards", str(PORI), "--lang", lang]
        seconds, _ = best_of(
            3, lambda: subprocess.run([*command, "-o", folder], check=True, capture_output=True)
        )
    return seconds


def main() -> None:
    """Time every stage and print the table."""
    relax_gc()
    case = load_case(PORI)
    layout_s, printed = best_of(1, lambda: printed_case(case))
    assert isinstance(printed, Printed)
    print(
        "| document | options laid out | cards + HTML | page layout | PDF written "
        "| from the laid-out case | whole command | pages |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for lang in ("fi", "en"):
        html_s, (html, _) = best_of(3, partial(render_booklet, printed, lang=lang))
        runs = [pdf_stages(html) for _ in range(3)]
        lay, write, pages = min(runs, key=lambda r: r[0] + r[1])
        print(
            f"| booklet ({lang}) | {layout_s:.1f} s | {html_s:.2f} s | {lay:.1f} s | "
            f"{write:.1f} s | **{html_s + lay + write:.1f} s** | {whole_command(lang):.1f} s "
            f"| {pages} |"
        )
    report_s, html = best_of(3, lambda: render_report(printed, lang="fi"))
    lay, write, pages = pdf_stages(html)
    print(
        f"| report (fi) | (same) | {report_s:.2f} s | {lay:.1f} s | {write:.1f} s "
        f"| {report_s + lay + write:.1f} s | | {pages} |"
    )


if __name__ == "__main__":
    main()
