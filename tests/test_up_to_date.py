"""Issue 19: a step is up to date only while its outputs are the bytes its last run recorded. An output
edited (or removed) by hand after a run makes its step stale, whatever its key."""
from __future__ import annotations

import hashlib
import shutil
import tempfile
from pathlib import Path

import pytest

from dprk_relations.runner import keys, pipeline
from dprk_relations.core import catalogue, paths
from dprk_relations.data import store

KEY = "the key the last run recorded"


@pytest.fixture
def outputs_written(tmp_path):
    """Every file each step declares it writes (and each notebook step's executed copy), written in
    temporary output folders: {step: its Params}."""
    values = {"processed_dir": str(tmp_path / "processed"), "reports_dir": str(tmp_path / "reports")}
    params = {s.name: pipeline.check(s.name, pipeline.step_values(s.name, values)) for s in catalogue.STEPS}
    for step in catalogue.STEPS:
        for name in keys.step_outputs(step, params[step.name]):
            path = paths.resolve(name)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(f"{name} as the run wrote it\n", encoding="utf-8")
    return params


@pytest.mark.parametrize("step_name", [s.name for s in catalogue.STEPS])
def test_an_output_edited_or_removed_after_a_run_makes_its_step_stale(outputs_written, step_name):
    step, params = catalogue.STEP[step_name], outputs_written[step_name]
    record = {"key": KEY, "outputs": keys.step_outputs(step, params)}
    assert keys.is_up_to_date(record, KEY, keys.step_outputs(step, params))
    declared = {paths.relative(store.path_of(params, o)) for o in step.writes}
    assert declared <= set(record["outputs"])
    still_up_to_date = []
    for name in record["outputs"]:
        path = paths.resolve(name)
        original = path.read_bytes()
        path.write_bytes(original.replace(b"as the run wrote it", b"as edited by hand"))
        if keys.is_up_to_date(record, KEY, keys.step_outputs(step, params)):
            still_up_to_date.append(f"{name} edited")
        path.unlink()
        if keys.is_up_to_date(record, KEY, keys.step_outputs(step, params)):
            still_up_to_date.append(f"{name} removed")
        path.write_bytes(original)
    assert still_up_to_date == []
    assert keys.is_up_to_date(record, KEY, keys.step_outputs(step, params))
    assert not keys.is_up_to_date(record, "another key", keys.step_outputs(step, params))


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.slow
def test_outputs_edited_by_hand_after_a_run_are_remade_by_the_next(tmp_path, monkeypatch):
    """Issue 19: a processed table and the report's page edited after a run; the next run, with nothing
    else changed, reruns the two steps that wrote them and restores their bytes, and skips the others."""
    own = Path(tempfile.mkdtemp(prefix="k-"))  # the run's temporary files: short (socket paths), its own
    monkeypatch.setattr(tempfile, "tempdir", str(own))
    monkeypatch.setenv("TMPDIR", str(own))
    try:
        values = {"processed_dir": str(tmp_path / "processed"), "reports_dir": str(tmp_path / "reports")}
        pipeline.run(values)
        table, page = tmp_path / "processed" / "yearly_counts.csv", tmp_path / "reports" / "index.html"
        made = {table: sha(table), page: sha(page)}
        for path in made:
            path.write_bytes(path.read_bytes() + b"\n")  # a blank line: read the same, other bytes
            assert sha(path) != made[path]
        manifest = pipeline.run(values)
    finally:
        shutil.rmtree(own)
    statuses = {name: record["status"] for name, record in manifest["steps"].items()}
    writers = {catalogue.writer_of("yearly_counts"), catalogue.writer_of("index.html")}
    assert {n for n, s in statuses.items() if s == "ran"} == writers
    assert {n for n, s in statuses.items() if s == "skipped"} == set(statuses) - writers
    assert {path: sha(path) for path in made} == made

