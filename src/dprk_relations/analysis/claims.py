"""Check the report's narrative claims against the data: what the notebooks and ingest use.

Each row of data/raw/claims.csv names a check and its arguments (JSON). A check returns the value the
data give and the evidence behind it (event rows with their sources); the row's comparison turns value
and expectation into a verdict. A contradiction is a finding. The parts, each a module of this layer
(a module sits directly in its layer: tests/test_layers.py, and the step cache finds modules so):

- `claims_context`: what a check reads (Context) and gives back (Result);
- `claims_registry`: the `check` decorator, the kinds of argument, the registered checks;
- the checks, by what they read: `claims_stock` (the stock and counts of events), `claims_events`
  (years of events, groups, first and last), `claims_acts` (other acts, breaks), `claims_missions`;
- `claims_checks`: imports every family, so that its CHECKS holds every check;
- `claims_validation`: the register's rows checked at ingest, against the kinds the registry holds;
- `claims_verdicts`: comparisons, the rule across the sources' readings, the evaluation.
"""
from __future__ import annotations

from dprk_relations.analysis.claims_checks import CHECKS
from dprk_relations.analysis.claims_context import Context, Result
from dprk_relations.analysis.claims_validation import COMPARISONS, SPECIAL_CHECKS, register_problems, row_problems
from dprk_relations.analysis.claims_verdicts import across_readings, checked_on, compare, evaluate, is_after_cut_off, verdict_counts
from dprk_relations.rules.status import AFTER_CUT_OFF, CONTRADICTED, NOT_CHECKABLE, PARTLY, SUPPORTED, VERDICTS

__all__ = ["AFTER_CUT_OFF", "CHECKS", "COMPARISONS", "CONTRADICTED", "Context", "NOT_CHECKABLE", "PARTLY", "Result",
           "SPECIAL_CHECKS", "SUPPORTED", "VERDICTS", "across_readings", "checked_on", "compare", "evaluate",
           "is_after_cut_off", "register_problems", "row_problems", "verdict_counts"]
