"""The HTML report: text from the data is shown as text, never run as markup or script; every number the
page prints is the figure of the table it comes from. First a report built from hostile notes (links,
notebook pages, a real browser, accessibility); then every free-text field of the raw data made hostile
(escaping); then the page's numbers against the processed tables (numbers)."""
from __future__ import annotations

import csv
import hashlib
import json
import os
import re
import shutil
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

from dprk_relations.core import catalogue, paths
from dprk_relations.core.focal import FOCALS
from dprk_relations.data import ingest
from dprk_relations.report import site as report
from dprk_relations.rules.problems import RawDataError
from dprk_relations.rules.status import VERDICTS
from dprk_relations.runner import pipeline
from tests.report.html_page import Element, parse

XSS_NOTE = '<script>window.__pwned = 1; document.title = "pwned"</script><img src=x onerror="window.__pwned = 2">'


def test_the_download_section_reads_the_zip_only_when_the_page_prints_its_size_and_hash():
    calls = []

    def zipped():
        calls.append(1)
        return b"z" * 3000

    download = report.Download(zipped, [{"name": "events", "kb": "1 KB", "step": "01-ingest"}])
    html = report._env().from_string("{% if download %}{{ download.bundle }} {{ download.tables[0].name }}{% endif %}").render(download=download)
    assert html == f"{catalogue.BUNDLE} events" and not calls  # the page renders up to its download line without the zip
    assert (download.kb, download.sha256) == ("3 KB", hashlib.sha256(b"z" * 3000).hexdigest()) and calls


def test_index_escapes_text_from_the_data(tmp_path):
    from dprk_relations.report.site import _env

    html = _env().from_string("<td>{{ note }}</td>").render(note=XSS_NOTE)
    assert "<script>" not in html and "onerror=\"" not in html
    assert "&lt;script&gt;" in html


# Issue 17, point 10: a note with a 5,000-character word must not widen the page.
LONG_WORD = "x" * 5000


@pytest.fixture(scope="module")
def hostile_report(tmp_path_factory) -> Path:
    """A full report built from raw data whose texts carry markup and script."""
    out = tmp_path_factory.mktemp("hostile")
    raw = out / "raw"
    shutil.copytree(paths.DATA_RAW, raw)
    path = raw / "claims.csv"
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    rows[0]["quote"] = XSS_NOTE
    rows[0]["note"] = XSS_NOTE + " " + LONG_WORD
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


