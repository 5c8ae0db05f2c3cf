"""Walking distances over a plan's walkable floor: a 0.5 m grid in the building's own frame.

The grid is laid in the building frame so that a turned copy of a plan walks the same
distances; moves go to the 8 neighbouring cells (never cutting a wall's corner), and the
shortest walks come from a compiled Dijkstra search.
"""

from __future__ import annotations

import math

import numba
import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from configurator.model.geometry import BuildingFrame
from configurator.review.geometry import FrameGrid
from configurator.review.paths import heap_pop, heap_push

__all__ = ["WalkGrid", "warm_up"]

GRID_M = 0.5


class WalkGrid:
    """A raster of walkable cells with shortest walking distances between points."""

    def __init__(self, walkable: BaseGeometry, frame: BuildingFrame) -> None:
        self.frame = frame
        if walkable.is_empty:
            self.grid = FrameGrid(frame, 0.0, 0.0, GRID_M, 1, 1)
            self.x0 = self.y0 = 0.0
            self.free = np.zeros((1, 1), dtype=np.bool_)
            return
        self.grid = FrameGrid.over(frame, walkable, GRID_M)
        self.x0, self.y0 = self.grid.x0, self.grid.y0
        wx, wy = self.grid.centres()
        area = walkable.buffer(0.05, join_style="mitre")  # mitred: the same when turned
        shapely.prepare(area)
        self.free = shapely.contains_xy(area, wx.ravel(), wy.ravel()).reshape(
            self.grid.ny, self.grid.nx
        )

    def cell(self, p: tuple[float, float]) -> tuple[int, int] | None:
        """Return the free cell nearest a point (within 3 m), or None."""
        lx, ly = self.frame.to_local(p)
        i = int((lx - self.x0) / GRID_M)
        j = int((ly - self.y0) / GRID_M)
        ny, nx = self.free.shape
        j0, j1, i0, i1 = max(j - 6, 0), min(j + 7, ny), max(i - 6, 0), min(i + 7, nx)
        if j0 >= j1 or i0 >= i1:
            return None
        window = self.free[j0:j1, i0:i1]
        if not window.any():
            return None
        jj, ii = np.nonzero(window)
        d = (jj + j0 - j) ** 2 + (ii + i0 - i) ** 2
        k = int(np.argmin(d))  # the first of the nearest, in row order, as before
        return (int(jj[k] + j0), int(ii[k] + i0))

    def distances_from(self, p: tuple[float, float]) -> np.ndarray:
        """Return walking distances (m) from a point to every cell (inf where unreachable)."""
        start = self.cell(p)
        if start is None:
            return np.full(self.free.shape, np.inf)
        return _dijkstra(self.free, start[0], start[1]) * GRID_M

    def distance_to(self, field: np.ndarray, p: tuple[float, float]) -> float:
        """Return the walking distance to a point read from a distance field."""
        c = self.cell(p)
        return float(field[c]) if c is not None else math.inf


@numba.njit(cache=True)  # type: ignore[untyped-decorator,unused-ignore]
def _dijkstra(free: np.ndarray, sj: int, si: int) -> np.ndarray:  # pragma: no cover - compiled
    """Return grid distances (in cells) from one cell, 8-neighbour moves, no corner cutting."""
    ny, nx = free.shape
    dist = np.full((ny, nx), np.inf)
    done = np.zeros((ny, nx), dtype=np.bool_)
    heap_d = np.empty(ny * nx * 8 + 1)
    heap_v = np.empty(ny * nx * 8 + 1, dtype=np.int64)
    dist[sj, si] = 0.0
    size = heap_push(heap_d, heap_v, 0, 0.0, sj * nx + si)
    dj = np.array([1, -1, 0, 0, 1, 1, -1, -1])
    di = np.array([0, 0, 1, -1, 1, -1, 1, -1])
    w = np.array([1.0, 1.0, 1.0, 1.0, math.sqrt(2), math.sqrt(2), math.sqrt(2), math.sqrt(2)])
    while size > 0:
        d, v, size = heap_pop(heap_d, heap_v, size)
        j, i = v // nx, v % nx
        if done[j, i]:
            continue
        done[j, i] = True
        for m in range(8):
            a, b = j + dj[m], i + di[m]
            if a < 0 or a >= ny or b < 0 or b >= nx or not free[a, b] or done[a, b]:
                continue
            if m >= 4 and not (free[j + dj[m], i] and free[j, i + di[m]]):
                continue
            nd = d + w[m]
            if nd < dist[a, b]:
                dist[a, b] = nd
                size = heap_push(heap_d, heap_v, size, nd, a * nx + b)
    return dist


def warm_up() -> None:
    """Compile the search once into numba's on-disk cache."""
    _dijkstra(np.ones((3, 3), dtype=np.bool_), 0, 0)
