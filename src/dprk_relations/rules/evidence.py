"""The evidence for each event (data/raw/sources.csv) and the one rule that chooses its date.

The rule, as the README states it: the date used is the date relations were formally established,
suspended, broken or restored (signature or effective date of the agreement, communiqué or
decision), as given by the most specific source. Each event names how its date was chosen
(`date_rule`) and `rule_problems` checks that claim against the event's sources:

* most_specific: the chosen source is at least as precise as every other source of the event;
* formal_act: another source is as precise or more but dates another act (an announcement, a
  recognition, the exchange of ambassadors); the event's note says which;
* window: no source dates the event; a source bounds it from below, another from above.
"""
from __future__ import annotations

import pandas as pd

from dprk_relations.core.dates import parse_partial

PRECISION_RANK = {"year": 0, "month": 1, "day": 2}
DATED_READINGS = ("chosen", "agrees", "differs")
# Sources read as an alternative date of the event: the uncertainty band and the claims use them.
ALTERNATIVE_READING = "differs"


def precision_of(text: str) -> str:
    """Precision of an ISO 8601 reduced-precision date from its form (YYYY, YYYY-MM, YYYY-MM-DD)."""
    return {4: "year", 7: "month"}.get(len(text), "day")


def rule_problems(event: dict, sources: list[dict]) -> list[tuple[str, str]]:
    """(field, message) for each way the event's date disagrees with its sources under its rule."""
    rule = event["date_rule"]
    if not sources:
        return [("event_id", "has no row in sources.csv; every event needs at least one source")]
    readings = [s["reading"] for s in sources]
    if rule == "window" or event["precision"] == "window":
        if rule != "window" or event["precision"] != "window":
            return [("date_rule", "precision 'window' and date_rule 'window' go together")]
        out = []
        for bound in ("earliest", "latest"):
            given = {s["date_given"] for s in sources if s["reading"] == bound}
            if not given:
                out.append((bound, f"no source row with reading '{bound}' gives this bound"))
            elif event[bound] not in given:
                out.append((bound, f"{event[bound]!r} is not the date a source with reading '{bound}' gives ({', '.join(sorted(given))})"))
        if "chosen" in readings:
            out.append(("date_rule", "a window has no chosen source; a source that dates the event makes it a dated event"))
        return out
    chosen = [s for s in sources if s["reading"] == "chosen"]
    if len(chosen) != 1:
        return [("date_rule", f"has {len(chosen)} sources with reading 'chosen'; exactly one gives the date used")]
    pick = chosen[0]
    if (pick["date_given"], pick["precision_given"]) != (event["date"], event["precision"]):
        return [("date", f"{event['date']!r} ({event['precision']}) is not what the chosen source gives "
                         f"({pick['date_given']!r}, {pick['precision_given'] or 'no precision'}{_at(pick)}); "
                         "correct whichever of the two is wrong")]
    finer = [s for s in sources if s["reading"] in ("agrees", "differs") and s["precision_given"]
             and PRECISION_RANK[s["precision_given"]] > PRECISION_RANK[event["precision"]]]
    if rule == "most_specific" and finer:
        return [("date_rule", f"'most_specific', but {finer[0]['citation'][:60]!r} gives the finer date "
                              f"{finer[0]['date_given']}; choose it, or say 'formal_act' and why in the note")]
    if rule == "formal_act" and not event.get("note"):
        return [("note", "is empty; 'formal_act' needs the note to say which act the other sources date")]
    for s in sources:
        if s["reading"] == "agrees" and s["date_given"] and not _contains(s["date_given"], event["date"]):
            return [("reading", f"a source read as 'agrees'{_at(s)} gives {s['date_given']}, which does not contain "
                                f"{event['date']}; read it as 'differs'")]
    return []


# Month names in the languages of the sources (lower case, accents kept), January first.
MONTH_NAMES = [
    ("january", "jan", "janvier", "janv", "januar", "jänner", "enero", "gennaio", "janeiro", "januari", "janvāris", "tammikuu"),
    ("february", "feb", "février", "févr", "februar", "febrero", "febbraio", "fevereiro", "februari"),
    ("march", "mar", "mars", "märz", "marzo", "março", "maart"),
    ("april", "apr", "avril", "abril", "aprile"),
    ("may", "mai", "mayo", "maggio", "maio", "mei"),
    ("june", "jun", "juin", "juni", "junio", "giugno", "junho"),
    ("july", "jul", "juillet", "juli", "julio", "luglio", "julho"),
    ("august", "aug", "août", "agosto", "augustus"),
    ("september", "sep", "sept", "septembre", "septiembre", "settembre", "setembro"),
    ("october", "oct", "octobre", "oktober", "octubre", "ottobre", "outubro"),
    ("november", "nov", "novembre", "noviembre", "novembro"),
    ("december", "dec", "décembre", "dezember", "diciembre", "dicembre", "dezembro"),
]