def read_csv(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.mark.slow
def test_the_page_links_only_to_anchors_it_has_and_to_http_sources(hostile_report):
    index = (hostile_report / "index.html").read_text(encoding="utf-8")
    ids = set(re.findall(r'\sid="([^"]+)"', index))
    targets = set(re.findall(r'href="#([^"]+)"', index))
    assert targets and targets <= ids, sorted(targets - ids)[:5]
    external = re.findall(r'href="([^"#][^"]*)"', index)
    local = [h for h in external if not h.startswith(("http://", "https://"))]
    assert all((hostile_report / h).is_file() for h in local), [h for h in local if not (hostile_report / h).is_file()]
    assert sum(h.startswith(("http://", "https://")) for h in external) > 500  # the sources
    processed = hostile_report.parent / "processed"
    states = read_csv(processed / "states.csv")
    assert {f"state-{s['iso3']}" for s in states} <= ids
    yearly = read_csv(processed / "yearly_counts.csv")
    assert {f"year-{y['year']}" for y in yearly} <= ids and {f"events-{y['year']}" for y in yearly} <= ids
    key = index[index.index('id="key-numbers"'):index.index("<h2>The report's chart")]
    assert f"<b>{yearly[-1]['maintaining']}</b>states maintaining" in key
    assert f"<b>{yearly[-1]['ever_established']}</b>states that had ever" in key
    assert "cut-off-notice" not in index  # the report's own date: every claim is checked


@pytest.mark.slow
def test_notebook_pages_load_nothing_from_a_network(hostile_report):
    for page in sorted((hostile_report / "notebooks").glob("*.html")):
        html = page.read_text(encoding="utf-8")
        assert "<script" not in html, page.name
        assert not re.search(r'<(link|img|iframe)[^>]+(href|src)="https?:', html), page.name
        assert "Content-Security-Policy" in html


@pytest.mark.slow
def test_an_earlier_cut_off_checks_every_statement_about_facts_before_it_and_counts_the_others_apart(tmp_path, capsys):
    pipeline.run({"as_of": "2016-08-01", "processed_dir": str(tmp_path / "processed"), "reports_dir": str(tmp_path / "reports")})
    index = (tmp_path / "reports" / "index.html").read_text(encoding="utf-8")
    claims = read_csv(tmp_path / "processed" / "claims_checked.csv")
    after = [c["claim_id"] for c in claims if c["verdict"] == "after the cut-off"]
    assert after == [c["claim_id"] for c in claims if c["subject_until"] > "2016-08-01"]
    before = {c["claim_id"]: c["verdict"] for c in claims if c["subject_until"] <= "2016-08-01"}
    assert len(before) > 40 and "not checkable" not in before.values()  # every one has a real verdict
    assert before["cuba_1960"] == "supported" and before["botswana_2014"] == "supported"
    notice = index[index.index('id="cut-off-notice"'):index.index("</p>", index.index('id="cut-off-notice"'))]
    assert f"{len(after)} of the {len(claims)} statements" in notice.replace("\n", " ")
    printed = capsys.readouterr().out
    assert f"pipeline: {len(after)} statement(s) concern facts after the cut-off 2016-08-01 and are not checked" in printed
    # a statement the run did not check is no change against the committed verdicts
    assert not any(f"  {claim}:" in printed for claim in after)
    verdicts = {r["verdict"]: int(r["claims"]) for r in read_csv(tmp_path / "processed" / "claims_verdicts.csv")}
    assert verdicts["after the cut-off"] == len(after) and sum(verdicts.values()) == len(claims)
    # the published counts follow the same rule: a count whose period ends after the cut-off is set apart
    counts = read_csv(tmp_path / "processed" / "published_counts.csv")
    compared = [c["count_id"] for c in read_csv(tmp_path / "processed" / "published_comparison.csv")]
    assert compared == [c["count_id"] for c in counts if c["count_date_latest"] <= "2016-08-01"]
    assert "c201608_in_force" not in compared and "c2015_in_force" in compared  # August 2016 ends after the 1st
    set_apart = index[index.index('id="published-after-cut-off"'):].replace("\n", " ")
    assert set_apart.startswith(f'id="published-after-cut-off">{len(counts) - len(compared)} counts whose period ends '
                                'after the cut-off (2016-08-01) are not compared')


def _major(program: str) -> str | None:
    """A browser's or a driver's major version, from its --version ("Chromium 131.0.6778.85 ...")."""
    import subprocess

    try:
        out = subprocess.run([program, "--version"], capture_output=True, text=True, timeout=60).stdout
    except (OSError, subprocess.TimeoutExpired):
        return None
    found = re.search(r"(\d+)\.\d+\.\d+", out)
    return found.group(1) if found else None


def _driver() -> str | None:
    """ChromeDriver: GitHub's runners ship one matching their Chrome in $CHROMEWEBDRIVER; else the PATH's."""
    shipped = Path(os.environ.get("CHROMEWEBDRIVER", "/nonexistent")) / "chromedriver"
    return str(shipped) if shipped.is_file() else shutil.which("chromedriver")


def _browser():
    from dprk_relations.report.pdf import browser as find_browser

    chromium, driver = find_browser(), _driver()
    if not (chromium and driver):
        if os.environ.get("CI"):
            pytest.fail("Chromium and ChromeDriver are required in CI (scripts/ensure_chromium.sh installs them)")
        pytest.skip("chromium/chromedriver not installed (run `make test` as root, or apt-get install chromium chromium-driver)")
    if _major(chromium) != _major(driver):
        message = f"{chromium} is version {_major(chromium)}, {driver} version {_major(driver)}: a driver drives its own version"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--window-size=1280,2200", "--allow-file-access-from-files"):
        options.add_argument(flag)
    # DevTools network events: every request the page makes, to check that none leaves the machine
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    return webdriver.Chrome(service=Service(executable_path=driver), options=options)


def _requested(browser) -> list[str]:
    """URLs requested since the last call (from the DevTools performance log)."""
    import json

    urls = []
    for entry in browser.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


@pytest.mark.slow
@pytest.mark.browser
def test_report_in_a_real_browser(hostile_report):
    browser = _browser()
    index = (hostile_report / "index.html").as_uri()
    states = read_csv(hostile_report.parent / "processed" / "states.csv")
    try:
        browser.get(index)
        assert browser.title.startswith("Isolation or integration?")
        for image in ("chart", "map-image", "missions-chart"):
            element = browser.find_element("id", image)
            loaded = browser.execute_script("return arguments[0].complete && arguments[0].naturalWidth", element)
            assert loaded and loaded > 500, f"the image {image} is not displayed"
        assert browser.execute_script("return window.__pwned === undefined")
        assert "<script>window.__pwned" in browser.find_element("id", "claims").text + \
            browser.execute_script("return document.getElementById('claims-list').textContent")
        verdicts = browser.find_element("id", "verdicts").text
        assert "supported" in verdicts and "contradicted" in verdicts
        browser.save_screenshot(str(hostile_report / "screenshot.png"))
        assert (hostile_report / "screenshot.png").stat().st_size > 10_000
        # every folded part open, the 5,000-character word among them: nothing wider than the window
        browser.execute_script("document.querySelectorAll('details').forEach(function (d) { d.open = true; })")
        assert LONG_WORD[:100] in browser.execute_script("return document.body.textContent")
        assert browser.execute_script("return document.documentElement.scrollWidth <= window.innerWidth")
        # on a phone (390 px) and a laptop (1366 px), every part open: nothing wider than the window, and
        # the text at a readable size
        for width in (390, 1366):
            browser.set_window_size(width, 900)
            browser.get(index)
            browser.execute_script("document.querySelectorAll('details').forEach(function (d) { d.open = true; })")
            assert browser.execute_script("return document.documentElement.scrollWidth <= window.innerWidth"), width
            chart = browser.find_element("id", "chart")
            assert browser.execute_script("return arguments[0].getBoundingClientRect().right <= window.innerWidth", chart), width
            size = browser.execute_script("return parseFloat(getComputedStyle(document.body).fontSize)")
            assert size >= 14, (width, size)
        browser.set_window_size(1280, 2200)
        browser.get(index)
        # printing opens every state's history and claim's evidence, and shows what a filter hid; then restores
        browser.execute_script("var f = document.getElementById('state-region'); f.value = 'Caribbean'; f.dispatchEvent(new Event('change'));")
        count = "return [document.querySelectorAll('details').length, document.querySelectorAll('details[open]').length, document.querySelectorAll('details[hidden]').length]"
        total, opened, hidden = browser.execute_script(count)
        assert opened < total and hidden > 0
        browser.execute_script("window.dispatchEvent(new Event('beforeprint'))")
        assert browser.execute_script(count) == [total, total, 0]
        browser.execute_script("window.dispatchEvent(new Event('afterprint'))")
        assert browser.execute_script(count) == [total, opened, hidden]
        browser.get(index)

        # the states filter: by region, then by name
        caribbean = sum(s["m49_region"] == "Caribbean" for s in states)
        browser.execute_script("var f = document.getElementById('state-region'); f.value = 'Caribbean'; f.dispatchEvent(new Event('change'));")
        assert browser.find_element("id", "states-shown").text == str(caribbean)
        visible = browser.execute_script("return [...document.querySelectorAll('#states-list details.state')].filter(d => !d.hidden).map(d => d.id)")
        assert len(visible) == caribbean and "state-JAM" in visible and "state-FRA" not in visible
        browser.execute_script("var f = document.getElementById('state-region'); f.value = ''; f.dispatchEvent(new Event('change'));")
        search = browser.find_element("id", "state-search")
        search.send_keys("jamai")
        assert browser.find_element("id", "states-shown").text == "1"
        # a state by another of its names, or without its accents (country_converter's patterns)
        visible_states = "return [...document.querySelectorAll('#states-list details.state')].filter(d => !d.hidden).map(d => d.id)"
        for query, code in (("Turkey", "TUR"), ("burma", "MMR"), ("Czech Republic", "CZE"), ("cote", "CIV"),
                            ("Ivory Coast", "CIV"), ("Swaziland", "SWZ"), ("Türkiye", "TUR")):
            search.clear()
            search.send_keys(query)
            found = browser.execute_script(visible_states)
            assert f"state-{code}" in found and len(found) <= 3, (query, found)
        search.clear()
        search.send_keys(" ")
        search.clear()

        # an anchor lands on its state, opens its history, even when the filter hid it
        browser.get(index + "#state-CUB")
        cuba = browser.find_element("id", "state-CUB")
        assert browser.execute_script("return arguments[0].open && !arguments[0].hidden", cuba)
        assert abs(browser.execute_script("return arguments[0].getBoundingClientRect().top", cuba)) < 5
        sources = cuba.find_elements("css selector", "ul.sources a")
        assert sources and all(a.get_attribute("href").startswith(("http://", "https://")) for a in sources)

        # a claim's evidence links to the state's history
        browser.get(index + "#claim-cuba_1960")
        claim = browser.find_element("id", "claim-cuba_1960")
        link = claim.find_element("css selector", "a[href^='#state-']")
        target = link.get_attribute("href").split("#")[1]
        link.click()
        assert browser.execute_script("return document.getElementById(arguments[0]).open", target)

        # the verdict filter, from the verdict counts
        browser.get(index)
        browser.find_element("id", "verdict-contradicted").click()
        shown = browser.execute_script("return [...document.querySelectorAll('#claims-list details.claim')].filter(d => !d.hidden).map(d => d.dataset.verdict)")
        assert shown and set(shown) == {"contradicted"}
        assert browser.find_element("id", "claims-shown").text == str(len(shown))
        # the search across claims, accents folded, within the verdict chosen and then across all
        browser.execute_script("var f = document.getElementById('claim-verdict'); f.value = ''; f.dispatchEvent(new Event('change'));")
        browser.find_element("id", "claim-search").send_keys("Sénégal")
        found = browser.execute_script("return [...document.querySelectorAll('#claims-list details.claim')].filter(d => !d.hidden).map(d => d.id)")
        assert "claim-senegal_1972" in found and len(found) < 10, found

        # the map by year: a shared link to a year, the step buttons, the keyboard, and every year's states
        # the same as the chart's point
        from selenium.webdriver.common.keys import Keys

        yearly = {r["year"]: r["maintaining"] for r in read_csv(hostile_report.parent / "processed" / "yearly_counts.csv")}
        outline_classes = ("return Object.fromEntries([...document.querySelectorAll('#year-map path.outline')]"
                           ".map(p => [p.dataset.code, p.getAttribute('class')]))")
        browser.get(index + "#year-1975")
        assert browser.find_element("id", "map-year-shown").text == "1975"
        top = browser.execute_script("return document.getElementById('map-year').getBoundingClientRect().top")
        assert 0 <= top < browser.execute_script("return window.innerHeight"), top  # the link lands on the map
        assert browser.find_element("id", "year-map-count").text == yearly["1975"]
        classes = browser.execute_script(outline_classes)
        assert classes["UKR"] == "outline via" and classes["DEU"] == "outline via" and classes["CHN"] == "outline own"
        assert classes["FRA"] == "outline" and classes["USA"] == "outline" and classes["PRK"] == "outline focal"
        listed = browser.find_elements("css selector", "#year-map-list a")
        assert len(listed) == int(yearly["1975"]) and all(a.get_attribute("href").split("#")[1].startswith("state-") for a in listed)
        browser.find_element("id", "year-forward").click()
        assert browser.current_url.endswith("#year-1976") and browser.find_element("id", "year-map-count").text == yearly["1976"]
        slider = browser.find_element("id", "map-year")
        slider.send_keys(Keys.ARROW_LEFT, Keys.ARROW_LEFT)
        assert browser.find_element("id", "map-year-shown").text == "1974" and browser.current_url.endswith("#year-1974")
        counted = browser.execute_script(
            "var s = document.getElementById('map-year'), out = {};"
            "for (var y = Number(s.min); y <= Number(s.max); y++) { s.value = String(y); s.dispatchEvent(new Event('input'));"
            " out[y] = document.getElementById('year-map-count').textContent; } return out;")
        assert counted == yearly
        classes = browser.execute_script(outline_classes)  # the last year: each successor with its own relations
        assert classes["RUS"] == "outline own" and classes["DEU"] == "outline own" and classes["CZE"] == "outline own"
        assert classes["UKR"] == "outline" and classes["MYS"] == "outline"  # broken in 2022 and 2021
        browser.find_element("id", "map-both").click()  # coloured by both Koreas: the race's four groups
        classes = browser.execute_script(outline_classes)
        assert classes["CHN"] == "outline own both" and classes["CUB"] == "outline own"  # Cuba and Seoul: 2024
        assert classes["UKR"] == "outline other" and classes["USA"] == "outline other" and classes["FRA"] == "outline other"
        assert browser.find_element("id", "year-map-count").text == yearly[max(yearly)]  # the list is still the DPRK's

        # nothing left the machine: every request of the page and of the notebook pages is a local file
        requested = _requested(browser)
        for name in ("01-ingest", "05-claims"):
            browser.get((hostile_report / "notebooks" / f"{name}.html").as_uri())
        requested += _requested(browser)
        assert any(u.endswith("report.js") for u in requested) and any(u.endswith("map.png") for u in requested)
        assert all(u.startswith(("file://", "data:")) for u in requested), [u for u in requested if not u.startswith("file:")]

        # screenshots for the CI artifact: the default report when built, else this one
        default = paths.REPORTS / "index.html"
        shots = paths.REPORTS if default.is_file() else hostile_report
        page = default.as_uri() if default.is_file() else index
        for anchor, name in (("", "screenshot"), ("#states", "screenshot-states"), ("#state-JAM", "screenshot-state"),
                             ("#map", "screenshot-map")):
            browser.get(page + anchor)
            browser.save_screenshot(str(shots / f"{name}.png"))
    finally:
        browser.quit()


def test_the_report_module_does_not_import_pandas():
    """The report is the last step of a run, after every notebook: importing pandas there (0.2 s) would
    add to every run. Its statuses come from rules.status, which pandas does not back."""
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-c", "import sys\nfrom dprk_relations.report import site as report\nprint('pandas' in sys.modules)"],
                         capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.slow
def test_the_data_bundle_and_the_tables_beside_the_page_are_the_runs_own_files(hostile_report):
    import json
    import zipfile

    from dprk_relations.core import catalogue

    out = hostile_report.parent
    index = (hostile_report / "index.html").read_text(encoding="utf-8")
    assert f'href="{catalogue.BUNDLE}"' in index
    with zipfile.ZipFile(hostile_report / catalogue.BUNDLE) as archive:
        prefix = f"dprk-relations-data-{catalogue.VERSION}/"
        entries = {i.filename.removeprefix(prefix): archive.read(i) for i in archive.infolist()}
    for name in paths.raw_files(out / "raw"):
        assert entries[f"raw/{name}"] == (out / "raw" / name).read_bytes(), name  # the hostile claims.csv too
    for name in catalogue.PROCESSED_TABLES:
        data = (out / "processed" / f"{name}.csv").read_bytes()
        assert entries[f"processed/{name}.csv"] == data == (hostile_report / "tables" / f"{name}.csv").read_bytes(), name
        assert f'href="tables/{name}.csv"' in index
    record = json.loads(entries["provenance.json"])
    assert record["parameters"]["as_of"] == "2023-10-01" and record["version"] == catalogue.VERSION
    # the page, rendered while the zip was compressed, prints the size and hash of the zip written beside it
    zipped = (hostile_report / catalogue.BUNDLE).read_bytes()
    assert f"({report._kb(len(zipped))}, sha256 <code>{hashlib.sha256(zipped).hexdigest()}</code>)" in index
    assert record["inputs"][paths.relative(out / "raw" / "claims.csv")]  # the hash of the raw table the run read


AXE_CORE = paths.ROOT / ".cache" / "axe-core-4.14.1" / "node_modules" / "axe-core" / "axe.min.js"  # scripts/ensure_axe.sh


@pytest.mark.slow
@pytest.mark.browser
def test_every_page_of_the_site_has_no_accessibility_violation(hostile_report):
    """axe-core's rules (WCAG 2.x A and AA and its best practices) on the index page with every part open and
    the map by year shown, the run log and every notebook page."""
    if not AXE_CORE.is_file():
        if os.environ.get("CI"):
            pytest.fail(f"{paths.relative(AXE_CORE)} is required in CI (make test installs it: scripts/ensure_axe.sh)")
        pytest.skip("axe-core not installed (make test installs it when npm is there)")
    engine = AXE_CORE.read_text(encoding="utf-8")
    browser = _browser()
    pages = [hostile_report / "index.html", hostile_report / "run.html", *sorted((hostile_report / "notebooks").glob("*.html"))]
    assert len(pages) == 2 + len(catalogue_notebooks())
    try:
        found = {}
        for page in pages:
            browser.get(page.as_uri() + ("#year-1975" if page.name == "index.html" else ""))
            browser.execute_script("document.querySelectorAll('details').forEach(function (d) { d.open = true; })")
            browser.execute_script(engine)
            violations = browser.execute_async_script(
                "var done = arguments[arguments.length - 1];"
                "axe.run(document).then(function (r) { done(r.violations.map(function (v) {"
                " return [v.id, v.nodes.length, v.nodes[0].target.join(' ')]; })); });")
            if violations:
                found[page.name] = violations
        assert found == {}
    finally:
        browser.quit()


def catalogue_notebooks() -> list[str]:
    from dprk_relations.core import catalogue

    return [s.name for s in catalogue.NOTEBOOK_STEPS]


# --- escaping ---------------------------------------------------------------------------------------------

# Issue 19: every text of the raw data that reaches a page of the report is shown as text, never run as
# markup or script. Every free-text field of every raw table (a string the schemas of data/raw/datapackage.json
# constrain by no pattern and no list of values: enumerated from them, so a new field is covered at once)
# gets hostile text in every row of a copy of data/raw; a whole run builds the report from it; the page
# must show each such text literally and hold no markup from it.
#
# The hostile text of a row holds a script, an attribute that breaks out of its quotes and an entity, and
# names its table, field and line: a page that showed it unescaped would hold a script element or an
# onerror attribute, and would show "&amp;" as "&".

HOSTILE = '<script>alert("{tag}")</script>"><img src=x onerror=alert(1)> &amp; {tag}'
RAW_MARKUP = ("<script>alert(", "<img src=x")

# Fields the ingest reads as values, not text: a check's name, JSON arguments and expectations. Hostile
# text there stops the run (test_the_fields_read_as_values_refuse_hostile_text), so it reaches no page.
READ_AS_VALUES = {
    ("claims", "check"): "the name of a check function (claims.row_problems)",
    ("claims", "arguments"): "JSON the check is called with (claims.row_problems)",
    ("claims", "expected"): "JSON the value is compared with (claims.row_problems)",
    ("claims", "tolerance"): "JSON (claims.row_problems)",
    ("states", "m49_region"): "a UN M49 sub-region country_converter names (ingest, reference.country_table)",
}
# Fields that must repeat another table's text (ingest checks they do): hostile text there is the text
# of the field they repeat, which has its own; they are given that text, as a researcher would.
REPEATS = {
    ("events", "state"): ("states", "name"), ("acts", "state"): ("states", "name"),
    ("no_relations", "state"): ("states", "name"),
}
# Fields no page shows (each reason says what the page shows instead); the test fails if one appears.
NOT_SHOWN = {
    ("states", "source"): "the states' list shows each state's name, code, region and status, not the source of its row",
    ("states", "note"): "the states' list shows each state's name, code, region and status, not the note of its row",
    ("sources", "quote"): "a state's history shows each source's citation, reading and date, not its quote",
    ("sources", "quote_en"): "a state's history shows each source's citation, reading and date, not its translation",
    ("sources", "via"): "a state's history shows each source's citation, reading and date, not the copy it was read in",
    ("no_relations", "source"): "a state with no relations is shown with its status, not the source that says so",
    ("no_relations", "note"): "a state with no relations is shown with its status, not the note of its row",
    ("successions", "source"): "a successor's relations are shown as continuing its predecessor's, not with the source",
    ("successions", "note"): "a successor's relations are shown as continuing its predecessor's, not with the note",
    ("groups", "source"): "a claim on a group cites its members' events, not the rows of groups.csv",
    ("groups", "note"): "a claim on a group cites its members' events, not the rows of groups.csv",
    ("dprk_memberships", "organisation"): "a claim on a membership cites it by acronym, date, line and source",
    ("dprk_memberships", "corroboration"): "a claim on a membership cites it by acronym, date, line and source",
    ("dprk_memberships", "note"): "a claim on a membership cites it by acronym, date, line and source",
    ("published_counts", "quote"): "the published counts are shown as written (count and qualifier) with their citation",
    ("published_counts", "note"): "the published counts are shown as written (count and qualifier) with their citation",
    ("acts", "quote"): "a claim on acts cites each by state, kind, date, line and citation",
    ("acts", "note"): "a claim on acts cites each by state, kind, date, line and citation",
    ("mission_snapshots", "note"): "a claim on missions cites each list by name, date, line, citation and stated scope",
    ("missions", "city"): "a claim on missions shows counts and the missions the claim names, not the lists' rows",
    ("missions", "note"): "a claim on missions shows counts and the missions the claim names, not the lists' rows",
}


def text_fields(package: dict) -> list[tuple[str, str]]:
    """Every (resource, field) of free text in the data package's schemas."""
    return [(r["name"], f["name"]) for r in package["resources"] for f in r["schema"]["fields"]
            if f.get("type", "string") == "string" and not {"pattern", "enum"} & set(f.get("constraints", {}))]


def package() -> dict:
    return json.loads((paths.DATA_RAW / "datapackage.json").read_text(encoding="utf-8"))


def read_rows(path: Path) -> tuple[list[str], list[dict]]:
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames), list(reader)


