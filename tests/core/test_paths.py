"""Where things live (core/paths.py): the root is found from the module's own file (not the working folder),
or given by DPRK_PROJECT_ROOT, and a folder without pyproject.toml and data/raw is no root; paths are shown
relative to the root when inside it; the raw package's files are read from its descriptor; and the folders
the pipeline must never write to are refused, with the words a researcher reads."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from dprk_relations.core import paths

PRINT_ROOT = "from dprk_relations.core import paths\nprint(paths.ROOT)\nprint(paths.DATA_RAW)"


def without_override() -> dict[str, str]:
    """The environment without DPRK_PROJECT_ROOT (the test session points it at a scratch copy)."""
    return {k: v for k, v in os.environ.items() if k != "DPRK_PROJECT_ROOT"}


# --- the root ----------------------------------------------------------------------------------------

def test_the_root_holds_pyproject_and_the_raw_data_and_every_folder_hangs_from_it():
    assert (paths.ROOT / "pyproject.toml").is_file() and paths.DATA_RAW.is_dir()
    assert Path(paths.__file__).resolve().is_relative_to(paths.ROOT)
    assert [p.relative_to(paths.ROOT).as_posix() for p in (paths.DATA_RAW, paths.DATA_PROCESSED, paths.REPORTS, paths.NOTEBOOKS)] == [
        "data/raw", "data/processed", "reports", "notebooks"]


def test_the_root_is_anchored_at_the_module_not_at_the_working_folder(tmp_path):
    """A child started in another folder finds the root of the package it imports (under mutmut, the installed
    copy, not the test's mutated one, which runs only from its own folder: so the root is read off the child's
    own module, src/dprk_relations/core/paths.py)."""
    done = subprocess.run([sys.executable, "-c", PRINT_ROOT + "\nprint(paths.__file__)"], cwd=tmp_path,
                          env=without_override(), capture_output=True, text=True, check=True)
    root, raw, module = done.stdout.splitlines()
    assert Path(root) == Path(module).resolve().parents[3] != tmp_path
    assert Path(raw) == Path(root) / "data" / "raw" and (Path(root) / "pyproject.toml").is_file()


def test_dprk_project_root_gives_the_root_taken_from_the_working_folder_when_relative(tmp_path):
    env = {**without_override(), "DPRK_PROJECT_ROOT": "copy"}
    done = subprocess.run([sys.executable, "-c", PRINT_ROOT], cwd=tmp_path, env=env, capture_output=True, text=True, check=True)
    copy = (tmp_path / "copy").resolve()
    assert done.stdout.splitlines() == [str(copy), str(copy / "data" / "raw")]


def root_of_a_copy(module: Path) -> subprocess.CompletedProcess:
    """Run a copy of paths.py where it lies: the root it finds above itself, or its error. The child works in
    the project's own root, a root too: the copy must find the one above itself, not the working folder (and
    under mutmut, a mutated copy finds mutmut's settings there)."""
    code = f"import runpy\nprint(runpy.run_path({str(module)!r})['ROOT'])"
    return subprocess.run([sys.executable, "-c", code], cwd=paths.ROOT, env=without_override(), capture_output=True, text=True)


def test_a_root_needs_both_pyproject_and_data_raw_and_without_one_the_error_says_what_to_do(tmp_path):
    project = tmp_path / "project"
    module = project / "src" / "pkg" / "paths.py"
    module.parent.mkdir(parents=True)
    shutil.copy(paths.__file__, module)
    (project / "pyproject.toml").write_text("", encoding="utf-8")
    (project / "data").mkdir()  # no data/raw yet: not a root
    lost = root_of_a_copy(module)
    assert lost.returncode == 1
    assert lost.stderr.strip().splitlines()[-1] == (
        f"RuntimeError: cannot find the project root above {module.resolve()}: expected a folder holding "
        "pyproject.toml and data/raw/ (set DPRK_PROJECT_ROOT to point at it)")
    (project / "data" / "raw").mkdir()
    found = root_of_a_copy(module)
    assert found.returncode == 0 and found.stdout.strip() == str(project.resolve())


# --- paths as shown and as given ----------------------------------------------------------------------

def test_a_path_inside_the_root_is_shown_relative_to_it_and_one_outside_as_it_is(tmp_path):
    assert paths.relative(paths.DATA_RAW / "events.csv") == "data/raw/events.csv"
    assert paths.relative(str(paths.ROOT / "data" / ".." / "src")) == "src"
    assert paths.relative(paths.ROOT) == "."
    assert paths.relative(tmp_path / "out") == (tmp_path / "out").resolve().as_posix()


