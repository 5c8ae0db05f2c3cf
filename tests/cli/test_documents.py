"""``configurator cards`` and ``configurator report`` read back from the files they write."""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from configurator.cli import app
from tests.common import REPO, weasyprint_ready

pytestmark = pytest.mark.xdist_group("booklet")

PORI = str(REPO / "examples" / "pori.yaml")
runner = CliRunner()


class _Cells(HTMLParser):
    """The options table of the report as rows of cell texts."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self.inside = False
        self.heading: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table" and ("class", "options") in attrs:
            self.inside = True
        elif self.inside and tag == "tr":
            self.rows.append([])
        elif self.inside and tag in ("td", "th"):
            self.rows[-1].append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self.inside = False

    def handle_data(self, data: str) -> None:
        if self.inside and self.rows and self.rows[-1]:
            self.rows[-1][-1] += data
        elif "Recommended option" in data:
            self.heading.append(data)


def _value(cell: str) -> tuple[float, int]:
    """'37.8 (1) ✓' → (37.8, 1)."""
    match = re.match(r"\s*([\d\u202f.,]+)\s*%?\s*\((\d+)\)", cell)
    assert match, cell
    return float(match.group(1).replace("\u202f", "").replace(",", "")), int(match.group(2))


def test_the_report_ranks_and_recommends_as_its_own_table_says(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    result = runner.invoke(app, ["report", PORI, "-o", str(out), "--lang", "en"])
    assert result.exit_code == 0, result.output
    parser = _Cells()
    parser.feed(out.read_text(encoding="utf-8"))
    header, _thumbs, *body = parser.rows
    options = [int(re.search(r"Option (\d+)", h).group(1)) for h in header[2:]]  # type: ignore[union-attr]
    assert options == list(range(1, len(options) + 1))
    assert len(options) >= 2
    lower_is_better = {"Walk per visit, m", "Unassigned floor, m²", "Largest area deviation"}
    lower_is_better |= {"Privacy breaks", "Forbidden neighbours", "Unreachable rooms"}
    lower_is_better |= {"Audit problems", "Longest escape route, m", "Building-rule problems"}
    table = {row[0]: row for row in body}
    for label, row in table.items():
        if label in ("Targets met", "Audit"):
            continue
        values, ranks = zip(*(_value(c) for c in row[2:]), strict=True)
        for i, v in enumerate(values):  # rank by hand: 1 + how many options are better
            better = [w for w in values if (w < v if label in lower_is_better else w > v)]
            assert ranks[i] == 1 + len(better), (label, values, ranks)
    met = [c.strip() == "yes" for c in table["Targets met"][2:]]
    scores = [_value(c)[0] for c in table["Overall score"][2:]]
    # the best score among the options that meet every target, else the best score of all
    best = max((s, -i) for i, s in enumerate(scores) if met[i] or not any(met))
    recommended = options[-best[1]]
    assert parser.heading, "a recommendation is named"
    assert f"Option {recommended}" in parser.heading[0]
    assert all(c.strip() == "no problems" for c in table["Audit"][2:])


def test_the_report_pdf_has_the_options_the_plan_and_the_definitions(tmp_path: Path) -> None:
    weasyprint_ready()
    out = tmp_path / "report.pdf"
    result = runner.invoke(app, ["report", PORI, "-o", str(out)])
    assert result.exit_code == 0, result.output
    reader = PdfReader(io.BytesIO(out.read_bytes()))
    assert len(reader.pages) == 3
    first = reader.pages[0].extract_text()
    assert "Suositeltu vaihtoehto" in first
    assert "Vaihtoehto 3" in first
    assert "Mittareiden määritelmät" in reader.pages[2].extract_text()


def test_cards_writes_the_booklet_and_one_pdf_per_card(tmp_path: Path) -> None:
    weasyprint_ready()
    result = runner.invoke(app, ["cards", PORI, "-o", str(tmp_path), "--split", "--lang", "en"])
    assert result.exit_code == 0, result.output
    booklet = PdfReader(io.BytesIO((tmp_path / "booklet.pdf").read_bytes()))
    cards = sorted((tmp_path / "cards").glob("*.pdf"))
    assert len(booklet.pages) == 4 + len(cards)
    for path in cards:
        reader = PdfReader(io.BytesIO(path.read_bytes()))
        assert len(reader.pages) == 1
        assert f"Code {path.stem}" in reader.pages[0].extract_text()


def test_cards_as_html_one_file_per_card(tmp_path: Path) -> None:
    result = runner.invoke(app, ["cards", PORI, "-o", str(tmp_path), "-f", "html", "--split"])
    assert result.exit_code == 0, result.output
    html = (tmp_path / "booklet.html").read_text(encoding="utf-8")
    assert html.count('class="page card"') == len(list((tmp_path / "cards").glob("*.html")))
    one = (tmp_path / "cards" / "guide_desk.html").read_text(encoding="utf-8")
    assert one.count('class="page card"') == 1
    assert "Tunnus guide_desk" in one


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["cards", PORI, "--format", "docx"], "--format: expected one of pdf, html"),
        (["cards", PORI, "--lang", "sv"], "--lang: expected 'fi' or 'en'"),
        (["cards", PORI, "--option", "0"], "--option"),
        (["report", PORI, "-o", "report.txt"], "expected a .pdf or .html file name"),
        (["cards", "no-such.yaml"], "no-such.yaml"),
    ],
)
def test_bad_requests_say_what_is_wrong_and_write_nothing(
    tmp_path: Path, args: list[str], message: str
) -> None:
    args = [a if a != "report.txt" else str(tmp_path / a) for a in args]
    out = [] if "-o" in args else ["-o", str(tmp_path / "out")]
    result = runner.invoke(app, [*args, *out])
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "out" / "booklet.pdf").exists()
    assert not (tmp_path / "report.txt").exists()