def write_rows(path: Path, columns: list[str], rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def poison(raw: Path) -> dict[tuple[str, str], list[str]]:
    """Hostile text in every free-text field of every row of the raw folder that holds a value (an empty
    cell stays empty: emptiness means something, e.g. no city for an act that opens no mission; a field
    empty in every row gets it in its first); return the texts put in each field."""
    pkg = json.loads((raw / "datapackage.json").read_text(encoding="utf-8"))
    paths_of = {r["name"]: raw / r["path"] for r in pkg["resources"]}
    fields = [f for f in text_fields(pkg) if f not in READ_AS_VALUES and f not in REPEATS]
    tables = {name: read_rows(path) for name, path in paths_of.items()}
    put: dict[tuple[str, str], list[str]] = {f: [] for f in fields}
    renamed: dict[tuple[str, str], dict[str, str]] = {}  # the new text of each old value, per field
    for resource, field in fields:
        rows = tables[resource][1]
        filled = any(row[field] for row in rows)
        for line, row in enumerate(rows, start=2):
            if row[field] or (not filled and line == 2):  # a field no row fills yet (a new one): its first row
                text = HOSTILE.format(tag=f"{resource}.{field}.{line}")
                renamed.setdefault((resource, field), {})[row[field]] = text
                row[field] = text
                put[(resource, field)].append(text)
    for (resource, field), (source, repeated) in REPEATS.items():  # each row repeats its state's row
        text_of = {row["iso3"]: row[repeated] for row in tables[source][1]}
        for row in tables[resource][1]:
            row[field] = text_of[row["iso3"]]
    acronyms = renamed[("dprk_memberships", "acronym")]
    for row in tables["claims"][1]:  # the claims name memberships by acronym (ingest checks they exist)
        arguments = json.loads(row["arguments"])
        if "acronym" in arguments:
            arguments["acronym"] = acronyms[arguments["acronym"]]
            row["arguments"] = json.dumps(arguments)
    for name, (columns, rows) in tables.items():
        write_rows(paths_of[name], columns, rows)
    # another focal state's own tables (the ROK's, which the race step reads) repeat the shared states' names too
    for focal in FOCALS.values():
        for (resource, field), (source, repeated) in REPEATS.items():
            path = raw / focal.folder / f"{resource}.csv"
            if focal.folder and path.is_file():
                text_of = {row["iso3"]: row[repeated] for row in tables[source][1]}
                columns, rows = read_rows(path)
                for row in rows:
                    row[field] = text_of[row["iso3"]]
                write_rows(path, columns, rows)
    return put


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory):
    """A whole run on the poisoned copy of data/raw: (the report's folder, the texts put in each field)."""
    out = tmp_path_factory.mktemp("hostile")
    raw = out / "raw"
    shutil.copytree(paths.DATA_RAW, raw)
    put = poison(raw)
    own = tempfile.mkdtemp(prefix="k-")  # the run's temporary files: its own folder, short (socket paths)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(tempfile, "tempdir", own)
        mp.setenv("TMPDIR", own)
        try:
            pipeline.run({"raw_dir": str(raw), "processed_dir": str(out / "processed"), "reports_dir": str(out / "reports")})
        finally:
            shutil.rmtree(own)
    return out / "reports", put


