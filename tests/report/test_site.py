"""The HTML report: text from the data is shown as text, never run as markup or script."""
from __future__ import annotations

import csv
import os
import re
import shutil
from pathlib import Path

import pytest

from dprk_relations.core import paths
from dprk_relations.runner import pipeline

XSS_NOTE = '<script>window.__pwned = 1; document.title = "pwned"</script><img src=x onerror="window.__pwned = 2">'


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
        assert classes["FRA"] == "outline" and classes["USA"] == "outline" and classes["PRK"] == "outline dprk"
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
