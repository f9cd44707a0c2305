"""Issue 18: the data beside an independent dataset (COW Diplomatic Exchange v2006.1, the DPRK's rows)."""
from __future__ import annotations

import hashlib
import json
import re
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from dprk_relations.analysis import peers
from dprk_relations.core import paths

PEER_DIR = paths.ROOT / "data" / "external" / "cow_diplomatic_exchange"


def test_the_shipped_rows_are_the_files_their_readme_and_descriptor_name():
    readme = (PEER_DIR / "README.md").read_text(encoding="utf-8")
    package = json.loads((PEER_DIR / "datapackage.json").read_text(encoding="utf-8"))
    for resource in package["resources"]:
        digest = hashlib.sha256((PEER_DIR / resource["path"]).read_bytes()).hexdigest()
        assert resource["hash"] == f"sha256:{digest}", resource["path"]
        assert re.search(rf"\| {re.escape(resource['path'])} \| {digest} \|", readme), resource["path"]
    assert "43b1d9ddadb36722d61d3318a80a4abd06d247be" in readme and "Bayer, Reşat. 2006" in readme


def test_every_cow_state_of_the_rows_has_one_code_in_each_year_and_one_state_is_split_by_years():
    cow = peers.read_cow(PEER_DIR)
    assert len(cow) == 1715 and cow.groupby(["ccode2", "year"]).size().max() == 1
    ussr = cow[cow["ccode2"] == 365].set_index("year")["iso3"]
    assert (ussr.loc[1950], ussr.loc[1990], ussr.loc[1995], ussr.loc[2005]) == ("SUHH", "SUHH", "RUS", "RUS")
    yugoslavia = cow[cow["ccode2"] == 345].set_index("year")["iso3"]
    assert (yugoslavia.loc[2000], yugoslavia.loc[2005]) == ("YUCS", "CSXX")
    states = set(pd.read_csv(paths.DATA_RAW / "states.csv", dtype=str)["iso3"])
    assert set(cow["iso3"]) - states == {"TWN", "VDVN"}  # outside the universe, said in the README


def fixture_rows(tmp_path: Path, rows: list[tuple]) -> Path:
    folder = tmp_path / "peer"
    folder.mkdir()
    lines = ['"ccode1","ccode2","year","DR_at_1","DR_at_2","DE","version"']
    lines += [f"731,{c},{y},{a},{b},{int(a != 0 or b != 0)},2006.1" for c, y, a, b in rows]
    (folder / "cow_dprk_rows.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "cow_codes.csv").write_text(
        "ccode,state_abb,state_name,iso3,from_year,to_year,note\n40,CUB,Cuba,CUB,,,\n145,BOL,Bolivia,BOL,,,\n"
        "900,AUL,Australia,AUS,,,\n365,RUS,Russia,SUHH,,1990,\n365,RUS,Russia,RUS,1991,,\n", encoding="utf-8")
    return folder


SPELLS = pd.DataFrame([
    ("CUB", date(1960, 8, 29), None), ("AUS", date(1974, 7, 31), date(1975, 11, 1)),
    ("SUHH", date(1948, 10, 12), date(1991, 12, 26)), ("RUS", date(1991, 12, 26), None),
], columns=["iso3", "start", "end"])
STATES = pd.DataFrame({"iso3": ["CUB", "BOL", "AUS", "SUHH", "RUS"],
                       "name": ["Cuba", "Bolivia", "Australia", "Soviet Union", "Russia"]})
NO_RESOLUTIONS = pd.DataFrame(columns=["peer", "iso3", "resolution", "citation", "url", "quote", "note"])


def test_each_year_counts_both_the_peer_only_and_the_data_only_and_lists_the_peers_extra_partners(tmp_path):
    cow = peers.read_cow(fixture_rows(tmp_path, [
        (40, 1975, 3, 3), (145, 1975, 0, 3), (900, 1975, 3, 9), (365, 1975, 3, 3),   # Australia: in force until November
        (40, 1980, 0, 0), (145, 1980, 0, 3), (900, 1980, 0, 0), (365, 1980, 3, 3),   # Cuba in force, no envoy either way
        (40, 1995, 3, 3), (145, 1995, 0, 0), (900, 1995, 9, 0), (365, 1995, 3, 3),   # Russia continues; Australia frozen
    ]))
    agreement, disagreements = peers.compare(cow, SPELLS, STATES, NO_RESOLUTIONS, date(2023, 10, 1))
    assert agreement[["year", "both", "peer_only", "data_only"]].values.tolist() == [
        [1975, 3, 1, 0], [1980, 1, 1, 1], [1995, 2, 1, 0]]
    assert agreement["peer_in_data"].tolist() == [0.75, 0.5, 0.6667]
    assert disagreements[["iso3", "state", "years", "levels", "resolution"]].values.tolist() == [
        ["AUS", "Australia", "1995", "9/0", "open"], ["BOL", "Bolivia", "1975 1980", "0/3 0/3", "open"]]
    assert disagreements["note"].iloc[0] == peers.NO_RESOLUTION


