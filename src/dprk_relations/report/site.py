"""The HTML report: an index page (chart, key numbers, claims, provenance) and each executed
notebook rendered as HTML. Every text that comes from the data is escaped (Jinja autoescape)."""
from __future__ import annotations

import hashlib
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from dprk_relations.core import catalogue, paths
from dprk_relations.rules.status import STATUSES
from dprk_relations.analysis import pages
from dprk_relations.data import store
from dprk_relations.report import bundle, changes
from dprk_relations.report.changes import COMMITTED
from dprk_relations.core.outputs import atomic_write, csv_rows
from dprk_relations.core.params import Params
from dprk_relations.core.stage import read_path

TITLE = "Isolation or integration? North Korea's diplomatic network: a reproducible check"
# Another focal state's own report (the `focal` parameter): its list under the same rules.
TITLES = {"KOR": "South Korea's diplomatic network: the ROK's list, under the rules of the DPRK's reproduction"}
FIGURES = [(f.name, f.title, f.function, f.step) for f in catalogue.FIGURES]
# The code behind each part of the page, named as a reader imports it; a test resolves every name the page
# shows to a module or function, so a name cannot go stale when code moves.
CODE = {
    "figures": "dprk_relations.analysis.figures",
    "charts": "dprk_relations.analysis.charts",
    "waves": "dprk_relations.analysis.waves",
    "missions_on": "dprk_relations.rules.missions.missions_on",
    "published_compare": "dprk_relations.analysis.published.compare",
    "admitted": "dprk_relations.analysis.published.admitted",
    "stock_band": "dprk_relations.analysis.uncertainty.stock_band",
    "after_cut_off": "dprk_relations.core.dates.after_cut_off",
    "unanswered": "dprk_relations.analysis.pages.unanswered",
    "peers": "dprk_relations.analysis.peers",
    "race": "dprk_relations.analysis.race",
}
# A published count within this many states of the derived one is taken as matching (issue 9's target).
PUBLISHED_TOLERANCE = 3
NOTEBOOKS = [s.name for s in catalogue.NOTEBOOK_STEPS]
TEMPLATES = Path(__file__).resolve().parent / "templates"
# The page's one script (filters, anchors), shipped beside index.html: the page's CSP allows scripts from 'self' only.
SCRIPT = TEMPLATES / "report.js"
FAVICON = TEMPLATES / "favicon.svg"
# The base map's outlines, made by 04-figures (figures.outlines_svg): inlined, so the page's script colours them.
MAP_OUTLINES = "figures/map_outlines.svg"  # a served site is asked for an icon: one of its own, not a 404


def _env():
    import jinja2

    return jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                              undefined=jinja2.StrictUndefined, keep_trailing_newline=True)


def _read_csv(path: Path) -> list[dict]:
    return csv_rows(read_path(path).read_text(encoding="utf-8"))


def build(params: Params, records: dict, versions: dict) -> None:
    """The report step: the index page, its script and its icon (each notebook step renders its own page),
    every processed table beside it and the data bundle. `records` are the other steps' manifest records
    (the provenance table lists their inputs)."""
    changed = changes.against_committed(store.path_of(params, "claims_checked")) if params.focal == changes.REGISTER_OF else None
    repo = changes.repository()
    tables = bundle.tables(params)
    for name, content in tables.items():
        atomic_write(params.reports_dir / "tables" / f"{name}.csv", content)
    # The bundle is compressed in a thread while the page's data are read and the page rendered: zlib lets go
    # of the GIL, so on a large list (scale_check) the two take the time of the longer. The page waits for the
    # zip only where its download section prints the zip's size and hash; the bytes are those of one thread.
    with ThreadPoolExecutor(max_workers=1) as pool:
        zipping = pool.submit(lambda: bundle.zip_bytes(bundle.bundle_files(params, versions, records, repo, tables)))
        context = index_context(params, records, versions, changed, repo=repo)
        download = Download(zipping.result, [{"name": name, "kb": _kb(len(content)), "step": catalogue.writer_of(name)}
                                             for name, content in tables.items()])
        page = _env().get_template("index.html.j2").render(**context, download=download)
        zipped = zipping.result()
    atomic_write(params.reports_dir / catalogue.BUNDLE, zipped)
    atomic_write(params.reports_dir / "index.html", page.encode("utf-8"))
    atomic_write(params.reports_dir / SCRIPT.name, SCRIPT.read_bytes())
    atomic_write(params.reports_dir / FAVICON.name, FAVICON.read_bytes())


class Download:
    """The page's download section: the bundle's name, its size and hash (read from the zip when the page
    reaches them: `zipped` waits for it), and the tables beside the page."""

    bundle = catalogue.BUNDLE

    def __init__(self, zipped, tables: list[dict]):
        self._zipped, self.tables = zipped, tables

    @property
    def kb(self) -> str:
        return _kb(len(self._zipped()))

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self._zipped()).hexdigest()


def _kb(size: int) -> str:
    return f"{max(1, round(size / 1024)):,} KB"


# nbconvert compiles its templates with Python's compiler, which is not safe to run from two threads
# at once: notebook steps running side by side render their pages one at a time.
_RENDER_LOCK = threading.Lock()


def render_notebook(executed: Path) -> Path:
    """An executed notebook as an HTML page beside it (the lab template, offline: nothing from a network)."""
    import nbformat
    from nbconvert import HTMLExporter

    with _RENDER_LOCK:
        exporter = HTMLExporter(template_name="offline", extra_template_basedirs=[str(TEMPLATES / "nbconvert")])
        exporter.embed_images = False
        nb = nbformat.read(read_path(executed), as_version=4)
        body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": executed.stem}})
    # pandas leaves the corner cells of a table's header empty; an empty header cell tells a screen reader
    # nothing (axe-core's empty-table-header): it is a plain cell
    body = re.sub(r"<th((?: [^>]*)?)></th>", r"<td\1></td>", body)
    page = executed.with_suffix(".html")
    atomic_write(page, body.encode("utf-8"))
    return page


