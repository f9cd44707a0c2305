"""The step cache: a step is skipped only when nothing it depends on changed.

Issue 19: every input a step declares is in its cache key. For each step of the catalogue and each input
it declares (its raw tables and the descriptor listing them, the processed tables and report files it
reads, the files shipped in the repository, the committed files it compares with, every cell of its
notebook, each of its parameters, the code it runs and, for the report, its templates), the key is
computed, that input is changed in a temporary copy of the project, and the key must differ.

The key is computed with the runner's own functions (step_inputs, step_code, step_key), the way the
runner decides a step: a step skipped on a key that ignores one of these would publish stale outputs.

Issue 19: a step is up to date only while its outputs are the bytes its last run recorded. An output
edited (or removed) by hand after a run makes its step stale, whatever its key."""
from __future__ import annotations

import collections
import contextlib
import hashlib
import json
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from dprk_relations.core import catalogue, paths
from dprk_relations.core import focal as focals
from dprk_relations.core.params import check, declared
from dprk_relations.data import store
from dprk_relations.report import changes
from dprk_relations.report import site as report
from dprk_relations.runner import keys, pipeline

STEP = {s.name: s for s in pipeline.STEPS}


def test_the_code_a_step_depends_on_includes_indirect_imports_and_the_runner():
    closure = keys.module_closure(keys.notebook_code(paths.NOTEBOOKS / "05-claims.ipynb"))
    # 05 imports claims and store; claims imports missions, relations, waves, counts
    assert {"analysis.claims", "rules.missions", "rules.relations", "analysis.waves", "analysis.counts"} <= set(closure)


# the steps that read the raw data (ingest, and the race, which checks both Koreas' lists as their runs do) are left out
@pytest.mark.parametrize("step_name", [s.name for s in catalogue.STEPS if s.notebook and not (s.reads_raw or s.reads_raw_of)])
def test_a_step_that_reads_the_ingest_tables_does_not_depend_on_ingests_checks(step_name):
    # the tables' record is a module of its own (data/dataset.py): an edit of a check reruns ingest alone
    closure = set(keys.module_closure(keys.notebook_code(paths.NOTEBOOKS / STEP[step_name].notebook)))
    assert "data.dataset" in closure or "data.store" not in closure
    assert not {"data.ingest", "data.checks", "rules.package", "rules.rawdata", "rules.constraints"} & closure, step_name


CLAIMS_MODULES = sorted(m for m in keys.package_modules() if m.split(".")[1].startswith("claims"))


def copy_of_the_package(tmp_path, monkeypatch):
    """A copy of the package the pipeline reads its code from instead: a test edits the copy, never a tracked file."""
    package = tmp_path / "pkg"
    package.mkdir()
    for module in keys.PACKAGE_DIR.rglob("*.py"):
        copy = package / module.relative_to(keys.PACKAGE_DIR)
        copy.parent.mkdir(parents=True, exist_ok=True)
        copy.write_bytes(module.read_bytes())
    monkeypatch.setattr(keys, "PACKAGE_DIR", package)
    return package


def test_the_claims_step_depends_on_every_module_of_the_claims():
    # the register's validation, the verdicts and each family of checks are modules of their own (issue 19)
    assert {"analysis.claims", "analysis.claims_registry", "analysis.claims_validation", "analysis.claims_verdicts",
            "analysis.claims_stock"} <= set(CLAIMS_MODULES)
    closure = keys.module_closure(keys.notebook_code(paths.NOTEBOOKS / "05-claims.ipynb"))
    assert set(CLAIMS_MODULES) <= set(closure)


@pytest.mark.parametrize("module", CLAIMS_MODULES)
def test_an_edit_to_any_module_of_the_claims_changes_the_key_of_the_claims_step_and_of_ingest(module, tmp_path, monkeypatch):
    step, params = STEP["05-claims"], check("05-claims", {})
    before = {name: keys.step_code(STEP[name]) for name in ("05-claims", "01-ingest")}
    key = keys.step_key(step, params, {}, before["05-claims"], {})
    path = keys.module_path(module).relative_to(keys.PACKAGE_DIR)
    edited = copy_of_the_package(tmp_path, monkeypatch) / path
    edited.write_text(edited.read_text(encoding="utf-8") + "\n# an edit\n", encoding="utf-8")
    after = keys.step_code(step)
    assert after != before["05-claims"]
    assert keys.step_key(step, params, {}, after, {}) != key
    assert keys.step_code(STEP["01-ingest"]) != before["01-ingest"]  # ingest checks the register with them


