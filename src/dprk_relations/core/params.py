"""Notebook parameters: one declaration, checked before a kernel starts (by the runner) and again
in each notebook's first code cell (for a direct `papermill ... -p name value`), because papermill
itself only warns about a parameter the notebook does not declare."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from types import ModuleType

from dprk_relations.core import focal as focals
from dprk_relations.core import paths
from dprk_relations.core.dates import parse_iso_day

# The report is dated October 2023; its figures speak for the start of that month.
DEFAULT_AS_OF = "2023-10-01"
# The DPRK was founded in 1948: the first year of every yearly table.
DEFAULT_FIRST_YEAR = 1948
# "auto": the default folders for the default parameters, and a folder of the run's own otherwise.
AUTO = "auto"

COMMON = {
    "focal": focals.DEFAULT,
    "as_of": DEFAULT_AS_OF,
    "first_year": DEFAULT_FIRST_YEAR,
    "raw_dir": "data/raw",
    "processed_dir": AUTO,
    "reports_dir": AUTO,
}
# The wave rule's defaults (03-waves' parameters; dprk_relations.analysis.waves uses them): a year belongs
# to a wave when at least this many states established relations in it; the median year since 1948 sees
# about 2, so 5 marks a clear surge without making every active year a wave.
WAVE_MIN_ESTABLISHMENTS = 5
# Wave years at most this many years apart are one wave (a quiet year inside a surge does not split it).
WAVE_MAX_GAP = 1
# The same rule within a continent: a continent holds a fifth to a third of the states, so 3
# establishments in one year are a surge there as 5 are overall.
WAVE_MIN_REGIONAL = 3
# Parameters of one step, with their defaults.
EXTRA = {
    "03-waves": {"wave_min_establishments": WAVE_MIN_ESTABLISHMENTS, "wave_max_gap": WAVE_MAX_GAP,
                 "wave_min_regional": WAVE_MIN_REGIONAL},
}
# The range of each of a step's own parameters: a wave year has at least one establishment and at most
# as many as there are states (about 200); a gap bridged is 0 years or more, at most the years since 1948.
RANGE = {"wave_min_establishments": (1, 250), "wave_max_gap": (0, 100), "wave_min_regional": (1, 250)}
# Names IPython defines in every kernel; anything else defined before the check is a parameter.
_KERNEL_NAMES = {"In", "Out", "get_ipython", "exit", "quit", "open"}


class ParameterError(ValueError):
    """A parameter that is unknown, of the wrong type or out of range."""


def declared(step: str) -> dict:
    return {**COMMON, **EXTRA.get(step, {})}


@dataclass(frozen=True)
class Params:
    step: str
    values: dict
    as_of: date
    first_year: int
    raw_dir: Path
    processed_dir: Path
    reports_dir: Path
    focal: focals.Focal = focals.FOCALS[focals.DEFAULT]

    @property
    def figures_dir(self) -> Path:
        return self.reports_dir / "figures"

    @property
    def dataset_dir(self) -> Path:
        """Where the ingest step's tables are: this run's folder once 01-ingest has written them there.

        Run alone (papermill ... -p as_of 2016-08-01), a later notebook falls back to the default
        run's tables when the raw folder is the default one: they do not depend on as_of or first_year.
        """
        from dprk_relations.core.stage import read_path

        if read_path(self.processed_dir / "events.csv").is_file() or self.raw_dir != paths.DATA_RAW:
            return self.processed_dir
        return paths.DATA_PROCESSED

    @property
    def upstream_dir(self) -> Path:
        """Where the earlier steps' tables are. In a run, this run's folder. Run alone with a parameter of
        its own (03-waves -p wave_max_gap 2), a step writes to a folder of its own but reads the tables of
        the run with the same shared parameters: they do not depend on its own parameters."""
        if self.values["processed_dir"] != AUTO:
            return self.processed_dir
        return output_dirs({k: v for k, v in self.values.items() if k in COMMON})[0]

    def __getitem__(self, name):
        return self.values[name]

    def shown(self) -> dict:
        """Parameters as a reader sees them: paths relative to the project root."""
        shown = dict(self.values)
        shown.update(processed_dir=paths.relative(self.processed_dir), reports_dir=paths.relative(self.reports_dir),
                     raw_dir=paths.relative(self.raw_dir))
        return shown


def check(step: str, values: dict, today: date | None = None) -> Params:
    """Validate `values` for `step`; raise ParameterError naming the first bad parameter(s)."""
    spec = declared(step)
    unknown = sorted(set(values) - set(spec))
    if unknown:
        raise ParameterError(f"{step}: unknown parameter(s) {', '.join(unknown)}; this notebook takes {', '.join(spec)}")
    merged = {**spec, **values}
    for name, default in spec.items():
        value = merged[name]
        if isinstance(default, bool) or type(value) is not type(default):
            raise ParameterError(f"{step}: parameter {name} must be {type(default).__name__} (like {default!r}), got {type(value).__name__} {value!r}")
    today = today or date.today()
    if merged["focal"] not in focals.FOCALS:
        raise ParameterError(f"{step}: parameter focal must be one of {', '.join(focals.FOCALS)} (the state whose relations "
                             f"are counted), got {merged['focal']!r}")
    focal = focals.FOCALS[merged["focal"]]
    try:
        as_of = parse_iso_day(merged["as_of"])
    except ValueError as exc:
        raise ParameterError(f"{step}: parameter as_of: {exc}") from None
    # one spelling per day ("20231001" is the report's date): a second spelling must not make a second run
    merged["as_of"] = as_of.isoformat()
    if not focal.founded <= as_of <= today:
        raise ParameterError(f"{step}: parameter as_of {as_of} must fall between {focal.founded} (the {focal.short} was "
                             f"founded) and today ({today})")
    if not DEFAULT_FIRST_YEAR <= merged["first_year"] <= as_of.year:
        raise ParameterError(f"{step}: parameter first_year {merged['first_year']} must fall between {DEFAULT_FIRST_YEAR} and the cut-off's year {as_of.year}")
    for name in EXTRA.get(step, {}):
        low, high = RANGE[name]
        if not low <= merged[name] <= high:
            raise ParameterError(f"{step}: parameter {name} must fall between {low} and {high}, got {merged[name]}")
    raw_dir = paths.resolve(merged["raw_dir"])
    if raw_dir.resolve() == paths.DATA_RAW.resolve():
        merged["raw_dir"] = COMMON["raw_dir"]  # the default folder, however it was spelt
    processed, reports = output_dirs(merged)
    for name, folder in (("processed_dir", processed), ("reports_dir", reports)):
        problem = paths.output_folder_problem(folder, raw_dir)
        if problem:
            raise ParameterError(f"{step}: parameter {name}: {problem}")
    return Params(step, merged, as_of, merged["first_year"], raw_dir, processed, reports, focal)


def run_slug(values: dict) -> str:
    """Folder name for a run whose parameters differ from the defaults ('' for the default run): a
    run with another wave rule must not overwrite the default run's waves."""
    defaults = {**COMMON, **{k: v for extra in EXTRA.values() for k, v in extra.items()}}
    parts = []
    for name in ["focal", "as_of", "first_year", "raw_dir"] + sorted(k for k in defaults if k not in COMMON):
        value = values.get(name, defaults[name])
        if value != defaults[name]:
            shown = value if name != "raw_dir" else hashlib.sha256(str(paths.resolve(value)).encode()).hexdigest()[:8]
            parts.append(f"{name}-{shown}")
    return "_".join(parts)


