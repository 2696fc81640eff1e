"""The DR drill report in a real browser: headless Chromium opens the HTML from the file system.

The reports are the recorded drills of tests/unit/plugins/plugin_utils/drill_reports (a passed and a failed
one), rendered by the collection's builder. For each, Chromium takes a screenshot into
tests/output/drill-report/ and dumps the DOM it built; the test asserts that the page logged no console
message, that the timeline has one bar per step, that the verdict is in the DOM and drawn in its colour at
the top of the screenshot, and that nothing on the page points outside the file. Every host name
resolves to nothing in this browser, so no request can leave the machine.

Chromium is Debian's `chromium` package, which `make bootstrap-test` installs where it is missing; the
test is skipped, saying why, only where no Chromium can be found.
"""

from __future__ import annotations

import json
import shutil
import struct
import subprocess
import zlib
from html.parser import HTMLParser
from pathlib import Path

import pytest

from ansible_collections.healthcare.dr.plugins.plugin_utils.drill_report import drill_html

ROOT = Path(__file__).resolve().parents[2]
RECORDED = ROOT / "tests" / "unit" / "plugins" / "plugin_utils" / "drill_reports"
OUTPUT = ROOT / "tests" / "output" / "drill-report"
WIDTH, HEIGHT = 1100, 1500
VERDICT_COLOURS = {"PASS": (0x2E, 0x7D, 0x32), "FAIL": (0xC6, 0x28, 0x28)}
CHROMIUM = next((shutil.which(name) for name in ("chromium", "chromium-browser") if shutil.which(name)), None)

pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="no Chromium: `make bootstrap-test` installs Debian's chromium package with apt-get (needs root and "
    "a Debian package mirror); without it the drill report's browser check cannot run",
)


def chromium(page: Path, screenshot: Path) -> tuple[str, list[str]]:
    """Open ``page`` headless: the DOM Chromium built, and the console messages it logged."""
    result = subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",  # runs as root in CI
            "--disable-gpu",
            "--hide-scrollbars",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-extensions",
            # Every host name resolves to nothing: the page, and Chromium itself, reach no network.
            "--host-resolver-rules=MAP * ~NOTFOUND",
            "--enable-logging=stderr",
            "--v=0",
            f"--window-size={WIDTH},{HEIGHT}",
            f"--screenshot={screenshot}",
            "--dump-dom",
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    console = [line for line in result.stderr.splitlines() if ":CONSOLE" in line]
    return result.stdout, console


class Dom(HTMLParser):
    """The elements of the dumped DOM: tag, attributes and the chain of their ancestors' ids and classes."""

    VOID = {"meta", "link", "br", "img", "input", "hr", "rect", "path", "circle", "line", "use", "stop"}

    def __init__(self, text: str) -> None:
        super().__init__()
        self.stack: list[dict] = []
        self.elements: list[dict] = []
        self.texts: dict[str, str] = {}
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        element = {"tag": tag, "attrs": dict(attrs), "ancestors": [dict(e["attrs"]) for e in self.stack]}
        self.elements.append(element)
        if tag not in self.VOID:
            self.stack.append(element)

    def handle_startendtag(self, tag, attrs):
        self.elements.append({"tag": tag, "attrs": dict(attrs), "ancestors": [dict(e["attrs"]) for e in self.stack]})

    def handle_endtag(self, tag):
        # Chromium writes SVG's empty elements with an end tag (<rect ...></rect>): not pushed, not popped.
        if tag in self.VOID or tag not in [e["tag"] for e in self.stack]:
            return
        while self.stack.pop()["tag"] != tag:
            pass

    def handle_data(self, data):
        for element in self.stack:
            if "id" in element["attrs"]:
                self.texts[element["attrs"]["id"]] = self.texts.get(element["attrs"]["id"], "") + data

    def timeline_bars(self) -> int:
        """Rects of the timeline's duration series (pygal's second; the first is the invisible offset)."""
        return sum(
            1
            for e in self.elements
            if e["tag"] == "rect"
            and any(a.get("id") == "timeline" for a in e["ancestors"])
            and any(a.get("class") == "plot" for a in e["ancestors"])
            and any("serie-1" in (a.get("class") or "").split() for a in e["ancestors"])
        )

    def outside_references(self) -> list[str]:
        return [
            value
            for e in self.elements
            for key, value in e["attrs"].items()
            if key in ("src", "href", "xlink:href", "action")
            and value
            and not value.startswith(("data:", "#", "dr-drill-"))
        ]


