"""The public names of :mod:`configurator.sizing`, for type checkers and the lazy loader."""

from . import queueing as queueing
from .counts import (
    Sizing as Sizing,
    SizingError as SizingError,
    sizing_from_demand as sizing_from_demand,
)
from .demand import Demand as Demand, demand_from_scenario as demand_from_scenario
from .program import (
    PoolingComparison as PoolingComparison,
    Program as Program,
    compare_pooling as compare_pooling,
    program_from_case as program_from_case,
    program_from_sizing as program_from_sizing,
)
from .verification import (
    SizingVerification as SizingVerification,
    simulate_sizing as simulate_sizing,
)
