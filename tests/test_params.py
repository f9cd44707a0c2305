from datetime import date

import pytest

from dprk_relations.core import paths
from dprk_relations.core.params import ParameterError, check, from_notebook, run_slug


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
