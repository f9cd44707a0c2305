"""The base map ships in the repository, unchanged, and draws every state it can."""
from __future__ import annotations

import hashlib
import re

import pandas as pd

from dprk_relations.core import paths
from dprk_relations.analysis import figures, geo


def test_natural_earth_files_have_the_checksums_their_readme_gives():
    folder = geo.NATURAL_EARTH.parent
    listed = dict(re.findall(r"\| (naturalearth_lowres\.\w+) \| ([0-9a-f]{64}) \|", (folder / "README.md").read_text(encoding="utf-8")))
    assert len(listed) == 5
    for name, digest in listed.items():
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest, name


def status(*rows):
    return pd.DataFrame(rows, columns=["iso3", "name", "status", "period"])


def test_outlines_are_matched_to_states_territories_to_their_state():
    outlines = geo.read_outlines()
    assert "ATA" not in {o.code for o in outlines} and len(outlines) == 176
    table = geo.map_table(status(("DNK", "Denmark", "in force", "1972-1975"), ("SGP", "Singapore", "in force", "1972-1975"),
                                 ("SUHH", "Soviet Union", "dissolved", "1948-1959")), outlines).set_index("name")
    assert table.loc["Denmark", "outlines"] == "DNK GRL"  # Greenland coloured as Denmark
    assert table.loc["Singapore", "note"] == "no outline at 1:110m"
    assert table.loc["Soviet Union", "note"] == ""  # dissolved: shown on today's territories
    assert table.loc["Taiwan", "note"] == "not a state of the data"
    assert "North Korea" not in table.index


def test_the_map_is_the_same_bytes_twice():
    outlines = [o for o in geo.read_outlines() if o.code in {"DNK", "GRL", "FRA", "PRK"}]
    table = geo.map_table(status(("DNK", "Denmark", "in force", "1972-1975"), ("FRA", "France", "never", "")), outlines)
    first = figures.render(figures.partners_map(outlines, table, ["1972-1975"], "2023-10-01"))
    second = figures.render(figures.partners_map(outlines, table, ["1972-1975"], "2023-10-01"))
    assert first == second and first["svg"].startswith(b"<?xml")


def test_a_missing_base_map_is_a_clear_error(tmp_path):
    import pytest

    with pytest.raises(FileNotFoundError, match="ships in the repository"):
        geo.read_outlines(tmp_path / "none.shp")
    assert paths.ROOT in geo.NATURAL_EARTH.parents