def test_a_recorded_resolution_is_shown_and_years_after_the_cut_off_are_left_out(tmp_path):
    cow = peers.read_cow(fixture_rows(tmp_path, [(145, 1975, 0, 3), (145, 1980, 0, 3), (40, 1980, 3, 3)]))
    resolved = pd.DataFrame([dict(peer=peers.PEER, iso3="BOL", resolution="peer_stale_or_wrong", citation="A book",
                                  url="https://example.org/b", quote="no relations", note="checked")])
    agreement, disagreements = peers.compare(cow, SPELLS, STATES, resolved, date(1978, 6, 30))
    assert agreement["year"].tolist() == [1975]
    assert disagreements[["iso3", "years", "resolution", "quote"]].values.tolist() == [["BOL", "1975", "peer_stale_or_wrong", "no relations"]]


def test_a_disagreement_the_data_were_corrected_for_is_listed_with_no_peer_years(tmp_path):
    cow = peers.read_cow(fixture_rows(tmp_path, [(40, 1980, 3, 3)]))
    resolved = pd.DataFrame([dict(peer=peers.PEER, iso3="BOL", resolution="data_corrected", citation="A book",
                                  url="https://example.org/b", quote="relations since 1985", note="corrected")])
    _, disagreements = peers.compare(cow, SPELLS, STATES, resolved, date(2023, 10, 1))
    assert disagreements[["iso3", "years", "resolution"]].values.tolist() == [["BOL", "", "data_corrected"]]


def test_a_code_missing_for_a_cow_state_is_named(tmp_path):
    folder = fixture_rows(tmp_path, [(999, 1975, 3, 3)])
    with pytest.raises(ValueError, match=r"cow_codes\.csv: no code for the COW state\(s\) \[999\]"):
        peers.read_cow(folder)


def test_every_disagreement_of_the_real_data_has_a_recorded_resolution():
    table = pd.read_csv(paths.DATA_PROCESSED / "peer_disagreements.csv", dtype=str, keep_default_na=False)
    assert set(table["iso3"]) == {"BOL", "NIC", "VDVN", "YDYE"}
    assert "no resolution recorded" not in " ".join(table["note"])
    assert "open" not in set(table["resolution"])  # South Yemen and Bolivia settled from sources (README)
    corrected = table[table["resolution"] == "data_corrected"]
    assert corrected["iso3"].tolist() == ["YDYE"] and corrected["years"].tolist() == [""]  # no longer in the comparison


def test_a_resolution_other_than_open_needs_a_quote(raw_dir):
    from tests.data.test_ingest import assert_named, problems_of

    (raw_dir / "peer_reconciliation.csv").write_text(
        "peer,iso3,resolution,citation,url,quote,note\n"
        "cow_diplomatic_exchange,CUB,peer_stale_or_wrong,A book,https://example.org/b,,checked\n", encoding="utf-8")
    assert_named(problems_of(raw_dir), "peer_reconciliation.csv", 2, "quote", "needs a short verbatim quote of its source")


def test_the_rok_s_rows_are_the_same_block_read_from_its_side_and_every_partner_has_a_code():
    rok, dprk = peers.read_cow(PEER_DIR, "KOR"), peers.read_cow(PEER_DIR, "PRK")
    assert len(rok) == 1715 and rok["ccode2"].nunique() == 197 and (rok["ccode1"] == peers.ROK_CCODE).all()
    assert rok.groupby(["ccode2", "year"]).size().max() == 1
    # the pair of the two Koreas, seen from each side, is the same rows with the levels swapped
    north = dprk[dprk["ccode2"] == peers.ROK_CCODE].set_index("year")[["DR_at_1", "DR_at_2"]]
    south = rok[rok["ccode2"] == peers.DPRK_CCODE].set_index("year")[["DR_at_2", "DR_at_1"]]
    assert len(north) == 12 and north.to_numpy().tolist() == south.to_numpy().tolist()
    assert set(rok.loc[rok["ccode2"] == peers.DPRK_CCODE, "iso3"]) == {"PRK"}
