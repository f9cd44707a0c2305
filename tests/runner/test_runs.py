"""Issue 17: every run as sound as the default one. A run is all or nothing (failed, interrupted or killed,
it leaves every output as it was); it writes only where it may and deletes only what it made; runs that
share a folder wait for each other; a killed run's litter is removed by the next; faults are named."""
from __future__ import annotations

import csv
import hashlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import pytest

from dprk_relations.core import paths, stage
from dprk_relations.core.params import ParameterError
from dprk_relations.runner import kernels, pipeline
from tests.runner import progress
from tests.runner.test_pipeline import copy_raw, move_event

pytestmark = pytest.mark.slow
from tests.runner.test_pipeline import KEPT  # noqa: E402


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


@pytest.fixture
def own_tmpdir():
    """A temporary folder of the test's own for the runs it starts: a test looks only at what its runs made.
    Short: a kernel socket's path has at most 107 bytes."""
    folder = tempfile.mkdtemp(prefix="k-")
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


# --- parameters at both ends of their range ------------------------------------------------------

def test_the_founding_day_and_today_run_with_every_wave_parameter_at_an_end_of_its_range(tmp_path):
    lowest = pipeline.run({"as_of": "1948-09-09", "first_year": 1948, "wave_min_establishments": 250, "wave_max_gap": 0,
                           "wave_min_regional": 1, "processed_dir": str(tmp_path / "p1"), "reports_dir": str(tmp_path / "r1")})
    assert sorted(lowest["ran"]) == sorted(s.name for s in pipeline.STEPS)
    yearly = list(csv.DictReader((tmp_path / "p1" / "yearly_counts.csv").open(encoding="utf-8")))
    assert [(y["year"], y["maintaining"]) for y in yearly] == [("1948", "0")]  # the first relations came in October
    today = date.today()
    highest = pipeline.run({"as_of": today.isoformat(), "first_year": today.year, "wave_min_establishments": 1,
                            "wave_max_gap": 100, "wave_min_regional": 250,
                            "processed_dir": str(tmp_path / "p2"), "reports_dir": str(tmp_path / "r2")})
    assert sorted(highest["ran"]) == sorted(s.name for s in pipeline.STEPS)
    yearly = list(csv.DictReader((tmp_path / "p2" / "yearly_counts.csv").open(encoding="utf-8")))
    assert [y["year"] for y in yearly] == [str(today.year)]
    assert (tmp_path / "r2" / "index.html").is_file()


@pytest.mark.parametrize("values, words", [
    ({"as_of": "1948-09-08"}, "must fall between 1948-09-09 .the DPRK was founded. and today"),
    ({"as_of": "2999-01-01"}, "must fall between 1948-09-09 .the DPRK was founded. and today"),
    ({"first_year": 1947}, "first_year 1947 must fall between 1948"),
    ({"as_of": "2016-08-01", "first_year": 2017}, "first_year 2017 must fall between 1948 and the cut-off's year 2016"),
])
def test_the_first_value_outside_a_range_is_refused_before_anything_runs(values, words):
    with pytest.raises(ParameterError, match=words):
        pipeline.run(values)


def test_another_spelling_of_the_reports_date_is_the_default_run():
    from dprk_relations.core.params import check

    assert check("01-ingest", {"as_of": "20231001"}).values["as_of"] == "2023-10-01"
    assert check("01-ingest", {"as_of": "20231001"}).processed_dir == paths.DATA_PROCESSED
    assert check("01-ingest", {"raw_dir": str(paths.DATA_RAW) + "/"}).processed_dir == paths.DATA_PROCESSED


# --- output folders that cannot hurt ---------------------------------------------------------------

