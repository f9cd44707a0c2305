"""The claims' context (claims_context): what the checks read, on the hand-built fixture of conftest.py."""
from __future__ import annotations

from datetime import date

from dprk_relations.analysis.claims_stock import count_events


def test_an_event_on_the_day_itself_is_certainly_by_that_day(own_reading_ctx):
    ctx = own_reading_ctx
    assert list(ctx.events_until(date(1970, 11, 16))["line"]) == [2, 3, 4, 5]
    assert list(ctx.events_until(date(1970, 11, 15))["line"]) == [2, 3, 4]
    assert count_events(ctx, "established", 1970, 1970, "1970-11-16").value == 1
    assert count_events(ctx, "established", 1970, 1970, "1970-11-15").value == 0


def test_a_state_has_had_relations_from_the_first_day_of_its_first_spell(own_reading_ctx):
    assert own_reading_ctx.had_relations_by(date(1960, 12, 31)) == {"SUHH", "CSHH", "CUB"}
    assert own_reading_ctx.had_relations_by(date(1960, 12, 30)) == {"SUHH", "CSHH"}


def test_a_context_has_the_sources_readings_only_when_it_has_sources_and_successions(claims_ctx, own_reading_ctx):
    assert claims_ctx.has_readings and not own_reading_ctx.has_readings
