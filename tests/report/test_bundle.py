"""The data bundle and the citation: bytes that depend on the contents alone, every raw and processed
table inside, the commit and repository named without credentials, the release kept in step."""
from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from dprk_relations.core import catalogue, paths
from dprk_relations.core.params import check
from dprk_relations.report import bundle, changes, site


def test_the_zip_depends_on_names_and_contents_alone_not_on_their_order_or_the_clock():
    first = bundle.zip_bytes({"b.csv": b"x,y\n1,2\n", "a/raw.csv": b"z\n"})
    second = bundle.zip_bytes({"a/raw.csv": b"z\n", "b.csv": b"x,y\n1,2\n"})
    assert first == second
    assert bundle.zip_bytes({"a/raw.csv": b"z\n", "b.csv": b"x,y\n1,3\n"}) != first
    infos = zipfile.ZipFile(io.BytesIO(first)).infolist()
    prefix = f"dprk-relations-data-{catalogue.VERSION}/"
    assert [i.filename for i in infos] == [prefix + "a/raw.csv", prefix + "b.csv"]
    assert {i.date_time for i in infos} == {bundle.ZIP_EPOCH}
    assert {i.external_attr >> 16 for i in infos} == {0o644}  # readable by another user once unpacked


@pytest.fixture
def run_folders(tmp_path):
    """A run's folders: the real raw package, and every processed table as a one-line CSV of its own."""
    raw = tmp_path / "raw"
    shutil.copytree(paths.DATA_RAW, raw)
    processed = tmp_path / "processed"
    values = {"raw_dir": str(raw), "processed_dir": str(processed), "reports_dir": str(tmp_path / "reports")}
    params = check("01-ingest", values)
    processed.mkdir()
    for name in catalogue.PROCESSED_TABLES:
        (processed / f"{name}.csv").write_text(f"table\n{name}\n", encoding="utf-8")
    return params, raw, processed


def test_the_bundle_holds_every_raw_file_every_processed_table_the_release_files_and_the_provenance(run_folders):
    params, raw, processed = run_folders
    records = {"01-ingest": {"inputs": {"data/raw/events.csv": "ab"}}, "02-yearly-counts": {"inputs": {"x": "cd"}}}
    repo = {"commit": "0123456789abcdef", "url": "https://example.org/dprk-relations.git"}
    files = bundle.bundle_files(params, {"pandas": "2.2.3"}, records, repo)
    raw_names = paths.raw_files(raw, "kor")  # the DPRK's package and the ROK's (the race reads both)
    assert len(raw_names) > 10 and "kor/events.csv" in raw_names
    for name in raw_names:
        assert files[f"raw/{name}"] == (raw / name).read_bytes()
    for name in catalogue.PROCESSED_TABLES:
        assert files[f"processed/{name}.csv"] == (processed / f"{name}.csv").read_bytes()
    for name in catalogue.RELEASE_FILES:
        assert files[name] == (paths.ROOT / name).read_bytes()
    record = json.loads(files["provenance.json"])
    assert record["version"] == catalogue.VERSION and record["released"] == catalogue.RELEASED
    assert record["commit"] == repo["commit"] and record["repository"] == repo["url"]
    assert record["inputs"] == {"data/raw/events.csv": "ab", "x": "cd"}
    assert record["packages"] == {"pandas": "2.2.3"}
    assert record["parameters"]["raw_dir"] == paths.relative(raw)
    assert set(files) == ({f"raw/{n}" for n in raw_names} | {f"processed/{n}.csv" for n in catalogue.PROCESSED_TABLES}
                          | set(catalogue.RELEASE_FILES) | {"provenance.json"})


def _git(folder: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(folder), *args], check=True, capture_output=True)


def test_the_repository_is_named_by_its_commit_and_its_origin_without_credentials(tmp_path):
    assert changes.repository(root=tmp_path) == {"commit": None, "url": None}  # not a checkout
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "remote", "add", "origin", "https://someone:ghp_secret@github.com/owner/dprk-relations.git")
    assert changes.repository(root=tmp_path) == {"commit": None, "url": "https://github.com/owner/dprk-relations.git"}
    (tmp_path / "f").write_text("x")
    _git(tmp_path, "add", "f")
    _git(tmp_path, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-q", "-m", "x")
    commit = changes.repository(root=tmp_path)["commit"]
    assert re.fullmatch(r"[0-9a-f]{40}", commit)


def test_the_citation_gives_version_release_address_cut_off_and_commit_where_known():
    known = site.citation("2016-08-01", {"commit": "0123456789abcdef0123", "url": "https://example.org/r.git"})
    assert known == (f"The dprk-relations contributors ({catalogue.RELEASED[:4]}). {catalogue.CITED_TITLE} [data and code], "
                     f"version {catalogue.VERSION}, released {catalogue.RELEASED}. https://example.org/r.git. "
                     "Run with cut-off date 2016-08-01, git commit 0123456789ab.")
    unknown = site.citation("2023-10-01", {"commit": None, "url": None})
    assert unknown.endswith(f"released {catalogue.RELEASED}. Run with cut-off date 2023-10-01.")


def test_the_release_is_the_same_in_pyproject_citation_and_changelog():
    citation = (paths.ROOT / "CITATION.cff").read_text(encoding="utf-8")
    assert re.search(rf'^version: "{re.escape(catalogue.VERSION)}"$', citation, re.MULTILINE)
    released = re.findall(r"^## (\d+\.\d+\.\d+) \((\d{4}-\d{2}-\d{2})\)$", (paths.ROOT / "CHANGELOG.md").read_text(encoding="utf-8"),
                          re.MULTILINE)
    assert released[0] == (catalogue.VERSION, catalogue.RELEASED)  # the newest released section
    assert catalogue.BUNDLE == f"dprk-relations-data-{catalogue.VERSION}.zip"
