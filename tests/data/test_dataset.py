"""The ingest tables' record (data/dataset.py): one field per ingest table of the catalogue, in its order."""
from dataclasses import fields

from dprk_relations.core import catalogue
from dprk_relations.data.dataset import Dataset
from dprk_relations.runner import keys


def test_the_record_has_a_field_per_ingest_table_of_the_catalogue_and_the_package():
    assert [f.name for f in fields(Dataset)] == list(catalogue.INGEST_TABLES) + ["package"]


def test_the_record_imports_nothing_of_the_package():
    # every later step imports it through the store: an import here would widen all their cache keys
    assert keys.imports_in(keys.module_path("data.dataset").read_text(encoding="utf-8")) == set()
