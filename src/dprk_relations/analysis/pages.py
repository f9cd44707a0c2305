"""What the report's page shows, shaped from the processed tables with the csv module alone (the
report step must stay light): each state's history with its sources, the events behind each year
of the chart, the claims in plain words with their evidence linked to the states."""
from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter

from dprk_relations.core.dates import written
from dprk_relations.rules.reference import name_patterns
from dprk_relations.rules.status import AFTER_CUT_OFF

# Only links a reader can follow safely: anything else (javascript:, data:, a bare path) is shown as text.
SAFE_URL = re.compile(r"https?://\S+")
# An evidence item that names a state starts with its code (events.csv and acts.csv citations do).
LEADING_CODE = re.compile(r"^([A-Z]{3}[A-Z]?)\b(.*)$", re.S)
EVENT_KINDS = ["established", "suspended", "severed", "restored"]


def safe_url(url: str) -> str | None:
    return url if url and SAFE_URL.fullmatch(url) else None


def folded(name: str) -> str:
    """A name as a reader types or sorts it: accents dropped, case folded ("Côte d'Ivoire": "cote d'ivoire")."""
    return "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c)).casefold()


def state_histories(status: list[dict], events: list[dict], sources: list[dict]) -> list[dict]:
    """Every state of the universe, by name as a reader sorts it (accents folded), with its events in order,
    each with its sources, and what the search matches it by: its name and official name, folded, and
    country_converter's pattern for its other names (a dissolved state has its own name only)."""
    by_event: dict[str, list[dict]] = {}
    for s in sources:
        by_event.setdefault(s["event_id"], []).append({
            "citation": s["citation"], "url": safe_url(s["url"]), "reading": s["reading"],
            "date_given": s["date_given"], "quote": s["quote"]})
    by_state: dict[str, list[dict]] = {}
    for e in sorted(events, key=lambda e: (e["iso3"], e["order_date"], int(e["line"]))):
        by_state.setdefault(e["iso3"], []).append({
            "event_id": e["event_id"], "event": e["event"], "precision": e["precision"],
            "date": e["date"] or f"between {e['earliest']} and {e['latest']}", "rule": e["date_rule"],
            "note": e["note"], "sources": by_event.get(e["event_id"], [])})
    out = []
    patterns = name_patterns()
    for s in sorted(status, key=lambda s: (folded(s["name"]), s["iso3"])):
        official, pattern = patterns.get(s["iso3"], ("", ""))
        out.append({**s, "history": by_state.get(s["iso3"], []), "search_names": " | ".join(
            dict.fromkeys(folded(n) for n in (s["name"], official) if n)), "name_pattern": pattern})
    return out


def years(yearly: list[dict], events: list[dict], as_of: str) -> list[dict]:
    """Each year of the chart with the stock at its end and the states of each kind of event in it."""
    names = {}
    by_year: dict[str, dict[str, list]] = {}
    for e in sorted(events, key=lambda e: (e["date_latest"], e["iso3"])):
        if e["date_latest"] > as_of:
            continue  # left out by the cut-off, as in the chart
        names[e["iso3"]] = e["state"]
        by_year.setdefault(e["year"], {k: [] for k in EVENT_KINDS})[e["event"]].append(
            {"iso3": e["iso3"], "name": e["state"], "date": written(e["date"], e["earliest"], e["latest"])})
    return [{"year": y["year"], "maintaining": y["maintaining"], "measured_on": y["measured_on"],
             **by_year.get(y["year"], {k: [] for k in EVENT_KINDS})} for y in yearly]


# How each check's value reads, with its unit: a number's format, and what an empty list means (the checks
# are in claims_checks; a test keeps every registered one here).
VALUE_READING = {
    "stock_at": ("{} states", None), "ever_established_at": ("{} states", None),
    "other_korea_stock_at": ("{} states", None), "race_group_at": ("{} states", None),
    "count_events": ("{} events", None), "missions_count": ("{} missions", None),
    "share_of_un_members_at": ("{:.1%} of UN members", None),
    "ratio_of_stock": ("{:g} times", None), "period_ratio": ("{:g} times", None),
    "duration_years": ("{:g} years", None),
    "acts_missing": (None, "none missing: every act named is in acts.csv"),
    "missions_missing": (None, "none missing: every mission named is on the list"),
    "breaks_among": (None, "no break among them"),
    "states_with_acts": (None, "no state with such an act"),
    "states_without_relations": (None, "none without relations: every one had them"),
    "continents_without_missions": (None, "no continent without a mission"),
    "group_event_years": (None, "none"), "group_members_among_events": (None, "none of the group"),
    "events_before_outside": (None, "none"),
    "event_year": (None, None), "membership_year": (None, None), "act_year": (None, None),
    "first_among": (None, None), "last_event": (None, None),
}


def plain_value(text: str, names: dict[str, str], check: str = "") -> str:
    """A claim's value (JSON) in words: state codes by their names, a number with its unit and an empty
    list as what it means for its check (VALUE_READING)."""
    if text == "":
        return "no value"
    try:
        value = json.loads(text)
    except json.JSONDecodeError:
        return text
    unit, empty = VALUE_READING.get(check, (None, None))

    def word(v) -> str:
        if v is None:
            return "not in the data"
        if isinstance(v, str):
            return names.get(v, v)
        if isinstance(v, float):
            return f"{v * 100:.1f}%" if 0 < v < 1 else f"{v:g}"
        return str(v)

    if isinstance(value, list):
        return ", ".join(word(v) for v in value) if value else (empty or "none")
    if isinstance(value, dict):
        return "; ".join(f"{word(k)}: {word(v)}" for k, v in value.items()) or (empty or "none")
    if unit and isinstance(value, (int, float)) and not isinstance(value, bool):
        return unit.format(value)
    return word(value)


