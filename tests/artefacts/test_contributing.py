"""The README's contributor section, followed to the letter in a copy of the project: a figure is two edits."""
from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
import tempfile

import pytest

from dprk_relations.core import paths

pytestmark = pytest.mark.slow

NEW_FIGURE = '''

def draw_ever_established(data: Inputs) -> Drawn:
    table = data.yearly_counts[["year", "ever_established"]]
    style()
    fig, ax = plt.subplots(figsize=(9, 4))
    ax.plot(table["year"], table["ever_established"])
    return Drawn(fig, table, [table.tail(3).set_index("year")])
'''
NEW_ENTRY = '    Figure("ever_established", "States that ever established relations", "draw_ever_established"),\n'


def test_a_figure_is_a_function_and_a_catalogue_entry(tmp_path):
    project = tmp_path / "project"
    project.mkdir()
    for name in ("pyproject.toml", "CITATION.cff", "LICENSE", "CHANGELOG.md"):
        shutil.copy(paths.ROOT / name, project)
    for folder in ("src", "notebooks", "data/raw", "data/external"):
        shutil.copytree(paths.ROOT / folder, project / folder, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    figures = project / "src/dprk_relations/analysis/figures.py"
    figures.write_text(figures.read_text(encoding="utf-8") + NEW_FIGURE, encoding="utf-8")  # edit 1
    catalogue = project / "src/dprk_relations/core/catalogue.py"
    source = catalogue.read_text(encoding="utf-8")
    anchor = source.index("]\nFIGURE_FORMATS")
    catalogue.write_text(source[:anchor] + NEW_ENTRY + source[anchor:], encoding="utf-8")  # edit 2

    own = tempfile.mkdtemp(prefix="k-")  # the run's temporary files in a folder of the test's own
    try:
        # the copy's own root (the tests' scratch root is set in the environment: conftest.py)
        env = {**{k: v for k, v in os.environ.items() if k != "DPRK_PROJECT_ROOT"}, "PYTHONPATH": str(project / "src"), "TMPDIR": own}
        done = subprocess.run([sys.executable, "-m", "dprk_relations.runner.pipeline"], cwd=project, env=env,
                              capture_output=True, text=True, timeout=600)
    finally:
        shutil.rmtree(own, ignore_errors=True)
    assert done.returncode == 0, done.stdout + done.stderr
    figures_dir = project / "reports" / "figures"
    assert (figures_dir / "ever_established.svg").read_bytes().lstrip().startswith((b"<?xml", b"<svg"))
    assert (figures_dir / "ever_established.png").read_bytes().startswith(b"\x89PNG")
    with (figures_dir / "ever_established.csv").open(encoding="utf-8", newline="") as fh:
        drawn = [(r["year"], r["ever_established"]) for r in csv.DictReader(fh)]
    with (project / "data/processed/yearly_counts.csv").open(encoding="utf-8", newline="") as fh:
        counted = [(r["year"], r["ever_established"]) for r in csv.DictReader(fh)]
    assert drawn == counted and len(drawn) > 50
    page = (project / "reports" / "index.html").read_text(encoding="utf-8")
    assert "States that ever established relations" in page and 'href="figures/ever_established.csv"' in page
    executed = (project / "reports" / "notebooks" / "04-figures.ipynb").read_text(encoding="utf-8")
    assert "../figures/ever_established.svg" in executed
