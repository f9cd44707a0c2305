"""Missions on a day: the nearest complete list, brought to the day by the dated openings and closures."""
from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from dprk_relations.rules import missions


def snapshots(*rows) -> pd.DataFrame:
    cols = ["snapshot", "snapshot_date_earliest", "snapshot_date_latest", "direction", "listing", "coverage", "stated_total"]
    frame = pd.DataFrame(rows, columns=cols)
    frame["snapshot_date"] = [a.isoformat() for a in frame["snapshot_date_earliest"]]
    frame["stated_scope"] = "missions"
    frame["citation"] = "fixture list"
    frame["line"] = range(2, 2 + len(frame))
    return frame


def acts(*rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["iso3", "city", "kind", "mission", "date_earliest", "date_latest", "citation"])


D = date
LATER = snapshots(("late", D(2024, 1, 1), D(2024, 1, 31), "dprk_abroad", "resident", "complete", 2),
                  ("early", D(2014, 1, 1), D(2014, 12, 31), "dprk_abroad", "resident", "complete", None),
                  ("partial", D(2023, 10, 1), D(2023, 10, 1), "dprk_abroad", "resident", "partial", 40))
ROWS = pd.DataFrame([("late", "CHN", "Beijing", "embassy"), ("late", "RUS", "Moscow", "embassy"),
                     ("early", "CHN", "Beijing", "embassy"), ("early", "CHN", "Hong Kong", "consulate_general"),
                     ("early", "ESP", "Madrid", "embassy"), ("partial", "CHN", "Beijing", "embassy")],
                    columns=["snapshot", "iso3", "city", "kind"])


def keys(found) -> list[tuple]:
    return [tuple(r) for r in found.missions.itertuples(index=False)]


def test_the_nearest_complete_list_is_chosen_and_a_partial_one_never():
    assert missions.choose_snapshot(LATER, "dprk_abroad", D(2023, 10, 1))["snapshot"] == "late"
    assert missions.choose_snapshot(LATER, "dprk_abroad", D(2016, 1, 1))["snapshot"] == "early"
    # a day inside the list's own dates is at distance 0
    assert missions.choose_snapshot(LATER, "dprk_abroad", D(2024, 1, 31))["snapshot"] == "late"
    assert missions.choose_snapshot(LATER, "dprk_abroad", D(2023, 10, 1), not_after=D(2023, 12, 31))["snapshot"] == "early"


def test_a_tie_goes_to_the_earlier_list():
    two = snapshots(("a", D(2010, 1, 1), D(2010, 1, 1), "dprk_abroad", "resident", "complete", None),
                    ("b", D(2010, 1, 3), D(2010, 1, 3), "dprk_abroad", "resident", "complete", None))
    assert missions.choose_snapshot(two, "dprk_abroad", D(2010, 1, 2))["snapshot"] == "a"


def test_no_complete_list_is_a_clear_error():
    with pytest.raises(missions.NoList, match=r"no complete list of resident missions \(foreign_in_pyongyang\)"):
        missions.choose_snapshot(LATER, "foreign_in_pyongyang", D(2020, 1, 1))
    with pytest.raises(missions.NoList, match="dated by 2000-01-01"):
        missions.choose_snapshot(LATER, "dprk_abroad", D(2020, 1, 1), not_after=D(2000, 1, 1))


def test_a_closure_between_the_day_and_a_later_list_puts_the_mission_back_with_its_listed_kind():
    closures = acts(("CHN", "Hong Kong", "embassy_closed", "dprk_abroad", D(2023, 11, 1), D(2024, 1, 4), "Kyodo"),
                    ("ESP", "Madrid", "embassy_closed", "dprk_abroad", D(2023, 10, 26), D(2023, 10, 26), "Dong-A"))
    found = missions.missions_on(LATER, ROWS, closures, "dprk_abroad", D(2023, 10, 1))
    assert keys(found) == [("CHN", "Beijing", "embassy"), ("CHN", "Hong Kong", "consulate_general"),
                           ("ESP", "Madrid", "embassy"), ("RUS", "Moscow", "embassy")]
    assert len(found.changes) == 2 and not found.unplaced


def test_a_closure_on_the_day_itself_is_already_in_force_on_that_day():
    closure = acts(("ESP", "Madrid", "embassy_closed", "dprk_abroad", D(2023, 10, 1), D(2023, 10, 1), "x"))
    found = missions.missions_on(LATER, ROWS, closure, "dprk_abroad", D(2023, 10, 1))
    assert ("ESP", "Madrid", "embassy") not in keys(found)
    assert not found.changes and not found.unplaced


def test_an_opening_between_is_taken_out_and_replay_runs_forward_from_an_earlier_list():
    opening = acts(("RUS", "Moscow", "embassy_opened", "dprk_abroad", D(2020, 5, 1), D(2020, 5, 1), "x"))
    back = missions.missions_on(LATER, ROWS, opening, "dprk_abroad", D(2019, 1, 1), not_after=D(2014, 12, 31))
    assert ("RUS", "Moscow", "embassy") not in keys(back)  # the earlier list, and the opening is later still
    found = missions.missions_on(LATER, ROWS, opening, "dprk_abroad", D(2021, 1, 1), not_after=D(2014, 12, 31))
    assert ("RUS", "Moscow", "embassy") in keys(found)
    assert found.snapshot["snapshot"] == "early"


def test_an_act_the_interval_cannot_place_is_reported_not_applied():
    straddling = acts(("ESP", "Madrid", "embassy_closed", "dprk_abroad", D(2023, 9, 1), D(2023, 10, 31), "x"))
    found = missions.missions_on(LATER, ROWS, straddling, "dprk_abroad", D(2023, 10, 1))
    assert ("ESP", "Madrid", "embassy") not in keys(found)
    assert found.unplaced and "cannot be placed" in found.unplaced[0]


def test_a_list_that_still_has_a_closed_mission_is_kept_and_the_conflict_reported():
    closure = acts(("RUS", "Moscow", "embassy_closed", "dprk_abroad", D(2023, 11, 1), D(2023, 11, 30), "x"))
    found = missions.missions_on(LATER, ROWS, closure, "dprk_abroad", D(2023, 10, 1))
    assert ("RUS", "Moscow", "embassy") in keys(found)
    assert "still has it" in found.unplaced[0]


def test_acts_on_the_other_side_s_missions_are_ignored():
    other = acts(("ESP", "Madrid", "embassy_closed", "foreign_in_pyongyang", D(2023, 11, 1), D(2023, 11, 1), "x"))
    found = missions.missions_on(LATER, ROWS, other, "dprk_abroad", D(2023, 10, 1))
    assert ("ESP", "Madrid", "embassy") not in keys(found)


def test_snapshot_counts_counts_rows_and_keeps_the_stated_total():
    counts = missions.snapshot_counts(LATER, ROWS).set_index("snapshot")
    assert counts.loc["early", "listed"] == 3 and counts.loc["late", "listed"] == 2 and counts.loc["partial", "stated_total"] == 40
    assert counts.loc["early", "plotted_at"] == "2014-07-02"
