"""Missions on a day: the nearest complete list, brought to the day by the dated openings and closures.

Missions on a day, at the edges: the list's own first and last days, acts on the interval's ends,
the messages for each change, kinds of missions no list names, and the table of published lists."""
from __future__ import annotations

from datetime import date as D

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


SNAP_COLUMNS = ["snapshot", "snapshot_date_earliest", "snapshot_date_latest", "direction", "listing", "coverage", "stated_total"]


def snapshots_of_cases(*rows) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=SNAP_COLUMNS)
    frame["snapshot_date"] = [a.isoformat()[:7] for a in frame["snapshot_date_earliest"]]
    frame["stated_scope"] = "missions"
    frame["citation"] = [f"list {s}" for s in frame["snapshot"]]
    frame["line"] = range(2, 2 + len(frame))
    return frame




def listed(*rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["snapshot", "iso3", "city", "kind"])


# one complete list of January 2024 (month precision) and one of 2014 (year precision)
LISTS = snapshots_of_cases(("late", D(2024, 1, 1), D(2024, 1, 31), "dprk_abroad", "resident", "complete", 2),
                  ("early", D(2014, 1, 1), D(2014, 12, 31), "dprk_abroad", "resident", "complete", None))
ROWS_of_cases = listed(("late", "CHN", "Beijing", "embassy"), ("late", "RUS", "Moscow", "embassy"),
              ("early", "CHN", "Beijing", "embassy"), ("early", "ESP", "Madrid", "embassy"))
BEFORE = D(2023, 10, 1)  # a day before the late list: replay runs backwards from it




def on(day, act_rows, snaps=LISTS, rows=ROWS_of_cases, **kw):
    return missions.missions_on(snaps, rows, act_rows, "dprk_abroad", day, **kw)


def test_the_chosen_list_is_a_plain_dict_of_the_snapshot_s_fields():
    chosen = missions.choose_snapshot(LISTS, "dprk_abroad", BEFORE)
    assert isinstance(chosen, dict) and chosen["snapshot"] == "late"
    assert list(chosen) == list(LISTS.columns)


def test_a_list_whose_dates_hold_the_day_beats_a_list_one_day_away():
    """Distance 0 inside a list's own dates: a month-long list holding the day wins over a list dated the next day."""
    two = snapshots_of_cases(("month", D(2010, 1, 1), D(2010, 1, 31), "dprk_abroad", "resident", "complete", None),
                    ("next", D(2010, 1, 16), D(2010, 1, 16), "dprk_abroad", "resident", "complete", None))
    assert missions.choose_snapshot(two, "dprk_abroad", D(2010, 1, 15))["snapshot"] == "month"


def test_no_list_message_without_a_limit_ends_at_the_direction():
    with pytest.raises(missions.NoList) as err:
        missions.choose_snapshot(LISTS, "foreign_in_pyongyang", BEFORE)
    assert str(err.value) == "no complete list of resident missions (foreign_in_pyongyang)"
    with pytest.raises(missions.NoList) as err:
        missions.choose_snapshot(LISTS, "dprk_abroad", BEFORE, listing="honorary", not_after=D(2000, 1, 2))
    assert str(err.value) == "no complete list of honorary missions (dprk_abroad) dated by 2000-01-02"


def test_a_day_on_the_list_s_first_or_last_day_takes_the_list_as_it_is():
    """Inside the list's dates nothing is replayed, even an act whose dates straddle the list."""
    straddling = acts(("RUS", "Moscow", "embassy_closed", "dprk_abroad", D(2023, 12, 15), D(2024, 2, 15), "x"))
    for day in (D(2024, 1, 1), D(2024, 1, 15), D(2024, 1, 31)):
        found = on(day, straddling)
        assert found.day == day and found.snapshot["snapshot"] == "late"
        assert keys(found) == [("CHN", "Beijing", "embassy"), ("RUS", "Moscow", "embassy")]
        assert list(found.missions.columns) == ["iso3", "city", "kind"]
        assert found.changes == [] and found.unplaced == []


def test_a_list_other_than_resident_missions_is_never_replayed():
    lists = snapshots_of_cases(("hon", D(2024, 1, 1), D(2024, 1, 31), "dprk_abroad", "honorary", "complete", 1))
    rows = listed(("hon", "ESP", "Madrid", "office"))
    closure = acts(("ESP", "Madrid", "office_closed", "dprk_abroad", D(2023, 11, 1), D(2023, 11, 1), "x"))
    found = on(BEFORE, closure, lists, rows, listing="honorary")
    assert keys(found) == [("ESP", "Madrid", "office")]
    assert found.changes == [] and found.unplaced == []


