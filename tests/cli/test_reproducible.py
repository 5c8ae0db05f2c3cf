"""Same input, same bytes: every file the command line writes, in two processes that hash apart.

Two runs use different ``PYTHONHASHSEED`` values and start a few seconds apart, so a set
iterated in hash order, a clock in a header or a random id shows up as a byte difference.
"""

from __future__ import annotations

import datetime
import os
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.common import REPO

SCENARIO = REPO / "examples" / "small_town.yaml"


def write_everything(folder: Path, seed: str) -> dict[str, bytes]:
    """Write the drawing files, the IFC model and the programme workbook of one example;
    return their bytes."""
    env = {**os.environ, "PYTHONHASHSEED": seed}
    dxf, ifc, svg, pdf = (str(folder / f"plan.{kind}") for kind in ("dxf", "ifc", "svg", "pdf"))
    commands = [
        ["export", str(SCENARIO), "--dxf", dxf, "--ifc", ifc, "--svg", svg, "--pdf", pdf],
        ["program", str(SCENARIO), "-f", "xlsx", "-o", str(folder / "programme.xlsx")],
    ]
    for args in commands:
        subprocess.run(
            [sys.executable, "-m", "configurator", *args],
            check=True,
            capture_output=True,
            env=env,
            cwd=REPO,
        )
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.mark.slow
def test_two_processes_write_the_same_bytes(tmp_path: Path) -> None:
    first = write_everything(tmp_path / "a", "1")
    second = write_everything(tmp_path / "b", "4")  # 1 and 4 ordered ezdxf's classes apart
    assert sorted(first) == ["plan.dxf", "plan.ifc", "plan.pdf", "plan.svg", "programme.xlsx"]
    differing = sorted(name for name in first if first[name] != second[name])
    assert differing == [], "a file depends on the clock or the process's hashing"


def test_the_workbook_is_dated_by_its_scenario(tmp_path: Path) -> None:
    xlsx = str(tmp_path / "p.xlsx")
    subprocess.run(
        [sys.executable, "-m", "configurator", "program", str(SCENARIO), "-f", "xlsx", "-o", xlsx],
        check=True,
        capture_output=True,
        cwd=REPO,
    )
    book = load_workbook(tmp_path / "p.xlsx")
    assert book.sheetnames[0] == "Programme"
    assert book.properties.created == datetime.datetime(2026, 12, 1)
    assert book.properties.modified == datetime.datetime(2026, 12, 1)
