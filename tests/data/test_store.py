"""Processed tables read and written as catalogue.COLUMNS declares them: names, order and types."""
from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from dprk_relations.core import catalogue
from dprk_relations.core.params import check
from dprk_relations.data import store


def test_every_processed_table_has_its_columns_declared_and_only_those():
    tables = set(catalogue.INGEST_TABLES) | set(catalogue.PROCESSED_TABLES)
    assert set(catalogue.COLUMNS) == tables
    for name in tables:
        assert set(catalogue.columns(name).values()) <= set(catalogue.COLUMN_TYPES), name


def write(folder, name: str, text: str):
    (folder / f"{name}.csv").write_text(text, encoding="utf-8")


def test_a_table_is_read_with_its_declared_types(tmp_path):
    write(tmp_path, "spells", "iso3,start,end,start_reason,end_reason\nAAA,1948-10-12,,established,ongoing\n")
    spells = store.read_table(tmp_path, "spells")
    assert spells["start"].tolist() == [date(1948, 10, 12)] and spells["end"].tolist() == [None]
    write(tmp_path, "published_comparison", "count_id,count_date,measured_on,quantity,convention,qualifier,as_written,"
          "published,derived,derived_low,derived_high,difference,within_band,explanation,citation,url\n"
          "c1,1975,1975-12-31,in_force,all,,91,91,90,,95,-1,yes,,x,http://x\n")
    compared = store.read_table(tmp_path, "published_comparison")
    assert str(compared["derived_low"].dtype) == "Int64" and compared["derived_low"].isna().all()
    assert compared["difference"].tolist() == [-1] and compared["as_written"].tolist() == ["91"]  # text stays text


def test_a_wide_table_types_every_further_column_as_its_star_declares(tmp_path):
    write(tmp_path, "establishments_by_decade", "continent,1940,1950\nAsia,1,0\nEurope,9,2\n")
    decades = store.read_table(tmp_path, "establishments_by_decade")
    assert decades["1950"].tolist() == [0, 2] and str(decades["1940"].dtype) == "int64"


@pytest.mark.parametrize("table, text, message", [
    ("claims_verdicts", "verdict,claims\nsupported,61\ncontradicted,six\n",
     r"claims_verdicts\.csv, data row 2, column 'claims': 'six' is not an integer"),
    ("claims_verdicts", "verdict,claims\nsupported,\n", r"data row 1, column 'claims': '' is not an integer"),
    ("claims_verdicts", "verdict,claims\nsupported,6.5\n", r"column 'claims': '6\.5' is not an integer"),
    ("peer_agreement", "peer,year,both,peer_only,data_only,peer_in_data\ncow,1950,3,0,7,most\n",
     r"column 'peer_in_data': 'most' is not a number"),
    ("spells", "iso3,start,end,start_reason,end_reason\nAAA,1948-13-01,,established,ongoing\n",
     r"data row 1, column 'start': '1948-13-01' is not an ISO date or empty"),
])
def test_a_value_that_is_not_of_its_declared_type_is_refused_naming_file_row_and_column(tmp_path, table, text, message):
    write(tmp_path, table, text)
    with pytest.raises(store.TableError, match=message):
        store.read_table(tmp_path, table)


@pytest.mark.parametrize("header, message", [
    ("verdict", "missing claims"),
    ("verdict,claims,extra", "undeclared extra"),
    ("claims,verdict", "in another order"),
])
def test_a_table_whose_columns_are_not_the_declared_ones_is_refused_naming_them(tmp_path, header, message):
    write(tmp_path, "claims_verdicts", header + "\n")
    with pytest.raises(store.TableError, match=rf"claims_verdicts\.csv: the columns of 'claims_verdicts' .*{message}"):
        store.read_table(tmp_path, "claims_verdicts")


def test_saving_a_table_with_an_undeclared_column_writes_nothing(tmp_path):
    p = check("05-claims", {"processed_dir": str(tmp_path / "processed"), "reports_dir": str(tmp_path / "reports")})
    good = pd.DataFrame({"verdict": ["supported"], "claims": [61]})
    with pytest.raises(store.TableError, match=r"05-claims saving the table 'claims_verdicts'.*undeclared note"):
        store.save(p, {"claims_verdicts": good.assign(note="x")})
    assert not (tmp_path / "processed").exists()
    assert store.save(p, {"claims_verdicts": good}) == [tmp_path / "processed" / "claims_verdicts.csv"]
