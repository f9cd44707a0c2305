"""Both Koreas side by side: the four groups on a day, from each list's spells."""
from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from dprk_relations.analysis import pages, race


def spells(*rows) -> pd.DataFrame:
    return pd.DataFrame([{"iso3": c, "start": s, "end": e, "start_reason": "established", "end_reason": ""} for c, s, e in rows],
                        columns=["iso3", "start", "end", "start_reason", "end_reason"])


STATES = pd.DataFrame({
    "iso3": ["AAA", "BBB", "CCC", "DDD", "EEE", "KOR"],
    "existed_from_earliest": [None, None, None, None, date(1990, 1, 1), None],
    "existed_to_latest": [None, None, None, date(1980, 6, 30), None, None],
})
NORTH = spells(("AAA", date(1960, 1, 1), None), ("BBB", date(1960, 1, 1), date(1970, 5, 1)), ("DDD", date(1950, 1, 1), None),
               ("KOR", date(1960, 1, 1), None))  # a Korea in the other's list is never counted
SOUTH = spells(("BBB", date(1970, 5, 1), None), ("AAA", date(1965, 3, 1), None), ("PRK", date(1960, 1, 1), None))


def test_each_state_of_the_day_is_in_exactly_one_group_and_the_koreas_in_none():
    on = race.groups_on(NORTH, SOUTH, STATES, date(1966, 1, 1))
    assert on == {"DPRK only": ["BBB", "DDD"], "ROK only": [], "both": ["AAA"], "neither": ["CCC"]}
    # a break with one Korea the day relations with the other began (BBB, 1 May 1970): switched, not both
    on = race.groups_on(NORTH, SOUTH, STATES, date(1970, 5, 1))
    assert on["ROK only"] == ["BBB"] and "BBB" not in on["both"]


def test_a_state_counts_only_while_it_exists():
    assert "DDD" in race.groups_on(NORTH, SOUTH, STATES, date(1980, 6, 30))["DPRK only"]
    later = race.groups_on(NORTH, SOUTH, STATES, date(1995, 1, 1))
    assert "DDD" not in sum(later.values(), []) and later["neither"] == ["CCC", "EEE"]


def test_the_table_counts_the_groups_and_the_share_of_dual_recognition():
    table = race.groups_table(NORTH, SOUTH, STATES, [date(1966, 1, 1), date(1955, 1, 1), date(1940, 1, 1)])
    assert table.to_dict("records")[0] == {"day": "1966-01-01", "DPRK only": 2, "ROK only": 0, "both": 1, "neither": 1,
                                           "dual_share": round(1 / 3, 4)}
    assert table["dual_share"].tolist()[1:] == [0.0, 0.0]  # 1955: DDD with the DPRK alone; 1940: nobody


def reference_groups(north: pd.DataFrame, south: pd.DataFrame, states: pd.DataFrame, day: date) -> dict[str, list[str]]:
    """The groups read state by state, spell by spell, from the definitions (existence at its widest, spell_covers)."""
    def exists(row) -> bool:
        began, ended = row.existed_from_earliest, row.existed_to_latest
        return (began is None or began <= day) and (ended is None or ended >= day)

    def held(spells_of: pd.DataFrame, code: str) -> bool:
        return any(s.start <= day and (s.end is None or s.end > day) for s in spells_of[spells_of["iso3"] == code].itertuples())

    universe = [r.iso3 for r in states.sort_values("iso3").itertuples() if exists(r) and r.iso3 not in race.KOREAS]
    north_of, south_of = {c for c in universe if held(north, c)}, {c for c in universe if held(south, c)}
    return {"DPRK only": [c for c in universe if c in north_of - south_of], "ROK only": [c for c in universe if c in south_of - north_of],
            "both": [c for c in universe if c in north_of & south_of], "neither": [c for c in universe if c not in north_of | south_of]}


