"""IFC space models: write a plan as IFC4 spaces, zones and doors (COBIM 2012 series 3).

The only package that imports ifcopenshell. :mod:`.export` writes.
"""

from configurator.ifc.export import (
    PROGRAMME_PSET,
    REQUIREMENTS_PSET,
    SPACE_PSET,
    plan_to_ifc,
    plan_to_ifc_bytes,
)

__all__ = ["PROGRAMME_PSET", "REQUIREMENTS_PSET", "SPACE_PSET", "plan_to_ifc", "plan_to_ifc_bytes"]
