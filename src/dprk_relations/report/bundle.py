"""What the report hands over: one zip of the data a reader can cite, and each processed table as a CSV
beside the page.

The zip (`catalogue.BUNDLE`) holds `raw/` (the raw tables with their Frictionless descriptor: schemas,
sources, licences, checksums), `processed/` (every table the run derived), `CITATION.cff`, `LICENSE`,
`CHANGELOG.md` and `provenance.json` (version, git commit, parameters, package versions and the hash of
every input of the run: the run's manifest without its timings, which change by design). Its bytes depend
on its contents alone: entries sorted, one fixed timestamp, one file mode.
"""
from __future__ import annotations

import io
import json
import zipfile

from dprk_relations.core import catalogue, paths
from dprk_relations.core import focal as focals
from dprk_relations.core.params import Params
from dprk_relations.core.stage import read_path
from dprk_relations.data import store

# The zip format's earliest date: a fixed timestamp, so the same contents give the same bytes.
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
FILE_MODE = 0o644  # readable by the web server that publishes the report


def tables(params: Params) -> dict[str, bytes]:
    """Every processed table of the run, by catalogue name, as the CSV bytes the run wrote."""
    return {name: read_path(store.path_of(params, name)).read_bytes() for name in catalogue.PROCESSED_TABLES}


def provenance(params: Params, versions: dict, records: dict, repo: dict) -> dict:
    """The run's provenance: what a reader needs to rebuild the bundle byte for byte (`repo`:
    changes.repository())."""
    inputs = {name: digest for r in records.values() for name, digest in r["inputs"].items()}
    return {"title": "dprk-relations data", "version": catalogue.VERSION, "released": catalogue.RELEASED,
            "commit": repo["commit"], "repository": repo["url"], "parameters": params.shown(),
            "packages": versions, "inputs": dict(sorted(inputs.items()))}


def bundle_files(params: Params, versions: dict, records: dict, repo: dict,
                 processed: dict[str, bytes] | None = None) -> dict[str, bytes]:
    """The zip's entries, by name (`processed`: the run's tables as `tables` reads them, if already read)."""
    files = {f"raw/{name}": (params.raw_dir / name).read_bytes()
             for folder in focals.raw_folders(catalogue.STEP[catalogue.REPORT], params.focal)
             for name in paths.raw_files(params.raw_dir, folder)}
    files.update({f"processed/{name}.csv": data for name, data in (tables(params) if processed is None else processed).items()})
    files.update({name: (paths.ROOT / name).read_bytes() for name in catalogue.RELEASE_FILES})
    record = provenance(params, versions, records, repo)
    files["provenance.json"] = (json.dumps(record, indent=1, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")
    return files


def zip_bytes(files: dict[str, bytes]) -> bytes:
    """`files` as a zip whose bytes depend on the names and contents alone."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(f"dprk-relations-data-{catalogue.VERSION}/{name}", date_time=ZIP_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # unix, so the mode below is read
            info.external_attr = FILE_MODE << 16
            archive.writestr(info, files[name], compresslevel=9)
    return buffer.getvalue()
