"""End to end in a real browser: Debian's chromium driven by Playwright against `streamlit run`.

Loads the app, uploads a scenario, edits a cell of the demand editor, generates options,
hovers a room of the interactive plan and reads its tooltip, downloads the DXF and the
booklet and parses them. Screenshots of every page, in English and Finnish, are saved under
``build/e2e/`` (or ``$E2E_ARTIFACTS``) for a person to look at.
"""

from __future__ import annotations

import io
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.common import REPO, need, weasyprint_ready

pytestmark = [pytest.mark.external, pytest.mark.xdist_group("browser"), pytest.mark.slow]

ARTIFACTS = Path(os.environ.get("E2E_ARTIFACTS", REPO / "build" / "e2e"))
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
]
PAGES = {
    "en": ("Scenario", "Demand", "Programme", "Footprint", "Options", "Cards and exports"),
    "fi": (
        "Skenaario",
        "Kysyntä",
        "Tilaohjelma",
        "Rakennus",
        "Vaihtoehdot",
        "Tilakortit ja tiedostot",
    ),
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    """`streamlit run app.py` on a free local port, until the module's tests are done."""
    port = free_port()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    log = (ARTIFACTS / "streamlit.log").open("wb")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "app.py",
            "--server.port",
            str(port),
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
            "--server.fileWatcherType",
            "none",
            "--",
            "examples/pori.yaml",
        ],
        cwd=REPO,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                time.sleep(0.5)
        else:
            raise AssertionError("streamlit did not start")
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    chromium = need("chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=chromium, args=FLAGS)
        yield launched
        launched.close()


def settle(page: Any, timeout_s: float = 120.0) -> None:
    """Wait until the script has run: the app says 'notRunning' and no spinner is left."""
    page.wait_for_timeout(300)
    page.wait_for_selector("[data-test-script-state='notRunning']", timeout=timeout_s * 1000)
    page.wait_for_timeout(300)


def visit(page: Any, title: str) -> None:
    page.get_by_test_id("stSidebarNav").get_by_role("link", name=title).click()
    settle(page)
    page.get_by_role("heading", name=title, level=1).wait_for()


def scroll_down(page: Any) -> None:
    """Scroll the app's main column (it scrolls inside the page) until a plotly chart is drawn:
    Streamlit draws a chart only once it is in view."""
    for _ in range(60):
        page.evaluate("document.querySelector('[data-testid=stMain]').scrollTo(0, 1e6)")
        if page.locator(".js-plotly-plot").count():
            return
        page.wait_for_timeout(500)


def shot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def test_the_whole_job_in_chromium(server: str, browser: Any, tmp_path: Path) -> None:
    import ezdxf
    from pypdf import PdfReader

    weasyprint_ready()
    page = browser.new_page(viewport={"width": 1400, "height": 900}, accept_downloads=True)
    started = time.monotonic()
    page.goto(server)
    # complete: the script has run and the page's last element (the summary) is drawn
    page.wait_for_function(
        """() => document.querySelector("[data-test-script-state='notRunning']")
            && [...document.querySelectorAll('[data-testid=stMetricValue]')]
                .some(e => e.textContent.includes('m²'))""",
        timeout=120_000,
    )
    landing = time.monotonic() - started
    settle(page)
    page.get_by_role("heading", name="Scenario", level=1).wait_for()
    assert page.get_by_text("Pori shared service point").first.is_visible()
    (ARTIFACTS).mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "landing-seconds.txt").write_text(f"{landing:.2f}\n")

    # upload a scenario: Pori with another seed, under another name
    mine = tmp_path / "my-pori.yaml"
    mine.write_text((REPO / "examples" / "pori.yaml").read_text().replace("seed: 7", "seed: 9"))
    page.locator("[data-testid='stFileUploader'] input[type=file]").set_input_files(str(mine))
    settle(page)
    page.get_by_text("my-pori.yaml is open.").wait_for()
    shot(page, "en-1-scenario")

    # edit a cell of the demand editor: the first partner's visits a year
    visit(page, "Demand")
    page.get_by_test_id("stDataFrame").first.wait_for()
    # the grid draws on a canvas; its accessibility table takes the focus to the first row,
    # from where the keys move and type as a person's do
    page.locator("[data-testid='stDataFrame'] #glide-cell-1-0").first.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_timeout(200)
    page.keyboard.type("900", delay=120)
    page.wait_for_timeout(200)
    page.keyboard.press("Enter")
    settle(page)
    shot(page, "en-2-demand")
    with page.expect_download() as caught:
        page.get_by_role("button", name="Download the scenario (YAML)").first.click()
    edited = yaml.safe_load(Path(caught.value.path()).read_text(encoding="utf-8"))
    assert edited["agencies"][0]["annual_visits"] == 900
    assert edited["seed"] == 9

    visit(page, "Programme")
    shot(page, "en-3-programme")
    scroll_down(page)
    page.locator(".js-plotly-plot").first.wait_for()
    visit(page, "Footprint")
    shot(page, "en-4-footprint")
    scroll_down(page)
    page.locator(".js-plotly-plot").first.wait_for()

    # generate the options and hover the largest room of the plan
    visit(page, "Options")
    page.get_by_role("button", name="Generate options").click()
    settle(page, 300)
    scroll_down(page)
    page.locator(".js-plotly-plot").first.wait_for()
    page.locator(".js-plotly-plot").first.scroll_into_view_if_needed()
    page.wait_for_timeout(800)
    target = page.evaluate(
        """() => {
        const gd = document.querySelector('.js-plotly-plot');
        const rooms = gd.data.filter(
            t => t.hoveron === 'fills' && !String(t.meta).startsWith('spare-'));
        const area = t => { let a = 0; for (let i = 0; i < t.x.length - 1; i++)
            a += t.x[i] * t.y[i + 1] - t.x[i + 1] * t.y[i]; return Math.abs(a) / 2; };
        const room = rooms.reduce((a, b) => area(a) >= area(b) ? a : b);
        // the point of the room (a rectangle) farthest from every persona path's corners, so
        // the hover finds the room and not a path line drawn across it
        const lines = gd.data.filter(t => t.legendgroup === 'paths');
        const xs = room.x.filter(v => v !== null), ys = room.y.filter(v => v !== null);
        const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
        const [y0, y1] = [Math.min(...ys), Math.max(...ys)];
        let best = null;
        for (let i = 1; i < 8; i++) for (let j = 1; j < 8; j++) {
            const px = x0 + (x1 - x0) * i / 8, py = y0 + (y1 - y0) * j / 8;
            let near = Infinity;
            for (const t of lines) for (let k = 0; k + 1 < t.x.length; k++) {
                if (t.x[k] === null || t.x[k + 1] === null) continue;
                const ax = t.x[k], ay = t.y[k], bx = t.x[k + 1], by = t.y[k + 1];
                const dx = bx - ax, dy = by - ay, len = dx * dx + dy * dy || 1;
                const u = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / len));
                near = Math.min(near, Math.hypot(px - ax - u * dx, py - ay - u * dy));
            }
            if (best === null || near > best[0]) best = [near, px, py];
        }
        const cx = best[1], cy = best[2];
        const xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis;
        const r = gd.querySelector('.nsewdrag').getBoundingClientRect();
        const name = room.name.split('<br>')[0].replace('<b>', '').replace('</b>', '');
        return {name: name, x: r.left + xa.l2p(cx), y: r.top + ya.l2p(cy)};
    }"""
    )
    page.mouse.move(target["x"], target["y"])
    tip = page.locator(".hoverlayer .hovertext").first
    tip.wait_for(timeout=10_000)
    text = tip.text_content() or ""
    assert target["name"] in text
    assert "m²" in text
    assert "Zone" in text
    shot(page, "en-5-options")

    # download the DXF and the booklet and read them back
    visit(page, "Cards and exports")
    with page.expect_download() as caught:
        page.get_by_role("button", name="DXF").click()
    doc = ezdxf.readfile(caught.value.path())  # type: ignore[attr-defined]
    assert len(doc.modelspace()) > 50
    page.get_by_role("button", name="Make the space cards of option 1 (PDF)").click()
    settle(page, 300)
    with page.expect_download() as caught:
        page.get_by_role("button", name="Download the space cards (PDF)").click()
    pdf = PdfReader(io.BytesIO(Path(caught.value.path()).read_bytes()))
    assert len(pdf.pages) > 4
    assert "Space cards" in pdf.pages[0].extract_text()
    shot(page, "en-6-exports")

    # the same pages in Finnish
    page.get_by_test_id("stSidebar").get_by_text("fi", exact=True).click()
    settle(page)
    for n, title in enumerate(PAGES["fi"], start=1):
        visit(page, title)
        shot(page, f"fi-{n}-{title.split()[0].lower()}")
    page.close()
