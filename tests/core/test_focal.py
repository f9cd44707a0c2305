"""The focal state (core/focal.py): the table of the two Koreas, the lookup by code and its refusal of an
unknown one, the tables a focal state has of its own, the raw folders a step reads for each; then
(issue 21) the ROK's list run end to end by the same pipeline into its own report."""
from __future__ import annotations

import csv
import json
from datetime import date
from types import SimpleNamespace

import pytest

from dprk_relations.core import catalogue, focal, paths
from dprk_relations.core.dates import DPRK_FOUNDED
from dprk_relations.runner import pipeline


def test_the_table_holds_each_korea_under_its_own_code_with_its_founding_day():
    assert list(focal.FOCALS) == ["PRK", "KOR"] and focal.DEFAULT == "PRK"
    assert all(state.code == code for code, state in focal.FOCALS.items())
    north, south = focal.FOCALS["PRK"], focal.FOCALS["KOR"]
    assert (north.short, north.capital, north.folder, north.founded) == ("DPRK", "Pyongyang", "", DPRK_FOUNDED)
    assert (south.short, south.capital, south.folder, south.founded) == ("ROK", "Seoul", "kor", date(1948, 8, 15))
    for state in focal.FOCALS.values():  # the words a sentence says are the day the bounds use
        assert state.founded_text == f"{state.founded.day} {state.founded:%B %Y}", state.code


def test_a_focal_state_is_looked_up_by_its_code_and_an_unknown_code_is_refused_naming_the_known_ones():
    assert focal.get("KOR") is focal.FOCALS["KOR"]
    for code in ("prk", "ROK", ""):  # the code is ISO alpha-3, as written: not lower case, not the short name
        with pytest.raises(KeyError) as refused:
            focal.get(code)
        assert refused.value.args == (f"unknown focal state {code!r}; known: PRK, KOR",)


def test_a_focal_state_s_own_tables_are_resources_of_the_raw_package_and_the_universe_is_shared():
    assert focal.FOCAL_TABLES == focal.OWN_TABLES + focal.REPORT_ONLY
    assert len(set(focal.FOCAL_TABLES)) == len(focal.FOCAL_TABLES)
    descriptor = json.loads((paths.DATA_RAW / "datapackage.json").read_text(encoding="utf-8"))
    resources = {r["name"] for r in descriptor["resources"]}
    assert set(focal.FOCAL_TABLES) <= resources
    assert resources - set(focal.FOCAL_TABLES) >= {"states", "successions", "groups"}  # read from data/raw for either


def step(reads_raw: bool, *reads_raw_of: str):
    """What raw_folders reads of a step (catalogue.Step)."""
    return SimpleNamespace(reads_raw=reads_raw, reads_raw_of=reads_raw_of)


def test_a_step_reads_its_run_s_own_raw_folder_then_those_it_names_each_once():
    north, south = focal.get("PRK"), focal.get("KOR")
    assert focal.raw_folders(step(True), north) == [""] and focal.raw_folders(step(True), south) == ["kor"]
    assert focal.raw_folders(step(True, "PRK", "KOR"), south) == ["kor", ""]
    assert focal.raw_folders(step(True, "PRK", "KOR"), north) == ["", "kor"]  # its own once
    assert focal.raw_folders(step(False, "KOR"), north) == ["kor"]
    assert focal.raw_folders(step(False), south) == []
    with pytest.raises(KeyError, match="unknown focal state 'USA'"):
        focal.raw_folders(step(False, "USA"), north)


def test_the_steps_that_read_both_koreas_read_both_folders_whatever_the_run_s_focal_state():
    both = [s for s in catalogue.STEPS if set(s.reads_raw_of) == set(catalogue.BOTH_KOREAS)]
    assert both, "the race reads both Koreas' lists"
    for s in both:
        for state in focal.FOCALS.values():
            assert sorted(focal.raw_folders(s, state)) == ["", "kor"], (s.name, state.code)


# --- another focal state (issue 21): the ROK's list, from the same pipeline ----------------------------

@pytest.mark.slow
def test_the_rok_runs_end_to_end_into_its_own_report_with_its_own_labels(tmp_path):
    from dprk_relations.data import ingest
    from dprk_relations.rules.relations import build_spells, stock_on

    manifest = pipeline.run({"focal": "KOR", "processed_dir": str(tmp_path / "p"), "reports_dir": str(tmp_path / "r")})
    assert sorted(manifest["ran"]) == sorted(s.name for s in pipeline.STEPS)
    chart = list(csv.DictReader((tmp_path / "r" / "figures" / "maintaining.csv").open(encoding="utf-8")))
    rok = ingest.load(paths.DATA_RAW, focal="KOR")
    spells = build_spells(rok.events, rok.states, rok.successions, date(2023, 10, 1))
    assert int(chart[-1]["maintaining"]) == int(stock_on(spells, [date(2023, 10, 1)])[0])
    assert chart[0]["maintaining"] == "0"  # 1948: the first relations with the ROK came in January 1949
    page = (tmp_path / "r" / "index.html").read_text(encoding="utf-8")
    assert "the ROK" in page and "maintaining diplomatic relations with the ROK" in page
    assert "maintaining diplomatic relations with the DPRK" not in page and "id=\"peer-agreement\"" in page
    notebook = (tmp_path / "r" / "notebooks" / "04-figures.html").read_text(encoding="utf-8")
    assert "Number of states maintaining diplomatic relations with the ROK</h3>" in notebook
    # the ROK's run checks the ROK's own register (data/raw/kor/claims.csv), not the report's
    checked = list(csv.DictReader((tmp_path / "p" / "claims_checked.csv").open(encoding="utf-8")))
    assert [c["claim_id"] for c in checked] == list(rok.claims["claim_id"]) and len(checked) > 10
    assert {c["check"] for c in checked} >= {"race_group_at", "other_korea_stock_at"}