def evidence_items(text: str, codes: set[str]) -> list[dict]:
    """The evidence of a claim, one item per cited row; an item naming a state links to its history."""
    items = []
    for part in (p.strip() for p in text.split(" | ")):
        if not part:
            continue
        match = LEADING_CODE.match(part)
        if match and match.group(1) in codes:
            items.append({"code": match.group(1), "text": match.group(2)})
        else:
            items.append({"code": None, "text": part})
    return items


def arguments_words(text: str, names: dict[str, str]) -> str:
    """A check's arguments (claims.csv, JSON) in words, its day left out: "kind: established; states: South Sudan"."""
    try:
        arguments = json.loads(text) if text else {}
    except json.JSONDecodeError:
        return text
    def shown(value) -> str:
        if isinstance(value, list):
            return ", ".join(shown(v) for v in value)
        return names.get(value, value) if isinstance(value, str) else json.dumps(value)

    parts = []
    for key, value in arguments.items():
        if key == "day":
            continue
        parts.append(f"{key.replace('_', ' ')}: {shown(value)}")
    return "; ".join(parts)


def claims_view(claims: list[dict], status: list[dict], as_of: str,
                arguments: dict[str, str] | None = None) -> tuple[list[dict], int]:
    """The claims with their value in words and evidence items, and for statements checked more than one way
    what each way checks (`arguments`: claim id -> its arguments in claims.csv); and how many speak for a date
    after the cut-off."""
    names = {s["iso3"]: s["name"] for s in status}
    codes = set(names)
    arguments = arguments or {}
    times_quoted = Counter(c["quote"] for c in claims)
    out = []
    for c in claims:
        words = plain_value(c["value"], names, c["check"])
        # what the search matches: the statement, its id and section, the value in words (accents folded)
        text = folded(" ".join((c["quote"], c["claim_id"], c["document"], c["section"], words)))
        shared = times_quoted[c["quote"]] > 1  # the same words checked two ways: say how each differs
        told_apart = f"{c['check'].replace('_', ' ')}" + (f", {arguments_words(arguments.get(c['claim_id'], ''), names)}"
                                                         if arguments.get(c["claim_id"], "{}") != "{}" else "")
        out.append({**c, "slug": c["verdict"].replace(" ", "-"), "value_words": words, "search_text": text,
                    "evidence_items": evidence_items(c["evidence"], codes), "told_apart": told_apart if shared else ""})
    after = sum(c["verdict"] == AFTER_CUT_OFF for c in claims)
    return out, after


# The race table's rows the page shows: every fifth year end, and the cut-off's.
RACE_EVERY = 5


def held_in(runs: str, year: int) -> bool:
    """Whether a state's runs of years in force ("1948-1991 1993") hold `year` (as the page's script reads them)."""
    for run in runs.split():
        first, _, last = run.partition("-")
        if int(first) <= year <= int(last or first):
            return True
    return False


def race_view(race: list[dict], switches: list[dict], years_of: list[dict]) -> dict:
    """Both Koreas on the page: the four groups every RACE_EVERY years and on the cut-off, the years the lead
    in partners changed hands, the states with relations with one Korea only on the cut-off, and the switches."""
    if not race:
        return {"rows": [], "last": None, "leads": [], "only": {}, "switches": switches}
    last = race[-1]
    rows = [r for r in race[:-1] if int(r["year"]) % RACE_EVERY == 0] + [last]
    leads, leader = [], None
    for r in race:
        north, south = int(r["dprk"]), int(r["rok"])
        now = "DPRK" if north > south else "ROK" if south > north else "tie"
        if now != leader:
            leads.append({"year": r["year"], "leader": now, "dprk": north, "rok": south})
            leader = now
    year = int(last["year"])
    only = {"DPRK": [], "ROK": []}
    for s in years_of:
        north, south = held_in(s["dprk_years"], year), held_in(s["rok_years"], year)
        if north != south:
            only["DPRK" if north else "ROK"].append({"iso3": s["iso3"], "name": s["name"]})
    return {"rows": rows, "last": last, "leads": leads, "only": only, "switches": switches}


def unanswered(reconciliation: list[dict], disagreements: list[dict]) -> list[dict]:
    """The rows of peer_reconciliation.csv that answer no disagreement of the run. peers.compare lists each row
    beside the disagreement it answers (a 'corrected' one always): a row left over concerns years after the
    cut-off, or the data or the peer changed since it was written and it answers nothing."""
    answered = {(d["peer"], d["iso3"]) for d in disagreements}
    return [r for r in reconciliation if (r["peer"], r["iso3"]) not in answered]


def other_korea(events: list[dict], years_of: list[dict], focal_short: str) -> dict:
    """The other Korea beside the focal state's histories: its short name, each state's events with it (with the
    chosen source, a link only when safe) and its years in force with it, for the map's four groups."""
    other = "ROK" if focal_short == "DPRK" else "DPRK"
    by_state: dict[str, list[dict]] = {}
    for e in events:
        if e["korea"] == other:
            by_state.setdefault(e["iso3"], []).append({**e, "url": safe_url(e["source_url"])})
    column = f"{other.lower()}_years"
    return {"short": other, "events": by_state, "years": {s["iso3"]: s[column] for s in years_of}}
