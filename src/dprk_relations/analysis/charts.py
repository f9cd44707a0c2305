"""The charts themselves: matplotlib drawings of the report's chart and the figures around it, in one style
(figures.py turns each into its files: deterministic SVG and PNG bytes and the table it draws)."""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import seaborn as sns  # noqa: E402

from dprk_relations.core.focal import FOCALS  # noqa: E402

# Fixed so that two runs give the same SVG ids; dates and software strings are left out of files.
SVG_HASH_SALT = "dprk-relations"
PNG_DPI = 110
CHART_TITLE = "Number of states maintaining diplomatic relations with the {focal}"
CHART_SOURCES = {
    "PRK": "Source: dprk-relations event list (data/raw/events.csv), after Wertz, Oh & Kim, "
           "DPRK Diplomatic Relations, NCNK, Aug. 2016, updated; reproduces Bondaz, FRS, Oct. 2023.",
    "KOR": "Source: dprk-relations event list of the ROK (data/raw/kor/events.csv), after the ROK foreign ministry's list "
           "(kjayhan/kdiplo), Wikipedia, the partners' ministries and the press.",
}


def style() -> None:
    """The one style of every chart (a new figure's function calls it first)."""
    matplotlib.rcParams.update({
        "svg.hashsalt": SVG_HASH_SALT,
        "svg.fonttype": "path",
        "font.family": "DejaVu Sans",
        "figure.dpi": PNG_DPI,
    })
    sns.set_theme(style="whitegrid", rc={"svg.hashsalt": SVG_HASH_SALT})



def maintaining_chart(yearly: pd.DataFrame, as_of: str, points: pd.DataFrame | None = None, focal: str = "PRK"):
    """The report's chart: states maintaining relations at the end of each year, the band of other
    readings of the sources (when the table has it) and the published counts as points."""
    style()
    fig, ax = plt.subplots(figsize=(9, 4.8))
    if "maintaining_low" in yearly.columns:
        ax.fill_between(yearly["year"], yearly["maintaining_low"], yearly["maintaining_high"], color="#b0202e",
                        alpha=0.18, linewidth=0, step=None, label="range under other readings of the sources")
    ax.plot(yearly["year"], yearly["maintaining"], color="#b0202e", linewidth=2, label="maintaining relations")
    if points is not None and len(points):
        ax.scatter(points["x"], points["published"], s=18, color="#1f4e79", zorder=3, marker="o",
                   label="published counts (data/raw/published_counts.csv)")
    ax.plot(yearly["year"], yearly["ever_established"], color="#555555", linewidth=1, linestyle="--",
            label="ever established (cumulative)")
    last = yearly.iloc[-1]
    ax.annotate(f"{int(last['maintaining'])} on {as_of}", (last["year"], last["maintaining"]),
                xytext=(-110, 25), textcoords="offset points", arrowprops={"arrowstyle": "-", "color": "#888888"})
    ax.set_title(CHART_TITLE.format(focal=FOCALS[focal].short), loc="left", fontsize=12)
    ax.set_xlabel("year (stock at 31 December; the cut-off date in its year)")
    ax.set_ylabel("states")
    ax.set_ylim(0, max(180, int(yearly["ever_established"].max()) + 10))
    ax.legend(loc="lower right", frameon=False, fontsize=9)
    fig.text(0.01, -0.04, CHART_SOURCES[focal], fontsize=7, color="#555555", ha="left")
    return fig


def establishments_stacked(flows: pd.DataFrame, years: list[int], by: str = "continent", focal: str = "PRK"):
    """Establishments per year, stacked by region."""
    style()
    est = flows[flows["event"] == "established"].pivot_table(index="year", columns=by, values="count", aggfunc="sum")
    est = est.reindex(years, fill_value=0).fillna(0)
    fig, ax = plt.subplots(figsize=(10, 4.5))
    bottom = None
    palette = sns.color_palette("colorblind", n_colors=len(est.columns))
    for colour, region in zip(palette, sorted(est.columns)):
        ax.bar(est.index, est[region], bottom=bottom, color=colour, label=region, width=0.85)
        bottom = est[region] if bottom is None else bottom + est[region]
    ax.set_title(f"States establishing relations with the {FOCALS[focal].short}, per year, by region", loc="left", fontsize=12)
    ax.set_xlabel("year")
    ax.set_ylabel("establishments")
    ax.set_ylim(0, float(est.sum(axis=1).max()) * 1.15 + 1)  # headroom above the tallest year
    ax.legend(frameon=False, fontsize=8, loc="upper left", bbox_to_anchor=(1.0, 1.0))  # beside the bars, never over them
    return fig


