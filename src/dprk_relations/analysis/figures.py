"""The report's chart and the figures around it, rendered to deterministic SVG and PNG bytes: each figure of the
catalogue is a function of the step's inputs (draw_*) returning what it draws (the charts are in charts.py)."""
from __future__ import annotations

import io
from dataclasses import dataclass, field

import pandas as pd

# what a figure's function draws with (plt, style) and the charts of the catalogue's figures
from dprk_relations.analysis.charts import (PNG_DPI, decade_heatmap, establishments_stacked, maintaining_chart, missions_chart,
                                            partners_map, plt, race_chart, style, un_share_chart)  # noqa: F401 (style)
from dprk_relations.core.focal import FOCALS


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
        kind = "outline focal" if outline.code == focal else "outline"  # the class the report's script gives the focal state
        paths.append(f'<path class="{kind}" data-code="{escape(outline.code)}" data-state="{escape(state_of.get(outline.code, ""))}" '
                     f'data-via="{" ".join(via.get(outline.code, []))}" d="{d}"><title>{escape(outline.name)}</title></path>')
    return ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="-180 -84 360 142" class="year-map" role="img" '
            'aria-label="Map of the ' + FOCALS[focal].short + '\'s partners at the end of the chosen year">\n'
            '<style>.outline{fill:#d9d9d9;stroke:#fff;stroke-width:.15}.outline.own{fill:#2f7d4f}'
            '.outline.via{fill:#9cc9a8}.outline.focal{fill:#a4161a}</style>\n' + "\n".join(paths) + "\n</svg>\n").encode("utf-8")


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
