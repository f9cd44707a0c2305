"""The whole pipeline: same bytes twice, exact reruns, failures that leave good outputs untouched.

Issue 19: one run at a time per output folder. While a run holds the lock of a folder, a second run on
it waits, says so, and goes on only once the first has let go, holding the lock itself from then on.

No timing: the second run signals when it has found the lock taken (its message) or got in; the first
lets go only then; and inside, the second checks that the first had let go and that the lock is its own
(a third taker is refused). A lock that does not wait, or does not lock, fails one of these checks
whatever the order the threads run in."""
from __future__ import annotations

import contextlib
import csv
import hashlib
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path
from unittest import mock

import pytest
from filelock import FileLock, Timeout

from dprk_relations.core import paths
from dprk_relations.report import changes
from dprk_relations.runner import keys, pipeline
from tests.runner import progress

# Pages and files that change on every run by design: the run log.
VOLATILE = {"manifest.json", "run.html"}
# Files a run keeps in its folders besides its outputs: the lock, and the mark of a folder it made.
KEPT = {pipeline.LOCK, paths.OUTPUT_MARKER}


def digest_tree(*roots: Path) -> dict[str, str]:
    out = {}
    for root in roots:
        for path in sorted(root.rglob("*")):
            if path.is_file() and path.name not in VOLATILE | KEPT and "failed" not in path.parts:
                out[f"{root.name}/{path.relative_to(root).as_posix()}"] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def run(out: Path, raw: Path | None = None, force: bool = False, **extra) -> dict:
    values = {"processed_dir": str(out / "processed"), "reports_dir": str(out / "reports"), **extra}
    if raw is not None:
        values["raw_dir"] = str(raw)
    return pipeline.run(values, force=force)


def statuses(manifest: dict) -> dict[str, str]:
    return {name: record["status"] for name, record in manifest["steps"].items()}


@pytest.fixture(scope="module")
def first_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("run")
    manifest = run(out)
    return out, manifest, digest_tree(out / "processed", out / "reports")


@pytest.mark.slow
def test_a_run_never_changes_the_runners_working_folder(tmp_path, monkeypatch):
    # steps run two at a time in threads of one process: a chdir in one (papermill's cwd=) would be
    # undone or kept by the other, leaving the process wherever the last one to finish left it
    # (papermill's reads and writes chdir to the folder the process is in, and back: harmless)
    monkeypatch.chdir(tmp_path)  # a researcher's shell anywhere but the project root
    start, folders = os.getcwd(), set()
    real_chdir = os.chdir
    with mock.patch("os.chdir", side_effect=lambda path: (folders.add(str(path)), real_chdir(path))):
        run(tmp_path)
    assert folders <= {start} and os.getcwd() == start, (start, folders)


@pytest.mark.slow
def test_every_output_is_written(first_run):
    out, manifest, digests = first_run
    assert all(s == "ran" for s in statuses(manifest).values())
    params = pipeline.check("01-ingest", {"processed_dir": str(out / "processed"), "reports_dir": str(out / "reports")})
    for step in pipeline.STEPS:
        for name in step.writes:
            assert pipeline.store.path_of(params, name).is_file(), name
    assert (out / "reports" / "index.html").is_file()
    assert len(digests) > 40


@pytest.mark.slow
def test_two_runs_give_the_same_bytes(first_run):
    out, _, digests = first_run
    run(out, force=True)
    assert digest_tree(out / "processed", out / "reports") == digests


@pytest.mark.slow
def test_a_rerun_with_nothing_changed_skips_every_step(first_run, monkeypatch):
    out, _, _ = first_run
    from dprk_relations.runner import kernels

    # nothing to run: no kernel pool is made (the kernel machinery is not even imported on a no-op rerun)
    monkeypatch.setattr(kernels, "KernelPool", lambda *a, **k: pytest.fail("a kernel pool was made for a no-op rerun"))
    manifest = run(out)
    assert set(statuses(manifest).values()) == {"skipped"}


