"""Tiny hand-built raw datasets. Expected counts in the tests are worked out by hand from these rows.
Also what tests of several files share: the Hypothesis profile, and the folders whole runs are given."""
from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import tempfile
from datetime import date
from pathlib import Path

import pytest
from hypothesis import settings

from dprk_relations.core import paths

# Property-based tests (Hypothesis): the same cases every run; nothing written.
settings.register_profile("project", max_examples=200, deadline=None, derandomize=True, database=None)
settings.load_profile("project")


@pytest.fixture(autouse=True)
def _working_folder_kept():
    """A test that leaves the process in another working folder (or in one it removed) fails, named,
    and the folder is put back: the tests after it, nbval's notebooks among them, run where they expect."""
    start = os.getcwd()
    yield
    try:
        now = os.getcwd()
    except FileNotFoundError:
        now = "a folder that no longer exists"
    if now != start:
        os.chdir(start)
        pytest.fail(f"the test left the working folder at {now} (it was {start})")


SRC = {"source": "Fixture source, p. 1", "source_url": "https://example.org/fixture"}

# A dissolved state continued by a successor (USSR -> Russia), one split into two new states
# (Czechoslovakia -> Czech Republic, Slovakia), a break and restoration (Chile), a suspension
# and restoration (Australia), and a state that never had relations (France).
STATES = [
    dict(iso3="SUHH", name="Soviet Union", kind="dissolved", existed_to="1991-12-25", existed_to_precision="day", un_member_from="1945", un_member_to="1990", m49_region="Eastern Europe"),
    dict(iso3="RUS", name="Russia", kind="un_member", un_member_from="1991"),
    dict(iso3="CSHH", name="Czechoslovakia", kind="dissolved", existed_to="1992-12-31", existed_to_precision="day", un_member_from="1945", un_member_to="1992", m49_region="Eastern Europe"),
    dict(iso3="CZE", name="Czechia", kind="un_member", un_member_from="1993"),
    dict(iso3="SVK", name="Slovakia", kind="un_member", un_member_from="1993"),
    dict(iso3="CUB", name="Cuba", kind="un_member", un_member_from="1945"),
    dict(iso3="CHL", name="Chile", kind="un_member", un_member_from="1945"),
    dict(iso3="AUS", name="Australia", kind="un_member", un_member_from="1945"),
    dict(iso3="FRA", name="France", kind="un_member", un_member_from="1945"),
]
EVENTS = [
    ("SUHH", "Soviet Union", "established", "1948-10-12", "day"),
    ("CSHH", "Czechoslovakia", "established", "1948-10-21", "day"),
    ("CUB", "Cuba", "established", "1960", "year"),
    ("CHL", "Chile", "established", "1970-11-16", "day"),
    ("CHL", "Chile", "severed", "1973", "year"),
    ("AUS", "Australia", "established", "1974-07-31", "day"),
    ("AUS", "Australia", "suspended", "1975-10", "month"),
    ("CHL", "Chile", "restored", "1992-09-25", "day"),
    ("CZE", "Czechia", "established", "1993-01-01", "day"),
    ("SVK", "Slovakia", "established", "1993-01-01", "day"),
    ("AUS", "Australia", "restored", "2000-05", "month"),
]
SUCCESSIONS = [
    ("SUHH", "RUS", "1991-12-26", "day", "continuation"),
    ("CSHH", "CZE", "1993-01-01", "day", "new_state"),
    ("CSHH", "SVK", "1993-01-01", "day", "new_state"),
]
GROUPS = [
    ("EU", "CZE", "2004-05-01", "day"), ("EU", "SVK", "2004-05-01", "day"), ("EU", "FRA", "1958-01-01", "day"),
    ("NORDIC", "AUS", "", ""),  # a made-up geographic group for the tests
]
# Other acts: an embassy closed with the suspension, an expulsion that is not a break, suspended trade.
ACTS = [
    dict(iso3="AUS", state="Australia", actor="dprk", kind="embassy_closed", mission="dprk_abroad", city="Canberra",
         date="1975-10", precision="month"),
    dict(iso3="CUB", state="Cuba", actor="partner", kind="ambassador_expelled", date="2017-09-07", precision="day"),
    dict(iso3="CHL", state="Chile", actor="partner", kind="economic_ties_suspended", date="1973", precision="year"),
]
MISSIONS = [("CUB", "Havana"), ("AUS", "Canberra"), ("CSHH", "Prague")]  # the DPRK's embassies in December 1974
MEMBERSHIPS = [("United Nations", "UN", "1991-09-17", "day"), ("World Health Organization", "WHO", "1973", "year")]


