"""IFC both ways: a plan out as an IFC4 space model (COBIM 2012 series 3), a building model in
as a footprint.

The only package that imports ifcopenshell. :mod:`.export` writes a plan, :mod:`.footprint`
reads one storey of a building model.
"""

from configurator.ifc.export import (
    PROGRAMME_PSET,
    REQUIREMENTS_PSET,
    SPACE_PSET,
    plan_to_ifc,
    plan_to_ifc_bytes,
)

__all__ = ["PROGRAMME_PSET", "REQUIREMENTS_PSET", "SPACE_PSET", "plan_to_ifc", "plan_to_ifc_bytes"]
