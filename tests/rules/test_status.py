"""The vocabulary of statuses and verdicts: each word once, and the report's verdict table in its order."""
from __future__ import annotations

import csv

from dprk_relations.core import paths
from dprk_relations.rules import status


def test_each_status_and_verdict_is_one_word_of_its_list():
    assert len(set(status.STATUSES)) == len(status.STATUSES) == 5
    assert len(set(status.VERDICTS)) == len(status.VERDICTS) == 5
    assert not set(status.STATUSES) & set(status.VERDICTS)


def test_the_committed_verdict_counts_are_in_the_vocabulary_s_order():
    with (paths.DATA_PROCESSED / "claims_verdicts.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["verdict"] for r in rows] == status.VERDICTS
    with (paths.DATA_PROCESSED / "claims_checked.csv").open(encoding="utf-8", newline="") as fh:
        checked = [r["verdict"] for r in csv.DictReader(fh)]
    assert set(checked) <= set(status.VERDICTS)
    assert [int(r["claims"]) for r in rows] == [checked.count(v) for v in status.VERDICTS]
