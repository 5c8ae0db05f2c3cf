"""The plan lived in: people walking the drawn floor (JuPedSim), a design day and an evacuation.

The only package that imports JuPedSim and PedPy. :mod:`.floor` turns a plan into a checked
walkable floor; :mod:`.day_model` builds the design day's services and visitors on it (no
simulator), :mod:`.day` walks, queues and serves them and measures the day, :mod:`.day_pictures`
draws its heat map, occupancy curve and page; :mod:`.evacuation` runs everyone out through the
real exits and measures it, :mod:`.pictures` draws the evacuation curve and the RSET map.
"""

from configurator.simulation.floor import ExitArea, WalkableFloor, walkable_floor

__all__ = ["ExitArea", "WalkableFloor", "walkable_floor"]
