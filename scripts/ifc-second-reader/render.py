"""Draw what web-ifc read (read.mjs's JSON) as a plan: spaces coloured by zone, doors black.

Also prints the worst difference between a space's mesh (its floor area and volume, measured
from web-ifc's triangles) and the quantities the file states.
    python scripts/ifc-second-reader/render.py OUT.json PICTURE.png
"""

from __future__ import annotations

import json
import sys

import matplotlib as mpl

mpl.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import Polygon, Rectangle


def main() -> None:
    """Read the JSON, draw the plan from the meshes, print the worst mismatch."""
    with open(sys.argv[1], encoding="utf-8") as file:
        data = json.load(file)
    zone_of = {
        member: name
        for name, zone in data["zones"].items()
        if name.startswith("zone-")
        for member in zone["members"]
    }
    zones = sorted(set(zone_of.values()))
    colours = plt.get_cmap("tab10")
    fig, ax = plt.subplots(figsize=(16, 11))
    worst = 0.0
    for space in data["spaces"].values():
        tris = np.array(space["tris"])
        normals = np.cross(tris[:, 1] - tris[:, 0], tris[:, 2] - tris[:, 0])
        down = normals[:, 1] < -1e-9  # web-ifc turns the model Y up: the floor faces -Y
        floor = float(np.linalg.norm(normals[down], axis=1).sum() / 2)
        triple = np.einsum("ij,ij->i", tris[:, 0], np.cross(tris[:, 1], tris[:, 2]))
        volume = abs(float(triple.sum()) / 6)
        worst = max(worst, abs(floor - space["NetFloorArea"]), abs(volume - space["NetVolume"]))
        zone = zone_of.get(space["name"])
        colour = colours(zones.index(zone)) if zone else (0.86, 0.86, 0.86)
        for tri in tris[down]:
            outline = tri[:, [0, 2]] * [1, -1]
            ax.add_patch(Polygon(outline, closed=True, fc=colour, ec=colour, lw=0.3))
        x, y = tris[down][:, :, [0, 2]].reshape(-1, 2).mean(axis=0) * [1, -1]
        label = f"{space['name']}\n{space['NetFloorArea']:.1f} m²"
        ax.text(x, y, label, fontsize=5, ha="center", va="center")
    for door in data["doors"]:
        for tri in np.array(door):
            ax.add_patch(Polygon(tri[:, [0, 2]] * [1, -1], closed=True, fc="k", ec="k", lw=0.5))
    ax.autoscale()
    ax.set_aspect("equal")
    ax.legend(
        [Rectangle((0, 0), 1, 1, fc=colours(k)) for k in range(len(zones))],
        [f"{z}: {data['zones'][z]['long']}" for z in zones],
        loc="upper left",
        bbox_to_anchor=(1, 1),
        fontsize=8,
    )
    ax.set_title(
        f"Read back by web-ifc: {len(data['spaces'])} spaces, {len(data['zones'])} zones, "
        f"{len(data['doors'])} doors; worst |mesh − stated quantity| {worst:.4f}"
    )
    fig.savefig(sys.argv[2], dpi=110, bbox_inches="tight")
    print(f"worst difference between a mesh and its stated quantities: {worst:.6f}")


if __name__ == "__main__":
    main()
