"""Shortest paths on a graph of floor cells: a compiled multi-source Dijkstra and shared parts.

The graph is given in compressed rows (``indptr``, ``indices``, ``weights``), so a grid of
cells and a few extra edges (the doors between pieces of circulation) search alike. The egress
rule (YM 848/2017 §32) counts the part two escape routes share twice; :func:`shared_lengths`
measures that part for every cell from the searches toward each separate exit.
"""

from __future__ import annotations

import numba
import numpy as np

__all__ = ["csr_from_edges", "heap_pop", "heap_push", "search", "shared_lengths", "warm_up"]


def csr_from_edges(
    nodes: int, src: np.ndarray, dst: np.ndarray, weight: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return (indptr, indices, weights) of a directed graph from its edge lists."""
    order = np.lexsort((dst, src))
    src, dst, weight = src[order], dst[order], weight[order]
    indptr = np.zeros(nodes + 1, dtype=np.int64)
    np.cumsum(np.bincount(src, minlength=nodes), out=indptr[1:])
    return indptr, dst.astype(np.int64), weight.astype(np.float64)


def search(
    indptr: np.ndarray,
    indices: np.ndarray,
    weights: np.ndarray,
    sources: np.ndarray,
    start: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Return the shortest distance of every node from the nearest source, and its parent.

    ``start[k]`` is the distance already walked to reach ``sources[k]`` (from the exit's door
    to the cell); a node's parent is the next node on its shortest path toward a source (-1 at
    a source or where nothing is reached).
    """
    return _search(indptr, indices, weights, sources.astype(np.int64), start.astype(np.float64))


def shared_lengths(
    dist: np.ndarray,
    parent: np.ndarray,
    first: np.ndarray,
    second: np.ndarray,
    *,
    slack: float,
) -> np.ndarray:
    """Return, per node, how far its routes to its nearest and second-nearest exit run together.

    ``dist`` and ``parent`` are the searches toward each separate exit (one row each);
    ``first`` and ``second`` the nearest and second-nearest exit of every node (-1: none). The
    route toward the nearest exit is followed from the node while going that way costs the
    route to the second exit at most ``slack`` more than its own shortest walk: along one
    corridor both routes are the same route, even where their shortest lines differ by a few
    centimetres; at a junction where they turn apart the detour grows at once.
    """
    return _shared(dist, parent, first.astype(np.int64), second.astype(np.int64), slack)


@numba.njit(cache=True)  # type: ignore[untyped-decorator,unused-ignore]
def heap_push(
    heap_d: np.ndarray, heap_v: np.ndarray, size: int, d: float, v: int
) -> int:  # pragma: no cover - compiled
    """Push (distance, node) onto a binary min-heap of ``size`` items; return the new size."""
    heap_d[size], heap_v[size] = d, v
    j = size
    while j > 0:
        up = (j - 1) // 2
        if heap_d[up] <= heap_d[j]:
            break
        heap_d[j], heap_d[up] = heap_d[up], heap_d[j]
        heap_v[j], heap_v[up] = heap_v[up], heap_v[j]
        j = up
    return size + 1


@numba.njit(cache=True)  # type: ignore[untyped-decorator,unused-ignore]
def heap_pop(
    heap_d: np.ndarray, heap_v: np.ndarray, size: int
) -> tuple[float, int, int]:  # pragma: no cover - compiled
    """Pop the nearest (distance, node) off a binary min-heap; return it and the new size."""
    d, v = heap_d[0], heap_v[0]
    size -= 1
    if size > 0:
        heap_d[0], heap_v[0] = heap_d[size], heap_v[size]
        j = 0
        while True:
            left = 2 * j + 1
            if left >= size:
                break
            child = left
            if left + 1 < size and heap_d[left + 1] < heap_d[left]:
                child = left + 1
            if heap_d[child] >= heap_d[j]:
                break
            heap_d[j], heap_d[child] = heap_d[child], heap_d[j]
            heap_v[j], heap_v[child] = heap_v[child], heap_v[j]
            j = child
    return d, v, size


@numba.njit(cache=True)  # type: ignore[untyped-decorator,unused-ignore]
def _search(
    indptr: np.ndarray,
    indices: np.ndarray,
    weights: np.ndarray,
    sources: np.ndarray,
    start: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:  # pragma: no cover - compiled
    n = indptr.shape[0] - 1
    dist = np.full(n, np.inf)
    parent = np.full(n, -1, dtype=np.int64)
    done = np.zeros(n, dtype=np.bool_)
    capacity = indices.shape[0] + sources.shape[0] + 1
    heap_d = np.empty(capacity)
    heap_v = np.empty(capacity, dtype=np.int64)
    size = 0
    for k in range(sources.shape[0]):
        v = sources[k]
        if start[k] < dist[v]:
            dist[v] = start[k]
            size = heap_push(heap_d, heap_v, size, start[k], v)
    while size > 0:
        d, v, size = heap_pop(heap_d, heap_v, size)
        if done[v]:
            continue
        done[v] = True
        for e in range(indptr[v], indptr[v + 1]):
            u = indices[e]
            nd = d + weights[e]
            if not done[u] and nd < dist[u] - 1e-12:
                dist[u] = nd
                parent[u] = v
                size = heap_push(heap_d, heap_v, size, nd, u)
    return dist, parent


@numba.njit(cache=True)  # type: ignore[untyped-decorator,unused-ignore]
def _shared(
    dist: np.ndarray, parent: np.ndarray, first: np.ndarray, second: np.ndarray, slack: float
) -> np.ndarray:  # pragma: no cover - compiled
    n = first.shape[0]
    shared = np.zeros(n)
    for v in range(n):
        a, b = first[v], second[v]
        if a < 0 or b < 0 or not np.isfinite(dist[a, v]) or not np.isfinite(dist[b, v]):
            continue
        q = v
        while True:
            up = parent[a, q]
            if up < 0:
                break
            walked = dist[a, v] - dist[a, up]
            if walked + dist[b, up] - dist[b, v] > slack:
                break
            q = up
        shared[v] = dist[a, v] - dist[a, q]
    return shared


def warm_up() -> None:
    """Compile both kernels once into numba's on-disk cache."""
    indptr, indices, weights = csr_from_edges(
        2, np.array([0, 1]), np.array([1, 0]), np.array([1.0, 1.0])
    )
    dist, parent = search(indptr, indices, weights, np.array([0]), np.array([0.0]))
    shared_lengths(
        np.vstack([dist, dist]),
        np.vstack([parent, parent]),
        np.array([0, 0]),
        np.array([1, 1]),
        slack=1.0,
    )
