"""The Pori booklet read back from its PDF (pypdf): pages, paper, words, fonts, bookmarks, bytes."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from pypdf import PdfReader
from shapely import affinity

from configurator.documents.booklet import (
    BookletError,
    Printed,
    html_to_pdf,
    printed_case,
    render_booklet,
    render_card,
)
from configurator.documents.cards import card_for, neighbour_status
from configurator.documents.i18n import number
from configurator.inputs.catalog import load_case
from configurator.sizing.demand import demand_from_scenario
from configurator.sizing.program import program_from_case
from tests.common import REPO, weasyprint_ready

pytestmark = pytest.mark.xdist_group("booklet")

PORI = REPO / "examples" / "pori.yaml"
A4_PT = (595.28, 841.89)
FRONT_PAGES = 4
"""Cover, contents, programme, plan."""


@pytest.fixture(scope="module")
def printed() -> Printed:
    return printed_case(load_case(PORI))


@pytest.fixture(scope="module")
def booklets(printed: Printed) -> dict[str, bytes]:
    weasyprint_ready()
    return {lang: html_to_pdf(render_booklet(printed, lang=lang)[0]) for lang in ("fi", "en")}


def flat(text: str) -> str:
    """Text without any whitespace (pypdf breaks lines and thin spaces as it likes)."""
    return re.sub(r"\s+", "", text.replace("\u202f", " "))


def rows(printed: Printed) -> list[Any]:
    return [r for r in printed.program.rows if r.count > 0]


@pytest.mark.parametrize("lang", ["fi", "en"])
def test_one_a4_page_per_space_type_after_the_front_pages(
    booklets: dict[str, bytes], printed: Printed, lang: str
) -> None:
    reader = PdfReader(io.BytesIO(booklets[lang]))
    programme = rows(printed)
    assert len(reader.pages) == FRONT_PAGES + len(programme)
    for page in reader.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert (width, height) == pytest.approx(A4_PT, abs=0.5)
    texts = [flat(page.extract_text()) for page in reader.pages]
    code_word = {"fi": "Tunnus", "en": "Code"}[lang]
    for k, row in enumerate(programme):
        words = texts[FRONT_PAGES + k]
        assert flat(str(getattr(row.names, lang))) in words, row.space_type
        assert f"{row.count}×" in words, f"{row.space_type}: its count"
        assert flat(f"{number(row.area_m2, lang)} m²") in words, f"{row.space_type}: its area"
        on = [i for i, t in enumerate(texts) if flat(f"{code_word} {row.space_type}") in t]
        assert on == [FRONT_PAGES + k], f"{row.space_type} has exactly its own page"
        assert f"{FRONT_PAGES + k + 1}/{len(reader.pages)}" in words, "footer page n / N"


def test_finnish_letters_survive_and_nothing_falls_back_to_english(
    booklets: dict[str, bytes],
) -> None:
    fi = "".join(p.extract_text() for p in PdfReader(io.BytesIO(booklets["fi"])).pages)
    for word in ("KÄYTTÖTARKOITUS", "Yksityisyystaso", "Sisällys", "Päivämäärä", "yhteensä"):
        assert word in fi
    for english in ("PURPOSE", "Privacy level", "Contents", "NEIGHBOURS", "Date"):
        assert english not in fi, f"{english!r} on a Finnish page"
    en = "".join(p.extract_text() for p in PdfReader(io.BytesIO(booklets["en"])).pages)
    assert "Privacy level" in en
    assert "Yksityisyystaso" not in en
    assert "ä" in en, "the Finnish name beside the English one keeps its letters"


@pytest.mark.parametrize("lang", ["fi", "en"])
def test_every_font_is_embedded(booklets: dict[str, bytes], lang: str) -> None:
    reader = PdfReader(io.BytesIO(booklets[lang]))
    seen = set()
    for page in reader.pages:
        resources: Any = page["/Resources"].get_object()
        fonts: Any = resources.get("/Font", {})
        for ref in fonts.get_object().values():
            font = ref.get_object()
            if font["/Subtype"] == "/Type0":
                font = font["/DescendantFonts"][0].get_object()
            if font["/Subtype"] == "/Type3":
                continue  # drawn glyphs, nothing to embed
            descriptor = font["/FontDescriptor"].get_object()
            assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), font
            seen.add(str(font["/BaseFont"]).split("+")[-1])
    # only the bundled faces (@font-face "Body"): no machine font stood in for a missing glyph
    assert seen == {"Body", "Body-Bold"}, seen


def test_bookmarks_and_contents_lead_to_the_right_pages(
    booklets: dict[str, bytes], printed: Printed
) -> None:
    reader = PdfReader(io.BytesIO(booklets["fi"]))

    def walk(items: list[Any]) -> list[tuple[str, int | None]]:
        out: list[tuple[str, int | None]] = []
        for item in items:
            if isinstance(item, list):
                out += walk(item)
            else:
                out.append((str(item.title), reader.get_destination_page_number(item)))
        return out

    marks = dict(walk(reader.outline))
    assert marks["Sisällys"] == 1
    assert marks["Tilaohjelma"] == 2
    assert marks["Toiminnallinen pohjaratkaisu"] == 3
    contents = flat(reader.pages[1].extract_text())
    for k, row in enumerate(rows(printed)):
        name = str(row.names.fi)
        assert marks[name] == FRONT_PAGES + k, f"bookmark of {name}"
        listed = re.search(re.escape(flat(name)) + r"\.*(\d+)", contents)
        assert listed is not None, f"{name} is in the contents"
        assert int(listed.group(1)) == FRONT_PAGES + k + 1, f"contents page number of {name}"


def test_same_scenario_same_pdf_bytes(booklets: dict[str, bytes], printed: Printed) -> None:
    again = html_to_pdf(render_booklet(printed_case(load_case(PORI)), lang="fi")[0])
    assert again == booklets["fi"]


def test_an_option_the_layout_did_not_give_is_a_clear_error(printed: Printed) -> None:
    beyond = len(printed.options) + 1
    with pytest.raises(BookletError, match=f"option {beyond}: the layout gave"):
        render_booklet(printed, lang="fi", option=beyond)


def test_a_neighbour_is_judged_on_the_drawing(printed: Printed) -> None:
    plan = printed.options[0].plan
    types = {r.space_type for r in plan.rooms}
    pairs = [
        (st.id, other)
        for st in printed.case.catalog.space_types
        if st.id in types
        for other in st.preferred_neighbours
        if other in types and other != st.id
    ]
    met = [(a, b) for a, b in pairs if neighbour_status(plan, a, b, forbidden=False) == "met"]
    assert met, "the Pori plan meets some neighbour wishes"
    mine, theirs = met[0]
    far = plan.model_copy(
        update={
            "rooms": [
                r.model_copy(
                    update={
                        "polygon": [
                            tuple(p)
                            for p in affinity.translate(r.shape, 500.0, 0.0).exterior.coords[:-1]
                        ]
                    }
                )
                if r.space_type == theirs
                else r
                for r in plan.rooms
            ]
        }
    )
    assert neighbour_status(far, mine, theirs, forbidden=False) == "not_met"
    assert neighbour_status(far, mine, theirs, forbidden=True) == "met", "apart: not touching"
    assert neighbour_status(plan, mine, "no_such_type", forbidden=False) == "absent"


def test_a_card_whose_furniture_does_not_fit_says_so_in_red(
    printed: Printed, tmp_path: Path
) -> None:
    data = yaml.safe_load(PORI.read_text(encoding="utf-8"))
    data["catalog"] = str(REPO / "catalog")
    data.setdefault("catalog_overrides", {}).setdefault("space_types", {})["phone_booth"] = {
        "furniture": [
            {"names": {"fi": "suuri pöytä", "en": "large table"}, "count": 4, "size_m": [1.8, 1.0]}
        ],
    }
    path = tmp_path / "crowded.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    case = load_case(path)
    program = program_from_case(case)
    demand = demand_from_scenario(case.scenario, catalog=case.catalog)
    row = next(r for r in program.rows if r.space_type == "phone_booth")
    plan = printed.options[0].plan
    for lang, words in (("fi", "Kalusteet eivät mahdu"), ("en", "The furniture does not fit")):
        card = card_for(case, program, demand, plan, row, lang=lang)
        assert not card.fit_ok
        assert card.deviates
        assert "furniture" in card.changed_fields
        html = render_card(printed, card)
        assert f'class="fit-bad">{words}' in html
        assert "F101" in html
        weasyprint_ready()
        text = PdfReader(io.BytesIO(html_to_pdf(html))).pages[0].extract_text()
        assert words in text
    css = (REPO / "configurator" / "documents" / "templates" / "style.css").read_text(
        encoding="utf-8"
    )
    assert re.search(r"\.fit-bad \{ color: #c62828", css), "red"
