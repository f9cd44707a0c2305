"""country_converter's table as the project reads it."""
from __future__ import annotations

import importlib.metadata

from dprk_relations.rules import reference


def test_namibia_keeps_its_code_and_non_members_have_no_un_year():
    table = reference.country_table().set_index("iso3")
    assert list(table.columns) == ["name_short", "m49_region", "continent", "un_member_from"]
    assert table.loc["NAM", "continent"] == "Africa"  # its ISO2 "NA" is not read as missing
    assert table.loc["PRK", "un_member_from"] == 1991 and table.loc["KOR", "un_member_from"] == 1991
    assert table.loc["TWN", "un_member_from"] is not None and str(table.loc["TWN", "un_member_from"]) == "<NA>"
    assert table.index.is_unique


def test_the_version_is_the_installed_library_s():
    assert reference.library_version() == importlib.metadata.version("country_converter")
