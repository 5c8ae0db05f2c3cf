"""Benchmark: the Pori space-card booklet and options report, stage by stage (best of 3).

Prints a Markdown table: the layout of the options (which the plan benchmark also times), the
cards and HTML, WeasyPrint's layout of the pages and the PDF written, for each language, and the
options report. Target: the booklet from a laid-out case in ≤ 5 s.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TypeVar

from configurator.booklet import Printed, printed_case, render_booklet
from configurator.catalog import load_case
from configurator.report import render_report

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


def main() -> None:
    """Time every stage and print the table."""
    case = load_case(PORI)
    layout_s, printed = best_of(1, lambda: printed_case(case))
    assert isinstance(printed, Printed)
    print("| document | options laid out | cards + HTML | page layout | PDF written | pages |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for lang in ("fi", "en"):
        html_s, (html, _) = best_of(3, partial(render_booklet, printed, lang=lang))
        runs = [pdf_stages(html) for _ in range(3)]
        lay, write, pages = min(runs, key=lambda r: r[0] + r[1])
        print(
            f"| booklet ({lang}) | {layout_s:.1f} s | {html_s:.2f} s | {lay:.1f} s | "
            f"{write:.1f} s | {pages} |"
        )
    report_s, html = best_of(3, lambda: render_report(printed, lang="fi"))
    lay, write, pages = pdf_stages(html)
    print(f"| report (fi) | (same) | {report_s:.2f} s | {lay:.1f} s | {write:.1f} s | {pages} |")


if __name__ == "__main__":
    main()
