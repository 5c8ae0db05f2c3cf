"""Read the exported DXF with other programs: GDAL's DXF driver and LibreCAD's dxf2pdf."""

from __future__ import annotations

import csv
import io
import os
import subprocess
from collections import Counter
from pathlib import Path

import pytest

from configurator.dxf import ROOM_TAG_LAYER, zone_layer
from tests.common import need
from tests.dxf.test_dxf import export, sample_plan

pytestmark = pytest.mark.external


def ogr_features(path: Path) -> list[dict[str, str]]:
    """Return every feature GDAL's DXF driver reads (its single 'entities' layer) as a row."""
    ogr2ogr = need("ogr2ogr")
    need("ogrinfo")
    out = subprocess.run(
        [ogr2ogr, "-f", "CSV", "/vsistdout/", str(path), "-lco", "GEOMETRY=AS_WKT"],
        check=True,
        capture_output=True,
        timeout=60,
    )
    return list(csv.DictReader(io.StringIO(out.stdout.decode("utf-8"))))


def test_ogrinfo_sees_one_entities_layer(tmp_path: Path) -> None:
    ogrinfo = need("ogrinfo")
    out = subprocess.run(
        [ogrinfo, "-so", "-al", str(export(tmp_path))],
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "Layer name: entities" in out.stdout
    assert "Layer: String" in out.stdout
    assert "Text: String" in out.stdout


def test_gdal_lists_every_room_outline_and_tag(tmp_path: Path) -> None:
    plan = sample_plan()
    features = ogr_features(export(tmp_path))
    outlines = Counter(f["Layer"] for f in features if f["WKT"].startswith("LINESTRING"))
    for zone, n in Counter(r.zone for r in plan.rooms).items():
        assert outlines[zone_layer(zone)] == n
    tags = [f["Text"] for f in features if f["Layer"] == ROOM_TAG_LAYER]
    assert len(tags) == len(plan.rooms)
    for room in plan.rooms:
        assert any(room.id in tag for tag in tags), f"tag of {room.id}"
    assert "Sisääntulo ja aula\nentrance_lobby_1\n30,0 m²" in tags, "UTF-8 read as UTF-8"
    private = [
        [tuple(float(v) for v in pair.split()) for pair in f["WKT"][12:-1].split(",")]
        for f in features
        if f["Layer"] == "A-AREA-PRIVATE_SERVICE"
    ]
    assert [(8, 6.5), (12, 6.5), (12, 12), (8, 12), (8, 6.5)] in private, "the secure room"


def test_librecad_prints_the_drawing_to_a_non_empty_pdf(tmp_path: Path) -> None:
    librecad = need("librecad")
    path = export(tmp_path)
    out = tmp_path / "pdf"
    out.mkdir()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_RUNTIME_DIR": str(tmp_path)}
    # -o is ignored by LibreCAD 2.2's dxf2pdf; -t names the folder, the PDF takes the DXF's name
    subprocess.run(
        [librecad, "dxf2pdf", "-a", "-t", str(out), str(path)],
        check=True,
        capture_output=True,
        timeout=60,
        env=env,
    )
    pdf = out / "plan.pdf"
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    assert len(data) > 20_000, "a drawn page, not an empty one"
    info = subprocess.run([need("pdfinfo"), str(pdf)], capture_output=True, text=True, check=True)
    assert "(A3)" in info.stdout, "the sheet limits give LibreCAD an A3 page"
