"""What the report's page shows: safe links, values in words, evidence linked to states, the years."""
from __future__ import annotations

import pytest

from dprk_relations.analysis import pages


@pytest.mark.parametrize("url, shown", [
    ("https://example.org/a?b=1", "https://example.org/a?b=1"),
    ("http://example.org", "http://example.org"),
    ("javascript:alert(1)", None),
    ("data:text/html,<script>", None),
    ("https://example.org/a b", None),  # a space: not one URL
    ("", None),
])
def test_only_http_and_https_links_are_links(url, shown):
    assert pages.safe_url(url) == shown


@pytest.mark.parametrize("value, words", [
    ('{"CUB": 1960, "FRA": null}', "Cuba: 1960; France: not in the data"),
    ('["DZA", "XXX"]', "Algeria, XXX"),
    ("[]", "none"),
    ("0.8229", "82.3%"),
    ("42.3", "42.3"),
    ("159", "159"),
    ('["supported", "contradicted"]', "supported, contradicted"),
    ("", "no value"),
    ("not json", "not json"),
])
def test_values_in_plain_words(value, words):
    assert pages.plain_value(value, {"CUB": "Cuba", "FRA": "France", "DZA": "Algeria"}) == words


@pytest.mark.parametrize("value, check, words", [
    ("159", "stock_at", "159 states"),
    ("0.8229", "share_of_un_members_at", "82.3% of UN members"),
    ("0.22", "period_ratio", "0.22 times"),
    ("2.5", "ratio_of_stock", "2.5 times"),
    ("42.3", "duration_years", "42.3 years"),
    ("[]", "states_without_relations", "none without relations: every one had them"),
    ('["EST", "FRA"]', "states_without_relations", "Estonia, France"),
    ("1991", "membership_year", "1991"),
])
def test_a_value_reads_with_its_unit_and_an_empty_list_says_what_it_means(value, check, words):
    assert pages.plain_value(value, {"EST": "Estonia", "FRA": "France"}, check) == words


def test_every_registered_check_says_how_its_value_reads():
    from dprk_relations.analysis import claims_checks  # noqa: F401 (registers every family's checks)
    from dprk_relations.analysis.claims_registry import CHECKS

    assert set(CHECKS) == set(pages.VALUE_READING)


def test_evidence_items_link_only_known_state_codes():
    text = "CUB established 1960 (events.csv line 4; S) | list mofa (2024-01) | UNO office | ABCD x"
    items = pages.evidence_items(text, {"CUB", "ABCD"})
    assert [i["code"] for i in items] == ["CUB", None, None, "ABCD"]
    assert items[0]["text"] == " established 1960 (events.csv line 4; S)"


def event(iso3, kind, date, year, latest=None, line=2, state=None):
    return dict(event_id=f"{iso3}-{kind}-1", iso3=iso3, state=state or iso3, event=kind, date=date, precision="day",
                earliest="", latest="", year=str(year), date_latest=latest or date, order_date=latest or date, line=str(line),
                date_rule="most_specific", note="")


def test_each_year_lists_its_events_and_leaves_out_those_after_the_cut_off():
    yearly = [{"year": "1973", "maintaining": "50", "measured_on": "1973-12-31"},
              {"year": "1974", "maintaining": "60", "measured_on": "1974-06-30"}]
    events = [event("NOR", "established", "1973-06-22", 1973), event("AUS", "established", "1974-07-31", 1974),
              event("CHL", "severed", "1973-09-18", 1973), event("CUB", "established", "1974-06-30", 1974)]
    out = pages.years(yearly, events, "1974-06-30")
    assert [e["iso3"] for e in out[0]["established"]] == ["NOR"] and [e["iso3"] for e in out[0]["severed"]] == ["CHL"]
    assert [e["iso3"] for e in out[1]["established"]] == ["CUB"]  # on the cut-off day: in; AUS after it: out


def test_state_histories_in_order_with_their_sources():
    status = [{"iso3": "CHL", "name": "Chile"}, {"iso3": "AUS", "name": "Australia"}]
    events = [event("CHL", "restored", "1992-09-25", 1992, line=5), event("CHL", "severed", "1973-09-18", 1973, line=3)]
    sources = [dict(event_id="CHL-severed-1", citation="A", url="javascript:x", reading="chosen", date_given="1973", quote="")]
    out = pages.state_histories(status, events, sources)
    assert [s["iso3"] for s in out] == ["AUS", "CHL"]  # by name
    assert [e["event"] for e in out[1]["history"]] == ["severed", "restored"]
    assert out[1]["history"][0]["sources"][0]["url"] is None  # shown as text, not a link
    assert out[0]["history"] == []


