"""Draw the sample plan on paper sheets and check what a reader would look for."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from pathlib import Path

import matplotlib as mpl
import pytest
from PIL import Image

from configurator.documents.drawing import (
    PAPERS,
    plan_figure,
    plan_png_bytes,
    plan_to_pdf,
    plan_to_png,
    plan_to_svg,
)
from tests.dxf.test_dxf import catalog, sample_plan


def svg_texts(path: Path) -> list[str]:
    """Return every text string of an SVG written with real text."""
    root = ET.parse(path).getroot()
    return ["".join(node.itertext()) for node in root.iter("{http://www.w3.org/2000/svg}text")]


def test_svg_holds_tags_title_block_and_legend(tmp_path: Path) -> None:
    path = tmp_path / "plan.svg"
    assert plan_to_svg(sample_plan(), path, catalog=catalog(), lang="fi") == 100
    texts = svg_texts(path)
    joined = "\n".join(texts)
    # matplotlib writes a multi-line tag as one <text> per line, in order
    assert "Sisääntulo ja aula\n30,0 m²" in joined
    assert "Henkilöstön\nWC\n11,0 m²" in joined
    assert "1:100" in texts
    assert "N" in texts
    assert "Yksityinen palvelu" in joined
    assert "Saapuminen" in joined
    assert "264,5 m² (× 1.15)" in texts


def test_png_is_a3_landscape_at_the_asked_resolution(tmp_path: Path) -> None:
    path = tmp_path / "plan.png"
    plan_to_png(sample_plan(), path, catalog=catalog(), lang="en", dpi=50)
    with Image.open(path) as image:
        width, height = image.size
    assert (width, height) == (int(420 / 25.4 * 50), int(297 / 25.4 * 50))


def test_pdf_is_one_page(tmp_path: Path) -> None:
    path = tmp_path / "plan.pdf"
    plan_to_pdf(sample_plan(), path, catalog=catalog(), lang="fi", paper="A4", scale=200)
    data = path.read_bytes()
    assert data.startswith(b"%PDF")
    assert data.count(b"/Type /Page\n") + data.count(b"/Type /Page>") <= 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.pdf"], "written atomically"


def test_a_plan_too_large_for_the_paper_gets_the_next_scale_and_says_so() -> None:
    sheet = plan_figure(sample_plan(), catalog=catalog(), lang="en", paper="A4", scale=100)
    assert sheet.scale == 200
    assert sheet.note == "1:100 does not fit A4"
    texts = [t.get_text() for ax in sheet.figure.axes for t in ax.texts]
    assert "1:200 (1:100 does not fit A4)" in texts


def test_png_bytes_for_the_ui_leave_no_global_state() -> None:
    before = dict(mpl.rcParams)
    data = plan_png_bytes(sample_plan(), catalog=catalog(), lang="fi", dpi=30)
    assert data.startswith(b"\x89PNG")
    with Image.open(io.BytesIO(data)) as image:
        assert image.size[0] > image.size[1], "landscape"
    assert dict(mpl.rcParams) == before


def test_unknown_paper_is_refused() -> None:
    with pytest.raises(ValueError, match="A3, A4"):
        plan_figure(sample_plan(), catalog=catalog(), paper="A0")
    assert set(PAPERS) == {"A3", "A4"}