def png_rows(path: Path, top: int) -> tuple[int, list[bytes]]:
    """Width and the first ``top`` rows of RGB(A) bytes of an 8-bit, non-interlaced PNG (what Chromium writes)."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width = 8, b"", 0
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        start = pos + 8
        kind, body = data[pos + 4:start], data[start:start + length]
        if kind == b"IHDR":
            width, height, depth, colour, _ignored, _ignored, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and colour in (2, 6) and interlace == 0, (depth, colour, interlace)
            channels = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw, stride, rows, previous = zlib.decompress(idat), width * channels, [], bytearray(width * channels)
    for y in range(min(top, height)):
        first = y * (stride + 1)
        kind, line = raw[first], bytearray(raw[first + 1:first + 1 + stride])
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up, up_left = previous[i], previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                p = left + up - up_left
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - up_left)
                line[i] = (line[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else up_left)) & 0xFF
        rows.append(bytes(line))
        previous = line
    return width, rows


def pixels_of(path: Path, colour: tuple[int, int, int], top: int) -> int:
    """How many pixels of the first ``top`` rows of the screenshot are ``colour`` (within 6 per channel)."""
    width, rows = png_rows(path, top)
    channels = len(rows[0]) // width
    return sum(
        1
        for row in rows
        for i in range(0, len(row), channels)
        if all(abs(row[i + c] - colour[c]) <= 6 for c in range(3))
    )


@pytest.fixture(scope="module")
def opened():
    """Each recorded report rendered, opened in Chromium: report, DOM, console lines, screenshot."""
    OUTPUT.mkdir(parents=True, exist_ok=True)
    pages = {}
    for name in ("passed", "failed"):
        report = json.loads((RECORDED / f"{name}.json").read_text())
        page = OUTPUT / f"dr-drill-{name}.html"
        page.write_text(drill_html(report))
        screenshot = OUTPUT / f"dr-drill-{name}.png"
        dom, console = chromium(page, screenshot)
        pages[name] = (report, Dom(dom), console, screenshot)
    return pages


@pytest.mark.parametrize("name", ["passed", "failed"])
def test_the_report_opens_without_a_console_message(opened, name):
    _ignored, dom, console, screenshot = opened[name]

    assert console == []
    assert screenshot.stat().st_size > 10_000
    assert dom.elements, "Chromium dumped no DOM"


@pytest.mark.parametrize("name", ["passed", "failed"])
def test_the_timeline_has_one_bar_per_step(opened, name):
    report, dom, _ignored, _ignored = opened[name]

    assert dom.timeline_bars() == len(report["steps"]) > 0


@pytest.mark.parametrize("name", ["passed", "failed"])
def test_the_verdict_is_in_the_page_and_drawn_at_the_top(opened, name):
    report, dom, _ignored, screenshot = opened[name]

    assert dom.texts["verdict"].strip() == report["verdict"]
    # The badge is about 100 x 40 pixels in its colour, at the top of the page.
    assert pixels_of(screenshot, VERDICT_COLOURS[report["verdict"]], top=120) > 2_000
    other = "FAIL" if report["verdict"] == "PASS" else "PASS"
    assert pixels_of(screenshot, VERDICT_COLOURS[other], top=120) == 0


@pytest.mark.parametrize("name", ["passed", "failed"])
def test_nothing_on_the_page_points_outside_the_file(opened, name):
    _ignored, dom, _ignored, _ignored = opened[name]

    assert dom.outside_references() == []
    assert not [e for e in dom.elements if e["tag"] == "script"]


def test_a_failed_drill_names_its_step_in_the_browser(opened):
    report, dom, _ignored, _ignored = opened["failed"]

    assert report["failure"]["step"] in dom.texts["failure"]


def test_the_console_check_sees_an_error(tmp_path):
    """The checks above can fail: a page with a script error logs it, and the DOM parser sees a script."""
    page = tmp_path / "broken.html"
    page.write_text('<!DOCTYPE html><html><head><link rel="icon" href="data:,"></head>'
                    '<body><p id="verdict">PASS</p><script>console.error("drill"); notDefined();</script></body></html>')

    dom, console = chromium(page, tmp_path / "broken.png")

    assert len(console) == 2 and "notDefined is not defined" in console[1]
    assert [e["tag"] for e in Dom(dom).elements if e["tag"] == "script"] == ["script"]
