"""Reference data that comes from a library rather than from data/raw (country_converter's table)."""
from __future__ import annotations

import csv
import functools
import importlib.metadata
import importlib.resources

LIBRARY = "country_converter"
TABLE = "country_data.tsv"  # the library's own data file


def library_version() -> str:
    return importlib.metadata.version(LIBRARY)


def country_table():
    """country_converter's own data file.

    Read directly with keep_default_na=False: its Namibia row has ISO2 'NA', which pandas would
    read as missing (country_converter 1.3.2 fails to build its table under pandas 3 for that reason).
    """
    import pandas as pd  # here: the report step reads name_patterns without importing pandas

    path = importlib.resources.files(LIBRARY) / TABLE
    with path.open(encoding="utf-8") as fh:
        table = pd.read_csv(fh, sep="\t", keep_default_na=False, dtype=str)
    table = table.rename(columns={"ISO3": "iso3", "UNregion": "m49_region", "continent": "continent"})
    table["un_member_from"] = pd.to_numeric(table["UNmember"], errors="coerce").astype("Int64")
    return table[["iso3", "name_short", "m49_region", "continent", "un_member_from"]]


def continent_of_region(table) -> dict[str, str]:
    """Each M49 sub-region's continent, for a state the library does not know (a dissolved one): the continent
    of most of the library's states in the sub-region (South America's two Antarctic territories and Australia
    and New Zealand's outlying islands are the exceptions the majority leaves out). `table`: country_table()."""
    named = table[(table["m49_region"] != "") & (table["continent"] != "")]
    counts = named.groupby(["m49_region", "continent"]).size().reset_index(name="states")
    # the largest count first, ties by name, so the choice does not depend on the table's order
    counts = counts.sort_values(["m49_region", "states", "continent"], ascending=[True, False, True], kind="stable")
    return dict(counts.drop_duplicates("m49_region")[["m49_region", "continent"]].itertuples(index=False))


@functools.lru_cache(maxsize=1)
def name_patterns() -> dict[str, tuple[str, str]]:
    """The library's official name of each state and the pattern it recognises the state's names by (Burma
    for Myanmar, Turkey for Türkiye, Swaziland for Eswatini, Ivory Coast...), by ISO3 code; read with the
    csv module, for the report step, which does not import pandas."""
    path = importlib.resources.files(LIBRARY) / TABLE
    with path.open(encoding="utf-8", newline="") as fh:
        return {r["ISO3"]: (r["name_official"], r["regex"]) for r in csv.DictReader(fh, delimiter="\t")}
