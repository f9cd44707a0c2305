from datetime import date

from dprk_relations.rules.relations import build_spells, included_events, stock_on


def stock(dataset, day, as_of=date(2023, 10, 1)):
    spells = build_spells(dataset.events, dataset.states, dataset.successions, as_of)
    return int(stock_on(spells, [day])[0])


def test_stock_at_year_ends_worked_by_hand(dataset):
    # 1948: USSR, Czechoslovakia. 1960: + Cuba. 1970: + Chile. 1973: Chile severed.
    # 1974: + Australia. 1975: Australia suspended. 1991: USSR -> Russia (continued).
    # 1992: Chile restored. 1993: Czechoslovakia -> Czechia + Slovakia. 2000: Australia restored.
    expected = {1948: 2, 1959: 2, 1960: 3, 1970: 4, 1973: 3, 1974: 4, 1975: 3, 1991: 3, 1992: 4, 1993: 5, 2000: 6}
    assert {y: stock(dataset, date(y, 12, 31)) for y in expected} == expected


def test_continuation_counts_the_successor_once_and_never_both(dataset):
    spells = build_spells(dataset.events, dataset.states, dataset.successions, date(2023, 10, 1))
    russia = spells[spells["iso3"] == "RUS"].iloc[0]
    ussr = spells[spells["iso3"] == "SUHH"].iloc[0]
    assert russia["start_reason"] == "continued"
    assert ussr["end_reason"] == "dissolved"
    assert russia["start"] == ussr["end"] == date(1991, 12, 26)
    for day in (date(1991, 12, 25), date(1991, 12, 26)):
        assert stock(dataset, day) == 3


def test_a_year_precision_event_counts_from_its_last_possible_day(dataset):
    # Cuba "1960": not yet on 30 June 1960, counted on 31 December 1960.
    assert stock(dataset, date(1960, 6, 30)) == 2
    assert stock(dataset, date(1960, 12, 31)) == 3


def test_events_after_the_cut_off_are_left_out(dataset):
    as_of = date(2000, 5, 15)  # Australia's restoration, "2000-05", may not have happened yet
    kept, left = included_events(dataset.events, as_of)
    assert list(left["iso3"]) == ["AUS"]
    spells = build_spells(dataset.events, dataset.states, dataset.successions, as_of)
    assert int(stock_on(spells, [as_of])[0]) == 5


def test_counting_suspensions_as_maintained_is_a_switch(dataset):
    spells = build_spells(dataset.events, dataset.states, dataset.successions, date(2023, 10, 1), count_suspended=True)
    assert int(stock_on(spells, [date(1980, 12, 31)])[0]) == 4  # Australia kept during its suspension
