"""Notebook parameters: the exact refusals, the edges of each range, the run folders, and how a
notebook's namespace and input history say which names are parameters; then whole runs at both ends of
the ranges, and a value outside one refused before anything runs."""
from __future__ import annotations

import csv
from datetime import date

import pytest

from dprk_relations.core import paths
from dprk_relations.core.params import (
    ParameterError,
    Params,
    _literal_assignments,
    _parameter_names,
    check,
    from_notebook,
    output_dirs,
    run_slug,
)
from dprk_relations.runner import pipeline


def test_defaults_write_to_the_default_folders():
    p = check("02-yearly-counts", {})
    assert p.as_of == date(2023, 10, 1)
    assert p.processed_dir == paths.DATA_PROCESSED
    assert p.reports_dir == paths.REPORTS


def test_other_parameters_write_to_their_own_folder():
    p = check("02-yearly-counts", {"as_of": "2016-08-01"})
    assert p.processed_dir == paths.DATA_PROCESSED / "runs" / "as_of-2016-08-01"
    assert p.reports_dir == paths.REPORTS / "runs" / "as_of-2016-08-01"
    assert run_slug({"as_of": "2016-08-01", "first_year": 1960}) == "as_of-2016-08-01_first_year-1960"


def test_relative_folders_resolve_from_the_project_root():
    assert check("01-ingest", {"raw_dir": "data/raw"}).raw_dir == paths.DATA_RAW


@pytest.mark.parametrize("values, message", [
    ({"cutoff": "2016-08-01"}, "unknown parameter(s) cutoff"),
    ({"as_of": 20160801}, "parameter as_of must be str"),
    ({"first_year": "1960"}, "parameter first_year must be int"),
    ({"first_year": True}, "parameter first_year must be int"),
    ({"as_of": "2016-13-01"}, "parameter as_of"),
    ({"as_of": "1947-01-01"}, "must fall between 1948-09-09"),
    ({"first_year": 1900}, "parameter first_year 1900"),
])
def test_bad_parameters_are_named(values, message):
    with pytest.raises(ParameterError, match=message.replace("(", r"\(").replace(")", r"\)")):
        check("02-yearly-counts", values, today=date(2026, 1, 1))


def test_wave_parameters_belong_to_the_waves_notebook_only():
    assert check("03-waves", {"wave_min_establishments": 4}).values["wave_min_establishments"] == 4
    with pytest.raises(ParameterError, match="unknown parameter"):
        check("02-yearly-counts", {"wave_min_establishments": 4})


def test_from_notebook_sees_injected_names_and_ignores_kernel_names():
    import math

    namespace = {"as_of": "2016-08-01", "first_year": 1948, "raw_dir": "data/raw", "processed_dir": "auto",
                 "reports_dir": "auto", "In": [], "Out": {}, "get_ipython": print, "math": math, "_": 1}
    assert from_notebook("02-yearly-counts", namespace).as_of == date(2016, 8, 1)
    with pytest.raises(ParameterError, match="unknown parameter"):
        from_notebook("02-yearly-counts", {**namespace, "asof": "2016-08-01"})


def test_a_wave_rule_other_than_the_default_gets_its_own_folder():
    assert run_slug({"wave_max_gap": 1}) == ""  # the default value: the default folder
    assert run_slug({"wave_max_gap": 2, "wave_min_regional": 2}) == "wave_max_gap-2_wave_min_regional-2"
    p = check("03-waves", {"wave_max_gap": 2})
    assert p.processed_dir == paths.DATA_PROCESSED / "runs" / "wave_max_gap-2"
    # run alone, it reads the yearly table of the run with the same cut-off, not its own empty folder
    assert p.upstream_dir == paths.DATA_PROCESSED
    assert check("03-waves", {"wave_max_gap": 2, "as_of": "2016-08-01"}).upstream_dir == paths.DATA_PROCESSED / "runs" / "as_of-2016-08-01"


def test_every_step_of_a_run_writes_to_the_run_s_folder():
    from dprk_relations.runner.pipeline import STEPS, step_values

    values = {"wave_max_gap": 2}
    dirs = {check(s.name, step_values(s.name, values)).processed_dir for s in STEPS}
    assert dirs == {paths.DATA_PROCESSED / "runs" / "wave_max_gap-2"}
    assert step_values("01-ingest", {}) == {}  # the default run injects nothing