@pytest.mark.slow
def test_every_raw_text_field_that_reaches_the_page_is_shown_as_text(hostile_run):
    reports, put = hostile_run
    shown = parse((reports / "index.html").read_text(encoding="utf-8"))[0].text()
    on_page = {field for field, texts in put.items() if any(t in shown for t in texts)}
    assert sorted(set(put) - on_page - set(NOT_SHOWN)) == []  # each shown, escaped: the text as written
    assert sorted(on_page & set(NOT_SHOWN)) == []  # a field listed as not shown is shown: take it off the list


@pytest.mark.slow
def test_no_page_of_the_report_holds_markup_from_the_data(hostile_run):
    reports, _ = hostile_run
    pages = sorted(reports.glob("*.html")) + sorted((reports / "notebooks").glob("*.html"))
    assert {p.name for p in pages} >= {"index.html", "run.html"} and len(pages) > 2
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert not any(m in html for m in RAW_MARKUP), page.name
        _, tags = parse(html)
        scripts = [attrs.get("src") for tag, attrs in tags if tag == "script"]
        assert scripts == (["report.js"] if page.name == "index.html" else []), page.name
        handlers = [(tag, name) for tag, attrs in tags for name in attrs if name.startswith("on")]
        assert handlers == [], page.name


@pytest.mark.parametrize("field", sorted(READ_AS_VALUES))
def test_the_fields_read_as_values_refuse_hostile_text(raw_dir, field):
    resource, name = field
    path = raw_dir / f"{resource}.csv"
    columns, rows = read_rows(path)
    rows[0][name] = HOSTILE.format(tag=f"{resource}.{name}")
    write_rows(path, columns, rows)
    with pytest.raises(RawDataError) as refused:
        ingest.load(raw_dir)
    assert any(p.field == name and p.file.endswith(f"{resource}.csv") for p in refused.value.problems), str(refused.value)


