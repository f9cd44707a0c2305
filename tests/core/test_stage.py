"""A run is all or nothing (core/stage.py; issue 17): outputs are staged beside their folder and replace
the previous ones together, only if every step succeeded. A run that fails, is interrupted or killed, or
meets a full or read-only disk leaves every output as it was; a commit killed part-way is completed by the
next run; a journal that cannot be written publishes nothing. First the stages on their own, on folders
made by the test; then whole runs."""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from dprk_relations.core import paths, stage
from dprk_relations.runner import pipeline
from tests.runner import progress
from tests.runner.test_pipeline import KEPT, copy_raw, move_event


# --- the stages, on their own ---------------------------------------------------------------------

@pytest.fixture
def staged(tmp_path):
    """Stages opened on an output folder and on a folder inside it (as a reports folder inside a processed
    one): (outer, inner, mapping); the mapping is withdrawn from the environment after the test."""
    outer, inner = tmp_path / "out", tmp_path / "out" / "reports"
    inner.mkdir(parents=True)
    mapping = stage.open_stages([outer, inner])
    try:
        yield outer, inner, mapping
    finally:
        stage.close_stages()


def test_outside_a_run_a_path_is_written_and_read_where_it_is(tmp_path, monkeypatch):
    monkeypatch.delenv(stage.STAGE_ENV, raising=False)
    path = tmp_path / "out" / "a.csv"
    assert stage.write_path(path) == path and stage.read_path(path) == path


def test_a_write_goes_to_the_stage_of_the_innermost_staged_folder(staged, tmp_path):
    outer, inner, mapping = staged
    assert mapping == {outer: outer / stage.STAGE, inner: inner / stage.STAGE}
    assert json.loads(os.environ[stage.STAGE_ENV]) == {str(outer): str(outer / stage.STAGE), str(inner): str(inner / stage.STAGE)}
    assert stage.write_path(outer / "figures" / "a.svg") == outer / stage.STAGE / "figures" / "a.svg"
    assert stage.write_path(inner / "index.html") == inner / stage.STAGE / "index.html"  # not out/.dprk-stage/reports/
    already = outer / stage.STAGE / "a.csv"
    assert stage.write_path(already) == already  # a staged path is not staged again
    elsewhere = tmp_path / "elsewhere.csv"
    assert stage.write_path(elsewhere) == elsewhere
    assert (outer / stage.STAGE / stage.MARKER).is_file() and (inner / stage.STAGE / stage.MARKER).is_file()


def test_a_read_finds_the_staged_copy_once_the_run_has_made_one(staged):
    outer, _, _ = staged
    published = outer / "a.csv"
    published.write_text("published\n", encoding="utf-8")
    assert stage.read_path(published) == published
    stage.write_path(published).write_text("staged\n", encoding="utf-8")
    assert stage.read_path(published).read_text(encoding="utf-8") == "staged\n"
    assert published.read_text(encoding="utf-8") == "published\n"  # nothing published before the commit


def test_a_commit_publishes_every_staged_file_and_removes_the_stages(staged):
    outer, inner, mapping = staged
    (outer / "old.csv").write_text("kept\n", encoding="utf-8")
    for path, text in ((outer / "a.csv", "a\n"), (outer / "figures" / "b.svg", "b\n"), (inner / "index.html", "c\n")):
        target = stage.write_path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    assert stage.staged_files(mapping[outer]) == ["a.csv", "figures/b.svg"]  # the marker is not a file of the run
    assert stage.commit(mapping) == 3
    assert [(outer / n).read_text(encoding="utf-8") for n in ("a.csv", "figures/b.svg", "old.csv")] == ["a\n", "b\n", "kept\n"]
    assert (inner / "index.html").read_text(encoding="utf-8") == "c\n"
    assert not mapping[outer].exists() and not mapping[inner].exists()


def test_the_next_run_removes_a_stage_that_never_reached_its_commit(tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "a.csv").write_text("published\n", encoding="utf-8")
    mapping = stage.open_stages([folder])
    stage.close_stages()
    (mapping[folder] / "a.csv").write_text("unpublished\n", encoding="utf-8")
    (mapping[folder] / stage.JOURNAL).write_text("{not a list", encoding="utf-8")  # a journal cut short is none
    assert stage.recover(folder) == (f"removed the stage of an interrupted run in {paths.relative(folder)} "
                                     "(1 unpublished file(s); the outputs are as they were)")
    assert not mapping[folder].exists() and (folder / "a.csv").read_text(encoding="utf-8") == "published\n"
    assert stage.recover(folder) is None  # nothing left to do


