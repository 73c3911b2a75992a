"""Screenshots of the main pages at a desktop and a phone width, to look at before calling a page done.

    .venv/bin/python tests/screenshots.py http://127.0.0.1:5000 /tmp/shots [path or name=path ...]

Uses Debian's chromium (never `playwright install`). Prints each page's width overflow, if any.
"""
from __future__ import annotations

import sys
from pathlib import Path
from urllib.parse import quote

CHROMIUM = "/usr/bin/chromium"
WIDTHS = {"desktop": 1280, "phone": 390}
PAGES = {
    "search": "/search?q=who+awards+the+CCS+credential%3F",
    "sparql": "/sparql?query=" + quote("""PREFIX mbc: <https://w3id.org/mbc-kg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?area ?median WHERE {
  ?w a mbc:WageStatistic ; mbc:payPeriod mbc:Hour ; mbc:median ?median ; mbc:region ?r .
  ?r a mbc:MetropolitanArea ; rdfs:label ?area .
} ORDER BY DESC(?median)"""),
    "browse": "/browse",
    "documents": "/documents",
    "certifications": "/certifications",
    "organizations": "/organizations",
    "regions": "/regions",
    "roles": "/roles",
    "programs": "/programs",
    "void": "/void",
    "reader": "/documents/001_c892d1600849e27d.txt",
    "reader-span": "/documents/002_62df25396eb30289.txt?start=2364&end=2472",
    "compare": "/compare?ids=certification/cpc,certification/ccs",
    "compare-four": "/compare?ids=region/us/ca,region/us,role/medical-records-specialist,certification/cpc",
    "role": "/id/role/medical-records-specialist",
    "state": "/id/region/us/ca",
}


def main(base: str, out: Path, paths: list[str]) -> None:
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    # arguments are names of PAGES, paths, or name=path
    paths = [f"{p}={PAGES[p]}" if p in PAGES else p for p in paths]
    pages = dict(p.split("=", 1) if "=" in p.split("?")[0] else (p.split("?")[0].strip("/").replace("/", "_") or "root", p)
                 for p in paths) if paths else PAGES
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                             args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        for label, width in WIDTHS.items():
            context = browser.new_context(viewport={"width": width, "height": 900 if width > 500 else 844},
                                          device_scale_factor=1)
            page = context.new_page()
            problems = []
            page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
            for name, path in pages.items():
                page.goto(base + path, wait_until="networkidle")
                if path.startswith("/sparql"):
                    page.wait_for_timeout(800)
                scroll = page.evaluate("document.scrollingElement.scrollWidth")
                inner = page.evaluate("innerWidth")
                flag = "" if scroll <= inner else f"  OVERFLOW {scroll} > {inner}"
                print(f"{label:8} {name:16} {path[:60]}{flag}")
                page.screenshot(path=str(out / f"{name}-{label}.png"), full_page=True)
                page.screenshot(path=str(out / f"{name}-{label}-first-screen.png"))
            for problem in problems:
                print("console error:", problem)
            context.close()
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1], Path(sys.argv[2]), sys.argv[3:])
