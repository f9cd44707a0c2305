"""The data beside an independent dataset (issue 18): the Correlates of War Diplomatic Exchange data set
(v2006.1, Bayer 2006), the DPRK's rows, shipped in data/external/cow_diplomatic_exchange.

For each of the peer's years (1950 to 2005, every five years, up to the cut-off) every partner falls in one
of three groups: representation in the peer and relations in force in the data (both), representation in
the peer only, relations in the data only. A partner in the peer only is a disagreement to resolve: each
gets a row of the reconciliation table (data/raw/peer_reconciliation.csv) saying how it is resolved, with a
source; one without a row is open. A disagreement resolved by correcting the data no longer shows in the
comparison; its row is listed with no peer years. Relations in the data only are expected (a partner that accredits no one
and hosts no DPRK envoy): they are counted per year, not listed.
"""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd

from dprk_relations.core.focal import FOCALS
from dprk_relations.rules.relations import ordinal, ordinals

PEER = "cow_diplomatic_exchange"
DPRK_CCODE = 731
ROK_CCODE = 732
# Each focal state's rows of the peer (data/external/cow_diplomatic_exchange): the file and its first state's COW code.
PEER_ROWS = {"PRK": ("cow_dprk_rows.csv", DPRK_CCODE), "KOR": ("cow_rok_rows.csv", ROK_CCODE)}
COLUMNS = ["ccode1", "ccode2", "year", "DR_at_1", "DR_at_2", "iso3", "state_name"]
# Representation in a COW row: a level other than 0 either way (1 chargé d'affaires, 2 minister,
# 3 ambassador, 9 other), read from the DPRK's side (DR_at_1: the partner's envoy in the DPRK; DR_at_2: the
# DPRK's envoy accredited to the partner).
NO_REPRESENTATION = 0
RESOLUTIONS = ("data_corrected", "representation_without_relations", "peer_stale_or_wrong", "outside_universe", "open")
OPEN, CORRECTED = "open", "data_corrected"
# The note of a disagreement no row answers (the table is the focal state's: data/raw's, or its own folder's).
NO_RESOLUTION = "no resolution recorded in the focal state's peer_reconciliation.csv"
# peer_in_data: the share of the partners the peer shows with representation that the data have in force
AGREEMENT_COLUMNS = ["peer", "year", "both", "peer_only", "data_only", "peer_in_data"]
DISAGREEMENT_COLUMNS = ["peer", "iso3", "state", "years", "levels", "resolution", "citation", "url", "quote", "note"]


def read_cow(folder: Path, focal: str = "PRK") -> pd.DataFrame:
    """The focal state's shipped rows with each partner's code in the project's states (cow_codes.csv: one code
    per COW state; a row of it with `from_year`/`to_year` gives a code for some years only: the USSR and Russia)."""
    if focal not in PEER_ROWS:
        return pd.DataFrame(columns=COLUMNS).astype({c: int for c in COLUMNS[:5]})
    name, ccode = PEER_ROWS[focal]
    rows = pd.read_csv(folder / name, dtype=int, usecols=["ccode1", "ccode2", "year", "DR_at_1", "DR_at_2"])
    if not (rows["ccode1"] == ccode).all():
        raise ValueError(f"{folder / name}: every row must be the {FOCALS[focal].short}'s (ccode1 {ccode})")
    codes = pd.read_csv(folder / "cow_codes.csv", dtype=str, keep_default_na=False)
    codes["from_year"] = pd.to_numeric(codes["from_year"].replace("", "0"))
    codes["to_year"] = pd.to_numeric(codes["to_year"].replace("", "9999"))
    codes["ccode"] = codes["ccode"].astype(int)
    merged = rows.merge(codes[["ccode", "iso3", "state_name", "from_year", "to_year"]], left_on="ccode2", right_on="ccode", how="left")
    merged = merged[(merged["from_year"] <= merged["year"]) & (merged["year"] <= merged["to_year"])]
    missing = sorted(set(rows["ccode2"]) - set(merged["ccode2"]))
    if missing:
        raise ValueError(f"{folder / 'cow_codes.csv'}: no code for the COW state(s) {missing}")
    return merged.drop(columns=["ccode", "from_year", "to_year"]).reset_index(drop=True)


def in_force_during(spells: pd.DataFrame, year: int, as_of: date) -> set[str]:
    """States whose relations were in force on some day of `year` (up to the cut-off)."""
    first, last = ordinal(date(year, 1, 1)), ordinal(min(date(year, 12, 31), as_of))
    start, end = ordinals(spells["start"]), ordinals(spells["end"])
    return set(spells["iso3"].to_numpy()[(start <= last) & (end > first)])


def compare(cow: pd.DataFrame, spells: pd.DataFrame, states: pd.DataFrame, reconciliation: pd.DataFrame,
            as_of: date) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The agreement per peer year, and each partner the peer shows with representation where the data
    have no relations in force, with its resolution (the reconciliation table; open when it has none)."""
    names = {**dict(zip(cow["iso3"], cow["state_name"])), **dict(zip(states["iso3"], states["name"]))}
    cow = cow[cow["year"] <= as_of.year]
    represented = cow[(cow["DR_at_1"] != NO_REPRESENTATION) | (cow["DR_at_2"] != NO_REPRESENTATION)]
    agreement, disagreements = [], {}
    for year, group in cow.groupby("year", sort=True):
        peer = set(represented.loc[represented["year"] == year, "iso3"])
        data = in_force_during(spells, int(year), as_of) & set(group["iso3"])  # states the peer covers that year
        both = len(peer & data)
        agreement.append({"peer": PEER, "year": int(year), "both": both, "peer_only": len(peer - data),
                          "data_only": len(data - peer), "peer_in_data": round(both / len(peer), 4) if peer else 1.0})
        for row in represented[(represented["year"] == year) & represented["iso3"].isin(peer - data)].itertuples():
            disagreements.setdefault(row.iso3, []).append((int(year), f"{row.DR_at_1}/{row.DR_at_2}"))
    resolved = {r.iso3: r for r in reconciliation[reconciliation["peer"] == PEER].itertuples()}
    rows = []
    for iso3, found in sorted(disagreements.items()):
        r = resolved.get(iso3)
        rows.append({"peer": PEER, "iso3": iso3, "state": names.get(iso3, iso3), "years": " ".join(str(y) for y, _ in found),
                     "levels": " ".join(level for _, level in found),
                     "resolution": r.resolution if r else OPEN, "citation": r.citation if r else "",
                     "url": r.url if r else "", "quote": r.quote if r else "",
                     "note": r.note if r else NO_RESOLUTION})
    # a disagreement the data were corrected for is gone from the comparison: its record is listed all the same
    for iso3, r in sorted(resolved.items()):
        if r.resolution == CORRECTED and iso3 not in disagreements:
            rows.append({"peer": PEER, "iso3": iso3, "state": names.get(iso3, iso3), "years": "", "levels": "",
                         "resolution": r.resolution, "citation": r.citation, "url": r.url, "quote": r.quote, "note": r.note})
    return pd.DataFrame(agreement, columns=AGREEMENT_COLUMNS), pd.DataFrame(rows, columns=DISAGREEMENT_COLUMNS)

