"""The race's claim checks (analysis/claims_race.py), on the hand-built lists of both Koreas of
tests/analysis/test_race.py: the other Korea's count and each of the four groups on a day, with states left
out, read from either Korea's side; and the race groups a register may name."""
from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from dprk_relations.analysis import race
from tests.analysis.test_race import NORTH, SOUTH, STATES


def test_the_race_checks_count_the_other_korea_and_each_group_with_states_left_out():
    from dprk_relations.analysis import claims
    from dprk_relations.analysis.claims_race import other_korea_stock_at, race_group_at

    empty = pd.DataFrame(columns=["iso3", "event", "date_latest", "line"])
    ctx = claims.Context(empty, SOUTH, STATES, pd.DataFrame(), pd.DataFrame(), date(2023, 10, 1),
                         other_spells=NORTH, focal="KOR")
    assert other_korea_stock_at(ctx, "1966-01-01").value == 4  # AAA, BBB, DDD and the KOR row of NORTH's spells
    assert other_korea_stock_at(ctx, "1966-01-01", exclude=["KOR", "DDD"]).value == 2
    both = race_group_at(ctx, "1966-01-01", "both")
    assert both.value == 1 and both.evidence == ["AAA: both on 1966-01-01"]
    assert race_group_at(ctx, "1966-01-01", "DPRK only").value == 2  # BBB and DDD: the focal ROK's list is `spells`
    assert race_group_at(ctx, "1966-01-01", "DPRK only", exclude=["DDD"]).value == 1
    assert "(without DDD)" in race_group_at(ctx, "1966-01-01", "DPRK only", exclude=["DDD"]).detail
    # the same day read from the DPRK's side gives the same groups
    north_side = claims.Context(empty, NORTH, STATES, pd.DataFrame(), pd.DataFrame(), date(2023, 10, 1), other_spells=SOUTH)
    assert race_group_at(north_side, "1966-01-01", "DPRK only").value == 2
    with pytest.raises(ValueError, match="needs the other Korea's spells"):
        race_group_at(claims.Context(empty, NORTH, STATES, pd.DataFrame(), pd.DataFrame(), date(2023, 10, 1)), "1966-01-01", "both")


def test_a_race_group_the_register_names_must_be_one_of_the_four():
    from dprk_relations.analysis.claims_registry import RACE_GROUP

    assert RACE_GROUP.values == frozenset(race.GROUPS)


def test_the_race_checks_say_what_they_counted_and_list_the_states_up_to_twelve():
    """The register shows each check's detail and evidence: a short group is named state by state, a long one
    by its first twelve and the count of the others (its evidence left empty: the detail says enough)."""
    from dprk_relations.analysis import claims
    from dprk_relations.analysis.claims_race import other_korea_stock_at, race_group_at

    empty = pd.DataFrame(columns=["iso3", "event", "date_latest", "line"])
    codes = [f"S{i:02d}" for i in range(14)]  # fourteen states with neither Korea
    states = pd.DataFrame({"iso3": codes + ["KOR"], "existed_from_earliest": None, "existed_to_latest": None})
    ctx = claims.Context(empty, NORTH.iloc[:0], states, pd.DataFrame(), pd.DataFrame(), date(2023, 10, 1),
                         other_spells=SOUTH.iloc[:0])
    long = race_group_at(ctx, "1966-01-01", "neither")
    assert long.value == 14 and long.evidence == []
    assert long.detail == ("14 states with relations with neither Korea on 1966-01-01: "
                           f"{', '.join(codes[:12])} and 2 more")
    short = race_group_at(ctx, "1966-01-01", "neither", exclude=["S00", "S01"])
    assert short.value == 12 and short.evidence == [f"{c}: neither on 1966-01-01" for c in codes[2:]]
    assert short.detail == ("12 states with relations with neither Korea on 1966-01-01 (without S00, S01): "
                            f"{', '.join(codes[2:])}")
    side = claims.Context(empty, SOUTH, STATES, pd.DataFrame(), pd.DataFrame(), date(2023, 10, 1),
                          other_spells=NORTH, focal="KOR")
    assert race_group_at(side, "1966-01-01", "both").detail == "1 states with relations with both on 1966-01-01: AAA"
    assert other_korea_stock_at(side, "1966-01-01").detail == "4 states maintaining relations with the DPRK on 1966-01-01"
    assert (other_korea_stock_at(side, "1966-01-01", exclude=["KOR", "DDD"]).detail
            == "2 states maintaining relations with the DPRK on 1966-01-01 (without DDD, KOR)")
    with pytest.raises(ValueError, match=r"^a check on the race needs the other Korea's spells \(Context.other_spells\)$"):
        other_korea_stock_at(claims.Context(empty, SOUTH, STATES, pd.DataFrame(), pd.DataFrame(), date(2023, 10, 1)),
                             "1966-01-01")
