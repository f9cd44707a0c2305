"""Every table, figure and step of the pipeline, declared once.

The runner's reads, writes and run order, the dataset the ingest step returns, the processed tables
`store` reads and writes, and the report's lists of figures and notebooks all derive from here.
A step that reads or writes a table it does not declare stops with a message naming it
(`store.read_table`, `store.save`), and a run fails if any file appears that no step declares.

Adding a figure: a function in `figures.py` returning a `figures.Drawn`, an entry in FIGURES (notebook
04 loops over its figures, figures_of("04-figures"); a new table it reads is a name in the step's reads).
Adding a processed table: its columns in COLUMNS, its name in the writing step's `writes` and in each
reader's `reads`.
Adding a raw table: the CSV and its schema in data/raw/datapackage.json (the runner reads the
descriptor), a name in INGEST_TABLES, a field of `dataset.Dataset`, and its parsing in `ingest.load`.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field, replace

from dprk_relations.core.paths import ROOT

# The tables the ingest step returns and writes to data/processed, each from the raw resource of the
# same name in datapackage.json (the one exception named).
INGEST_TABLES = {
    "states": "states", "events": "events", "sources": "sources", "no_relations": "no_relations",
    "successions": "successions", "groups": "groups", "memberships": "dprk_memberships", "claims": "claims",
    "published_counts": "published_counts", "acts": "acts", "mission_snapshots": "mission_snapshots",
    "missions": "missions", "peer_reconciliation": "peer_reconciliation",
}


# Column names and types of every processed table, in file order: `name` is text, `name:int` an integer
# in every row, `name:int?` an integer or empty, `name:float` a number, `name:date?` an ISO date or empty
# (read as datetime.date), `*:int` every further column (a table whose columns follow the parameters:
# establishments_by_decade has one per decade of the run). `store.read_table` reads a table with these
# types and names the file, row and column of a value that is not one; `store.save` refuses a table whose
# columns are not these.
COLUMNS = {
    "states": "line:int iso3 name kind existed_from existed_from_precision existed_to existed_to_precision "
              "un_member_from:int? un_member_to:int? m49_region source source_url note existed_from_earliest:date? "
              "existed_from_latest:date? existed_to_earliest:date? existed_to_latest:date? continent",
    "events": "line:int event_id iso3 state event date precision earliest latest date_rule note date_earliest:date? "
              "date_latest:date? year:int? order_date:date? m49_region continent source source_url n_sources:int? "
              "n_origins:int? alt_date alt_precision alt_source",
    "sources": "line:int event_id citation url origin date_given precision_given quote quote_en dateline via reading "
               "quote_lacks",
    "no_relations": "line:int iso3 state source source_url note",
    "successions": "line:int predecessor successor date precision kind source source_url note date_earliest:date? "
                   "date_latest:date?",
    "groups": "line:int group iso3 joined joined_precision left left_precision source source_url note "
              "joined_earliest:date? joined_latest:date? left_earliest:date? left_latest:date?",
    "memberships": "line:int organisation acronym joined joined_precision left left_precision source source_url "
                   "corroboration corroboration_url note joined_earliest:date? joined_latest:date? left_earliest:date? "
                   "left_latest:date?",
    "claims": "line:int claim_id document section quote check arguments comparison expected tolerance claim_date "
              "subject_until note",
    "published_counts": "line:int count_id count_date precision count:int? qualifier quantity un_members_only "
                        "includes_palestine includes_sadr citation url quote note count_date_earliest:date? "
                        "count_date_latest:date?",
    "acts": "line:int iso3 state actor kind mission city date precision citation url quote note date_earliest:date? "
            "date_latest:date?",
    "mission_snapshots": "line:int snapshot snapshot_date precision direction listing coverage stated_total:int? "
                         "stated_scope citation url note snapshot_date_earliest:date? snapshot_date_latest:date?",
    "missions": "line:int snapshot iso3 city kind note",
    "peer_reconciliation": "line:int peer iso3 resolution citation url quote note",
    "left_out": "iso3 state event date precision earliest latest source",
    "spells": "iso3 start:date? end:date? start_reason end_reason",
    "yearly_counts": "year:int measured_on established:int suspended:int severed:int restored:int maintaining:int "
                     "maintaining_low:int maintaining_high:int ever_established:int un_members:int "
                     "un_members_maintaining:int share_of_un_members:float in_established:int in_restored:int "
                     "in_continued:int out_severed:int out_suspended:int out_state_ended:int",
    "published_comparison": "count_id count_date measured_on quantity convention qualifier as_written published:int? "
                            "derived:int? derived_low:int? derived_high:int? difference:int? within_band explanation "
                            "citation url",
    "state_status": "iso3 name m49_region continent status first_established first_precision first_year:int? first_via "
                    "period last_event last_event_date events:int years_in_force",
    "flows_by_region": "m49_region year:int? event count:int",
    "flows_by_continent": "continent year:int? event count:int",
    "flows_by_group": "group year:int established:int",
    "establishments_by_decade": "continent *:int",
    "waves": "start:int end:int established:int peak_year:int peak_established:int",
    "periods": "period start:int end:int narrative established:int restored:int severed:int suspended:int "
               "maintaining_at_end:int detected_waves agreement",
    "regional_waves": "region start:int end:int established:int peak_year:int peak_established:int",
    "wave_makeup": "start:int end:int region established:int states",
    "claims_checked": "claim_id document section quote check claim_date subject_until expected value verdict detail "
                      "evidence",
    "claims_verdicts": "verdict claims:int",
    "peer_agreement": "peer year:int both:int peer_only:int data_only:int peer_in_data:float",
    "peer_disagreements": "peer iso3 state years levels resolution citation url quote note",
    "race": "year:int measured_on dprk_only:int rok_only:int both:int neither:int dual_share:float dprk:int dprk_low:int "
            "dprk_high:int rok:int rok_low:int rok_high:int",
    "race_switches": "iso3 state broke_with break_event break_date break_precision opened_with opening_event opening_date "
                     "opening_precision days_apart:int order",
    "race_years": "iso3 name dprk_years rok_years",
    "race_events": "korea iso3 event_id event date precision source source_url",
}
COLUMN_TYPES = ("str", "int", "int?", "float", "date?")
ANY_COLUMN = "*"


def columns(table: str) -> dict[str, str]:
    """A processed table's declared columns, name to type, in file order (`*` for any further column)."""
    if table not in COLUMNS:
        raise KeyError(f"catalogue.py declares no columns for the table {table!r}: add it to COLUMNS")
    declared = {}
    for item in COLUMNS[table].split():
        name, _, kind = item.partition(":")
        declared[name] = kind or "str"
    return declared


