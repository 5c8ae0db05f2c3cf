"""The plan lived in: people walking the drawn floor (JuPedSim), so far an evacuation.

The only package that imports JuPedSim and PedPy. :mod:`.floor` turns a plan into a checked
walkable floor, :mod:`.evacuation` runs everyone out through the real exits and measures it,
:mod:`.pictures` draws the evacuation curve and the RSET map.
"""

from configurator.simulation.floor import ExitArea, WalkableFloor, walkable_floor

__all__ = ["ExitArea", "WalkableFloor", "walkable_floor"]