def write_csv(path: Path, columns: list[str], rows: list[dict]) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, columns, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({c: row.get(c, "") for c in columns})


def columns_of(resource: str) -> list[str]:
    package = json.loads((paths.DATA_RAW / "datapackage.json").read_text(encoding="utf-8"))
    res = next(r for r in package["resources"] if r["name"] == resource)
    return [f["name"] for f in res["schema"]["fields"]]


PUBLISHED = [
    # made up: the data give 3 in force at the end of 1975 (USSR, Czechoslovakia, Cuba; Chile broke in 1973,
    # Australia suspended in October 1975), 4 if the suspension is read as in force
    dict(count_id="c1975", count_date="1975", precision="year", count="4", qualifier="exact", quantity="in_force", un_members_only="no",
         includes_palestine="no", includes_sadr="no", quote="four states", citation="Fixture count, p. 2", url="https://example.org/count"),
]


def event_rows(events) -> tuple[list[dict], list[dict]]:
    """events.csv and sources.csv rows for (iso3, state, event, date, precision) tuples: each event
    with an id and one source whose date is the one used."""
    rank: dict[tuple, int] = {}
    rows, sources = [], []
    for iso3, state, kind, when, precision in events:
        rank[(iso3, kind)] = rank.get((iso3, kind), 0) + 1
        event_id = f"{iso3}-{kind}-{rank[(iso3, kind)]}"
        rows.append(dict(event_id=event_id, iso3=iso3, state=state, event=kind, date=when, precision=precision,
                         date_rule="most_specific"))
        sources.append(dict(event_id=event_id, citation=SRC["source"], url=SRC["source_url"], origin="fixture",
                            date_given=when, precision_given=precision, reading="chosen",
                            quote=f"{state} and the DPRK: relations {kind} on {when}"))
    return rows, sources