def test_the_runner_takes_the_wave_parameters_from_the_command_line():
    from dprk_relations.runner.pipeline import parse_args

    values, _ = parse_args(["--wave-max-gap", "2", "--wave-min-regional", "4"])
    assert values == {"wave_max_gap": 2, "wave_min_regional": 4}


PARAMETERS_CELL = 'as_of = "2023-10-01"\nfirst_year = 1948\nraw_dir = "data/raw"\nprocessed_dir = "auto"\nreports_dir = "auto"'
CHECK_CELL = 'from dprk_relations.core import params\n\np = params.from_notebook("02-yearly-counts", globals())'


def test_rerunning_the_parameters_cell_in_jupyter_after_the_rest_works():
    """Issue 10's defect 9: every global used to count as a parameter."""
    later = {"spells": object(), "yearly": object(), "in_force": ["CUB"], "p": None, "saved": []}
    history = ["", PARAMETERS_CELL, CHECK_CELL, "spells = relations.build_spells(...)", 'as_of = "2016-08-01"', CHECK_CELL]
    namespace = {"as_of": "2016-08-01", "first_year": 1948, "raw_dir": "data/raw", "processed_dir": "auto",
                 "reports_dir": "auto", "In": history, **later}
    assert from_notebook("02-yearly-counts", namespace).as_of == date(2016, 8, 1)


def test_a_misspelt_parameter_papermill_injects_is_still_refused():
    injected = 'asof = "2016-08-01"'
    history = ["", PARAMETERS_CELL, injected, CHECK_CELL]
    namespace = {"as_of": "2023-10-01", "first_year": 1948, "raw_dir": "data/raw", "processed_dir": "auto",
                 "reports_dir": "auto", "asof": "2016-08-01", "In": history}
    with pytest.raises(ParameterError, match="unknown parameter.*asof"):
        from_notebook("02-yearly-counts", namespace)


def test_parameters_are_shown_with_folders_relative_to_the_project():
    from dprk_relations.core import paths

    p = check("01-ingest", {"raw_dir": str(paths.ROOT / "data" / "raw"),
                            "processed_dir": str(paths.ROOT / "data" / "other"), "reports_dir": str(paths.ROOT / "r2")})
    shown = p.shown()
    assert (shown["raw_dir"], shown["processed_dir"], shown["reports_dir"]) == ("data/raw", "data/other", "r2")


TODAY = date(2026, 1, 1)
DEFAULTS = {"focal": "PRK", "as_of": "2023-10-01", "first_year": 1948, "raw_dir": "data/raw", "processed_dir": "auto",
            "reports_dir": "auto"}
PARAMETERS_CELL_of_cases = 'as_of = "2016-08-01"\nfirst_year = 1960'
CHECK_CELL_of_cases = 'from dprk_relations.core import params\np = params.from_notebook("02-yearly-counts", globals())'


def refusal(step: str, values: dict, today: date = TODAY) -> str:
    with pytest.raises(ParameterError) as info:
        check(step, values, today=today)
    return str(info.value)


# --- refusals -----------------------------------------------------------------------------------


def test_unknown_parameters_are_listed_with_the_ones_the_notebook_takes():
    assert refusal("02-yearly-counts", {"zeta": 1, "cutoff": "2016"}) == (
        "02-yearly-counts: unknown parameter(s) cutoff, zeta; "
        "this notebook takes focal, as_of, first_year, raw_dir, processed_dir, reports_dir"
    )
    assert refusal("03-waves", {"gap": 2}).endswith(
        "takes focal, as_of, first_year, raw_dir, processed_dir, reports_dir, wave_min_establishments, wave_max_gap, wave_min_regional"
    )


def test_a_parameter_of_the_wrong_type_names_both_types():
    assert refusal("02-yearly-counts", {"first_year": "1960"}) == (
        "02-yearly-counts: parameter first_year must be int (like 1948), got str '1960'"
    )
    assert refusal("02-yearly-counts", {"as_of": 20160801}) == (
        "02-yearly-counts: parameter as_of must be str (like '2023-10-01'), got int 20160801"
    )


