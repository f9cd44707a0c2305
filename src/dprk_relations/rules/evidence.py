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

import re
from datetime import date, timedelta

import numpy as np
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
    one = "event"  # the key that ties the sources to the event
    events = pd.DataFrame([{"note": "", **event, "event_id": one}])
    frame = pd.DataFrame([{**s, "event_id": one} for s in sources],
                         columns=sorted(set().union(*sources) | {"event_id", "reading", "date_given", "precision_given"}))
    frame["line"] = pd.Series([s.get("line") for s in sources], dtype=object)
    return [(field, message) for _, field, message in date_rule_problems(events, frame)]


def date_rule_problems(events: pd.DataFrame, sources: pd.DataFrame) -> list[tuple[int, str, str]]:
    """(position of the event, field, message) for each way an event's date disagrees with its sources
    (those of its event_id, in their order) under its rule, event by event. Event ids are unique."""
    n = len(events)
    at = pd.Index(events["event_id"]).get_indexer(sources["event_id"])
    rows = np.flatnonzero(at >= 0)  # the sources of the events, by their position in `sources`
    at = at[rows]

    def column(name: str) -> np.ndarray:
        return sources[name].to_numpy()[rows]

    reading, given, given_precision = column("reading"), column("date_given"), column("precision_given")
    rule, precision, day = (events[c].to_numpy() for c in ("date_rule", "precision", "date"))

    def per_event(mask) -> np.ndarray:
        return np.bincount(at[mask], minlength=n)

    order = np.argsort(at, kind="stable")
    starts = np.searchsorted(at[order], np.arange(n + 1))

    def rows_of(i: int) -> np.ndarray:
        """The rows of event i's sources, in their order."""
        return order[starts[i]:starts[i + 1]]

    no_sources = per_event(np.ones(len(at), dtype=bool)) == 0
    chosen = reading == "chosen"
    n_chosen = per_event(chosen)
    windowed = (rule == "window") | (precision == "window")
    together = (rule == "window") & (precision == "window")
    bounds = {b: (per_event(reading == b) > 0, per_event((reading == b) & (given == events[b].to_numpy()[at])) > 0)
              for b in ("earliest", "latest")}
    pick = _first_where(at, chosen, n)
    picked = pick >= 0
    mismatch = np.zeros(n, dtype=bool)
    mismatch[picked] = ((given[pick[picked]] != day[picked])
                        | (given_precision[pick[picked]] != precision[picked]))
    rank = pd.Series(given_precision).map(PRECISION_RANK).to_numpy(dtype=float)
    finer = _first_where(at, _among(reading, ("agrees", "differs")) & given_precision.astype(bool)
                         & (rank > events["precision"].map(PRECISION_RANK).to_numpy(dtype=float)[at]), n)
    agreeing = (reading == "agrees") & given.astype(bool)
    agreeing[agreeing] = ~_contains_each(given[agreeing], day[at[agreeing]])
    outside = _first_where(at, agreeing, n)
    no_note = ~events["note"].astype(bool).to_numpy()

    bound_wrong = np.logical_or.reduce([~has | ~gives for has, gives in bounds.values()])
    dated_wrong = ((n_chosen != 1) | mismatch | ((rule == "most_specific") & (finer >= 0))
                   | ((rule == "formal_act") & no_note) | (outside >= 0))
    wrong = no_sources | np.where(windowed, ~together | bound_wrong | (n_chosen > 0), dated_wrong)
    out = []
    for i in np.flatnonzero(wrong):
        event = events.iloc[i]
        if no_sources[i]:
            out.append((i, "event_id", "has no row in sources.csv; every event needs at least one source"))
        elif windowed[i] and not together[i]:
            out.append((i, "date_rule", "precision 'window' and date_rule 'window' go together"))
        elif windowed[i]:
            for b, (has, gives) in bounds.items():
                if not has[i]:
                    out.append((i, b, f"no source row with reading '{b}' gives this bound"))
                elif not gives[i]:
                    dates = sorted(set(given[rows_of(i)][reading[rows_of(i)] == b]))
                    out.append((i, b, f"{event[b]!r} is not the date a source with reading '{b}' gives ({', '.join(dates)})"))
            if n_chosen[i]:
                out.append((i, "date_rule", "a window has no chosen source; a source that dates the event makes it a dated event"))
        elif n_chosen[i] != 1:
            out.append((i, "date_rule", f"has {n_chosen[i]} sources with reading 'chosen'; exactly one gives the date used"))
        elif mismatch[i]:
            p = sources.iloc[rows[pick[i]]]
            out.append((i, "date", f"{event['date']!r} ({event['precision']}) is not what the chosen source gives "
                                   f"({p['date_given']!r}, {p['precision_given'] or 'no precision'}{_at(p)}); "
                                   "correct whichever of the two is wrong"))
        elif rule[i] == "most_specific" and finer[i] >= 0:
            f = sources.iloc[rows[finer[i]]]
            out.append((i, "date_rule", f"'most_specific', but {f['citation'][:60]!r} gives the finer date "
                                        f"{f['date_given']}; choose it, or say 'formal_act' and why in the note"))
        elif rule[i] == "formal_act" and no_note[i]:
            out.append((i, "note", "is empty; 'formal_act' needs the note to say which act the other sources date"))
        elif outside[i] >= 0:
            s = sources.iloc[rows[outside[i]]]
            out.append((i, "reading", f"a source read as 'agrees'{_at(s)} gives {s['date_given']}, which does not contain "
                                      f"{event['date']}; read it as 'differs'"))
    return out


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