def build_raw(folder: Path, events=EVENTS, claims: list[dict] | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(paths.DATA_RAW / "datapackage.json", folder / "datapackage.json")
    write_csv(folder / "states.csv", columns_of("states"), [{**s, **SRC} for s in STATES])
    rows, sources = event_rows(events)
    write_csv(folder / "events.csv", columns_of("events"), rows)
    write_csv(folder / "sources.csv", columns_of("sources"), sources)
    write_csv(folder / "published_counts.csv", columns_of("published_counts"), PUBLISHED)
    write_csv(folder / "acts.csv", columns_of("acts"), [dict(a, citation=SRC["source"], url=SRC["source_url"]) for a in ACTS])
    write_csv(folder / "mission_snapshots.csv", columns_of("mission_snapshots"), [dict(
        snapshot="fixture-1974-12", snapshot_date="1974-12", precision="month", direction="dprk_abroad", listing="resident",
        coverage="complete", stated_total="3", stated_scope="DPRK missions abroad", citation=SRC["source"], url=SRC["source_url"])])
    write_csv(folder / "missions.csv", columns_of("missions"), [dict(snapshot="fixture-1974-12", iso3=i, city=c, kind="embassy")
                                                                for i, c in MISSIONS])
    write_csv(folder / "no_relations.csv", columns_of("no_relations"), [dict(iso3="FRA", state="France", **SRC)])
    write_csv(folder / "successions.csv", columns_of("successions"),
              [dict(zip(["predecessor", "successor", "date", "precision", "kind"], s), **SRC) for s in SUCCESSIONS])
    write_csv(folder / "groups.csv", columns_of("groups"),
              [dict(zip(["group", "iso3", "joined", "joined_precision"], g), **SRC) for g in GROUPS])
    write_csv(folder / "dprk_memberships.csv", columns_of("dprk_memberships"),
              [dict(zip(["organisation", "acronym", "joined", "joined_precision"], m), **SRC) for m in MEMBERSHIPS])
    write_csv(folder / "peer_reconciliation.csv", columns_of("peer_reconciliation"), [dict(
        peer="cow_diplomatic_exchange", iso3="CUB", resolution="open", citation=SRC["source"], url=SRC["source_url"],
        note="a made-up open disagreement")])
    write_csv(folder / "claims.csv", columns_of("claims"), claims or [dict(
        claim_id="cuba_1960", document="bondaz_2023", section="s", quote="Cuba (1960)", check="event_year",
        arguments='{"kind": "established", "states": ["CUB"]}', comparison="all", expected="1960", claim_date="2023-10-01",
        subject_until="1960-12-31")])
    return folder


@pytest.fixture
def raw_dir(tmp_path: Path) -> Path:
    return build_raw(tmp_path / "raw")


@pytest.fixture
def dataset(raw_dir: Path):
    from dprk_relations.data import ingest

    return ingest.load(raw_dir)


# --- the claims' checks on the fixture ---------------------------------------------------------------
# Event lines in events.csv: SUHH established 2, CSHH established 3, CUB established 4, CHL established 5,
# CHL severed 6, AUS established 7, AUS suspended 8, CHL restored 9, CZE established 10, SVK established 11,
# AUS restored 12. Spells: SUHH 1948-10-12..1991-12-26, CSHH 1948-10-21..1993-01-01, CUB from 1960-12-31,
# CHL 1970-11-16..1973-12-31 and from 1992-09-25, AUS 1974-07-31..1975-10-31 and from 2000-05-31,
# RUS from 1991-12-26, CZE and SVK from 1993-01-01.

CLAIMS_AS_OF = date(2023, 10, 1)


def cite(iso3: str, event: str, when: str, line: int) -> str:
    """An event as the claims' evidence cites it (claims_context.cite)."""
    return f"{iso3} {event} {when} (events.csv line {line}; {SRC['source']})"


SUHH_EST = cite("SUHH", "established", "1948-10-12", 2)
CSHH_EST = cite("CSHH", "established", "1948-10-21", 3)
CUB_EST = cite("CUB", "established", "1960", 4)
CHL_EST = cite("CHL", "established", "1970-11-16", 5)
CHL_SEV = cite("CHL", "severed", "1973", 6)
AUS_EST = cite("AUS", "established", "1974-07-31", 7)
AUS_SUS = cite("AUS", "suspended", "1975-10", 8)
CHL_RES = cite("CHL", "restored", "1992-09-25", 9)
CZE_EST = cite("CZE", "established", "1993-01-01", 10)
SVK_EST = cite("SVK", "established", "1993-01-01", 11)


def claims_context_of(raw: Path):
    """The claims' context of a raw folder, as notebook 05 builds it."""
    from dprk_relations.analysis.claims_context import Context
    from dprk_relations.data import ingest
    from dprk_relations.rules.relations import build_spells

    data = ingest.load(raw)
    return Context.from_dataset(data, build_spells(data.events, data.states, data.successions, CLAIMS_AS_OF), CLAIMS_AS_OF)


@pytest.fixture
def claims_ctx(raw_dir: Path):
    """The fixture's claims context with the sources' readings, as the pipeline builds it."""
    return claims_context_of(raw_dir)


@pytest.fixture(scope="module")
def own_reading_ctx(tmp_path_factory):
    """The fixture's claims context under the pipeline's own reading only (no sources' readings: a check's
    whole Result is compared), built once per module: the checks only read it, and a test that changes a
    table makes a new one with dataclasses.replace."""
    context = claims_context_of(build_raw(tmp_path_factory.mktemp("claims") / "raw"))
    context.sources = context.successions = None
    return context


@pytest.fixture
def readings_ctx(tmp_path: Path):
    """The fixture, with a second source dating Cuba's establishment 1958 (a 'differs' reading)."""
    raw = build_raw(tmp_path / "raw")
    _, sources = event_rows(EVENTS)
    sources.append(dict(event_id="CUB-established-1", citation="Another book", url="https://example.org/other",
                        origin="other", date_given="1958", precision_given="year", reading="differs"))
    write_csv(raw / "sources.csv", columns_of("sources"), sources)
    return claims_context_of(raw)


@pytest.fixture
def scratch_checks():
    """The registry of claim checks as it was before the test: a check the test registers is gone after it."""
    from dprk_relations.analysis.claims_checks import CHECKS

    before = dict(CHECKS)
    yield CHECKS
    CHECKS.clear()
    CHECKS.update(before)


# --- whole runs in folders of their own (tests/core/test_stage.py, tests/runner/test_folders.py) ---------

@pytest.fixture
def own_tmpdir():
    """A temporary folder of the test's own for the runs it starts: a test looks only at what its runs made.
    Short: a kernel socket's path has at most 107 bytes."""
    folder = tempfile.mkdtemp(prefix="k-")
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def small_disk(tmp_path):
    """A file system of its own, of a size the test sets (tmpfs; needs root, as CI has)."""
    mount = tmp_path / "disk"
    mount.mkdir()

    def make(size: str) -> Path:
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mount)], capture_output=True)
        if done.returncode != 0:
            if os.environ.get("CI"):
                pytest.fail(f"cannot mount a small file system for the test: {done.stderr.decode()}")
            pytest.skip("mounting a small file system needs root")
        return mount

    yield make
    subprocess.run(["umount", "-l", str(mount)], capture_output=True)
