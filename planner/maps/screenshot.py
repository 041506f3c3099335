"""A screenshot of ``map.html`` in headless Chromium, through playwright (``planner map --screenshot``).

playwright (the pip package, extra ``browser``) drives the Chromium installed on the machine:
``$PLANNER_CHROMIUM`` when set, else the first of :data:`CANDIDATES` on PATH; it never downloads a
browser.  The browser tests and ``benchmarks/bench_map_load.py`` launch it the same way
(:func:`launch_options`).
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path
from typing import Any

from planner.outputs import write_bytes

#: Executables tried in order (``PLANNER_CHROMIUM`` first when set).
CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
#: Chromium switches: no network features, no sandbox (containers), no GPU.
ARGS = ("--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-default-apps", "--disable-extensions",
        "--hide-scrollbars")


class BrowserError(RuntimeError):
    """Chromium or playwright is missing, or the page did not load."""


def find_chromium() -> str | None:
    """The Chromium executable to use: ``$PLANNER_CHROMIUM``, else the first found on PATH."""
    configured = os.environ.get("PLANNER_CHROMIUM")
    if configured:
        return configured if Path(configured).exists() else shutil.which(configured)
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


def launch_options() -> dict[str, Any]:
    """Keyword arguments of playwright's ``chromium.launch`` for the machine's Chromium.

    Raises
    ------
    BrowserError
        When no Chromium is found.
    """
    executable = find_chromium()
    if not executable:
        raise BrowserError("Chromium was not found: install it (Debian: apt-get install chromium) "
                           "or set PLANNER_CHROMIUM to its path")
    return {"executable_path": executable, "headless": True, "args": list(ARGS)}


def take_screenshot(page_path: str | Path, png_path: str | Path, *, width: int = 1280,
                    height: int = 860) -> float:
    """Open a page in headless Chromium, wait until the map is drawn, and save a PNG of what it shows.

    Parameters
    ----------
    page_path : str or Path
        The ``map.html`` to open.
    png_path : str or Path
        Where to write the PNG.
    width, height : int
        The window, in CSS pixels.

    Returns
    -------
    float
        Seconds from navigation to the map being drawn.

    Raises
    ------
    BrowserError
        When playwright or Chromium is missing, or the page fails.
    """
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError as error:
        raise BrowserError("the screenshot needs playwright: pip install 'planner[browser]' "
                           "(it uses the Chromium installed on the machine)") from error
    options = launch_options()
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(**options)
            try:
                page = browser.new_page(viewport={"width": width, "height": height})
                started = time.monotonic()
                page.goto(Path(page_path).resolve().as_uri())
                page.wait_for_function("window.plannerMap && window.plannerMap.ready")
                load_s = time.monotonic() - started
                image = page.screenshot()
            finally:
                browser.close()
    except Error as error:
        raise BrowserError(str(error).splitlines()[0]) from error
    write_bytes(Path(png_path), image)
    return load_s