def test_the_cut_off_may_be_the_founding_day_or_today_but_not_a_day_outside():
    """The range DPRK_FOUNDED (1948-09-09) .. today includes both ends."""
    founded = check("02-yearly-counts", {"as_of": "1948-09-09"}, today=TODAY)
    assert founded.as_of == date(1948, 9, 9)
    assert founded.first_year == 1948  # the cut-off's own year is allowed as the first year
    assert check("02-yearly-counts", {"as_of": "2026-01-01"}, today=TODAY).as_of == TODAY
    assert refusal("02-yearly-counts", {"as_of": "1948-09-08"}) == (
        "02-yearly-counts: parameter as_of 1948-09-08 must fall between 1948-09-09 (the DPRK was founded) and today (2026-01-01)"
    )
    assert refusal("02-yearly-counts", {"as_of": "2026-01-02"}) == (
        "02-yearly-counts: parameter as_of 2026-01-02 must fall between 1948-09-09 (the DPRK was founded) and today (2026-01-01)"
    )


def test_a_cut_off_that_is_not_a_date_is_named():
    assert refusal("02-yearly-counts", {"as_of": "2016-08"}) == (
        "02-yearly-counts: parameter as_of: '2016-08' is not a date of the form YYYY-MM-DD"
    )


def test_the_first_year_may_be_the_cut_off_s_year_but_not_later():
    p = check("02-yearly-counts", {"as_of": "2016-08-01", "first_year": 2016}, today=TODAY)
    assert p.first_year == 2016 and isinstance(p.first_year, int)
    assert p["first_year"] == 2016
    assert refusal("02-yearly-counts", {"as_of": "2016-08-01", "first_year": 2017}) == (
        "02-yearly-counts: parameter first_year 2017 must fall between 1948 and the cut-off's year 2016"
    )
    assert refusal("02-yearly-counts", {"first_year": 1947}).startswith("02-yearly-counts: parameter first_year 1947 must")


def test_each_wave_parameter_is_accepted_at_both_ends_of_its_range_and_refused_just_outside():
    low = check("03-waves", {"wave_max_gap": 0, "wave_min_regional": 1, "wave_min_establishments": 1}, today=TODAY)
    assert (low["wave_max_gap"], low["wave_min_regional"], low["wave_min_establishments"]) == (0, 1, 1)
    high = check("03-waves", {"wave_max_gap": 100, "wave_min_regional": 250, "wave_min_establishments": 250}, today=TODAY)
    assert (high["wave_max_gap"], high["wave_min_regional"], high["wave_min_establishments"]) == (100, 250, 250)
    assert refusal("03-waves", {"wave_max_gap": -1}) == "03-waves: parameter wave_max_gap must fall between 0 and 100, got -1"
    assert refusal("03-waves", {"wave_max_gap": 101}) == "03-waves: parameter wave_max_gap must fall between 0 and 100, got 101"
    for name in ("wave_min_regional", "wave_min_establishments"):
        assert refusal("03-waves", {name: 0}) == f"03-waves: parameter {name} must fall between 1 and 250, got 0"
        assert refusal("03-waves", {name: 251}) == f"03-waves: parameter {name} must fall between 1 and 250, got 251"


# --- the checked parameters ---------------------------------------------------------------------


def test_check_returns_the_step_the_merged_values_and_typed_fields():
    p = check("03-waves", {"wave_max_gap": 2, "first_year": 1960}, today=TODAY)
    assert isinstance(p, Params)
    assert p.step == "03-waves"
    assert p.values == {**DEFAULTS, "first_year": 1960, "wave_min_establishments": 5, "wave_max_gap": 2,
                        "wave_min_regional": 3}
    assert (p.as_of, p.first_year, p.raw_dir) == (date(2023, 10, 1), 1960, paths.DATA_RAW)
    assert p.figures_dir == p.reports_dir / "figures"


def test_parameters_are_shown_with_paths_relative_to_the_project():
    p = check("02-yearly-counts", {"first_year": 1960}, today=TODAY)
    assert p.shown() == {"focal": "PRK", "as_of": "2023-10-01", "first_year": 1960, "raw_dir": "data/raw",
                         "processed_dir": "data/processed/runs/first_year-1960",
                         "reports_dir": "reports/runs/first_year-1960"}
    assert p.values["processed_dir"] == "auto"  # showing does not change the values
    assert check("02-yearly-counts", {}, today=TODAY).shown() == {
        **DEFAULTS, "processed_dir": "data/processed", "reports_dir": "reports"}


