"""environment.yml (conda, Binder) declares what the pip install declares."""
import re
from pathlib import Path
import tomllib

from dprk_relations.core import catalogue, paths


def pip_requirements() -> dict[str, str]:
    project = tomllib.loads((paths.ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    reqs = project["dependencies"] + [r for extra in project["optional-dependencies"].values() for r in extra]
    return dict(r.split("==") for r in reqs)


def conda_requirements() -> dict[str, str]:
    text = (paths.ROOT / "environment.yml").read_text(encoding="utf-8")
    found = {}
    for name, version in re.findall(r"^\s+- ([A-Za-z0-9_.-]+)==?([0-9][^\s]*)\s*$", text, flags=re.M):
        if name != "python":
            found[name] = version
    return found


def normalise(reqs: dict[str, str]) -> dict[str, str]:
    return {k.lower().replace("_", "-"): v for k, v in reqs.items()}


def test_every_pip_dependency_is_pinned():
    project = tomllib.loads((paths.ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert all("==" in r for r in project["dependencies"])


def test_environment_yml_matches_pyproject():
    assert normalise(conda_requirements()) == normalise(pip_requirements())


def test_python_version_matches():
    text = (paths.ROOT / "environment.yml").read_text(encoding="utf-8")
    assert re.search(r"- python=3\.11", text)


def test_citation_file_names_this_version_and_the_code_licence():
    import tomllib

    import yaml

    citation = yaml.safe_load((paths.ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    project = tomllib.loads((paths.ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    for key in ("cff-version", "message", "title", "authors", "version", "license"):
        assert citation.get(key), key
    assert citation["version"] == project["version"]
    assert citation["license"] == project["license"]["text"] == "MIT"
    assert "MIT License" in (paths.ROOT / "LICENSE").read_text(encoding="utf-8")
    assert {r["title"] for r in citation["references"]} >= {"Isolation or integration? North Korea's diplomatic network"}


def test_kernels_and_subprocesses_of_the_tests_work_on_a_scratch_copy():
    """Issue 10's defect 4: nbval's kernels used to rewrite data/processed, healing what a test had caught."""
    import os
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-c", "from dprk_relations.core import paths; print(paths.DATA_PROCESSED)"],
                         capture_output=True, text=True, check=True).stdout.strip()
    scratch = os.environ["DPRK_PROJECT_ROOT"]
    assert out == str(Path(scratch) / "data" / "processed") and not out.startswith(str(paths.ROOT) + "/")


def test_make_lab_uses_its_own_environment_and_starts_as_root():
    """Issue 10's defect 6: `make lab` installed JupyterLab into the pipeline's .venv and failed as root."""
    import os
    import subprocess

    planned = subprocess.run(["make", "-n", "-B", "lab"], cwd=paths.ROOT, capture_output=True, text=True, check=True).stdout
    assert ".venv-lab/bin/python -m pip install --quiet -e '.[lab]'" in planned
    assert ".venv/bin/python -m pip install" not in planned.replace(".venv-lab/", "")
    launch = [line for line in planned.splitlines() if "jupyter lab" in line][0]
    assert ("--allow-root" in launch) == (os.geteuid() == 0)


def test_the_mutation_run_copies_every_file_the_tests_read_beside_the_package():
    # the tests' scratch project copies the release files (conftest.py); mutmut runs the tests in its own
    # copy of the project, so each must be in also_copy or `make mutation` stops before its first mutant
    also_copy = tomllib.loads((paths.ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mutmut"]["also_copy"]
    for needed in catalogue.RELEASE_FILES + ("conftest.py", "data/", "notebooks/", "README.md"):
        assert needed in also_copy, needed