def decade_heatmap(matrix: pd.DataFrame):
    """Region-by-decade heatmap of establishments."""
    style()
    fig, ax = plt.subplots(figsize=(9, 0.45 * max(len(matrix), 4) + 1.5))
    if matrix.empty:  # a cut-off before the first establishment (9 September 1948): nothing to colour
        ax.text(0.5, 0.5, "No establishment by the cut-off", ha="center", va="center", transform=ax.transAxes)
        ax.set_xticks([])
        ax.set_yticks([])
    else:
        sns.heatmap(matrix, annot=True, fmt="d", cmap="Reds", cbar=False, linewidths=0.5, ax=ax)
    ax.set_title("Establishments of relations by region and decade", loc="left", fontsize=12)
    ax.set_xlabel("decade")
    ax.set_ylabel("")
    return fig


def un_share_chart(yearly: pd.DataFrame, focal: str = "PRK"):
    """Share of UN members (other than the focal state) maintaining relations; for the DPRK, the report's 80%."""
    style()
    fig, ax = plt.subplots(figsize=(9, 4))
    ax.plot(yearly["year"], yearly["share_of_un_members"] * 100, color="#1f4e79", linewidth=2)
    if focal == "PRK":  # the report's statement is about the DPRK
        ax.axhline(80, color="#888888", linestyle=":", linewidth=1)
        ax.text(yearly["year"].min(), 81, "80% (the report: 'over 80 percent')", fontsize=8, color="#555555")
    ax.set_ylim(0, 100)
    ax.set_title(f"Share of UN member states maintaining relations with the {FOCALS[focal].short}", loc="left", fontsize=12)
    ax.set_xlabel("year")
    ax.set_ylabel("% of UN members")
    return fig


MISSION_SERIES = {"dprk_abroad": ("DPRK missions abroad", "#b0202e"),
                  "foreign_in_pyongyang": ("foreign missions in Pyongyang", "#1f4e79")}
LISTING_MARKER = {"resident": "o", "operating": "s", "ambassador_level": "^"}


def missions_chart(counts: pd.DataFrame):
    """Resident missions by published list: a filled marker is a complete list (its rows counted), a hollow
    one the total a partial list states; the marker's shape says what the list counts."""
    style()
    fig, ax = plt.subplots(figsize=(9, 4.2))
    when = pd.to_datetime(counts["plotted_at"])
    x = when.dt.year + (when.dt.dayofyear - 1) / (365 + when.dt.is_leap_year.astype(int))
    for direction, (label, colour) in MISSION_SERIES.items():
        for listing, marker in LISTING_MARKER.items():
            sel = (counts["direction"] == direction) & (counts["listing"] == listing)
            complete = sel & (counts["coverage"] == "complete")
            stated = sel & (counts["coverage"] == "partial") & counts["stated_total"].notna()
            if complete.any():
                ax.scatter(x[complete], counts.loc[complete, "listed"], color=colour, marker=marker, s=40, zorder=3,
                           label=f"{label}: {listing.replace('_', ' ')} (complete list)")
            if stated.any():
                ax.scatter(x[stated], counts.loc[stated, "stated_total"].astype(int), facecolors="none", edgecolors=colour,
                           marker=marker, s=40, zorder=3, label=f"{label}: {listing.replace('_', ' ')} (total a partial list states)")
    # no line joins two lists: each is a different publication, often years apart
    ax.set_title("Resident diplomatic missions, by published list", loc="left", fontsize=12)
    ax.set_xlabel("date the list describes")
    ax.set_ylabel("missions")
    if counts.empty:  # a focal state without published lists of missions in the data
        ax.text(0.5, 0.5, "No published list of resident missions in the data", ha="center", va="center",
                transform=ax.transAxes)
        ax.set_ylim(0, 60)
        ax.set_xticks([])  # no list, no dates: an axis of 0 to 1 would read as years
    else:
        ax.set_ylim(0, max(60, int(counts["listed"].max()) + 10))
        # below the plot, at the size of the axis labels: readable when the chart shrinks to a phone's width
        ax.legend(frameon=False, fontsize=9, loc="upper left", bbox_to_anchor=(0.0, -0.16), ncol=2)
    fig.text(0.01, -0.2, "Source: data/raw/mission_snapshots.csv and missions.csv (each list's citation in the CSV).",
             fontsize=8, color="#555555", ha="left")
    return fig


PERIOD_COLOURS = ["#67000d", "#cb181d", "#fb6a4a", "#fdae6b", "#6baed6", "#2171b5"]
STATUS_COLOURS = {"in force": "#2c7fb8", "suspended": "#f03b20", "broken": "#f03b20", "never": "#bdbdbd"}
STATUS_LABELS = {"in force": "in force", "broken": "broken or suspended", "never": "never had relations"}
NO_STATE_COLOUR, FOCAL_COLOUR = "#f0f0f0", "#252525"


