"""Write every file output of the three examples through the command line and print their SHA-256.

Run it before and after a change that must not alter what the tool writes (a restructuring, a
dependency bump) and diff the two listings: plan JSON, KPI tables, programme XLSX/CSV/JSON, DXF,
drawing sheets, booklet and report PDFs, and the help of every command. It drives
``python -m configurator`` only, so the same script works on any commit that has these commands.

    python scripts/output_digests.py build/digests > before.txt
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

EXAMPLES = ("pori", "small_town", "large_city")
COMMANDS = (
    "validate", "schema", "catalog", "program", "plan", "audit", "solve-blocks", "export",
    "check-dxf", "footprint", "cards", "report",
)  # fmt: skip


def run(*args: str) -> str:
    """Run one configurator command and return what it printed; stop if it fails."""
    done = subprocess.run(
        [sys.executable, "-m", "configurator", *args],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"},
    )
    if done.returncode != 0:
        sys.exit(f"configurator {' '.join(args)} failed:\n{done.stderr}")
    return done.stdout


def write_outputs(root: Path, example: str) -> None:
    """Write everything the command line makes of one example under ``root/example``."""
    scenario = f"examples/{example}.yaml"
    out = root / example
    run("plan", scenario, "--options", "3", "-o", str(out / "plans"), "--png", str(out / "p.png"))
    for fmt in ("xlsx", "csv", "json"):
        run("program", scenario, "-f", fmt, "-o", str(out / f"programme.{fmt}"))
    run(
        "export",
        scenario,
        "--dxf",
        str(out / "plan.dxf"),
        "--ifc",
        str(out / "plan.ifc"),
        "--svg",
        str(out / "plan.svg"),
        "--pdf",
        str(out / "plan.pdf"),
    )
    run("cards", scenario, "-o", str(out / "cards"), "--lang", "fi")
    run("report", scenario, "-o", str(out / "report.pdf"), "--lang", "en")


def main() -> None:
    """Write the outputs of every example and print one ``sha256  path`` line per file."""
    root = Path(sys.argv[1] if len(sys.argv) > 1 else "build/digests")
    for example in EXAMPLES:
        write_outputs(root, example)
    (root / "help").mkdir(parents=True, exist_ok=True)
    (root / "help" / "configurator.txt").write_text(run("--help"))
    for command in COMMANDS:
        (root / "help" / f"{command}.txt").write_text(run(command, "--help"))
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        print(f"{digest}  {path.relative_to(root)}")


if __name__ == "__main__":
    main()
