"""The base map: Natural Earth 1:110m country outlines (data/external/naturalearth_110m, public
domain), matched to the states of the data."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from dprk_relations.core import paths

NATURAL_EARTH = paths.ROOT / "data" / "external" / "naturalearth_110m" / "naturalearth_lowres.shp"
# Outlines Natural Earth draws apart from the state whose relations cover them (dependent territories,
# and areas under de facto control the data do not treat as states): coloured as that state.
TERRITORY_OF = {"GRL": "DNK", "FLK": "GBR", "ATF": "FRA", "NCL": "FRA", "PRI": "USA", "CYN": "CYP", "SOL": "SOM"}
# For the map by year only (no count reads it): the outlines of today's states that lay on the territory of
# each dissolved state of the data, so the USSR's relations colour its territory before 1992 (the states'
# rows in states.csv give each dissolution with its source). The Baltic states are left out: their
# annexation by the USSR was not recognised by many states. Kosovo has no code in Natural Earth ('-99').
DISSOLVED_INTO = {
    "SUHH": ("ARM", "AZE", "BLR", "GEO", "KAZ", "KGZ", "MDA", "RUS", "TJK", "TKM", "UKR", "UZB"),
    "YUCS": ("BIH", "HRV", "MKD", "MNE", "SRB", "SVN", "-99"),
    "CSXX": ("MNE", "SRB", "-99"),
    "CSHH": ("CZE", "SVK"),
    "DDDE": ("DEU",),
    "YDYE": ("YEM",),
}
# Left off the map: no relations can be had with it, and it takes a fifth of the frame.
LEFT_OFF = {"ATA"}
DPRK = "PRK"


@dataclass
class Outline:
    code: str  # Natural Earth's iso_a3 ('-99' where it has none)
    name: str
    rings: list[list[tuple[float, float]]]


def read_outlines(path: Path = NATURAL_EARTH) -> list[Outline]:
    """Every outline but those LEFT_OFF, in file order, each as its rings of (longitude, latitude)."""
    import shapefile

    if not path.is_file():
        raise FileNotFoundError(f"{paths.relative(path)} is missing: the base map ships in the repository (see its README.md)")
    out = []
    with shapefile.Reader(str(path)) as reader:
        for shape_record in reader.iterShapeRecords():
            code = shape_record.record["iso_a3"]
            if code in LEFT_OFF:
                continue
            shape = shape_record.shape
            bounds = list(shape.parts) + [len(shape.points)]
            rings = [[tuple(p) for p in shape.points[a:b]] for a, b in zip(bounds[:-1], bounds[1:])]
            out.append(Outline(code, shape_record.record["name"], rings))
    return out


def map_table(status: pd.DataFrame, outlines: list[Outline], focal: str = DPRK) -> pd.DataFrame:
    """One row per state of the data and per outline: which outline draws which state, with the
    state's period of first establishment and status. States too small for the scale have no
    outline; outlines of no state of the data (Taiwan, Western Sahara, Kosovo) have no state."""
    drawn = {o.code: o.name for o in outlines}
    state_of = {code: TERRITORY_OF.get(code, code) for code in drawn}
    rows = []
    for s in status.itertuples():
        outlines_of = sorted(c for c, st in state_of.items() if st == s.iso3)
        rows.append(dict(iso3=s.iso3, name=s.name, status=s.status, period=s.period,
                         outlines=" ".join(outlines_of), note="" if outlines_of or s.status == "dissolved"
                         else "no outline at 1:110m"))
    known = set(status["iso3"])
    for code, name in sorted(drawn.items()):
        st = state_of[code]
        if st not in known and code != focal:
            rows.append(dict(iso3="", name=name, status="", period="", outlines=code, note="not a state of the data"))
    return pd.DataFrame(rows, columns=["iso3", "name", "status", "period", "outlines", "note"])