def partners_map(outlines, table: pd.DataFrame, periods: list[str], as_of: str, focal: str = "PRK"):
    """Two panels on today's territories: the period of each state's first establishment (a
    successor continuing its predecessor's relations takes its date), and the status on the cut-off."""
    from matplotlib.collections import PolyCollection
    from matplotlib.patches import Patch

    from dprk_relations.analysis.geo import TERRITORY_OF

    style()
    by_code = {}
    for row in table.itertuples():
        for code in row.outlines.split():
            by_code[code] = row
    fig, axes = plt.subplots(2, 1, figsize=(10, 10.5))
    period_colour = dict(zip(periods, PERIOD_COLOURS))
    for ax, colour_of, title in (
        (axes[0], lambda r: period_colour.get(r.period, STATUS_COLOURS["never"]), "Period of first establishment of relations"),
        (axes[1], lambda r: STATUS_COLOURS.get(r.status, NO_STATE_COLOUR), f"Status of relations on {as_of}"),
    ):
        polygons, colours = [], []
        for outline in outlines:
            row = by_code.get(outline.code)
            colour = FOCAL_COLOUR if outline.code == focal else (colour_of(row) if row is not None and row.iso3 else NO_STATE_COLOUR)
            for ring in outline.rings:
                polygons.append(ring)
                colours.append(colour)
        ax.add_collection(PolyCollection(polygons, facecolors=colours, edgecolors="white", linewidths=0.3))
        ax.set_xlim(-180, 180)
        ax.set_ylim(-58, 84)
        ax.set_aspect("equal")
        ax.set_axis_off()
        ax.set_title(title, loc="left", fontsize=11)
    common = [Patch(color=FOCAL_COLOUR, label=f"the {FOCALS[focal].short}"), Patch(color=NO_STATE_COLOUR, label="not a state of the data")]
    axes[0].legend(handles=[Patch(color=c, label=p) for p, c in period_colour.items()]
                   + [Patch(color=STATUS_COLOURS["never"], label="never")] + common,
                   loc="lower left", fontsize=7, frameon=False)
    axes[1].legend(handles=[Patch(color=STATUS_COLOURS[k], label=v) for k, v in STATUS_LABELS.items()] + common,
                   loc="lower left", fontsize=7, frameon=False)
    territories = ", ".join(f"{a} as {b}" for a, b in sorted(TERRITORY_OF.items()))
    fig.text(0.01, 0.005, "Natural Earth 1:110m outlines (public domain). Dissolved states (the USSR, Czechoslovakia, Yugoslavia, "
             "East Germany, South Yemen) are shown on today's territories: each\nsuccessor with its own relations, Russia and Serbia "
             f"with those they continue. Territories coloured as their state: {territories}.",
             fontsize=6.5, color="#555555", ha="left")
    fig.tight_layout()
    return fig


RACE_SERIES = (("dprk_only", "DPRK only", "#b0202e"), ("both", "both Koreas", "#7b5ea7"), ("rok_only", "ROK only", "#1f4e79"),
               ("neither", "neither", "#d9d9d9"))


def race_chart(race: pd.DataFrame, as_of: str):
    """Both Koreas: the states of each year end stacked by the four groups, each Korea's count as a line."""
    style()
    fig, ax = plt.subplots(figsize=(9, 4.8))
    ax.stackplot(race["year"], *[race[c] for c, _, _ in RACE_SERIES], labels=[label for _, label, _ in RACE_SERIES],
                 colors=[colour for _, _, colour in RACE_SERIES], alpha=0.85, linewidth=0)
    for column, label, colour in (("dprk", "with the DPRK (all)", "#67000d"), ("rok", "with the ROK (all)", "#08306b")):
        ax.plot(race["year"], race[column], color=colour, linewidth=1.5, linestyle="--", label=label)
    ax.set_title("States with relations with the DPRK only, the ROK only, both or neither", loc="left", fontsize=12)
    ax.set_xlabel(f"year (states existing at 31 December; the cut-off {as_of} in its year)")
    ax.set_ylabel("states")
    ax.legend(loc="upper left", frameon=False, fontsize=8, bbox_to_anchor=(1.0, 1.0))
    fig.text(0.01, -0.04, "Source: dprk-relations event lists of both Koreas (data/raw/events.csv, data/raw/kor/events.csv).",
             fontsize=7, color="#555555", ha="left")
    return fig
