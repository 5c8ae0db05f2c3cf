"""Put a block problem in a canonical frame so results do not depend on how it was written.

The solver works on a copy of the problem that is rescaled (facility area 1), turned so that
the facility is at least as wide as it is tall, mirrored by a fixed rule when anchors or
regions break the symmetry, and with departments in a canonical order found by colour
refinement on the flow graph. A relabelled, mirrored, rotated or rescaled copy of a problem
therefore maps to the same canonical instance (up to the last bits of rounding, which are
removed by rounding canonical data to 12 significant digits), and gets the same layout.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from configurator.blocks.model import BlockProblem

__all__ = ["Canon", "Rect", "canonicalise"]

Rect = tuple[float, float, float, float]  # x, y, width, height

_INF = float("inf")


def _r12(v: float) -> float:
    """Round to 12 significant digits so that rescaled copies give identical data."""
    if v == 0.0 or not math.isfinite(v):
        return v
    return float(f"{v:.12g}")


def _opt(v: float | None, default: float) -> float:
    """Return ``v``, or ``default`` when it is None."""
    return default if v is None else v


@dataclass(frozen=True)
class Canon:
    """A block problem in canonical form, with what is needed to map a layout back."""

    n: int
    width: float
    height: float
    area: tuple[float, ...]
    max_aspect: tuple[float, ...]  # inf when unlimited
    min_side: tuple[float, ...]  # 0 when unlimited
    wlo: tuple[float, ...]  # shape-only lower bound on the width
    whi: tuple[float, ...]  # shape-only upper bound on the width
    pairs: tuple[tuple[int, int, float], ...]  # (i, j, f_ij + f_ji) for i < j, nonzero
    anchors: tuple[tuple[int, float, float, float], ...]  # (dept, x, y, flow)
    regions: tuple[tuple[float, float, float, float] | None, ...]  # (x0, y0, x1, y1)
    # mapping back to the problem's frame
    scale: float
    transpose: bool
    mirror_x: bool
    mirror_y: bool
    order: tuple[int, ...]  # canonical index -> problem index

    @property
    def total_area(self) -> float:
        """Return the sum of department areas."""
        return sum(self.area)

    def to_problem_rects(self, rects: list[Rect]) -> list[Rect]:
        """Map canonical rectangles (canonical order) back to problem order and frame."""
        out: list[Rect] = [(0.0, 0.0, 0.0, 0.0)] * self.n
        cw, ch = self.width, self.height
        for k, rect in enumerate(rects):
            x, y, w, h = rect
            if self.mirror_x:
                x = cw - x - w
            if self.mirror_y:
                y = ch - y - h
            if self.transpose:
                x, y, w, h = y, x, h, w
            s = self.scale
            out[self.order[k]] = (x * s, y * s, w * s, h * s)
        return out


def _refine_order(keys: list[tuple[float, ...]], flows: list[list[float]], n: int) -> list[int]:
    """Order departments by colour refinement on the flow graph; ties keep input order."""

    def ranks(vals: list[tuple[object, ...]]) -> list[int]:
        uniq = sorted(set(vals))
        pos = {v: r for r, v in enumerate(uniq)}
        return [pos[v] for v in vals]

    colour = ranks(list(keys))
    for _ in range(n):
        sig: list[tuple[object, ...]] = []
        for i in range(n):
            nb = sorted((flows[i][j], flows[j][i], colour[j]) for j in range(n) if j != i)
            sig.append((colour[i], tuple(nb)))
        new = ranks(sig)
        if len(set(new)) == len(set(colour)):
            colour = new
            break
        colour = new
    return sorted(range(n), key=lambda i: (colour[i], i))


def canonicalise(problem: BlockProblem) -> Canon:
    """Return the canonical form of a problem (see the module docstring)."""
    n = problem.n
    fw, fh = problem.facility.width, problem.facility.height
    scale = math.sqrt(fw * fh)
    cw, ch = fw / scale, fh / scale
    index = {d.id: k for k, d in enumerate(problem.departments)}

    # anchors and regions in the scaled problem frame
    anchor_pts = [
        (index[dep], a.x / scale, a.y / scale, f)
        for a in problem.anchors
        for dep, f in a.flows.items()
        if f > 0
    ]
    regions_raw: list[tuple[float, float, float, float] | None] = []
    for d in problem.departments:
        r = d.region
        if r is None:
            regions_raw.append(None)
        else:
            regions_raw.append(
                (r.x / scale, r.y / scale, (r.x + r.width) / scale, (r.y + r.height) / scale)
            )

    def moments() -> tuple[float, float]:
        mx = sum(f * (x - cw / 2) for _, x, _, f in anchor_pts)
        my = sum(f * (y - ch / 2) for _, _, y, f in anchor_pts)
        for reg in regions_raw:
            if reg is not None:
                mx += (reg[0] + reg[2]) / 2 - cw / 2
                my += (reg[1] + reg[3]) / 2 - ch / 2
        return mx, my

    transpose = False
    mx, my = moments()
    if cw < ch * (1 - 1e-12) or (
        abs(cw - ch) <= 1e-12 * ch and abs(my) > abs(mx) * (1 + 1e-9) + 1e-12
    ):
        transpose = True
        cw, ch = ch, cw
        anchor_pts = [(k, y, x, f) for k, x, y, f in anchor_pts]
        regions_raw = [None if r is None else (r[1], r[0], r[3], r[2]) for r in regions_raw]
        mx, my = my, mx
    mirror_x = mx > 1e-9
    mirror_y = my > 1e-9
    if mirror_x:
        anchor_pts = [(k, cw - x, y, f) for k, x, y, f in anchor_pts]
        regions_raw = [
            None if r is None else (cw - r[2], r[1], cw - r[0], r[3]) for r in regions_raw
        ]
    if mirror_y:
        anchor_pts = [(k, x, ch - y, f) for k, x, y, f in anchor_pts]
        regions_raw = [
            None if r is None else (r[0], ch - r[3], r[2], ch - r[1]) for r in regions_raw
        ]

    flows = [[float(v) for v in row] for row in problem.flows]
    deps = problem.departments
    anchor_sig: list[list[tuple[float, float, float]]] = [[] for _ in range(n)]
    for k, x, y, f in anchor_pts:
        anchor_sig[k].append((_r12(x), _r12(y), f))
    keys: list[tuple[float, ...]] = []
    for k, d in enumerate(deps):
        reg = regions_raw[k]
        keys.append(
            (
                _r12(d.area / scale**2),
                d.max_aspect if d.max_aspect is not None else _INF,
                _r12(d.min_side / scale) if d.min_side is not None else 0.0,
                *(tuple(_r12(v) for v in reg) if reg is not None else (-1.0, -1.0, -1.0, -1.0)),
                *(v for t in sorted(anchor_sig[k]) for v in t),
            )
        )
    order = _refine_order(keys, flows, n)
    pos = {orig: c for c, orig in enumerate(order)}

    area = tuple(_r12(deps[o].area / scale**2) for o in order)
    rmax = tuple(_opt(deps[o].max_aspect, _INF) for o in order)
    smin = tuple(_r12(_opt(deps[o].min_side, 0.0) / scale) for o in order)
    wlo = tuple(
        max(math.sqrt(a / r) if r < _INF else 0.0, s)
        for a, r, s in zip(area, rmax, smin, strict=True)
    )
    whi = tuple(
        min(math.sqrt(a * r) if r < _INF else _INF, a / s if s > 0 else _INF)
        for a, r, s in zip(area, rmax, smin, strict=True)
    )
    pairs: list[tuple[int, int, float]] = []
    for ci in range(n):
        for cj in range(ci + 1, n):
            oi, oj = order[ci], order[cj]
            f = flows[oi][oj] + flows[oj][oi]
            if f > 0:
                pairs.append((ci, cj, f))
    anchors = tuple(sorted((pos[k], _r12(x), _r12(y), f) for k, x, y, f in anchor_pts))
    regions = tuple(
        None if regions_raw[o] is None else tuple(_r12(v) for v in regions_raw[o])  # type: ignore[union-attr]
        for o in order
    )
    return Canon(
        n=n,
        width=_r12(cw),
        height=_r12(ch),
        area=area,
        max_aspect=rmax,
        min_side=smin,
        wlo=wlo,
        whi=whi,
        pairs=tuple(pairs),
        anchors=anchors,
        regions=regions,  # type: ignore[arg-type]
        scale=scale,
        transpose=transpose,
        mirror_x=mirror_x,
        mirror_y=mirror_y,
        order=tuple(order),
    )
