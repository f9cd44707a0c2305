"""The registry of claim checks (claims_registry): the decorator, the kinds of argument and what they say."""
from __future__ import annotations

from datetime import date

import pytest

from dprk_relations.analysis.claims_context import Result
from dprk_relations.analysis.claims_registry import (BEFORE_YEAR, CHECKED_ON, COUNTED, DAY, EVENT, FIRST_YEAR, LAST_YEAR,
                                                     MISSIONS, PERIOD, STATE, VALUE, check, is_number, is_whole,
                                                     listed)

TODAY = date(2024, 1, 1)
KNOWN = {"state": {"AUS", "CUB"}, "mission": {"embassy"}}


def test_known_values_are_listed_up_to_twelve_then_summarised():
    twelve = [f"v{i:02d}" for i in range(12)]
    assert listed(set(twelve)) == ", ".join(twelve)
    thirteen = [f"v{i:02d}" for i in range(13)]
    assert listed(set(thirteen)) == "13 values, e.g. v00, v01, v02, v03, v04"


@pytest.mark.parametrize("value, number, whole", [
    (3, True, True), (0, True, True), (2.5, True, False), (3.0, True, False),
    (True, False, False), (False, False, False), ("3", False, False), (None, False, False),
])
def test_a_bool_is_neither_a_number_nor_a_whole_number(value, number, whole):
    assert (is_number(value), is_whole(value)) == (number, whole)


def test_a_registered_check_carries_its_kinds_required_arguments_and_types(scratch_checks):
    @check(kinds={"country": STATE, "years": PERIOD, "day": CHECKED_ON, "strict": VALUE}, years_valued=True)
    def a_new_check(ctx, country: str, years: list[int], day: str, strict: bool = False) -> Result:
        return Result(country)

    registered = scratch_checks["a_new_check"]
    assert registered.function is a_new_check and a_new_check(None, "CUB", [1, 2], "2000-01-01").value == "CUB"
    assert registered.kinds == {"country": STATE, "years": PERIOD, "day": CHECKED_ON, "strict": VALUE}
    # the day the evaluation fills in and an argument with a default are not needed in the row
    assert registered.required == {"country", "years"}
    assert registered.types == {"country": str, "years": list[int], "day": str, "strict": bool}
    assert registered.years_valued


def test_a_check_without_a_kind_for_each_argument_is_refused_at_registration(scratch_checks):
    with pytest.raises(TypeError) as err:
        @check(kinds={"country": STATE, "colour": EVENT})
        def half_declared(ctx, country: str, partner: str) -> Result:
            return Result(None)
    assert str(err.value) == "check half_declared: no kind for partner; kinds for no argument: colour"
    assert "half_declared" not in scratch_checks


def test_a_check_name_is_registered_once(scratch_checks):
    with pytest.raises(ValueError) as err:
        @check(kinds={"day": CHECKED_ON})
        def stock_at(ctx, day: str) -> Result:
            return Result(None)
    assert str(err.value) == "a check named 'stock_at' is registered already"
    assert scratch_checks["stock_at"].function.__module__ == "dprk_relations.analysis.claims_stock"


def test_a_value_of_a_vocabulary_is_looked_up_in_the_known_values_or_the_kind_s_own():
    assert STATE.problems("states", ["CUB", "XXX"], KNOWN, TODAY) == ["states: 'XXX' is not a known state (AUS, CUB)"]
    assert STATE.problems("state", "CUB", KNOWN, TODAY) == []
    assert EVENT.problems("kind", "crowned", KNOWN, TODAY) == []  # a vocabulary ingest does not give is not checked
    assert COUNTED.problems("count", "state", KNOWN, TODAY) == ["count: 'state' is not a known count (missions, states)"]
    assert VALUE.problems("city", "Paris", KNOWN, TODAY) == []


def test_a_day_must_be_a_date_from_the_dprk_s_founding_to_today():
    assert DAY.problems("from_day", "1990-13-01", KNOWN, TODAY) == ["from_day: '1990-13-01' is not a date YYYY-MM-DD"]
    assert CHECKED_ON.problems("day", "1940-01-01", KNOWN, TODAY) == [
        "day: 1940-01-01 is not between the DPRK's founding (1948-09-09) and today (2024-01-01)"]
    assert DAY.problems("not_after", "2023-12-31", KNOWN, TODAY) == []


def test_each_part_of_a_mission_is_of_its_own_kind():
    assert MISSIONS.problems("missions", [["CUB", "Havana"], ["XXX", "Paris", "palace"], ["AUS", "Canberra", "embassy"]],
                             KNOWN, TODAY) == [
        "each of 'missions' must be [state code, city, kind], got ['CUB', 'Havana']",
        "missions: 'XXX' is not a known state (AUS, CUB)",
        "missions: 'palace' is not a known mission (embassy)",
    ]


@pytest.mark.parametrize("kind, value, last_day", [
    (DAY, "1990-05-01", "1990-05-01"),
    (CHECKED_ON, None, None),
    (LAST_YEAR, 1975, "1975-12-31"),
    (LAST_YEAR, True, None),
    (FIRST_YEAR, 1970, None),
    (BEFORE_YEAR, 1960, "1959-12-31"),
    (PERIOD, [1970, 1993], "1993-12-31"),
    (PERIOD, [], None),
    (STATE, "CUB", None),
])
def test_the_last_day_a_value_names(kind, value, last_day):
    assert kind.last_day(value) == last_day

