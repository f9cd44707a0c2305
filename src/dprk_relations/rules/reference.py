"""Reference data that comes from a library rather than from data/raw (country_converter's table)."""
from __future__ import annotations

import importlib.metadata
import importlib.resources

import pandas as pd

LIBRARY = "country_converter"


def library_version() -> str:
    return importlib.metadata.version(LIBRARY)


def country_table() -> pd.DataFrame:
    """country_converter's own data file.

    Read directly with keep_default_na=False: its Namibia row has ISO2 'NA', which pandas would
    read as missing (country_converter 1.3.2 fails to build its table under pandas 3 for that reason).
    """
    path = importlib.resources.files(LIBRARY) / "country_data.tsv"
    with path.open(encoding="utf-8") as fh:
        table = pd.read_csv(fh, sep="\t", keep_default_na=False, dtype=str)
    table = table.rename(columns={"ISO3": "iso3", "UNregion": "m49_region", "continent": "continent"})
    table["un_member_from"] = pd.to_numeric(table["UNmember"], errors="coerce").astype("Int64")
    return table[["iso3", "name_short", "m49_region", "continent", "un_member_from"]]
