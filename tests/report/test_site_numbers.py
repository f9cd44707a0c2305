"""Issue 19: every number the report's page prints is the figure of the processed table it comes from, and
every range it prints runs from low to high, as the table holds it. The page is read as a browser reads
it (tests/html_page.py) and each number compared with the tables, never with values copied from a run:
the page rendered from the committed tables (fast), and the page a whole run builds beside its own tables."""
from __future__ import annotations

import csv
import re
import shutil
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

from dprk_relations.report import site as report
from dprk_relations.runner import pipeline
from dprk_relations.core import catalogue
from dprk_relations.rules.status import VERDICTS

from tests.report.html_page import Element, parse

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
    for row, c in zip(rows, comparison):
        cells = row.cells()
        assert (cells[0], cells[2], cells[3], cells[5]) == (c["count_date"], c["as_written"], c["derived"], c["difference"])
        band = NUMBERS.fullmatch(cells[4])
        assert band, cells[4]
        low, high = map(int, band.groups())
        assert low <= high, f"{c['count_id']}: range printed {cells[4]}, high to low"
        assert (low, high) == (int(c["derived_low"]), int(c["derived_high"]))
        assert low <= int(c["derived"]) <= high, c["count_id"]


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