def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("name", ["processed_dir", "reports_dir"])
def test_no_output_folder_may_hold_raw_input_or_someone_elses_files(tmp_path, name):
    raw = copy_raw(tmp_path)
    before = tree(raw)
    foreign = tmp_path / "mine"
    foreign.mkdir()
    (foreign / "thesis.tex").write_text("years of work\n", encoding="utf-8")
    for folder, words in ((raw, "holds or lies in a folder of raw input"), (raw / "sub", "holds or lies in a folder of raw input"),
                          (tmp_path, "holds or lies in a folder of raw input"), ("data/raw", "holds or lies in a folder of raw input"),
                          ("/", "holds or lies in a folder of raw input"), ("../..", "holds or lies in a folder of raw input"),
                          (foreign, "already holds files the pipeline did not make")):
        with pytest.raises(ParameterError, match=f"parameter {name}: .*{words}"):
            pipeline.run({"raw_dir": str(raw), name: str(folder)})
    assert tree(raw) == before and tree(foreign) == {"thesis.tex": b"years of work\n"}
    assert not (foreign / ".pipeline.lock").exists()  # refused before anything is written


def test_a_run_deletes_only_files_it_made(tmp_path, own_tmpdir):
    work = tmp_path / "out"
    env = {**os.environ, "TMPDIR": own_tmpdir}
    assert subprocess.run(command(work), capture_output=True, env=env).returncode == 0
    theirs = [work / "processed" / ".notes.tmp", work / "reports" / ".partial-draft.ipynb", work / "reports" / "figures" / ".x.tmp"]
    for path in theirs:
        path.write_text("someone's\n", encoding="utf-8")
    # another program's folder in the temporary folder, named like a run's but without the pipeline's mark
    lookalike = Path(own_tmpdir) / "dprk-run-theirs"
    lookalike.mkdir()
    result = subprocess.run(command(work, None, "--force"), capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stdout[-2000:]
    assert all(p.read_text(encoding="utf-8") == "someone's\n" for p in theirs) and lookalike.is_dir()


# --- all or nothing --------------------------------------------------------------------------------

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


# --- one lock per output folder ------------------------------------------------------------------

def test_runs_sharing_a_processed_folder_wait_for_each_other_and_each_report_is_its_own(tmp_path, own_tmpdir):
    env = {**os.environ, "TMPDIR": own_tmpdir}
    shared = tmp_path / "processed"
    first = subprocess.Popen([sys.executable, "-m", "dprk_relations.runner.pipeline", "--processed-dir", str(shared),
                              "--reports-dir", str(tmp_path / "r2023")], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                             text=True, env=env)
    progress.wait_for(first, "[01-ingest] running")  # the first holds the lock from before its first step
    second = subprocess.run([sys.executable, "-m", "dprk_relations.runner.pipeline", "--as-of", "2016-08-01", "--processed-dir",
                             str(shared), "--reports-dir", str(tmp_path / "r2016")], capture_output=True, text=True, env=env)
    out_first, _ = first.communicate()
    assert first.returncode == 0 and second.returncode == 0, out_first[-1500:] + second.stdout[-1500:]
    assert f"another run is writing to {shared.as_posix()}" in second.stdout
    for folder, as_of, maintaining in (("r2023", "2023-10-01", "159"), ("r2016", "2016-08-01", "163")):
        index = (tmp_path / folder / "index.html").read_text(encoding="utf-8")
        key = index[index.index('id="key-numbers"'):index.index("<h2>The report's chart")]
        assert f"cut-off date <b>{as_of}</b>" in index and f"<b>{maintaining}</b>states maintaining" in key, folder


# --- faults named ---------------------------------------------------------------------------------

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


def test_a_full_temporary_folder_is_named(tmp_path, small_disk):
    disk = small_disk("64k")
    # two pages left: enough for Python's own probe of the folder (a full one it would silently replace
    # with /tmp), not for the run's kernel files
    (disk / "filler").write_bytes(b"\0" * (shutil.disk_usage(disk).free - 8192))
    env = {**os.environ, "TMPDIR": str(disk)}
    result = subprocess.run(command(tmp_path / "out", None), capture_output=True, text=True, env=env)
    assert result.returncode == 1
    said = (result.stdout + result.stderr).strip()
    assert "Traceback" not in said and "no space left on the device" in said.splitlines()[-1], said[-2000:]
    assert f"cannot write to {disk.as_posix()}/dprk-run-" in said.splitlines()[-1]


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


# --- the two ways to launch a kernel --------------------------------------------------------------

def test_the_stock_kernel_launch_gives_the_bytes_of_the_fast_one(tmp_path):
    """The fast launch (kernels forked through the provisioner) is optional: switched off, the run launches
    every kernel the stock way and writes the same bytes."""
    env = {k: v for k, v in os.environ.items() if k != kernels.FAST_SWITCH}

    def outputs() -> dict[str, str]:  # the run log records durations: every other file is compared
        return {k: v for k, v in digest(tmp_path / "processed", tmp_path / "reports").items()
                if k not in ("reports/manifest.json", "reports/run.html")}

    fast = subprocess.run(command(tmp_path), cwd=paths.ROOT, env=env, capture_output=True, text=True)
    assert fast.returncode == 0, fast.stdout + fast.stderr
    assert "stock way" not in fast.stdout and "fast kernel launch failed" not in fast.stdout
    before = outputs()
    assert len(before) > 40
    stock = subprocess.run(command(tmp_path, None, "--force", "--stock-kernels"), cwd=paths.ROOT, env=env,
                           capture_output=True, text=True)
    assert stock.returncode == 0, stock.stdout + stock.stderr
    assert "kernels are launched the stock way (--stock-kernels)" in stock.stdout
    assert f"{len(pipeline.STEPS)} step(s) ran" in stock.stdout
    assert outputs() == before
    by_switch = subprocess.run(command(tmp_path, None, "--force"), cwd=paths.ROOT, capture_output=True, text=True,
                               env={**env, kernels.FAST_SWITCH: "0"})
    assert by_switch.returncode == 0 and f"stock way ({kernels.FAST_SWITCH}=0)" in by_switch.stdout
    assert outputs() == before


# --- another focal state (issue 21): the ROK's list, from the same pipeline ----------------------------

def test_the_rok_runs_end_to_end_into_its_own_report_with_its_own_labels(tmp_path):
    from dprk_relations.data import ingest
    from dprk_relations.rules.relations import build_spells, stock_on

    manifest = pipeline.run({"focal": "KOR", "processed_dir": str(tmp_path / "p"), "reports_dir": str(tmp_path / "r")})
    assert sorted(manifest["ran"]) == sorted(s.name for s in pipeline.STEPS)
    chart = list(csv.DictReader((tmp_path / "r" / "figures" / "maintaining.csv").open(encoding="utf-8")))
    rok = ingest.load(paths.DATA_RAW, focal="KOR")
    spells = build_spells(rok.events, rok.states, rok.successions, date(2023, 10, 1))
    assert int(chart[-1]["maintaining"]) == int(stock_on(spells, [date(2023, 10, 1)])[0])
    assert chart[0]["maintaining"] == "0"  # 1948: the first relations with the ROK came in January 1949
    page = (tmp_path / "r" / "index.html").read_text(encoding="utf-8")
    assert "the ROK" in page and "maintaining diplomatic relations with the ROK" in page
    assert "maintaining diplomatic relations with the DPRK" not in page and "id=\"peer-agreement\"" in page
    notebook = (tmp_path / "r" / "notebooks" / "04-figures.html").read_text(encoding="utf-8")
    assert "Number of states maintaining diplomatic relations with the ROK</h3>" in notebook
    # the ROK's run checks the ROK's own register (data/raw/kor/claims.csv), not the report's
    checked = list(csv.DictReader((tmp_path / "p" / "claims_checked.csv").open(encoding="utf-8")))
    assert [c["claim_id"] for c in checked] == list(rok.claims["claim_id"]) and len(checked) > 10
    assert {c["check"] for c in checked} >= {"race_group_at", "other_korea_stock_at"}
