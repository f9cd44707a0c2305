"""The run's folders (runner/folders.py): the output folders a run claims (never raw input or someone
else's files, and one run at a time in each), the run's own temporary folder (marked with its process id,
named when it cannot be written), and the temporary folders of killed runs, which the next run removes:
only those that carry the pipeline's mark. First the functions on folders made by the test, then whole runs."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from types import SimpleNamespace

import pytest

from dprk_relations.core import paths
from dprk_relations.core.params import ParameterError
from dprk_relations.runner import folders, pipeline
from tests.core.test_stage import command
from tests.runner import progress
from tests.runner.test_pipeline import copy_raw


# --- the functions, on folders made by the test --------------------------------------------------

def test_a_run_claims_its_two_output_folders_once_each_made_and_marked(tmp_path):
    base = SimpleNamespace(processed_dir=str(tmp_path / "p"), reports_dir=str(tmp_path / "a" / "r"))
    assert folders.output_folders(base) == [tmp_path / "a" / "r", tmp_path / "p"]  # sorted: the order they are locked in
    assert (tmp_path / "p" / paths.OUTPUT_MARKER).is_file() and (tmp_path / "a" / "r" / paths.OUTPUT_MARKER).is_file()
    same = SimpleNamespace(processed_dir=str(tmp_path / "both"), reports_dir=str(tmp_path / "both") + "/new/..")  # one folder
    assert folders.output_folders(same) == [tmp_path / "both"]


@pytest.fixture
def temporary_folder(tmp_path, monkeypatch):
    """The folder tempfile gives, for this test only."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def test_the_run_folder_carries_the_run_s_process_id_and_is_gone_after_the_run(temporary_folder):
    with folders.run_folder() as work:
        assert work.parent == temporary_folder and work.name.startswith(folders.RUN_FOLDER_PREFIX)
        assert (work / folders.RUN_MARKER).read_text(encoding="utf-8") == str(os.getpid())
        (work / "k-1.json").write_text("{}", encoding="utf-8")
    assert not work.exists()
    with pytest.raises(KeyboardInterrupt):
        with folders.run_folder() as interrupted:
            raise KeyboardInterrupt
    assert not interrupted.exists()


def finished_process_id() -> int:
    """The process id of a process that has ended (and been waited for)."""
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True, check=True)
    return int(done.stdout)


def test_the_sweep_removes_only_marked_folders_of_runs_whose_process_is_gone(temporary_folder):
    def run_folder(name: str, marker: str | None) -> Path:
        folder = temporary_folder / name
        folder.mkdir()
        (folder / "k-1.json").write_text("{}", encoding="utf-8")
        if marker is not None:
            (folder / folders.RUN_MARKER).write_text(marker, encoding="utf-8")
        return folder

    dead = run_folder(folders.RUN_FOLDER_PREFIX + "killed", str(finished_process_id()))
    kept = [run_folder(folders.RUN_FOLDER_PREFIX + "running", str(os.getppid())),  # a run still there
            run_folder(folders.RUN_FOLDER_PREFIX + "this", str(os.getpid())),  # this very process
            run_folder(folders.RUN_FOLDER_PREFIX + "theirs", None),  # named like a run's, without the mark
            run_folder(folders.RUN_FOLDER_PREFIX + "garbled", "not a process id"),
            run_folder("other-program", str(finished_process_id()))]  # the mark, but not a run's name
    assert folders.sweep_dead_runs() == 1
    assert not dead.exists() and all(folder.is_dir() for folder in kept)
    assert folders.sweep_dead_runs() == 0


# --- whole runs ------------------------------------------------------------------------------------

def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.slow
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


@pytest.mark.slow
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


# --- one lock per output folder ------------------------------------------------------------------

@pytest.mark.slow
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


# --- the run's temporary folder, named when full ---------------------------------------------------

@pytest.mark.slow
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