def test_a_reports_folder_given_by_name_is_used_as_given(tmp_path):
    """Each output folder is its own parameter: naming one leaves the other automatic."""
    p = check("02-yearly-counts", {"reports_dir": str(tmp_path / "rep")}, today=TODAY)
    assert p.reports_dir == tmp_path / "rep"
    assert p.processed_dir == paths.DATA_PROCESSED
    assert output_dirs({"reports_dir": "out/rep"}) == (paths.DATA_PROCESSED, paths.ROOT / "out" / "rep")
    assert output_dirs({"processed_dir": "out/pro"}) == (paths.ROOT / "out" / "pro", paths.REPORTS)
    assert output_dirs({"as_of": "2016-08-01", "reports_dir": "out/rep"}) == (
        paths.DATA_PROCESSED / "runs" / "as_of-2016-08-01", paths.ROOT / "out" / "rep")


# --- run folders --------------------------------------------------------------------------------


def test_another_raw_folder_gets_a_folder_named_by_a_short_hash_of_its_full_path(tmp_path):
    """sha256('/data/other-raw')[:8] = '4101ed90': eight hex digits, the same for a relative and an
    absolute spelling of the same folder."""
    assert run_slug({"raw_dir": "/data/other-raw"}) == "raw_dir-4101ed90"
    relative, absolute = run_slug({"raw_dir": "data/other"}), run_slug({"raw_dir": str(paths.ROOT / "data" / "other")})
    assert relative == absolute
    assert relative.startswith("raw_dir-") and len(relative) == len("raw_dir-") + 8
    assert run_slug({"raw_dir": "data/other"}) != run_slug({"raw_dir": "data/another"})
    assert run_slug({"raw_dir": "data/raw"}) == ""
    assert run_slug({"raw_dir": "/data/other-raw", "as_of": "2016-08-01"}) == "as_of-2016-08-01_raw_dir-4101ed90"


# --- reading a notebook's parameters ------------------------------------------------------------


def test_a_cell_of_literal_assignments_gives_every_name_it_assigns():
    assert _literal_assignments('a = 1\nb = "x"\nc = d = [1, 2]') == {"a", "b", "c", "d"}
    assert _literal_assignments("") == set()


@pytest.mark.parametrize("source", ["x = 1\nprint(x)", "import math", "p.x = 1", "x[0] = 1", "x = f(1)", "x = (", "x, y = 1, 2"])
def test_any_other_cell_is_not_a_parameters_cell(source):
    assert _literal_assignments(source) is None


def test_blank_cells_between_the_parameters_cells_and_the_check_are_passed_over():
    history = ["", 'as_of = "2016-08-01"', "", "   \n", "first_year = 1960", "", CHECK_CELL_of_cases]
    assert _parameter_names(history) == {"as_of", "first_year"}
    # the run of parameter-like cells stops at the first other cell
    assert _parameter_names(["", 'as_of = "2016-08-01"', "x = f()", "first_year = 1960", CHECK_CELL_of_cases]) == {"first_year"}


def test_a_namespace_with_a_one_cell_history_is_read_as_a_plain_namespace():
    """`In` with only the current cell says nothing about parameters: the namespace is read instead."""
    namespace = {"as_of": "2016-08-01", "In": [CHECK_CELL_of_cases], "Out": {}}
    assert from_notebook("02-yearly-counts", namespace).as_of == date(2016, 8, 1)


def test_a_two_cell_history_takes_the_parameters_from_the_cell_before():
    namespace = {"as_of": "2016-08-01", "first_year": 1960, "spells": object(), "In": [PARAMETERS_CELL_of_cases, CHECK_CELL_of_cases]}
    p = from_notebook("02-yearly-counts", namespace)
    assert (p.as_of, p.first_year) == (date(2016, 8, 1), 1960)


def test_functions_and_modules_in_a_plain_namespace_are_not_parameters():
    import math

    def helper():
        return None

    namespace = {"as_of": "2016-08-01", "helper": helper, "Helper": type("Helper", (), {}), "math": math, "_x": 1}
    p = from_notebook("03-waves", namespace)
    assert p.step == "03-waves"
    assert p.as_of == date(2016, 8, 1)
    with pytest.raises(ParameterError, match=r"^02-yearly-counts: unknown parameter\(s\) wave_max_gap;"):
        from_notebook("02-yearly-counts", {"wave_max_gap": 2})


