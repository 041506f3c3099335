"""Headless Chromium, driven over the DevTools protocol through a pipe (no extra package).

Used to take a screenshot of ``map.html`` (``planner map --screenshot``), by the browser
tests and by ``benchmarks/bench_map_load.py``.  Chromium is started with
``--remote-debugging-pipe``: it reads JSON commands, each ended by a NUL byte, on file
descriptor 3 and writes answers and events the same way on descriptor 4.  Every run has
a fresh profile folder and network features switched off.

Examples
--------
>>> with Browser() as browser:  # doctest: +SKIP
...     page = browser.open_page("file:///tmp/out/map.html")
...     page.evaluate("window.plannerMap.state().drawnNew")
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import select
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

#: Executables tried in order (``PLANNER_CHROMIUM`` first when set).
CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")

FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-default-apps", "--disable-extensions", "--mute-audio", "--hide-scrollbars",
    "--remote-debugging-pipe", "--allow-file-access-from-files",
)


class BrowserError(RuntimeError):
    """Chromium is missing, did not start, or did not answer in time."""


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


def _above_four(fd: int) -> int:
    """The same pipe end on a descriptor number of 10 or more (the original is closed)."""
    moved = fcntl.fcntl(fd, fcntl.F_DUPFD, 10)
    os.close(fd)
    return moved


class Browser:
    """A headless Chromium process; use as a context manager.

    Parameters
    ----------
    executable : str, optional
        Chromium's path; default :func:`find_chromium`.
    width, height : int
        Window size in CSS pixels.
    timeout_s : float
        How long to wait for any one answer.
    """

    def __init__(self, executable: str | None = None, width: int = 1280, height: int = 860,
                 timeout_s: float = 60.0) -> None:
        self.executable = executable or find_chromium()
        if not self.executable:
            raise BrowserError("Chromium was not found: install it (Debian: apt-get install chromium) "
                               "or set PLANNER_CHROMIUM to its path")
        self.width, self.height, self.timeout_s = width, height, timeout_s
        self.events: list[dict[str, Any]] = []
        self._next_id = 0
        self._buffer = b""
        self._profile: tempfile.TemporaryDirectory[str] | None = None
        self._process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Browser:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def start(self) -> None:
        """Start Chromium with a fresh profile, talking over two pipes."""
        self._profile = tempfile.TemporaryDirectory(prefix="planner-chromium-")
        to_browser_read, self._to_browser = os.pipe()
        self._from_browser, from_browser_write = os.pipe()
        # the child's descriptors 3 and 4 are set from these: keep them clear of 3 and 4
        to_browser_read, from_browser_write = (_above_four(fd) for fd in (to_browser_read, from_browser_write))
        command = [self.executable, *FLAGS, f"--user-data-dir={self._profile.name}",
                   f"--window-size={self.width},{self.height}", "about:blank"]
        shell = f'exec "$@" 3<&{to_browser_read} 4>&{from_browser_write}'
        # bash, not sh: dash cannot redirect from descriptors above 9
        self._process = subprocess.Popen([shutil.which("bash") or "bash", "-c", shell, "bash", *command],
                                         pass_fds=(to_browser_read, from_browser_write),
                                         stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                         stderr=subprocess.DEVNULL)
        os.close(to_browser_read)
        os.close(from_browser_write)
        self.send("Browser.getVersion")

    def close(self) -> None:
        """Stop Chromium and remove its profile folder."""
        if self._process is not None:
            try:
                self.send("Browser.close", timeout_s=5)
            except (BrowserError, OSError):
                pass
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
            for fd in (self._to_browser, self._from_browser):
                try:
                    os.close(fd)
                except OSError:
                    pass
            self._process = None
        if self._profile is not None:
            self._profile.cleanup()
            self._profile = None

    def send(self, method: str, params: dict[str, Any] | None = None, session: str | None = None,
             timeout_s: float | None = None) -> dict[str, Any]:
        """Send one command and return its result (events that arrive meanwhile are kept)."""
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._to_browser, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + (timeout_s or self.timeout_s)
        while True:
            answer = self._read(deadline, method)
            if answer.get("id") == self._next_id:
                if "error" in answer:
                    raise BrowserError(f"{method}: {answer['error'].get('message')}")
                return answer.get("result", {})
            self.events.append(answer)

    def wait_for(self, method: str, session: str | None = None, timeout_s: float | None = None) -> dict[str, Any]:
        """Wait for an event (one already received counts) and return its parameters."""
        for i, event in enumerate(self.events):
            if event.get("method") == method and (session is None or event.get("sessionId") == session):
                return self.events.pop(i).get("params", {})
        deadline = time.monotonic() + (timeout_s or self.timeout_s)
        while True:
            event = self._read(deadline, method)
            if event.get("method") == method and (session is None or event.get("sessionId") == session):
                return event.get("params", {})
            self.events.append(event)

    def _read(self, deadline: float, waiting_for: str) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise BrowserError(f"Chromium did not answer {waiting_for} in time")
            ready, _, _ = select.select([self._from_browser], [], [], remaining)
            if ready:
                chunk = os.read(self._from_browser, 1 << 20)
                if not chunk:
                    raise BrowserError(f"Chromium closed the connection while waiting for {waiting_for}")
                self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)

    def open_page(self, url: str) -> Page:
        """Open ``url`` in a new tab, with console, log and network events recorded."""
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        page = Page(self, session)
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.send(f"{domain}.enable", session=session)
        self.send("Emulation.setDeviceMetricsOverride", {"width": self.width, "height": self.height,
                                                        "deviceScaleFactor": 1, "mobile": False}, session=session)
        page.navigate(url)
        return page


class Page:
    """One tab: navigate, run script, click, take screenshots, print to PDF, read what happened."""

    def __init__(self, browser: Browser, session: str) -> None:
        self.browser, self.session = browser, session
        self.load_s = float("nan")

    def navigate(self, url: str) -> None:
        """Load ``url`` and wait for its load event; ``load_s`` is the wall time it took."""
        started = time.monotonic()
        self.browser.send("Page.navigate", {"url": url}, session=self.session)
        self.browser.wait_for("Page.loadEventFired", session=self.session)
        self.load_s = time.monotonic() - started

    def evaluate(self, expression: str) -> Any:
        """The value of a JavaScript expression (promises awaited); script errors raise."""
        result = self.browser.send("Runtime.evaluate", {"expression": expression, "returnByValue": True,
                                                        "awaitPromise": True}, session=self.session)
        if "exceptionDetails" in result:
            raise BrowserError(f"script error: {result['exceptionDetails'].get('text')} "
                               f"{result['exceptionDetails'].get('exception', {}).get('description', '')}")
        return result.get("result", {}).get("value")

    def click(self, x: float, y: float) -> None:
        """A left click at page coordinates (CSS pixels)."""
        for kind in ("mouseMoved", "mousePressed", "mouseReleased"):
            self.browser.send("Input.dispatchMouseEvent", {"type": kind, "x": x, "y": y, "button": "left",
                                                           "buttons": 0 if kind == "mouseMoved" else 1,
                                                           "clickCount": 1}, session=self.session)

    def screenshot(self) -> bytes:
        """A PNG of the visible page."""
        data = self.browser.send("Page.captureScreenshot", {"format": "png"}, session=self.session)["data"]
        return base64.b64decode(data)

    def pdf(self) -> bytes:
        """The page printed to PDF, with its CSS page size (``@page``), page breaks and backgrounds."""
        data = self.browser.send("Page.printToPDF", {"preferCSSPageSize": True, "printBackground": True},
                                 session=self.session)["data"]
        return base64.b64decode(data)

    def messages(self) -> dict[str, list[str]]:
        """Console errors, uncaught exceptions and network requests seen so far in this tab."""
        found: dict[str, list[str]] = {"errors": [], "requests": []}
        for event in self.browser.events:
            if event.get("sessionId") != self.session:
                continue
            method, params = event.get("method"), event.get("params", {})
            if method == "Runtime.exceptionThrown":
                details = params.get("exceptionDetails", {})
                found["errors"].append(details.get("exception", {}).get("description") or details.get("text", ""))
            elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
                found["errors"].append(" ".join(str(a.get("value", a.get("description", "")))
                                                for a in params.get("args", [])))
            elif method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
                found["errors"].append(params["entry"].get("text", ""))
            elif method == "Network.requestWillBeSent":
                found["requests"].append(params.get("request", {}).get("url", ""))
        return found