@pytest.mark.slow
def test_the_committed_outputs_are_what_the_pipeline_makes(first_run):
    """data/processed and reports/figures are committed: they must be the default run's bytes."""
    _, _, digests = first_run
    committed = digest_tree(paths.DATA_PROCESSED, paths.REPORTS / "figures")
    made = {k.replace("reports/figures/", "figures/"): v for k, v in digests.items()
            if k.startswith(("processed/", "reports/figures/"))}
    committed = {k: v for k, v in committed.items() if "/runs/" not in k}
    assert committed == made


def copy_raw(tmp_path: Path) -> Path:
    raw = tmp_path / "raw"
    shutil.copytree(paths.DATA_RAW, raw)
    return raw


def edit_csv(path: Path, match: dict, changes: dict) -> None:
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    hit = [r for r in rows if all(r[k] == v for k, v in match.items())]
    assert len(hit) == 1, match
    hit[0].update(changes)
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, list(rows[0].keys()), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def move_event(raw: Path, event_id: str, day: str) -> None:
    """Correct an event's date as a researcher would: the event and every source that dates it
    (each at its own precision: a source giving the year gives the new year)."""
    edit_csv(raw / "events.csv", {"event_id": event_id}, {"date": day, "precision": "day"})
    rows = list(csv.DictReader((raw / "sources.csv").open(encoding="utf-8")))
    width = {"day": 10, "month": 7, "year": 4}
    for row in rows:
        if row["event_id"] == event_id and row["date_given"] and row["reading"] in ("chosen", "agrees"):
            row["date_given"] = day[: width[row["precision_given"]]]
    with (raw / "sources.csv").open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, list(rows[0].keys()), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


@pytest.mark.slow
def test_changing_one_date_changes_the_outputs_and_reruns_what_depends_on_it(first_run, tmp_path):
    out, _, digests = first_run
    raw = copy_raw(tmp_path)
    work = tmp_path / "out"
    run(work, raw=raw)
    move_event(raw, "CUB-established-1", "1961-08-29")
    manifest = run(work, raw=raw)
    assert set(statuses(manifest).values()) == {"ran"}, statuses(manifest)  # every step reads the events
    changed = digest_tree(work / "processed", work / "reports")
    assert changed["processed/yearly_counts.csv"] != digests["processed/yearly_counts.csv"]
    assert changed["reports/figures/maintaining.csv"] != digests["reports/figures/maintaining.csv"]
    assert changed["reports/figures/maintaining.png"] != digests["reports/figures/maintaining.png"]

    # a claims-only edit reruns ingest, the claims, the race (it checks both Koreas' lists whole, as ingest does)
    # and the report, nothing else
    edit_csv(raw / "claims.csv", {"claim_id": "cuba_1960"}, {"expected": "1961", "subject_until": "1961-12-31"})
    manifest = run(work, raw=raw)
    assert statuses(manifest) == {"01-ingest": "ran", "02-yearly-counts": "skipped", "03-waves": "skipped",
                                  "05-claims": "ran", "04-figures": "skipped", "06-peers": "skipped",
                                  "07-race": "ran", "08-html-report": "ran"}


@pytest.mark.slow
def test_a_failed_run_leaves_the_previous_outputs_untouched(tmp_path):
    raw = copy_raw(tmp_path)
    work = tmp_path / "out"
    run(work, raw=raw)
    before = digest_tree(work / "processed", work / "reports")
    edit_csv(raw / "events.csv", {"iso3": "CUB", "event": "established"}, {"date": "1960-13-29"})
    with pytest.raises(pipeline.StepFailed, match=r"(?s)01-ingest.ipynb failed in cell \d+.*events.csv, line \d+, field 'date'"):
        run(work, raw=raw)
    assert digest_tree(work / "processed", work / "reports") == before
    assert (work / "reports" / "notebooks" / "failed" / "01-ingest.ipynb").is_file()


