"""The listing of what an edit changed: one line per claim whose verdict or value moved."""
from __future__ import annotations

import json
import subprocess

from dprk_relations.report import changes


def claim(claim_id, verdict, value):
    return {"claim_id": claim_id, "verdict": verdict, "value": value, "detail": "ignored"}


def test_only_claims_whose_verdict_or_value_moved_are_listed():
    old = [claim("a", "supported", "1960"), claim("b", "supported", "160"), claim("c", "supported", "1"), claim("gone", "supported", "")]
    new = [claim("a", "contradicted", "1957"), claim("b", "supported", "161"), claim("c", "supported", "1"), claim("new", "supported", "2")]
    listed = changes.verdict_changes(old, new)
    assert [c["claim_id"] for c in listed] == ["a", "b", "new", "gone"]
    assert listed[2]["old_verdict"] == changes.ABSENT and listed[3]["new_verdict"] == changes.ABSENT
    assert changes.describe(listed[0]) == "a: supported -> contradicted (value 1960 -> 1957)"
    assert changes.describe(listed[3]) == "gone: supported -> (absent) (value - -> -)"


def test_a_long_value_is_cut_in_the_line_printed_and_says_how_long_it_is():
    codes = json.dumps([f"S{i:03d}" for i in range(400)])  # a list of states, as data 100 times ours give
    line = changes.describe(changes.verdict_changes([claim("x", "supported", '["DZA"]')], [claim("x", "supported", codes)])[0])
    assert line == f'x: supported -> supported (value ["DZA"] -> {codes[:changes.SHOWN_VALUE_CHARS]}... (3,200 characters in all))'
    assert len(codes) == 3200
    exact = "7" * changes.SHOWN_VALUE_CHARS  # a value as long as the limit is shown whole
    assert changes.describe({"claim_id": "y", "old_verdict": "a", "new_verdict": "b", "old_value": exact,
                             "new_value": ""}) == f"y: a -> b (value {exact} -> -)"


def test_a_detail_alone_is_not_a_change():
    old = [claim("a", "supported", "1960")]
    new = [dict(claim("a", "supported", "1960"), detail="reworded")]
    assert changes.verdict_changes(old, new) == []


def test_the_committed_file_is_read_from_the_last_commit_not_the_working_tree(tmp_path):
    git = ["git", "-C", str(tmp_path), "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / "claims.csv").write_text("claim_id,verdict,value\na,supported,1\n", encoding="utf-8")
    subprocess.run(git + ["add", "claims.csv"], check=True)
    subprocess.run(git + ["commit", "-q", "-m", "x"], check=True)
    (tmp_path / "claims.csv").write_text("claim_id,verdict,value\na,contradicted,2\n", encoding="utf-8")
    committed = changes.read_claims(changes.committed_bytes(tmp_path, "claims.csv"))
    assert committed == [{"claim_id": "a", "verdict": "supported", "value": "1"}]


def test_outside_a_git_checkout_there_is_nothing_to_compare(tmp_path):
    assert changes.committed_bytes(tmp_path, "claims.csv") is None


def test_the_cut_off_counts_split_the_statements_into_those_after_it_and_those_checked(tmp_path):
    checked = tmp_path / "claims_checked.csv"
    checked.write_text("claim_id,verdict,value\na,supported,1\nb,after the cut-off,\nc,contradicted,2\n"
                       "d,after the cut-off,\n", encoding="utf-8")
    assert changes.cut_off_counts(checked) == (2, 2)
    checked.write_text("claim_id,verdict,value\na,supported,1\n", encoding="utf-8")
    assert changes.cut_off_counts(checked) == (0, 1)