def test_changing_an_indirectly_imported_module_changes_the_step_s_code_hash(tmp_path, monkeypatch):
    before = keys.step_code(STEP["05-claims"])
    missions = copy_of_the_package(tmp_path, monkeypatch) / "rules" / "missions.py"
    missions.write_text(missions.read_text() + "\n# an edit\n")
    assert keys.step_code(STEP["05-claims"]) != before
    assert keys.step_code(STEP["01-ingest"]) != keys.step_code(STEP["05-claims"])


def test_every_parameter_a_step_takes_is_in_its_key():
    step = STEP["03-waves"]
    base = check(step.name, {})
    key = keys.step_key(step, base, {}, "code", {})
    for name, default in declared(step.name).items():
        if name in ("processed_dir", "reports_dir", "raw_dir"):
            continue
        other = {"as_of": "2016-08-01", "focal": "KOR"}.get(name, default + 1 if isinstance(default, int) else default)
        changed = check(step.name, {name: other})
        assert keys.step_key(step, changed, {}, "code", {}) != key, name


def test_inputs_versions_and_python_are_in_the_key():
    step = STEP["02-yearly-counts"]
    p = check(step.name, {})
    key = keys.step_key(step, p, {"a.csv": "1"}, "code", {"pandas": "2"})
    assert keys.step_key(step, p, {"a.csv": "2"}, "code", {"pandas": "2"}) != key
    assert keys.step_key(step, p, {"a.csv": "1"}, "code", {"pandas": "3"}) != key
    assert keys.step_key(step, p, {"a.csv": "1"}, "other code", {"pandas": "2"}) != key