def test_the_groups_of_every_day_are_those_read_state_by_state():
    """Random spells (several per state, some of a state outside the universe) and existence bounds, over days
    that fall on the spells' and the bounds' first and last days too."""
    import random

    rng = random.Random(7)
    codes = [f"S{i:02d}" for i in range(30)]
    day_of = lambda n: date(1950, 1, 1) + pd.Timedelta(days=n).to_pytimedelta()  # noqa: E731
    states = pd.DataFrame({"iso3": codes + ["KOR", "PRK"],
                           "existed_from_earliest": [rng.choice([None, day_of(rng.randrange(0, 9000))]) for _ in codes] + [None, None],
                           "existed_to_latest": [rng.choice([None, None, day_of(rng.randrange(9000, 20000))]) for _ in codes] + [None, None]})

    def random_spells() -> pd.DataFrame:
        rows = []
        for _ in range(60):
            start = rng.randrange(0, 20000)
            rows.append((rng.choice(codes + ["ZZZ", "KOR", "PRK"]), day_of(start),
                         rng.choice([None, day_of(start + rng.randrange(1, 5000))])))
        return spells(*rows)

    north, south = random_spells(), random_spells()
    days = sorted({d for frame in (north, south) for col in ("start", "end") for d in frame[col] if d is not None}
                  | {d for col in ("existed_from_earliest", "existed_to_latest") for d in states[col] if d is not None}
                  | {day_of(n) for n in range(0, 25000, 997)})
    table = race.groups_table(north, south, states, days)
    for i, day in enumerate(days):
        expected = reference_groups(north, south, states, day)
        assert race.groups_on(north, south, states, day) == expected, day
        assert [table[g][i] for g in race.GROUPS] == [len(expected[g]) for g in race.GROUPS], day


# --- the race step: both lists under one cut-off ----------------------------------------------------------------

def event(iso3: str, kind: str, earliest: date, latest: date | None = None, text: str = "") -> dict:
    latest = latest or earliest
    return {"iso3": iso3, "state": iso3.title(), "event": kind, "date": text or earliest.isoformat(),
            "precision": "day" if earliest == latest else "year", "date_earliest": earliest, "date_latest": latest,
            "order_date": latest, "line": 1}


def korea(events: list[dict], states: pd.DataFrame = STATES) -> race.KoreaList:
    from types import SimpleNamespace

    return race.KoreaList(SimpleNamespace(events=pd.DataFrame(events), states=states), None, None)


NAMED = STATES.assign(name=["Aland", "Bland", "Cland", "Dland", "Eland", "Korea"])
YEAR_1964 = (date(1964, 1, 1), date(1964, 12, 31))


def test_a_break_within_a_year_of_the_other_korea_s_recognition_is_a_switch_with_its_distance_and_order():
    lists = {"PRK": korea([event("AAA", "established", date(1964, 11, 11)),
                           event("BBB", "established", date(1960, 1, 1)), event("BBB", "severed", *YEAR_1964, text="1964")],
                          NAMED),
             "KOR": korea([event("AAA", "established", date(1962, 1, 1)), event("AAA", "severed", date(1964, 12, 10)),
                           event("BBB", "established", date(1963, 3, 26)),
                           event("CCC", "established", date(1970, 1, 1)), event("CCC", "severed", date(1975, 1, 1))])}
    table = race.switches(lists, date(2023, 10, 1))
    assert table[["iso3", "broke_with", "opened_with", "days_apart", "order"]].values.tolist() == [
        ["AAA", "ROK", "DPRK", 29, "break after opening"],  # by date: 1964 (to the year) is ordered by its last day
        ["BBB", "DPRK", "ROK", 281, "break after opening"]]  # 1964 begins 281 days after 26 March 1963
    assert table.loc[1, "state"] == "Bland" and table.loc[1, "break_date"] == "1964"
    # CCC broke with the ROK but never opened relations with the DPRK: no switch


def test_the_window_is_a_year_between_the_dates_ranges_and_a_break_after_the_cut_off_is_not_counted():
    edge = date(1964, 12, 10)
    for gap, counted in ((race.SWITCH_WINDOW_DAYS, True), (race.SWITCH_WINDOW_DAYS + 1, False)):
        lists = {"PRK": korea([event("AAA", "established", edge - pd.Timedelta(days=gap).to_pytimedelta())], NAMED),
                 "KOR": korea([event("AAA", "established", date(1950, 1, 1)), event("AAA", "severed", edge)])}
        assert len(race.switches(lists, date(2023, 10, 1))) == int(counted), gap
    assert race.switches(lists, date(1964, 12, 9)).empty  # the break falls after the cut-off
    overlapping = {"PRK": korea([event("AAA", "established", date(1972, 11, 16))], NAMED),
                   "KOR": korea([event("AAA", "established", date(1960, 1, 1)),
                                 event("AAA", "severed", date(1972, 1, 1), date(1972, 12, 31), "1972")])}
    assert race.switches(overlapping, date(2023, 10, 1))[["days_apart", "order"]].values.tolist() == [[0, "dates overlap"]]


