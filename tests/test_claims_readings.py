"""Issue 18, point 4: a statement about a count or a period is evaluated under every reading the band uses;
supported or contradicted only when every reading agrees, partly supported otherwise, naming the range."""
from __future__ import annotations

import json
from datetime import date

import pandas as pd
import pytest

from dprk_relations.analysis import claims
from dprk_relations.data import ingest
from dprk_relations.rules.relations import build_spells

from .conftest import EVENTS, build_raw, event_rows, write_csv, columns_of
from .test_claims import claim

AS_OF = date(2023, 10, 1)


@pytest.fixture
def context(tmp_path):
    """The fixture, with a second source dating Cuba's establishment 1958 (a 'differs' reading)."""
    raw = build_raw(tmp_path / "raw")
    _, sources = event_rows(EVENTS)
    sources.append(dict(event_id="CUB-established-1", citation="Another book", url="https://example.org/other",
                        origin="other", date_given="1958", precision_given="year", reading="differs"))
    write_csv(raw / "sources.csv", columns_of("sources"), sources)
    data = ingest.load(raw)
    return claims.Context.from_dataset(data, build_spells(data.events, data.states, data.successions, AS_OF), AS_OF)


def test_a_count_of_events_carries_the_range_of_the_readings(context):
    result = claims.count_events(context, "established", 1959, 1965, "2023-10-01")
    assert (result.value, result.low, result.high) == (1, 0, 1)  # Cuba: 1960 here, 1958 in the other source


def test_a_stock_carries_the_band_and_a_suspension_read_both_ways(context):
    result = claims.stock_at(context, "1976-12-31")
    # the USSR, Czechoslovakia and Cuba; Australia's suspension (October 1975) read as in force too
    assert (result.value, result.low, result.high) == (3, 3, 4)


@pytest.mark.parametrize("expected, verdict, words", [
    ("1", "partly supported", "the sources' readings give 0 to 1: contradicted at 0, supported at 1"),
    ("0", "contradicted", None),
])
def test_a_statement_that_holds_under_some_readings_only_is_partly_supported(context, expected, words, verdict):
    register = pd.DataFrame([claim(claim_id="c", check="count_events", comparison="ge", expected=expected,
                                   arguments=json.dumps({"kind": "established", "start_year": 1959, "end_year": 1965}))])
    out = claims.evaluate(register, context).iloc[0]
    if words:
        assert out["verdict"] == verdict and words in out["detail"]
    else:  # 'at least 0': every reading agrees
        assert out["verdict"] == "supported" and "supported under every one" in out["detail"]


def test_across_readings_checks_the_bounds_of_what_the_comparison_admits_inside_the_range():
    # 'approximately 10 (within 1)': 7 and 13 are contradicted, but 9 to 11 lie between them
    assert claims.across_readings(claims.CONTRADICTED, 7, 13, "approx", 10, 1)[0] == claims.PARTLY
    assert claims.across_readings(claims.SUPPORTED, 10, 10, "approx", 10, 1) == (claims.SUPPORTED, "")
    assert claims.across_readings(claims.SUPPORTED, 9, 11, "in_range", [8, 12], None) == (
        claims.SUPPORTED, "the sources' readings give 9 to 11, supported under every one")
    assert claims.across_readings(claims.SUPPORTED, 9, 13, "le", 12, None)[0] == claims.PARTLY