def test_claims_after_the_cut_off_are_counted():
    text = dict(quote="Relations with Côte d'Ivoire", document="d", section="para 1", check="event_year")
    claims = [dict(claim_id="a", verdict="after the cut-off", value="", evidence="", claim_date="2023-10-01", **text),
              dict(claim_id="b", verdict="supported", value='["CIV"]', evidence="", claim_date="2016-08-01", **text)]
    view, after = pages.claims_view(claims, [{"iso3": "CIV", "name": "Ivory Coast"}], "2016-08-01")
    assert after == 1 and view[0]["slug"] == "after-the-cut-off"
    # the search matches the statement and the value in words, accents folded
    assert view[1]["search_text"] == "relations with cote d'ivoire b d para 1 ivory coast"
    # one statement checked two ways: each says how it reads
    view, _ = pages.claims_view(claims, [{"iso3": "CIV", "name": "Ivory Coast"}], "2016-08-01",
                                {"a": "{}", "b": '{"states": ["CIV"], "existing_only": true, "day": "2016-08-01"}'})
    assert [v["told_apart"] for v in view] == ["event year", "event year, states: Ivory Coast; existing only: true"]


def test_states_are_sorted_as_a_reader_expects_and_found_by_their_other_names():
    from dprk_relations.analysis.pages import folded, state_histories

    status = [{"iso3": "CSHH", "name": "Czechoslovakia"}, {"iso3": "CIV", "name": "Côte d'Ivoire"},
              {"iso3": "CRI", "name": "Costa Rica"}, {"iso3": "MMR", "name": "Myanmar"}]
    shown = state_histories(status, [], [])
    assert [s["iso3"] for s in shown] == ["CRI", "CIV", "CSHH", "MMR"]  # "Côte" between "Costa" and "Czecho"
    by_code = {s["iso3"]: s for s in shown}
    assert folded("Côte d'Ivoire") == "cote d'ivoire" and by_code["CIV"]["search_names"].startswith("cote d'ivoire")
    import re

    assert re.search(by_code["MMR"]["name_pattern"], "burma", re.I)
    assert by_code["CSHH"]["name_pattern"] == ""  # a dissolved state: its own name only


def test_the_other_korea_s_events_and_years_go_beside_each_state_s_history():
    events = [{"korea": "ROK", "iso3": "MRT", "event_id": "MRT-severed-1", "event": "severed", "date": "1964-12-10",
               "precision": "day", "source": "JoongAng", "source_url": "https://example.org/a"},
              {"korea": "DPRK", "iso3": "MRT", "event_id": "MRT-established-1", "event": "established", "date": "1964-11-11",
               "precision": "day", "source": "W", "source_url": "javascript:alert(1)"}]
    years = [{"iso3": "MRT", "name": "Mauritania", "dprk_years": "1964-1976", "rok_years": "1963 1978-2023"}]
    north = pages.other_korea(events, years, "DPRK")
    assert north["short"] == "ROK" and north["years"] == {"MRT": "1963 1978-2023"}
    assert [e["event_id"] for e in north["events"]["MRT"]] == ["MRT-severed-1"] and north["events"]["MRT"][0]["url"] == "https://example.org/a"
    south = pages.other_korea(events, years, "ROK")
    assert south["short"] == "DPRK" and south["years"] == {"MRT": "1964-1976"}
    assert south["events"]["MRT"][0]["url"] is None  # not a link a reader can follow safely: shown as text


def test_a_reconciliation_row_answering_no_disagreement_is_left_over():
    row = lambda iso3, peer="cow": {"peer": peer, "iso3": iso3, "resolution": "peer_stale_or_wrong"}
    reconciliation = [row("BOL"), row("NIC"), row("CUB"), row("BOL", peer="other")]
    disagreements = [{"peer": "cow", "iso3": "BOL"}, {"peer": "cow", "iso3": "CUB"}, {"peer": "other", "iso3": "NIC"}]
    # matched on the peer and the state together: the other peer's Bolivia and COW's Nicaragua are left over
    assert pages.unanswered(reconciliation, disagreements) == [row("NIC"), row("BOL", peer="other")]
    assert pages.unanswered(reconciliation[:1], disagreements) == []