def test_the_focal_state_is_one_the_project_knows_and_its_run_has_a_folder_of_its_own():
    assert refusal("02-yearly-counts", {"focal": "USA"}) == (
        "02-yearly-counts: parameter focal must be one of PRK, KOR (the state whose relations are counted), got 'USA'")
    p = check("02-yearly-counts", {"focal": "KOR"}, today=TODAY)
    assert (p.focal.code, p.focal.short) == ("KOR", "ROK")
    assert p.processed_dir == paths.DATA_PROCESSED / "runs" / "focal-KOR"
    assert run_slug({"focal": "KOR", "as_of": "2016-08-01"}) == "focal-KOR_as_of-2016-08-01"
    assert check("02-yearly-counts", {}, today=TODAY).focal.code == "PRK"


def test_the_cut_off_of_the_rok_may_fall_before_the_dprk_was_founded():
    # the ROK was proclaimed on 15 August 1948, the DPRK on 9 September
    assert check("02-yearly-counts", {"focal": "KOR", "as_of": "1948-08-15"}, today=TODAY).as_of == date(1948, 8, 15)
    assert refusal("02-yearly-counts", {"focal": "KOR", "as_of": "1948-08-14"}) == (
        "02-yearly-counts: parameter as_of 1948-08-14 must fall between 1948-08-15 (the ROK was founded) and today (2026-01-01)")
    assert "1948-09-09 (the DPRK was founded)" in refusal("02-yearly-counts", {"as_of": "1948-08-15"})


# --- parameters at both ends of their range, in whole runs ---------------------------------------

@pytest.mark.slow
def test_the_founding_day_and_today_run_with_every_wave_parameter_at_an_end_of_its_range(tmp_path):
    lowest = pipeline.run({"as_of": "1948-09-09", "first_year": 1948, "wave_min_establishments": 250, "wave_max_gap": 0,
                           "wave_min_regional": 1, "processed_dir": str(tmp_path / "p1"), "reports_dir": str(tmp_path / "r1")})
    assert sorted(lowest["ran"]) == sorted(s.name for s in pipeline.STEPS)
    yearly = list(csv.DictReader((tmp_path / "p1" / "yearly_counts.csv").open(encoding="utf-8")))
    assert [(y["year"], y["maintaining"]) for y in yearly] == [("1948", "0")]  # the first relations came in October
    today = date.today()
    highest = pipeline.run({"as_of": today.isoformat(), "first_year": today.year, "wave_min_establishments": 1,
                            "wave_max_gap": 100, "wave_min_regional": 250,
                            "processed_dir": str(tmp_path / "p2"), "reports_dir": str(tmp_path / "r2")})
    assert sorted(highest["ran"]) == sorted(s.name for s in pipeline.STEPS)
    yearly = list(csv.DictReader((tmp_path / "p2" / "yearly_counts.csv").open(encoding="utf-8")))
    assert [y["year"] for y in yearly] == [str(today.year)]
    assert (tmp_path / "r2" / "index.html").is_file()


@pytest.mark.slow
@pytest.mark.parametrize("values, words", [
    ({"as_of": "1948-09-08"}, "must fall between 1948-09-09 .the DPRK was founded. and today"),
    ({"as_of": "2999-01-01"}, "must fall between 1948-09-09 .the DPRK was founded. and today"),
    ({"first_year": 1947}, "first_year 1947 must fall between 1948"),
    ({"as_of": "2016-08-01", "first_year": 2017}, "first_year 2017 must fall between 1948 and the cut-off's year 2016"),
])
def test_the_first_value_outside_a_range_is_refused_before_anything_runs(values, words):
    with pytest.raises(ParameterError, match=words):
        pipeline.run(values)


@pytest.mark.slow
def test_another_spelling_of_the_reports_date_is_the_default_run():
    from dprk_relations.core.params import check

    assert check("01-ingest", {"as_of": "20231001"}).values["as_of"] == "2023-10-01"
    assert check("01-ingest", {"as_of": "20231001"}).processed_dir == paths.DATA_PROCESSED
    assert check("01-ingest", {"raw_dir": str(paths.DATA_RAW) + "/"}).processed_dir == paths.DATA_PROCESSED
