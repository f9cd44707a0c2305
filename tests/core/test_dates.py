from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dprk_relations.core import dates
from dprk_relations.core.dates import parse_iso_day, parse_partial, written


@pytest.mark.parametrize("text, precision, earliest, latest", [
    ("1973", "year", date(1973, 1, 1), date(1973, 12, 31)),
    ("1975-10", "month", date(1975, 10, 1), date(1975, 10, 31)),
    ("1992-02", "month", date(1992, 2, 1), date(1992, 2, 29)),
    ("1948-10-12", "day", date(1948, 10, 12), date(1948, 10, 12)),
])
def test_partial_dates_bound_the_real_day(text, precision, earliest, latest):
    parsed = parse_partial(text, precision)
    assert (parsed.earliest, parsed.latest) == (earliest, latest)


@pytest.mark.parametrize("text, precision, message", [
    ("1973-04", "year", "YYYY"),
    ("1973", "day", "YYYY-MM-DD"),
    ("1973-13", "month", "month 13"),
    ("1973-02-30", "day", "day 30"),
    ("12/04/1973", "day", "YYYY-MM-DD"),
    ("1973", "decade", "not one of"),
])
def test_bad_dates_say_what_was_expected(text, precision, message):
    with pytest.raises(ValueError, match=message):
        parse_partial(text, precision)


def test_what_ends_on_the_cut_off_is_compared_and_what_ends_a_day_later_is_not():
    as_of = date(2016, 8, 1)
    assert not dates.after_cut_off(as_of, as_of) and not dates.after_cut_off(date(1948, 9, 9), as_of)
    assert dates.after_cut_off(as_of + timedelta(days=1), as_of)
    # a period's last day decides: August 2016 ends on the 31st, after a cut-off on the 1st
    assert dates.after_cut_off(parse_partial("2016-08", "month").latest, as_of)


def test_cut_off_must_be_a_full_date():
    assert parse_iso_day("2016-08-01") == date(2016, 8, 1)
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        parse_iso_day("2016-08")


@pytest.mark.parametrize("text, precision, form", [("73", "year", "YYYY"), ("1973-1", "month", "YYYY-MM"), ("1973-01-1", "day", "YYYY-MM-DD")])
def test_a_date_of_the_wrong_form_names_the_form_its_precision_needs(text, precision, form):
    with pytest.raises(ValueError, match=f"date '{text}' does not have the form {form} that precision '{precision}' needs"):
        parse_partial(text, precision)


def test_an_unknown_precision_names_the_known_ones():
    with pytest.raises(ValueError, match="precision 'decade' is not one of day, month, year"):
        parse_partial("1970", "decade")


@pytest.mark.parametrize("text, precision", [("1973", "year"), ("1973-06", "month"), ("1973-06-22", "day")])
def test_a_partial_date_keeps_the_text_and_precision_it_was_written_with(text, precision):
    parsed = parse_partial(text, precision)
    assert (parsed.text, parsed.precision, parsed.year) == (text, precision, 1973)


def test_an_event_date_is_written_as_given_or_as_its_windows_bounds():
    assert written("1973-05", "1973-05-01", "1973-05-31") == "1973-05"
    assert written("", "1967-11-30", "1990-05-18") == "1967-11-30..1990-05-18"


# --- properties, on random days (Hypothesis; the profile of tests/conftest.py) --------------------------

DAYS = st.dates(min_value=date(1948, 9, 9), max_value=date(2030, 12, 31))


@given(DAYS, st.sampled_from(dates.PRECISIONS))
def test_a_partial_date_bounds_the_day_it_was_written_from(day, precision):
    text = day.isoformat()[: {"day": 10, "month": 7, "year": 4}[precision]]
    parsed = dates.parse_partial(text, precision)
    assert parsed.earliest <= day <= parsed.latest
    assert parsed.earliest.isoformat().startswith(text) and parsed.latest.isoformat().startswith(text)
    # the bounds are tight: the day before the earliest and after the latest are written otherwise
    assert not (parsed.earliest - timedelta(days=1)).isoformat().startswith(text)
    assert not (parsed.latest + timedelta(days=1)).isoformat().startswith(text)


@given(st.integers(1948, 2030), st.integers(13, 99))
def test_a_month_out_of_range_is_refused(year, month):
    try:
        dates.parse_partial(f"{year}-{month:02d}", "month")
    except ValueError as exc:
        assert f"month {month:02d}" in str(exc)
    else:
        raise AssertionError("accepted")
