"""The public names of :mod:`configurator.inputs`, for type checkers and the lazy loader."""

from .audit import (
    audit_catalog as audit_catalog,
    audit_footprint as audit_footprint,
    audit_scenario as audit_scenario,
)
from .catalog import (
    DEFAULT_CATALOG as DEFAULT_CATALOG,
    Case as Case,
    json_schemas as json_schemas,
    load_case as load_case,
    load_case_text as load_case_text,
    load_catalog as load_catalog,
    scenario_yaml as scenario_yaml,
)
