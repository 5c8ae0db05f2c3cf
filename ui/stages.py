"""The pipeline's stages behind ``st.cache_data``, keyed by canonical JSON of their inputs.

Every function takes JSON text (or bytes) and returns plain models or bytes, so a cache hit
never re-runs a stage and no state is shared between sessions but these immutable results.
Changing the chosen option, the language or a page does not re-run the sizing.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import streamlit as st
import yaml

from configurator.inputs.catalog import Case, load_case_text, load_catalog
from configurator.model.errors import ConfigError, Problem
from configurator.model.schema import Catalog
from configurator.sizing.program import (
    PoolingComparison,
    Program,
    compare_pooling,
    program_from_case,
)

if TYPE_CHECKING:  # the layout (and numba) load when options are first asked for, not on landing
    from configurator.layout import Strategy
    from configurator.model.plan import Plan
    from configurator.review import Attempt, Option
    from configurator.review.kpis import PlanKpis

ROOT = Path(__file__).resolve().parent.parent


@st.cache_data(show_spinner=False, max_entries=64)
def case_of(data_json: str, name: str) -> tuple[Case | None, list[Problem]]:
    """Check scenario data with the scenario loader: the case, or every problem it found."""
    text = yaml.safe_dump(json.loads(data_json), sort_keys=False, allow_unicode=True)
    try:
        case = load_case_text(text, name=f"{name}.yaml", base=ROOT / "examples")
    except ConfigError as exc:
        return None, exc.problems
    return case, []


@st.cache_data(show_spinner=False)
def builtin_catalog() -> Catalog:
    """The built-in catalog (its agencies are the partners one can choose)."""
    return load_catalog()


@st.cache_data(show_spinner=False, max_entries=32)
def size(case_json: str) -> tuple[Program, PoolingComparison]:
    """Demand → sizing → programme, and the pooling comparison."""
    case = Case.model_validate_json(case_json)
    return program_from_case(case), compare_pooling(case)


@st.cache_data(show_spinner=False, max_entries=512)
def attempt(case_json: str, strategy: Strategy, seed: int) -> Attempt:
    """Lay out, audit and measure one strategy and seed (each one is made once)."""
    from configurator.review import attempt_option

    case = Case.model_validate_json(case_json)
    program, _ = size(case_json)
    return attempt_option(case, program, strategy, seed)


def search(
    case_json: str, count: int, progress: Callable[[int, int], None] | None = None
) -> tuple[list[Plan], list[PlanKpis]]:
    """Lay out the ranked options, telling ``progress`` after each attempt; every attempt
    comes from :func:`attempt`'s cache when it was made before."""
    from configurator.review import options_from_case

    case = Case.model_validate_json(case_json)
    program, _ = size(case_json)
    ranked: list[Option] = options_from_case(
        case,
        options=count,
        program=program,
        attempt=lambda strategy, seed: attempt(case_json, strategy, seed),
        progress=progress,
    )
    return [o.plan for o in ranked], [o.kpis for o in ranked]


@st.cache_data(show_spinner=False, max_entries=32)
def layout(case_json: str, count: int) -> tuple[list[Plan], list[PlanKpis]]:
    """The ranked options (after :func:`search` has made their attempts, all from cache)."""
    return search(case_json, count)


def temporary_file(write: Callable[[Path], object], name: str) -> bytes:
    """Let a writer that takes a path write into a temporary folder; return the bytes."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        write(path)
        return path.read_bytes()
