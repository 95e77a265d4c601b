"""The accessibility check of the browser journeys: axe-core on a page, and its screenshots.

axe-core comes inside the `axe-playwright-python` package (no network at test time); it is injected
through the browser's debugging protocol, which the content security policy does not govern.
"""

from pathlib import Path

from django.conf import settings

FAILING_IMPACTS = ("serious", "critical")
"""axe's impact levels that fail a journey; "minor" and "moderate" are left to review."""
SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"
"""Kept by CI with the journeys' output (docs/running.md)."""
WIDTHS = {"1366": {"width": 1366, "height": 768}, "390": {"width": 390, "height": 844}}
"""A laptop and a phone."""


def violations(page) -> list[str]:
    """axe's serious and critical findings on the page as it is now, one line per rule."""
    from axe_playwright_python.sync_playwright import Axe

    found = Axe().run(page).response["violations"]
    return [
        f"{v['id']} ({v['impact']}): {v['help']}: "
        + "; ".join(" ".join(node["target"]) for node in v["nodes"][:5])
        for v in found
        if v["impact"] in FAILING_IMPACTS
    ]


def screenshots(page, name: str) -> list[Path]:
    """The whole page at each width of WIDTHS, as var/screenshots/<name>-<width>.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    kept = page.viewport_size
    paths = []
    for width, size in WIDTHS.items():
        page.set_viewport_size(size)
        path = SCREENSHOTS / f"{name}-{width}.png"
        page.screenshot(path=str(path), full_page=True)
        paths.append(path)
    if kept:
        page.set_viewport_size(kept)
    return paths


def check(page, name: str) -> list[str]:
    """axe at both widths (a phone's layout has its own menus and tables), then the screenshots.
    Returns the findings, each prefixed with the page's name and width."""
    problems = []
    for width, size in WIDTHS.items():
        page.set_viewport_size(size)
        problems += [f"{name} @{width}px: {line}" for line in violations(page)]
    screenshots(page, name)
    return problems
