"""The HTML report: text from the data is shown as text, never run as markup or script."""
from __future__ import annotations

import csv
import os
import shutil
from pathlib import Path

import pytest

from dprk_relations import paths, pipeline

XSS_NOTE = '<script>window.__pwned = 1; document.title = "pwned"</script><img src=x onerror="window.__pwned = 2">'


def test_index_escapes_text_from_the_data(tmp_path):
    from dprk_relations.report import _env

    html = _env().from_string("<td>{{ note }}</td>").render(note=XSS_NOTE)
    assert "<script>" not in html and "onerror=\"" not in html
    assert "&lt;script&gt;" in html


@pytest.fixture(scope="module")
def hostile_report(tmp_path_factory) -> Path:
    """A full report built from raw data whose texts carry markup and script."""
    out = tmp_path_factory.mktemp("hostile")
    raw = out / "raw"
    shutil.copytree(paths.DATA_RAW, raw)
    path = raw / "claims.csv"
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    rows[0]["quote"] = XSS_NOTE
    rows[0]["note"] = XSS_NOTE
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, list(rows[0].keys()), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    pipeline.run({"raw_dir": str(raw), "processed_dir": str(out / "processed"), "reports_dir": str(out / "reports")})
    return out / "reports"


@pytest.mark.slow
def test_hostile_text_is_shown_literally_in_the_html(hostile_report):
    index = (hostile_report / "index.html").read_text(encoding="utf-8")
    assert "<script>window.__pwned" not in index
    assert "&lt;script&gt;window.__pwned" in index
    claims_page = (hostile_report / "notebooks" / "05-claims.html").read_text(encoding="utf-8")
    assert "<script>window.__pwned" not in claims_page


def _browser():
    chromium = next(filter(None, map(shutil.which, ("chromium", "chromium-browser", "google-chrome"))), None)
    driver = shutil.which("chromedriver")
    if not (chromium and driver):
        if os.environ.get("CI"):
            pytest.fail("Chromium and ChromeDriver are required in CI (scripts/ensure_chromium.sh installs them)")
        pytest.skip("chromium/chromedriver not installed (run `make test` as root, or apt-get install chromium chromium-driver)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--window-size=1280,2200", "--allow-file-access-from-files"):
        options.add_argument(flag)
    return webdriver.Chrome(service=Service(executable_path=driver), options=options)


@pytest.mark.slow
@pytest.mark.browser
def test_report_in_a_real_browser(hostile_report):
    browser = _browser()
    try:
        browser.get((hostile_report / "index.html").as_uri())
        assert browser.title.startswith("Isolation or integration?")
        chart = browser.find_element("id", "chart")
        loaded = browser.execute_script("return arguments[0].complete && arguments[0].naturalWidth", chart)
        assert loaded and loaded > 500, "the chart image is not displayed"
        assert browser.execute_script("return window.__pwned === undefined")
        assert "<script>window.__pwned" in browser.find_element("id", "claims").text
        verdicts = browser.find_element("id", "verdicts").text
        assert "supported" in verdicts and "contradicted" in verdicts
        browser.save_screenshot(str(hostile_report / "screenshot.png"))
        assert (hostile_report / "screenshot.png").stat().st_size > 10_000
        # the default report, when built, gets its screenshot too
        default = paths.REPORTS / "index.html"
        if default.is_file():
            browser.get(default.as_uri())
            browser.save_screenshot(str(paths.REPORTS / "screenshot.png"))
    finally:
        browser.quit()
