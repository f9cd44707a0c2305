"""The status of a state's relations with the DPRK on a day, as the states' table and the report show it
(kept apart from pandas: the runner builds the report without importing it)."""
from __future__ import annotations

IN_FORCE, SUSPENDED, BROKEN, NEVER, DISSOLVED = "in force", "suspended", "broken", "never", "dissolved"
STATUSES = [IN_FORCE, SUSPENDED, BROKEN, NEVER, DISSOLVED]

# The verdicts of the claims register, in the order the report counts them.
SUPPORTED, PARTLY, CONTRADICTED, NOT_CHECKABLE = "supported", "partly supported", "contradicted", "not checkable"
# A statement about facts after the run's cut-off (its subject_until is later): not checked, counted apart.
AFTER_CUT_OFF = "after the cut-off"
VERDICTS = [SUPPORTED, PARTLY, CONTRADICTED, NOT_CHECKABLE, AFTER_CUT_OFF]