STEP_NAMES = [s.name for s in catalogue.STEPS]
VERSIONS = {"pandas": "1.0"}
# Folder parameters say where the inputs are read and the outputs go: what the key must follow is their
# content, each file of which is changed below; another folder holding the same files is the same input.
FOLDER_PARAMETERS = ("raw_dir", "processed_dir", "reports_dir")


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(root), "-c", "user.name=tests", "-c", "user.email=tests@example.org",
                    "-c", "commit.gpgsign=false", *args], check=True, capture_output=True)


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """A copy of what the steps read, in a temporary project root with a git history of its own (the
    committed files), the key functions pointed at it: (root, the run's values)."""
    root = tmp_path_factory.mktemp("project")
    real_root, default = paths.ROOT, pipeline.check(catalogue.REPORT, {})
    shutil.copytree(paths.DATA_RAW, root / "data" / "raw")
    shutil.copytree(paths.NOTEBOOKS, root / "notebooks", ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    values = {"raw_dir": str(root / "data" / "raw"), "processed_dir": str(root / "processed"),
              "reports_dir": str(root / "reports")}
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(paths, "ROOT", root)
        mp.setattr(paths, "NOTEBOOKS", root / "notebooks")
        committed = {name for s in catalogue.STEPS for name in s.reads_committed}
        for name in committed | {name for s in catalogue.STEPS for name in s.reads_external}:
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(real_root / name, root / name)
        git(root, "init", "-q")
        git(root, "add", "--", *sorted(committed))
        git(root, "commit", "-q", "--allow-empty", "-m", "committed files")
        for folder in ("processed", "reports"):  # marked as the pipeline's, as a run leaves them
            paths.claim_output_folder(root / folder)
        params = run_params(values)
        for step in catalogue.STEPS:  # every table and file a step reads, as the committed outputs hold it
            for name in step.reads:
                target = store.path_of(params[step.name], name)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(store.path_of(default, name), target)
        yield root, values


def run_params(values: dict) -> dict:
    """Each step's parameters in a run of `values`, as the runner checks them."""
    return {s.name: pipeline.check(s.name, pipeline.step_values(s.name, values)) for s in catalogue.STEPS}


def key(step_name: str, values: dict) -> str:
    """The step's key as the runner decides it: the report's inputs hold the notebook steps' too."""
    params = run_params(values)
    step = catalogue.STEP[step_name]
    upstream = None if step.notebook else {s.name: keys.step_inputs(s, params[s.name]) for s in catalogue.NOTEBOOK_STEPS}
    inputs = keys.step_inputs(step, params[step_name], upstream)
    return keys.step_key(step, params[step_name], inputs, keys.step_code(step), VERSIONS)


@contextlib.contextmanager
def append_to(path: Path):
    """An edit of one file (a byte added), undone on leaving."""
    before = path.read_bytes()
    path.write_bytes(before + b"\n")
    try:
        yield
    finally:
        path.write_bytes(before)


def unmoved_by(files: dict[str, Path], compute) -> list[str]:
    """The labels of the files whose edit (append_to) leaves `compute()` as it was: each should be none."""
    before = compute()
    unchanged = []
    for label, path in files.items():
        with append_to(path):
            if compute() == before:
                unchanged.append(label)
    return unchanged


def raw_names(raw_dir: Path) -> list[str]:
    """The raw data package as its descriptor declares it: the descriptor and every resource it lists."""
    package = json.loads((raw_dir / "datapackage.json").read_text(encoding="utf-8"))
    return ["datapackage.json"] + [r["path"] for r in package["resources"]]


def file_inputs(step: catalogue.Step, root: Path, values: dict) -> dict[str, Path]:
    """Every file the catalogue declares the step reads, by a name for the message."""
    params = run_params(values)[step.name]
    files = {}
    # each focal state's package the step reads, as its descriptor declares it: the shared files and its own
    for folder in focals.raw_folders(step, params.focal):
        files.update({f"raw {n}": params.raw_dir / n for n in raw_names(params.raw_dir)})
        if folder:
            files.update({f"raw {folder}/{n}": params.raw_dir / folder / n for n in raw_names(params.raw_dir / folder)})
    files.update({f"reads {n}": store.path_of(params, n) for n in step.reads})
    files.update({f"external {n}": root / n for n in step.reads_external})
    return files


@pytest.mark.parametrize("step_name", STEP_NAMES)
def test_every_file_a_step_declares_it_reads_changes_its_key(project, step_name):
    root, values = project
    step = catalogue.STEP[step_name]
    files = file_inputs(step, root, values)
    assert files  # every step reads something
    assert all(path.is_file() for path in files.values()), files
    before = key(step_name, values)
    assert unmoved_by(files, lambda: key(step_name, values)) == []
    assert key(step_name, values) == before  # every edit undone


def test_a_run_hashes_each_raw_and_shipped_file_once_and_each_table_a_step_writes_every_time(project, monkeypatch):
    """The run's memo (keys.step_inputs' `unwritten`) gives every step the inputs it would have without it;
    it holds the files no step writes (raw and shipped), each hashed once, and never a processed table or
    report file: an earlier step's write must reach the key of every later step that reads it."""
    root, values = project
    params = run_params(values)
    memo: dict = {}
    for step in catalogue.STEPS:
        assert keys.step_inputs(step, params[step.name], None, memo) == keys.step_inputs(step, params[step.name]), step.name
    hashed: list[Path] = []
    real = keys.sha256_file
    monkeypatch.setattr(keys, "sha256_file", lambda path: hashed.append(Path(path)) or real(path))
    memo = {}
    for step in catalogue.STEPS:
        keys.step_inputs(step, params[step.name], None, memo)
    read = collections.Counter(store.path_of(params[s.name], n) for s in catalogue.STEPS for n in s.reads)
    unwritten = {p for s in catalogue.STEPS for p in file_inputs(s, root, values).values()} - set(read)
    times = collections.Counter(hashed)
    assert {p: n for p, n in times.items() if p in read} == dict(read)  # once for each step that reads it
    assert {p: n for p, n in times.items() if p not in read} == dict.fromkeys(unwritten, 1)
    assert len(memo) == len(unwritten)


def test_the_report_declares_the_committed_verdicts_it_compares_with():
    """The report shows the claims that differ from the committed verdicts (changes.COMMITTED)."""
    assert report.COMMITTED in catalogue.STEP[catalogue.REPORT].reads_committed


@pytest.mark.parametrize("step_name", [s.name for s in catalogue.STEPS if s.reads_committed])
def test_a_new_commit_of_a_file_a_step_compares_with_changes_its_key(project, step_name, monkeypatch):
    root, values = project
    # the commit itself is an input too (next test): held still here, so what moves the key is the file
    monkeypatch.setattr(changes, "repository", lambda root=None: {"commit": "held", "url": None})
    before = key(step_name, values)
    for name in catalogue.STEP[step_name].reads_committed:
        original = (root / name).read_bytes()
        (root / name).write_bytes(original + b"\n")
        git(root, "commit", "-q", "-am", f"edit {name}")
        try:
            assert key(step_name, values) != before, name
        finally:
            (root / name).write_bytes(original)
            git(root, "commit", "-q", "-am", f"undo {name}")
    assert key(step_name, values) == before


@pytest.mark.parametrize("step_name", [s.name for s in catalogue.STEPS if s.reads_committed])
def test_the_commit_and_the_repository_a_step_names_change_its_key(project, step_name):
    root, values = project
    before = key(step_name, values)
    git(root, "commit", "-q", "--allow-empty", "-m", "a commit that changes no file")
    after_commit = key(step_name, values)
    assert after_commit != before  # the page and the bundle name the commit
    git(root, "remote", "add", "origin", "https://example.org/dprk-relations.git")
    try:
        assert key(step_name, values) != after_commit  # and the repository the citation gives
    finally:
        git(root, "remote", "remove", "origin")
    assert key(step_name, values) == after_commit


def edit_cell(cell: dict, what: str) -> None:
    """One change papermill would execute differently: a cell's source, its type or its tags."""
    if what == "source":
        cell["source"] = "".join(cell["source"]) + "\n# edited\n"
    elif what == "type":
        cell["cell_type"] = "raw" if cell["cell_type"] != "raw" else "markdown"
    else:
        cell.setdefault("metadata", {})["tags"] = sorted(cell["metadata"].get("tags", [])) + ["edited"]


@pytest.mark.parametrize("step_name", [s.name for s in catalogue.NOTEBOOK_STEPS])
def test_every_cell_of_a_step_s_notebook_changes_its_key(project, step_name):
    root, values = project
    path = root / "notebooks" / catalogue.STEP[step_name].notebook
    original = path.read_text(encoding="utf-8")
    cells = len(json.loads(original)["cells"])
    assert cells > 1
    before = key(step_name, values)
    unchanged = []
    try:
        for i in range(cells):
            for what in ("source", "type", "tags"):
                nb = json.loads(original)
                edit_cell(nb["cells"][i], what)
                path.write_text(json.dumps(nb), encoding="utf-8")
                if key(step_name, values) == before:
                    unchanged.append(f"cell {i} {what}")
    finally:
        path.write_text(original, encoding="utf-8")
    assert unchanged == []


def other_value(name: str, default):
    """A valid value other than the default."""
    if name in ("as_of", "focal"):
        return {"as_of": "2016-08-01", "focal": "KOR"}[name]
    assert isinstance(default, int), name
    return default + 1


@pytest.mark.parametrize("step_name", STEP_NAMES)
def test_every_parameter_a_step_takes_changes_its_key(project, step_name):
    _, values = project
    before = key(step_name, values)
    taken = [n for n in declared(step_name) if n not in FOLDER_PARAMETERS]
    assert "as_of" in taken
    unchanged = [n for n, default in declared(step_name).items() if n in taken
                 and key(step_name, {**values, n: other_value(n, default)}) == before]
    assert unchanged == []


@pytest.fixture
def package_copy(tmp_path, monkeypatch):
    """A copy of the package's modules the code hash reads (keys.PACKAGE_DIR pointed at it)."""
    copy = tmp_path / "pkg"
    shutil.copytree(keys.PACKAGE_DIR, copy, ignore=shutil.ignore_patterns("__pycache__", "templates"))
    monkeypatch.setattr(keys, "PACKAGE_DIR", copy)
    return copy


def code_modules(step: catalogue.Step) -> list[str]:
    """The package's modules a step runs: its notebook's imports (the report: its module), everything they
    import, and the runner that executes it."""
    sources = [keys.module_path(keys.EXECUTOR).read_text(encoding="utf-8")]
    if step.notebook:
        sources += keys.notebook_code(paths.NOTEBOOKS / step.notebook)
        own = set()
    else:
        sources.append(keys.module_path(keys.REPORT_MODULE).read_text(encoding="utf-8"))
        own = {keys.REPORT_MODULE}
    return sorted(set(keys.module_closure(sources)) | own | {keys.EXECUTOR})


@pytest.mark.parametrize("step_name", STEP_NAMES)
def test_every_module_a_step_runs_changes_its_code_hash(package_copy, step_name):
    step = catalogue.STEP[step_name]
    modules = code_modules(step)
    assert keys.EXECUTOR in modules and len(modules) > 3
    assert unmoved_by({m: keys.module_path(m) for m in modules}, lambda: keys.step_code(step)) == []


@pytest.fixture
def templates_copy(tmp_path, monkeypatch):
    copy = tmp_path / "templates"
    shutil.copytree(report.TEMPLATES, copy)
    monkeypatch.setattr(report, "TEMPLATES", copy)
    return copy


def test_every_template_of_the_report_changes_its_code_hash(templates_copy):
    """The report renders index.html.j2 and run.html.j2 and ships report.js, all from its templates folder."""
    step = catalogue.STEP[catalogue.REPORT]
    files = sorted(p for p in templates_copy.rglob("*") if p.is_file())
    assert {"index.html.j2", "run.html.j2", report.SCRIPT.name} <= {p.name for p in files}
    assert unmoved_by({p.relative_to(templates_copy).as_posix(): p for p in files}, lambda: keys.step_code(step)) == []


@pytest.mark.parametrize("step_name", [s.name for s in catalogue.NOTEBOOK_STEPS])
def test_the_template_of_the_notebook_pages_changes_each_notebook_step_s_code_hash(templates_copy, step_name):
    """Each notebook step writes its page (notebooks/<step>.html) with report.render_notebook, from
    the nbconvert template under the report's templates folder."""
    step = catalogue.STEP[step_name]
    files = sorted(p for p in (templates_copy / "nbconvert").rglob("*") if p.is_file())
    assert files and f"notebooks/{step.name}.html" in step.writes
    assert unmoved_by({p.relative_to(templates_copy).as_posix(): p for p in files}, lambda: keys.step_code(step)) == []


# --- the steps' codes remembered between runs (keys.step_codes) -----------------------------------


def test_every_file_a_step_s_code_comes_from_changes_the_memo_s_key(package_copy, templates_copy, tmp_path, monkeypatch):
    """A rerun takes the last manifest's codes only while `code_sources` is unchanged: every module,
    notebook and template must move it, or an edit of one would leave a step's code, and its outputs, stale."""
    notebooks = tmp_path / "notebooks"
    shutil.copytree(paths.NOTEBOOKS, notebooks, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    monkeypatch.setattr(paths, "NOTEBOOKS", notebooks)
    files = {m: keys.module_path(m) for m in keys.package_modules()}
    files |= {p.name: p for p in sorted(notebooks.glob("*.ipynb"))}
    files |= {p.relative_to(templates_copy).as_posix(): p for p in sorted(templates_copy.rglob("*")) if p.is_file()}
    assert len(files) > 60
    assert unmoved_by(files, keys.code_sources) == []


def test_the_codes_are_the_memo_s_only_while_no_file_they_come_from_changes(package_copy):
    steps = catalogue.STEPS
    fresh, memo = keys.step_codes(steps, None)
    assert fresh == {s.name: keys.step_code(s) for s in steps}
    assert memo == {"sources": keys.code_sources(), "codes": fresh}
    remembered = {"sources": memo["sources"], "codes": {s.name: f"remembered {s.name}" for s in steps}}
    assert keys.step_codes(steps, remembered) == (remembered["codes"], remembered)
    with append_to(keys.module_path("analysis.counts")):  # any edit: computed afresh
        edited, edited_memo = keys.step_codes(steps, remembered)
        assert edited == {s.name: keys.step_code(s) for s in steps} != fresh
        assert edited_memo["sources"] != memo["sources"]
    # a memo that lacks a step, or is not one: computed afresh
    for broken in ({"sources": memo["sources"], "codes": {steps[0].name: "x"}}, {"sources": memo["sources"], "codes": "x"},
                   {"sources": memo["sources"], "codes": {**remembered["codes"], steps[-1].name: 7}}, [], "memo"):
        assert keys.step_codes(steps, broken)[0] == fresh, broken


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
