"""Issue 19: every text of the raw data that reaches a page of the report is shown as text, never run as
markup or script. Every free-text field of every raw table (a string the schemas of data/raw/datapackage.json
constrain by no pattern and no list of values: enumerated from them, so a new field is covered at once)
gets hostile text in every row of a copy of data/raw; a whole run builds the report from it; the page
must show each such text literally and hold no markup from it.

The hostile text of a row holds a script, an attribute that breaks out of its quotes and an entity, and
names its table, field and line: a page that showed it unescaped would hold a script element or an
onerror attribute, and would show "&amp;" as "&"."""
from __future__ import annotations

import csv
import json
import shutil
import tempfile
from pathlib import Path

import pytest

from dprk_relations.runner import pipeline
from dprk_relations.core import paths
from dprk_relations.core.focal import FOCALS
from dprk_relations.data import ingest
from dprk_relations.rules.problems import RawDataError

from tests.report.html_page import parse

HOSTILE = '<script>alert("{tag}")</script>"><img src=x onerror=alert(1)> &amp; {tag}'
RAW_MARKUP = ("<script>alert(", "<img src=x")

# Fields the ingest reads as values, not text: a check's name, JSON arguments and expectations. Hostile
# text there stops the run (test_the_fields_read_as_values_refuse_hostile_text), so it reaches no page.
READ_AS_VALUES = {
    ("claims", "check"): "the name of a check function (claims.row_problems)",
    ("claims", "arguments"): "JSON the check is called with (claims.row_problems)",
    ("claims", "expected"): "JSON the value is compared with (claims.row_problems)",
    ("claims", "tolerance"): "JSON (claims.row_problems)",
}
# Fields that must repeat another table's text (ingest checks they do): hostile text there is the text
# of the field they repeat, which has its own; they are given that text, as a researcher would.
REPEATS = {
    ("events", "state"): ("states", "name"), ("acts", "state"): ("states", "name"),
    ("no_relations", "state"): ("states", "name"),
}
# Fields no page shows (each reason says what the page shows instead); the test fails if one appears.
NOT_SHOWN = {
    ("states", "source"): "the states' list shows each state's name, code, region and status, not the source of its row",
    ("states", "note"): "the states' list shows each state's name, code, region and status, not the note of its row",
    ("sources", "quote"): "a state's history shows each source's citation, reading and date, not its quote",
    ("sources", "quote_en"): "a state's history shows each source's citation, reading and date, not its translation",
    ("sources", "via"): "a state's history shows each source's citation, reading and date, not the copy it was read in",
    ("no_relations", "source"): "a state with no relations is shown with its status, not the source that says so",
    ("no_relations", "note"): "a state with no relations is shown with its status, not the note of its row",
    ("successions", "source"): "a successor's relations are shown as continuing its predecessor's, not with the source",
    ("successions", "note"): "a successor's relations are shown as continuing its predecessor's, not with the note",
    ("groups", "source"): "a claim on a group cites its members' events, not the rows of groups.csv",
    ("groups", "note"): "a claim on a group cites its members' events, not the rows of groups.csv",
    ("dprk_memberships", "organisation"): "a claim on a membership cites it by acronym, date, line and source",
    ("dprk_memberships", "corroboration"): "a claim on a membership cites it by acronym, date, line and source",
    ("dprk_memberships", "note"): "a claim on a membership cites it by acronym, date, line and source",
    ("published_counts", "quote"): "the published counts are shown as written (count and qualifier) with their citation",
    ("published_counts", "note"): "the published counts are shown as written (count and qualifier) with their citation",
    ("acts", "quote"): "a claim on acts cites each by state, kind, date, line and citation",
    ("acts", "note"): "a claim on acts cites each by state, kind, date, line and citation",
    ("mission_snapshots", "note"): "a claim on missions cites each list by name, date, line, citation and stated scope",
    ("missions", "city"): "a claim on missions shows counts and the missions the claim names, not the lists' rows",
    ("missions", "note"): "a claim on missions shows counts and the missions the claim names, not the lists' rows",
}


def text_fields(package: dict) -> list[tuple[str, str]]:
    """Every (resource, field) of free text in the data package's schemas."""
    return [(r["name"], f["name"]) for r in package["resources"] for f in r["schema"]["fields"]
            if f.get("type", "string") == "string" and not {"pattern", "enum"} & set(f.get("constraints", {}))]


def package() -> dict:
    return json.loads((paths.DATA_RAW / "datapackage.json").read_text(encoding="utf-8"))


def read_rows(path: Path) -> tuple[list[str], list[dict]]:
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames), list(reader)