def test_a_stage_the_pipeline_did_not_make_is_refused_and_left_alone(tmp_path):
    folder = tmp_path / "out"
    (folder / stage.STAGE).mkdir(parents=True)
    (folder / stage.STAGE / "thesis.tex").write_text("years of work\n", encoding="utf-8")
    with pytest.raises(RuntimeError) as refused:
        stage.recover(folder)
    assert str(refused.value) == f"{folder / stage.STAGE} exists but was not made by the pipeline: move it away, then run again"
    stage.discard(folder / stage.STAGE)
    assert (folder / stage.STAGE / "thesis.tex").is_file()


def test_discard_removes_a_failed_run_s_stage_but_not_one_whose_commit_began(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    mapping = stage.open_stages([first, second])
    stage.close_stages()
    (mapping[second] / stage.JOURNAL).write_text("[]", encoding="utf-8")
    stage.discard(mapping[first])
    stage.discard(mapping[second])
    assert not mapping[first].exists()
    assert mapping[second].is_dir(), "the next run completes a commit whose journal is written"


# --- whole runs ------------------------------------------------------------------------------------

def digest(*roots: Path) -> dict[str, str]:
    """Every file under the folders, by content: what a reader of the outputs sees (the run log included)."""
    out = {}
    for root in roots:
        for path in sorted(root.rglob("*")):
            # a killed run's stage holds what it did not publish: the next run removes it
            if path.is_file() and path.name not in KEPT and "failed" not in path.parts and stage.STAGE not in path.parts:
                out[f"{root.name}/{path.relative_to(root).as_posix()}"] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def command(work: Path, raw: Path | None = None, *extra: str) -> list[str]:
    cmd = [sys.executable, "-m", "dprk_relations.runner.pipeline", "--processed-dir", str(work / "processed"),
           "--reports-dir", str(work / "reports"), *extra]
    return cmd + (["--raw-dir", str(raw)] if raw else [])


@pytest.mark.slow
def test_a_run_that_fails_in_its_last_step_publishes_nothing(tmp_path, monkeypatch):
    raw = copy_raw(tmp_path)
    work = tmp_path / "out"
    pipeline.run({"raw_dir": str(raw), "processed_dir": str(work / "processed"), "reports_dir": str(work / "reports")})
    before = digest(work / "processed", work / "reports")
    move_event(raw, "CUB-established-1", "1957-06-01")  # every step's outputs would change

    from dprk_relations.report import site as report

    def crash(*args, **kwargs):
        raise OSError("the report step crashed")

    monkeypatch.setattr(report, "build", crash)
    with pytest.raises(OSError, match="the report step crashed"):
        pipeline.run({"raw_dir": str(raw), "processed_dir": str(work / "processed"), "reports_dir": str(work / "reports")})
    assert digest(work / "processed", work / "reports") == before
    assert not stage.stage_of(work / "processed").exists() and not stage.stage_of(work / "reports").exists()


@pytest.fixture
def edited_after_a_run(tmp_path, own_tmpdir):
    """A run's outputs, and then an edit of the raw data that changes every step's (Cuba moved to 1957):
    (raw folder, output folder, environment, digest of the outputs before the next run)."""
    raw = copy_raw(tmp_path)
    work = tmp_path / "out"
    env = {**os.environ, "TMPDIR": own_tmpdir}
    assert subprocess.run(command(work, raw), capture_output=True, env=env).returncode == 0
    before = digest(work / "processed", work / "reports")
    move_event(raw, "CUB-established-1", "1957-06-01")
    return raw, work, env, before


@pytest.mark.slow
def test_a_run_killed_at_any_moment_leaves_every_output_as_it_was_and_the_next_run_says_what_it_cleaned(edited_after_a_run, own_tmpdir):
    raw, work, env, before = edited_after_a_run
    # in ingest, the counts, the figures and claims, the report: each step's first line, whatever the machine's speed
    for marker in ("[01-ingest] running", "[02-yearly-counts] running", "[05-claims] running", "[08-html-report] running"):
        progress.interrupt_when(progress.start(command(work, raw), env), marker)
        assert digest(work / "processed", work / "reports") == before, f"killed at {marker!r}"
    time.sleep(1.5)  # the kernel server notices its run is gone within a second, and leaves
    result = subprocess.run(command(work, raw), capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stdout[-2000:]
    assert "removed the stage of an interrupted run" in result.stdout
    assert "temporary folder(s) that killed runs left behind" in result.stdout
    assert digest(work / "processed", work / "reports") != before  # the edit is published now
    assert [p.name for p in Path(own_tmpdir).iterdir()] == []  # no run folder, no kernel file left
    assert not stage.stage_of(work / "processed").exists()


@pytest.mark.slow
def test_a_commit_killed_part_way_is_completed_by_the_next_run(tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "a.csv").write_text("old a\n")
    (folder / "b.csv").write_text("old b\n")
    mapping = stage.open_stages([folder])
    try:
        (mapping[folder] / "a.csv").write_text("new a\n")
        (mapping[folder] / "b.csv").write_text("new b\n")
    finally:
        stage.close_stages()
    # the journal is written, one file moved, then the run is killed
    (mapping[folder] / stage.JOURNAL).write_text('["a.csv", "b.csv"]')
    os.replace(mapping[folder] / "a.csv", folder / "a.csv")
    assert stage.recover(folder).startswith("completed the commit of an interrupted run")
    assert (folder / "a.csv").read_text() == "new a\n" and (folder / "b.csv").read_text() == "new b\n"
    assert not stage.stage_of(folder).exists()


@pytest.mark.slow
def test_ctrl_c_prints_one_line_and_publishes_nothing(edited_after_a_run):
    raw, work, env, before = edited_after_a_run
    # SIGINT as a terminal leaves it (a shell may start background jobs with it ignored, and Python then
    # never raises KeyboardInterrupt)
    proc = progress.start(command(work, raw), env, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    said = progress.interrupt_when(proc, "[05-claims] running", signal.SIGINT)  # as a terminal does: the whole group
    assert proc.returncode == 130, said[-2000:]
    assert "Traceback" not in said
    assert said.strip().splitlines()[-1] == "pipeline: interrupted; nothing was published, every output is as it was before the run"
    assert digest(work / "processed", work / "reports") == before


# --- faults named, the outputs intact -----------------------------------------------------------

@pytest.mark.slow
def test_a_full_disk_ends_with_one_line_naming_the_folder_and_the_outputs_intact(tmp_path, small_disk, own_tmpdir):
    disk = small_disk("12m")
    work = disk / "out"
    env = {**os.environ, "TMPDIR": own_tmpdir}
    first = subprocess.run(command(work), capture_output=True, text=True, env=env)
    assert first.returncode == 0, first.stdout[-1500:] + first.stderr[-1500:]
    before = digest(work / "processed", work / "reports")
    used = shutil.disk_usage(disk).used
    filler = disk / "filler"
    filler.write_bytes(b"\0" * max(0, shutil.disk_usage(disk).free - (used // 3)))  # room for a third of a run
    result = subprocess.run(command(work, None, "--force"), capture_output=True, text=True, env=env)
    assert result.returncode == 1
    said = result.stdout + result.stderr
    assert "no space left on the device" in said and "Traceback" not in said, said[-2000:]
    assert any(line.strip().startswith(("pipeline FAILED", "error:")) and "out/" in line and "no space left" in line
               for line in said.splitlines()), said[-2000:]
    assert digest(work / "processed", work / "reports") == before


@pytest.mark.slow
def test_a_read_only_output_folder_ends_with_one_line_naming_it(tmp_path, small_disk, own_tmpdir):
    disk = small_disk("12m")
    work = disk / "out"
    env = {**os.environ, "TMPDIR": own_tmpdir}
    assert subprocess.run(command(work), capture_output=True, env=env).returncode == 0
    before = digest(work / "processed", work / "reports")
    subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
    result = subprocess.run(command(work, None, "--force"), capture_output=True, text=True, env=env)
    assert result.returncode == 1
    said = (result.stdout + result.stderr).strip()
    assert "Traceback" not in said and "the file system is read-only" in said.splitlines()[-1], said[-2000:]
    assert digest(work / "processed", work / "reports") == before


@pytest.mark.slow
def test_a_journal_that_cannot_be_written_publishes_nothing_and_leaves_no_journal(tmp_path, monkeypatch):
    import errno

    from dprk_relations.core.outputs import OutputFault

    first, second = tmp_path / "a", tmp_path / "b"
    for folder in (first, second):
        folder.mkdir()
        (folder / "t.csv").write_text("old\n")
    mapping = stage.open_stages([first, second])
    try:
        for folder in (first, second):
            (mapping[folder] / "t.csv").write_text("new\n")
        real_replace = os.replace

        def full_on_the_second(src, dst):
            if str(dst).startswith(str(mapping[second])) and str(dst).endswith(stage.JOURNAL):
                raise OSError(errno.ENOSPC, "No space left on device")
            return real_replace(src, dst)

        monkeypatch.setattr(stage.os, "replace", full_on_the_second)
        with pytest.raises(OutputFault, match="cannot write to .*b: no space left on the device"):
            stage.commit(mapping)
    finally:
        stage.close_stages()
    assert not (mapping[first] / stage.JOURNAL).exists()
    for folder in (first, second):
        assert (folder / "t.csv").read_text() == "old\n"
        stage.discard(mapping[folder])
        assert not mapping[folder].exists()
