"""The raw data package: its descriptor (`datapackage.json`) read and checked, every table it lists read
against its schema (`rules/rawdata.py`), a focal state's own folder in place of the report's tables, and
the foreign keys between the tables."""
from __future__ import annotations

import json
import os
import re
from pathlib import Path

import numpy as np

from dprk_relations.core.focal import FOCAL_TABLES, OWN_TABLES, Focal
from dprk_relations.core.paths import relative
from dprk_relations.rules.problems import Problem, RawDataError, Table
from dprk_relations.rules.rawdata import KNOWN_TYPES, read_table

DATAPACKAGE = "datapackage.json"


def read_datapackage(raw_dir: Path) -> dict:
    path = raw_dir / DATAPACKAGE
    if not path.is_file():
        what = "is a directory, not the data package descriptor" if path.is_dir() else "the data package descriptor is missing"
        raise RawDataError([Problem(relative(path), 0, "", what)])
    try:
        package = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise RawDataError([Problem(relative(path), 0, "", f"is not valid UTF-8 JSON ({exc})")]) from None
    problems = descriptor_problems(raw_dir, package)
    if problems:
        raise RawDataError(problems)
    return package


def descriptor_problems(raw_dir: Path, package: dict) -> list[Problem]:
    """What in the descriptor the reader cannot follow: a resource without a name, path or fields, a path
    that leaves the raw folder, a field type it does not check, a pattern that is not a regular expression."""
    display = relative(raw_dir / DATAPACKAGE)
    resources = package.get("resources") if isinstance(package, dict) else None
    if not isinstance(resources, list):
        return [Problem(display, 0, "resources", "is missing or not a list of resources")]
    problems = []
    root = Path(os.path.abspath(raw_dir))
    for i, resource in enumerate(resources):
        where = f"resources[{i}]"
        if not isinstance(resource, dict) or not isinstance(resource.get("name"), str) or not isinstance(resource.get("path"), str):
            problems.append(Problem(display, 0, where, "needs a name and a path (strings)"))
            continue
        where = f"resource {resource['name']!r}"
        # by its name (a symbolic link is judged where it is read, without following it)
        target = Path(os.path.normpath(root / resource["path"]))
        if Path(resource["path"]).is_absolute() or not (target == root or root in target.parents):
            problems.append(Problem(display, 0, where, f"path {resource['path']!r} leaves the raw folder; "
                                                       "a resource is a file inside it"))
        fields = resource.get("schema", {}).get("fields") if isinstance(resource.get("schema"), dict) else None
        if not isinstance(fields, list) or not all(isinstance(f, dict) and isinstance(f.get("name"), str) for f in fields):
            problems.append(Problem(display, 0, where, "needs schema.fields, a list of fields each with a name"))
            continue
        for spec in fields:
            kind = spec.get("type", "string")
            if kind not in KNOWN_TYPES:
                problems.append(Problem(display, 0, f"{where}, field {spec['name']!r}",
                                        f"type {kind!r} is not one this reader checks ({', '.join(KNOWN_TYPES)})"))
            pattern = spec.get("constraints", {}).get("pattern")
            if pattern is not None:
                try:
                    re.compile(pattern)
                except (re.error, TypeError) as exc:
                    problems.append(Problem(display, 0, f"{where}, field {spec['name']!r}",
                                            f"pattern {pattern!r} is not a regular expression ({exc})"))
    return problems


def read_tables(raw_dir: Path, focal: Focal | None = None) -> tuple[dict[str, Table], dict, list[Problem]]:
    """Read every resource of the package and check it against its schema; return the tables that could
    be read (a file missing a column cannot) and every problem, so the caller can go on checking.

    For a focal state with a folder of its own (focal.py), its tables come from that folder's package
    (the report's own tables it lacks are empty, with data/raw's schema) and the others from data/raw."""
    package = read_datapackage(raw_dir)
    own = focal is not None and bool(focal.folder)
    problems: list[Problem] = []
    tables: dict[str, Table] = {}
    for resource in package["resources"]:
        if own and resource["name"] in FOCAL_TABLES:
            continue  # the focal state's own folder has its own
        table = read_table(raw_dir, resource, problems)
        if table is not None:
            tables[resource["name"]] = table
    if own:
        package = _focal_tables(raw_dir / focal.folder, package, tables, problems)
    _check_foreign_keys(package, tables, problems)
    return tables, package, problems


def _focal_tables(folder: Path, shared: dict, tables: dict[str, Table], problems: list[Problem]) -> dict:
    """Read a focal state's own package into `tables`; return the package the run reads: the shared
    resources and the focal state's, in data/raw's order."""
    own = read_datapackage(folder)
    by_name = {r["name"]: r for r in own["resources"]}
    resources = []
    for resource in shared["resources"]:
        name = resource["name"]
        if name not in FOCAL_TABLES:
            resources.append(resource)
        elif name in by_name:
            resources.append(by_name[name])
            table = read_table(folder, by_name[name], problems)
            if table is not None:
                tables[name] = table
        elif name in OWN_TABLES:  # listed without a table: the caller stops, as for a table it could not read
            resources.append(resource)
            problems.append(Problem(f"{relative(folder)}/{DATAPACKAGE}", 0, "resources",
                                    f"has no resource {name!r}; every focal state has its own {', '.join(OWN_TABLES)}"))
        else:
            resources.append(resource)
            fields = [f["name"] for f in resource["schema"]["fields"]]
            tables[name] = Table(name, folder / resource["path"], fields,
                                 {f: np.array([], dtype=object) for f in fields}, [])
    return {**shared, "resources": resources}


def _check_foreign_keys(package: dict, tables: dict[str, Table], problems: list[Problem]) -> None:
    for resource in package["resources"]:
        table = tables.get(resource["name"])
        if table is None:
            continue  # unreadable: already reported
        display = relative(table.path)
        for fk in resource["schema"].get("foreignKeys", []):
            target = tables.get(fk["reference"]["resource"])
            if target is None:
                continue
            values = table.columns[fk["fields"]]
            unknown = set(values) - set(target.columns[fk["reference"]["fields"]]) - {""}
            if unknown:
                problems.extend(Problem(display, line, fk["fields"], f"{value!r} is not a code in {relative(target.path)}")
                                for line, value in zip(table.lines, values) if value in unknown)
