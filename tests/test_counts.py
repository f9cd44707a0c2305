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
