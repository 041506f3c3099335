"""Pages in the machine's headless Chromium through playwright, for the browser tests.

Chromium is required (Debian: ``apt-get install chromium``; CI's ``.ci/run`` installs it): the tests that use
:func:`chromium` fail, not skip, when it or playwright is missing.  No browser is ever downloaded.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from planner.maps.screenshot import BrowserError, launch_options


@dataclass
class Seen:
    """What a page reported: script errors, console errors, requests and dialogs."""

    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)


@contextmanager
def chromium() -> Iterator[Any]:
    """playwright's Browser on the machine's Chromium."""
    try:
        from playwright.sync_api import sync_playwright
        options = launch_options()
    except (ImportError, BrowserError) as error:
        pytest.fail(f"the browser tests need playwright and Chromium ({error}): pip install -e '.[test]', "
                    "apt-get install chromium (or set PLANNER_CHROMIUM); CI's .ci/run installs both")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(**options)
        try:
            yield browser
        finally:
            browser.close()


def open_page(browser: Any, path: Path, width: int = 1200, height: int = 800) -> tuple[Any, Seen]:
    """A new page at ``path`` (a local file), with what it reports recorded from the start."""
    page = browser.new_page(viewport={"width": width, "height": height})
    seen = Seen()
    page.on("pageerror", lambda error: seen.errors.append(str(error)))
    page.on("console", lambda message: seen.errors.append(message.text) if message.type in ("error", "assert")
            else None)
    page.on("request", lambda request: seen.requests.append(request.url))
    page.on("dialog", lambda dialog: (seen.dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(path.resolve().as_uri())
    return page, seen