def quote_gap(quote: str, date_given: str, precision: str, dateline: str = "") -> str:
    """What of `date_given` a quote does not show in any usual written form ("" when it shows it all):
    "the year", "the month" or "the day". Forms: ISO dates, day-month-year and month-day-year with month
    names (English, French, German, Spanish, Italian, Portuguese, Dutch) or numbers (26.12.1973, 12/26/1973,
    9.17), Korean, Japanese and Chinese dates (1973년 12월 26일, 79년 9월, 1973年12月26日) and a cable's
    date-time group (302230Z MAY 74). With the source's own date (`dateline`), a quote that gives its date
    relative to it (`relative_dates`) shows it too."""
    gap = _gap(quote, date_given, precision)
    if not gap or not dateline:
        return gap
    dates, years = relative_dates(quote, dateline)
    if any(d.startswith(date_given) for d in dates):
        return ""
    # an anniversary gives the year; the month and day must then be in the quote
    return min((_gap(f"{quote} {y}", date_given, precision) for y in years), key=_GAPS.index, default=gap)


_GAPS = ["", "the day", "the month", "the year"]
_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_MONTH_DAY = re.compile(r"(?<!\d)(\d{1,2})\s*(?:월|月)\s*(\d{1,2})\s*(?:일|日)|\((\d{1,2})\.(\d{1,2})\)"
                        r"|(?<![\d.])(\d{1,2})\.(\d{1,2})\.\s*\([월화수목금토일]\)")
# a month alone, not followed by its day ("지난 1월말", "1月底")
_MONTH = re.compile(r"(?<!\d)(\d{1,2})\s*(?:월|月)(?!\s*\d)")
_DAY = re.compile(r"(?<![\d월月]\s)(?<![\d월月])(\d{1,2})\s*(?:일|日)")
_ANNIVERSARY = re.compile(r"(?<!\d)(\d{1,3})\s*(?:돐|돌|주년|周年|(?:st|nd|rd|th)\s+anniversary|years\s+since|años)")


def relative_dates(quote: str, dateline: str) -> tuple[list[str], list[str]]:
    """The dates a quote gives relative to its source's own date (`dateline`, ISO 8601, reduced precision
    allowed), as ISO days, and the years its anniversaries give. A report tells of what has happened, so a
    month and day without a year ("11월23일", "(9.17)", "7.18.(목)"), a day alone ("지난 23일", "20日") and, under a
    day-precise dateline, a weekday ("on Wednesday") are the latest such day on or before the dateline (its
    last day when it is a month or a year), and a month alone ("지난 1월말") the latest such month; an
    anniversary ("49돐", "30th anniversary", "30 years since", "63 años") is that many years before the
    dateline's year."""
    last = parse_partial(dateline, precision_of(dateline)).latest
    text = quote.lower()
    dates = []
    for match in _MONTH_DAY.finditer(text):
        month, day = (int(g) for g in next(match.group(i, i + 1) for i in (1, 3, 5) if match.group(i)))
        dates += [d for d in (_valid(last.year, month, day), _valid(last.year - 1, month, day)) if d and d <= last][:1]
    for match in _DAY.finditer(text):
        day, month = int(match.group(1)), (last.year, last.month)
        candidates = []
        for _ in range(3):  # a 31st may lie two months back
            candidates.append(_valid(*month, day))
            month = (month[0], month[1] - 1) if month[1] > 1 else (month[0] - 1, 12)
        dates += [d for d in candidates if d and d <= last][:1]
    if precision_of(dateline) == "day":
        for i, name in enumerate(_WEEKDAYS):
            if re.search(rf"(?<![a-z]){name}(?![a-z])", text):
                dates.append(last - timedelta(days=(last.weekday() - i) % 7))
    years = [str(last.year - int(match.group(1))) for match in _ANNIVERSARY.finditer(text)]
    # a month alone is the latest such month on or before the dateline: it gives the year
    years += [str(last.year if int(m.group(1)) <= last.month else last.year - 1) for m in _MONTH.finditer(text)
              if 1 <= int(m.group(1)) <= 12]
    return [d.isoformat() for d in dates], years