def test_the_lists_of_fields_name_text_fields_of_the_schemas():
    fields = set(text_fields(package()))
    assert set(READ_AS_VALUES) | set(REPEATS) | set(REPEATS.values()) | set(NOT_SHOWN) <= fields
    assert len(fields - set(READ_AS_VALUES) - set(REPEATS)) > 20


# --- numbers ----------------------------------------------------------------------------------------------

# Issue 19: every number the report's page prints is the figure of the processed table it comes from, and
# every range it prints runs from low to high, as the table holds it. The page is read as a browser reads
# it (tests/report/html_page.py) and each number compared with the tables, never with values copied from a run:
# the page rendered from the committed tables (fast), and the page a whole run builds beside its own tables.

EVENT_KINDS = ("established", "suspended", "severed", "restored")
YEARS = re.compile(r"(\d{4})(?:–(\d{4}))?")  # a period as the page prints it: "1972–1975", or "1948" alone
NUMBERS = re.compile(r"(\d+)–(\d+)")


@dataclass
class Page:
    root: Element
    processed: Path
    as_of: str

    def table(self, name: str) -> list[dict]:
        with (self.processed / f"{name}.csv").open(encoding="utf-8", newline="") as fh:
            return list(csv.DictReader(fh))


@pytest.fixture(scope="module", params=["rendered from the committed tables",
                                        pytest.param("built by a run", marks=pytest.mark.slow)])
