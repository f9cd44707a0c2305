"""The status of a state's relations with the DPRK on a day, as the states' table and the report show it
(kept apart from pandas: the runner builds the report without importing it)."""
from __future__ import annotations

IN_FORCE, SUSPENDED, BROKEN, NEVER, DISSOLVED = "in force", "suspended", "broken", "never", "dissolved"
STATUSES = [IN_FORCE, SUSPENDED, BROKEN, NEVER, DISSOLVED]
