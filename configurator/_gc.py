"""Garbage-collector tuning for the processes that run the pipeline (the command line, the app).

WeasyPrint and the layout allocate hundreds of thousands of short-lived objects; with CPython's
default young-generation threshold (700) the collector runs thousands of times per booklet and
each run walks the growing older generations. A threshold of 50 000 makes the Pori booklet about
a fifth faster (``benchmarks/bench_booklet.py``) for a few megabytes of garbage held a little
longer. Set once at process start-up by the entry points, never by the library functions.
"""

from __future__ import annotations

import gc

YOUNG_THRESHOLD = 50_000


def relax_gc() -> None:
    """Raise the young-generation threshold (idempotent; older generations unchanged)."""
    _, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_THRESHOLD, middle, old)
