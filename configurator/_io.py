"""Write output files atomically: a reader sees the old file or the whole new one, never half;
and a matplotlib figure as the same PNG bytes every time."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["atomic_path", "figure_png", "write_bytes_atomic", "write_text_atomic"]


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; move it over ``target`` only if the block succeeds.

    For libraries that write to a path themselves (ezdxf, openpyxl, matplotlib).
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=target.suffix, dir=target.parent)
    os.fchmod(fd, 0o644)  # an output others may read, not mkstemp's private 0600
    os.close(fd)
    temporary = Path(name)
    try:
        yield temporary
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)


def write_bytes_atomic(target: Path, data: bytes) -> None:
    """Write bytes to ``target`` atomically."""
    with atomic_path(target) as temporary:
        temporary.write_bytes(data)


def write_text_atomic(target: Path, text: str) -> None:
    """Write UTF-8 text to ``target`` atomically."""
    write_bytes_atomic(target, text.encode("utf-8"))


def figure_png(figure: Figure) -> bytes:
    """Return a figure as PNG bytes without matplotlib's software stamp, so the same figure
    gives the same bytes whichever version drew it."""
    import io

    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()
