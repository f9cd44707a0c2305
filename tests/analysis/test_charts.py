"""The charts (analysis/charts.py), drawn from tiny tables built by hand and read back through matplotlib's
public API (the axes' lines, patches, collections, texts and legends), never their pixels: what each chart
draws is the table's numbers, labelled for the focal state, with the report's fixed style."""
from __future__ import annotations

from types import SimpleNamespace

import matplotlib
import matplotlib.pyplot as plt
import pandas as pd
import pytest
from matplotlib.colors import to_rgba

from dprk_relations.analysis import charts, figures


@pytest.fixture(autouse=True)
def _figures_closed():
    yield
    plt.close("all")


YEARLY = pd.DataFrame({"year": [1948, 1949, 1950], "maintaining": [9, 10, 12], "maintaining_low": [8, 9, 11],
                       "maintaining_high": [9, 11, 13], "ever_established": [9, 11, 14],
                       "share_of_un_members": [0.0, 0.1, 0.25]})


def legend_of(ax) -> list[str]:
    return [t.get_text() for t in ax.get_legend().get_texts()]


def test_the_missions_chart_joins_no_two_lists_and_its_legend_is_readable():
    counts = pd.DataFrame({"plotted_at": ["2014-07-02", "2024-01-16", "2017-10-01"],
                           "direction": ["dprk_abroad", "dprk_abroad", "foreign_in_pyongyang"],
                           "listing": ["resident"] * 3, "coverage": ["complete"] * 3,
                           "listed": [50, 44, 23], "stated_total": [None, 44, None]})
    fig = figures.missions_chart(counts)
    ax = fig.axes[0]
    assert len(ax.lines) == 0  # two lists ten years apart are two publications, not a series
    legend = ax.get_legend()
    assert len(legend.get_texts()) == 2 and min(t.get_fontsize() for t in legend.get_texts()) >= 9


def test_every_chart_is_drawn_in_the_one_style_whose_svg_ids_do_not_change_between_runs():
    matplotlib.rcParams["svg.hashsalt"] = None
    charts.un_share_chart(YEARLY)
    assert matplotlib.rcParams["svg.hashsalt"] == charts.SVG_HASH_SALT
    assert matplotlib.rcParams["svg.fonttype"] == "path" and matplotlib.rcParams["figure.dpi"] == charts.PNG_DPI


def test_the_report_s_chart_draws_the_stock_the_band_the_published_counts_and_the_cumulative_line():
    points = pd.DataFrame({"x": [1949.5], "published": [10]})
    ax = charts.maintaining_chart(YEARLY, "1950-06-30", points).axes[0]
    assert [(line.get_label(), list(line.get_ydata())) for line in ax.lines] == [
        ("maintaining relations", [9, 10, 12]), ("ever established (cumulative)", [9, 11, 14])]
    band, published = ax.collections
    assert band.get_label() == "range under other readings of the sources"
    assert published.get_offsets().tolist() == [[1949.5, 10.0]]
    assert legend_of(ax) == ["range under other readings of the sources", "maintaining relations",
                             "published counts (data/raw/published_counts.csv)", "ever established (cumulative)"]
    assert [t.get_text() for t in ax.texts] == ["12 on 1950-06-30"]  # the last year's stock, on the cut-off
    assert ax.get_title(loc="left") == "Number of states maintaining diplomatic relations with the DPRK"
    assert ax.get_ylim() == (0, 180)  # never below 180: charts of two cut-offs compare by eye
    assert [t.get_text() for t in ax.figure.texts] == [charts.CHART_SOURCES["PRK"]]


def test_the_report_s_chart_without_a_band_or_points_and_for_the_rok_and_above_180():
    high = YEARLY.drop(columns=["maintaining_low", "maintaining_high"]).assign(ever_established=[150, 190, 200])
    ax = charts.maintaining_chart(high, "1950-06-30", pd.DataFrame({"x": [], "published": []}), focal="KOR").axes[0]
    assert list(ax.collections) == [] and legend_of(ax) == ["maintaining relations", "ever established (cumulative)"]
    assert ax.get_title(loc="left") == "Number of states maintaining diplomatic relations with the ROK"
    assert ax.get_ylim() == (0, 210)  # the highest line, and ten more
    assert [t.get_text() for t in ax.figure.texts] == [charts.CHART_SOURCES["KOR"]]


def test_establishments_are_stacked_by_region_per_year_with_a_zero_for_a_quiet_year():
    flows = pd.DataFrame({"year": [1948, 1948, 1950, 1950], "continent": ["Europe", "Asia", "Europe", "Europe"],
                          "event": ["established", "established", "established", "severed"], "count": [9, 1, 2, 5]})
    ax = charts.establishments_stacked(flows, [1948, 1949, 1950]).axes[0]
    bars = [(round(p.get_x() + p.get_width() / 2), p.get_y(), p.get_height()) for p in ax.patches]
    # Asia at the bottom (regions in order), Europe on top of it; the severance of 1950 is no establishment
    assert bars == [(1948, 0, 1), (1949, 0, 0), (1950, 0, 0), (1948, 1, 9), (1949, 0, 0), (1950, 0, 2)]
    assert legend_of(ax) == ["Asia", "Europe"]
    assert ax.get_ylim() == (0, 10 * 1.15 + 1)  # headroom above the tallest year (10)
    assert ax.get_title(loc="left") == "States establishing relations with the DPRK, per year, by region"


