"""The report's chart and the figures around it, rendered to deterministic SVG and PNG bytes."""
from __future__ import annotations

import io
from dataclasses import dataclass, field

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


def _style() -> None:
    matplotlib.rcParams.update({
        "svg.hashsalt": SVG_HASH_SALT,
        "svg.fonttype": "path",
        "font.family": "DejaVu Sans",
        "figure.dpi": PNG_DPI,
    })
    sns.set_theme(style="whitegrid", rc={"svg.hashsalt": SVG_HASH_SALT})


def render(fig) -> dict[str, bytes]:
    """SVG and PNG bytes of a figure, without dates or software versions in their metadata."""
    out = {}
    for fmt, metadata in (("svg", {"Date": None, "Creator": None}), ("png", {"Software": None})):
        buffer = io.BytesIO()
        fig.savefig(buffer, format=fmt, metadata=metadata, bbox_inches="tight", dpi=PNG_DPI)
        out[fmt] = buffer.getvalue()
    plt.close(fig)
    return out


def published_points(comparison: pd.DataFrame) -> pd.DataFrame:
    """The published counts of relations in force, placed on the chart's time axis. The line's point at
    x = year is the stock on 31 December of that year, so a day d of year y sits at y - 1 + (day of year) / (days in year)."""
    pts = comparison[comparison["quantity"] == "in_force"]
    day = pd.to_datetime(pts["measured_on"])
    x = day.dt.year - 1 + day.dt.dayofyear / (365 + day.dt.is_leap_year.astype(int))
    return pd.DataFrame({"count_id": pts["count_id"], "measured_on": pts["measured_on"], "x": x.round(3),
                         "published": pts["published"], "derived": pts["derived"]}).reset_index(drop=True)


def maintaining_chart(yearly: pd.DataFrame, as_of: str, points: pd.DataFrame | None = None, focal: str = "PRK"):
    """The report's chart: states maintaining relations at the end of each year, the band of other
    readings of the sources (when the table has it) and the published counts as points."""
    _style()
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
    _style()
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
    _style()
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
    _style()
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
    _style()
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
NO_STATE_COLOUR, DPRK_COLOUR = "#f0f0f0", "#252525"


def partners_map(outlines, table: pd.DataFrame, periods: list[str], as_of: str, focal: str = "PRK"):
    """Two panels on today's territories: the period of each state's first establishment (a
    successor continuing its predecessor's relations takes its date), and the status on the cut-off."""
    from matplotlib.collections import PolyCollection
    from matplotlib.patches import Patch

    from dprk_relations.analysis.geo import TERRITORY_OF

    _style()
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
            colour = DPRK_COLOUR if outline.code == focal else (colour_of(row) if row is not None and row.iso3 else NO_STATE_COLOUR)
            for ring in outline.rings:
                polygons.append(ring)
                colours.append(colour)
        ax.add_collection(PolyCollection(polygons, facecolors=colours, edgecolors="white", linewidths=0.3))
        ax.set_xlim(-180, 180)
        ax.set_ylim(-58, 84)
        ax.set_aspect("equal")
        ax.set_axis_off()
        ax.set_title(title, loc="left", fontsize=11)
    common = [Patch(color=DPRK_COLOUR, label=f"the {FOCALS[focal].short}"), Patch(color=NO_STATE_COLOUR, label="not a state of the data")]
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
    _style()
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


# --- each figure of catalogue.FIGURES: a function of the step's inputs returning what it draws ---------

@dataclass
class Drawn:
    """A figure, the table it draws (saved beside it as CSV), what the notebook shows of that table, and any
    other table saved beside the figures (catalogue.FIGURE_EXTRAS)."""

    figure: object
    table: pd.DataFrame
    shown: list = field(default_factory=list)  # tables the notebook displays
    extra: dict = field(default_factory=dict)


@dataclass
class Inputs:
    """What 04-figures reads (catalogue: its reads and external files), typed as catalogue.COLUMNS declares."""

    tables: dict
    as_of: str
    first_year: int
    last_year: int
    outlines: list
    focal: str = "PRK"  # the focal state's code (core/focal.py)

    def __getattr__(self, name: str):
        try:
            return self.tables[name]
        except KeyError:
            raise AttributeError(f"04-figures does not read the table {name!r}: declare it in catalogue.py") from None


def inputs(tables: dict, as_of: str, first_year: int, last_year: int, outlines: list, focal: str = "PRK") -> Inputs:
    """The step's tables (typed as catalogue.COLUMNS declares), the decade matrix indexed by continent."""
    decades = tables["establishments_by_decade"].set_index("continent")
    return Inputs({**tables, "establishments_by_decade": decades}, as_of, first_year, last_year, outlines, focal)


def draw_maintaining(data: Inputs) -> Drawn:
    table = data.yearly_counts[["year", "measured_on", "maintaining", "maintaining_low", "maintaining_high", "ever_established"]]
    points = published_points(data.published_comparison)
    return Drawn(maintaining_chart(table, data.as_of, points, data.focal), table, [table.set_index("year"), points],
                 {"figures/maintaining_published.csv": points})