def test_each_change_names_the_mission_the_act_its_date_or_dates_and_source():
    closures = acts(("ESP", "Madrid", "embassy_closed", "dprk_abroad", D(2023, 10, 26), D(2023, 10, 26), "Dong-A"),
                    ("AAA", "Capital", "embassy_closed", "dprk_abroad", D(2023, 11, 1), D(2023, 11, 30), "Kyodo"))
    found = on(BEFORE, closures)
    # the acts are replayed in the order of state, city and kind, whatever their order in acts.csv
    assert found.changes == ["AAA Capital embassy put back: embassy_closed 2023-11-01..2023-11-30 (Kyodo)",
                             "ESP Madrid embassy put back: embassy_closed 2023-10-26 (Dong-A)"]
    assert ("ESP", "Madrid", "embassy") in keys(found) and found.unplaced == []


def test_an_act_on_the_list_s_last_day_is_replayed_and_one_after_it_is_not():
    on_last = acts(("ESP", "Madrid", "embassy_closed", "dprk_abroad", D(2024, 1, 31), D(2024, 1, 31), "x"))
    assert ("ESP", "Madrid", "embassy") in keys(on(BEFORE, on_last))
    after = acts(("ESP", "Madrid", "embassy_closed", "dprk_abroad", D(2024, 2, 1), D(2024, 2, 1), "x"))
    found = on(BEFORE, after)
    assert ("ESP", "Madrid", "embassy") not in keys(found) and not found.changes and not found.unplaced


def test_an_act_that_ends_on_the_list_s_last_day_is_placed_and_one_that_starts_on_the_day_is_not():
    """The interval is (day, list]: an act spanning up to the list's last day lies inside it; one that may
    have happened on the day itself may already be in force on the day, so it cannot be placed."""
    ends_on_list = acts(("ESP", "Madrid", "embassy_closed", "dprk_abroad", D(2023, 12, 1), D(2024, 1, 31), "x"))
    found = on(BEFORE, ends_on_list)
    assert found.changes == ["ESP Madrid embassy put back: embassy_closed 2023-12-01..2024-01-31 (x)"]
    starts_on_day = acts(("ESP", "Madrid", "embassy_closed", "dprk_abroad", BEFORE, D(2023, 10, 20), "y"))
    found = on(BEFORE, starts_on_day)
    assert found.changes == [] and ("ESP", "Madrid", "embassy") not in keys(found)
    assert found.unplaced == ["ESP Madrid embassy_closed 2023-10-01..2023-10-20 (cannot be placed against 2023-10-01 "
                              "and the list of 2024-01)"]


def test_acts_outside_the_interval_or_unplaced_do_not_stop_the_replay_of_the_next():
    rows = acts(("AAA", "Capital", "embassy_closed", "dprk_abroad", D(2020, 1, 1), D(2020, 1, 1), "before the day"),
                ("BBB", "Town", "embassy_closed", "dprk_abroad", D(2023, 9, 1), D(2023, 10, 31), "straddles"),
                ("ESP", "Madrid", "embassy_closed", "dprk_abroad", D(2023, 10, 26), D(2023, 10, 26), "Dong-A"))
    found = on(BEFORE, rows)
    assert found.changes == ["ESP Madrid embassy put back: embassy_closed 2023-10-26 (Dong-A)"]
    assert len(found.unplaced) == 1 and found.unplaced[0].startswith("BBB Town embassy_closed 2023-09-01..2023-10-31")


def test_an_opening_on_the_day_itself_counts_when_replaying_forward_from_an_earlier_list():
    opening = acts(("FRA", "Paris", "embassy_opened", "dprk_abroad", D(2021, 1, 1), D(2021, 1, 1), "AFP"))
    found = on(D(2021, 1, 1), opening, not_after=D(2014, 12, 31))
    assert found.snapshot["snapshot"] == "early"
    assert found.changes == ["FRA Paris embassy put back: embassy_opened 2021-01-01 (AFP)"]
    assert keys(found) == [("CHN", "Beijing", "embassy"), ("ESP", "Madrid", "embassy"), ("FRA", "Paris", "embassy")]
    assert on(D(2020, 12, 31), opening, not_after=D(2014, 12, 31)).changes == []


