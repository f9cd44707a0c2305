"""The focal state: whose diplomatic relations a run counts (the `focal` parameter).

The DPRK's list is the report's and lives in data/raw itself; the ROK's list, built under the same rules,
lives in a folder of its own under data/raw with a data package of its own. What both share (the universe
of states, successions, groups) is read from data/raw for either.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from dprk_relations.core.dates import DPRK_FOUNDED


@dataclass(frozen=True)
class Focal:
    code: str  # ISO 3166 alpha-3
    short: str  # as the report's sentences and titles name it
    long: str
    founded: date  # no relation of it can be dated earlier
    founded_text: str
    capital: str
    folder: str  # its own tables, under the raw folder ("" for the raw folder itself)


FOCALS = {
    "PRK": Focal("PRK", "DPRK", "Democratic People's Republic of Korea", DPRK_FOUNDED, "9 September 1948", "Pyongyang", ""),
    # The Republic of Korea was proclaimed on 15 August 1948.
    "KOR": Focal("KOR", "ROK", "Republic of Korea", date(1948, 8, 15), "15 August 1948", "Seoul", "kor"),
}
DEFAULT = "PRK"
# The tables each focal state has of its own; the others of data/raw are shared. A focal state whose folder
# lacks one of the report's own tables (claims, published counts, acts, missions) has it empty.
OWN_TABLES = ("events", "sources", "no_relations")
REPORT_ONLY = ("claims", "published_counts", "acts", "mission_snapshots", "missions", "peer_reconciliation",
               "dprk_memberships")
FOCAL_TABLES = OWN_TABLES + REPORT_ONLY


def get(code: str) -> Focal:
    if code not in FOCALS:
        raise KeyError(f"unknown focal state {code!r}; known: {', '.join(FOCALS)}")
    return FOCALS[code]


def raw_folders(step, focal: Focal) -> list[str]:
    """The raw packages a step (catalogue.Step) reads in a run for `focal`, as folders under the raw folder:
    the run's own with `reads_raw`, and those of the focal states `reads_raw_of` names (the race: both Koreas')."""
    own = [focal.folder] if step.reads_raw else []
    return list(dict.fromkeys(own + [get(code).folder for code in step.reads_raw_of]))
