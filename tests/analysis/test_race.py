"""Both Koreas side by side: the four groups on a day, from each list's spells."""
from __future__ import annotations

from datetime import date

import pandas as pd

from dprk_relations.analysis import race


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