@pytest.mark.slow
def test_a_killed_run_leaves_no_half_written_file(tmp_path):
    raw = copy_raw(tmp_path)
    work = tmp_path / "out"
    cmd = [sys.executable, "-m", "dprk_relations.runner.pipeline", "--raw-dir", str(raw),
           "--processed-dir", str(work / "processed"), "--reports-dir", str(work / "reports")]
    # a killed run cannot remove its temporary folder (kernel sockets): give it one this test removes,
    # short, because a socket path has at most 107 bytes
    import tempfile

    scratch = tempfile.mkdtemp(prefix="k-")
    env = {**os.environ, "TMPDIR": scratch}
    try:
        # in the middle of the notebooks: the figures' step has begun, whatever the machine's speed
        progress.interrupt_when(progress.start(cmd, env), "[04-figures] running")
    finally:
        time.sleep(1.5)  # the kernel server notices its run is gone within a second, and leaves
        shutil.rmtree(scratch)
    for path in (work / "processed").glob("*.csv"):
        rows = list(csv.reader(path.open(encoding="utf-8")))
        assert rows and all(len(r) == len(rows[0]) for r in rows), path
    # the next run sweeps leftovers and completes
    assert subprocess.run(cmd, capture_output=True).returncode == 0
    leftovers = [p for p in work.rglob("*") if p.name.endswith(".tmp") or p.name.startswith(".partial-")]
    assert leftovers == []


@pytest.mark.slow
def test_bad_parameter_stops_before_any_kernel_starts():
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "dprk_relations.runner.pipeline", "--as-of", "2016-13-01"],
                            capture_output=True, text=True)
    assert result.returncode == 2
    assert "parameter as_of" in result.stderr
    assert time.perf_counter() - started < 5


