"""The public names of :mod:`configurator.model`, for type checkers and the lazy loader."""

from .errors import ConfigError as ConfigError, LayoutError as LayoutError, Problem as Problem
from .geometry import (
    BuildingFrame as BuildingFrame,
    clear_width as clear_width,
    measured_width as measured_width,
)
from .plan import (
    Corridor as Corridor,
    Door as Door,
    Plan as Plan,
    PlanRoom as PlanRoom,
    zone_areas as zone_areas,
)
from .schema import (
    Agency as Agency,
    Catalog as Catalog,
    Footprint as Footprint,
    LayoutOptions as LayoutOptions,
    Names as Names,
    Persona as Persona,
    Scenario as Scenario,
    SpaceType as SpaceType,
)
