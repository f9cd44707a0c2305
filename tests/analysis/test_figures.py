"""Each figure of the catalogue: drawn by its function from the step's inputs, rendered to the same bytes twice."""
from __future__ import annotations

import pandas as pd
import pytest

from dprk_relations.analysis import figures
from dprk_relations.core import catalogue


def test_every_catalogue_figure_names_a_function_that_draws_it():
    for entry in catalogue.FIGURES:
        assert callable(getattr(figures, entry.function, None)), entry


def tiny_inputs() -> figures.Inputs:
    """The step's tables as store.read_table gives them: typed as catalogue.COLUMNS declares."""
    yearly = pd.DataFrame({"year": [1948, 1949], "measured_on": ["1948-12-31", "1949-12-31"],
                           "maintaining": [9, 10], "maintaining_low": [9, 9], "maintaining_high": [11, 12],
                           "ever_established": [9, 10], "un_members": [58, 59],
                           "un_members_maintaining": [0, 0], "share_of_un_members": [0.0, 0.0]})
    flows = pd.DataFrame({"year": [1948, 1949], "continent": ["Europe", "Asia"], "event": ["established"] * 2, "count": [9, 1]})
    decades = pd.DataFrame({"continent": ["Asia", "Europe"], "1940": [1, 9]})
    return figures.inputs({"yearly_counts": yearly, "flows_by_continent": flows, "establishments_by_decade": decades},
                          "1949-12-31", 1948, 1949, [])


def test_the_decade_matrix_is_indexed_by_continent_and_a_table_the_step_does_not_read_is_named():
    data = tiny_inputs()
    assert data.establishments_by_decade.loc["Europe", "1940"] == 9
    with pytest.raises(AttributeError, match="04-figures does not read the table 'acts'"):
        data.acts


def test_a_figure_s_files_are_its_images_and_the_table_it_draws_the_same_bytes_twice():
    entry = next(f for f in catalogue.FIGURES if f.function == "draw_region_decade_heatmap")
    first = figures.files(entry.name, figures.draw(entry, tiny_inputs()))
    second = figures.files(entry.name, figures.draw(entry, tiny_inputs()))
    assert sorted(first) == [f"figures/{entry.name}.{ext}" for ext in ("csv", "png", "svg")]
    assert first[f"figures/{entry.name}.png"] == second[f"figures/{entry.name}.png"]
    assert first[f"figures/{entry.name}.svg"] == second[f"figures/{entry.name}.svg"]
    table = first[f"figures/{entry.name}.csv"]
    assert table.to_dict("records") == [{"continent": "Asia", "decade": "1940", "establishments": 1},
                                        {"continent": "Europe", "decade": "1940", "establishments": 9}]


def test_the_notebook_shows_a_figure_from_its_file_with_its_title_escaped():
    entry = catalogue.Figure("x<y", "A & B", "draw_un_share")
    assert figures.image_html(entry) == '<h3>A &amp; B</h3><img src="../figures/x&lt;y.svg" alt="A &amp; B" width="720">'