def quote_gap(quote: str, date_given: str, precision: str) -> str:
    """What of `date_given` a quote does not show in any usual written form ("" when it shows it all):
    "the year", "the month" or "the day". Forms: ISO dates, day-month-year and month-day-year with month
    names (English, French, German, Spanish, Italian, Portuguese, Dutch) or numbers (26.12.1973, 12/26/1973,
    9.17), and Korean, Japanese and Chinese dates (1973년 12월 26일, 79년 9월, 1973年12月26日)."""
    import re

    text = re.sub(r"(?<=[./])\s+", "", quote.lower())  # "1992. 1. 21" as "1992.1.21"
    year = date_given[:4]
    year_forms = [rf"(?<!\d){year}(?!\d)", rf"(?<!\d){year[2:]}\s*(년|年)", rf"'{year[2:]}(?!\d)"]  # 79년, '79
    if not any(re.search(f, text) for f in year_forms):
        return "the year"
    if precision == "year":
        return ""
    month = int(date_given[5:7])
    names = "|".join(re.escape(n) for n in MONTH_NAMES[month - 1])
    m = rf"0?{month}"
    month_forms = [rf"(?<![a-zà-ÿ])({names})(?![a-zà-ÿ])", rf"(?<!\d){m}\s*(월|月)", rf"{year}[-./]0?{month}(?!\d)",
                   rf"(?<!\d){m}[./]{year}", rf"(?<!\d)\d{{1,2}}[./]{m}[./]", rf"(?<!\d){m}[./-]\d{{1,2}}(?!\d)"]
    if not any(re.search(f, text) for f in month_forms):
        return "the month"
    if precision == "month":
        return ""
    day = int(date_given[8:10])
    d = rf"0?{day}"
    day_forms = [rf"(?<!\d){d}(st|nd|rd|th|er|\.|º)?\s*(de\s+)?({names})(?![a-zà-ÿ])", rf"(?<![a-zà-ÿ])({names})\.?\s*{d}(?!\d)",
                 rf"(?<!\d){m}\s*(월|月)\s*{d}\s*(일|日)", rf"{year}-0?{month}-{d}(?!\d)", rf"(?<!\d){d}[./]{m}[./]",
                 rf"(?<!\d){m}[./]{d}(?!\d)", rf"(?<!\d){m}/{d}/"]
    return "" if any(re.search(f, text) for f in day_forms) else "the day"


def _at(source: dict) -> str:
    """Where a source row stands, when it is known (ingest passes the rows with their lines)."""
    return f", sources.csv line {source['line']}" if source.get("line") else ""


def _contains(coarse: str, fine: str) -> bool:
    """Whether the period `coarse` contains the date `fine` (both ISO 8601 reduced precision)."""
    return fine.startswith(coarse) or coarse.startswith(fine)


def summary(events: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """Per event: the source whose date is used (or the bounds' sources), how many sources there are,
    how many independent origins date it consistently with the date used (`n_origins`: the chosen
    source and those that agree, counting a source once per origin; a source that only shows the
    relation existed by some day does not count), and the first alternative date another source gives."""
    rows = []
    by_event = {k: g for k, g in sources.groupby("event_id", sort=False)}
    for event_id in events["event_id"]:
        group = by_event.get(event_id)
        if group is None:
            rows.append((event_id, "", "", 0, 0, "", "", ""))
            continue
        main = group[group["reading"] == "chosen"]
        if main.empty:
            main = group[group["reading"] == "latest"]
        first = main.iloc[0] if not main.empty else group.iloc[0]
        alt = group[group["reading"] == ALTERNATIVE_READING]
        alt_row = alt.iloc[0] if not alt.empty else None
        dating = group[group["reading"].isin(("chosen", "agrees")) & (group["date_given"] != "")]
        rows.append((event_id, first["citation"], first["url"], len(group), dating["origin"].nunique(),
                     "" if alt_row is None else alt_row["date_given"], "" if alt_row is None else alt_row["precision_given"],
                     "" if alt_row is None else alt_row["citation"]))
    return pd.DataFrame(rows, columns=["event_id", "source", "source_url", "n_sources", "n_origins",
                                       "alt_date", "alt_precision", "alt_source"])


def alternative_spans(sources: pd.DataFrame) -> dict[str, list[tuple]]:
    """event_id -> [(earliest, latest)] of every date a source reads as an alternative."""
    out: dict[str, list[tuple]] = {}
    alt = sources[(sources["reading"] == ALTERNATIVE_READING) & (sources["date_given"] != "")]
    for event_id, text, precision in zip(alt["event_id"], alt["date_given"], alt["precision_given"]):
        when = parse_partial(text, precision or precision_of(text))
        out.setdefault(event_id, []).append((when.earliest, when.latest))
    return out
