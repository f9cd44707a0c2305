from datetime import date

from dprk_relations.analysis.counts import yearly_counts
from dprk_relations.rules.relations import build_spells


def table(dataset, as_of=date(2023, 10, 1)):
    spells = build_spells(dataset.events, dataset.states, dataset.successions, as_of)
    return yearly_counts(dataset.events, spells, dataset.states, as_of, 1948).set_index("year")


def test_flows_per_year(dataset):
    t = table(dataset)
    assert t.loc[1948, "established"] == 2
    assert t.loc[1973, "severed"] == 1
    assert t.loc[1975, "suspended"] == 1
    assert t.loc[1992, "restored"] == 1
    assert t.loc[1993, "established"] == 2
    assert t.loc[2000, "restored"] == 1
    assert t["established"].sum() == 7


def test_ever_established_counts_successors_and_dissolved_states(dataset):
    t = table(dataset)
    assert t.loc[1948, "ever_established"] == 2
    assert t.loc[1991, "ever_established"] == 6  # USSR, CS, Cuba, Chile, Australia, Russia
    assert t.loc[1993, "ever_established"] == 8  # + Czechia, Slovakia


def test_un_members_and_share(dataset):
    t = table(dataset)
    # 1948: Cuba, Chile, Australia, France, USSR, Czechoslovakia; with relations: USSR, CS.
    assert (t.loc[1948, "un_members"], t.loc[1948, "un_members_maintaining"]) == (6, 2)
    assert t.loc[1948, "share_of_un_members"] == round(2 / 6, 4)
    # 1993: Cuba, Chile, Australia, France, Russia, Czechia, Slovakia; Australia suspended.
    assert (t.loc[1993, "un_members"], t.loc[1993, "un_members_maintaining"]) == (7, 5)


def test_last_row_is_measured_on_the_cut_off(dataset):
    t = table(dataset, as_of=date(2016, 8, 1))
    assert t.index.max() == 2016
    assert t.loc[2016, "measured_on"] == "2016-08-01"


def _identity_breaks(table, spells, first_year):
    """Years whose stock is not the year before's plus that year's flows (each kind in its own column)."""
    from dprk_relations.analysis.counts import INFLOWS, OUTFLOWS
    from dprk_relations.rules.relations import stock_on

    before = int(stock_on(spells, [date(first_year - 1, 12, 31)])[0])
    breaks = []
    for row in table.itertuples():
        flows = sum(int(getattr(row, c)) for c in INFLOWS) - sum(int(getattr(row, c)) for c in OUTFLOWS)
        if int(row.maintaining) != before + flows:
            breaks.append(int(row.year))
        before = int(row.maintaining)
    return breaks


def test_every_years_stock_is_the_year_before_plus_its_flows_on_the_fixture(dataset):
    spells = build_spells(dataset.events, dataset.states, dataset.successions, date(2023, 10, 1))
    table = yearly_counts(dataset.events, spells, dataset.states, date(2023, 10, 1), 1948)
    assert _identity_breaks(table, spells, 1948) == []
    by_year = table.set_index("year")
    # worked by hand: Chile breaks in 1973; Australia suspends in October 1975; the USSR's relations pass to
    # Russia in 1991 (one spell ends, another opens the next day); Czechoslovakia ends at 1992's end and its
    # successors open theirs on 1 January 1993
    assert by_year.loc[1973, "out_severed"] == 1 and by_year.loc[1975, "out_suspended"] == 1
    assert (by_year.loc[1991, "out_state_ended"], by_year.loc[1991, "in_continued"]) == (1, 1)
    assert (by_year.loc[1993, "out_state_ended"], by_year.loc[1993, "in_established"]) == (1, 2)
    assert (by_year.loc[1992, "in_restored"], by_year.loc[2000, "in_restored"]) == (1, 1)
    # a table that starts later carries the stock in from the day before its first year
    later = yearly_counts(dataset.events, spells, dataset.states, date(2023, 10, 1), 1976)
    assert _identity_breaks(later, spells, 1976) == []


def test_every_years_stock_is_the_year_before_plus_its_flows_in_the_real_data():
    """Issue 18: 1977, 1990, 1991 and 1993 used not to add up from the events' columns alone."""
    from dprk_relations.core import paths
    from dprk_relations.data import store

    table = store.read_table(paths.DATA_PROCESSED, "yearly_counts")
    spells = store.read_table(paths.DATA_PROCESSED, "spells")
    assert len(table) == 2023 - 1948 + 1
    assert _identity_breaks(table, spells, 1948) == []
