"""What every claim check reads (Context) and gives back (Result), and how a check cites an event."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from dprk_relations.analysis.uncertainty import band_on, readings_of
from dprk_relations.rules.relations import first_days, ordinal, ordinals, spell_covers


@dataclass
class Context:
    """What the checks read: the whole event list and the spells built up to the run's cut-off.

    Dates are also kept as day numbers, computed once, so that each check is a vector comparison."""

    events: pd.DataFrame
    spells: pd.DataFrame
    states: pd.DataFrame
    groups: pd.DataFrame
    memberships: pd.DataFrame
    as_of: date
    # other diplomatic acts and the published lists of missions (issue 12); empty when not given
    acts: pd.DataFrame = None
    mission_snapshots: pd.DataFrame = None
    missions: pd.DataFrame = None
    # the evidence and the successions: the readings of the sources the band uses (issue 18); without
    # them a count is checked under the pipeline's own reading only
    sources: pd.DataFrame = None
    successions: pd.DataFrame = None
    # the other Korea's spells under the same cut-off, and whose list `spells` is: the race's checks (issue 21)
    other_spells: pd.DataFrame = None
    focal: str = "PRK"

    @classmethod
    def from_dataset(cls, data, spells: pd.DataFrame, as_of: date, other_spells: pd.DataFrame | None = None,
                     focal: str = "PRK") -> "Context":
        return cls(data.events, spells, data.states, data.groups, data.memberships, as_of,
                   data.acts, data.mission_snapshots, data.missions, data.sources, data.successions, other_spells, focal)

    @property
    def has_readings(self) -> bool:
        return self.sources is not None and self.successions is not None

    def stock_range(self, days: list[date]) -> tuple[list[int], list[int]]:
        """The lowest and highest stock on each day over the readings of the sources (uncertainty.stock_band);
        the readings are enumerated once, for every check that asks."""
        if self._readings is None:
            self._readings = readings_of(self.events, self.sources, self.states, self.successions, self.as_of)
        low, high = band_on(self._readings, days)
        return [int(x) for x in low], [int(x) for x in high]

    def __post_init__(self):
        self.event_day = ordinals(self.events["date_latest"])
        self.spell_start = ordinals(self.spells["start"])
        self.spell_end = ordinals(self.spells["end"])
        self.first_start = first_days(self.spells)  # iso3 -> day its relations first began
        self._until: dict[date, pd.DataFrame] = {}
        self._readings = None

    def events_until(self, day: date) -> pd.DataFrame:
        """Events certainly on or before `day` (cached: most claims share their date)."""
        if day not in self._until:
            self._until[day] = self.events[self.event_day <= ordinal(day)]
        return self._until[day]

    def had_relations_by(self, day: date) -> set[str]:
        return set(self.first_start.index[self.first_start.to_numpy() <= ordinal(day)])

    def in_force_on(self, day: date) -> set[str]:
        d = ordinal(day)
        return set(self.spells["iso3"].to_numpy()[spell_covers(self.spell_start, self.spell_end, d)])


@dataclass
class Result:
    value: object
    evidence: list[str] = field(default_factory=list)
    detail: str = ""
    # the value under another reading of the sources (their alternative dates), when there is one
    alternative: object = None
    alternative_reading: str = ""
    # a count or a period's lowest and highest value over every reading the band uses
    low: object = None
    high: object = None


def cite(row) -> str:
    """An event as evidence: what, when, and the line of events.csv with its source."""
    when = row.date or f"(undated, between {row.earliest} and {row.latest})"
    return f"{row.iso3} {row.event} {when} (events.csv line {row.line}; {row.source})"


def parse_day(text: str) -> date:
    return date.fromisoformat(text)