def page(request, tmp_path_factory) -> Page:
    if request.param == "built by a run":
        out = tmp_path_factory.mktemp("numbers")
        own = tempfile.mkdtemp(prefix="k-")  # the run's temporary files: its own folder, short (socket paths)
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(tempfile, "tempdir", own)
            mp.setenv("TMPDIR", own)
            try:
                pipeline.run({"processed_dir": str(out / "processed"), "reports_dir": str(out / "reports")})
            finally:
                shutil.rmtree(own)
        params = pipeline.check(catalogue.REPORT, {"processed_dir": str(out / "processed"), "reports_dir": str(out / "reports")})
        html = (out / "reports" / "index.html").read_text(encoding="utf-8")
    else:
        params = pipeline.check(catalogue.REPORT, {})
        html = report.render_index(params, {}, {}, None)
    return Page(parse(html)[0], params.processed_dir, params.values["as_of"])


def number(text: str) -> int:
    assert re.fullmatch(r"\d+", text), text
    return int(text)


def test_the_key_numbers_are_the_figures_of_the_tables(page):
    on_cut_off = [y for y in page.table("yearly_counts") if y["measured_on"] == page.as_of]
    assert len(on_cut_off) == 1
    year = on_cut_off[0]
    boxes = [d for d in page.root.by_id("key-numbers").children if isinstance(d, Element) and d.tag == "div"]
    shown = {}
    for box in boxes:
        (figure,) = box.find_all("b")
        label = box.text().removeprefix(figure.text()).strip()
        shown[label] = figure.text()
    found = {}
    for label, figure in shown.items():
        if label == f"states maintaining relations on {page.as_of}":
            found["maintaining"] = number(figure) == int(year["maintaining"])
        elif label == "states that had ever established relations":
            found["ever"] = number(figure) == int(year["ever_established"])
        elif label.startswith("of UN members"):
            assert figure.endswith("%")
            found["share"] = abs(float(figure[:-1]) - 100 * float(year["share_of_un_members"])) <= 0.05 + 1e-9
        else:
            left_out = re.fullmatch(r"sourced events; (\d+) after the cut-off left out", label)
            assert left_out, label
            found["events"] = number(figure) == len(page.table("events"))
            found["left out"] = int(left_out.group(1)) == len(page.table("left_out"))
    assert found == {"maintaining": True, "ever": True, "share": True, "events": True, "left out": True}, shown


def test_the_verdict_counts_are_those_of_the_claims_checked(page):
    shown = {}
    for link in page.root.by_id("verdicts").find_all("a"):
        box = link.parent.parent
        assert box.text().removeprefix(link.text()).strip() == link.attrs["data-verdict"]
        shown[link.attrs["data-verdict"]] = number(link.text())
    counted = Counter(c["verdict"] for c in page.table("claims_checked"))
    assert shown == {v: counted.get(v, 0) for v in VERDICTS}
    assert shown == {v["verdict"]: int(v["claims"]) for v in page.table("claims_verdicts")}


def test_the_counts_said_in_words_are_the_tables(page):
    claims, states = page.table("claims_checked"), page.table("state_status")
    assert page.root.by_id("claims-shown").text() == str(len(claims))
    assert len(page.root.by_id("claims-list").find_all("details")) == len(claims)
    assert page.root.by_id("states-count").text() == f"{len(states)} of {len(states)} shown."
    assert len(page.root.by_id("states-list").find_all("details")) == len(states)
    said = next(p.text() for p in page.root.find_all("p") if "are within" in p.text())
    close, of, tolerance = map(int, re.search(r"(\d+) of (\d+) are within (\d+) of the data", said).groups())
    comparison = page.table("published_comparison")
    assert of == len(comparison)
    assert close == sum(abs(int(c["difference"])) <= tolerance for c in comparison)


def test_the_year_by_year_table_is_the_yearly_counts(page):
    yearly = page.table("yearly_counts")
    rows = page.root.by_id("years-table").rows()
    assert [r.cells()[:2] for r in rows] == [[y["year"], y["maintaining"]] for y in yearly]
    events = [e for e in page.table("events") if e["date_latest"] <= page.as_of]
    for row, year in zip(rows, yearly):
        cells = [c for c in row.children if isinstance(c, Element) and c.tag == "td"][2:]
        for kind, cell in zip(EVENT_KINDS, cells, strict=True):
            linked = [a.attrs["href"] for a in cell.find_all("a")]
            assert len(linked) == int(year[kind]), (year["year"], kind)
            assert sorted(linked) == sorted(f"#state-{e['iso3']}" for e in events
                                            if e["year"] == year["year"] and e["event"] == kind), (year["year"], kind)