def output_dirs(values: dict) -> tuple[Path, Path]:
    slug = run_slug(values)
    processed = values.get("processed_dir", AUTO)
    reports = values.get("reports_dir", AUTO)
    auto_processed = paths.DATA_PROCESSED / "runs" / slug if slug else paths.DATA_PROCESSED
    auto_reports = paths.REPORTS / "runs" / slug if slug else paths.REPORTS
    return (auto_processed if processed == AUTO else paths.resolve(processed),
            auto_reports if reports == AUTO else paths.resolve(reports))


def _literal_assignments(source: str) -> set[str] | None:
    """The names a cell assigns, when it holds nothing but `name = literal` lines (a parameters cell,
    papermill's injected cell); None for any other cell."""
    import ast

    try:
        tree = ast.parse(source)
    except SyntaxError:
        return None
    names = set()
    for node in tree.body:
        if not (isinstance(node, ast.Assign) and all(isinstance(t, ast.Name) for t in node.targets)):
            return None
        try:
            ast.literal_eval(node.value)
        except ValueError:
            return None
        names |= {t.id for t in node.targets}
    return names


def _parameter_names(history: list[str]) -> set[str]:
    """Names assigned by the run of parameter-like cells just before the current one (IPython's input
    history `In`, whose last entry is the current cell): re-running the parameters cell in Jupyter after
    the rest of the notebook sees the parameters, not every name the later cells defined."""
    names: set[str] = set()
    for source in reversed(history[:-1]):
        if not source.strip():
            continue
        assigned = _literal_assignments(source)
        if assigned is None:
            break
        names |= assigned
    return names


def from_notebook(step: str, namespace: dict) -> Params:
    """Check the parameters a notebook received: call right after the parameters cell(s)."""
    history = namespace.get("In")
    if isinstance(history, list) and len(history) > 1:  # in a kernel: the cells just run say what the parameters are
        values = {k: namespace[k] for k in _parameter_names(history) if k in namespace}
    else:
        values = {k: v for k, v in namespace.items()
                  if not k.startswith("_") and k not in _KERNEL_NAMES and not isinstance(v, ModuleType) and not callable(v)}
    return check(step, values)
