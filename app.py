"""Streamlit UI of the service-point configurator: the whole job, one page per step.

Run with ``streamlit run app.py -- examples/pori.yaml``. Layout and widgets only: every number
shown comes from the ``configurator`` package; the job lives in ``st.session_state`` (see
:mod:`ui.job`) so that nothing is lost between pages, and each stage is cached by its inputs
(:mod:`ui.stages`).
"""

from __future__ import annotations

import sys

import streamlit as st

from configurator._gc import relax_gc
from ui import job
from ui.sidebar import checklist, scenario_download
from ui.texts import t

relax_gc()
st.set_page_config(page_title="Service-point configurator", layout="wide")
given = [a for a in sys.argv[1:] if a.endswith((".yaml", ".yml"))]
job.start(given[0] if given else None)
job.seed("lang", "en")
st.sidebar.radio("Kieli · Language", ["en", "fi"], key="lang", horizontal=True)
PAGES = [
    ("scenario", ":material/folder_open:"),
    ("demand", ":material/groups:"),
    ("programme", ":material/table_chart:"),
    ("footprint", ":material/domain:"),
    ("options", ":material/map:"),
    ("exports", ":material/print:"),
    ("portfolio", ":material/hub:"),
]
navigation = st.navigation(
    [
        st.Page(f"ui/pages/{name}.py", title=t(f"page.{name}"), icon=icon, url_path=name)
        for name, icon in PAGES
    ]
)
steps = st.sidebar.container()
navigation.run()
with steps:  # filled after the page ran, so it shows the page's own edits
    checklist()
    scenario_download()
