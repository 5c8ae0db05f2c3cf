"""The job a user works on, kept in plain ``st.session_state`` keys so no page loses it.

The scenario is kept as the data a YAML file holds (``scenario_data``): the pages edit that
data and the loader checks it again, so an edit gets the loader's own messages. Widgets are
seeded from the job and write back to it, because Streamlit forgets a page's widgets when
the user goes to another page.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import streamlit as st
import yaml

from configurator.inputs.catalog import Case, load_case, scenario_yaml
from configurator.model.errors import ConfigError, Problem
from ui import stages

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"

DATA = "scenario_data"
NAME = "scenario_name"
OPTIONS = "option_count"
CHOSEN = "chosen_option"
MADE = "options_made"
"""The (case key, count) the options were last generated for."""


def start(path: str | None) -> None:
    """Load the starting scenario into the job once per session (an example or the CLI's)."""
    if DATA in st.session_state:
        return
    chosen = Path(path) if path else EXAMPLES / "pori.yaml"
    try:
        replace(load_case(chosen), chosen.stem)
    except ConfigError as exc:
        replace(load_case(EXAMPLES / "pori.yaml"), "pori")
        st.session_state["start_problems"] = [str(p) for p in exc.problems]


def replace(case: Case, name: str) -> None:
    """Make a loaded scenario the job, forgetting everything made from the previous one."""
    st.session_state[DATA] = yaml.safe_load(scenario_yaml(case))
    st.session_state[NAME] = name
    st.session_state[OPTIONS] = case.scenario.layout.options
    st.session_state[CHOSEN] = 1
    for key in (
        MADE,
        "booklet_pdf",
        "report_pdf",
        "footprint_drawing",
        "footprint_building",
        "start_problems",
    ):
        st.session_state.pop(key, None)
    kept = ("w_upload",)  # the uploader keeps its file; the example picker shows what is open
    for key in [k for k in st.session_state if str(k).startswith("w_") and k not in kept]:
        del st.session_state[key]


def data() -> dict[str, Any]:
    """The scenario data of the job (a copy: change it through :func:`update`)."""
    return json.loads(json.dumps(st.session_state[DATA]))  # type: ignore[no-any-return]


def update(changes: dict[str, Any]) -> None:
    """Replace top-level fields of the scenario data."""
    current = data()
    current.update(changes)
    st.session_state[DATA] = current


def key() -> str:
    """The scenario data as canonical JSON: the cache key of every stage."""
    return json.dumps(st.session_state[DATA], sort_keys=True, ensure_ascii=False)


def case() -> tuple[Case | None, list[Problem]]:
    """The job's scenario checked by the loader: the case, or the problems found."""
    return stages.case_of(key(), st.session_state.get(NAME, "scenario"))


def lang() -> str:
    """The language the user chose (the sidebar's switch)."""
    return str(st.session_state.get("lang", "en"))


def seed(widget: str, value: object) -> None:
    """Give a page's widget the job's value when the page is shown anew."""
    if widget not in st.session_state:
        st.session_state[widget] = value


def problem_lines(problems: list[Problem]) -> str:
    """The loader's messages as a Markdown list: field, what is wrong, the code."""
    return "\n".join(
        f"- `{p.path or '-'}`: {p.message} [{p.code}]".replace("\n", " ") for p in problems
    )
