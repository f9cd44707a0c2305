"""The band of other readings and the published counts, on the hand-built fixture (see conftest)."""
from datetime import date

import pandas as pd

from dprk_relations.rules import evidence
from dprk_relations.analysis import published, uncertainty
from dprk_relations.rules.relations import build_spells, stock_on

AS_OF = date(2023, 10, 1)


def band_on(data, days):
    return uncertainty.stock_band(data.events, data.sources, data.states, data.successions, AS_OF, days)


def test_a_year_precision_break_widens_the_band_within_its_year(dataset):
    # Chile 'severed 1973': counted until 31 December 1973, but it may have been 1 January
    low, high = band_on(dataset, [date(1973, 6, 30)])
    spells = build_spells(dataset.events, dataset.states, dataset.successions, AS_OF)
    assert int(stock_on(spells, [date(1973, 6, 30)])[0]) == 4
    assert (int(low[0]), int(high[0])) == (3, 4)


def test_a_suspension_counted_as_in_force_raises_the_top_of_the_band(dataset):
    low, high = band_on(dataset, [date(1975, 12, 31), date(1999, 12, 31)])
    assert list(low) == [3, 5] and list(high) == [4, 6]  # Australia, suspended 1975 to 2000


def test_the_band_always_contains_the_pipelines_own_reading(dataset):
    days = [date(y, 12, 31) for y in range(1948, 2023)]
    low, high = band_on(dataset, days)
    main = stock_on(build_spells(dataset.events, dataset.states, dataset.successions, AS_OF), days)
    assert (low <= main).all() and (main <= high).all()


def test_another_sources_date_moves_the_band(dataset):
    extra = pd.DataFrame([dict(event_id="CUB-established-1", citation="Other", url="https://example.org/o", origin="other",
                               date_given="1959-01-02", precision_given="day", quote="", reading="differs", line=99)])
    sources = pd.concat([dataset.sources, extra], ignore_index=True)
    low, high = uncertainty.stock_band(dataset.events, sources, dataset.states, dataset.successions, AS_OF, [date(1959, 6, 30)])
    assert (int(low[0]), int(high[0])) == (2, 3)  # USSR, Czechoslovakia; Cuba too under the other source's date


def test_published_count_beside_the_data(dataset):
    days = published.band_days(dataset.published_counts, AS_OF)
    assert days == [date(1975, 12, 31)]
    spells = build_spells(dataset.events, dataset.states, dataset.successions, AS_OF)
    table = published.compare(dataset.published_counts, spells, dataset.states, AS_OF, band_on(dataset, days))
    row = table.iloc[0]
    assert (row["published"], row["derived"], row["derived_low"], row["derived_high"], row["difference"]) == (4, 3, 3, 4, 1)
    assert bool(row["within_band"]) and row["explanation"] == ""


def test_a_large_difference_names_the_states_nearest_in_time(dataset):
    counts = dataset.published_counts.assign(count="6")
    spells = build_spells(dataset.events, dataset.states, dataset.successions, AS_OF)
    row = published.compare(counts, spells, dataset.states, AS_OF).iloc[0]
    assert row["difference"] == 3
    assert row["explanation"].endswith("nearest in time: AUS (until 1975-10-31), CHL (until 1973-12-31)")


def test_a_lower_bound_differs_only_when_the_data_fall_below_it():
    assert published.difference(160, 165, "at_least") == 0
    assert published.difference(160, 157, "at_least") == 3
    assert published.difference(160, 165, "approximate") == 0  # 'approximately 160' admits 155 to 165
    assert published.difference(160, 166, "approximate") == -1


def test_a_count_after_the_cut_off_is_left_out(dataset):
    spells = build_spells(dataset.events, dataset.states, dataset.successions, date(1970, 1, 1))
    assert published.compare(dataset.published_counts, spells, dataset.states, date(1970, 1, 1)).empty


def test_formal_act_needs_a_note_and_a_window_no_chosen_source():
    event = dict(date="1960", precision="year", date_rule="formal_act", note="", earliest="", latest="")
    source = dict(reading="chosen", date_given="1960", precision_given="year", citation="c")
    assert evidence.rule_problems(event, [source]) == [("note", "is empty; 'formal_act' needs the note to say which act the other sources date")]
    window = dict(date="", precision="window", date_rule="window", note="n", earliest="1959", latest="1961")
    bounds = [dict(reading="earliest", date_given="1959"), dict(reading="latest", date_given="1961"), dict(source, date_given="1960")]
    assert evidence.rule_problems(window, bounds) == [("date_rule", "a window has no chosen source; a source that dates the event makes it a dated event")]