def years(text: str) -> tuple[str, str]:
    """A period printed "start–end" (or the year alone); it must run from low to high."""
    match = YEARS.fullmatch(text)
    assert match, text
    start, end = match.group(1), match.group(2) or match.group(1)
    assert start < end or (start == end and match.group(2) is None), f"{text}: printed high to low, or one year twice"
    return start, end


def test_the_waves_are_those_of_the_tables(page):
    waves = page.table("waves")
    rows = page.root.by_id("waves-table").rows()
    assert len(rows) == len(waves)
    makeup = page.table("wave_makeup")
    for row, wave in zip(rows, waves):
        period, established, peak, _ = row.cells()
        assert years(period) == (wave["start"], wave["end"])
        assert (established, peak) == (wave["established"], f"{wave['peak_year']} ({wave['peak_established']})")
        parts = [m for m in makeup if (m["start"], m["end"]) == (wave["start"], wave["end"])]
        cell = [c for c in row.children if isinstance(c, Element) and c.tag == "td"][3]
        assert [b.text() for b in cell.find_all("b")] == [m["region"] for m in parts]
        assert sorted(a.attrs["href"] for a in cell.find_all("a")) == sorted(
            f"#state-{code}" for m in parts for code in m["states"].split())
    regional = page.table("regional_waves")
    rows = page.root.by_id("regional-waves").rows()
    assert [r.cells()[0] for r in rows] == [w["region"] for w in regional]
    for row, wave in zip(rows, regional):
        _, period, established, peak = row.cells()
        assert years(period) == (wave["start"], wave["end"])
        assert (established, peak) == (wave["established"], f"{wave['peak_year']} ({wave['peak_established']})")


def test_the_periods_are_those_of_the_table(page):
    periods = page.table("periods")
    rows = page.root.by_id("periods").rows()
    assert len(rows) == len(periods)
    for row, p in zip(rows, periods):
        name, span, established, broken, stock, detected, agreement = row.cells()
        start, end = years(span)
        assert (name, start, end, established, stock, detected, agreement) == (
            p["period"], p["start"], p["end"], p["established"], p["maintaining_at_end"], p["detected_waves"], p["agreement"])
        assert number(broken) == int(p["severed"]) + int(p["suspended"])


def test_each_published_count_is_beside_the_data_s_count_and_range(page):
    comparison = page.table("published_comparison")
    rows = page.root.by_id("published-table").rows()
    assert len(rows) == len(comparison)
    # on the report's own cut-off every count's period has ended: none is set apart, and the page says none is
    assert len(comparison) == len(page.table("published_counts"))
    assert not page.root.find_all(id="published-after-cut-off")
    for row, c in zip(rows, comparison):
        cells = row.cells()
        assert (cells[0], cells[2], cells[3], cells[5]) == (c["count_date"], c["as_written"], c["derived"], c["difference"])
        band = NUMBERS.fullmatch(cells[4])
        assert band, cells[4]
        low, high = map(int, band.groups())
        assert low <= high, f"{c['count_id']}: range printed {cells[4]}, high to low"
        assert (low, high) == (int(c["derived_low"]), int(c["derived_high"]))
        assert low <= int(c["derived"]) <= high, c["count_id"]


def _committed_tables(tmp_path) -> Path:
    """A copy of the committed tables in a folder the pipeline made, as a run's would be."""
    processed = tmp_path / "processed"
    paths.claim_output_folder(processed)
    shutil.copytree(paths.DATA_PROCESSED, processed, dirs_exist_ok=True, ignore=shutil.ignore_patterns(".*"))
    return processed


def _rendered(processed: Path, changed=None) -> Element:
    params = pipeline.check(catalogue.REPORT, {"processed_dir": str(processed)})
    return parse(report.render_index(params, {}, {}, changed))[0]


def _page_with_tables_cut(tmp_path, emptied: list[str]) -> Element:
    """The index rendered from a copy of the committed tables, with the tables `emptied` left with their header alone."""
    processed = _committed_tables(tmp_path)
    for name in emptied:
        path = processed / f"{name}.csv"
        path.write_text(path.read_text(encoding="utf-8").splitlines(keepends=True)[0], encoding="utf-8")
    return _rendered(processed)


def _page_with_claims_after(tmp_path, after: int) -> Element:
    """The index rendered from a copy of the committed tables whose first `after` claims lie after the cut-off,
    no verdict changed against the committed ones."""
    processed = _committed_tables(tmp_path)
    columns, rows = read_rows(processed / "claims_checked.csv")
    for row in rows[:after]:
        row["verdict"] = "after the cut-off"
    write_rows(processed / "claims_checked.csv", columns, rows)
    return _rendered(processed, changed=[])


def test_a_run_that_checks_no_statement_says_none_is_compared_with_the_committed_verdicts(tmp_path):
    claims = read_csv(paths.DATA_PROCESSED / "claims_checked.csv")
    said = _page_with_claims_after(tmp_path, len(claims)).by_id("changed-none-compared").text()
    assert said.startswith("No statement concerns facts up to the cut-off") and "differs" not in said


def test_a_run_that_checks_some_statements_says_how_many_it_compared(tmp_path):
    claims = read_csv(paths.DATA_PROCESSED / "claims_checked.csv")
    said = _page_with_claims_after(tmp_path, 30).by_id("changed-none").text()
    assert said.startswith(f"No verdict or value of the {len(claims) - 30} statements checked differs")
    assert said.endswith("the 30 after the cut-off are not compared.")


def test_a_cut_off_before_every_published_count_says_none_is_compared_and_shows_no_empty_table(tmp_path):
    counts = read_csv(paths.DATA_PROCESSED / "published_counts.csv")
    root = _page_with_tables_cut(tmp_path, ["published_comparison"])
    said = root.by_id("published-none-compared").text()
    assert said == "No count is compared with the data."
    assert root.by_id("published-after-cut-off").text().startswith(f"{len(counts)} counts whose period ends after the cut-off")
    assert not any("are within" in p.text() for p in root.find_all("p"))  # was "0 of 0 are within 3 of the data"
    assert not root.find_all(id="published-table")


@pytest.mark.parametrize("table, element", [("waves", "waves-table"), ("regional_waves", "regional-waves"),
                                            ("race_switches", "race-switches"), ("peer_agreement", "peer-agreement"),
                                            ("peer_disagreements", "peer-disagreements")])
