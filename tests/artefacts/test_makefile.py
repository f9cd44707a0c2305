"""Issue 17, point 9: the Makefile passes each pipeline variable as one shell word and refuses a variable
it does not know, naming it (a misspelling or a lower-case `as_of=` used to be ignored silently)."""
from __future__ import annotations

import shutil
import subprocess

import pytest

from dprk_relations.core import paths

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


def planned(*variables: str) -> subprocess.CompletedProcess:
    """What `make report` would run (-n: nothing is run), with these variables on the command line."""
    return subprocess.run(["make", "-n", "report", *variables], cwd=paths.ROOT, capture_output=True, text=True)


def pipeline_line(result: subprocess.CompletedProcess) -> str:
    return next(line for line in result.stdout.splitlines() if "dprk_relations.runner.pipeline" in line)


def test_a_value_with_a_semicolon_or_spaces_is_one_word_not_a_command():
    line = pipeline_line(planned("AS_OF=2016-08-01; touch /tmp/owned", "RAW_DIR=/tmp/my raw's folder"))
    assert "--as-of '2016-08-01; touch /tmp/owned'" in line
    assert "--raw-dir '/tmp/my raw'\\''s folder'" in line


@pytest.mark.parametrize("variable", ["as_of=2016-08-01", "ASOF=2016-08-01", "WAVE_MAXGAP=2"])
def test_an_unknown_or_lower_case_variable_is_refused_by_name(variable):
    result = planned(variable)
    assert result.returncode != 0
    name = variable.split("=")[0]
    assert f"unknown variable(s) on the command line: {name}; the pipeline takes FOCAL AS_OF" in result.stderr


def test_every_pipeline_variable_reaches_the_runner():
    line = pipeline_line(planned("AS_OF=2016-08-01", "FIRST_YEAR=1960", "WAVE_MIN_ESTABLISHMENTS=4", "WAVE_MAX_GAP=0",
                                 "WAVE_MIN_REGIONAL=2"))
    for flag in ("--as-of '2016-08-01'", "--first-year '1960'", "--wave-min-establishments '4'", "--wave-max-gap '0'",
                 "--wave-min-regional '2'"):
        assert flag in line
