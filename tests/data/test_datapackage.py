"""The checksums and sizes of the raw data packages (data/datapackage.py), on the tiny raw folder of
tests/conftest.py: a resource whose file is not the one its descriptor hashed is stale, `update` records
each file's hash and size (and only rewrites what changed), a focal state's folder gets a descriptor of its
own tables under data/raw's schemas; the command says what is stale and exits 1."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from dprk_relations.core import paths
from dprk_relations.core.focal import FOCALS
from dprk_relations.data import datapackage


def descriptor(folder: Path) -> dict:
    return json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))


def shown(folder: Path, *names: str) -> list[str]:
    """The files as a stale entry names them (a folder outside the project: its absolute path)."""
    return [paths.relative(folder / name) for name in names]


def test_a_resource_is_stale_until_update_records_its_file_s_hash_and_size(raw_dir):
    files = [r["path"] for r in descriptor(raw_dir)["resources"]]
    # the descriptor is data/raw's, whose hashes are of the project's files, not of the fixture's
    assert datapackage.stale_resources(raw_dir) == shown(raw_dir, *files)
    assert datapackage.update(raw_dir) == shown(raw_dir, *files)
    assert datapackage.stale_resources(raw_dir) == []
    events = next(r for r in descriptor(raw_dir)["resources"] if r["name"] == "events")
    data = (raw_dir / "events.csv").read_bytes()
    assert (events["hash"], events["bytes"]) == (f"sha256:{hashlib.sha256(data).hexdigest()}", len(data))
    written = (raw_dir / "datapackage.json").read_bytes()
    assert written.endswith(b"}\n") and datapackage.update(raw_dir) == []
    assert (raw_dir / "datapackage.json").read_bytes() == written  # nothing changed: the same bytes


def test_an_edited_file_is_the_only_stale_entry(raw_dir):
    datapackage.update(raw_dir)
    with (raw_dir / "groups.csv").open("a", encoding="utf-8") as fh:
        fh.write("\n")  # one byte more, the same rows
    assert datapackage.stale_resources(raw_dir) == shown(raw_dir, "groups.csv")
    assert datapackage.update(raw_dir) == shown(raw_dir, "groups.csv")


def focal_folder(raw: Path) -> Path:
    """The ROK's folder with two of its own tables (no no_relations.csv: a table a folder lacks is not listed)."""
    kor = raw / "kor"
    kor.mkdir()
    for name in ("events.csv", "sources.csv"):
        (kor / name).write_bytes((raw / name).read_bytes())
    return kor


def test_a_focal_folder_gets_a_descriptor_of_the_tables_it_has_under_the_shared_schemas(raw_dir):
    datapackage.update(raw_dir)
    kor = focal_folder(raw_dir)
    assert datapackage.stale_resources(raw_dir) == shown(kor, "datapackage.json", "events.csv", "sources.csv")
    assert datapackage.update(raw_dir) == shown(kor, "events.csv", "sources.csv", "datapackage.json")
    assert datapackage.stale_resources(raw_dir) == []
    shared, own = descriptor(raw_dir), descriptor(kor)
    assert own["name"] == "dprk-diplomatic-relations-kor" and own["description"].startswith("The tables of one focal state (kor)")
    # it names its own state and the sources its rows cite, not the DPRK list's
    assert own["title"].startswith("The ROK's") and shared["title"].startswith("The DPRK's")
    assert "kdiplo" in own["sources"][0]["title"] and own["sources"] != shared["sources"]
    assert [r["name"] for r in own["resources"]] == ["events", "sources"]
    schema = {r["name"]: r["schema"] for r in shared["resources"]}
    events, sources = own["resources"]
    # the key into states.csv (a shared table) is left to ingest; the key from sources into events stays
    assert events["schema"] == {k: v for k, v in schema["events"].items() if k != "foreignKeys"}
    assert sources["schema"] == schema["sources"]
    assert sources["hash"] == f"sha256:{hashlib.sha256((kor / 'sources.csv').read_bytes()).hexdigest()}"


def test_every_focal_state_with_a_folder_says_what_its_package_is():
    assert {f.folder for f in FOCALS.values() if f.folder} == set(datapackage.FOCAL_METADATA)
    for metadata in datapackage.FOCAL_METADATA.values():
        assert metadata["title"] and all(source["path"].startswith("https://") for source in metadata["sources"])


def test_a_focal_descriptor_edited_by_hand_is_stale_and_made_again(raw_dir):
    datapackage.update(raw_dir)
    kor = focal_folder(raw_dir)
    datapackage.update(raw_dir)
    made = (kor / "datapackage.json").read_bytes()
    edited = descriptor(kor) | {"description": "edited"}
    (kor / "datapackage.json").write_text(json.dumps(edited), encoding="utf-8")
    assert datapackage.stale_resources(raw_dir) == shown(kor, "datapackage.json")
    # every hash was current: only the descriptor is written again, and said to be
    assert datapackage.update(raw_dir) == shown(kor, "datapackage.json")
    assert datapackage.update(raw_dir) == []
    assert (kor / "datapackage.json").read_bytes() == made


def test_the_command_names_the_stale_entries_and_fails(monkeypatch, capsys):
    monkeypatch.setattr(datapackage, "stale_resources", lambda: ["data/raw/events.csv", "data/raw/kor/datapackage.json"])
    assert datapackage.main(["--check"]) == 1
    assert capsys.readouterr().out == ("stale entries in the raw data packages for: data/raw/events.csv, "
                                       "data/raw/kor/datapackage.json (run `make datapackage`)\n")
    monkeypatch.setattr(datapackage, "stale_resources", lambda: [])
    assert datapackage.main(["--check"]) == 0 and capsys.readouterr().out == "all checksums current\n"
    monkeypatch.setattr(datapackage, "update", lambda: [])
    assert datapackage.main(["--update"]) == 0 and capsys.readouterr().out == "updated: nothing (all current)\n"
    monkeypatch.setattr(datapackage, "update", lambda: ["data/raw/events.csv"])
    assert datapackage.main(["--update"]) == 0 and capsys.readouterr().out == "updated: data/raw/events.csv\n"


@pytest.mark.parametrize("argv, said", [([], "one of the arguments --check --update is required"),
                                        (["--check", "--update"], "argument --update: not allowed with argument --check")])
def test_the_command_takes_exactly_one_of_check_and_update(argv, said, capsys):
    with pytest.raises(SystemExit) as refused:
        datapackage.main(argv)
    assert refused.value.code == 2
    assert capsys.readouterr().err.strip().endswith(f"error: {said}")
