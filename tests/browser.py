"""Playwright driving Debian's Chromium, and a static server on loopback for a built site."""

from __future__ import annotations

import contextlib
import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

from playwright.sync_api import Browser, Page

CHROMIUM = "/usr/bin/chromium"
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
_AXE_RUN = """() => axe.run(document, {resultTypes: ['violations']}).then(r => r.violations
  .filter(v => v.impact === 'serious' || v.impact === 'critical')
  .map(v => `${v.impact} ${v.id}: ${v.help}; ` + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | ')))"""
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def serve(folder: Path, port: int = 0) -> Iterator[str]:
    """Serve `folder` on 127.0.0.1 (on `port`, or a free one); yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@contextlib.contextmanager
def browser() -> Iterator[Browser]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield b
        finally:
            b.close()


class Watch:
    """Collects console errors, page errors and every request a page makes."""

    def __init__(self, page: Page) -> None:
        self.errors: list[str] = []
        self.requests: list[str] = []
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("request", lambda r: self.requests.append(r.url))


DRAWN = "el => el.hasAttribute('data-bokeh-rendered')"


def reach_charts(page: Page, timeout: float = 30000) -> int:
    """Read the page's charts as a reader does (assets/charts.js draws a chart only once the reader
    has shown up and the chart is near the viewport): move the pointer, then scroll each chart into
    view in turn and wait until it is drawn. Returns how many charts the page has."""
    page.mouse.move(5, 5)
    page.mouse.move(15, 15)
    charts = page.locator(".hb-chart")
    count = charts.count()
    for i in range(count):
        chart = charts.nth(i)
        chart.scroll_into_view_if_needed()
        page.wait_for_function(DRAWN, arg=chart.element_handle(), timeout=timeout)
    return count


def axe_violations(page: Page) -> list[str]:
    """The serious and critical problems axe finds on the page as it stands (axe is loaded into the
    page the first time), one line each: impact, rule, help and the first three elements."""
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    return list(page.evaluate(_AXE_RUN))
