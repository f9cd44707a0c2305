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


def test_a_sub_region_s_continent_is_that_of_most_of_its_states_whatever_the_order():
    import pandas as pd

    table = pd.DataFrame({"m49_region": ["South America"] * 3 + ["Polynesia", "Tie", "Tie", ""],
                          "continent": ["Antarctica", "America", "America", "Oceania", "B", "A", "Europe"]})
    expected = {"South America": "America", "Polynesia": "Oceania", "Tie": "A"}  # a tie goes by name; no blank region
    assert reference.continent_of_region(table) == expected
    assert reference.continent_of_region(table.iloc[::-1]) == expected
    library = reference.continent_of_region(reference.country_table())
    assert library["South America"] == "America" and library["Australia and New Zealand"] == "Oceania"
    assert len(library) == 23