def test_the_decade_heatmap_writes_each_count_and_says_so_when_there_is_none():
    matrix = pd.DataFrame({"1940": [1, 9], "1950": [0, 2]}, index=["Asia", "Europe"])
    ax = charts.decade_heatmap(matrix).axes[0]
    assert [t.get_text() for t in ax.texts] == ["1", "0", "9", "2"]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Asia", "Europe"]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["1940", "1950"]
    empty = charts.decade_heatmap(pd.DataFrame()).axes[0]
    assert [t.get_text() for t in empty.texts] == ["No establishment by the cut-off"]
    assert list(empty.get_xticks()) == [] and list(empty.get_yticks()) == []


def test_the_un_share_is_in_percent_with_the_report_s_80_percent_line_for_the_dprk_only():
    ax = charts.un_share_chart(YEARLY).axes[0]
    share, line = ax.lines
    assert list(share.get_ydata()) == [0.0, 10.0, 25.0] and list(line.get_ydata()) == [80, 80]
    assert [t.get_text() for t in ax.texts] == ["80% (the report: 'over 80 percent')"] and ax.get_ylim() == (0, 100)
    rok = charts.un_share_chart(YEARLY, focal="KOR").axes[0]
    assert len(rok.lines) == 1 and list(rok.texts) == []
    assert rok.get_title(loc="left") == "Share of UN member states maintaining relations with the ROK"


def test_a_complete_list_of_missions_is_a_filled_marker_and_a_partial_one_its_stated_total_hollow():
    counts = pd.DataFrame({"plotted_at": ["2014-07-02", "2017-10-01"], "direction": ["dprk_abroad", "foreign_in_pyongyang"],
                           "listing": ["resident", "operating"], "coverage": ["partial", "complete"], "listed": [20, 23],
                           "stated_total": [47, None]})
    ax = charts.missions_chart(counts).axes[0]
    partial, complete = ax.collections
    assert partial.get_label() == "DPRK missions abroad: resident (total a partial list states)"
    assert partial.get_offsets().tolist() == [[2014 + 182 / 365, 47.0]]  # the total it states, not its 20 rows
    assert len(partial.get_facecolor()) == 0 and partial.get_edgecolor().tolist() == [list(to_rgba("#b0202e"))]
    assert complete.get_label() == "foreign missions in Pyongyang: operating (complete list)"
    assert complete.get_offsets().tolist() == [[2017 + 273 / 365, 23.0]]
    assert complete.get_facecolor().tolist() == [list(to_rgba("#1f4e79"))]
    assert ax.get_ylim() == (0, 60)
    empty = charts.missions_chart(counts.iloc[0:0]).axes[0]
    assert [t.get_text() for t in empty.texts] == ["No published list of resident missions in the data"]
    assert empty.get_legend() is None
    assert list(empty.get_xticks()) == [] and list(ax.get_xticks()) != []  # no dates to mark without a list


def test_the_map_colours_each_outline_by_its_state_s_period_and_status_and_the_focal_state_apart():
    square = [(0, 0), (1, 0), (1, 1)]
    outlines = [SimpleNamespace(code=c, rings=[square]) for c in ("AAA", "GRL", "CCC", "PRK", "TWN")]
    table = pd.DataFrame({"iso3": ["AAA", "CCC"], "outlines": ["AAA GRL", "CCC"], "period": ["1948-1959", ""],
                          "status": ["in force", "never"]})
    fig = charts.partners_map(outlines, table, ["1948-1959", "1960-1969"], "2023-10-01")
    first, status = fig.axes

    def colours(ax):
        (polygons,) = ax.collections
        return [tuple(c) for c in polygons.get_facecolors()]

    expected = {"first": ["#67000d", "#67000d", "#bdbdbd", "#252525", "#f0f0f0"],
                "status": ["#2c7fb8", "#2c7fb8", "#bdbdbd", "#252525", "#f0f0f0"]}
    assert colours(first) == [to_rgba(c) for c in expected["first"]]  # Greenland as its state; no state: grey
    assert colours(status) == [to_rgba(c) for c in expected["status"]]
    assert status.get_title(loc="left") == "Status of relations on 2023-10-01"
    assert legend_of(first) == ["1948-1959", "1960-1969", "never", "the DPRK", "not a state of the data"]
    assert legend_of(status) == ["in force", "broken or suspended", "never had relations", "the DPRK", "not a state of the data"]


def test_the_race_stacks_the_four_groups_and_draws_each_korea_s_count():
    race = pd.DataFrame({"year": [1990, 1991], "dprk_only": [3, 2], "both": [1, 2], "rok_only": [4, 4], "neither": [2, 3],
                         "dprk": [4, 4], "rok": [5, 6]})
    ax = charts.race_chart(race, "1991-06-30").axes[0]
    assert [c.get_label() for c in ax.collections] == ["DPRK only", "both Koreas", "ROK only", "neither"]
    top = ax.collections[-1].get_paths()[0].vertices[:, 1].max()
    assert top == 11  # the four groups of 1991 add up to every state (2 + 2 + 4 + 3)
    assert [(line.get_label(), list(line.get_ydata())) for line in ax.lines] == [
        ("with the DPRK (all)", [4, 4]), ("with the ROK (all)", [5, 6])]
    assert ax.get_xlabel() == "year (states existing at 31 December; the cut-off 1991-06-30 in its year)"
