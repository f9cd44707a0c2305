"""The HTML report: an index page (chart, key numbers, claims, provenance) and each executed
notebook rendered as HTML. Every text that comes from the data is escaped (Jinja autoescape)."""
from __future__ import annotations

import csv
import hashlib
import json
import platform
import time
from pathlib import Path

from . import pages, paths
from .changes import COMMITTED
from .outputs import atomic_write, sha256_file
from .params import Params

TITLE = "Isolation or integration? North Korea's diplomatic network: a reproducible check"
FIGURES = [
    ("maintaining", "Number of states maintaining diplomatic relations with the DPRK", "maintaining_chart"),
    ("establishments_by_region", "Establishments per year, stacked by region", "establishments_stacked"),
    ("region_decade_heatmap", "Establishments by region and decade", "decade_heatmap"),
    ("un_share", "Share of UN members maintaining relations", "un_share_chart"),
    ("missions", "Resident diplomatic missions, by published list", "missions_chart"),
    ("map", "Partners by period of first establishment and by status on the cut-off", "partners_map"),
]
# A published count within this many states of the derived one is taken as matching (issue 9's target).
PUBLISHED_TOLERANCE = 3
NOTEBOOKS = ["01-ingest", "02-yearly-counts", "03-waves", "04-figures", "05-claims"]
TEMPLATES = Path(__file__).resolve().parent / "templates"
# The page's one script (filters, anchors), shipped beside index.html: the page's CSP allows scripts from 'self' only.
SCRIPT = TEMPLATES / "report.js"
PROCESSED_READ = ("yearly_counts.csv", "events.csv", "sources.csv", "left_out.csv", "claims_checked.csv", "claims_verdicts.csv",
                  "published_comparison.csv", "state_status.csv", "waves.csv", "periods.csv", "regional_waves.csv",
                  "wave_makeup.csv")


def _env():
    import jinja2

    return jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                              undefined=jinja2.StrictUndefined, keep_trailing_newline=True)


def _read_csv(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def report_inputs(params: Params) -> dict[str, str | None]:
    files = [params.processed_dir / n for n in PROCESSED_READ]
    files += [params.reports_dir / "notebooks" / f"{n}.ipynb" for n in NOTEBOOKS]
    files += [params.figures_dir / f"{name}.png" for name, _, _ in FIGURES]
    files += sorted(TEMPLATES.glob("*.j2")) + [SCRIPT] + sorted((TEMPLATES / "nbconvert").rglob("*.*"))
    return {paths.relative(f): sha256_file(f) for f in files}


def build_report(params: Params, records: dict, versions: dict, previous: dict, force: bool = False,
                 changed=None, baseline: bytes | None = None) -> dict:
    """Render the HTML pages unless their inputs are unchanged; return the step's manifest record.

    `changed` lists the claims that differ from the committed data (`baseline`, whose hash is an input)."""
    inputs = report_inputs(params)
    inputs["committed:" + COMMITTED] = hashlib.sha256(baseline).hexdigest() if baseline is not None else None
    from .pipeline import code_hash, module_closure

    code = code_hash(module_closure([Path(__file__).read_text(encoding="utf-8")]) + ["report"])
    key = hashlib.sha256(json.dumps({"inputs": inputs, "params": params.values, "versions": versions,
                                     "code": code, "python": platform.python_version()}, sort_keys=True).encode()).hexdigest()
    pages = [params.reports_dir / "index.html", params.reports_dir / SCRIPT.name] + \
        [params.reports_dir / "notebooks" / f"{n}.html" for n in NOTEBOOKS]
    outputs = {paths.relative(p): sha256_file(p) for p in pages}
    if not force and previous.get("key") == key and previous.get("outputs") == outputs and all(outputs.values()):
        print("  [06-html-report] up to date, skipped", flush=True)
        status, seconds = "skipped", 0.0
    else:
        print("  [06-html-report] rendering HTML ...", flush=True)
        t0 = time.perf_counter()
        render_notebooks(params)
        atomic_write(pages[0], render_index(params, records, versions, inputs, changed).encode("utf-8"))
        atomic_write(pages[1], SCRIPT.read_bytes())
        seconds = round(time.perf_counter() - t0, 2)
        outputs = {paths.relative(p): sha256_file(p) for p in pages}
        status = "ran"
    return {"key": key, "status": status, "seconds": seconds, "inputs": inputs, "outputs": outputs}


def render_notebooks(params: Params) -> None:
    import nbformat
    from nbconvert import HTMLExporter

    # the lab template, without the scripts it loads from a network (require.js, MathJax, widgets)
    exporter = HTMLExporter(template_name="offline", extra_template_basedirs=[str(TEMPLATES / "nbconvert")])
    exporter.embed_images = False
    for name in NOTEBOOKS:
        source = params.reports_dir / "notebooks" / f"{name}.ipynb"
        nb = nbformat.read(source, as_version=4)
        body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": name}})
        atomic_write(source.with_suffix(".html"), body.encode("utf-8"))


def render_index(params: Params, records: dict, versions: dict, inputs: dict, changed=None) -> str:
    from .explore import STATUSES  # pandas: only when the page is rendered

    def read(name: str) -> list[dict]:
        return _read_csv(params.processed_dir / name)

    as_of = params.values["as_of"]
    yearly = read("yearly_counts.csv")
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
    all_inputs = sorted({name: digest for r in records.values() for name, digest in r["inputs"].items()}.items())
    claims, after_cut_off = pages.claims_view(read("claims_checked.csv"), status, as_of)
    names = {s["iso3"]: s["name"] for s in status}
    makeup = read("wave_makeup.csv")
    waves = [{**w, "makeup": [{**m, "states": [(c, names.get(c, c)) for c in m["states"].split()]}
                              for m in makeup if (m["start"], m["end"]) == (w["start"], w["end"])]}
             for w in read("waves.csv")]
    return _env().get_template("index.html.j2").render(
        title=TITLE, seed=paths.SEED_REPORT_NAME, as_of=as_of,
        verdicts=read("claims_verdicts.csv"),
        key=key_numbers,
        figures=[{"name": n, "title": t, "function": f} for n, t, f in FIGURES],
        notebooks=[{"name": f"{n}.ipynb", "html": f"{n}.html"} for n in NOTEBOOKS],
        claims=claims, after_cut_off=after_cut_off,
        comparison=comparison, comparison_close=close, tolerance=PUBLISHED_TOLERANCE,
        parameters=params.shown(), versions=versions, inputs=all_inputs,
        changed=changed, committed=COMMITTED,
        states=pages.state_histories(status, events, read("sources.csv")),
        regions=sorted({s["m49_region"] for s in status if s["m49_region"]}),
        statuses=STATUSES, years=pages.years(yearly, events, as_of),
        waves=waves, periods=read("periods.csv"), regional_waves=read("regional_waves.csv"),
    )


def render_run_log(manifest: dict) -> str:
    return _env().get_template("run.html.j2").render(manifest=manifest)