def draw_establishments_by_region(data: Inputs) -> Drawn:
    years = list(range(data.first_year, data.last_year + 1))
    flows = data.flows_by_continent
    table = flows[flows["event"] == "established"].pivot_table(index="year", columns="continent", values="count", aggfunc="sum") \
        .reindex(years, fill_value=0).fillna(0).astype(int).reset_index()
    return Drawn(establishments_stacked(flows, years, focal=data.focal), table, [table.drop(columns="year").sum().to_frame("established")])


def draw_region_decade_heatmap(data: Inputs) -> Drawn:
    matrix = data.establishments_by_decade
    # the cells it colours, one row each (the matrix itself is the processed table establishments_by_decade)
    table = matrix.reset_index().melt(id_vars="continent", var_name="decade", value_name="establishments")
    return Drawn(decade_heatmap(matrix), table, [matrix])


def draw_un_share(data: Inputs) -> Drawn:
    table = data.yearly_counts[["year", "un_members", "un_members_maintaining", "share_of_un_members"]]
    return Drawn(un_share_chart(data.yearly_counts, data.focal), table, [table.iloc[::5].set_index("year")])


def draw_missions(data: Inputs) -> Drawn:
    from dprk_relations.rules import missions

    table = missions.snapshot_counts(data.mission_snapshots, data.missions)
    return Drawn(missions_chart(table), table, [table.drop(columns="citation")])


def draw_race(data: Inputs) -> Drawn:
    table = data.race[["year", "measured_on", "dprk_only", "both", "rok_only", "neither", "dprk", "rok", "dual_share"]]
    return Drawn(race_chart(data.race, data.as_of), table, [table.iloc[::5].set_index("year")])


def outlines_svg(outlines, table: pd.DataFrame, focal: str = "PRK") -> bytes:
    """The base map as plain SVG paths for the report's map by year (its script colours them): each outline
    with the state of the data it draws (`data-state`, territories as their state) and the dissolved states
    whose territory it lay on (`data-via`, geo.DISSOLVED_INTO). Longitude and latitude to 0.1 degree,
    latitude up; the same outlines give the same bytes."""
    from html import escape

    from dprk_relations.analysis.geo import DISSOLVED_INTO

    state_of = {code: row.iso3 for row in table.itertuples() for code in row.outlines.split() if row.iso3}
    via = {}
    for dissolved, codes in DISSOLVED_INTO.items():
        for code in codes:
            via.setdefault(code, []).append(dissolved)
    paths = []
    for outline in outlines:
        d = "".join("M" + "L".join(f"{x:.1f} {-y:.1f}" for x, y in ring) + "Z" for ring in outline.rings)
        kind = "outline dprk" if outline.code == focal else "outline"  # the class the report's script gives the focal state
        paths.append(f'<path class="{kind}" data-code="{escape(outline.code)}" data-state="{escape(state_of.get(outline.code, ""))}" '
                     f'data-via="{" ".join(via.get(outline.code, []))}" d="{d}"><title>{escape(outline.name)}</title></path>')
    return ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="-180 -84 360 142" class="year-map" role="img" '
            'aria-label="Map of the ' + FOCALS[focal].short + '\'s partners at the end of the chosen year">\n'
            '<style>.outline{fill:#d9d9d9;stroke:#fff;stroke-width:.15}.outline.own{fill:#2f7d4f}'
            '.outline.via{fill:#9cc9a8}.outline.dprk{fill:#a4161a}</style>\n' + "\n".join(paths) + "\n</svg>\n").encode("utf-8")


def draw_map(data: Inputs) -> Drawn:
    from dprk_relations.analysis import explore, geo

    table = geo.map_table(data.state_status, data.outlines, data.focal)
    periods = [label for label, _, _ in explore.ESTABLISHMENT_PERIODS]
    shown = table.groupby(["period", "status"], dropna=False).size().to_frame("states")
    no_outline = pd.DataFrame({"no outline at 1:110m": [" ".join(table.loc[table["note"] == "no outline at 1:110m", "iso3"])]})
    return Drawn(partners_map(data.outlines, table, periods, data.as_of, data.focal), table, [shown, no_outline],
                 {"figures/map_outlines.svg": outlines_svg(data.outlines, table, data.focal)})


def files(name: str, drawn: Drawn) -> dict[str, object]:
    """The files of one figure, named as in the catalogue: its SVG, PNG and table, and its extra tables."""
    images = render(drawn.figure)
    return {f"figures/{name}.svg": images["svg"], f"figures/{name}.png": images["png"], f"figures/{name}.csv": drawn.table,
            **drawn.extra}


def image_html(entry, focal: str = "PRK") -> str:
    """The figure in the executed notebook: its SVG file beside the report (reports/figures/), not bytes stored
    in the notebook."""
    from html import escape

    title = entry.title.format(focal=FOCALS[focal].short)
    return f'<h3>{escape(title)}</h3><img src="../figures/{escape(entry.name)}.svg" alt="{escape(title)}" width="720">'


def draw(entry, data: Inputs) -> Drawn:
    """The figure a catalogue entry names (its `function`, in this module)."""
    return globals()[entry.function](data)
