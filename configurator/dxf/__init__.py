"""DXF drawings of plans: write a layered drawing, read footprints and edited plans back.

The drawing follows the US National CAD Standard / AIA layer names (see :data:`LAYERS`), is
drawn 1:1 in metres in model space, and carries machine-readable data: every room, corridor,
door, entrance and obstacle has XDATA under the application id :data:`APPID`, the header holds
the scenario, option, strategy and seed, and the root dictionary holds a snapshot of the plan as
exported, so that an edited copy can be compared with what was handed over. One module per job:
:mod:`.export` writes, :mod:`.footprint` derives a footprint from an architect's drawing,
:mod:`.readback` reads a plan back.
"""

from configurator.dxf._common import (
    APPID,
    AREA_PATTERN_LAYER,
    AREA_TABLE_LAYER,
    CIRCULATION_LAYER,
    DOOR_BLOCK,
    DOOR_LAYER,
    ENTRANCE_BLOCK,
    ENTRANCE_LAYER,
    LAYERS,
    NOTE_LAYER,
    OBSTACLE_LAYER,
    OUTLINE_LAYER,
    ROOM_TAG_LAYER,
    SPARE_LAYER,
    TITLE_BLOCK_LAYER,
    UNKNOWN_SPACE_TYPE,
    WINDOW_LAYER,
    Units,
    zone_layer,
)
from configurator.dxf.export import nearest_aci, plan_to_dxf, plan_to_dxf_bytes
from configurator.dxf.footprint import footprint_from_dxf
from configurator.dxf.readback import exported_plan_from_dxf, plan_from_dxf

__all__ = [
    "APPID",
    "AREA_PATTERN_LAYER",
    "AREA_TABLE_LAYER",
    "CIRCULATION_LAYER",
    "DOOR_BLOCK",
    "DOOR_LAYER",
    "ENTRANCE_BLOCK",
    "ENTRANCE_LAYER",
    "LAYERS",
    "NOTE_LAYER",
    "OBSTACLE_LAYER",
    "OUTLINE_LAYER",
    "ROOM_TAG_LAYER",
    "SPARE_LAYER",
    "TITLE_BLOCK_LAYER",
    "UNKNOWN_SPACE_TYPE",
    "WINDOW_LAYER",
    "Units",
    "exported_plan_from_dxf",
    "footprint_from_dxf",
    "nearest_aci",
    "plan_from_dxf",
    "plan_to_dxf",
    "plan_to_dxf_bytes",
    "zone_layer",
]
