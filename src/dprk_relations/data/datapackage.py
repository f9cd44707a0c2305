"""Keep the checksums and sizes in data/raw/datapackage.json in step with the raw files.

    python -m dprk_relations.data.datapackage --check    # exit 1 and list stale entries
    python -m dprk_relations.data.datapackage --update   # rewrite hash and bytes of each resource
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from dprk_relations.core import paths
from dprk_relations.core.focal import FOCAL_TABLES, FOCALS
from dprk_relations.core.outputs import atomic_write, sha256_file
from dprk_relations.rules.package import DATAPACKAGE


# What a focal state's own package says of itself: data/raw's title and sources are the DPRK list's.
# The sources are those most of the folder's rows cite (each row still carries its own).
FOCAL_METADATA = {
    "kor": {"title": "The ROK's diplomatic relations, 1948 to 2023: events, sources, statements and published counts",
            "sources": [{"title": "Ministry of Foreign Affairs of the Republic of Korea, list of diplomatic relations, as copied "
                                  "in the kdiplo R package (GitHub kjayhan/kdiplo), data-raw/diplo_ties_data.csv",
                         "path": "https://github.com/kjayhan/kdiplo/blob/5516b16a3cc5a2ec7461fb51f89727e4b080a509/data-raw/diplo_ties_data.csv"},
                        {"title": "Wikipedia (English), \"Foreign relations of South Korea\" (text copy)",
                         "path": "https://github.com/chinapedia/wikipedia.abstract.en/blob/f1682beebc6d4a836c4322e02921fb341b83fd9b/"
                                 "Page/Foreign_relations_of_South_Korea.md"}]},
}


def _read(descriptor: Path) -> dict:
    return json.loads(descriptor.read_text(encoding="utf-8"))


def focal_package(shared: dict, own: Path) -> dict:
    """A focal state's own data package: data/raw's resources (`shared`) for the tables of its folder (focal.py),
    with the same schemas (declared once, in data/raw/datapackage.json) and the hashes its folder's descriptor
    was last written with (none for a descriptor not written yet)."""
    written = {r["name"]: r for r in _read(own / DATAPACKAGE)["resources"]} if (own / DATAPACKAGE).is_file() else {}
    resources = [dict(r) for r in shared["resources"] if r["name"] in FOCAL_TABLES and (own / r["path"]).is_file()]
    names = {r["name"] for r in resources}
    for r in resources:
        # a key into a shared table (states.csv) is checked by ingest across the two packages; within this one
        # only its own keys can be followed (so that any Frictionless validator can read the package alone)
        keys = [k for k in r["schema"].get("foreignKeys", []) if k["reference"]["resource"] in names]
        r["schema"] = {k: v for k, v in r["schema"].items() if k != "foreignKeys"} | ({"foreignKeys": keys} if keys else {})
        r["hash"], r["bytes"] = written.get(r["name"], {}).get("hash"), written.get(r["name"], {}).get("bytes")
    return {**shared, "name": f"{shared.get('name', 'data')}-{own.name}", **FOCAL_METADATA[own.name],
            "description": f"The tables of one focal state ({own.name}), under the schemas of data/raw/datapackage.json; "
                           "the shared tables (states, successions, groups) are data/raw's.",
            "resources": resources}


def _packages(raw_dir: Path) -> list[tuple[Path, dict]]:
    """Every data package of the raw folder, as it should be written: its own, and each focal state's folder's."""
    shared = _read(raw_dir / DATAPACKAGE)
    packages = [(raw_dir, shared)]
    for state in FOCALS.values():
        if state.folder and (raw_dir / state.folder).is_dir():
            packages.append((raw_dir / state.folder, focal_package(shared, raw_dir / state.folder)))
    return packages


def _text(package: dict) -> bytes:
    return (json.dumps(package, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def _current(folder: Path, resource: dict) -> tuple[str, int]:
    path = folder / resource["path"]
    return f"sha256:{sha256_file(path)}", path.stat().st_size


def stale_resources(raw_dir: Path = paths.DATA_RAW) -> list[str]:
    """Every resource whose hash or size is not its file's, and every focal descriptor not as data/raw's schemas make it."""
    stale = []
    for folder, package in _packages(raw_dir):
        descriptor = folder / DATAPACKAGE
        if folder != raw_dir and (not descriptor.is_file() or descriptor.read_bytes() != _text(package)):
            stale.append(paths.relative(descriptor))
        stale += [paths.relative(folder / r["path"]) for r in package["resources"]
                  if (r.get("hash"), r.get("bytes")) != _current(folder, r)]
    return stale


def update(raw_dir: Path = paths.DATA_RAW) -> list[str]:
    """Rewrite each package's hashes and sizes; a focal state's descriptor is made again from data/raw's."""
    changed = []
    for folder, package in _packages(raw_dir):
        for resource in package["resources"]:
            current = _current(folder, resource)
            if (resource.get("hash"), resource.get("bytes")) != current:
                resource["hash"], resource["bytes"] = current
                changed.append(paths.relative(folder / resource["path"]))
        descriptor = folder / DATAPACKAGE
        if not descriptor.is_file() or descriptor.read_bytes() != _text(package):
            atomic_write(descriptor, _text(package))
            if folder != raw_dir:  # as stale_resources lists it: made from data/raw's, not from its own files
                changed.append(paths.relative(descriptor))
    return changed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--check", action="store_true")
    group.add_argument("--update", action="store_true")
    args = parser.parse_args(argv)
    if args.update:
        changed = update()
        print("updated: " + (", ".join(changed) if changed else "nothing (all current)"))
        return 0
    stale = stale_resources()
    if stale:
        print("stale entries in the raw data packages for: " + ", ".join(stale) + " (run `make datapackage`)")
        return 1
    print("all checksums current")
    return 0


if __name__ == "__main__":
    sys.exit(main())
