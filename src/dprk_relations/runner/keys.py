"""Cache keys and the manifest: what a step reads and writes, hashed, and the record of the last run.

A step's key is a hash of the content of everything it reads (raw tables, processed tables, files
shipped in the repository, the committed files it compares with, its notebook's cells), the package
code it runs (the modules its notebook imports, with everything they import, and the runner's own
executing code), its parameters and the versions of the main packages. A step is up to date when the
manifest records the same key and its outputs still have the recorded hashes.
"""
from __future__ import annotations

import functools
import hashlib
import json
import platform
import time
from importlib import metadata
from pathlib import Path

from dprk_relations.core import focal as focals
from dprk_relations.core import paths
from dprk_relations.core.catalogue import Step
from dprk_relations.core.outputs import sha256_file
from dprk_relations.core.params import Params
from dprk_relations.data import store
from dprk_relations.report import changes

MANIFEST = "manifest.json"
MAIN_PACKAGES = ["pandas", "numpy", "matplotlib", "seaborn", "country_converter", "papermill", "nbconvert", "ipykernel"]
PACKAGE_DIR = Path(__file__).resolve().parents[1]
PACKAGE = PACKAGE_DIR.name
# How a notebook is executed and its copy cleaned shapes its bytes: this module's closure is in every key.
EXECUTOR, REPORT_MODULE = "runner.execute", "report.site"


def module_path(module: str) -> Path:
    """The file of a module named within the package, by layer ("core.paths")."""
    return PACKAGE_DIR.joinpath(*module.split(".")).with_suffix(".py")


def package_modules() -> list[str]:
    """Every module of the package, named by layer ("core.paths", "runner.pipeline")."""
    return sorted(".".join(p.relative_to(PACKAGE_DIR).with_suffix("").parts)
                  for p in PACKAGE_DIR.rglob("*.py") if p.name != "__init__.py")


def imports_in(source: str) -> set[str]:
    """Modules of this package imported by `source`, named by layer ("core.paths")."""
    return {m for m in _parsed_imports(source) if module_path(m).is_file()}


@functools.lru_cache(maxsize=512)
def _parsed_imports(source: str) -> frozenset[str]:
    """What `source` may import from the package, by dotted name within it: `from dprk_relations.core
    import paths` gives "core.paths", `from dprk_relations.core.paths import ROOT` gives "core.paths" (and
    "core.paths.ROOT", which is no module). The package imports itself only absolutely (tests/test_layers.py).
    Cached by content: every step's closure shares modules."""
    import ast

    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module == PACKAGE or node.module.startswith(PACKAGE + "."):
                base = node.module[len(PACKAGE) + 1:]
                if base:
                    found.add(base)
                found |= {f"{base}.{a.name}" if base else a.name for a in node.names}
        elif isinstance(node, ast.Import):
            found |= {a.name[len(PACKAGE) + 1:] for a in node.names if a.name.startswith(PACKAGE + ".")}
    return frozenset(found)


def module_closure(sources: list[str]) -> list[str]:
    """Every module of the package that `sources` import, directly or through other modules."""
    todo = set().union(*(imports_in(s) for s in sources))
    seen: set[str] = set()
    while todo:
        module = todo.pop()
        seen.add(module)
        todo |= imports_in(module_path(module).read_text(encoding="utf-8")) - seen
    return sorted(seen)


def notebook_code(notebook: Path) -> list[str]:
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    return ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]


def code_hash(modules: list[str], extra: tuple[Path, ...] = ()) -> str:
    """Hash of the library code a step runs: changing a function reruns only the steps that import it."""
    h = hashlib.sha256()
    for path in [module_path(m) for m in modules] + list(extra):
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def package_versions() -> dict[str, str]:
    return {name: metadata.version(name) for name in MAIN_PACKAGES}


def step_inputs(step: Step, params: Params, upstream: dict | None = None, unwritten: dict | None = None) -> dict[str, str | None]:
    """Hashes of everything a step reads: raw files, processed tables and report files, files shipped in
    the repository, the committed files it compares with, its notebook; for the report, the other steps'
    inputs too (its provenance table lists them).

    `unwritten`, a run's memo: the raw files and the files shipped in the repository, which no step writes
    (a run's outputs never go where raw input lives: params.py), are read and hashed once per run, not once
    per step that reads them. The processed tables and report files, which steps write, are hashed each time."""
    def once(key: str, path: Path) -> str | None:
        if unwritten is None:
            return sha256_file(path)
        if key not in unwritten:
            unwritten[key] = sha256_file(path)
        return unwritten[key]

    inputs = {}
    for folder in focals.raw_folders(step, params.focal):
        for name in paths.raw_files(params.raw_dir, folder):
            shown = paths.relative(params.raw_dir / name)
            inputs[shown] = once(shown, params.raw_dir / name)
    for name in step.reads:
        path = store.path_of(params, name)
        inputs[paths.relative(path)] = sha256_file(path)
    inputs.update({name: once(name, paths.ROOT / name) for name in step.reads_external})
    for name in step.reads_committed:
        content = changes.committed_bytes(relative=name)
        inputs[f"committed:{name}"] = hashlib.sha256(content).hexdigest() if content is not None else None
    if step.reads_committed:  # a step that compares with the last commit names it (and the repository)
        inputs["git:repository"] = hashlib.sha256(json.dumps(changes.repository(), sort_keys=True).encode()).hexdigest()
    if step.notebook:
        nb = paths.NOTEBOOKS / step.notebook
        inputs[paths.relative(nb)] = notebook_hash(nb)
    if upstream is not None:
        inputs["steps:inputs"] = hashlib.sha256(json.dumps(upstream, sort_keys=True).encode()).hexdigest()
    return inputs