def test_a_mission_no_list_names_takes_the_kind_its_act_implies_and_a_listed_one_its_latest_listed_kind():
    rows = listed(("late", "CHN", "Beijing", "embassy"), ("early", "SWE", "Stockholm", "embassy"),
                  ("late2", "SWE", "Stockholm", "consulate"))
    lists = snapshots_of_cases(("late", D(2024, 1, 1), D(2024, 1, 31), "dprk_abroad", "resident", "complete", 1),
                      ("early", D(2014, 1, 1), D(2014, 12, 31), "dprk_abroad", "resident", "complete", None),
                      ("late2", D(2022, 1, 1), D(2022, 12, 31), "dprk_abroad", "resident", "partial", None))
    closures = acts(("ITA", "Rome", "office_closed", "dprk_abroad", D(2023, 11, 1), D(2023, 11, 1), "a"),
                    ("NOR", "Oslo", "embassy_closed", "dprk_abroad", D(2023, 11, 2), D(2023, 11, 2), "b"),
                    ("SWE", "Stockholm", "embassy_closed", "dprk_abroad", D(2023, 11, 3), D(2023, 11, 3), "c"))
    found = on(BEFORE, closures, lists, rows)
    assert keys(found) == [("CHN", "Beijing", "embassy"), ("ITA", "Rome", "office"), ("NOR", "Oslo", "embassy"),
                           ("SWE", "Stockholm", "consulate")]


def test_a_list_that_disagrees_with_an_act_is_kept_and_the_message_says_how():
    still = acts(("RUS", "Moscow", "embassy_closed", "dprk_abroad", D(2023, 11, 1), D(2023, 11, 1), "x"))
    assert on(BEFORE, still).unplaced == [
        "RUS Moscow embassy: embassy_closed 2023-11-01, but the list of 2024-01 still has it; the list is kept"]
    missing = acts(("ESP", "Madrid", "embassy_opened", "dprk_abroad", D(2023, 11, 1), D(2023, 11, 30), "x"))
    found = on(BEFORE, missing)
    assert found.unplaced == [
        "ESP Madrid embassy: embassy_opened 2023-11-01..2023-11-30, but the list of 2024-01 does not have it; the list is kept"]
    assert found.changes == [] and ("ESP", "Madrid", "embassy") not in keys(found)
    # an opening of a mission the later list has takes it out
    opened = acts(("RUS", "Moscow", "embassy_opened", "dprk_abroad", D(2023, 11, 1), D(2023, 11, 1), "TASS"))
    found = on(BEFORE, opened)
    assert found.changes == ["RUS Moscow embassy taken out: embassy_opened 2023-11-01 (TASS)"]
    assert keys(found) == [("CHN", "Beijing", "embassy")]


def test_snapshot_counts_columns_order_and_a_list_without_rows_counts_zero():
    lists = snapshots_of_cases(("late", D(2024, 1, 1), D(2024, 1, 31), "dprk_abroad", "resident", "complete", 2),
                      ("empty", D(2000, 1, 1), D(2000, 12, 31), "dprk_abroad", "honorary", "partial", 5),
                      ("pyong", D(1990, 1, 1), D(1990, 1, 1), "foreign_in_pyongyang", "resident", "complete", None))
    out = missions.snapshot_counts(lists, listed(("late", "CHN", "Beijing", "embassy"), ("late", "RUS", "Moscow", "embassy")))
    assert list(out.columns) == ["snapshot", "snapshot_date", "plotted_at", "direction", "listing", "coverage",
                                 "listed", "stated_total", "citation"]
    assert list(out.index) == [0, 1, 2]
    assert out["snapshot"].tolist() == ["empty", "late", "pyong"]  # by side, then date
    assert out["listed"].tolist() == [0, 2, 0] and str(out["listed"].dtype) == "int64"
    assert out["snapshot_date"].tolist() == ["2000-01", "2024-01", "1990-01"]
    assert out["listing"].tolist() == ["honorary", "resident", "resident"]
    assert out["coverage"].tolist() == ["partial", "complete", "complete"]
    assert out["citation"].tolist() == ["list empty", "list late", "list pyong"]
    assert out["plotted_at"].tolist() == ["2000-07-01", "2024-01-16", "1990-01-01"]