def test_an_empty_table_is_said_in_words_not_drawn_as_a_header(tmp_path, table, element):
    # at a cut-off in 1948 there is no wave, no switch and no year of the peer
    root = _page_with_tables_cut(tmp_path, [table])
    assert not root.find_all(id=element)
    assert root.by_id(f"{element}-none").text()


def test_a_run_without_published_counts_says_the_data_hold_none(tmp_path):
    root = _page_with_tables_cut(tmp_path, ["published_comparison", "published_counts"])
    assert root.by_id("published-none-compared").text() == "No count is compared with the data: the data hold no published count."
    assert not root.find_all(id="published-after-cut-off") and not root.find_all(id="published-table")


def test_every_reconciliation_row_answers_a_disagreement_on_the_report_s_date(page):
    """At the report's cut-off no row of peer_reconciliation.csv is left over (none concerns later years), so the
    page lists none; tests/artefacts/test_raw_data.py keeps the committed rows so."""
    assert len(page.table("peer_reconciliation")) == len(page.table("peer_disagreements"))
    assert not page.root.find_all(id="peer-unanswered")


@pytest.mark.slow
def test_an_earlier_cut_off_lists_the_reconciliation_rows_about_later_peer_years(tmp_path):
    """At 1975 COW's years go to 1975: the rows about Bolivia (1985-2005) and Nicaragua (2005) answer nothing of
    the run, and the page names them (Yemen's 'data corrected' row is listed with the disagreements all the same)."""
    out = {"as_of": "1975-01-01", "processed_dir": str(tmp_path / "processed"), "reports_dir": str(tmp_path / "reports")}
    pipeline.run(out)
    page = parse((tmp_path / "reports" / "index.html").read_text(encoding="utf-8"))[0]
    listed = page.by_id("peer-unanswered").text()
    assert listed.startswith("2 rows of data/raw/peer_reconciliation.csv answer no disagreement of this run: "
                             "Bolivia (peer stale or wrong), Nicaragua (peer stale or wrong).")
    disagreements = read_csv(tmp_path / "processed" / "peer_disagreements.csv")
    assert {d["iso3"] for d in disagreements} & {"BOL", "NIC", "YDYE"} == {"YDYE"}


def test_the_agreement_with_the_peer_is_that_of_the_table(page):
    agreement = page.table("peer_agreement")
    rows = page.root.by_id("peer-agreement").rows()
    assert [r.cells()[:4] for r in rows] == [[a["year"], a["both"], a["peer_only"], a["data_only"]] for a in agreement]
    for row, a in zip(rows, agreement):
        share = row.cells()[4]
        assert share.endswith("%") and abs(float(share[:-1]) - 100 * float(a["peer_in_data"])) <= 0.05 + 1e-9


def test_an_undated_event_is_printed_between_its_bounds_low_to_high(page):
    events = {e["event_id"]: e for e in page.table("events")}
    windows = [e for e in events.values() if e["precision"] == "window"]
    assert windows  # the data have undated events: their bounds are printed
    for e in windows:
        assert e["date_earliest"] <= e["date_latest"], e["event_id"]
        row = page.root.by_id(f"event-{e['event_id']}")
        printed = re.fullmatch(r"between (\S+) and (\S+)", row.cells()[1])
        assert printed, row.cells()[1]
        assert printed.groups() == (e["earliest"], e["latest"]), e["event_id"]
    titles = [a.attrs["title"] for a in page.root.by_id("years-table").find_all("a") if ".." in a.attrs["title"]]
    assert sorted(titles) == sorted(f"{e['earliest']}..{e['latest']}" for e in windows if e["date_latest"] <= page.as_of)


def test_each_range_of_readings_in_a_claim_runs_low_to_high_as_the_claims_table_has_it(page):
    readings = re.compile(r"the sources' readings give (\S+) to (\S+?)[,:]")
    claims = {c["claim_id"]: c for c in page.table("claims_checked")}
    printed = 0
    for claim_id, c in claims.items():
        box = page.root.by_id(f"claim-{claim_id}")
        found = readings.findall(box.text())
        assert found == readings.findall(c["detail"]), claim_id
        for low, high in found:
            assert float(low) <= float(high), f"{claim_id}: readings {low} to {high}, high to low"
            printed += 1
    assert printed  # the register has counts checked under the sources' readings


def test_every_name_of_code_the_page_shows_is_a_module_or_function_of_the_package(page):
    """The "made by" lines name the code behind each part of the page (report.site.CODE): each must be
    importable as written, or a reader following it finds nothing (eight names had gone stale, issue 19)."""
    import importlib

    shown = {e.text().strip() for e in page.root.find_all("code") if e.text().strip().startswith("dprk_relations.")}
    assert len(shown) >= len(report.CODE)
    missing = []
    for name in sorted(shown):
        module, _, attr = name.rpartition(".")
        try:
            importlib.import_module(name)
        except ImportError:
            try:
                getattr(importlib.import_module(module), attr)
            except (ImportError, AttributeError):
                missing.append(name)
    assert missing == []


@pytest.mark.slow
def test_the_rok_s_page_names_the_rok_s_own_files(tmp_path):
    """A run for the ROK reads its own tables from data/raw/kor (core/focal.py): every focal table its page names
    is there, but in the section on both Koreas, which names both lists."""
    from dprk_relations.core import focal

    pipeline.run({"focal": "KOR", "processed_dir": str(tmp_path / "processed"), "reports_dir": str(tmp_path / "reports")})
    html = (tmp_path / "reports" / "index.html").read_text(encoding="utf-8")
    race = html.index('<h2 id="both-koreas">')
    outside = html[:race] + html[html.index("<h2", race + 1):]
    named = re.findall(r"<code>(data/raw/(?:[a-z]+/)?([a-z_]+)\.csv)</code>", outside)
    own = [path for path, table in named if table in focal.FOCAL_TABLES]
    assert len(own) >= 4, named  # claims, published counts, reconciliation, events
    assert all(path.startswith("data/raw/kor/") for path in own), own
    assert "<code>data/raw/events.csv</code>" in html[race:]  # the race names the DPRK's list as the DPRK's
    # the ROK's package has no list of missions: the page says so instead of naming a file that is not there
    assert all((paths.ROOT / path).is_file() for path, _ in named), [p for p, _ in named if not (paths.ROOT / p).is_file()]
    assert 'id="missions-chart"' not in html and "no published list of the ROK&rsquo;s resident missions" in html
