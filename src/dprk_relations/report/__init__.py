"""The report: the HTML site built from the run's tables and figures, and the comparison with the committed verdicts."""