@dataclass(frozen=True)
class Figure:
    name: str  # files reports/figures/<name>.svg, .png and .csv (the table it draws)
    title: str  # "{focal}" stands for the focal state's short name (DPRK, ROK)
    function: str  # in dprk_relations.analysis.figures: draws it from the step's inputs, returns a figures.Drawn
    step: str = "04-figures"  # the step that draws it (the race's figure is drawn where the race is counted)


FIGURES = [
    Figure("maintaining", "Number of states maintaining diplomatic relations with the {focal}", "draw_maintaining"),
    Figure("establishments_by_region", "Establishments per year, stacked by region", "draw_establishments_by_region"),
    Figure("region_decade_heatmap", "Establishments by region and decade", "draw_region_decade_heatmap"),
    Figure("un_share", "Share of UN members maintaining relations", "draw_un_share"),
    Figure("missions", "Resident diplomatic missions, by published list", "draw_missions"),
    Figure("map", "Partners by period of first establishment and by status on the cut-off", "draw_map"),
    Figure("race", "Both Koreas: states with relations with the DPRK only, the ROK only, both or neither", "draw_race",
           "07-race"),
]
FIGURE_FORMATS = ("svg", "png", "csv")
# Files beside the figures that no figure is alone: the published counts the chart marks, and the base map's
# outlines the report's map by year colours.
FIGURE_EXTRAS = ("figures/maintaining_published.csv", "figures/map_outlines.svg")
# The independent dataset the peers step compares with (data/external/cow_diplomatic_exchange/README.md).
PEER_FILES = tuple(f"data/external/cow_diplomatic_exchange/{name}"
                   for name in ("cow_dprk_rows.csv", "cow_rok_rows.csv", "cow_codes.csv"))
BASE_MAP = tuple(f"data/external/naturalearth_110m/naturalearth_lowres.{ext}" for ext in ("shp", "shx", "dbf", "prj", "cpg"))


def figures_of(step: str) -> list[Figure]:
    """The figures a step draws (04-figures loops over its own)."""
    return [f for f in FIGURES if f.step == step]


def figure_files(step: str = "04-figures") -> tuple[str, ...]:
    extras = FIGURE_EXTRAS if step == "04-figures" else ()
    return tuple(f"figures/{f.name}.{ext}" for f in figures_of(step) for ext in FIGURE_FORMATS) + extras


@dataclass(frozen=True)
class Step:
    """One step: a notebook (or, for the report, a function), what it reads and what it writes.

    `reads_raw`: the raw data package (every resource of datapackage.json); `reads`: processed tables;
    `writes`: processed tables (a name) or report files ("figures/map.svg", "index.html");
    `reads_raw_of`: the raw packages of the focal states named; `reads_external`: files shipped in the repository, relative to its root."""

    name: str
    notebook: str | None
    after: tuple[str, ...]
    reads: tuple[str, ...] = ()
    writes: tuple[str, ...] = ()
    reads_raw: bool = False
    # the raw packages of these focal states (core/focal.py), whatever the run's own: the race reads both Koreas'
    reads_raw_of: tuple[str, ...] = ()
    reads_external: tuple[str, ...] = ()
    reads_committed: tuple[str, ...] = field(default=())  # files as the last commit holds them