def write_rows(path: Path, columns: list[str], rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def poison(raw: Path) -> dict[tuple[str, str], list[str]]:
    """Hostile text in every free-text field of every row of the raw folder that holds a value (an empty
    cell stays empty: emptiness means something, e.g. no city for an act that opens no mission; a field
    empty in every row gets it in its first); return the texts put in each field."""
    pkg = json.loads((raw / "datapackage.json").read_text(encoding="utf-8"))
    paths_of = {r["name"]: raw / r["path"] for r in pkg["resources"]}
    fields = [f for f in text_fields(pkg) if f not in READ_AS_VALUES and f not in REPEATS]
    tables = {name: read_rows(path) for name, path in paths_of.items()}
    put: dict[tuple[str, str], list[str]] = {f: [] for f in fields}
    renamed: dict[tuple[str, str], dict[str, str]] = {}  # the new text of each old value, per field
    for resource, field in fields:
        rows = tables[resource][1]
        filled = any(row[field] for row in rows)
        for line, row in enumerate(rows, start=2):
            if row[field] or (not filled and line == 2):  # a field no row fills yet (a new one): its first row
                text = HOSTILE.format(tag=f"{resource}.{field}.{line}")
                renamed.setdefault((resource, field), {})[row[field]] = text
                row[field] = text
                put[(resource, field)].append(text)
    for (resource, field), (source, repeated) in REPEATS.items():  # each row repeats its state's row
        text_of = {row["iso3"]: row[repeated] for row in tables[source][1]}
        for row in tables[resource][1]:
            row[field] = text_of[row["iso3"]]
    acronyms = renamed[("dprk_memberships", "acronym")]
    for row in tables["claims"][1]:  # the claims name memberships by acronym (ingest checks they exist)
        arguments = json.loads(row["arguments"])
        if "acronym" in arguments:
            arguments["acronym"] = acronyms[arguments["acronym"]]
            row["arguments"] = json.dumps(arguments)
    for name, (columns, rows) in tables.items():
        write_rows(paths_of[name], columns, rows)
    # another focal state's own tables (the ROK's, which the race step reads) repeat the shared states' names too
    for focal in FOCALS.values():
        for (resource, field), (source, repeated) in REPEATS.items():
            path = raw / focal.folder / f"{resource}.csv"
            if focal.folder and path.is_file():
                text_of = {row["iso3"]: row[repeated] for row in tables[source][1]}
                columns, rows = read_rows(path)
                for row in rows:
                    row[field] = text_of[row["iso3"]]
                write_rows(path, columns, rows)
    return put


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory):
    """A whole run on the poisoned copy of data/raw: (the report's folder, the texts put in each field)."""
    out = tmp_path_factory.mktemp("hostile")
    raw = out / "raw"
    shutil.copytree(paths.DATA_RAW, raw)
    put = poison(raw)
    own = tempfile.mkdtemp(prefix="k-")  # the run's temporary files: its own folder, short (socket paths)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(tempfile, "tempdir", own)
        mp.setenv("TMPDIR", own)
        try:
            pipeline.run({"raw_dir": str(raw), "processed_dir": str(out / "processed"), "reports_dir": str(out / "reports")})
        finally:
            shutil.rmtree(own)
    return out / "reports", put


@pytest.mark.slow
def test_every_raw_text_field_that_reaches_the_page_is_shown_as_text(hostile_run):
    reports, put = hostile_run
    shown = parse((reports / "index.html").read_text(encoding="utf-8"))[0].text()
    on_page = {field for field, texts in put.items() if any(t in shown for t in texts)}
    assert sorted(set(put) - on_page - set(NOT_SHOWN)) == []  # each shown, escaped: the text as written
    assert sorted(on_page & set(NOT_SHOWN)) == []  # a field listed as not shown is shown: take it off the list


@pytest.mark.slow
def test_no_page_of_the_report_holds_markup_from_the_data(hostile_run):
    reports, _ = hostile_run
    pages = sorted(reports.glob("*.html")) + sorted((reports / "notebooks").glob("*.html"))
    assert {p.name for p in pages} >= {"index.html", "run.html"} and len(pages) > 2
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert not any(m in html for m in RAW_MARKUP), page.name
        _, tags = parse(html)
        scripts = [attrs.get("src") for tag, attrs in tags if tag == "script"]
        assert scripts == (["report.js"] if page.name == "index.html" else []), page.name
        handlers = [(tag, name) for tag, attrs in tags for name in attrs if name.startswith("on")]
        assert handlers == [], page.name


@pytest.mark.parametrize("field", sorted(READ_AS_VALUES))
def test_the_fields_read_as_values_refuse_hostile_text(raw_dir, field):
    resource, name = field
    path = raw_dir / f"{resource}.csv"
    columns, rows = read_rows(path)
    rows[0][name] = HOSTILE.format(tag=f"{resource}.{name}")
    write_rows(path, columns, rows)
    with pytest.raises(RawDataError) as refused:
        ingest.load(raw_dir)
    assert any(p.field == name and p.file.endswith(f"{resource}.csv") for p in refused.value.problems), str(refused.value)


def test_the_lists_of_fields_name_text_fields_of_the_schemas():
    fields = set(text_fields(package()))
    assert set(READ_AS_VALUES) | set(REPEATS) | set(REPEATS.values()) | set(NOT_SHOWN) <= fields
    assert len(fields - set(READ_AS_VALUES) - set(REPEATS)) > 20