@pytest.mark.slow
def test_papermill_from_the_shell_refuses_an_unknown_parameter(tmp_path):
    papermill = Path(sys.executable).parent / "papermill"
    result = subprocess.run([str(papermill), str(paths.NOTEBOOKS / "02-yearly-counts.ipynb"), str(tmp_path / "out.ipynb"),
                             "-p", "asof", "2016-08-01"], capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode != 0
    assert "unknown parameter(s) asof" in result.stdout + result.stderr


@pytest.mark.slow
def test_papermill_runs_the_counts_notebook_alone_for_another_cut_off(tmp_path):
    """The README's example: one notebook, another cut-off, from the shell."""
    papermill = Path(sys.executable).parent / "papermill"
    result = subprocess.run([str(papermill), str(paths.NOTEBOOKS / "02-yearly-counts.ipynb"), str(tmp_path / "out.ipynb"),
                             "-p", "as_of", "2016-08-01", "-p", "processed_dir", str(tmp_path / "processed"),
                             "-p", "reports_dir", str(tmp_path / "reports")], capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    rows = list(csv.DictReader((tmp_path / "processed" / "yearly_counts.csv").open(encoding="utf-8")))
    assert rows[-1]["year"] == "2016" and rows[-1]["measured_on"] == "2016-08-01"


@pytest.mark.slow
def test_storing_outputs_in_a_notebook_does_not_make_its_step_stale(tmp_path):
    nb = json.loads((paths.NOTEBOOKS / "02-yearly-counts.ipynb").read_text(encoding="utf-8"))
    before = tmp_path / "a.ipynb"
    before.write_text(json.dumps(nb), encoding="utf-8")
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            cell["outputs"], cell["execution_count"] = [], None
    after = tmp_path / "b.ipynb"
    after.write_text(json.dumps(nb), encoding="utf-8")
    assert keys.notebook_hash(before) == keys.notebook_hash(after)
    nb["cells"][-1]["source"] = "print('changed')"
    after.write_text(json.dumps(nb), encoding="utf-8")
    assert keys.notebook_hash(before) != keys.notebook_hash(after)


@pytest.mark.slow
def test_an_edit_lists_the_verdicts_it_changes_against_the_committed_data(tmp_path, capsys):
    """Issue 12's example: Cuba's establishment moved to 1957 in a copy of data/raw."""
    raw = copy_raw(tmp_path)
    move_event(raw, "CUB-established-1", "1957-06-01")
    run(tmp_path / "out", raw=raw)
    printed = capsys.readouterr().out
    committed = changes.read_claims(changes.committed_bytes())
    edited = changes.read_claims((tmp_path / "out" / "processed" / "claims_checked.csv").read_bytes())
    listed = {c["claim_id"]: c for c in changes.verdict_changes(committed, edited)}
    assert listed["cuba_1960"]["old_verdict"] == "supported" and listed["cuba_1960"]["new_verdict"] == "contradicted"
    assert listed["cuba_1960"]["new_value"] == '{"CUB": 1957}'
    assert 'cuba_1960: supported -> contradicted (value {"CUB": 1960} -> {"CUB": 1957})' in printed
    # claims Cuba's date cannot touch are not listed
    assert "ukraine_july_2022" not in listed and "portugal_ended" not in listed
    page = (tmp_path / "out" / "reports" / "index.html").read_text(encoding="utf-8")
    section = page[page.index('id="changed"'):page.index("<h2>Key numbers")]
    assert "<td>cuba_1960</td>" in section and f"{len(listed)} claim(s) differ" in section


@pytest.mark.slow
def test_the_committed_data_list_no_change(first_run):
    out, _, _ = first_run
    committed = changes.read_claims(changes.committed_bytes())
    fresh = changes.read_claims((out / "processed" / "claims_checked.csv").read_bytes())
    assert changes.verdict_changes(committed, fresh) == []
    page = (out / "reports" / "index.html").read_text(encoding="utf-8")
    assert "No claim's verdict or value differs from the committed data" in page


@pytest.mark.parametrize("rows, expected", [
    ("a,supported,1\nb,after the cut-off,\nc,supported,2\n",
     "pipeline: every verdict and value of the 2 statements checked as committed"),
    ("a,supported,1\nb,after the cut-off,\n", "pipeline: every verdict and value of the 1 statement checked as committed"),
    ("b,after the cut-off,\n", "pipeline: no statement concerns facts up to the cut-off: none is compared with the committed verdicts"),
    ("a,supported,1\nc,supported,2\n", "pipeline: every verdict and value as committed")])
def test_no_change_says_which_statements_it_covers_when_some_lie_after_the_cut_off(tmp_path, monkeypatch, capsys, rows, expected):
    from datetime import date
    from types import SimpleNamespace

    (tmp_path / "claims_checked.csv").write_text("claim_id,verdict,value\n" + rows, encoding="utf-8")
    for name in ("published_counts", "published_comparison"):
        (tmp_path / f"{name}.csv").write_text("count_id\nc1\n", encoding="utf-8")
    monkeypatch.setattr(changes, "against_committed", lambda checked: [])
    base = SimpleNamespace(processed_dir=tmp_path, as_of=date(2016, 8, 1), focal=changes.REGISTER_OF)
    assert pipeline.report_changes(base) == []
    printed = capsys.readouterr().out.splitlines()
    assert printed[-1] == f"{expected} ({changes.COMMITTED})"
    assert any("1 statement(s) concern facts after the cut-off 2016-08-01" in line for line in printed) == ("after" in rows)


@pytest.mark.parametrize("counts, compared, expected", [
    ("c1\nc2\nc3\n", "c1\n", "pipeline: 2 published count(s) cover a period ending after the cut-off 2016-08-01"),
    ("c1\nc2\n", "c1\nc2\n", None)])
def test_the_run_says_how_many_published_counts_it_set_apart_at_its_cut_off(tmp_path, monkeypatch, capsys, counts,
                                                                          compared, expected):
    """The page said how many published counts end after the cut-off; the run's own lines did not."""
    from datetime import date
    from types import SimpleNamespace

    (tmp_path / "claims_checked.csv").write_text("claim_id,verdict,value\na,supported,1\n", encoding="utf-8")
    (tmp_path / "published_counts.csv").write_text("count_id\n" + counts, encoding="utf-8")
    (tmp_path / "published_comparison.csv").write_text("count_id\n" + compared, encoding="utf-8")
    monkeypatch.setattr(changes, "against_committed", lambda checked: [])
    pipeline.report_changes(SimpleNamespace(processed_dir=tmp_path, as_of=date(2016, 8, 1), focal=changes.REGISTER_OF))
    said = [line for line in capsys.readouterr().out.splitlines() if "published count" in line]
    assert said == ([] if expected is None else [f"{expected} and are not compared with the data"])


@pytest.mark.slow
def test_the_waves_notebook_alone_with_another_rule_leaves_the_default_waves_alone(tmp_path):
    """Issue 10's defect 5: a non-default wave parameter used to overwrite data/processed/waves.csv.
    The notebook runs in the tests' scratch copy of the project (conftest.py), as every kernel does."""
    papermill = Path(sys.executable).parent / "papermill"
    scratch = Path(os.environ["DPRK_PROJECT_ROOT"])
    default = (scratch / "data" / "processed" / "waves.csv").read_bytes()
    result = subprocess.run([str(papermill), str(paths.NOTEBOOKS / "03-waves.ipynb"), str(tmp_path / "out.ipynb"),
                             "-p", "wave_max_gap", "3"], capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    assert (scratch / "data" / "processed" / "waves.csv").read_bytes() == default
    own = scratch / "data" / "processed" / "runs" / "wave_max_gap-3" / "waves.csv"
    assert own.read_bytes() != default  # gaps of 3 join 1964 and 1969, and 1969 and 1972-75


@pytest.mark.slow
def test_two_runs_in_one_folder_wait_for_each_other(tmp_path):
    """Issue 10's defect 7: each run's start-up clean-up used to delete the other's temporary files."""
    cmd = [sys.executable, "-m", "dprk_relations.runner.pipeline", "--force", "--processed-dir", str(tmp_path / "processed"),
           "--reports-dir", str(tmp_path / "reports")]
    first = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    progress.wait_for(first, "[01-ingest] running")  # the first holds the lock from before its first step
    second = subprocess.run(cmd, capture_output=True, text=True)
    out_first, _ = first.communicate()
    assert first.returncode == 0, out_first[-2000:]
    assert second.returncode == 0, second.stdout[-2000:] + second.stderr[-2000:]
    assert "another run is writing to" in second.stdout


@pytest.mark.slow
def test_a_failed_run_leaves_no_kernel_socket_behind(tmp_path, monkeypatch):
    """The run's temporary folder (its kernels' sockets and connection files) is one of the test's own:
    another run going on at the same time, in the shared temporary folder, is none of its business."""
    import tempfile

    own = Path(tempfile.mkdtemp(prefix="k-"))  # short: a socket's path has at most 107 bytes
    monkeypatch.setattr(tempfile, "tempdir", str(own))  # the run's folder, in this process
    monkeypatch.setenv("TMPDIR", str(own))  # and the kernels' temporary files
    raw = copy_raw(tmp_path)
    edit_csv(raw / "events.csv", {"iso3": "CUB", "event": "established"}, {"date": "1960-13-29"})
    try:
        with pytest.raises(pipeline.StepFailed):
            run(tmp_path / "out", raw=raw)
        left = sorted(p.name for p in own.iterdir())
    finally:
        shutil.rmtree(own)
    assert left == []


@pytest.mark.slow
def test_a_folder_the_run_cannot_write_is_named_not_a_traceback(tmp_path, monkeypatch, capsys):
    @contextlib.contextmanager
    def denied(folders):
        raise PermissionError(13, "Permission denied", str(folders[0] / pipeline.LOCK))
        yield

    monkeypatch.setattr(pipeline, "run_lock", denied)  # the first write of a run: its lock file
    code = pipeline.main(["--processed-dir", str(tmp_path / "processed"), "--reports-dir", str(tmp_path / "reports")])
    assert code == 1
    err = capsys.readouterr().err
    assert "permission denied" in err and ".pipeline.lock" in err and "Traceback" not in err


@pytest.mark.slow
def test_printed_text_is_one_output_however_the_kernel_flushes_it(tmp_path, monkeypatch):
    """The cause of a rare difference between two runs' executed notebooks: the kernel sends printed
    text on a timer (every 0.2 s), so under load one cell's prints came as one output or as several."""
    import nbformat

    cell = "import sys, time\nprint('first')\nsys.stdout.flush()\ntime.sleep(0.5)\nprint('second')"
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("as_of = '2023-10-01'", metadata={"tags": ["parameters"]}),
                                         nbformat.v4.new_code_cell(cell)])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    nbformat.write(nb, notebooks / "flush.ipynb")
    monkeypatch.setattr(paths, "NOTEBOOKS", notebooks)
    step = pipeline.Step("flush", "flush.ipynb", (), (), (), ())
    params = pipeline.check("01-ingest", {"processed_dir": str(tmp_path / "p"), "reports_dir": str(tmp_path / "r")})
    import tempfile

    with tempfile.TemporaryDirectory(prefix="k-") as work:  # a short folder: socket paths are short
        pipeline.execute_notebook(step, params, Path(work))
    outputs = nbformat.read(tmp_path / "r" / "notebooks" / "flush.ipynb", as_version=4).cells[-1].outputs
    assert [o.output_type for o in outputs] == ["stream"] and outputs[0].text == "first\nsecond\n"


def is_free(folder) -> bool:
    """Whether a taker other than the runs could take the folder's lock now (it lets go at once)."""
    probe = FileLock(str(folder / pipeline.LOCK))
    try:
        probe.acquire(timeout=0)
    except Timeout:
        return False
    probe.release()
    return True


@pytest.mark.parametrize("shared", ["processed", "reports"])
def test_a_second_run_on_a_folder_waits_for_the_first_and_then_holds_the_lock(tmp_path, monkeypatch, shared):
    folders = {name: tmp_path / name for name in ("processed", "reports", "its own")}
    for folder in folders.values():
        folder.mkdir()
    first_run = [folders["processed"], folders["reports"]]
    # the second shares one folder with the first, as a run with another cut-off sharing processed/ does
    second_run = [folders[shared], folders["its own"]]
    said: list[str] = []
    arrived = threading.Event()  # the second run has found the lock taken, or got in
    first_let_go = threading.Event()
    inside: dict[str, bool] = {}

    def log(message: str) -> None:
        said.append(message)
        arrived.set()

    monkeypatch.setattr(pipeline, "log", log)

    def second() -> None:
        with pipeline.run_lock(second_run):
            inside["after the first let go"] = first_let_go.is_set()
            inside["the lock is its own"] = not is_free(folders[shared])
            arrived.set()

    with pipeline.run_lock(first_run):
        assert not is_free(folders["processed"]) and not is_free(folders["reports"])
        thread = threading.Thread(target=second, daemon=True)
        thread.start()
        arrived.wait()
        first_let_go.set()
    thread.join(timeout=120)  # a safety net only: a lock never let go fails here instead of hanging the suite
    assert not thread.is_alive()
    assert inside == {"after the first let go": True, "the lock is its own": True}
    assert len(said) == 1 and said[0].startswith(f"pipeline: another run is writing to {folders[shared].as_posix()}")
    assert all(is_free(folder) for folder in folders.values())  # both runs let go on leaving


def test_runs_on_folders_they_do_not_share_do_not_wait(tmp_path, monkeypatch):
    said: list[str] = []
    monkeypatch.setattr(pipeline, "log", said.append)
    one, other = [tmp_path / "a", tmp_path / "b"], [tmp_path / "c", tmp_path / "d"]
    for folder in one + other:
        folder.mkdir()
    with pipeline.run_lock(one):
        with pipeline.run_lock(other):
            assert not any(is_free(folder) for folder in one + other)
    assert said == []
