"""The class report opened in headless Chromium: every image loads, every link resolves, the
table sorts, no student name runs as code, and the screenshot shows a page."""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote

import pytest

from tests.test_report import sample_class, tags, write_class

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="no chromium binary (Debian: apt-get install chromium)")

# Appended to a copy of the report: after load, record what a person would see break.
_PROBE = """<script>
window.addEventListener("load", function () {
  var images = Array.from(document.images);
  var broken = images.filter(function (i) { return !i.complete || i.naturalWidth === 0; });
  var score = document.querySelectorAll("table.sortable th")[1];
  score.click();
  var order = Array.from(document.querySelectorAll("table.sortable tbody tr"))
    .map(function (row) { return parseFloat(row.cells[1].dataset.sort); });
  var probe = document.createElement("pre");
  probe.id = "probe";
  probe.textContent = JSON.stringify({
    images: images.map(function (i) { return i.getAttribute("src"); }),
    broken: broken.map(function (i) { return i.getAttribute("src"); }),
    order: order, sorted: score.getAttribute("aria-sort"), title: document.title,
    alerted: window.alerted || 0
  });
  document.body.appendChild(probe);
});
window.alert = function () { window.alerted = (window.alerted || 0) + 1; };
</script>"""


def _chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    profile = tmp_path / "profile"
    profile.mkdir(exist_ok=True)
    assert CHROMIUM is not None
    return subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--no-first-run", f"--user-data-dir={profile}", "--hide-scrollbars", *args],
        capture_output=True, text=True, timeout=180, check=False)


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report")
    write_class(out / "out", sample_class())
    return out / "out"


def test_every_image_loads_and_the_table_sorts(report: Path, tmp_path: Path):
    page = (report / "report.html").read_text()
    # The probe goes first, so that it would see an alert() run by an injected name.
    probed = report / "report-probe.html"
    probed.write_text(page.replace("<body>", "<body>" + _PROBE, 1))
    run = _chromium(tmp_path, "--virtual-time-budget=10000", "--dump-dom", probed.as_uri())
    found = re.search(r'<pre id="probe">(.*?)</pre>', run.stdout, re.S)
    assert found, f"no probe in the page chromium loaded: {run.stderr[-2000:]}"
    probe = json.loads(html.unescape(found.group(1)))
    assert probe["broken"] == []
    assert sorted(probe["images"]) == sorted(
        f"report/{stem}.png" for stem in ("scores", "times", "pass_rate", "diagnoses"))
    assert probe["sorted"] == "ascending" and probe["order"] == sorted(probe["order"])
    assert len(set(probe["order"])) > 2
    assert probe["title"] == "descent class report" and probe["alerted"] == 0


def test_every_student_link_resolves(report: Path):
    links = [unquote(str(attrs["href"])) for tag, attrs in
             tags((report / "report.html").read_text()) if tag == "a"]
    assert len(set(links)) == len(sample_class())
    for link in links:
        target = (report / link).resolve()
        assert target.is_file() and report.resolve() in target.parents, link
        assert "<h1>Feedback for " in target.read_text()


def test_the_screenshot_shows_a_page(report: Path, tmp_path: Path):
    import numpy
    from matplotlib.image import imread

    shot = tmp_path / "report.png"
    run = _chromium(tmp_path, "--window-size=1280,2000", f"--screenshot={shot}",
                    (report / "report.html").as_uri())
    assert shot.is_file(), run.stderr[-2000:]
    pixels = imread(shot)
    assert pixels.shape[:2] == (2000, 1280)
    # A blank or failed page is one colour; the report has text, badges and charts.
    colours = numpy.unique((pixels[..., :3] * 255).astype(numpy.uint8).reshape(-1, 3), axis=0)
    assert len(colours) > 100
