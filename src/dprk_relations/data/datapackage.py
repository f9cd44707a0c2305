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
from dprk_relations.rules.rawdata import DATAPACKAGE


def focal_package(raw_dir: Path, folder: str) -> dict:
    """A focal state's own data package: data/raw's resources for the tables of its folder (focal.py), with the
    same schemas (declared once, in data/raw/datapackage.json) and the folder's own hashes."""
    shared = json.loads((raw_dir / DATAPACKAGE).read_text(encoding="utf-8"))
    own = raw_dir / folder
    resources = [dict(r) for r in shared["resources"] if r["name"] in FOCAL_TABLES and (own / r["path"]).is_file()]
    names = {r["name"] for r in resources}
    for r in resources:
        # a key into a shared table (states.csv) is checked by ingest across the two packages; within this one
        # only its own keys can be followed (so that any Frictionless validator can read the package alone)
        keys = [k for k in r["schema"].get("foreignKeys", []) if k["reference"]["resource"] in names]
        r["schema"] = {k: v for k, v in r["schema"].items() if k != "foreignKeys"} | ({"foreignKeys": keys} if keys else {})
    return {**shared, "name": f"{shared.get('name', 'data')}-{folder}",
            "description": f"The tables of one focal state ({folder}), under the schemas of data/raw/datapackage.json; "
                           "the shared tables (states, successions, groups) are data/raw's.",
            "resources": resources}


def _packages(raw_dir: Path) -> list[tuple[Path, dict]]:
    """Every data package of the raw folder: its own, and each focal state's folder's."""
    packages = [(raw_dir, json.loads((raw_dir / DATAPACKAGE).read_text(encoding="utf-8")))]
    for state in FOCALS.values():
        if state.folder and (raw_dir / state.folder).is_dir():
            packages.append((raw_dir / state.folder, focal_package(raw_dir, state.folder)))
    return packages


def stale_resources(raw_dir: Path = paths.DATA_RAW) -> list[str]:
    stale = []
    for folder, package in _packages(raw_dir):
        if folder != raw_dir:
            written = json.loads((folder / DATAPACKAGE).read_text(encoding="utf-8")) if (folder / DATAPACKAGE).is_file() else {}
            if [{k: v for k, v in r.items() if k not in ("hash", "bytes")} for r in written.get("resources", [])] != \
                    [{k: v for k, v in r.items() if k not in ("hash", "bytes")} for r in package["resources"]]:
                stale.append(paths.relative(folder / DATAPACKAGE))
            package = written or package
        for resource in package["resources"]:
            path = folder / resource["path"]
            if resource.get("hash") != f"sha256:{sha256_file(path)}" or resource.get("bytes") != path.stat().st_size:
                stale.append(paths.relative(path))
    return stale


def update(raw_dir: Path = paths.DATA_RAW) -> list[str]:
    """Rewrite each package's hashes and sizes; a focal state's descriptor is made again from data/raw's."""
    changed = []
    for folder, package in _packages(raw_dir):
        if folder != raw_dir and (folder / DATAPACKAGE).is_file():  # the hashes it was written with, not data/raw's
            written = {r["name"]: r for r in json.loads((folder / DATAPACKAGE).read_text(encoding="utf-8"))["resources"]}
            for resource in package["resources"]:
                resource["hash"] = written.get(resource["name"], {}).get("hash")
                resource["bytes"] = written.get(resource["name"], {}).get("bytes")
        for resource in package["resources"]:
            path = folder / resource["path"]
            digest, size = f"sha256:{sha256_file(path)}", path.stat().st_size
            if resource.get("hash") != digest or resource.get("bytes") != size:
                resource["hash"], resource["bytes"] = digest, size
                changed.append(paths.relative(path))
        text = (json.dumps(package, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
        descriptor = folder / DATAPACKAGE
        if not descriptor.is_file() or descriptor.read_bytes() != text:
            atomic_write(descriptor, text)
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