def _valid(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _gap(quote: str, date_given: str, precision: str) -> str:
    """quote_gap on the quote alone."""
    text = re.sub(r"(?<=[./])\s+", "", quote.lower())  # "1992. 1. 21" as "1992.1.21"
    year = date_given[:4]
    names = "|".join(re.escape(n) for months in MONTH_NAMES for n in months)
    year_forms = [rf"(?<!\d){year}(?!\d)", rf"(?<!\d){year[2:]}\s*(년|年)", rf"'{year[2:]}(?!\d)",  # 79년, '79
                  rf"\d{{6}}z\s+({names})\s+{year[2:]}(?!\d)"]  # a cable's date-time group, 302230Z MAY 74
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


def _among(values: np.ndarray, options: tuple[str, ...]) -> np.ndarray:
    """Whether each value is one of `options` (hashed: np.isin would sort the strings)."""
    return pd.Series(values, dtype=object).isin(options).to_numpy()


def _first_where(at: np.ndarray, mask: np.ndarray, n: int) -> np.ndarray:
    """For each of `n` events, its first row (a source) where `mask` holds, -1 where none does; `at`
    gives each row's event (-1: none)."""
    first = np.full(n, -1)
    hit = mask & (at >= 0)
    events_hit, rows = np.unique(at[hit], return_index=True)
    first[events_hit] = np.flatnonzero(hit)[rows]
    return first


def _at(source: pd.Series) -> str:
    """Where a source row stands, when it is known (ingest passes the rows with their lines)."""
    return f", sources.csv line {source['line']}" if source.get("line") else ""


def _contains_each(coarse: np.ndarray, fine: np.ndarray) -> np.ndarray:
    """Whether each period `coarse` contains the date `fine` beside it (ISO 8601 reduced precision)."""
    coarse, fine = coarse.astype(str), fine.astype(str)
    return np.strings.startswith(fine, coarse) | np.strings.startswith(coarse, fine)


SUMMARY_COLUMNS = ["event_id", "source", "source_url", "n_sources", "n_origins", "alt_date", "alt_precision", "alt_source"]


def summary(events: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """Per event: the source whose date is used (or the bounds' sources), how many sources there are,
    how many independent origins date it consistently with the date used (`n_origins`: the chosen
    source and those that agree, counting a source once per origin; a source that only shows the
    relation existed by some day does not count), and the first alternative date another source gives."""
    ids = events["event_id"]
    if ids.empty:
        return pd.DataFrame([], columns=SUMMARY_COLUMNS)
    row_of, distinct = pd.factorize(ids)  # events that share an id share its summary
    n = len(distinct)
    at = pd.Index(distinct).get_indexer(sources["event_id"])
    reading = sources["reading"].to_numpy()
    # the main source: the first chosen one, else the first 'latest' bound, else the first source
    main = _first_where(at, reading == "chosen", n)
    for fallback in (reading == "latest", np.ones(len(at), dtype=bool)):
        main = np.where(main >= 0, main, _first_where(at, fallback, n))
    alt = _first_where(at, reading == ALTERNATIVE_READING, n)
    dating = (_among(reading, ("chosen", "agrees")) & (sources["date_given"] != "").to_numpy()
              & sources["origin"].notna().to_numpy() & (at >= 0))
    origin = pd.factorize(sources["origin"].to_numpy()[dating])[0]
    pairs = np.unique(np.stack([at[dating], origin]), axis=1)  # each event's distinct origins once
    n_origins = np.bincount(pairs[0], minlength=n)

    def of(rows: np.ndarray, column: str) -> np.ndarray:
        values = np.full(n, "", dtype=object)
        values[rows >= 0] = sources[column].to_numpy(dtype=object)[rows[rows >= 0]]
        return values[row_of]

    return pd.DataFrame({"event_id": ids.to_numpy(dtype=object), "source": of(main, "citation"), "source_url": of(main, "url"),
                         "n_sources": np.bincount(at[at >= 0], minlength=n)[row_of], "n_origins": n_origins[row_of],
                         "alt_date": of(alt, "date_given"), "alt_precision": of(alt, "precision_given"),
                         "alt_source": of(alt, "citation")}, columns=SUMMARY_COLUMNS)


def alternative_spans(sources: pd.DataFrame) -> dict[str, list[tuple]]:
    """event_id -> [(earliest, latest)] of every date a source reads as an alternative."""
    out: dict[str, list[tuple]] = {}
    alt = sources[(sources["reading"] == ALTERNATIVE_READING) & (sources["date_given"] != "")]
    for event_id, text, precision in zip(alt["event_id"], alt["date_given"], alt["precision_given"]):
        when = parse_partial(text, precision or precision_of(text))
        out.setdefault(event_id, []).append((when.earliest, when.latest))
    return out
