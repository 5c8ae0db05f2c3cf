"""The public names of :mod:`configurator.layout`, for type checkers and the lazy loader."""

from .engine import check_capacity as check_capacity, plan_from_program as plan_from_program
from .strategies import STRATEGIES as STRATEGIES, Strategy as Strategy