def test_a_relative_path_is_shown_from_the_working_folder_and_a_link_by_where_it_leads(tmp_path, monkeypatch):
    (tmp_path / "link").symlink_to(paths.ROOT / "data", target_is_directory=True)
    assert paths.relative(tmp_path / "link" / "raw") == "data/raw"
    monkeypatch.chdir(paths.ROOT / "data")
    assert paths.relative("raw/events.csv") == "data/raw/events.csv"


def test_a_parameter_s_relative_path_is_taken_from_the_root_whatever_the_working_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert paths.resolve("data/raw") == paths.ROOT / "data" / "raw"
    assert paths.resolve(tmp_path / "raw") == tmp_path / "raw"


# --- the raw package's files ------------------------------------------------------------------------

def test_the_raw_files_are_the_descriptor_and_the_resources_it_lists_with_a_focal_folder_s_prefixed(tmp_path):
    resources = [{"name": "a", "path": "a.csv"}, {"name": "b", "path": "sub/b.csv"}, {"name": "no path"}, "not a resource"]
    (tmp_path / "datapackage.json").write_text(json.dumps({"resources": resources}), encoding="utf-8")
    assert paths.raw_files(tmp_path) == ["datapackage.json", "a.csv", "sub/b.csv"]
    (tmp_path / "kor").mkdir()
    (tmp_path / "kor" / "datapackage.json").write_text(json.dumps({"resources": [{"path": "events.csv"}]}), encoding="utf-8")
    assert paths.raw_files(tmp_path, "kor") == ["datapackage.json", "a.csv", "sub/b.csv", "kor/datapackage.json", "kor/events.csv"]


@pytest.mark.parametrize("text", [None, "{not json", '{"no": "resources"}'])
def test_an_unreadable_descriptor_gives_the_descriptor_alone_for_ingest_to_say_why(tmp_path, text):
    if text is not None:
        (tmp_path / "datapackage.json").write_text(text, encoding="utf-8")
    assert paths.raw_files(tmp_path) == ["datapackage.json"]
    assert paths.raw_files(tmp_path, "kor") == ["datapackage.json", "kor/datapackage.json"]


# --- folders the pipeline may write to --------------------------------------------------------------

def test_no_output_goes_into_above_or_below_raw_input_or_the_project_s_sources(tmp_path):
    raw = tmp_path / "raw"
    (raw / "sub").mkdir(parents=True)
    into = f"holds or lies in a folder of raw input ({paths.relative(raw)}); outputs go elsewhere"
    for folder in (raw, raw / "sub", tmp_path):
        assert paths.output_folder_problem(folder, raw) == f"{paths.relative(folder)} {into}"
    assert paths.output_folder_problem(paths.DATA_RAW / "kor", raw) == (
        "data/raw/kor holds or lies in a folder of raw input (data/raw); outputs go elsewhere")
    for kept in ("src", "tests", "notebooks", "data/external"):
        assert paths.output_folder_problem(paths.ROOT / kept / "out", raw) == (
            f"{kept}/out holds or lies in {kept}, which the pipeline reads; outputs go elsewhere")


def test_outside_its_default_folders_the_pipeline_writes_only_to_a_new_empty_or_own_folder(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    theirs = tmp_path / "theirs"
    theirs.mkdir()
    (theirs / "thesis.tex").write_text("years of work\n", encoding="utf-8")
    assert paths.output_folder_problem(theirs, raw) == (
        f"{paths.relative(theirs)} already holds files the pipeline did not make (no {paths.OUTPUT_MARKER} in it); "
        "give a new or empty folder")
    (tmp_path / "file").write_text("", encoding="utf-8")
    assert paths.output_folder_problem(tmp_path / "file", raw) == f"{paths.relative(tmp_path / 'file')} is not a folder"
    (tmp_path / "empty").mkdir()
    assert [paths.output_folder_problem(tmp_path / name, raw) for name in ("new", "empty")] == [None, None]
    assert paths.output_folder_problem(paths.DATA_PROCESSED / "runs" / "x", raw) is None  # a default folder
    paths.claim_output_folder(tmp_path / "new" / "processed")
    assert (tmp_path / "new" / "processed" / paths.OUTPUT_MARKER).is_file()
    (tmp_path / "new" / "processed" / "events.csv").write_text("", encoding="utf-8")
    assert paths.output_folder_problem(tmp_path / "new" / "processed", raw) is None  # the pipeline's own


def test_a_folder_that_holds_files_is_claimed_without_the_mark(tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine\n", encoding="utf-8")
    paths.claim_output_folder(folder)
    assert sorted(p.name for p in folder.iterdir()) == ["notes.txt"]