def step_outputs(step: Step, params: Params) -> dict[str, str | None]:
    """Hashes of what a step writes (and, for a notebook, its executed copy)."""
    outputs = {paths.relative(store.path_of(params, o)): sha256_file(store.path_of(params, o)) for o in step.writes}
    if step.notebook:
        nb_out = params.reports_dir / "notebooks" / step.notebook
        outputs[paths.relative(nb_out)] = sha256_file(nb_out)
    return outputs


def notebook_hash(notebook: Path) -> str:
    """Hash of what papermill executes (cell types, sources, tags), not of the outputs stored for nbval:
    refreshing the stored outputs must not make every step stale."""
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    cells = [(c["cell_type"], "".join(c["source"]), sorted(c.get("metadata", {}).get("tags", []))) for c in nb["cells"]]
    return hashlib.sha256(json.dumps(cells).encode()).hexdigest()


def step_code(step: Step) -> str:
    """Hash of the code a step's outputs depend on: the modules its notebook imports (the report: its
    module), with everything they import, the executor's closure, and the templates it renders with (a
    notebook step: the nbconvert template of its page; the report: every template)."""
    from dprk_relations.report.site import TEMPLATES

    executor = module_path(EXECUTOR).read_text(encoding="utf-8")
    if step.notebook:
        modules = set(module_closure(notebook_code(paths.NOTEBOOKS / step.notebook) + [executor])) | {EXECUTOR}
        return code_hash(sorted(modules), extra=tuple(sorted((TEMPLATES / "nbconvert").rglob("*.*"))))
    sources = [module_path(REPORT_MODULE).read_text(encoding="utf-8"), executor]
    return code_hash(sorted(set(module_closure(sources)) | {REPORT_MODULE, EXECUTOR}), extra=tuple(sorted(TEMPLATES.rglob("*.*"))))


def code_sources() -> str:
    """Hash of every file `step_code` reads, for any step: the package's modules, the notebooks and the
    report's templates, by path and content. Equal hashes give equal step codes (the memo's key)."""
    from dprk_relations.report.site import TEMPLATES

    h = hashlib.sha256()
    for folder, pattern in ((PACKAGE_DIR, "*.py"), (paths.NOTEBOOKS, "*.ipynb"), (TEMPLATES, "*.*")):
        for path in sorted(folder.rglob(pattern)):
            h.update(f"{folder.name}/{path.relative_to(folder).as_posix()}\0".encode())
            h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


def step_codes(steps: tuple[Step, ...], memo: dict | None) -> tuple[dict[str, str], dict]:
    """Each step's `step_code`, and the memo to record: the last run's codes (`memo`, from its manifest) when
    no file they were computed from has changed, else computed afresh (parsing the package's imports is
    most of a no-op rerun). `memo` None (`--force`): computed afresh."""
    sources = code_sources()
    known = memo.get("codes") if isinstance(memo, dict) and memo.get("sources") == sources else None
    if isinstance(known, dict) and all(isinstance(known.get(s.name), str) for s in steps):
        codes = {s.name: known[s.name] for s in steps}
    else:
        codes = {s.name: step_code(s) for s in steps}
    return codes, {"sources": sources, "codes": codes}


def step_key(step: Step, params: Params, inputs: dict, code: str, versions: dict) -> str:
    blob = json.dumps({"step": step.name, "params": params.values, "inputs": inputs, "code": code,
                       "versions": versions, "python": platform.python_version()}, sort_keys=True)
    return hashlib.sha256(blob.encode()).hexdigest()


def read_manifest(reports_dir: Path) -> dict:
    path = reports_dir / MANIFEST
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return {}


def is_up_to_date(previous: dict, key: str, outputs: dict[str, str | None]) -> bool:
    return bool(previous) and previous.get("key") == key and previous.get("outputs") == outputs and all(outputs.values())


def write_manifest(base: Params, versions: dict, records: dict, started: float, code_memo: dict | None = None) -> dict:
    """The run manifest (JSON) and its page: parameters, versions, every input and output hash, each step's key, status,
    duration; and the steps' code hashes with the hash of the files they come from (`step_codes`' memo)."""
    from dprk_relations.core.outputs import atomic_write
    from dprk_relations.report.site import render_run_log

    manifest = {
        "parameters": base.shown(),
        "python": platform.python_version(),
        "package_versions": versions,
        "steps": records,
        "total_seconds": round(time.perf_counter() - started, 2),
    }
    if code_memo is not None:
        manifest["code_memo"] = code_memo
    atomic_write(base.reports_dir / MANIFEST, (json.dumps(manifest, indent=2, sort_keys=True) + "\n").encode())
    atomic_write(base.reports_dir / "run.html", render_run_log(manifest).encode("utf-8"))
    return manifest