REPORT = "08-html-report"
# The focal states whose raw packages the race reads whatever the run's own (core/focal.py codes): the race step,
# the claims (the race's checks read the other Korea's list) and the report (its bundle holds both lists).
BOTH_KOREAS = ("PRK", "KOR")
STEPS = [
    Step("01-ingest", "01-ingest.ipynb", (), reads_raw=True, writes=tuple(INGEST_TABLES) + ("left_out",)),
    Step("02-yearly-counts", "02-yearly-counts.ipynb", ("01-ingest",),
         reads=("states", "events", "sources", "successions", "published_counts"),
         writes=("spells", "yearly_counts", "published_comparison", "state_status")),
    Step("03-waves", "03-waves.ipynb", ("02-yearly-counts",), reads=("states", "events", "groups", "yearly_counts"),
         writes=("flows_by_region", "flows_by_continent", "flows_by_group", "establishments_by_decade", "waves",
                 "periods", "regional_waves", "wave_makeup")),
    Step("04-figures", "04-figures.ipynb", ("03-waves",),
         reads=("yearly_counts", "flows_by_continent", "establishments_by_decade", "published_comparison",
                "mission_snapshots", "missions", "state_status"),
         writes=figure_files(), reads_external=BASE_MAP),
    Step("05-claims", "05-claims.ipynb", ("02-yearly-counts",),
         reads=("states", "events", "groups", "memberships", "claims", "spells", "acts", "mission_snapshots", "missions",
                "sources", "successions"), reads_raw_of=BOTH_KOREAS,  # the race's claims read the other Korea's list
         writes=("claims_checked", "claims_verdicts")),
    Step("06-peers", "06-peers.ipynb", ("02-yearly-counts",), reads=("states", "spells", "peer_reconciliation"),
         writes=("peer_agreement", "peer_disagreements"), reads_external=PEER_FILES),
    # both Koreas' lists under the run's cut-off, whichever the run's focal state (analysis/race.py): the run's own
    # as 01-ingest checked it (read, not checked again), the other Korea's from its raw package
    Step("07-race", "07-race.ipynb", ("01-ingest",), reads=("states", "events", "sources", "successions"),
         reads_raw_of=BOTH_KOREAS,
         writes=("race", "race_switches", "race_years", "race_events") + figure_files("07-race")),
]
# Every processed table (a bare name some notebook step writes), in run order.
PROCESSED_TABLES = tuple(w for s in STEPS for w in s.writes if "/" not in w and "." not in w)
# The release: the version is pyproject.toml's, its date and title CITATION.cff's (a test keeps CITATION.cff and
# CHANGELOG.md in step with both).
VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
_CITATION = (ROOT / "CITATION.cff").read_text(encoding="utf-8")
RELEASED = re.search(r'^date-released: "?(\d{4}-\d{2}-\d{2})', _CITATION, re.MULTILINE).group(1)
CITED_TITLE = re.search(r'^title: "(.+)"$', _CITATION, re.MULTILINE).group(1)
# What the report hands over: one zip of the data (raw with its schemas, processed, citation, licence,
# provenance) and every processed table as a CSV of its own beside the page.
BUNDLE = f"dprk-relations-data-{VERSION}.zip"
RELEASE_FILES = ("CITATION.cff", "LICENSE", "CHANGELOG.md")
# A notebook step also writes its executed copy (reports/notebooks/) and that copy as an HTML page.
STEPS = [replace(s, writes=s.writes + (f"notebooks/{s.notebook}", f"notebooks/{s.name}.html")) for s in STEPS]
NOTEBOOK_STEPS = list(STEPS)
# The HTML report: an ordinary step, run by a function, after every notebook; it shows the figures' PNG
# files and links the notebooks' pages (a link is not a read: it does not wait for them to be rendered).
STEPS.append(Step(
    REPORT, None, tuple(s.name for s in NOTEBOOK_STEPS),
    reads=PROCESSED_TABLES + tuple(f"figures/{f.name}.png" for f in FIGURES) + ("figures/map_outlines.svg",),
    writes=("index.html", "report.js", "favicon.svg", BUNDLE) + tuple(f"tables/{t}.csv" for t in PROCESSED_TABLES),
    reads_raw=True, reads_raw_of=BOTH_KOREAS, reads_external=RELEASE_FILES,  # the bundle holds both Koreas' lists
    reads_committed=("data/processed/claims_checked.csv",)))
STEP = {s.name: s for s in STEPS}


def is_report_file(output: str) -> bool:
    """Report files live under reports/ ("figures/...", "index.html"); processed tables are bare names."""
    return "/" in output or "." in output


def writer_of(output: str) -> str:
    for s in STEPS:
        if output in s.writes:
            return s.name
    raise KeyError(output)
