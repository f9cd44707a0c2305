"""Every claim check, registered: importing a family registers its checks, so CHECKS here holds them all.
The register's validation and the verdicts read CHECKS from this module. A new family is imported here."""
from __future__ import annotations

from dprk_relations.analysis import claims_acts, claims_events, claims_missions, claims_race, claims_stock  # noqa: F401 (they register)
from dprk_relations.analysis.claims_registry import CHECKS

__all__ = ["CHECKS"]
