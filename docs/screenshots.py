"""Regenerate the README's screenshots of the web interface (needs Chromium):

    .venv/bin/python docs/screenshots.py

Serves the built graph on a loopback port, opens each main page in headless
Chromium at 1280 px wide and writes docs/screenshots/<name>.png.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from urllib.parse import urlencode

from playwright.sync_api import sync_playwright

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

from webserver import running  # noqa: E402

from ctgraph import build as pipeline  # noqa: E402
from ctgraph.queries.library import KnowledgeGraph  # noqa: E402
from ctgraph.web.app import WebConfig, built_at, create_app  # noqa: E402

EXAMPLE = """PREFIX ctg: <https://w3id.org/ctgraph/ontology#>
SELECT ?group ?number WHERE {
  ?group a ctg:WorkingGroup ; ctg:number ?number .
} ORDER BY ?number
"""
PAGES = [
    ("home", "/", 1400),
    ("resource", "/id/entity/unodc", 1100),
    (
        "query",
        "/queries/working-group-leadership?date=2024-06-01&group=compact-wg-3&run=1",
        1250,
    ),
    ("sparql", "/sparql?" + urlencode({"query": EXAMPLE}), 1000),
    ("search", "/search?q=%E5%8A%9E%E5%85%AC%E5%AE%A4", 700),
]


def main() -> None:
    chromium = shutil.which("chromium")
    if chromium is None:
        raise SystemExit("no chromium: apt-get install chromium")
    out = HERE / "screenshots"
    out.mkdir(exist_ok=True)
    app = create_app(
        KnowledgeGraph.load(),
        WebConfig(built=built_at(pipeline.BUILD_DIR / pipeline.TRIG)),
    )
    with running(app) as base, sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=chromium)
        for name, path, height in PAGES:
            page = browser.new_page(viewport={"width": 1280, "height": height})
            page.goto(base + path)
            page.screenshot(path=str(out / f"{name}.png"))
            print(f"wrote {out / name}.png")
            page.close()
        browser.close()


if __name__ == "__main__":
    main()