def test_both_lists_of_the_data_make_a_race_whose_groups_add_up_to_each_korea_s_chart():
    from dprk_relations.core import paths
    from dprk_relations.data import ingest

    lists = race.counted({code: ingest.load(paths.DATA_RAW, focal=code) for code in race.KOREAS}, date(2023, 10, 1), 1948)
    table = race.race_table(lists)
    assert list(table.columns) == race.RACE_COLUMNS and table["year"].tolist() == list(range(1948, 2024))
    assert (table["dprk_only"] + table["both"] == table["dprk"]).all()
    assert (table["rok_only"] + table["both"] == table["rok"]).all()
    assert ((table["dprk_low"] <= table["dprk"]) & (table["dprk"] <= table["dprk_high"])).all()
    assert ((table["rok_low"] <= table["rok"]) & (table["rok"] <= table["rok_high"])).all()
    for row in table.itertuples():  # every state existing at the year end is in exactly one group
        existing = race.existing_on(race.shared_states(lists), date.fromisoformat(row.measured_on))
        assert row.dprk_only + row.rok_only + row.both + row.neither == len(existing), row.year
    years = race.years_table(lists).set_index("iso3")
    assert "PRK" not in years.index and "KOR" not in years.index
    last = table.iloc[-1]
    only_north = [c for c, r in years.iterrows() if pages.held_in(r.dprk_years, 2023) and not pages.held_in(r.rok_years, 2023)]
    assert len(only_north) == last["dprk_only"]


@pytest.fixture(scope="module")
def both_lists():
    from dprk_relations.core import paths
    from dprk_relations.data import ingest

    return {code: ingest.load(paths.DATA_RAW, focal=code) for code in race.KOREAS}


@pytest.mark.parametrize("as_of", [date(1949, 1, 1), date(1975, 6, 30), date(1990, 9, 15), date(2016, 8, 1)])
def test_the_page_s_lists_of_one_korea_s_partners_are_the_race_s_groups_at_any_cut_off(both_lists, as_of):
    """The page lists the states with one Korea only from race_years.csv (years in force) and counts them from
    race.csv (the groups on the cut-off): the two agree on a mid-year cut-off as on the report's."""
    lists = race.counted(both_lists, as_of, 1948)
    last = race.race_table(lists).iloc[-1]
    rows = [{k: str(v) for k, v in r.items()} for r in race.years_table(lists).to_dict("records")]
    only = pages.race_view([{k: str(v) for k, v in last.items()}], [], rows)["only"]
    assert (len(only["DPRK"]), len(only["ROK"])) == (last["dprk_only"], last["rok_only"])
    assert last["measured_on"] == as_of.isoformat()


def test_the_page_shows_every_fifth_year_the_cut_off_and_each_change_of_lead():
    rows = [{"year": str(y), "measured_on": f"{y}-12-31", "dprk": str(d), "rok": str(r)}
            for y, d, r in ((1948, 9, 0), (1949, 9, 5), (1950, 12, 12), (1951, 12, 14), (1952, 13, 14))]
    years = [{"iso3": "AAA", "name": "Aland", "dprk_years": "1948-1952", "rok_years": "1951"},
             {"iso3": "BBB", "name": "Bland", "dprk_years": "", "rok_years": "1949-1952"}]
    view = pages.race_view(rows, [], years)
    assert [r["year"] for r in view["rows"]] == ["1950", "1952"]
    assert [(l["year"], l["leader"]) for l in view["leads"]] == [("1948", "DPRK"), ("1950", "tie"), ("1951", "ROK")]
    assert view["only"] == {"DPRK": [{"iso3": "AAA", "name": "Aland"}], "ROK": [{"iso3": "BBB", "name": "Bland"}]}
    assert pages.race_view([], [], years)["last"] is None
