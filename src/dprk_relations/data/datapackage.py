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
from dprk_relations.core.outputs import atomic_write, sha256_file
from dprk_relations.rules.rawdata import DATAPACKAGE


def stale_resources(raw_dir: Path = paths.DATA_RAW) -> list[str]:
    package = json.loads((raw_dir / DATAPACKAGE).read_text(encoding="utf-8"))
    stale = []
    for resource in package["resources"]:
        path = raw_dir / resource["path"]
        if resource.get("hash") != f"sha256:{sha256_file(path)}" or resource.get("bytes") != path.stat().st_size:
            stale.append(resource["path"])
    return stale


def update(raw_dir: Path = paths.DATA_RAW) -> list[str]:
    descriptor = raw_dir / DATAPACKAGE
    package = json.loads(descriptor.read_text(encoding="utf-8"))
    changed = []
    for resource in package["resources"]:
        path = raw_dir / resource["path"]
        digest, size = f"sha256:{sha256_file(path)}", path.stat().st_size
        if resource.get("hash") != digest or resource.get("bytes") != size:
            resource["hash"], resource["bytes"] = digest, size
            changed.append(resource["path"])
    atomic_write(descriptor, (json.dumps(package, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))
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
        print("stale checksums in data/raw/datapackage.json for: " + ", ".join(stale) + " (run `make datapackage`)")
        return 1
    print("all checksums current")
    return 0


if __name__ == "__main__":
    sys.exit(main())
