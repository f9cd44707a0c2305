"""One declaration per table, figure and step (catalogue.py), and the checks that hold steps to it."""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from dprk_relations.core import catalogue, paths
from dprk_relations.data import store
from dprk_relations.report import site as report
from dprk_relations.runner import pipeline
from dprk_relations.core.params import check


def test_every_raw_resource_is_an_ingest_table_and_the_dataset_holds_them_all():
    resources = [r["name"] for r in json.loads((paths.DATA_RAW / "datapackage.json").read_text(encoding="utf-8"))["resources"]]
    assert sorted(catalogue.INGEST_TABLES.values()) == sorted(resources)
    assert store.dataset_fields() == list(catalogue.INGEST_TABLES)
    assert paths.raw_files(paths.DATA_RAW) == ["datapackage.json"] + [f"{r}.csv" for r in resources]


def test_every_read_is_written_by_a_step_that_comes_before():
    order = [s.name for s in catalogue.STEPS]
    for step in catalogue.STEPS:
        before = set()
        todo = list(step.after)
        while todo:  # every step it waits for, directly or not
            name = todo.pop()
            before.add(name)
            todo += catalogue.STEP[name].after
        for read in step.reads:
            writer = catalogue.writer_of(read)
            assert writer in before, (step.name, read, writer)
            assert order.index(writer) < order.index(step.name)


def test_nothing_is_written_twice_and_the_report_lists_derive_from_the_catalogue():
    writes = [w for s in catalogue.STEPS for w in s.writes]
    assert len(writes) == len(set(writes))
    assert [f[0] for f in report.FIGURES] == [f.name for f in catalogue.FIGURES]
    assert report.NOTEBOOKS == [s.name for s in catalogue.STEPS if s.notebook]
    assert all(f"figures/{f.name}.png" in catalogue.STEP[f.step].writes for f in catalogue.FIGURES)
    assert {f.step for f in catalogue.FIGURES} == {"04-figures", "07-race"}


def params_for(step: str, tmp_path):
    return check(step, {"processed_dir": str(tmp_path / "processed"), "reports_dir": str(tmp_path / "reports")})


def test_a_step_that_reads_a_table_it_does_not_declare_is_stopped(tmp_path):
    p = params_for("03-waves", tmp_path)
    with pytest.raises(store.UndeclaredAccess, match="03-waves reads the table 'spells', which catalogue.py does not declare"):
        store.read_table(p, "spells")
    with pytest.raises(store.UndeclaredAccess, match="'claims'"):
        store.read_dataset(p, ["states", "claims"])


def test_a_step_that_writes_a_table_it_does_not_declare_writes_nothing(tmp_path):
    p = params_for("02-yearly-counts", tmp_path)
    frame = pd.DataFrame({"iso3": ["AAA"], "start": ["1948-10-12"], "end": [""], "start_reason": ["established"],
                          "end_reason": ["ongoing"]})
    with pytest.raises(store.UndeclaredAccess, match="02-yearly-counts writes 'waves'"):
        store.save(p, {"spells": frame, "waves": frame})
    assert not (tmp_path / "processed").exists()
    saved = store.save(p, {"spells": frame})
    assert saved == [tmp_path / "processed" / "spells.csv"]


def test_a_file_no_step_declares_fails_the_run_naming_it(tmp_path):
    from dprk_relations.core import stage
    from dprk_relations.core.outputs import atomic_write

    p = params_for("01-ingest", tmp_path)
    (tmp_path / "processed").mkdir(parents=True)
    (tmp_path / "processed" / "old-scratch.csv").write_text("a\n1\n")  # there before the run: not its doing
    stage.open_stages([tmp_path / "processed", tmp_path / "reports"])
    try:
        atomic_write(tmp_path / "processed" / "spells.csv", b"a\n2\n")  # declared: fine
        pipeline.undeclared_outputs(p)
        atomic_write(tmp_path / "processed" / "scratch.csv", b"a\n1\n")
        with pytest.raises(pipeline.StepFailed, match=r"scratch\.csv, which no step declares"):
            pipeline.undeclared_outputs(p)
    finally:
        stage.close_stages()


def test_the_report_reads_only_what_it_declares(tmp_path):
    step = catalogue.STEP[catalogue.REPORT]
    # every processed table (the data bundle and the tables beside the page) and the figures it shows
    assert set(step.reads) == (set(catalogue.PROCESSED_TABLES) | {f"figures/{f.name}.png" for f in catalogue.FIGURES}
                               | {"figures/map_outlines.svg"})
    with pytest.raises(store.UndeclaredAccess, match="does not declare"):
        store.read_table(params_for(catalogue.REPORT, tmp_path), "scratch")


def test_the_report_page_reads_every_table_it_declares_and_no_other(tmp_path, monkeypatch):
    # a read it does not declare would leave its page stale when that table changes; a declared table it
    # never reads would rerun it for nothing
    p = check(catalogue.REPORT, {"processed_dir": str(paths.DATA_PROCESSED), "reports_dir": str(tmp_path / "reports")})
    (tmp_path / "reports" / "figures").mkdir(parents=True)
    for name in catalogue.FIGURE_EXTRAS:  # the committed figures' files the page reads
        (tmp_path / "reports" / name).write_bytes((paths.REPORTS / name).read_bytes())
    read, real_path_of = [], store.path_of
    monkeypatch.setattr(store, "path_of", lambda params, name: (read.append(name), real_path_of(params, name))[1])
    report.build(p, {}, {})
    declared = {name for name in catalogue.STEP[catalogue.REPORT].reads if not name.endswith(".png")}  # the page links those
    assert set(read) == declared, (sorted(set(read) - declared), sorted(declared - set(read)))


def test_a_notebook_step_gains_its_executed_copy_and_page_and_keeps_every_other_field():
    import dataclasses

    for step in catalogue.NOTEBOOK_STEPS:
        assert step.writes[-2:] == (f"notebooks/{step.notebook}", f"notebooks/{step.name}.html")
    # the steps are rebuilt with dataclasses.replace: a new field of Step (such as reads_committed) is kept
    source = Path(catalogue.__file__).read_text(encoding="utf-8")
    assert "replace(s, writes=" in source
    assert {f.name for f in dataclasses.fields(catalogue.Step)} >= {"reads_committed", "reads_external", "reads_raw"}


def test_a_notebook_step_that_reads_the_raw_data_beside_ingest_runs_after_it():
    """A bad row of the run's raw data is reported once, by ingest: a step that checks the raw packages itself
    (the race, the claims) must not meet it first."""
    for step in catalogue.STEPS:
        if step.notebook and step.reads_raw_of and step.name != "01-ingest":
            before, todo = set(), list(step.after)
            while todo:
                name = todo.pop()
                before.add(name)
                todo += catalogue.STEP[name].after
            assert "01-ingest" in before, step.name