def citation(as_of: str, repo: dict) -> str:
    """The ready-to-copy citation of the data and code, with the version, its release date, the repository's
    address where this clone knows it, the cut-off and the commit."""
    where = f" {repo['url']}." if repo.get("url") else ""
    commit = f", git commit {repo['commit'][:12]}" if repo.get("commit") else ""
    return (f"The dprk-relations contributors ({catalogue.RELEASED[:4]}). {catalogue.CITED_TITLE} [data and code], version "
            f"{catalogue.VERSION}, released {catalogue.RELEASED}.{where} Run with cut-off date {as_of}{commit}.")


def render_index(params: Params, records: dict, versions: dict, changed=None, repo: dict | None = None,
                 download: dict | None = None) -> str:
    """The index page (`download`: the bundle's name, size and hash, and the tables beside the page)."""
    return _env().get_template("index.html.j2").render(**index_context(params, records, versions, changed, repo),
                                                       download=download)


def index_context(params: Params, records: dict, versions: dict, changed=None, repo: dict | None = None) -> dict:
    """What the index page shows but the bundle's download line, read from the run's tables."""
    import markupsafe

    declared = catalogue.STEP[catalogue.REPORT].reads

    def read(name: str) -> list[dict]:
        table = name.removesuffix(".csv")
        if table not in declared:
            raise store.UndeclaredAccess(f"{catalogue.REPORT} reads the table {table!r}, which catalogue.py does not declare for it")
        return _read_csv(store.path_of(params, table))

    as_of = params.values["as_of"]
    yearly = read("yearly_counts.csv")
    outlines = read_path(store.path_of(params, MAP_OUTLINES)).read_text(encoding="utf-8")
    last = yearly[-1]
    status = read("state_status.csv")
    events = read("events.csv")
    key_numbers = {
        "maintaining": last["maintaining"],
        "ever": last["ever_established"],
        "share": f"{float(last['share_of_un_members']) * 100:.1f}%",
        "events": len(events),
        "left_out": len(read("left_out.csv")),
    }
    comparison = read("published_comparison.csv")
    close = sum(abs(int(c["difference"])) <= PUBLISHED_TOLERANCE for c in comparison)
    set_apart = len(read("published_counts.csv")) - len(comparison)  # periods ending after the cut-off
    all_inputs = sorted({name: digest for r in records.values() for name, digest in r["inputs"].items()}.items())
    arguments = {c["claim_id"]: c["arguments"] for c in read("claims.csv")}
    claims, after_cut_off = pages.claims_view(read("claims_checked.csv"), status, as_of, arguments)
    names = {s["iso3"]: s["name"] for s in status}
    makeup = read("wave_makeup.csv")
    waves = [{**w, "makeup": [{**m, "states": [(c, names.get(c, c)) for c in m["states"].split()]}
                              for m in makeup if (m["start"], m["end"]) == (w["start"], w["end"])]}
             for w in read("waves.csv")]
    race_years = read("race_years.csv")
    disagreements = read("peer_disagreements.csv")
    return dict(
        title=TITLES.get(params.focal.code, TITLE), seed=paths.SEED_REPORT_NAME, as_of=as_of, focal=params.focal,
        verdicts=read("claims_verdicts.csv"),
        key=key_numbers,
        figures=[{"name": n, "title": t.format(focal=params.focal.short), "function": f, "step": st} for n, t, f, st in FIGURES],
        code=CODE,
        notebooks=[{"name": f"{n}.ipynb", "html": f"{n}.html"} for n in NOTEBOOKS],
        claims=claims, after_cut_off=after_cut_off,
        comparison=comparison, comparison_close=close, comparison_after=set_apart, tolerance=PUBLISHED_TOLERANCE,
        parameters=params.shown(), versions=versions, inputs=all_inputs,
        changed=changed, committed=COMMITTED,
        states=pages.state_histories(status, events, read("sources.csv")),
        regions=sorted({s["m49_region"] for s in status if s["m49_region"]}),
        statuses=STATUSES, years=pages.years(yearly, events, as_of),
        waves=waves, periods=read("periods.csv"), regional_waves=read("regional_waves.csv"),
        peer_agreement=read("peer_agreement.csv"), peer_disagreements=disagreements, state_codes=set(names),
        peer_unanswered=[{**r, "state": names.get(r["iso3"], r["iso3"])}
                         for r in pages.unanswered(read("peer_reconciliation.csv"), disagreements)],
        mission_lists=len(read("mission_snapshots.csv")),  # none for a focal state whose package has no list
        own_raw="/".join(["data/raw", *filter(None, [params.focal.folder])]),  # where the focal state's own tables live
        repo=repo or {"commit": None, "url": None}, citation=citation(as_of, repo or {}),
        version=catalogue.VERSION, released=catalogue.RELEASED, notebook_steps=NOTEBOOKS,
        race=pages.race_view(read("race.csv"), read("race_switches.csv"), race_years),
        other=pages.other_korea(read("race_events.csv"), race_years, params.focal.short),
        map_outlines=markupsafe.Markup(outlines), first_chart_year=yearly[0]["year"], last_chart_year=yearly[-1]["year"],
    )


def render_run_log(manifest: dict) -> str:
    return _env().get_template("run.html.j2").render(manifest=manifest)
